"""Versions the site states, read from uv.lock: never typed by hand."""

import tomllib

from tools.paths import LOCK


def locked_version(package: str) -> str:
    with LOCK.open("rb") as f:
        for entry in tomllib.load(f)["package"]:
            if entry["name"] == package:
                return entry["version"]
    raise LookupError(f"{package} is not in {LOCK.name}")


def lower_bound(package: str) -> str:
    """The oldest version pyproject.toml allows for package (its `>=` bound)."""
    with (LOCK.parent / "pyproject.toml").open("rb") as f:
        for spec in tomllib.load(f)["project"]["dependencies"]:
            name, _, bound = spec.partition(">=")
            if name.strip() == package:
                return bound.split(",")[0].strip()
    raise LookupError(f"{package} has no >= bound in pyproject.toml")
