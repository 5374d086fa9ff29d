"""The quality stage: language, content-quality signals and an opt-in filter, in every language.

Quality runs after the rules and dedup, on the cleaned ``doc.text``, so it measures what is left
and sees how much the earlier stages removed. It fills ``doc.lang`` and ``doc.lang_score``
(:mod:`cleaner.quality.langid`), ``doc.quality`` with the signals named in
:data:`cleaner.schema.QUALITY_FIELDS` (:mod:`cleaner.quality.signals`) and, when a preset is
chosen (``--quality gopher|c4|fineweb``), ``doc.dropped`` and ``doc.drop_reason``
(:mod:`cleaner.quality.presets`). A dropped document is kept in the output, marked; it is never
silently lost.

Repairing comes before rejecting: a title repeated by the page template has been removed by the
rules before quality looks for duplicate lines; the stop-word check counts the document's own
language's words; terminal punctuation includes 。！？ and the marks of other scripts.

The pipeline should call :meth:`Quality.batch` on its worker batches: computing a batch of
documents together is what makes the stage fast (about five times faster than one document at a
time on 64-document batches), and it gives each document exactly what ``Quality.__call__`` gives
it alone.

With ``signals=False`` language identification still runs (it fills two cheap columns that
downstream users filter on) but ``doc.quality`` stays null; a preset still computes the signals
it needs to decide. A document with ``error`` set is returned untouched. A language given by the
input (``doc.lang`` already set) is kept, and used for the stop words.

>>> from cleaner.config import Options
>>> from cleaner.document import Document
>>> q = Quality(Options(quality="gopher"))
>>> doc = q(Document(id="a", source="Too short to be an article."))
>>> doc.lang, doc.dropped, doc.drop_reason
('en', True, 'gopher:words 6 < 50')
"""

from __future__ import annotations

from typing import Any

from cleaner.config import Options
from cleaner.document import Document
from cleaner.quality.langid import Identification, identifier
from cleaner.quality.presets import EXTRA_SIGNALS, Preset, extra_signals, load_presets
from cleaner.quality.signals import batch_signals, lower_class_table, nonempty_lines
from cleaner.schema import QUALITY_FIELDS

__all__ = ["Quality", "quality_signals"]

_FIELDS = [name for name, _ in QUALITY_FIELDS]


class Quality:
    """The per-document quality stage, built once per worker from :class:`Options`."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.preset: Preset | None = None
        if options.quality != "off":
            presets = load_presets(options.quality_config)
            if options.quality not in presets:
                raise ValueError(
                    f"unknown quality preset {options.quality!r}; choose one of "
                    f"{', '.join(sorted(presets))} or off."
                )
            self.preset = presets[options.quality]
        elif options.quality_config is not None:
            load_presets(options.quality_config)  # report a broken file even when unused
        self._ident = identifier()
        lower_class_table()  # built once per process, with the model
        self._extra = self.preset is not None and any(
            c.signal in EXTRA_SIGNALS for c in self.preset.checks
        )
        self._short_lengths: dict[str | None, int] = {}

    def __call__(self, doc: Document) -> Document:
        """Language, signals and the preset's decision for one document (a batch of one)."""
        if doc.error:
            return doc
        self._apply([doc])
        return doc

    def batch(self, docs: list[Document]) -> list[Document]:
        """:meth:`__call__` for every document of ``docs`` (the same values), computed together:
        this is what makes the stage fast, so the pipeline calls it on its worker batches.

        Like the pipeline's per-document stages it never raises for a bad document: if the batch
        fails, each document is redone alone and one that still fails gets ``error`` set to
        ``"quality failed: <exception>"``.
        """
        live = [doc for doc in docs if not doc.error]
        try:
            self._apply(live)
        except Exception:
            for doc in live:
                try:
                    self._apply([doc])
                except Exception as exc:  # a bad document must never stop the run
                    doc.error = f"quality failed: {type(exc).__name__}: {exc}"
        return docs

    def _apply(self, docs: list[Document]) -> None:
        """Compute everything for ``docs`` first, then set their fields (all or nothing)."""
        texts = [doc.text for doc in docs]
        lines = [nonempty_lines(text) for text in texts]
        found = self._ident.identify_batch(lines)
        langs = [
            doc.lang if doc.lang is not None else f.lang for doc, f in zip(docs, found, strict=True)
        ]
        results: list[tuple[dict[str, Any] | None, str | None]] = [(None, None)] * len(docs)
        if self.options.signals or self.preset is not None:
            signal_langs = [doc.lang or f.lang for doc, f in zip(docs, found, strict=True)]
            shares = [f.share for f in found]
            computed = batch_signals(texts, signal_langs, shares, lines)
            results = [
                self._finish(doc, text, lang, signals)
                for doc, text, lang, signals in zip(docs, texts, langs, computed, strict=True)
            ]
        for doc, f, (values, reason) in zip(docs, found, results, strict=True):
            if doc.lang is None:
                doc.lang, doc.lang_score = f.lang, f.score
            if self.options.signals:
                doc.quality = values
            if reason is not None:
                doc.dropped = True
                doc.drop_reason = reason

    def _finish(
        self, doc: Document, text: str, lang: str | None, signals: dict[str, Any]
    ) -> tuple[dict[str, Any], str | None]:
        """The ``quality`` struct of ``doc`` and the preset's reason to drop it (None: keep)."""
        values = _with_removed_shares(doc, signals)
        if self.preset is None:
            return values, None
        if not self._extra:
            return values, self.preset.decide(values, lang)
        extra = extra_signals(text, self._short_length(lang))
        return values, self.preset.decide({**values, **extra}, lang)

    def _short_length(self, lang: str | None) -> int:
        """The preset's short-line length in ``lang`` (30 when the preset has no such check)."""
        if lang not in self._short_lengths:
            assert self.preset is not None
            length = (
                self.preset.threshold("short_line_length", lang)
                if any(c.signal == "short_lines" for c in self.preset.checks)
                else 30
            )
            self._short_lengths[lang] = int(length or 30)
        return self._short_lengths[lang]


def _with_removed_shares(doc: Document, signals: dict[str, Any]) -> dict[str, Any]:
    """``signals`` with the removed shares of ``doc``, as exactly the fields of the schema.

    Removed shares are relative to ``len(doc.source)``; a removal whose rule starts with
    ``dedup_`` counts as dedup, every other one as rules.
    """
    size = len(doc.source)
    dedup = sum(r.end - r.start for r in doc.removed if r.rule.startswith("dedup_"))
    rules = sum(r.end - r.start for r in doc.removed if not r.rule.startswith("dedup_"))
    signals["removed_share"] = (rules + dedup) / size if size else 0.0
    signals["removed_rules_share"] = rules / size if size else 0.0
    signals["removed_dedup_share"] = dedup / size if size else 0.0
    if list(signals) != _FIELDS:  # only if the signals and the schema drift apart
        return {name: signals[name] for name in _FIELDS}
    return signals


def quality_signals(doc: Document, found: Identification | None = None) -> dict[str, Any]:
    """The ``quality`` struct of ``doc``: exactly the fields of the output schema.

    Removed shares are relative to ``len(doc.source)``; a removal whose rule starts with
    ``dedup_`` counts as dedup, every other one as rules.
    """
    text = doc.text
    if found is None:
        found = identifier().identify(text)
    lang = doc.lang or found.lang
    return _with_removed_shares(doc, batch_signals([text], [lang], [found.share])[0])
