"""The labelled boilerplate corpus: its shape, and the rule stage's scores on it.

The shape checks are real tests: at least 15 languages, and per language at least 300 content
lines, 100 boilerplate lines and 50 look-alikes; every boilerplate line has a family and a
split; every line records its source; every boilerplate string comes from the catalog.

The GATE tests are real: per language, at least 95 % of the ``train`` boilerplate lines
removed, 99.5 % of content lines and 98 % of look-alikes kept unchanged. The ``holdout``
figures are reported by the scorer, not gated.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

CORPUS = Path(__file__).parent / "corpus"
CATALOG = Path(__file__).parent.parent / "rules/cleaner_rules/data/catalog"
REQUIRED = {
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "pl",
    "ru",
    "tr",
    "sv",
    "ja",
    "zh",
    "ko",
    "id",
}
FAMILIES = {
    "comments", "ratings", "share", "related", "newsletter", "consent", "captions", "tags",
    "byline", "navigation", "ads", "feed_header", "source_footer", "toolbar",
}  # fmt: skip
LABELS = {"content", "boilerplate", "lookalike", "blank"}


@cache
def score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@cache
def records(lang: str) -> list[dict[str, object]]:
    text = (CORPUS / f"{lang}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def languages() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.jsonl"))


@cache
def tally() -> object:
    return score_module().evaluate()


def test_at_least_15_languages_with_the_required_ones() -> None:
    assert len(languages()) >= 15
    assert set(languages()) >= REQUIRED


@pytest.mark.parametrize("lang", languages())
def test_language_has_enough_lines_of_each_label(lang: str) -> None:
    counts = Counter(ln["label"] for doc in records(lang) for ln in doc["lines"])  # type: ignore[attr-defined]
    assert counts["content"] >= 300, counts
    assert counts["boilerplate"] >= 100, counts
    assert counts["lookalike"] >= 50, counts
    assert set(counts) <= LABELS


@pytest.mark.parametrize("lang", languages())
def test_every_line_is_labelled_and_sourced(lang: str) -> None:
    for doc in records(lang):
        assert doc["lang"] == lang and str(doc["id"]).startswith(f"{lang}/")
        for ln in doc["lines"]:  # type: ignore[attr-defined]
            if ln["label"] == "blank":
                assert ln["text"] == ""
                continue
            assert ln["text"].strip() == ln["text"] and ln["text"], ln
            assert "\n" not in ln["text"]
            assert ln["source"], ln
            if ln["label"] == "boilerplate":
                assert ln["family"] in FAMILIES, ln
                assert ln["split"] in {"train", "holdout"}, ln
            else:
                assert ln["family"] is None and ln["split"] is None, ln


@cache
def catalog_patterns(lang: str) -> dict[str, list[re.Pattern[str]]]:
    """family -> the language's catalog strings as regexes (placeholders match anything)."""
    out: dict[str, list[re.Pattern[str]]] = {}
    for path in sorted(CATALOG.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            texts = [r["text"] for r in rows if r["lang"] in {lang, "mul"}]
        out[path.stem] = [
            re.compile(re.escape(t).replace(r"\{n\}", r"\d+").replace(r"\{x\}", ".+") + "$")
            for t in texts
        ]
    return out


@pytest.mark.parametrize("lang", languages())
def test_every_boilerplate_line_is_a_rendered_catalog_string(lang: str) -> None:
    patterns = catalog_patterns(lang)
    for doc in records(lang):
        for ln in doc["lines"]:  # type: ignore[attr-defined]
            if ln["label"] == "boilerplate":
                assert any(p.match(ln["text"]) for p in patterns[ln["family"]]), ln


def test_both_splits_and_many_families_are_planted() -> None:
    for lang in REQUIRED:
        lines = [ln for doc in records(lang) for ln in doc["lines"]]  # type: ignore[attr-defined]
        planted = [ln for ln in lines if ln["label"] == "boilerplate"]
        assert {ln["split"] for ln in planted} == {"train", "holdout"}, lang
        assert len({ln["family"] for ln in planted}) >= 12, lang


def test_content_and_lookalike_lines_never_repeat_within_a_language() -> None:
    for lang in languages():
        texts = [
            ln["text"]
            for doc in records(lang)
            for ln in doc["lines"]  # type: ignore[attr-defined]
            if ln["label"] in {"content", "lookalike"}
        ]
        assert len(texts) == len(set(texts)), lang


def test_scorer_reports_every_language_and_family() -> None:
    result = tally()
    text = score_module().report(result, "all", markdown=True)
    for lang in languages():
        assert f"| {lang} |" in text
    assert "| comments |" in text and "bp removed (holdout)" in text
    # with the rule stage running, content is overwhelmingly kept whatever the rules do
    assert result.share(label="content") is not None  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", sorted(REQUIRED))
def test_gate_boilerplate_removed(lang: str) -> None:
    share = tally().share(lang, "boilerplate", split="train")  # type: ignore[attr-defined]
    assert share >= score_module().GATES["removed"]


@pytest.mark.parametrize("lang", sorted(REQUIRED))
def test_gate_content_kept(lang: str) -> None:
    assert tally().share(lang, "content") >= score_module().GATES["content"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", sorted(REQUIRED))
def test_gate_lookalikes_kept(lang: str) -> None:
    assert tally().share(lang, "lookalike") >= score_module().GATES["lookalike"]  # type: ignore[attr-defined]
