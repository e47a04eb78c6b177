"""Write every code block of the site to snippets/, or check that snippets/ is in sync.

    python -m tools.commands.snippets          write snippets/ from the pages
    python -m tools.commands.snippets --check  exit 1, naming each file, if snippets/ has drifted

The pages are the source of truth; snippets/ is derived and committed so that
readers can browse and copy the files, and run them: python snippets/<page>/<name>.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools.harness import notebook
from tools.harness.pages import PageError, read_page
from tools.paths import DOCS, SNIPPETS, rel

EDIT_PAGE = "edit the page, then run `make snippets`"
DELETE = "delete it, or run `make snippets`"


def header(page: Path) -> str:
    return f"# From {rel(page)}. Edit the page, then run `make snippets`.\n"


def expected(errors: list[str] | None = None) -> dict[Path, str]:
    """Every snippet file the pages define. A page that cannot be read is reported in
    errors (if given; else it raises) and the other pages are still read."""
    return {path: text for path, (text, _) in sources(errors).items()}


def sources(errors: list[str] | None = None) -> dict[Path, tuple[str, str]]:
    """Every snippet file the pages define: its text, and where it comes from
    (``docs/x.md:LINE``, the block's opening fence, or the notebook's path)."""
    files: dict[Path, tuple[str, str]] = {}
    for path in sorted(DOCS.rglob("*.md")):
        try:
            page = read_page(path)
        except PageError as error:
            if errors is None:
                raise
            errors.append(str(error))
            continue
        for block in page.blocks:
            files[block.snippet] = (header(block.page) + block.code, block.where)
    for nb in notebook.notebooks():
        files[notebook.script_path(nb)] = (notebook.script(nb), rel(nb))
    return files


def problems() -> list[str]:
    """One line per snippet that is missing, stale or orphaned."""
    found: list[str] = []
    want = sources(found)
    have = set(SNIPPETS.rglob("*.py")) if SNIPPETS.exists() else set()
    for path, (text, where) in sorted(want.items()):
        if path not in have:
            found.append(f"{rel(path)}: missing (its block is at {where}); run `make snippets`")
        elif path.read_text(encoding="utf-8") != text:
            found.append(f"{rel(path)}: differs from its block at {where}; {EDIT_PAGE}")
    for path in sorted(have - set(want)):
        found.append(f"{rel(path)}: orphan: no page has a block with this name; {DELETE}")
    return found


def write() -> list[str]:
    want = expected()
    changed = []
    for path, text in want.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(f"wrote {rel(path)}")
    if SNIPPETS.exists():
        for path in sorted(set(SNIPPETS.rglob("*.py")) - set(want)):
            path.unlink()
            changed.append(f"removed {rel(path)}")
        for folder in sorted(SNIPPETS.rglob("*"), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return changed


def main(argv: list[str]) -> int:
    try:
        if "--check" in argv:
            found = problems()
            for line in found:
                print(line)
            return 1 if found else 0
        changed = write()
    except PageError as error:
        print(error)
        return 1
    print("\n".join(changed) if changed else "snippets/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
