"""Rule bases, the context a rule sees, and the engine that applies rules to a document.

A rule is a class with a ``name`` (the same string as its module, config key, stat label and the
``rule`` value of its removals), a ``version``, ``tags`` (the boilerplate families it covers),
``languages`` (ISO 639-1 codes, ``("*",)`` for language-independent rules), ``examples`` (pairs of
a document before and after the rule) and a docstring whose first line is its summary and which
says what it drops and what it deliberately keeps. It subclasses one of four bases and writes
their one method:

- :class:`LineRule` ``drop(line, ctx) -> bool``: drop the whole line;
- :class:`SpanRule` ``spans(line, ctx) -> list[(start, end)]``: cut spans of the line's current
  text (a field label, say);
- :class:`BlockRule` ``cut(lines, ctx) -> int | None``: cut a trailing block, from the returned
  line index to the end of the document;
- :class:`DocumentRule` ``apply(doc, ctx) -> list[Removal] | None``: anything else.

Rules never edit text: the engine turns each decision into :class:`~cleaner.document.Removal`
spans of ``doc.source``, so every change is explained and reversible. Lines are the live non-blank
lines: what earlier rules removed is gone, blank lines are skipped (they are tidied at the end).

>>> class Shout(LineRule):
...     '''Drop lines written in capitals only; mixed-case lines stay.'''
...     name = "shout"
...     examples = (("Hello.\\nBUY NOW\\n", "Hello.\\n"),)
...     def drop(self, line: str, ctx: Context) -> bool:
...         return line.isupper()
>>> doc = apply_rules(Document(id="d", source="Hello.\\n\\nBUY NOW\\n"), [Shout()])
>>> doc.text
'Hello.\\n'
>>> [(r.rule, r.text) for r in doc.removed]
[('shout', '\\nBUY NOW\\n')]
"""

from __future__ import annotations

import bisect
import itertools
import logging
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

import regex

from cleaner.config import Options
from cleaner.document import Document, Line, Removal, merge_ranges, merged_spans

__all__ = [
    "TERMINAL",
    "BlockRule",
    "Context",
    "DataRow",
    "DocumentRule",
    "LineRule",
    "Pattern",
    "Rule",
    "SpanRule",
    "apply_rule",
    "apply_rules",
    "fold",
    "is_content",
    "live_lines",
    "load_data",
    "remove_range",
    "terms_pattern",
    "tidy",
    "word_count",
]

log = logging.getLogger(__name__)

Zone = Literal["header", "body", "footer"]

#: Characters that end a sentence, in the scripts the built-in rules know.
TERMINAL = frozenset(".!?…。！？؟।\"”»’')")
METADATA_KEYS = ("url", "title", "site", "date", "author")
# Scripts written without spaces between words: no word-boundary assertions around their terms.
# Explicit ranges (Thai, Lao, Myanmar, Khmer, CJK radicals, kana, CJK ideographs) with the
# standard library's engine: five times faster than \p{Script} classes for this one test.
_NO_SPACE_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
_QUOTE_PAIRS = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("“", '"'), ("”", '"'), ("«", '"'), ("»", '"'))


def fold(text: str) -> str:
    """Case-fold, NFKC, straight quotes, single spaces, no surrounding spaces or punctuation.

    The form rules compare whole lines in, so that ``Leave a Reply`` and ``leave a reply!``
    meet. Inner punctuation stays (``e-mail``, ``don't``).

    >>> fold("  No comments yet.  Why don’t you   start the discussion? ")
    "no comments yet. why don't you start the discussion"
    >>> fold("Required fields are marked *")
    'required fields are marked'
    """
    folded = _MEMO.folded.get(text)
    if folded is None:
        folded = _MEMO.keep(_MEMO.folded, text, _fold(text))
    return folded


def _fold(text: str) -> str:
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        for curly, straight in _QUOTE_PAIRS:
            if curly in text:
                text = text.replace(curly, straight)
    text = " ".join(text.casefold().split())
    return text.strip(" \t.,;:!?*…()[]|-–—•·\"'¡¿")


