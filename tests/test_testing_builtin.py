"""Every built-in rule passes the rule contract (``cleaner.testing``), one test class per rule.

The same classes a third-party author gets from :func:`cleaner.testing.rule_contract`; the
number of examples per check follows the loaded hypothesis profile, capped so that the whole
pack stays well under a minute on two cores.
"""

from __future__ import annotations

from hypothesis import settings

from cleaner.config import Options
from cleaner.registry import load_rules
from cleaner.testing import rule_contract

RULES = load_rules(Options())
_EXAMPLES = {"max_examples": min(settings.default.max_examples, 20)} if settings.default else {}


def test_the_built_in_pack_is_loaded() -> None:
    assert len(RULES) >= 9, [r.name for r in RULES]


for _rule in RULES:
    _cls = rule_contract(type(_rule), settings=_EXAMPLES)
    globals()[f"TestContract_{_rule.name}"] = _cls
