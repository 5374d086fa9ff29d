"""The rule author's kit itself: its strategies, ``check_rules`` and the pytest plugin."""

from __future__ import annotations

import difflib
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner.testing
from cleaner.rule import LineRule, is_content
from cleaner.testing import _data, check_rules
from cleaner.testing import strategies as cst
from cleaner.testing._engine import nonblank, run_rule
from cleaner.testing.contract import CHECKS, claims_subtractive
from cleaner.testing.profiles import FAST, contract_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "cleaner" / "testing" / "data"
POOL = {
    lang: set(_data.paragraphs(lang)) | set(_data.sentences(lang))
    for lang in _data.available_languages()
}
HEADINGS = {lang: set(_data.headings(lang)) for lang in _data.available_languages()}


class Ad(LineRule):
    """Drop "Advertisement" lines."""

    name = "ad"
    tags = ("ads",)
    languages = ("*",)
    examples = (
        ("Advertisement\nThe chip ships in May.\n", "The chip ships in May.\n"),
        ("Title\n\nText of it.\n\nAdvertisement\n", "Title\n\nText of it.\n"),
    )

    def drop(self, line: str, ctx: object) -> bool:
        return line == "Advertisement"


# -- the shipped prose ---------------------------------------------------------------------


def test_the_prose_samples_cover_many_languages_and_scripts() -> None:
    langs = _data.available_languages()
    assert len(langs) >= 15
    assert {"ja", "zh", "ko", "ru", "ar", "hi"} <= set(langs)
    for lang in langs:
        assert len(_data.paragraphs(lang)) >= 30, lang
        assert sum(is_content(p) for p in _data.paragraphs(lang)) >= 2, lang


