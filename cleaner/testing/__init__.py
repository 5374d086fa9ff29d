"""The rule author's kit: hypothesis strategies over real text and a contract for rules.

Install it with the ``testing`` extra (``pip install "boilerclean[testing]"``), then::

    from cleaner.testing import rule_contract
    TestMyRule = rule_contract(MyRule)          # a pytest test class: nine checks

    from cleaner.testing import strategies      # content, boilerplate, hostile text...

or, without writing a test file, ``clean --check-rules my_rules/``. A pytest plugin (loaded
automatically once boilerclean is installed) adds the fixtures ``check_rule``,
``rule_strategies`` and ``run_rule``. See ``docs/howto/test-a-rule.md`` and
``docs/reference/testing.md``.

Importing this package costs nothing: hypothesis is imported only when a name below is first
used, so the plugin stays free in test runs that do not use the kit.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "CHECKS",
    "CheckResult",
    "ContractFailure",
    "RuleContract",
    "check_rules",
    "claims_subtractive",
    "rule_contract",
    "run_rule",
    "strategies",
]

_FROM = {
    "CHECKS": "contract",
    "CheckResult": "contract",
    "ContractFailure": "contract",
    "RuleContract": "contract",
    "claims_subtractive": "contract",
    "rule_contract": "contract",
    "run_rule": "contract",
    "check_rules": "check",
}


def __getattr__(name: str) -> Any:
    if name == "strategies":
        return importlib.import_module("cleaner.testing.strategies")
    if name in _FROM:
        module = importlib.import_module(f"cleaner.testing.{_FROM[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'cleaner.testing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
