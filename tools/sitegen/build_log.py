"""What `mkdocs build` warned about, one line each, located on the page where possible.

MkDocs names the page and the link but not the line; a contributor wants
``docs/x.md:12: ...`` to jump to. The link is looked up in the page's source.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.paths import DOCS, rel

_LEVEL = re.compile(r"^(WARNING|ERROR)\s+-\s+")
_LINK = re.compile(r"Doc file '([^']+)' contains (?:a|an unrecognized relative) link '([^']+)'")


def locate(path: Path, target: str) -> int | None:
    """The 1-based line of the page that links to target, or None."""
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").split("\n")
    for pattern in (f"]({target}", f"]: {target}", target):
        for number, line in enumerate(lines, 1):
            if pattern in line:
                return number
    return None


def problems(output: str, docs: Path = DOCS) -> list[str]:
    """Each WARNING or ERROR line of mkdocs' output; a link's page and line put first."""
    found = []
    for line in output.splitlines():
        level = _LEVEL.match(line)
        if not level:
            continue
        message = line[level.end() :]
        link = _LINK.search(message)
        if link:
            page, target = link.groups()
            number = locate(docs / page, target)
            where = rel(docs / page) + (f":{number}" if number else "")
            message = f"{where}: {message}"
        found.append(f"{level[1]}: {message}")
    return found
