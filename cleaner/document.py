"""The document model: one input document, the text the rules see, and every change made to it.

A :class:`Document` carries its ``source`` text (after reading, extraction and repair, this is the
*repaired text* that rules receive) and a list of :class:`Removal` spans into it. Nothing ever edits
``source`` after repair: rules and dedup only add removals, and the cleaned ``text`` is ``source``
with every removed span deleted. That is what makes every change explainable, and what lets
:func:`rebuild` give the repaired text back from the output alone.

Offsets are Python code points, end-exclusive, into ``source``. A removed line includes its newline.

>>> doc = Document(id="demo/a.txt", source="Title\\n\\nBody text.\\nComments (0)\\n")
>>> [p.text for p in doc.paragraphs()]
['Title', 'Body text.', 'Comments (0)']
>>> doc.remove(Removal("comments", 18, 31, "Comments (0)\\n"))
>>> doc.text
'Title\\n\\nBody text.\\n'
>>> rebuild(doc.text, doc.removed) == doc.source
True
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

ParagraphMode = Literal["lines", "blocks"]


@dataclass(slots=True)
class Removal:
    """One span of the repaired text that a rule or a dedup stage took out.

    ``rule`` is the rule's name (the same string as its module, config key and stat label);
    ``dup_of`` and ``similarity`` are set by the dedup stages only: ``dup_of`` names the kept copy
    as ``<document id>#<paragraph index>``.
    """

    rule: str
    start: int
    end: int
    text: str
    dup_of: str | None = None
    similarity: float | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # A slots dataclass pickles through generated __getstate__/__setstate__ that call
        # dataclasses.fields() on every object: this is several times cheaper.
        return (type(self), self.astuple())

    def astuple(self) -> tuple[str, int, int, str, str | None, float | None]:
        """The fields in order: ``Removal(*r.astuple()) == r``."""
        return (self.rule, self.start, self.end, self.text, self.dup_of, self.similarity)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "dup_of": self.dup_of,
            "similarity": self.similarity,
        }


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the repaired text as it stands now (removed spans inside it already taken out).

    ``index`` counts lines of ``source`` from 0; ``start``/``end`` bound the line in ``source``
    without its newline; ``text`` is what is left of it.
    """

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: a non-empty line (or, in ``blocks`` mode, a blank-line-separated block).

    ``index`` counts the paragraphs of the repaired text from 0, whether removed since or not, so
    that ``<document id>#<index>`` names the same paragraph in every run.
    """

    index: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """One input document on its way through the pipeline, and one row of the output.

    ``source`` holds the text the current stage works on: the decoded input after reading (HTML
    markup for HTML inputs, see ``kind``), the main text after extraction, the repaired text after
    repair. From then on it is frozen and changes are only recorded in ``removed``.
    ``scratch`` is private per-stage state (e.g. dedup signatures); it is never written out.
    """

    id: str
    source: str = ""
    kind: Literal["text", "html"] = "text"
    path: str | None = None
    url: str | None = None
    title: str | None = None
    site: str | None = None
    date: str | None = None
    author: str | None = None
    lang: str | None = None
    lang_score: float | None = None
    original_chars: int = 0
    removed: list[Removal] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    quality: dict[str, Any] | None = None
    dropped: bool = False
    drop_reason: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    scratch: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as one dict of the fields, removals as plain tuples.

        The pipeline sends every document to a worker process and back twice; this makes that
        about twice as cheap as pickling the dataclass and each :class:`Removal` object by object.
        """
        state = self.__dict__.copy()
        state["removed"] = [r.astuple() for r in self.removed]
        return (_restore, (type(self), state))

    # -- the cleaned text -------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The repaired text with every removed span deleted: the output's ``text`` column."""
        removed = self.removed
        if not removed:
            return self.source
        return cut_out(self.source, sorted(removed, key=_START) if len(removed) > 1 else removed)

    def remove(self, removal: Removal) -> None:
        """Record a removal; it must lie inside ``source`` and not overlap an earlier one."""
        if not (0 <= removal.start < removal.end <= len(self.source)):
            raise ValueError(
                f"removal {removal.rule!r} [{removal.start}, {removal.end}) lies outside the "
                f"document ({len(self.source)} characters)"
            )
        if self.source[removal.start : removal.end] != removal.text:
            raise ValueError(
                f"removal {removal.rule!r} [{removal.start}, {removal.end}) records text "
                f"{removal.text!r}, but the document has "
                f"{self.source[removal.start : removal.end]!r} there"
            )
        for r in self.removed:
            if removal.start < r.end and r.start < removal.end:
                raise ValueError(
                    f"removal {removal.rule!r} [{removal.start}, {removal.end}) overlaps "
                    f"{r.rule!r} [{r.start}, {r.end})"
                )
        self.removed.append(removal)

    # -- views for rules and dedup ----------------------------------------------------------
    def lines(self, *, alive: bool = True) -> list[Line]:
        """The lines of ``source`` as they stand now.

        With ``alive`` (the default), lines removed whole are left out; a line whose newline alone
        was removed still counts. Every returned line has the removed spans inside it taken out.
        """
        spans = merged_spans(self.removed)
        out = []
        pos = 0
        for index, raw in enumerate(self.source.split("\n")):
            start, end = pos, pos + len(raw)
            pos = end + 1
            text = cut_spans(self.source, start, end, spans)
            if alive and raw and not text and _covered(start, end, spans):
                continue
            out.append(Line(index, start, end, text))
        return out

    def paragraphs(self, mode: ParagraphMode = "lines", *, alive: bool = True) -> list[Paragraph]:
        """The paragraphs of ``source`` (see :class:`Paragraph`), those still present by default.

        A paragraph is alive while any of its text is left; its ``text`` is what is left,
        stripped of surrounding white space.
        """
        spans = merged_spans(self.removed)
        out = []
        for index, (start, end) in enumerate(paragraph_bounds(self.source, mode)):
            text = cut_spans(self.source, start, end, spans).strip()
            if alive and not text:
                continue
            out.append(Paragraph(index, start, end, text))
        return out

    def row(self) -> dict[str, Any]:
        """This document as one output row (see :mod:`cleaner.schema`)."""
        return {
            "id": self.id,
            "path": self.path,
            "url": self.url,
            "title": self.title,
            "site": self.site,
            "date": self.date,
            "author": self.author,
            "lang": self.lang,
            "lang_score": self.lang_score,
            "text": None if self.error else self.text,
            "original_chars": self.original_chars,
            "removed": [r.as_dict() for r in sorted(self.removed, key=_START)],
            "fixes": list(self.fixes),
            "flags": list(self.flags),
            "quality": self.quality,
            "dropped": self.dropped,
            "drop_reason": self.drop_reason,
            "meta": dict(self.meta),
            "error": self.error,
        }


