"""The rule engine: bases, context, tidying, timeouts, metadata, and the rebuild property."""

from __future__ import annotations

import itertools
from typing import ClassVar

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from cleaner.config import Options
from cleaner.document import Document, Line, rebuild
from cleaner.registry import RuleSet
from cleaner.rule import (
    TERMINAL,
    BlockRule,
    Context,
    DocumentRule,
    LineRule,
    Pattern,
    SpanRule,
    apply_rules,
    fold,
    is_content,
    load_data,
    terms_pattern,
    word_count,
)


class Drop(LineRule):
    """Drop lines that are exactly DROP; everything else stays."""

    name = "drop"
    tags = ("test",)
    examples = (("a\nDROP\n", "a\n"),)

    def drop(self, line: str, ctx: Context) -> bool:
        return line == "DROP"


class Label(SpanRule):
    """Strip a leading ``Label:``; the rest of the line stays."""

    name = "label"
    tags = ("test",)
    examples = (("Label: x\n", "x\n"),)

    def spans(self, line: str, ctx: Context) -> list[tuple[int, int]]:
        return [(0, 7)] if line.startswith("Label: ") else []


class Tail(BlockRule):
    """Cut everything from a line reading TAIL; what precedes it stays."""

    name = "tail"
    tags = ("test",)
    examples = (("a\nTAIL\nb\n", "a\n"),)

    def cut(self, lines: list[str], ctx: Context) -> int | None:
        return lines.index("TAIL") if "TAIL" in lines else None


def clean(source: str, *rules: object, **options: object) -> Document:
    doc = Document(id="t", source=source)
    return apply_rules(doc, list(rules), Options(**options))  # type: ignore[arg-type]


def test_line_rule_drops_lines_and_tidies_blank_lines() -> None:
    doc = clean("DROP\n\na\n\nDROP\n\nb\n\nDROP", Drop())
    assert doc.text == "a\n\nb"
    assert {r.rule for r in doc.removed} == {"drop"}
    assert rebuild(doc.text, doc.removed) == doc.source


def test_trailing_newline_is_kept_only_when_the_source_had_one() -> None:
    assert clean("a\n\nDROP\n", Drop()).text == "a\n"
    assert clean("a\n\nDROP", Drop()).text == "a"


def test_blank_runs_that_no_removal_touches_are_left_alone() -> None:
    assert clean("a\n\n\nb\n", Drop()).text == "a\n\n\nb\n"


def test_span_rule_strips_a_label_and_drops_a_line_left_empty() -> None:
    doc = clean("Label: x\nLabel: \nb\n", Label())
    assert doc.text == "x\nb\n"


def test_span_rule_offsets_follow_earlier_removals_inside_the_line() -> None:
    class Inner(SpanRule):
        """Strip ``[ad]`` wherever it is; the rest stays."""

        name = "inner"
        tags = ("test",)
        examples = (("a[ad]b\n", "ab\n"),)

        def spans(self, line: str, ctx: Context) -> list[tuple[int, int]]:
            i = line.find("[ad]")
            return [(i, i + 4)] if i >= 0 else []

    doc = clean("Label: one[ad] two\n", Inner(), Label())
    assert doc.text == "one two\n"
    assert rebuild(doc.text, doc.removed) == doc.source


def test_block_rule_cuts_to_the_end() -> None:
    doc = clean("a\n\nTAIL\nDROP\nb\n", Drop(), Tail())
    assert doc.text == "a\n"
    assert [r.rule for r in sorted(doc.removed, key=lambda r: r.start)] == ["tail", "drop", "tail"]


def test_later_rules_see_what_earlier_rules_left() -> None:
    seen: list[str | None] = []

    class Look(LineRule):
        """Record the previous live line; drops nothing."""

        name = "look"
        tags = ("test",)
        examples = (("a\n", "a\n"),)

        def drop(self, line: str, ctx: Context) -> bool:
            seen.append(ctx.prev)
            return False

    clean("a\nDROP\nb\n", Drop(), Look())
    assert seen == [None, "a"]


def test_zones_hang_on_content_lines() -> None:
    zones: list[str] = []

    class Where(LineRule):
        """Record each line's zone; drops nothing."""

        name = "where"
        tags = ("test",)
        examples = (("a\n", "a\n"),)

        def drop(self, line: str, ctx: Context) -> bool:
            zones.append(ctx.zone)
            return False

    sentence = "This sentence is long enough to count as a content line of the article."
    clean(f"Title\n{sentence}\nHeading\n{sentence}\nComments\n", Where())
    assert zones == ["header", "body", "body", "body", "footer"]


