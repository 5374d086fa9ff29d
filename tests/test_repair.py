"""The repair stage: labelled cases, the fast path's equivalence with plain ftfy, invariants."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import ftfy
import pytest
from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.config import Options
from cleaner.document import Document
from cleaner.repair import (
    _ALWAYS,
    _ANCHORS,
    _BEFORE,
    _BRANCHES,
    _CHECKS,
    _LINE_BREAKS_RE,
    Repairer,
    _all_segments,
    _config_for,
    _dirty_segments,
    _fix_segment,
    _ftfy,
    _line_breaks,
    _needs_ftfy,
    _node_members,
    _untidy,
    _whitespace,
    repair_text,
)

ROOT = Path(__file__).resolve().parent.parent
CASES: list[dict[str, Any]] = json.loads(
    (ROOT / "tests" / "data" / "repair" / "cases.json").read_text(encoding="utf-8")
)
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# At least this many examples for the equivalence properties, whatever the profile says.
MANY = max(settings.default.max_examples, 150)


# -- labelled cases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=case["label"][:70],
            marks=[pytest.mark.xfail(reason=case.get("comment", ""), strict=False)]
            if case["expect"] == "fail"
            else [],
        )
        for case in CASES
    ],
)
def test_case(case: dict[str, Any]) -> None:
    text, fixes = repair_text(case["original"])
    assert text == case["fixed"]
    if "fixes" in case:
        assert fixes == case["fixes"]


def test_cases_are_well_formed() -> None:
    keys = {"label", "comment", "original", "fixed", "expect", "source", "fixes"}
    assert len(CASES) > 100
    for case in CASES:
        assert set(case) <= keys, case["label"]
        assert case["expect"] in ("pass", "fail"), case["label"]
        assert case["source"], case["label"]
    negatives = [c for c in CASES if c["original"] == c["fixed"]]
    assert len(negatives) > 40


@pytest.mark.parametrize("case", CASES, ids=[c["label"][:70] for c in CASES])
def test_case_fast_path_agrees(case: dict[str, Any]) -> None:
    assert repair_text(case["original"]) == repair_text(case["original"], fast=False)


def test_negative_cases_report_no_fix() -> None:
    for case in CASES:
        if case["original"] == case["fixed"] and case["expect"] == "pass":
            assert repair_text(case["original"])[1] == [], case["label"]


# -- targeted behaviour -------------------------------------------------------------------------


def test_lone_surrogate_is_replaced() -> None:
    assert repair_text("broken \ud800 text") == ("broken \ufffd text", ["apply:fix_surrogates"])


def test_entities_are_kept_in_a_document_with_markup_anywhere() -> None:
    text = "Tom &amp; Jerry\nline two\n<b>bold</b> &amp; more\n"
    assert repair_text(text)[0] == text
    assert (
        repair_text(text.replace("<b>bold</b>", "bold"))[0]
        == "Tom & Jerry\nline two\nbold & more\n"
    )


def test_only_the_mojibake_line_changes_in_a_long_document() -> None:
    clean = "Un paragraphe “propre”, à l’été, sans souci.\n" * 2000
    text = clean + "Il a dit : Â« câ€™est lâ€™Ã©tÃ© Â»\n" + clean
    fixed, fixes = repair_text(text)
    assert fixed == clean + "Il a dit : « c’est l’été »\n" + clean
    assert fixes == ["encode:sloppy-windows-1252", "decode:utf-8"]


def test_seeds_pass_through_with_their_lines_intact() -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        repaired, fixes = repair_text(text)
        assert (repaired, fixes) == repair_text(text, fast=False)
        assert set(fixes) <= {"whitespace"}, path.name
        lines = {line.strip() for line in repaired.split("\n")}
        for line in text.split("\n"):
            assert line.strip() in lines or not line.strip(), (path.name, line)


def test_fast_path_is_active_and_anchors_exclude_everyday_characters() -> None:
    assert _BEFORE >= 0, "the fast path could not be derived from the installed ftfy"
    for char in "éèàüöçñ’–—…\u00a0абвгдеαβγ":
        assert char not in _ANCHORS, char
    for char in "Ã\x80\x9d€™”":
        assert char in _ANCHORS, char
    assert set(_CHECKS) == set(_ANCHORS), "every anchor has its precompiled check"


def test_repairer_stage() -> None:
    doc = Repairer(Options())(Document(id="x", source="HÃ´tel  \r\n", fixes=["decode:cp1252"]))
    assert doc.source == "Hôtel\n"
    assert doc.fixes == [
        "decode:cp1252",
        "line_breaks",
        "encode:latin-1",
        "decode:utf-8",
        "whitespace",
    ]


def test_repairer_respects_the_option_and_errors() -> None:
    source = "HÃ´tel  \r\n"
    off = Repairer(Options(repair=False))(Document(id="x", source=source))
    assert (off.source, off.fixes) == (source, [])
    failed = Repairer(Options())(Document(id="x", source=source, error="unreadable"))
    assert (failed.source, failed.fixes) == (source, [])


# -- properties ---------------------------------------------------------------------------------

SCRIPTS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "  .,;:!?'\"()-&<>/%$#@*"
    "éèêàâçôûîïüöäßñáíóúÉÀÇÜÖÄÑØøåÅæœŒłśźżąęčšžřůőűğışİ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЂђў"
    "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩάέήίόύώ"
    "אבגדהוזחטיכלמנסעפצקרשת"
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    "अआइईउऊएऐओऔकखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह्ािीुूेैोौ"
    "東京日本語中文汉字漢字한국어ひらがなカタカナ。、，！（）「」"
    "“”‘’«»„‚–—…•·°±×÷²³µ¶§©®™€£¥¢¤¦¨¬¯¸ªº¿¡"
    "\u00a0\u202f\u200b\u200c\u200d\u200e\u200f\ufeff\u0301\u0308\u0303"
    "ﬁﬂＡＢＣ１２３😀👍❤️🇫🇷"
    "┌┐└┘├┤┬┴┼│─═║╔╗╚╝░▒▓█√∞≈≠≤≥∑∂∆"
    "\t\x00\x01\x0b\x0c\x1b\x7f\x80\x81\x85\x8d\x90\x9d\x9f\r\u2028"
)
CODECS = (
    "latin-1",
    "sloppy-windows-1252",
    "sloppy-windows-1251",
    "sloppy-windows-1250",
    "sloppy-windows-1253",
    "sloppy-windows-1254",
    "sloppy-windows-1257",
    "iso-8859-2",
    "macroman",
    "cp437",
)
ENTITIES = (
    "&amp;",
    "&lt;",
    "&eacute;",
    "&EACUTE;",
    "&#8217;",
    "&#x2019;",
    "&nbsp;",
    "&hellip;",
    "&bogus;",
    "&#13;",
    "&#10;",
    "&#133;",
)

clean_text = st.text(alphabet=st.sampled_from(SCRIPTS), max_size=60)


@st.composite
def mojibake(draw: st.DrawFn) -> str:
    """Text in many scripts, encoded as UTF-8 and decoded with one of ftfy's codecs (once or
    twice), with a lossy replacement of undefined bytes now and then."""
    text = draw(clean_text)
    for _ in range(draw(st.integers(1, 2))):
        codec = draw(st.sampled_from(CODECS))
        text = text.encode("utf-8", "surrogatepass").decode(codec, "replace")
    if draw(st.booleans()):
        text = re.sub("[\x80-\x9f]", "\ufffd", text)
    return text


pieces = st.one_of(
    clean_text,
    mojibake(),
    st.sampled_from(ENTITIES),
    st.sampled_from(["\n", "\r\n", "\n\n\n", "  \n", "\x85", "\u2029"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=2),
)
documents = st.lists(pieces, max_size=12).map("".join)


@settings(max_examples=MANY)
@given(documents)
def test_fast_path_gives_the_same_result_as_ftfy_on_everything(text: str) -> None:
    assert repair_text(text) == repair_text(text, fast=False)


@settings(max_examples=MANY)
@given(documents)
def test_ftfy_step_equals_plain_fix_text(text: str) -> None:
    # The ftfy step on its own, against ftfy's public fix_text with the same configuration.
    text = unicodedata.normalize("NFC", re.sub("\r\n?", "\n", text))
    assert _ftfy(text)[0] == ftfy.fix_text(text, _config_for(text))


MOJIBAKE_ALPHABET = (
    "".join(
        chr(cp)
        for chars in MOJIBAKE_CATEGORIES.values()
        for cp in range(0x80, 0x3000)
        if re.match(f"[{chars}]", chr(cp))
    )
    + "abcXYZ ÂÃÎÐ×àβ€āвЂГўВ√≈‚Ä.,?!"
)


@settings(max_examples=MANY)
@given(st.text(alphabet=st.sampled_from(MOJIBAKE_ALPHABET), max_size=12))
def test_every_bad_segment_is_sent_to_ftfy(text: str) -> None:
    # Short segments are checked with one BADNESS_RE search, long ones around each anchor: pad
    # with clean text so that both ways are exercised.
    for segment in (text, text + " plain words" * 30, "plain words " * 30 + text):
        if is_bad(segment):
            assert _needs_ftfy(segment, entities=False), segment


@given(documents)
def test_output_invariants(text: str) -> None:
    repaired, fixes = repair_text(text)
    assert unicodedata.is_normalized("NFC", repaired)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", repaired)
    assert "\n\n\n" not in repaired
    assert not repaired.startswith("\n")
    for line in repaired.split("\n"):
        assert line == line.rstrip()
    assert len(fixes) == len(set(fixes))
    assert (fixes == []) == (repaired == text)


# -- the boundary of the pre-check --------------------------------------------------------------
# Characters that the pre-check lets through next to characters that send a line to ftfy, so
# that hypothesis works where a mistake in the pre-check would show.

# Every character that a single-character node of BADNESS_RE accepts but that is no anchor: the
# scan does not stop at them, yet ftfy's is_bad looks at them next to an anchor.
BADNESS_NEIGHBOURS = "".join(
    sorted(
        {
            chr(code)
            for _, _, _, branch in _BRANCHES
            for op, arg in branch.data
            for code in _node_members(op, arg) or ()
        }
        - set(_ANCHORS)
    )
)
BOUNDARY_CHARS = (
    st.sampled_from(_ANCHORS)
    | st.sampled_from(BADNESS_NEIGHBOURS)
    | st.sampled_from(_ALWAYS[:64] + "\ud800\udc00\udfff")
    | st.sampled_from("\r\x0b\x0c\x1c\x1d\x1e\x1f\u2028\u2029\x85\t\n")
    | st.sampled_from(" \t\xa0\u3000\u2009\u202f")
    # Combining marks: NFC turns "A" + tilde into the anchor "Ã" before the scan.
    | st.sampled_from("AaCEeIOU\u0300\u0301\u0302\u0303\u0308\u0327")
    | st.sampled_from("&<;#x")
    | st.sampled_from("abc xyz.")
)
# An anchor in ordinary words, as clean text uses them (“quotes”, €, °, Œuvre, Ðorđe, Сергей):
# what the per-anchor checks must pass without missing the mojibake next to it.
anchor_in_words = st.builds(
    "".join,
    st.tuples(
        st.text(alphabet=st.sampled_from(SCRIPTS[:200]), max_size=4),
        st.sampled_from(_ANCHORS),
        st.text(alphabet=st.sampled_from(SCRIPTS[:200]), max_size=4),
    ),
)
BOUNDARY_PIECES = (
    st.text(alphabet=BOUNDARY_CHARS, max_size=8)
    | anchor_in_words
    | st.sampled_from(ENTITIES)
    | st.sampled_from(["\n", "\n\n\n", "  \n", "\x1b[31m", "plain words " * 8])
    | mojibake()
)
boundary_documents = st.one_of(
    st.lists(BOUNDARY_PIECES, max_size=16).map("".join),
    # Clean lines full of anchors only: the side of the boundary that the checks let through.
    st.lists(anchor_in_words | st.sampled_from([" ", "\n", ". "]), max_size=24).map("".join),
)


@settings(max_examples=MANY)
@given(boundary_documents)
def test_boundary_fast_path_gives_the_same_result_as_ftfy_on_everything(text: str) -> None:
    assert repair_text(text) == repair_text(text, fast=False)


@settings(max_examples=MANY)
@given(boundary_documents)
def test_boundary_every_segment_that_ftfy_changes_is_found(text: str) -> None:
    # The pre-check itself, segment by segment: a segment it leaves out must be one that ftfy
    # returns unchanged with nothing to explain.
    text = unicodedata.normalize("NFC", _line_breaks(text))
    config = _config_for(text)
    entities = bool(config.unescape_html) and "&" in text
    dirty = set(_dirty_segments(text, entities, config.max_decode_length))
    for start, end in _all_segments(text, config.max_decode_length):
        if (start, end) not in dirty:
            segment = text[start:end]
            assert ftfy.fix_and_explain(segment, config) == (segment, []), segment


@settings(max_examples=MANY)
@given(boundary_documents, st.booleans())
def test_fix_segment_equals_fix_and_explain(text: str, entities: bool) -> None:
    # The replayed ftfy passes (which skip a last round that provably changes nothing) against
    # ftfy's own, explanation included, on any text, one line or several.
    config = _config_for("" if entities else "<")
    fixed, explanation = ftfy.fix_and_explain(text, config)
    assert _fix_segment(text, config) == (fixed, list(explanation or ()))


def _whitespace_reference(text: str) -> str:
    # The white-space step as it was written before its pre-check: line by line.
    lines = [line.rstrip() for line in text.split("\n")]
    body = re.sub("\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if body and text.endswith("\n"):
        body += "\n"
    return body


@settings(max_examples=MANY)
@given(
    st.text(alphabet=st.sampled_from("ab \t\n\xa0\u3000\u2009\u1680\x1f\x85\u00e9"), max_size=30)
)
def test_whitespace_pre_check_is_exact(text: str) -> None:
    assert _whitespace(text) == _whitespace_reference(text)
    assert _untidy(text) == (_whitespace_reference(text) != text)


@settings(max_examples=MANY)
@given(boundary_documents)
def test_line_break_pre_check_is_exact(text: str) -> None:
    assert _line_breaks(text) == _LINE_BREAKS_RE.sub("\n", text)


# -- real text ----------------------------------------------------------------------------------

CORPUS_CODECS = ("sloppy-windows-1252", "latin-1", "sloppy-windows-1251", "macroman")


def _real_documents() -> list[str]:
    """The labelled corpus (tests/corpus: real handbook and GNOME Help paragraphs in 15
    languages, real catalog strings), the first documents of each language, each also as
    mojibake (UTF-8 read with one of ftfy's codecs, a different one per language)."""
    documents = []
    for index, path in enumerate(sorted((ROOT / "tests" / "corpus").glob("*.jsonl"))):
        with path.open(encoding="utf-8") as lines:
            records = [json.loads(line) for line, _ in zip(lines, range(3), strict=False)]
        texts = ["\n".join(line["text"] for line in record["lines"]) for record in records]
        codec = CORPUS_CODECS[index % len(CORPUS_CODECS)]
        documents += texts
        documents.append(texts[0].encode("utf-8").decode(codec, "replace"))
    return documents


def test_real_and_mojibake_corpus_fast_path_gives_the_same_result_as_ftfy_on_everything() -> None:
    documents = _real_documents()
    assert len(documents) >= 50
    repaired = 0
    for text in documents:
        fast = repair_text(text)
        assert fast == repair_text(text, fast=False), text[:80]
        repaired += any(":" in fix for fix in fast[1])
    assert repaired >= 10, "the mojibake documents were repaired by ftfy"


@pytest.mark.parametrize("text", ["x\nÀ€", "x&#10;À€ and more", "x&#10;À€\nnext line\n"])
def test_a_match_across_a_line_break_inside_one_segment_is_seen(text: str) -> None:
    # "À€" is bad only after white space, here the "\n" that an entity decodes to (or, given
    # to _fix_segment directly, a "\n" inside the text): is_bad holds for the whole text though
    # for neither line, so "settled" may only be judged line by line on a single line.
    config = _config_for("")
    fixed, explanation = ftfy.fix_and_explain(text, config)
    assert _fix_segment(text, config) == (fixed, list(explanation))
    assert repair_text(text) == repair_text(text, fast=False)


def test_fast_path_without_the_precompiled_checks_still_agrees(monkeypatch: Any) -> None:
    # If the standard library's compiler cannot build the per-anchor checks, a window search of
    # BADNESS_RE around each anchor decides instead: slower, never different.
    import cleaner.repair

    monkeypatch.setattr(cleaner.repair, "_CHECKS", {})
    texts = [case["original"] for case in CASES] + _real_documents()[::4]
    texts.append("clean “quoted” line, Сергей « x »\nlâ€™Ã©tÃ©\nÂ trailing\n" * 3)
    for text in texts:
        assert repair_text(text) == repair_text(text, fast=False), text[:80]


@settings(max_examples=MANY)
@given(boundary_documents, st.integers(1, 12))
def test_lines_cut_at_max_decode_length_are_found_as_ftfy_cuts_them(text: str, cut: int) -> None:
    # ftfy cuts lines longer than max_decode_length into segments of their own; with a tiny
    # limit every path of the scan's segment bookkeeping is taken.
    text = unicodedata.normalize("NFC", _line_breaks(text))
    config = _config_for(text)._replace(max_decode_length=cut)
    entities = bool(config.unescape_html) and "&" in text
    segments = _all_segments(text, cut)
    dirty = _dirty_segments(text, entities, cut)
    assert set(dirty) <= set(segments) and dirty == sorted(dirty)
    for start, end in segments:
        if (start, end) not in dirty:
            segment = text[start:end]
            assert ftfy.fix_and_explain(segment, config) == (segment, []), (segment, cut)
