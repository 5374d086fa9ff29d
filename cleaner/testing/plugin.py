"""The kit's pytest plugin (entry point ``pytest11``: loaded wherever boilerclean is installed).

Fixtures:

- ``check_rule``: ``check_rule(MyRule, **options)`` runs the whole rule contract (or
  ``checks=[...]``, names from :data:`cleaner.testing.contract.CHECKS`) and fails the test with
  every failing check's message;
- ``rule_strategies``: the :mod:`cleaner.testing.strategies` module;
- ``run_rule``: :func:`cleaner.testing.contract.run_rule`, one rule applied as the pipeline does.

This module imports neither hypothesis nor the kit: a fixture imports them when a test asks for
it, so the plugin costs nothing in a test run that does not use it, and a fixture used without
the ``testing`` extra fails with the command that installs it. It also registers the kit's
hypothesis profiles (``boilerclean-fast``, ``boilerclean-thorough``) when one of them is asked
for with ``--hypothesis-profile``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

_EXTRA = 'the rule author\'s kit needs hypothesis: pip install "boilerclean[testing]"'


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register the kit's profiles before hypothesis's plugin loads the one asked for."""
    profile = config.getoption("hypothesis_profile", default=None)
    if isinstance(profile, str) and profile.startswith("boilerclean-"):
        from cleaner.testing.profiles import register_profiles

        register_profiles()


def _kit(module: str) -> ModuleType:
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        pytest.fail(_EXTRA, pytrace=False)
    import importlib

    return importlib.import_module(module)


@pytest.fixture
def check_rule() -> Callable[..., None]:
    """Run the rule contract on a rule class; fail the test with every failing check."""
    contract = _kit("cleaner.testing.contract")

    def check(rule: Any, *, checks: Any = None, **options: Any) -> None:
        results = contract.RuleContract(rule, **options).run(checks or contract.CHECKS)
        failed = [r for r in results if r.outcome == "failed"]
        if failed:
            report = "\n\n".join(f"[{r.check}] {r.message}" for r in failed)
            pytest.fail(f"{len(failed)} contract check(s) failed:\n\n{report}", pytrace=False)

    return check


@pytest.fixture
def rule_strategies() -> ModuleType:
    """The :mod:`cleaner.testing.strategies` module."""
    return _kit("cleaner.testing.strategies")


@pytest.fixture
def run_rule() -> Callable[..., Any]:
    """:func:`cleaner.testing.contract.run_rule`: apply one rule to a text, get the Document."""
    run: Callable[..., Any] = _kit("cleaner.testing.contract").run_rule
    return run