def test_a_hostile_line_times_out_and_is_left_alone() -> None:
    slow = Pattern(r"(x+x+)+y")

    class Slow(LineRule):
        """Drop lines of x followed by y, with a pattern that backtracks without end."""

        name = "slow"
        tags = ("test",)
        examples = (("xy\n", ""),)

        def drop(self, line: str, ctx: Context) -> bool:
            return slow.search(line, ctx.timeout) is not None

    doc = clean("x" * 3000 + "\nxxy\n", Slow(), rule_timeout=0.05)
    assert doc.text == "x" * 3000 + "\n"
    assert "timeout:slow" in doc.flags


def test_a_failing_rule_is_flagged_and_skipped() -> None:
    class Broken(DocumentRule):
        """Always fails."""

        name = "broken"
        tags = ("test",)
        examples = (("a\n", "a\n"),)

        def apply(self, doc: Document, ctx: Context) -> None:
            raise RuntimeError("bug")

    doc = clean("a\nDROP\n", Broken(), Drop())
    assert doc.text == "a\n"
    assert "rule_error:broken" in doc.flags


def test_collateral_budget_flags_but_keeps() -> None:
    doc = clean("DROP\nDROP\nDROP\nkeep this\n", Drop())
    assert doc.text == "keep this\n"
    assert "collateral" in doc.flags
    assert "collateral" not in clean("DROP\nkeep these many words here now\n", Drop()).flags


def test_input_metadata_takes_precedence_over_header_rules() -> None:
    source = "Source URL: https://a.example/x\nTitle: From the header\nBody text.\n"
    doc = RuleSet(Options())(Document(id="t", source=source, title="From the input"))
    assert doc.title == "From the input"
    assert doc.url == "https://a.example/x"
    assert doc.text == "From the header\nBody text.\n"


def test_ruleset_skips_errors_and_honours_rules_off() -> None:
    source = "Body text here.\nComments (3)\n"
    errored = Document(id="t", source=source, error="read failed")
    assert RuleSet(Options())(errored).removed == []
    assert RuleSet(Options(rules=False))(Document(id="t", source=source)).text == source


def test_terms_are_matched_case_folded_and_script_correct() -> None:
    pattern = regex.compile(terms_pattern(["leggi anche", "相关文章"]), regex.IGNORECASE)
    assert pattern.search("LEGGI  ANCHE: x")
    assert not pattern.search("rileggi anche")
    assert pattern.search("请看相关文章")
    assert fold("  Lascia un Commento!  ") == "lascia un commento"


def test_data_files_have_a_source_and_licence_and_clean_rows(tmp_path: object) -> None:
    from pathlib import Path

    import cleaner_rules

    folder = Path(cleaner_rules.__file__).parent / "data"
    for path in folder.glob("*.tsv"):
        head = path.read_text(encoding="utf-8")
        assert "# source:" in head and "# licence:" in head, path
        rows = load_data(folder.parent / "x.py", path.stem)
        assert rows, path
        assert all(r.text and (r.lang == "*" or len(r.lang) == 2) for r in rows), path
        assert len({(r.lang, r.kind, r.text) for r in rows}) == len(rows), f"duplicates in {path}"


# -- the rebuild property over generated documents ------------------------------------------

BOILERPLATE = [
    "Comments (0)",
    "12 Comments",
    "Leave a Reply",
    "Click to rate this post!",
    "[Total: 3 Average: 4.7]",
    "Photo: AFP",
    "ALSO READ | Something else happened",
    "Source: Reuters",
    "Summary:",
    "Did you know?",
    "Title: A title",
    "Fonte e immagini",
]
SENTENCES = [
    "The chip is made in China and ships to customers early next year, the company said.",
    "Comments from analysts were mixed.",
    "A Short Heading",
    "Sources told Reuters the chip would enter mass production next year.",
]
lines = st.one_of(
    st.sampled_from(BOILERPLATE),
    st.sampled_from(SENTENCES),
    st.just(""),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=40),
)
documents = st.builds(
    lambda ls, end: "\n".join(ls) + end, st.lists(lines, max_size=25), st.sampled_from(["", "\n"])
)