def word_count(text: str) -> int:
    """Words in ``text``: space-separated tokens, or characters / 2 for scripts without spaces.

    >>> word_count("Leave a Reply")
    3
    >>> word_count("发表评论")
    2
    """
    words = _MEMO.words.get(text)
    if words is None:
        words = len(text.split())
        if not text.isascii() and _NO_SPACE_SCRIPTS.search(text):
            words = max(words, len(_NO_SPACE_SCRIPTS.findall(text)) // 2)
        if _MEMO.chars + len(text) > _MEMO_CHARS:  # _MEMO.keep, inlined: called per line
            _MEMO.forget()
        _MEMO.words[text] = words
        _MEMO.chars += len(text)
    return words


def is_content(text: str) -> bool:
    """Whether a line reads like an article paragraph: a sentence of 10+ words, or 30+ words.

    Zones hang on it: the header zone is everything before the first content line, the footer
    zone everything after the last one. Headings and short one-line paragraphs are not content
    lines here, but they are not boilerplate either: zones only tell rules where they are.

    >>> is_content("Comments (0)")
    False
    >>> is_content("Alibaba has unveiled a new AI chip designed to tackle a wider range of tasks.")
    True
    """
    if len(text) < 19:
        return False  # fewer than 10 words (see below)
    content = _MEMO.content.get(text)
    if content is None:
        stripped = text.strip()
        need = 10 if stripped[-1:] in TERMINAL else 30  # words (see word_count)
        # a split that stops at ``need`` words; a line shorter than 2 * need - 1 has fewer
        content = len(stripped) >= 2 * need - 1 and (
            len(stripped.split(None, need - 1)) >= need
            or (
                not stripped.isascii()
                and _NO_SPACE_SCRIPTS.search(stripped) is not None
                and len(_NO_SPACE_SCRIPTS.findall(stripped)) // 2 >= need
            )
        )
        if _MEMO.chars + len(text) > _MEMO_CHARS:  # _MEMO.keep, inlined: called per line
            _MEMO.forget()
        _MEMO.content[text] = content
        _MEMO.chars += len(text)
    return content


class _Memo:
    """Answers of :func:`fold`, :func:`word_count` and :func:`is_content`, which depend on the
    text alone: several rules ask about the same lines, and about half of the short lines of a
    news corpus (bylines, widget strings, credits) repeat from document to document.

    Kept across documents, and forgotten all at once when the keys would pass
    :data:`_MEMO_CHARS` characters, so that it stays bounded on any stream.
    """

    def __init__(self) -> None:
        self.folded: dict[str, str] = {}
        self.words: dict[str, int] = {}
        self.content: dict[str, bool] = {}
        self.chars = 0

    def keep(self, table: dict[str, Any], text: str, value: Any) -> Any:
        """Remember ``value`` for ``text`` in ``table`` (forgetting all first when full)."""
        if self.chars + len(text) > _MEMO_CHARS:
            self.forget()
        table[text] = value
        self.chars += len(text)
        return value

    def forget(self) -> None:
        """Drop every answer."""
        self.folded.clear()
        self.words.clear()
        self.content.clear()
        self.chars = 0


_MEMO = _Memo()
_MEMO_CHARS = 4_000_000


def terms_pattern(terms: Iterable[str], *, prefix: bool = False) -> str:
    """One alternation matching any of ``terms`` as whole words (longest first).

    Terms are matched case-folded (compile with ``regex.IGNORECASE``) and with every space
    standing for any run of white space. Terms in scripts written with spaces get word
    boundaries (``(?<!\\w)`` / ``(?!\\w)``; with ``prefix`` only the leading one, so ``comment``
    also matches ``comments``); terms in Chinese, Japanese, Thai... get none.

    >>> p = regex.compile(terms_pattern(["read more", "发表评论"]), regex.IGNORECASE)
    >>> bool(p.search("READ  MORE | x")), bool(p.search("bread more")), bool(p.search("请发表评论"))
    (True, False, True)
    """
    alternatives = []
    for term in sorted({t.strip() for t in terms if t.strip()}, key=lambda t: (-len(t), t)):
        body = r"\s+".join(regex.escape(part) for part in term.split())
        if _NO_SPACE_SCRIPTS.search(term):
            alternatives.append(body)
        else:
            alternatives.append(r"(?<!\w)" + body + ("" if prefix else r"(?!\w)"))
    return "(?:" + "|".join(alternatives) + ")" if alternatives else "(?!)"


class Pattern:
    """A regular expression compiled once, whose every match call carries the run's timeout.

    A hostile line then costs at most ``options.rule_timeout`` seconds: the call raises
    :class:`TimeoutError`, the engine leaves the line alone and flags the document
    ``timeout:<rule>``.

    >>> p = Pattern(r"comments?\\s*\\(\\d+\\)")
    >>> bool(p.fullmatch("Comments (12)", 0.5))
    True
    """

    def __init__(self, pattern: str, flags: int = regex.IGNORECASE | regex.UNICODE) -> None:
        self.regex = regex.compile(pattern, flags)

    def search(self, text: str, timeout: float) -> regex.Match[str] | None:
        return self.regex.search(text, timeout=timeout)

    def match(self, text: str, timeout: float) -> regex.Match[str] | None:
        return self.regex.match(text, timeout=timeout)

    def fullmatch(self, text: str, timeout: float) -> regex.Match[str] | None:
        return self.regex.fullmatch(text, timeout=timeout)

    def finditer(self, text: str, timeout: float) -> Iterator[regex.Match[str]]:
        return self.regex.finditer(text, timeout=timeout)


@dataclass(frozen=True, slots=True)
class DataRow:
    """One row of a rule's data file: an ISO 639-1 language (or ``*``), a kind, the string."""

    lang: str
    kind: str
    text: str


def load_data(module_file: str | Path, name: str) -> list[DataRow]:
    """The rows of ``data/<name>.tsv`` beside the rule module ``module_file``.

    The format is kept simple so that strings in more languages can be appended by anyone:
    ``#`` lines first (where the strings come from and their licence), then a header row naming
    the tab-separated columns, ``lang`` and ``text`` and optionally ``kind``, then one string a
    row. Blank lines and later ``#`` lines are skipped.
    """
    path = Path(module_file).parent / "data" / f"{name}.tsv"
    rows: list[DataRow] = []
    columns: list[str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if columns is None:
            columns = [c.strip() for c in cells]
            if "lang" not in columns or "text" not in columns:
                raise ValueError(
                    f"{path}: the first row after the comments must name the columns "
                    "(lang, kind, text, tab-separated)."
                )
            continue
        if len(cells) != len(columns):
            raise ValueError(
                f"{path}:{number}: expected {len(columns)} tab-separated cells "
                f"({', '.join(columns)}), found {len(cells)}."
            )
        row = dict(zip(columns, cells, strict=True))
        rows.append(DataRow(row["lang"].strip(), row.get("kind", "").strip(), row["text"].strip()))
    return rows


class Context:
    """What a rule knows about the line it is looking at and the document around it.

    ``lines`` are the live non-blank lines when the rule started; ``index`` is the current one.
    ``zone`` is ``header`` before the first content line (see :func:`is_content`), ``footer``
    after the last one, ``body`` in between (and everywhere, when no line is content).
    ``prev`` / ``next`` are the neighbouring live lines, skipping what this rule dropped already.
    ``state`` is a dict where a rule may keep notes about the document between lines.
    """

    def __init__(
        self,
        doc: Document,
        options: Options,
        lines: list[Line],
        rule: str = "",
        *,
        spans: list[tuple[int, int]] | None = None,
    ) -> None:
        self.doc = doc
        self.options = options
        self.lines = lines
        self.rule = rule
        self.index = 0
        self.alive = [True] * len(lines)
        self.state: dict[str, Any] = {}  # the rule's own notes on this document
        self._bounds: tuple[int, int] | None = None
        self._view: _View | None = None  # the engine's shared view when ``lines`` came from it
        # what earlier rules removed (merged, sorted)
        self.spans = merged_spans(doc.removed) if spans is None else spans
        self.pending: list[Removal] = []  # this rule's removals, recorded when it is done

    def cut(self, start: int, end: int) -> None:
        """Remove what earlier rules left of ``source[start:end]`` (recorded after the pass)."""
        for s, e in _uncovered(self.spans, start, end):
            self.pending.append(Removal(self.rule, s, e, self.doc.source[s:e]))

    @property
    def timeout(self) -> float:
        """Seconds a single match call may take (``options.rule_timeout``)."""
        return self.options.rule_timeout

    @property
    def position(self) -> int:
        """The current line's position among the live non-blank lines, from 0."""
        return self.index

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def zone(self) -> Zone:
        first, last = self.content_bounds()
        if self.index < first:
            return "header"
        if self.index > last:
            return "footer"
        return "body"

    def content_bounds(self) -> tuple[int, int]:
        """Indexes of the first and last content lines (computed once, when first asked)."""
        if self._bounds is None:
            if self._view is not None:
                self._bounds = self._view.content_bounds()
            else:
                self._bounds = _content_bounds(self.lines)
        return self._bounds

    def texts(self) -> list[str]:
        """The stripped texts of ``lines`` (shared by the rules while no line changes)."""
        if self._view is not None:
            return self._view.texts()
        return [line.text.strip() for line in self.lines]

    @property
    def whole(self) -> bool:
        """Whether every line of ``lines`` is whole: as in the source, no part of it removed.

        When ``True``, a rule may rely on what it learnt from the source's lines; when
        ``False``, some line (at least one) lost part of its text to an earlier rule.
        """
        if self._view is not None:
            return not self._view.cut
        return not any(len(line.text) != line.end - line.start for line in self.lines)

    @property
    def line(self) -> Line:
        return self.lines[self.index]

    @property
    def prev(self) -> str | None:
        return self.neighbour(-1)

    @property
    def next(self) -> str | None:
        return self.neighbour(1)

    def neighbour(self, step: int) -> str | None:
        """The text of the ``step``-th live line after (or, negative, before) the current one."""
        i, left = self.index, abs(step)
        direction = 1 if step > 0 else -1
        while left:
            i += direction
            if not 0 <= i < len(self.lines):
                return None
            if self.alive[i]:
                left -= 1
        return self.lines[i].text.strip()

    def meta(self, key: str) -> str | None:
        """A metadata value of the document: ``url``, ``title``, ``site``... or a ``meta`` key."""
        if key in METADATA_KEYS:
            value: str | None = getattr(self.doc, key)
            return value
        return self.doc.meta.get(key)

    def set_meta(self, key: str, value: str) -> bool:
        """Set a metadata value unless the document has one: input metadata takes precedence.

        Returns whether the value was set.
        """
        value = value.strip()
        if not value or self.meta(key):
            return False
        if key in METADATA_KEYS:
            setattr(self.doc, key, value)
        else:
            self.doc.meta[key] = value
        return True

    def flag(self, flag: str) -> None:
        if flag not in self.doc.flags:
            self.doc.flags.append(flag)


class Rule:
    """Base of every rule; subclass one of :class:`LineRule`, :class:`SpanRule`,
    :class:`BlockRule` or :class:`DocumentRule`.

    ``priority`` orders rules (lower first, then by name): header rules that fill metadata use
    10-20, most families 50, footer rules 60-70.
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    tags: ClassVar[tuple[str, ...]] = ()
    languages: ClassVar[tuple[str, ...]] = ("*",)
    examples: ClassVar[Sequence[tuple[str, str]]] = ()
    priority: ClassVar[int] = 50

    def _apply(self, doc: Document, ctx: Context) -> None:
        raise NotImplementedError(
            f"rule {self.name!r} must subclass LineRule, SpanRule, BlockRule or DocumentRule."
        )

    def skips(self, doc: Document, whole: bool) -> bool:
        """Whether the rule surely leaves ``doc`` as it is: the engine then does not run it.

        An optional pre-check, asked before the rule's :class:`Context` is built, that must be
        much cheaper than the pass it saves and never wrong when it says ``True``. ``whole``
        says that no live line has lost part of its text (see :attr:`Context.whole`). The
        default is ``False``: the rule always runs.
        """
        return False

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0].strip() if doc else ""

    def __repr__(self) -> str:
        return f"<rule {self.name} {self.version}>"


class LineRule(Rule):
    """A rule that drops whole lines: write ``drop(line, ctx) -> bool``."""

    def drop(self, line: str, ctx: Context) -> bool:
        raise NotImplementedError

    def _apply(self, doc: Document, ctx: Context) -> None:
        drop, alive = self.drop, ctx.alive
        for i, (line, text) in enumerate(zip(ctx.lines, ctx.texts(), strict=True)):
            ctx.index = i
            try:
                hit = drop(text, ctx)
            except TimeoutError:
                ctx.flag(f"timeout:{self.name}")
                continue
            if hit:
                _drop_line(ctx, line)
                alive[i] = False


class SpanRule(Rule):
    """A rule that cuts spans out of lines: write ``spans(line, ctx) -> [(start, end), ...]``.

    Offsets are into the line's current text (not stripped). A line left with nothing but
    white space is removed whole, newline included.
    """

    def spans(self, line: str, ctx: Context) -> list[tuple[int, int]]:
        raise NotImplementedError

    def _apply(self, doc: Document, ctx: Context) -> None:
        for i, line in enumerate(ctx.lines):
            ctx.index = i
            try:
                spans = self.spans(line.text, ctx)
            except TimeoutError:
                ctx.flag(f"timeout:{self.name}")
                continue
            if not spans:
                continue
            left = _cut_spans(line.text, spans)
            if not left.strip():
                _drop_line(ctx, line)
                ctx.alive[i] = False
                continue
            offsets = _source_offsets(doc, line)
            for start, end in sorted(spans):
                if 0 <= start < end <= len(line.text):
                    for s, e in _runs(offsets[start:end]):
                        ctx.cut(s, e)


class BlockRule(Rule):
    """A rule that cuts a trailing block: write ``cut(lines, ctx) -> int | None``.

    ``lines`` are the texts of the live non-blank lines; the returned index is the first line of
    the block, which runs to the end of the document.
    """

    def cut(self, lines: list[str], ctx: Context) -> int | None:
        raise NotImplementedError

    def _apply(self, doc: Document, ctx: Context) -> None:
        try:
            first = self.cut(list(ctx.texts()), ctx)
        except TimeoutError:
            ctx.flag(f"timeout:{self.name}")
            return
        if first is not None and 0 <= first < len(ctx.lines):
            remove_range(doc, self.name, ctx.lines[first].start, len(doc.source))


class DocumentRule(Rule):
    """A rule over the whole document: write ``apply(doc, ctx)``.

    It returns the removals to record (or records them itself with :func:`remove_range` and
    returns ``None``).
    """

    def apply(self, doc: Document, ctx: Context) -> list[Removal] | None:
        raise NotImplementedError

    def _apply(self, doc: Document, ctx: Context) -> None:
        try:
            removals = self.apply(doc, ctx)
        except TimeoutError:
            ctx.flag(f"timeout:{self.name}")
            return
        for removal in removals or ():
            doc.remove(removal)


# -- the engine ------------------------------------------------------------------------------


def apply_rule(rule: Rule, doc: Document, options: Options | None = None) -> Document:
    """Apply one rule to the document as it stands (no tidying); returns the document."""
    options = options or Options()
    view = _live_view(doc)
    if rule.skips(doc, not view.cut):
        return doc
    ctx = Context(doc, options, list(view.lines), rule.name, spans=view.spans)
    ctx._view = view
    rule._apply(doc, ctx)
    _record(doc, ctx.pending)
    return doc


def apply_rules(doc: Document, rules: Sequence[Rule], options: Options | None = None) -> Document:
    """Apply ``rules`` in order, tidy blank lines, and flag ``collateral`` when too much went.

    A rule that raises is logged, flagged ``rule_error:<name>`` and skipped for this document:
    one broken rule must not lose a document. When the rules removed more than
    ``options.collateral_budget`` of the words, the result is kept and flagged ``collateral``.
    """
    options = options or Options()
    before = len(doc.removed)
    for rule in rules:
        try:
            apply_rule(rule, doc, options)
        except Exception:
            log.exception("rule %s failed on document %s; it was skipped", rule.name, doc.id)
            if f"rule_error:{rule.name}" not in doc.flags:
                doc.flags.append(f"rule_error:{rule.name}")
    doc.scratch.pop(_LINES, None)
    if len(doc.removed) > before:
        tidy(doc)
        if "collateral" not in doc.flags and _over_budget(doc, options.collateral_budget):
            doc.flags.append("collateral")
    return doc


def _over_budget(doc: Document, budget: float) -> bool:
    """Whether the removals took more than ``budget`` of the words of ``doc.source``.

    Deleting characters never splits a word, and each removal joins at most two words into
    one, so the words in the removed texts plus one per removal bound the words lost. When that
    bound is within budget of a lower bound of the source's words (its first words, counted
    only as far as needed), the source need not be split whole nor the cleaned text built.
    """
    most = sum(len(r.text.split()) + 1 for r in doc.removed)
    if budget > 0 and most / budget < len(doc.source):
        enough = doc.source.split(None, int(most / budget) + 1)
        if enough and most / len(enough) <= budget:
            return False  # len(enough) is at most the source's words
    words = len(doc.source.split())
    if not words:
        return False
    return (words - len(doc.text.split())) / words > budget


def remove_range(doc: Document, rule: str, start: int, end: int) -> int:
    """Remove what is still present of ``doc.source[start:end]``; returns the characters removed.

    Parts already removed by an earlier rule are skipped, so that removals never overlap.
    """
    removed = 0
    for s, e in _gaps(doc, start, end):
        doc.remove(Removal(rule, s, e, doc.source[s:e]))
        removed += e - s
    return removed


_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){2,}")  # three newlines or more, blank lines between


def tidy(doc: Document) -> None:
    """Absorb the blank lines that removals left orphaned into the adjacent removal.

    After it the cleaned text has no leading blank lines, no two blank lines in a row next to a
    removal, and ends with a newline only if the source did. White space that no removal
    touches is left alone (repair owns white space).

    >>> doc = Document(id="d", source="Title\\n\\nAd\\n\\nBody.\\n\\nAd\\n")
    >>> remove_range(doc, "ads", 7, 10) + remove_range(doc, "ads", 18, 21)
    6
    >>> tidy(doc); doc.text
    'Title\\n\\nBody.\\n'
    """
    segments = _kept_segments(doc)
    text = "".join(doc.source[s:e] for s, e, _ in segments)
    clean_starts = [c for _, _, c in segments]
    doomed: list[tuple[int, int]] = []  # ranges of the cleaned text to absorb
    # the leading blank lines: up to the last newline before the first other character
    lead = text.rfind("\n", 0, len(text) - len(text.lstrip(" \t\n"))) + 1
    if lead:
        doomed.append((0, lead))
    for run in _BLANK_RUN.finditer(text):
        second = text.index("\n", text.index("\n", run.start()) + 1)
        doomed.append((second + 1, run.end()))
    # the trailing blank lines: from the first newline after the last other character
    tail = text.find("\n", len(text.rstrip(" \t\n")))
    if tail >= 0 and tail > (lead if lead else -1):
        keep = 1 if doc.source.endswith("\n") else 0
        doomed.append((tail + keep, len(text)))
    merged: list[tuple[int, int]] = []
    for c_start, c_end in sorted(doomed):
        if merged and c_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], c_end))
        elif c_start < c_end:
            merged.append((c_start, c_end))
    by_end = {r.end: r for r in doc.removed}
    by_start = {r.start: r for r in doc.removed}
    for c_start, c_end in merged:
        for s, e in _to_source(segments, clean_starts, c_start, c_end):
            r = by_end.get(s) or by_start.get(e)
            if r is None:
                continue  # white space that no removal touches stays
            r.start, r.end = min(r.start, s), max(r.end, e)
            r.text = doc.source[r.start : r.end]
            by_end[r.end], by_start[r.start] = r, r


_LINES = "rule.lines"  # the document's live-line views while the rules run


def live_lines(doc: Document) -> list[Line]:
    """The live non-blank lines of ``doc`` as they stand (what a rule's ``ctx.lines`` holds).

    The same lines as ``doc.lines()`` without the blank ones, computed faster: while the rules
    run, the split of the frozen source and the last view are kept, a view is reused as long as
    no removal was added since, and only the lines that new removals touch are rebuilt.

    >>> doc = Document(id="d", source="Title\\n\\nAd here\\nBody.\\n")
    >>> [line.text for line in live_lines(doc)]
    ['Title', 'Ad here', 'Body.']
    >>> remove_range(doc, "ads", 7, 10) + remove_range(doc, "ads", 15, 21)
    9
    >>> [line.text for line in live_lines(doc)]
    ['Title', 'here']
    """
    return list(_live_view(doc).lines)


class _View:
    """The live non-blank lines of a document for one state of its removals.

    Immutable once built, so that a rule's :class:`Context` keeps the view it started with
    even when the rule itself adds removals; the stripped texts and content bounds the rules
    ask for are computed at most once per view.
    """

    __slots__ = ("_bounds", "_texts", "cut", "keys", "lines", "spans")

    def __init__(
        self,
        keys: list[tuple[int, int]],
        spans: list[tuple[int, int]],
        lines: list[Line],
        cut: bool = False,
    ) -> None:
        self.keys = keys  # (start, end) of doc.removed, in list order, when the view was built
        self.spans = spans  # the merged, sorted removed spans
        self.lines = lines
        self.cut = cut  # whether a line may have lost part of its text (False: none did)
        self._texts: list[str] | None = None
        self._bounds: tuple[int, int] | None = None

    def texts(self) -> list[str]:
        if self._texts is None:
            self._texts = [line.text.strip() for line in self.lines]
        return self._texts

    def content_bounds(self) -> tuple[int, int]:
        if self._bounds is None:
            self._bounds = _content_bounds(self.lines)
        return self._bounds


def _live_view(doc: Document) -> _View:
    """The current :class:`_View` of ``doc``: the cached one, updated or rebuilt as needed."""
    cached = doc.scratch.get(_LINES)
    if cached is None or cached[0] is not doc.source:
        base = _source_lines(doc.source)
        cached = doc.scratch[_LINES] = [doc.source, base, _View([], [], base)]
    source, base, view = cached
    if not doc.removed and not view.keys:
        return view
    keys = [(r.start, r.end) for r in doc.removed]
    old = view.keys
    if keys == old:
        return view
    spans = merge_ranges(sorted(keys))
    if len(keys) > len(old) and keys[: len(old)] == old:
        lines, cut = _update(source, view.lines, spans, sorted(keys[len(old) :]))
        cut = cut or view.cut
    else:  # removals were taken back or changed: start from the source's lines
        lines, cut = _update(source, base, spans, spans)
    view = cached[2] = _View(keys, spans, lines, cut)
    return view


_NEW_LINE = object.__new__
_SET_INDEX, _SET_START, _SET_END, _SET_TEXT = (
    getattr(Line, name).__set__ for name in ("index", "start", "end", "text")
)


def _source_lines(source: str) -> list[Line]:
    """The non-blank lines of ``source``, as ``Line(index, start, end, text)``.

    The lines are filled slot by slot: a third faster than the frozen dataclass's ``__init__``,
    which goes through ``object.__setattr__`` for each field.
    """
    base, pos = [], 0
    for index, raw in enumerate(source.split("\n")):
        if raw.strip():
            line = _NEW_LINE(Line)
            _SET_INDEX(line, index)
            _SET_START(line, pos)
            _SET_END(line, pos + len(raw))
            _SET_TEXT(line, raw)
            base.append(line)
        pos += len(raw) + 1
    return base


def _update(
    source: str, lines: list[Line], spans: list[tuple[int, int]], new: list[tuple[int, int]]
) -> tuple[list[Line], bool]:
    """``lines`` with the ones that the sorted ranges ``new`` overlap cut by ``spans`` again,
    and whether one of those kept part of its text only.

    A line no new range overlaps keeps its text (and its object); a cut line left with only
    white space goes.
    """
    out: list[Line] = []
    cut = False
    done = 0  # lines[:done] are settled
    for s, e in new:
        i = bisect.bisect_right(lines, s, lo=done, key=_END)  # the first line ending after s
        out.extend(lines[done:i])
        while i < len(lines) and lines[i].start < e:
            line = lines[i]
            text = _cut_line(source, line, spans)
            if text.strip():
                if text != line.text:
                    line, cut = Line(line.index, line.start, line.end, text), True
                out.append(line)
            i += 1
        done = max(done, i)
    out.extend(lines[done:])
    return out, cut


_END = operator.attrgetter("end")


def _cut_line(source: str, line: Line, spans: list[tuple[int, int]]) -> str:
    """The text of ``source[line.start:line.end]`` outside the merged, sorted ``spans``."""
    j = bisect.bisect_right(spans, (line.start, line.start))
    if j and spans[j - 1][1] > line.start:
        j -= 1
    pieces, pos = [], line.start
    while j < len(spans) and spans[j][0] < line.end:
        pieces.append(source[pos : max(pos, spans[j][0])])
        pos = max(pos, spans[j][1])
        j += 1
    pieces.append(source[pos : line.end] if pos < line.end else "")
    return "".join(pieces)


def _content_bounds(lines: list[Line]) -> tuple[int, int]:
    """Indexes of the first and last content lines of ``lines`` (see :func:`is_content`).

    Searched from each end, so that the lines between are never tested.
    """
    first = next((i for i, line in enumerate(lines) if is_content(line.text)), None)
    if first is None:
        return 0, len(lines) - 1
    return first, next(i for i in range(len(lines) - 1, first - 1, -1) if is_content(lines[i].text))


def _drop_line(ctx: Context, line: Line) -> None:
    ctx.cut(line.start, line.end + 1 if line.end < len(ctx.doc.source) else line.end)


def _record(doc: Document, new: list[Removal]) -> None:
    """``doc.remove`` for a whole pass at once: the same checks, in O(n log n) instead of O(n²)."""
    if not new:
        return
    for r in new:
        if not (0 <= r.start < r.end <= len(doc.source)) or doc.source[r.start : r.end] != r.text:
            raise ValueError(f"removal {r.rule!r} [{r.start}, {r.end}) does not fit the document")
    spans = sorted([*doc.removed, *new], key=lambda r: r.start)
    for a, b in itertools.pairwise(spans):
        if a.end > b.start:
            raise ValueError(
                f"removal {b.rule!r} [{b.start}, {b.end}) overlaps {a.rule!r} [{a.start}, {a.end})"
            )
    doc.removed.extend(new)


def _gaps(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` that no removal covers."""
    return _uncovered(merged_spans(doc.removed), start, end)


def _uncovered(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` outside the merged, sorted ``spans``."""
    out = []
    pos = start
    for s, e in spans[max(bisect.bisect_right(spans, (start, start)) - 1, 0) :]:
        if e <= pos:
            continue
        if s >= end:
            break
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        out.append((pos, end))
    return out


def _kept_segments(doc: Document) -> list[tuple[int, int, int]]:
    """``(source start, source end, cleaned start)`` of each kept stretch of the source."""
    segments = []
    clean = 0
    for s, e in _gaps(doc, 0, len(doc.source)):
        segments.append((s, e, clean))
        clean += e - s
    return segments


def _to_source(
    segments: list[tuple[int, int, int]], clean_starts: list[int], c_start: int, c_end: int
) -> list[tuple[int, int]]:
    """The source ranges behind the cleaned-text range ``[c_start, c_end)``."""
    out = []
    i = max(bisect.bisect_right(clean_starts, c_start) - 1, 0)
    while i < len(segments) and c_start < c_end:
        s, e, c = segments[i]
        lo, hi = max(c_start, c), min(c_end, c + e - s)
        if lo < hi:
            out.append((s + lo - c, s + hi - c))
        i += 1
    return out


def _source_offsets(doc: Document, line: Line) -> list[int]:
    """The source offset of each character of ``line.text``."""
    if line.end - line.start == len(line.text):
        return list(range(line.start, line.end))
    return [i for s, e in _gaps(doc, line.start, line.end) for i in range(s, e)]


def _runs(offsets: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs of increasing offsets, as ``(start, end)`` ranges."""
    runs: list[tuple[int, int]] = []
    for i in offsets:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    keep = [True] * len(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(text))):
            keep[i] = False
    return "".join(ch for ch, k in zip(text, keep, strict=True) if k)
