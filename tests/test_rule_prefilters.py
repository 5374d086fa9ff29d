"""The cheap tests the built-in rules run before their patterns never turn away a line that the
pattern would match (``cleaner_rules._prefilter`` and the rules' own character tests).

Lines are built from the rules' own terms in every case the patterns accept (upper, lower, the
Kelvin sign, the long s, the dotted capital I), with separators, values and noise around them.
"""

from __future__ import annotations

import regex
from cleaner_rules import captions, comments, ratings, related, source_footer
from cleaner_rules._prefilter import ascii_variants, may_close, may_open, openings
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.rule import load_data, word_count

# characters the regex module matches with an ASCII letter ignoring case
_ODD_CASES = {"k": "\u212a", "s": "\u017f", "i": "\u0130"}


@st.composite
def cased(draw: st.DrawFn, term: str) -> str:
    """``term`` with each character in a case that ``regex.IGNORECASE`` still matches."""
    out = []
    for c in term:
        choices = [c, c.upper(), c.lower()] + (
            [_ODD_CASES[c.lower()]] if c.lower() in _ODD_CASES else []
        )
        out.append(draw(st.sampled_from(choices)))
    return "".join(out)


def terms(rule: str, kind: str | None = None) -> list[str]:
    rows = load_data(related.__file__, rule)
    return [r.text for r in rows if kind is None or r.kind == kind]


noise = st.text(st.sampled_from(" \t:|()[]-–—•·©.!?0123456789aZé漢\u00a0"), max_size=12)
words = st.lists(
    st.sampled_from(["AFP", "Jane", "Doe", "é", "12", "x.", "漢字", "a-b"]), max_size=8
).map(" ".join)
BEFORE = ["", "", "12 ", "A chip | ", "A chip - ", "A chip (", "[", "x"]
AFTER = ["", ":", " : ", ": ", " | ", " (3)", " [12]", ": 7", "!", " »", ")", "."]


def lines(vocabulary: list[str]) -> st.SearchStrategy[str]:
    """Lines that hold one of the terms: shaped as the patterns expect, or noisy."""
    term = st.sampled_from(vocabulary).flatmap(cased)
    shaped = st.tuples(
        st.sampled_from(BEFORE), term, st.sampled_from(AFTER), words, st.sampled_from(["", ")"])
    )
    noisy = st.tuples(noise, term, noise, words, noise)
    return st.one_of(shaped, noisy).map(lambda parts: "".join(parts).strip())


@settings(max_examples=400, deadline=None)
@given(st.one_of(lines(terms("related")), lines(["read more", "related"]).map(lambda s: s + "|x")))
def test_related_teasers_open_with_a_label(line: str) -> None:
    if line and related.TEASER.regex.fullmatch(line):
        assert related._OPENS(line)


@settings(max_examples=400, deadline=None)
@given(st.one_of(lines(terms("captions")), lines(["©", "(c)", "copyright"])))
def test_captions_credits_and_copyright_lines_pass_the_cheap_tests(line: str) -> None:
    if line and captions.COPYRIGHT.regex.fullmatch(line):
        assert captions._COPYRIGHT_OPENS(line)
    credit = captions.CREDIT.regex.fullmatch(line) if line else None
    if credit and word_count(credit["value"]) <= 5:  # a credit is_caption takes
        assert captions._may_be_credit(line[line.rfind(":") + 1 :])


@settings(max_examples=400, deadline=None)
@given(lines(terms("ratings", "prompt")))
def test_ratings_prompts_open_with_a_prompt(line: str) -> None:
    if line and ratings.PROMPT.regex.match(line):
        assert ratings._PROMPT_OPENS(line)


