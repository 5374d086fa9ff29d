"""The registry: entry points, --rules-path, validation, selection, order, docs, the stage."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from cleaner.config import Options
from cleaner.document import Document
from cleaner.registry import (
    ENTRY_POINT_GROUP,
    RuleSet,
    describe,
    discover,
    load_rules,
    main,
    render_docs,
    select_rules,
    validate_rule,
)
from cleaner.rule import LineRule, Rule, apply_rules

ROOT = Path(__file__).resolve().parent.parent
BUILT_IN = {
    "ads",
    "byline",
    "captions",
    "comments",
    "consent",
    "factbox",
    "feed_header",
    "navigation",
    "newsletter",
    "ratings",
    "related",
    "repeated_title",
    "share",
    "source_footer",
    "tags",
    "title",
    "toolbar",
}

GOOD = '''
from cleaner.rule import Context, LineRule


class Shout(LineRule):
    """Drop lines in capitals only; mixed case stays."""

    name = "shout"
    tags = ("noise",)
    languages = ("*",)
    examples = (("Hello.\\nBUY NOW\\n", "Hello.\\n"),)

    def drop(self, line: str, ctx: Context) -> bool:
        return line.isupper()
'''


def test_the_built_in_pack_registers_through_entry_points() -> None:
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert names >= BUILT_IN
    rules = load_rules(Options())
    assert {r.name for r in rules} >= BUILT_IN
    assert len({r.name for r in rules}) == len(rules)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in BUILT_IN:
            assert ep.value == f"cleaner_rules.{ep.name}:{ep.load().__name__}"


@pytest.mark.parametrize("rule", load_rules(Options()), ids=lambda r: r.name)
def test_each_built_in_rule_is_valid_and_its_examples_hold(rule: Rule) -> None:
    assert validate_rule(type(rule), type(rule).__module__) == []
    assert rule.summary() and rule.version
    for before, after in rule.examples:
        once = apply_rules(Document(id="ex", source=before), [rule]).text
        assert once == after
        assert apply_rules(Document(id="ex", source=once), [rule]).text == once


def test_order_is_priority_then_name_and_deterministic() -> None:
    rules = load_rules(Options())
    keys = [(r.priority, r.name) for r in rules]
    assert keys == sorted(keys)
    assert rules[0].name == "feed_header"
    assert [r.name for r in load_rules(Options())] == [r.name for r in rules]


def test_rules_path_loads_unpackaged_modules(tmp_path: Path) -> None:
    (tmp_path / "shout.py").write_text(GOOD, encoding="utf-8")
    options = Options(rules_path=[str(tmp_path)])
    assert "shout" in {r.name for r in load_rules(options)}
    doc = RuleSet(options)(Document(id="d", source="The chip ships.\nBUY NOW\n"))
    assert doc.text == "The chip ships.\n"
    assert [r.rule for r in doc.removed] == ["shout"]


def test_broken_and_invalid_modules_are_logged_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "shout.py").write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.py").write_text("import does_not_exist\n", encoding="utf-8")
    (tmp_path / "misnamed.py").write_text(GOOD.replace('"shout"', '"other"'), encoding="utf-8")
    nodoc = GOOD.replace('"""Drop lines in capitals only; mixed case stays."""', "")
    (tmp_path / "nodoc.py").write_text(nodoc.replace('"shout"', '"nodoc"'), encoding="utf-8")
    (tmp_path / "comments.py").write_text(GOOD.replace('"shout"', '"comments"'), encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="cleaner.registry"):
        names = [cls.name for cls in discover(Options(rules_path=[str(tmp_path)]))]
    assert "shout" in names
    assert names.count("comments") == 1 and "other" not in names and "nodoc" not in names
    text = caplog.text
    assert "broken.py cannot be imported" in text
    assert "name the module after the rule" in text
    assert "needs a docstring" in text
    assert "a rule of that name is loaded already" in text


def test_a_missing_rules_path_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a folder"):
        load_rules(Options(rules_path=["/no/such/folder"]))


def test_validate_rule_names_every_problem() -> None:
    class Bare(LineRule):
        name = "bare"

    problems = validate_rule(Bare, "bare")
    assert any("docstring" in p for p in problems)
    assert any("examples" in p for p in problems)
    assert any("tags" in p for p in problems)
    assert validate_rule(int) == ["<class 'int'> is not a subclass of cleaner.rule.Rule"]


def test_select_and_ignore_by_name_and_tag() -> None:
    classes = discover(Options())
    assert [c.name for c in select_rules(classes, ["comments,ratings"])] == [
        c.name for c in classes if c.name in {"comments", "ratings"}
    ]
    by_tag = {c.name for c in select_rules(classes, ["metadata"])}
    assert by_tag == {"feed_header", "source_footer", "title"}
    left = {c.name for c in select_rules(classes, [], ["metadata", "comments"])}
    assert left == BUILT_IN - by_tag - {"comments"}
    with pytest.raises(ValueError, match="unknown rule or tag: comment"):
        select_rules(classes, ["comment"])
    doc = RuleSet(Options(ignore=["comments"]))(Document(id="d", source="Body.\nComments (2)\n"))
    assert doc.text == "Body.\nComments (2)\n"


def test_describe_lists_every_rule_with_tags_languages_and_summary() -> None:
    text = describe(Options())
    lines = text.splitlines()
    assert lines[0].split() == ["name", "tags", "languages", "summary"]
    for rule in load_rules(Options()):
        row = next(line for line in lines if line.startswith(rule.name + " "))
        assert ",".join(rule.tags) in row and rule.summary() in row


def test_the_rules_reference_page_is_up_to_date() -> None:
    page = ROOT / "docs" / "reference" / "rules.md"
    assert page.read_text(encoding="utf-8") == render_docs(load_rules(Options())), (
        "docs/reference/rules.md is stale: run `python -m cleaner.registry --write-docs`"
    )
    assert main(["--check-docs", str(page)]) == 0
