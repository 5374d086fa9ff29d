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
from cleaner.quality.signals import compute_signals
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

    def __call__(self, doc: Document) -> Document:
        if doc.error:
            return doc
        text = doc.text
        found = self._ident.identify(text)
        if doc.lang is None:
            doc.lang, doc.lang_score = found.lang, found.score
        if not self.options.signals and self.preset is None:
            return doc
        signals = quality_signals(doc, found)
        if self.options.signals:
            doc.quality = signals
        if self.preset is not None:
            self._decide(doc, text, signals)
        return doc

    def _decide(self, doc: Document, text: str, signals: dict[str, Any]) -> None:
        assert self.preset is not None
        values = dict(signals)
        if any(c.signal in EXTRA_SIGNALS for c in self.preset.checks):
            length = (
                self.preset.threshold("short_line_length", doc.lang)
                if any(c.signal == "short_lines" for c in self.preset.checks)
                else 30
            )
            values.update(extra_signals(text, int(length or 30)))
        reason = self.preset.decide(values, doc.lang)
        if reason is not None:
            doc.dropped = True
            doc.drop_reason = reason


def quality_signals(doc: Document, found: Identification | None = None) -> dict[str, Any]:
    """The ``quality`` struct of ``doc``: exactly the fields of the output schema.

    Removed shares are relative to ``len(doc.source)``; a removal whose rule starts with
    ``dedup_`` counts as dedup, every other one as rules.
    """
    text = doc.text
    if found is None:
        found = identifier().identify(text)
    lang = doc.lang or found.lang
    signals = compute_signals(text, lang, found.share)
    size = len(doc.source)
    dedup = sum(r.end - r.start for r in doc.removed if r.rule.startswith("dedup_"))
    rules = sum(r.end - r.start for r in doc.removed if not r.rule.startswith("dedup_"))
    signals["removed_rules_share"] = rules / size if size else 0.0
    signals["removed_dedup_share"] = dedup / size if size else 0.0
    signals["removed_share"] = (rules + dedup) / size if size else 0.0
    return {name: signals[name] for name in _FIELDS}
