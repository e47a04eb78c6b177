"""The repository's root and the folders every part of tools/ shares."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
CACHE = ROOT / ".cache"
NODE_MODULES = ROOT / "node_modules"
LOCK = ROOT / "uv.lock"


def rel(path: Path | str) -> str:
    """path relative to the repository root, as messages show it (unchanged if outside)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
