"""Versions the site states, read from uv.lock: never typed by hand."""

import functools
import tomllib

from tools.paths import LOCK


def locked_version(package: str) -> str:
    stat = LOCK.stat()
    versions = _locked_versions(stat.st_mtime_ns, stat.st_size)
    if package not in versions:
        raise LookupError(f"{package} is not in {LOCK.name}")
    return versions[package]


@functools.lru_cache(maxsize=1)
def _locked_versions(mtime_ns: int, size: int) -> dict[str, str]:
    """Every package's locked version; parsed again only when uv.lock changes (a serve
    rebuild reloads the hooks, not this module)."""
    with LOCK.open("rb") as f:
        return {entry["name"]: entry["version"] for entry in tomllib.load(f)["package"]}


def lower_bound(package: str) -> str:
    """The oldest version pyproject.toml allows for package (its `>=` bound)."""
    with (LOCK.parent / "pyproject.toml").open("rb") as f:
        for spec in tomllib.load(f)["project"]["dependencies"]:
            name, _, bound = spec.partition(">=")
            if name.strip() == package:
                return bound.split(",")[0].strip()
    raise LookupError(f"{package} has no >= bound in pyproject.toml")
