"""Shared test settings: the ``--update-golden`` flag and the hypothesis profiles.

Hypothesis profiles, chosen with ``--hypothesis-profile NAME`` (or ``HYPOTHESIS_PROFILE``):

- ``ci``: few examples, derandomized, no deadline; loaded by default when ``CI`` is set, so CI
  runs are fast and repeatable on two shared cores;
- ``dev``: the default on a workstation, a little wider, still no deadline;
- ``thorough``: many examples, for a run by hand before a release.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=30,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden/ from the current output (review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run was asked to rewrite golden files (``pytest --update-golden``)."""
    return bool(request.config.getoption("--update-golden"))
