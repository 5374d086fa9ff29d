"""feed_header: the field lines of a feed reader's or aggregator's header."""

from __future__ import annotations

import regex

from cleaner.document import Document
from cleaner.rule import TERMINAL, Context, Pattern, SpanRule, load_data, terms_pattern, word_count
from cleaner_rules._catalog import MAY_TIMEOUT, catalog_languages, info, line_match, supported, zone
from cleaner_rules._prefilter import footer_after

_ROWS = load_data(__file__, "feed_header")
KINDS = {r.text.casefold(): r.kind for r in _ROWS}
FIELD = Pattern(rf"\s*(?P<label>{terms_pattern(KINDS)})\s*:\s*(?P<value>.*)")
URL = Pattern(r"(?:https?://|www\.)\S+")
BODY_WORDS = 8  # the body starts at the first two consecutive unlabelled lines this long


class FeedHeader(SpanRule):
    """Drop or strip the fields of a feed reader's header, and put their values in metadata.

    In the header (the lines before the body: before the first two consecutive unlabelled lines
    of 8+ words; never the footer), a line that is only a field label (``Summary:``,
    ``Original Link:``, ``Generated Article:``) goes, with a following short anchor (``Link``) or
    URL that is the label's value. Labelled values count only when the header has two or more
    fields: ``Source URL:`` and ``Source:`` lines go and fill ``url`` and ``site``; ``Title:``
    fills ``title``; prose values keep their text without the label (``Summary: The text
    discusses...``, ``Feedly Summary: ...``), values that are not prose go (``AI Summary and
    Description: Yes``). A lone ``Summary: ...`` sentence in an ordinary article stays.
    """

    name = "feed_header"
    version = "1"
    tags = ("feed_header", "metadata")
    languages = tuple(sorted({*catalog_languages("feed_header"), "en", "fr", "it"}))
    priority = 10
    examples = (
        (
            "Source URL: https://a.example/1\nSource: A News\nTitle: Chips rise\nThe text.\n",
            "Chips rise\nThe text.\n",
        ),
        (
            "Summary: the chip ships in May, the company said.\n",
            "Summary: the chip ships in May, the company said.\n",
        ),
        (
            "Zusammenfassung:\n"
            "Quell-URL: https://a.example/1\n"
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "Resumen:\n"
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n",
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n",
        ),
        (
            "Zusammenfassung: Der Chip kommt im Mai, teilte das Unternehmen mit.\n"
            "Resumen de la sesión de ayer en el parlamento europeo.\n",
            "Zusammenfassung: Der Chip kommt im Mai, teilte das Unternehmen mit.\n"
            "Resumen de la sesión de ayer en el parlamento europeo.\n",
        ),
    )

    def skips(self, doc: Document, whole: bool) -> bool:
        """Whether no line of the (whole) document is a field line or a ``feed_header``
        catalog string: the rule then cuts nothing and fills no metadata."""
        if not whole:
            return False
        shared = info(doc)
        if "feed_header" in shared.lines_of:
            return False
        try:
            return not any(
                ":" in text[:60] and _field_match(text, MAY_TIMEOUT) for text in shared.texts
            )
        except TimeoutError:
            return False  # the rule runs, and flags the line that times out

    def spans(self, line: str, ctx: Context) -> list[tuple[int, int]]:
        head = ctx.state.get("head")
        if head is None:
            head = ctx.state["head"] = self._header(ctx)
        end, fields, found = head
        if ctx.index >= end or ctx.index > footer_after(ctx):
            return []
        spans = self._fields(line, ctx, fields, found)
        if spans or "feed_header" not in line_match(line.strip(), ctx):
            return spans
        return [(0, len(line))] if zone(ctx) == "header" or supported(ctx, "feed_header") else []

    def _fields(
        self, line: str, ctx: Context, fields: int, found: list[regex.Match[str] | None]
    ) -> list[tuple[int, int]]:
        """The spans the header's field logic cuts (labels, url and site lines)."""
        whole = [(0, len(line))]
        field = found[ctx.index]
        if field is None:
            return whole if ctx.index and self._anchor(line, ctx, found[ctx.index - 1]) else []
        kind, value = KINDS[field["label"].casefold()], field["value"].strip()
        if not value:
            return whole
        if fields < 2:
            return []
        if kind == "url" and URL.fullmatch(value, ctx.timeout):
            ctx.set_meta("url", value)
        elif kind == "site":
            ctx.set_meta("site", value)
        if kind in ("url", "site") or (kind == "strip" and word_count(value) < 3):
            return whole
        if kind == "title":
            ctx.set_meta("title", value)
        return [(0, field.start("value"))]

    def _header(self, ctx: Context) -> tuple[int, int, list[regex.Match[str] | None]]:
        """Where the body starts, how many field lines come before it, and the field match of
        each line up to the body (asked once per line: the header's lines ask again about
        themselves and the line before them)."""
        fields, prose, end = 0, False, len(ctx.lines)
        found: list[regex.Match[str] | None] = []
        for i, line in enumerate(ctx.lines):
            field = _field(line.text, ctx)
            found.append(field)
            if field is not None:
                fields, prose = fields + 1, False
                continue
            long = _long(line.text)
            if prose and long:
                end = i - 1
                break
            prose = long
        return end, fields, found

    def _anchor(self, line: str, ctx: Context, before: regex.Match[str] | None) -> bool:
        """Whether ``line`` is the value of an empty url field on the line before it (whose
        field match is ``before``)."""
        field = before
        if field is None or field["value"].strip() or KINDS[field["label"].casefold()] != "url":
            return False
        line = line.strip()
        if URL.fullmatch(line, ctx.timeout):
            ctx.set_meta("url", line)
            return True
        return word_count(line) <= 3 and line[-1] not in TERMINAL


def _long(text: str) -> bool:
    """``word_count(text) >= BODY_WORDS``, splitting no further than needed.

    >>> _long("The chip ships in May, the company said."), _long("Source: Reuters")
    (True, False)
    """
    if len(text.split(None, BODY_WORDS - 1)) >= BODY_WORDS:
        return True
    return not text.isascii() and word_count(text) >= BODY_WORDS  # scripts without spaces


def _field(line: str, ctx: Context) -> regex.Match[str] | None:
    return _field_match(line, ctx.timeout)


def _field_match(line: str, timeout: float) -> regex.Match[str] | None:
    """The field match of a line (``None``: no field), kept across documents: header lines
    repeat from page to page of a feed (a line that times out is asked again)."""
    if ":" not in line[:60]:
        return None
    try:
        return _FIELDS[line]
    except KeyError:
        pass
    found = FIELD.match(line, timeout)
    if len(_FIELDS) >= _FIELDS_SIZE:
        _FIELDS.clear()
    _FIELDS[line] = found
    return found


_FIELDS: dict[str, regex.Match[str] | None] = {}
_FIELDS_SIZE = 50_000