@settings(max_examples=400, deadline=None)
@given(lines(terms("source_footer", "label")))
def test_source_lines_open_with_a_label(line: str) -> None:
    if line and source_footer.SOURCE.regex.fullmatch(line):
        assert source_footer._OPENS(line)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        lines(terms("comments", "word")),
        st.tuples(
            st.sampled_from(["", "12 ", "3\t", "٣ "]),
            st.sampled_from(terms("comments", "word")).flatmap(cased),
            st.sampled_from(["", " (4)", "[12]", ": 7", " ( 3 ) ", ":٣"]),
        ).map("".join),
    )
)
def test_comment_counters_open_or_close_as_counters_do(line: str) -> None:
    if line and comments.COUNTER.regex.fullmatch(line):
        assert may_open(line, comments._COUNTER_OPENS) or may_close(line, comments._COUNTER_CLOSES)
    if len(comments.SENTENCES.split(line)) > 1:
        assert any(c in line[:-1] for c in ".!?")


def test_the_patterns_are_really_tried() -> None:
    """The generators above do reach the patterns (else the tests above could not fail)."""
    assert related.TEASER.regex.fullmatch("ſee alſo | x") and related._OPENS("ſee alſo | x")
    assert captions.CREDIT.regex.fullmatch("A chip | PHOTO CREDİT: AFP")
    assert ratings.PROMPT.regex.match("\u212aLICK TO RATE") is None  # k is not c
    assert comments.COUNTER.regex.fullmatch("Comments (12)")


def test_ascii_variants_are_what_the_regex_module_matches() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz©(àé"
    for c in letters:
        expected = {x for x in map(chr, range(128)) if regex.fullmatch(regex.escape(c), x, regex.I)}
        assert ascii_variants([c]) == expected
    assert ascii_variants([]) == frozenset()


def test_openings_let_non_ascii_and_short_terms_through() -> None:
    opens = openings(["à lire", "ok", "see also"])
    assert opens("Àlire") and opens("OK") and opens("Ok!") and opens("SEE") and opens("ſee")
    assert not opens("Sea") and not opens("") and not opens("x")


def test_openings_agree_with_the_regex_module_on_every_first_character() -> None:
    """Every character the patterns' case folding matches with a term's first letter opens a
    line the test lets through (the non-ASCII ones are asked of the regex module)."""
    chars = "".join(map(chr, range(0x80, 0x3000))) + "\u212a\u017f\u0130\u1e9e"
    guarded = [
        (related._OPENS, terms("related")),
        (captions._COPYRIGHT_OPENS, ["©", "(c)", "copyright"]),
        (ratings._PROMPT_OPENS, terms("ratings", "prompt")),
        (source_footer._OPENS, terms("source_footer", "label")),
    ]
    for opens, vocabulary in guarded:
        for term in vocabulary:
            for c in regex.findall(regex.escape(term[0]), chars, regex.IGNORECASE):
                assert opens(c + term[1:]), (term, c)


def _documents() -> list[str]:
    """The examples of the rules with a shape, the seeds and the labelled corpus, as texts."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt"))]
    for path in sorted((root / "tests" / "corpus").glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                texts.append("\n".join(ln["text"] for ln in json.loads(raw)["lines"]))
    for rule in _SHAPED:
        texts.extend(before for before, _ in rule.examples)
    return texts


_SHAPED = (
    comments.Comments(),
    captions.Captions(),
    related.Related(),
    ratings.Ratings(),
    source_footer.SourceFooter(),
)


def test_may_shape_lets_through_every_line_the_shape_takes() -> None:
    """``CatalogRule.may_shape`` is a necessary condition of ``shape`` wherever the line stands:
    the families skip documents and lines on it."""
    from cleaner.config import Options
    from cleaner.document import Document
    from cleaner.rule import Context, live_lines

    taken: dict[str, int] = dict.fromkeys((rule.name for rule in _SHAPED), 0)
    for text in _documents():
        doc = Document(id="d", source=text)
        lines = live_lines(doc)
        for rule in _SHAPED:
            ctx = Context(doc, Options(), lines, rule.name)
            for i, line in enumerate(lines):
                ctx.index = i
                stripped = line.text.strip()
                if len(stripped) <= 300 and rule.shape(stripped, ctx):
                    taken[rule.name] += 1
                    assert rule.may_shape(stripped), (rule.name, stripped)
    assert all(taken.values()), taken  # the material holds lines of every shape
