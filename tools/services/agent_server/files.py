"""The Agent Server's files, derived from docs/agent-server.md alone.

* the page's ```` ```json title="langgraph.json" ```` block is the server's configuration;
* every Python block that configuration names (``"./chat_graph.py:graph"``) is copied next
  to it, exactly as ``snippets/`` holds it.

``snippets/agent-server/langgraph.json`` is derived from the same block, so that a reader
can start ``langgraph dev`` in that folder (``python -m tools.services.agent_server``
writes it, ``--check`` reports drift).
"""

from __future__ import annotations

import json
from pathlib import Path

from tools.commands import snippets
from tools.harness.pages import PageError, fences, read_page
from tools.paths import DOCS, SNIPPETS, rel

PAGE = DOCS / "agent-server.md"
CONFIG = "langgraph.json"
WRITE = "python -m tools.services.agent_server"


def _config_block(page: Path) -> tuple[int, str]:
    """Line and text of the page's ```json title="langgraph.json"``` block."""
    found = []
    for fence in fences(page.read_text(encoding="utf-8")):
        if fence.lang == "json" and fence.attrs.get("title") == CONFIG:
            found.append((fence.line, fence.content))
    if len(found) != 1:
        raise PageError(
            page, 1, f'needs exactly one ```json title="{CONFIG}"``` block, found {len(found)}'
        )
    return found[0]


def config_text(page: Path = PAGE) -> str:
    return _config_block(page)[1]


def server_files(page: Path = PAGE) -> dict[str, str]:
    """Every file the server's folder holds: langgraph.json and the modules it names."""
    line, text = _config_block(page)
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        raise PageError(page, line, f"{CONFIG} is not valid JSON: {error}") from None
    paths = list(config.get("graphs", {}).values())
    if isinstance(config.get("auth"), dict) and "path" in config["auth"]:
        paths.append(config["auth"]["path"])
    blocks = {block.name: block for block in read_page(page).blocks}
    files = {CONFIG: text}
    for spec in paths:
        name = spec.split(":")[0].removeprefix("./")
        if name not in blocks:
            raise PageError(
                page, line, f"{CONFIG} names {name}, but no Python block has that title"
            )
        files[name] = snippets.header(page) + blocks[name].code
    return files


def derived_files(page: Path = PAGE) -> dict[Path, str]:
    """The files snippets/ holds beyond the Python blocks: the server's configuration."""
    folder = SNIPPETS / page.relative_to(DOCS).with_suffix("")
    return {folder / CONFIG: config_text(page)}


def config_problems(page: Path = PAGE) -> list[str]:
    found = []
    for path, text in derived_files(page).items():
        if not path.exists():
            found.append(f"{rel(path)}: missing; run `{WRITE}`")
        elif path.read_text(encoding="utf-8") != text:
            found.append(
                f"{rel(path)}: differs from its block on {rel(page)}; "
                f"edit the page, then run `{WRITE}`"
            )
    return found


def write_config(page: Path = PAGE) -> list[str]:
    written = []
    for path, text in derived_files(page).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(f"wrote {rel(path)}")
    return written
