"""Read the site's pages and find their code blocks and output blocks.

This module is the one place that knows how a page is laid out:

* a Python block names its snippet: ```` ```python title="name.py" ````;
* a block meant to raise says so, rustdoc-style, in the brace form:
  ```` ``` { .python title="name.py" data-raises="InvalidUpdateError" } ````;
* a forced-interleaving demo that must print the same thing every time says how many
  runs prove it: ```` ``` { .python title="name.py" data-repeat="50" } ````;
* the block's documented output is the next fence, ```` ```text title="Output" ````,
  with nothing but prose (no other fence) between them.

Fences nested in admonitions, collapsible blocks and content tabs
(``!!!``, ``???``, ``===``) are found too: ``flatten`` removes those
containers while keeping every line at its original line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from tools.paths import DOCS, ROOT, SNIPPETS, rel  # noqa: F401 - re-exported for the harness

OUTPUT_TITLE = "Output"
# The one definition of a Python fence: its language, in the plain or the brace form
# (```python, ``` { .py title=... }), is one of these.
PYTHON = ("python", "py", "python3")
_CONTAINER = re.compile(r"^(!!!|\?\?\?\+?|===)\s")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


class PageError(Exception):
    """A page is laid out in a way the harness cannot check."""

    def __init__(self, path: Path, line: int, message: str):
        self.path, self.line = path, line
        super().__init__(f"{rel(path)}:{line}: {message}")


def flatten(text: str) -> str:
    """Remove ``!!!``/``???``/``===`` containers, dedenting their bodies.

    Line numbers are kept: a container's opening line becomes an empty line.
    """
    out: list[str] = []
    depth = 0
    fence: str | None = None  # the opening marker of the fence we are inside
    for line in text.split("\n"):
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            while depth and indent < 4 * depth and fence is None:
                depth -= 1
            line = line[min(indent, 4 * depth) :]
        else:
            out.append("")
            continue
        stripped = line.lstrip(" ")
        marker = _FENCE.match(stripped)
        if fence is None and marker:
            fence = marker.group(1)
        elif (
            fence is not None
            and marker
            and stripped.rstrip() == fence[0] * len(marker.group(1))
            and len(marker.group(1)) >= len(fence)
        ):
            fence = None
        elif fence is None and _CONTAINER.match(line):
            depth += 1
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def fence_info(info: str) -> tuple[str, dict[str, str]]:
    """Language and attributes of a fence's info string (plain or brace form)."""
    info = info.strip()
    if info.startswith("{"):
        body = info.strip("{} ")
        lang = next((w[1:] for w in body.split() if w.startswith(".")), "")
    else:
        lang = info.split()[0] if info.split() else ""
    return lang, dict(_ATTR.findall(info))


def is_python(lang: str) -> bool:
    return lang in PYTHON


def python_fences(text: str) -> list[int]:
    """1-based lines of every opening fence whose language is Python, by a plain line scan
    that knows nothing of containers: the check that the parser misses no block."""
    found, fence = [], None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        marker = _FENCE.match(stripped)
        if fence is None and marker:
            fence = marker.group(1)
            if is_python(fence_info(stripped[len(fence) :])[0]):
                found.append(number)
        elif fence is not None and marker and stripped == fence[0] * len(marker.group(1)):
            if len(marker.group(1)) >= len(fence):
                fence = None
    return found


@dataclass
class Output:
    line: int  # 1-based line of the first content line
    end: int  # 1-based line of the closing fence
    indent: str
    text: str


@dataclass
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence
    name: str
    code: str
    raises: str | None = None
    indent: str = ""
    output: Output | None = None
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def repeat(self) -> int:
        """How many runs must all print the documented output (``data-repeat="50"``)."""
        value = self.attrs.get("data-repeat", "1")
        if not value.isdigit() or int(value) < 1:
            raise PageError(self.page, self.line, f'data-repeat="{value}" is not a count')
        return int(value)

    @property
    def snippet(self) -> Path:
        return SNIPPETS / self.page.relative_to(DOCS).with_suffix("") / self.name

    @property
    def where(self) -> str:
        return f"{rel(self.page)}:{self.line}"


@dataclass
class Page:
    path: Path
    blocks: list[Block] = field(default_factory=list)


_md = MarkdownIt("commonmark")


def parse_markdown(text: str):
    return _md.parse(flatten(text))


def read_page(path: Path) -> Page:
    """Every Python block of a page with its snippet name and documented output."""
    path = Path(path).resolve()
    raw = path.read_text(encoding="utf-8")
    lines = raw.split("\n")
    page = Page(path)
    previous: Block | None = None
    seen: dict[str, int] = {}
    for token in parse_markdown(raw):
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        lang, attrs = fence_info(token.info)
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip(" "))]
        if is_python(lang):
            name = attrs.get("title")
            if not name:
                raise PageError(
                    path,
                    start + 1,
                    'a Python block needs a snippet name: ```python title="name.py"',
                )
            if not re.fullmatch(r"[a-z0-9_]+\.py", name):
                raise PageError(
                    path,
                    start + 1,
                    f"snippet name {name!r} must be lower_snake_case ending in .py",
                )
            if name in seen:
                raise PageError(
                    path,
                    start + 1,
                    f"snippet name {name!r} is already used at line {seen[name]}",
                )
            seen[name] = start + 1
            previous = Block(
                path,
                start + 1,
                end,
                name,
                token.content,
                attrs.get("data-raises"),
                indent,
                attrs=attrs,
            )
            previous.repeat  # noqa: B018 - a malformed data-repeat is a page error
            page.blocks.append(previous)
        elif attrs.get("title") == OUTPUT_TITLE:
            if previous is None or previous.output is not None:
                raise PageError(
                    path,
                    start + 1,
                    "output block with no Python block before it "
                    "(an output block follows the block whose output it shows)",
                )
            previous.output = Output(start + 2, end, indent, token.content)
            previous = None
        else:
            previous = None
    return page


def all_pages() -> list[Page]:
    return [read_page(p) for p in sorted(DOCS.rglob("*.md"))]


def all_blocks() -> list[Block]:
    return [b for page in all_pages() for b in page.blocks]