def _restore(cls: type[Document], state: dict[str, Any]) -> Document:
    """The document that :meth:`Document.__reduce__` pickled."""
    doc = cls.__new__(cls)
    state["removed"] = [Removal(*r) for r in state["removed"]]
    doc.__dict__.update(state)
    return doc


def paragraph_bounds(text: str, mode: ParagraphMode = "lines") -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of ``text``, newline excluded.

    >>> paragraph_bounds("a\\n\\nb\\nc")
    [(0, 1), (3, 4), (5, 6)]
    >>> paragraph_bounds("a\\nb\\n\\n\\nc", "blocks")
    [(0, 3), (6, 7)]
    """
    bounds = []
    pos = 0
    block_start: int | None = None
    block_end = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        blank = not raw.strip()
        if mode == "lines":
            if not blank:
                bounds.append((start, end))
        elif blank:
            if block_start is not None:
                bounds.append((block_start, block_end))
                block_start = None
        else:
            if block_start is None:
                block_start = start
            block_end = end
    if mode == "blocks" and block_start is not None:
        bounds.append((block_start, block_end))
    return bounds


def rebuild(text: str, removed: Iterable[Removal] | Iterable[dict[str, Any]]) -> str:
    """Give back the repaired text from an output row's ``text`` and ``removed``.

    Removals are re-inserted in order of ``start``; this is the inverse of :attr:`Document.text`.

    >>> rebuild("keep\\n", [Removal("x", 0, 5, "drop\\n")])
    'drop\\nkeep\\n'
    """
    items = sorted(
        ((r["start"], r["text"]) if isinstance(r, dict) else (r.start, r.text) for r in removed),
        key=lambda item: item[0],
    )
    out: list[str] = []
    pos_out = 0  # position in the rebuilt text
    pos_in = 0  # position in `text`
    for start, piece in items:
        take = start - pos_out
        out.append(text[pos_in : pos_in + take])
        pos_in += take
        out.append(piece)
        pos_out = start + len(piece)
    out.append(text[pos_in:])
    return "".join(out)


def cut_out(source: str, removed: Iterable[Removal]) -> str:
    """``source`` without the spans of ``removed``, which must come in order of ``start``.

    >>> cut_out("a-b-c", [Removal("x", 1, 2, "-"), Removal("x", 3, 4, "-")])
    'abc'
    """
    parts = []
    pos = 0
    for r in removed:
        parts.append(source[pos : r.start])
        if r.end > pos:
            pos = r.end
    parts.append(source[pos:])
    return "".join(parts)


_START = attrgetter("start")


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ``(start, end)`` ranges with the overlapping and touching ones joined.

    >>> merge_ranges([(0, 2), (2, 4), (6, 9), (7, 8)])
    [(0, 4), (6, 9)]
    """
    spans: list[tuple[int, int]] = []
    for start, end in ranges:
        if spans and start <= spans[-1][1]:
            if end > spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def merged_spans(removed: Iterable[Removal]) -> list[tuple[int, int]]:
    """The spans of ``removed``, sorted, the overlapping and touching ones joined."""
    return merge_ranges(sorted((r.start, r.end) for r in removed))


def cut_spans(source: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``source[start:end]`` with the (merged, sorted) spans taken out.

    >>> cut_spans("abcdefgh", 1, 7, [(0, 2), (4, 5), (6, 9)])
    'cdf'
    """
    if not spans:
        return source[start:end]
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    i = max(i, 0)
    pieces = []
    pos = start
    for s, e in _iter_from(spans, i):
        if s >= end:
            break
        if e <= pos:
            continue
        if s > pos:
            pieces.append(source[pos:s])
        pos = max(pos, e)
    if pos < end:
        pieces.append(source[pos:end])
    return "".join(pieces)


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and spans[i][1] >= end


def _iter_from(spans: list[tuple[int, int]], i: int) -> Iterator[tuple[int, int]]:
    for j in range(i, len(spans)):
        yield spans[j]
