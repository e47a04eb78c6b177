"""Whether this run is CI, and what a test does when something it needs is missing.

Locally a missing database, browser, Java or Agent Server skips the test with a message
that says what to install; under CI=true nothing is skipped: the same message fails it.
"""

from __future__ import annotations

import os


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(problem: str | None, missing: str = "tool") -> None:
    """Skip when problem (what is missing and what to do) is set; under CI=true, fail."""
    if not problem:
        return
    import pytest  # only tests call this; the commands that import this module do not

    if in_ci():
        pytest.fail(f"{problem}\n(CI=true: a missing {missing} is a failure)", pytrace=False)
    pytest.skip(problem)