@given(documents)
def test_rebuild_gives_the_repaired_text_back(source: str) -> None:
    doc = RuleSet(Options())(Document(id="g", source=source))
    assert rebuild(doc.text, doc.removed) == source
    spans = sorted((r.start, r.end) for r in doc.removed)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), "overlap"
    assert all(doc.source[r.start : r.end] == r.text for r in doc.removed)
    # tidying never leaves blank lines that the source did not have
    assert not doc.text.startswith("\n") or source.startswith("\n")
    assert not doc.text.endswith("\n\n") or source.endswith("\n\n")
    assert "\n\n\n" not in doc.text or "\n\n\n" in source


@given(documents)
def test_rules_are_idempotent(source: str) -> None:
    once = RuleSet(Options())(Document(id="g", source=source)).text
    twice = RuleSet(Options())(Document(id="g", source=once)).text
    assert twice == once


@pytest.mark.xfail(
    strict=True,
    reason="known bug: the catalog analysis is made once per document, on the lines before any "
    "rule ran, so a block that becomes a widget only once `comments` took its counter line is "
    "seen as one on a second pass alone (found by hypothesis, example from its database)",
)
def test_rules_are_idempotent_after_a_counter_goes() -> None:
    source = "Comments (0)\nSource: Reuters\nFonte e immagini"
    once = RuleSet(Options())(Document(id="g", source=source)).text
    twice = RuleSet(Options())(Document(id="g", source=once)).text
    assert twice == once


class Counting(DocumentRule):
    """Count the documents it runs on, unless it skips them (documents with SKIP in them)."""

    name = "counting"
    tags = ("test",)
    examples = (("a\n", "a\n"),)
    runs = 0

    def skips(self, doc: Document, whole: bool) -> bool:
        return "SKIP" in doc.source

    def apply(self, doc: Document, ctx: Context) -> None:
        Counting.runs += 1
        return None


def test_a_rule_that_skips_a_document_is_not_run() -> None:
    Counting.runs = 0
    apply_rules(Document(id="a", source="SKIP\n"), [Counting()])
    apply_rules(Document(id="b", source="run\n"), [Counting()])
    assert Counting.runs == 1
    assert Drop().skips(Document(id="c", source="DROP\n"), True) is False  # the default


class Whole(LineRule):
    """Record, for each document, whether its lines were whole when the rule ran."""

    name = "whole"
    tags = ("test",)
    examples = (("a\n", "a\n"),)
    seen: ClassVar[list[bool]] = []

    def drop(self, line: str, ctx: Context) -> bool:
        Whole.seen.append(ctx.whole)
        return False


def test_context_says_whether_every_line_is_whole() -> None:
    Whole.seen = []
    apply_rules(Document(id="a", source="Label: x\nDROP\nbody\n"), [Drop(), Whole()])
    apply_rules(Document(id="b", source="Label: x\nbody\n"), [Label(), Whole()])
    assert Whole.seen == [True, True, False, False]  # a dropped line leaves the rest whole
    doc = Document(id="c", source="a b\n")
    assert Context(doc, Options(), [Line(0, 0, 3, "a")]).whole is False
    assert Context(doc, Options(), [Line(0, 0, 3, "a b")]).whole is True


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=120))
def test_is_content_agrees_with_its_definition(text: str) -> None:
    stripped = text.strip()
    words = word_count(stripped)
    assert is_content(text) == (words >= 30 or (words >= 10 and stripped[-1:] in TERMINAL))


def test_catalog_strings_match_one_by_one_as_their_alternation_did() -> None:
    """Each group of catalog strings is tried string by string, longest first, and strings
    with one ``{x}`` without their pattern: the first string that matches and the values it
    took must be the ones the group's alternation (as it was compiled before) gives."""
    from cleaner_rules import _catalog

    keys = ["posted in news", "posted in  news", "posted in a\u00a0b", "view all posts by jan"]
    groups = [g for gs in _catalog.matcher().groups.values() for g in gs]
    for group in groups[::7]:
        group.too_long(0)  # builds the group's list of strings
        body = "|".join(f"(?P<{n}>{_catalog._pattern(k, n)})" for n, k, *_ in group.strings)
        alternation = regex.compile(body, regex.UNICODE)
        for _name, string, *_ in group.strings[:3]:
            for value in ("x", "Jane Doe", " x", "a" * 150, "a" * 151, "12"):
                keys.append(string.replace("{x}", value, 1).replace("{n}", "7"))
        for key in keys:
            m = alternation.fullmatch(key)
            old = None
            if m is not None:
                name = m.lastgroup or ""
                old = (
                    name,
                    [v for g, v in m.groupdict().items() if v and g.startswith(name + "v")],
                )
            assert group.fullmatch(key) == old, key