def test_every_prose_sample_names_its_sources_in_the_readme() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in sorted((DATA / "prose").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert raw["lang"] == path.stem
        for source_id, description in raw["sources"].items():
            assert f"`{source_id}`" in readme, (path.name, source_id, description)
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total < 600_000, f"the kit's data should stay compact, it is {total} bytes"


# -- strategies ---------------------------------------------------------------------------


@given(cst.content_lines(languages=["ja", "ar", "en"]))
def test_content_lines_are_real_lines_of_the_languages_asked_for(line: str) -> None:
    assert "\n" not in line
    assert line in POOL["ja"] | POOL["ar"] | POOL["en"]


@given(cst.content_documents())
def test_content_documents_are_real_lines_of_one_language_never_repeated(text: str) -> None:
    lines = nonblank(text)
    assert len(lines) == len(set(lines))
    langs = [lang for lang in POOL if all(_known(lang, line) for line in lines)]
    assert langs, lines
    assert lines[-1] not in HEADINGS[langs[0]] or lines[-1] in POOL[langs[0]]


def _known(lang: str, line: str) -> bool:
    return (
        line in POOL[lang]
        or line in HEADINGS[lang]
        or line.split(" ", 1)[-1] in POOL[lang]  # a bulleted list item
        or line in _data.lookalikes()
    )


@given(cst.lookalike_lines(languages=["en"]))
def test_lookalike_lines_are_real_and_survive_a_careful_rule(line: str) -> None:
    assert _known("en", line)
    assert not run_rule(Ad(), line + "\n").removed


def test_unknown_languages_are_refused_with_the_list() -> None:
    with pytest.raises(ValueError, match="the samples cover ar, cs"):
        cst.content_lines(languages=["xx"])


def test_boilerplate_blocks_say_where_the_example_puts_them() -> None:
    first, second = cst.boilerplate_blocks(Ad)
    assert (first.before, first.after, first.where) == (("Advertisement",), (), "top")
    assert (second.where, second.context_before) == ("end", ("Text of it.",))
    assert cst.place(Ad(), first) == cst.Placement("top", False)


@given(cst.planted_documents(Ad))
def test_planted_documents_hold_the_expected_result_of_a_correct_rule(
    planted: cst.Planted,
) -> None:
    assert "Advertisement" in planted.text and "Advertisement" not in planted.expected
    kept = [line.strip() for line in nonblank(run_rule(Ad(), planted.text).text)]
    assert kept == [line.strip() for line in nonblank(planted.expected)]


def test_a_rule_whose_examples_change_nothing_gives_nothing_to_plant() -> None:
    class Nothing(Ad):
        """Does nothing."""

        name = "nothing"
        examples = (("Text.\n", "Text.\n"),)

    with pytest.raises(ValueError, match="add an example whose `after` differs"):
        cst.planted_documents(Nothing)
    with pytest.raises(ValueError, match="none of its examples"):
        cst.boilerplate_lines(Nothing)


@given(st.data())
def test_mojibake_is_the_text_read_in_the_wrong_code_page(data: st.DataObject) -> None:
    text = data.draw(cst.content_lines(languages=["fr", "de", "ru", "ja"]))
    whole = cst.mojibake(text, encodings=["cp1252", "latin-1"], max_rounds=1, partial=False)
    broken = data.draw(whole)
    assert broken != text or text.isascii()
    assert ftfy.fix_text(broken, uncurl_quotes=False, normalization=None) == text


@given(cst.mojibake("plain ASCII stays as it is"))
def test_mojibake_of_ascii_is_the_text_itself(text: str) -> None:
    assert text == "plain ASCII stays as it is"


@given(st.data())
def test_near_duplicates_are_close_but_never_equal(data: st.DataObject) -> None:
    paragraph = data.draw(cst.content_lines(languages=["en", "zh"], sentences=False))
    copy = data.draw(cst.near_duplicates(paragraph))
    assert copy != paragraph
    assert difflib.SequenceMatcher(a=paragraph, b=copy, autojunk=False).ratio() > 0.5


@settings(max_examples=30)
@given(cst.hostile_text(max_length=5_000, surrogates=False, seeds=["Comments (12)"]))
def test_hostile_text_without_surrogates_encodes_and_stays_bounded(text: str) -> None:
    text.encode("utf-8")
    assert len(text) <= 5 * (5_000 + 2000) + 8


def test_hostile_text_reaches_very_long_lines_surrogates_and_controls() -> None:
    seen: dict[str, bool] = {"long": False, "surrogate": False, "control": False, "rtl": False}

    @settings(max_examples=150, database=None, derandomize=True)
    @given(cst.hostile_text())
    def record(text: str) -> None:
        seen["long"] |= max(map(len, text.split("\n"))) >= 10_000
        seen["surrogate"] |= any("\ud800" <= ch <= "\udfff" for ch in text)
        seen["control"] |= any(ch in "\x00\x1b\x7f\u2028" for ch in text)
        seen["rtl"] |= "\u202e" in text or "\u2067" in text

    record()
    assert all(seen.values()), seen


# -- the contract's pieces ------------------------------------------------------------------


def test_which_rules_claim_to_be_subtractive() -> None:
    from cleaner_rules.feed_header import FeedHeader
    from cleaner_rules.repeated_title import RepeatedTitle

    assert claims_subtractive(Ad)
    assert claims_subtractive(RepeatedTitle)  # a document rule whose examples drop lines
    assert not claims_subtractive(FeedHeader)  # a span rule


def test_contract_settings_follow_the_loaded_profile_or_the_kit_default() -> None:
    chosen = contract_settings()
    assert chosen.deadline is None
    if settings.get_current_profile_name() == "default":
        assert chosen.max_examples == settings.get_profile(FAST).max_examples
    else:
        assert chosen.max_examples == settings.default.max_examples


def test_the_package_exports_what_it_documents() -> None:
    for name in cleaner.testing.__all__:
        assert getattr(cleaner.testing, name) is not None
    assert set(CHECKS) == {
        name.removeprefix("check_")
        for name in vars(cleaner.testing.RuleContract)
        if name.startswith("check_")
    }


# -- clean --check-rules PATH ----------------------------------------------------------------

GOOD = '''
from cleaner.rule import LineRule

class {cls}(LineRule):
    """Drop "Advertisement" lines; a sentence about advertisements stays."""

    name = "{name}"
    tags = ("ads",)
    languages = ("*",)
    examples = (("Advertisement\\nThe chip ships in May.\\n", "The chip ships in May.\\n"),)

    def drop(self, line, ctx):
        return line == "Advertisement"{extra}
'''


def test_check_rules_passes_a_folder_of_good_rules(tmp_path: Path) -> None:
    (tmp_path / "ads.py").write_text(GOOD.format(cls="Ads", name="ads", extra=""))
    out = io.StringIO()
    assert check_rules(str(tmp_path), out=out) == 0
    report = out.getvalue()
    assert "ok    hostile_input" in report and "1 of 1 rule(s) pass the contract" in report


def test_check_rules_fails_a_bad_rule_and_says_why(tmp_path: Path) -> None:
    extra = ' or " the " in line'
    (tmp_path / "greedy.py").write_text(GOOD.format(cls="Greedy", name="greedy", extra=extra))
    (tmp_path / "broken.py").write_text("import no_such_module\n")
    out = io.StringIO()
    assert check_rules(str(tmp_path), out=out) == 1
    report = out.getvalue()
    assert "FAIL  keeps_sample_prose" in report
    assert "smallest counterexample [en]" in report
    assert "broken.py: cannot be imported: ModuleNotFoundError" in report


def test_check_rules_on_nothing_useful_fails(tmp_path: Path) -> None:
    out = io.StringIO()
    assert check_rules(str(tmp_path / "missing"), out=out) == 1
    assert "neither a folder nor a Python file" in out.getvalue()
    assert check_rules(str(tmp_path), out=out) == 1
    assert "no rule classes found" in out.getvalue()


# -- the pytest plugin ----------------------------------------------------------------------


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # share this run's hypothesis storage: its unicode tables take seconds to build afresh
    storage = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY") or str(Path.cwd() / ".hypothesis")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "HYPOTHESIS_STORAGE_DIRECTORY": storage}
    return subprocess.run(
        [sys.executable, *code.split("\0")], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_plugin_does_not_import_hypothesis(tmp_path: Path) -> None:
    code = "-c\0import sys, cleaner.testing.plugin; print('hypothesis' in sys.modules)"
    assert _python(code, tmp_path).stdout.strip() == "False"


def test_the_plugin_fixtures_and_the_contract_class_run_under_pytest(tmp_path: Path) -> None:
    (tmp_path / "test_ads.py").write_text(
        GOOD.format(cls="Ads", name="ads", extra="")
        + textwrap.dedent(
            """

            from cleaner.testing import rule_contract

            TestAds = rule_contract(Ads, settings={"max_examples": 5})


            def test_fixtures(check_rule, rule_strategies, run_rule):
                check_rule(Ads, checks=["examples", "keeps_sample_prose"])
                assert not run_rule(Ads(), "Ads pay for the news.\\n").removed
                assert rule_strategies.content_lines is not None
            """
        )
    )
    args = (
        "-m\0pytest\0-q\0-p\0no:cacheprovider\0test_ads.py\0--hypothesis-profile\0boilerclean-fast"
    )
    result = _python(args, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10 passed" in result.stdout


def test_check_rules_imports_a_package_folder_as_a_package() -> None:
    from cleaner.testing.check import find_rules

    rules, problems = find_rules(ROOT / "examples" / "rule-pack" / "boilerclean_example_pack")
    assert problems == []
    assert sorted(r.name for r in rules) == ["print_page", "reading_time"]
    assert {r.__module__ for r in rules} == {
        "boilerclean_example_pack.print_page",
        "boilerclean_example_pack.reading_time",
    }
