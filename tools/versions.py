"""Versions the site states, read from uv.lock: never typed by hand."""

import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def locked_version(package: str) -> str:
    with LOCK.open("rb") as f:
        for entry in tomllib.load(f)["package"]:
            if entry["name"] == package:
                return entry["version"]
    raise LookupError(f"{package} is not in {LOCK.name}")
