"""Hypothesis settings for the rule contract: two profiles, and the rule for choosing one.

The kit registers two profiles:

- ``boilerclean-fast`` (25 examples per check, no deadline): the default for the contract's
  own checks when you have not loaded a profile of your own; the whole contract of one rule
  then runs in seconds, fit for CI;
- ``boilerclean-thorough`` (500 examples per check, no deadline): run it by hand before
  publishing a rule, ``pytest --hypothesis-profile=boilerclean-thorough``.

If you load a profile yourself (``settings.load_profile`` in your ``conftest.py``, or
``--hypothesis-profile``), the contract uses it and only switches off the deadline and the
health checks about slow or large data (hostile text is large and slow on purpose). The kit
never loads a profile globally: your other tests keep their settings.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings

__all__ = ["FAST", "THOROUGH", "contract_settings", "register_profiles"]

FAST = "boilerclean-fast"
THOROUGH = "boilerclean-thorough"
_RELAXED = (HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example)


def register_profiles() -> None:
    """Register ``boilerclean-fast`` and ``boilerclean-thorough`` (idempotent)."""
    settings.register_profile(FAST, max_examples=25, deadline=None)
    settings.register_profile(THOROUGH, max_examples=500, deadline=None)


def contract_settings(**overrides: Any) -> settings:
    """The settings a contract check runs with: the loaded profile, or ``boilerclean-fast``
    when none was loaded, with no deadline and the slow/large-data health checks off.

    >>> contract_settings(max_examples=3).max_examples
    3
    """
    current = settings.default
    if settings.get_current_profile_name() == "default" or current is None:
        parent = settings.get_profile(FAST)
    else:
        parent = current
    suppressed = list(dict.fromkeys([*parent.suppress_health_check, *_RELAXED]))
    values: dict[str, Any] = {"deadline": None, "suppress_health_check": suppressed}
    values.update(overrides)
    return settings(parent, **values)


register_profiles()
