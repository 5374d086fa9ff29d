"""Mutation tests of the rule contract: deliberately broken rules must each fail it, with a
message that names the problem and shows the (shrunk) counterexample.

``ReadingTime`` is a correct rule (the control: it passes the whole contract); each mutant
breaks it in one way a rule author really does. Hypothesis runs derandomized here, so that
the outcome does not depend on luck.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import Phase

from cleaner.config import Options
from cleaner.document import Document, Removal
from cleaner.rule import BlockRule, Context, DocumentRule, LineRule, Pattern, Rule, word_count
from cleaner.testing import RuleContract, run_rule

CONTENT = (
    "Prices rose again in March, according to figures published on Friday by statistics "
    "office Destatis."
)
READING = Pattern(r"\d{1,3}\s*min(?:ute)?s?\s+read")
# Deterministic and bounded, whatever profile the suite runs with.
SETTINGS: dict[str, Any] = {"derandomize": True, "database": None, "max_examples": 60}


class ReadingTime(LineRule):
    """Drop "5 min read" lines; a sentence that mentions reading time stays."""

    name = "reading_time"
    tags = ("meta",)
    languages = ("en",)
    examples = ((f"5 min read\n{CONTENT}\n", f"{CONTENT}\n"),)

    def drop(self, line: str, ctx: Context) -> bool:
        return bool(READING.fullmatch(line, ctx.timeout))


class DropsEnglishWord(ReadingTime):
    """Also drops every line with "the" in it: eats English prose."""

    name = "drops_english_word"

    def drop(self, line: str, ctx: Context) -> bool:
        return super().drop(line, ctx) or " the " in f" {line.lower()} "


class DropsRussianWord(ReadingTime):
    """Also drops every line with the Russian "и" (and): eats Russian prose."""

    name = "drops_russian_word"
    WORD = re.compile(r"(?<!\w)и(?!\w)")

    def drop(self, line: str, ctx: Context) -> bool:
        return super().drop(line, ctx) or bool(self.WORD.search(line))


class LastShortLine(BlockRule):
    """Cut a short credit line at the end; run twice, it eats the line before it too."""

    name = "last_short_line"
    tags = ("credits",)
    languages = ("*",)
    examples = ((f"{CONTENT}\nPhoto: Reuters\n", f"{CONTENT}\n"),)

    def cut(self, lines: list[str], ctx: Context) -> int | None:
        return len(lines) - 1 if len(lines) > 1 and word_count(lines[-1]) < 6 else None


class WrongOffsets(DocumentRule):
    """Reading-time lines, found by hand, with offsets that forget the newlines."""

    name = "wrong_offsets"
    tags = ("meta",)
    languages = ("en",)
    examples = ReadingTime.examples

    def apply(self, doc: Document, ctx: Context) -> list[Removal] | None:
        removals, pos = [], 0
        for line in doc.source.split("\n"):
            if READING.fullmatch(line.strip(), ctx.timeout):
                end = min(pos + len(line) + 1, len(doc.source))
                removals.append(Removal(self.name, pos, end, doc.source[pos:end]))
            pos += len(line)  # the bug: + 1 for the newline is missing
        return removals


class Backtracking(ReadingTime):
    """Reading time as "a line of words ending in min read": a nested quantifier."""

    name = "backtracking"
    PATTERN = Pattern(r"^(?:(?:\w|')+\s?)+(?<=\smin(?:ute)?s? read)$")

    def drop(self, line: str, ctx: Context) -> bool:
        return bool(self.PATTERN.fullmatch(line, ctx.timeout))


class Hangs(ReadingTime):
    """The same mistake with plain ``re``: no timeout at all, only the guard can stop it."""

    name = "hangs"
    PATTERN = re.compile(r"^(?:\w+\s?)+ min read$")

    def drop(self, line: str, ctx: Context) -> bool:
        return bool(self.PATTERN.fullmatch(line))


def failure(rule: type[Rule], check: str, **options: Any) -> str:
    """The message of ``check`` failing on ``rule``; fails the test when the check passes."""
    settings = {**SETTINGS, **options.pop("settings", {})}
    [result] = RuleContract(rule, settings=settings, **options).run([check])
    assert result.outcome == "failed", f"{rule.name} passed {check}: the contract missed it"
    return result.message


def test_the_control_rule_passes_the_whole_contract() -> None:
    results = RuleContract(ReadingTime, settings={**SETTINGS, "max_examples": 25}).run()
    assert [r.check for r in results if r.outcome != "passed"] == [], results


def test_a_rule_that_drops_a_common_english_word_fails() -> None:
    message = failure(DropsEnglishWord, "keeps_sample_prose")
    assert "removed real content from the prose samples" in message
    assert "smallest counterexample [en]" in message
    assert "it goes even alone" in message
    shrunk = failure(DropsEnglishWord, "keeps_content", languages=["en"])
    assert "removed content from a document that has no boilerplate" in shrunk
    assert "Falsifying example" in shrunk or "Failing test case" in shrunk
    assert " the " in shrunk


def test_a_rule_that_drops_a_common_word_of_a_non_latin_script_fails() -> None:
    message = failure(DropsRussianWord, "keeps_sample_prose")
    assert "smallest counterexample [ru]" in message
    shrunk = failure(DropsRussianWord, "keeps_content", languages=["ru", "en"])
    assert "removed content" in shrunk and " и " in shrunk


def test_a_rule_that_is_not_idempotent_fails() -> None:
    message = failure(LastShortLine, "idempotent")
    assert "is not idempotent" in message
    assert "second pass" in message
    assert "Falsifying example" in message or "Failing test case" in message


def test_a_rule_that_records_wrong_offsets_fails() -> None:
    assert run_rule(WrongOffsets(), WrongOffsets.examples[0][0]).text == CONTENT + "\n"
    message = failure(WrongOffsets, "removals")
    assert "recorded its removals wrongly" in message
    assert "does not cover whole lines" in message


def test_a_catastrophic_backtracking_pattern_fails_on_hostile_input() -> None:
    message = failure(
        Backtracking, "hostile_input", options=Options(rule_timeout=0.05), time_bound=1.0
    )
    assert "too slow on hostile input" in message
    assert "regex timeout" in message or "over the bound" in message
    assert "input (" in message  # the stalled input, shown


def test_a_pattern_without_timeout_that_hangs_is_killed_and_reported() -> None:
    message = failure(
        Hangs,
        "hostile_input",
        time_bound=0.5,
        settings={"phases": [Phase.explicit, Phase.generate], "max_examples": 40},
    )
    assert "did not finish within" in message and "was killed" in message


@pytest.mark.parametrize("check", ["examples", "total", "subtractive", "removes_planted"])
def test_the_broken_rules_keep_the_checks_they_do_not_break(check: str) -> None:
    """The mutants are good rules but for one flaw: the checks are not failing them at random."""
    for rule in (DropsEnglishWord, LastShortLine, Backtracking):
        if check == "removes_planted" and rule is DropsEnglishWord:
            continue  # planting into English prose is where this one shows its flaw
        [result] = RuleContract(rule, settings={**SETTINGS, "max_examples": 15}).run([check])
        assert result.outcome == "passed", result.message
