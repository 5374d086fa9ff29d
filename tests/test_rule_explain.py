"""``explain``: every removal of a seed shows up marked by its rule, the text stays readable."""

from __future__ import annotations

from pathlib import Path

from cleaner.config import Options
from cleaner.document import Document, Removal
from cleaner.explain import explain
from cleaner.registry import RuleSet

ROOT = Path(__file__).resolve().parent.parent


def test_every_removal_is_marked_by_its_rule() -> None:
    source = (ROOT / "seeds" / "003_46ce2d79ce502dac.txt").read_text(encoding="utf-8")
    doc = RuleSet(Options())(Document(id="003", source=source))
    shown = explain(doc)
    for r in doc.removed:
        for piece in r.text.split("\n"):
            if piece:
                assert f"[-{r.rule}: {piece}-]" in shown
    assert "== title: Alibaba presenta un nuovo chip AI" in shown
    assert "== removed: " in shown and "comments 2" in shown
    # the kept text is there as it is, line for line
    for line in doc.text.split("\n"):
        assert line in shown.split("\n")


def test_dedup_removals_name_the_kept_copy_and_color_is_optional() -> None:
    doc = Document(id="b", source="Same paragraph.\nOwn text.\n", flags=["collateral"])
    doc.remove(Removal("dedup_near", 0, 16, "Same paragraph.\n", dup_of="a#0", similarity=0.9))
    plain = explain(doc)
    assert "[-dedup_near of a#0 (0.90): Same paragraph.-]" in plain
    assert "== flags: collateral" in plain
    colored = explain(doc, color=True)
    assert "\x1b[31m" in colored and "\x1b[" not in plain


def test_an_error_row_says_so() -> None:
    assert explain(Document(id="x", error="read failed")) == "== x\n== error: read failed"
