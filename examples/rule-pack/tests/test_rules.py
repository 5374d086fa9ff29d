"""The pack's tests: only the public kit, ``cleaner.testing``, as a rule author writes them."""

from __future__ import annotations

from importlib.metadata import entry_points

from boilerclean_example_pack.print_page import PrintPage
from boilerclean_example_pack.reading_time import ReadingTime
from hypothesis import given
from hypothesis import strategies as st

from cleaner.testing import rule_contract, run_rule
from cleaner.testing import strategies as cst

# The whole contract, one test class per rule.
TestPrintPage = rule_contract(PrintPage)
TestReadingTime = rule_contract(ReadingTime)

READING_TIMES = ["5 min read", "12 minute read", "Lesezeit: 4 Minuten", "3 Min. Lesezeit",
                 "Lecture : 2 min", "8 min de lecture", "Tempo di lettura: 6 minuti"]  # fmt: skip


@given(cst.content_documents(languages=["en", "fr", "de", "it"]), st.sampled_from(READING_TIMES))
def test_a_reading_time_line_goes_from_the_top_of_any_article(text: str, line: str) -> None:
    doc = run_rule(ReadingTime(), f"{line}\n\n{text}")
    assert [r.text.strip() for r in doc.removed] == [line]
    assert doc.text.strip() == text.strip()


@given(cst.lookalike_lines(languages=["en", "fr", "de", "it"]))
def test_look_alike_lines_stay(line: str) -> None:
    for rule in (PrintPage(), ReadingTime()):
        assert not run_rule(rule, line + "\n").removed


def test_the_rules_are_registered_under_their_names() -> None:
    found = {ep.name: ep.load() for ep in entry_points(group="cleaner.rules")}
    assert found["print_page"] is PrintPage
    assert found["reading_time"] is ReadingTime
