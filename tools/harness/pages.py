"""Read the site's pages: every fence, its attributes, and the code blocks they make.

This module is the one reader of a page's fences. Everything that looks at fences (the
harness, ``make snippets``, the diagrams of the build, the claims scanner, the Agent
Server's ``langgraph.json``) asks it, so they all agree on where a fence starts and ends
and what its attributes say.

* ``fences(text)``: every fenced block of a page, at its own line, however deep it sits in
  admonitions, collapsible blocks and content tabs (``!!!``, ``???``, ``???+``, ``===``),
  with backticks or tildes, three or more. The fences are markdown-it's tokens and line
  maps; the containers are removed first, keeping every line at its line number.
* Attributes are read as the build reads them: the brace form
  ```` ``` { .python title="name.py" data-repeat="50" } ```` by ``attr_list`` (so
  ``data-repeat=50`` and ``title='a.py'`` count), the plain form
  ```` ```python title="name.py" ```` by superfences' own option pattern. What the build
  cannot read is a page error naming the line.
* ``read_page(path)``: the page's Python blocks. A Python block names its snippet
  (``title="name.py"``); its documented output is the next fence,
  ```` ```text title="Output" ````, with nothing but prose between them. A block says what
  it is with attributes: ``data-raises="InvalidUpdateError"`` (it must raise that),
  ``data-repeat="50"`` (every run must print the same), ``data-needs="postgres"`` (it
  gets a scratch database), ``data-uses="one-thread/forcing.py"`` (a module of another
  page beside it), ``data-redefines="Counter"`` (it defines again, on purpose, a name an
  earlier block shows).
* A block may import another block of its page as a module (``from forcing import
  ReadsFirst`` where ``forcing.py`` is a block): ``Block.modules`` lists every block that
  has to sit beside it, from its page or, by ``data-uses``, from another.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions import attr_list
from markdown_it import MarkdownIt
from pymdownx.superfences import RE_NESTED_FENCE_START, RE_OPTIONS

from tools.paths import DOCS, ROOT, SNIPPETS, rel

__all__ = ["DOCS", "ROOT", "SNIPPETS", "Block", "Fence", "Page", "PageError", "rel"]

OUTPUT_TITLE = "Output"
# The one definition of a Python fence: its language, in the plain or the brace form
# (```python, ``` { .py title=... }), is one of these.
PYTHON = ("python", "py", "python3")
SERVICES = ("postgres",)  # what data-needs may name
DATABASE_VARIABLE = "DATABASE_URL"  # a block that reads it needs data-needs="postgres"
_CONTAINER = re.compile(r"^(!!!|\?\?\?\+?|===)\s")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_BRACE_EXAMPLE = '``` { .python title="name.py" data-repeat="3" }'


_md = MarkdownIt("commonmark")


class PageError(Exception):
    """A page is laid out in a way the harness cannot check."""

    def __init__(self, path: Path, line: int, message: str):
        self.path, self.line = path, line
        super().__init__(f"{rel(path)}:{line}: {message}")


@dataclass
class Fence:
    """One fenced block of a page, as the build sees it."""

    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence
    lang: str
    attrs: dict[str, str]
    content: str
    indent: str  # the opening line's indentation on the page (containers' included)
    closed: bool = True
    problem: str | None = None  # what the build cannot read in the opening line


def _flatten(text: str) -> str:
    """Remove ``!!!``/``???``/``===`` containers, dedenting their bodies.

    Line numbers are kept: a container's opening line becomes an empty line.
    """
    out: list[str] = []
    depth = 0
    fence: str | None = None  # the opening marker of the fence we are inside
    for line in text.split("\n"):
        if not line.strip():
            out.append("")
            continue
        indent = len(line) - len(line.lstrip(" "))
        while depth and indent < 4 * depth and fence is None:
            depth -= 1
        line = line[min(indent, 4 * depth) :]
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


def read_attributes(info: str) -> tuple[str, dict[str, str], str | None]:
    """Language, attributes and (if any) a problem of a fence's info string, read as
    pymdownx.superfences reads it: the brace form by attr_list, the plain form by
    superfences' option pattern (``key="value"``, ``key='value'`` or a bare ``key``)."""
    info = info.strip().replace("\t", " ")
    match = RE_NESTED_FENCE_START.match("```" + (" " + info if info else ""))
    lang = (match and match.group("lang")) or ""
    attrs: dict[str, str] = {}
    if match is None or match.group("unrecognized"):
        rest = info[len(lang) :].strip()
        return (
            lang,
            attrs,
            (
                f"the build cannot read the attributes {rest!r} (it would show this fence as "
                f"text): write them in the brace form, quoted: {_BRACE_EXAMPLE}"
            ),
        )
    if match.group("attrs") is not None:
        body = match.group("attrs")
        classes = []
        for key, value in attr_list.get_attrs_and_remainder(body + "}")[0]:
            if key == ".":
                classes.append(value)
            else:
                attrs[key] = key if value is None else value
        lang = lang or (classes[0] if classes else "")
        scanner = getattr(attr_list, "_scanner", None)  # what the build skips without a word
        rest = scanner.scan(body)[1].strip() if scanner else ""
        if rest:
            return (
                lang,
                attrs,
                (
                    f"attr_list cannot read {rest!r} in {{{body}}} (the build would drop it): "
                    f'write each attribute as key="value": {_BRACE_EXAMPLE}'
                ),
            )
    elif match.group("options"):
        options = match.group("options")
        for option in RE_OPTIONS.finditer(options):
            attrs[option.group("key")] = option.group("value") or option.group("key")
        if RE_OPTIONS.sub("", options).strip():  # what the build's pattern skips
            return (
                lang,
                attrs,
                (
                    f"the build cannot read the attributes {options.strip()!r} (it would misread "
                    f"them): write them in the brace form, quoted: {_BRACE_EXAMPLE}"
                ),
            )
    return lang, attrs, None


def fence_info(info: str) -> tuple[str, dict[str, str]]:
    """Language and attributes of a fence's info string (plain or brace form)."""
    lang, attrs, _ = read_attributes(info)
    return lang, attrs


def tokens(text: str) -> list:
    """markdown-it's tokens of a page, containers looked into, each at its page line: what
    the fences below are read from, for a tool that reads the prose too (make stats)."""
    return _md.parse(_flatten(text))


def fences(text: str) -> list[Fence]:
    """Every fenced block of a page, in order, containers looked into."""
    flat = _flatten(text)
    original, lines = text.split("\n"), flat.split("\n")
    found = []
    for token in _md.parse(flat):  # as tokens(text), with the flattened lines at hand
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        opening = lines[start].lstrip(" ")
        marker = _FENCE.match(opening)
        last = lines[end - 1].strip() if end - 1 > start else ""
        closed = bool(
            marker
            and last
            and set(last) == {marker.group(1)[0]}
            and len(last) >= len(marker.group(1))
        )
        info = opening[len(marker.group(1)) :] if marker else token.info
        lang, attrs, problem = read_attributes(info)
        row = original[start]
        found.append(
            Fence(
                line=start + 1,
                end=end,
                lang=lang,
                attrs=attrs,
                content=token.content,
                indent=row[: len(row) - len(row.lstrip(" "))],
                closed=closed,
                problem=problem,
            )
        )
    return found


def code_lines(text: str) -> set[int]:
    """1-based lines of a page that are code, not prose: every fenced block (its fences
    included) and every indented code block."""
    found: set[int] = set()
    for fence in fences(text):
        found.update(range(fence.line, fence.end + 1))
    for token in tokens(text):
        if token.type == "code_block" and token.map:
            found.update(range(token.map[0] + 1, token.map[1] + 1))
    return found


def _fence_lines(text: str) -> list[int]:
    """1-based lines of every opening fence by a plain line scan that knows nothing of
    containers or HTML: the check that the reader misses no fence."""
    found, fence = [], None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        marker = _FENCE.match(stripped)
        if fence is None and marker:
            fence = marker.group(1)
            found.append(number)
        elif fence is not None and marker and stripped == fence[0] * len(marker.group(1)):
            if len(marker.group(1)) >= len(fence):
                fence = None
    return found


def is_python(lang: str) -> bool:
    return lang in PYTHON


def lines_of(path: Path, lang: str) -> list[int]:
    """1-based lines of a page's fences in one language (e.g. its mermaid diagrams)."""
    if path.suffix != ".md":
        return []
    return [f.line for f in fences(path.read_text(encoding="utf-8")) if f.lang == lang]


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
    # the blocks that sit beside this one when it runs, by file name: the blocks of its
    # page it imports, and what data-uses brings from other pages (each with theirs)
    modules: dict[str, Block] = field(default_factory=dict)

    @property
    def repeat(self) -> int:
        """How many runs must all print the documented output (``data-repeat="50"``)."""
        value = self.attrs.get("data-repeat", "1")
        if not value.isdigit() or int(value) < 1:
            raise PageError(self.page, self.line, f'data-repeat="{value}" is not a count')
        return int(value)

    @property
    def needs(self) -> set[str]:
        """The services the block runs against (``data-needs="postgres"``)."""
        return set(self.attrs.get("data-needs", "").split())

    @property
    def uses(self) -> list[str]:
        """Modules of other pages it runs beside (``data-uses="one-thread/forcing.py"``)."""
        return self.attrs.get("data-uses", "").split()

    @property
    def redefines(self) -> set[str]:
        """Names it defines again on purpose (``data-redefines="Counter Other"``)."""
        return set(self.attrs.get("data-redefines", "").split())

    @property
    def module(self) -> str:
        return self.name.removesuffix(".py")

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


def docs_root(path: Path) -> Path:
    """The folder of pages a page belongs to (data-uses names pages relative to it)."""
    path = Path(path).resolve()
    if path.is_relative_to(DOCS):
        return DOCS
    return next((p for p in path.parents if p.name == "docs"), path.parent)


def imported_names(code: str) -> list[str]:
    """The top-level names of every module the code imports (absolute imports), in order."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update((a.name.split(".")[0], None) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found[node.module.split(".")[0]] = None
    return list(found)


def reads_database_url(code: str) -> bool:
    """The code names DATABASE_URL outside comments (a name or a string)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return DATABASE_VARIABLE in code
    return any(
        t.type in (tokenize.NAME, tokenize.STRING) and DATABASE_VARIABLE in t.string for t in tokens
    )


def _brace(fence: Fence, key: str, value: str) -> str:
    """The fence's opening line in the brace form, with one attribute added."""
    attrs = " ".join(f'{k}="{v}"' for k, v in {**fence.attrs, key: value}.items())
    return f"``` {{ .{fence.lang} {attrs} }}"


def _blocks(path: Path, text: str) -> list[Block]:
    lines_seen: set[int] = set()
    blocks: list[Block] = []
    previous: Block | None = None
    seen: dict[str, int] = {}
    for fence in fences(text):
        lines_seen.add(fence.line)
        if not fence.closed:
            raise PageError(path, fence.line, "this fence is never closed")
        if fence.problem and (is_python(fence.lang) or fence.attrs.get("title")):
            raise PageError(path, fence.line, fence.problem)
        if is_python(fence.lang):
            name = fence.attrs.get("title")
            if not name:
                raise PageError(
                    path,
                    fence.line,
                    'a Python block needs a snippet name: ```python title="name.py"',
                )
            if not re.fullmatch(r"[a-z0-9_]+\.py", name):
                raise PageError(
                    path,
                    fence.line,
                    f"snippet name {name!r} must be lower_snake_case ending in .py",
                )
            if name in seen:
                raise PageError(
                    path, fence.line, f"snippet name {name!r} is already used at line {seen[name]}"
                )
            seen[name] = fence.line
            previous = Block(
                path,
                fence.line,
                fence.end,
                name,
                fence.content,
                fence.attrs.get("data-raises"),
                fence.indent,
                attrs=fence.attrs,
            )
            previous.repeat  # noqa: B018 - a malformed data-repeat is a page error
            unknown = previous.needs - set(SERVICES)
            if unknown:
                raise PageError(
                    path,
                    fence.line,
                    f"data-needs names {' '.join(sorted(unknown))}: it knows {', '.join(SERVICES)}",
                )
            if reads_database_url(fence.content) and "postgres" not in previous.needs:
                raise PageError(
                    path,
                    fence.line,
                    f"{name} reads {DATABASE_VARIABLE}: say on its fence that it needs "
                    'PostgreSQL, add data-needs="postgres": '
                    + _brace(fence, "data-needs", "postgres"),
                )
            blocks.append(previous)
        elif fence.attrs.get("title") == OUTPUT_TITLE:
            if previous is None or previous.output is not None:
                raise PageError(
                    path,
                    fence.line,
                    "output block with no Python block before it "
                    "(an output block follows the block whose output it shows)",
                )
            previous.output = Output(fence.line + 1, fence.end, fence.indent, fence.content)
            previous = None
        else:
            previous = None
    for line in _fence_lines(text):
        if line not in lines_seen:
            raise PageError(
                path,
                line,
                "a fence the harness does not see as one (is it inside an HTML element or "
                "an unclosed container?): the build would not show it as code, and a Python "
                "block there would never run",
            )
    return blocks


def _shallow(path: Path, cache: dict[Path, list[Block]]) -> list[Block]:
    if path not in cache:
        cache[path] = _blocks(path, path.read_text(encoding="utf-8"))
    return cache[path]


def _resolve(block: Block, blocks: list[Block], cache: dict[Path, list[Block]]) -> None:
    """Fill block.modules: what it imports from its page, what data-uses brings, and what
    those import in turn. Two modules of one name, or a name that is no block, is an error
    at the block's line."""
    found: dict[str, Block] = {}

    def add(module: Block, why: str) -> None:
        if module is block:  # a module that imports the block: its own file is there
            return
        if module.name == block.name:
            raise PageError(
                block.page,
                block.line,
                f"{why} brings a module named {block.name}, the block's own name",
            )
        known = found.get(module.name)
        if known is not None and known is not module:
            raise PageError(
                block.page,
                block.line,
                f"two modules named {module.name} would sit beside {block.name}: "
                f"{known.where} and {module.where}; rename one",
            )
        if known is None:
            found[module.name] = module
            visit(module, _shallow(module.page, cache))

    def visit(current: Block, siblings: list[Block]) -> None:
        by_module = {b.module: b for b in siblings}
        for name in imported_names(current.code):
            if name in by_module and by_module[name] is not current:
                add(by_module[name], f"`import {name}` in {current.where}")
        root = docs_root(current.page)
        for used in current.uses:
            folder, _, name = used.rpartition("/")
            page = (root / f"{folder}.md") if folder else current.page
            if not page.exists() or not name.endswith(".py"):
                raise PageError(
                    current.page,
                    current.line,
                    f'data-uses="{used}" names no page: write page-folder/name.py, as under '
                    f"snippets/ (e.g. one-thread/forcing.py for {rel(root / 'one-thread.md')})",
                )
            match = [b for b in _shallow(page.resolve(), cache) if b.name == name]
            if not match:
                raise PageError(
                    current.page,
                    current.line,
                    f'data-uses="{used}": {rel(page)} has no block titled {name}',
                )
            add(match[0], f'data-uses="{used}" at {current.where}')

    visit(block, blocks)
    block.modules = found


def read_page(path: Path) -> Page:
    """Every Python block of a page with its snippet name, documented output and the
    modules it runs beside."""
    path = Path(path).resolve()
    blocks = _blocks(path, path.read_text(encoding="utf-8"))
    cache = {path: blocks}
    by_name = {b.name: b for b in blocks}
    for block in blocks:
        _resolve(block, blocks, cache)
        for name, module in block.modules.items():
            # one snippets/ folder per page: a module from elsewhere takes a name of its own
            mine = by_name.get(name)
            if mine is not None and mine is not module:
                raise PageError(
                    path,
                    block.line,
                    f"{block.name} brings {name} from {module.where}, but this page has its "
                    f"own {name} at line {mine.line}: rename one",
                )
        for name, module in block.modules.items():
            if module.page != path:
                for other in blocks:
                    theirs = other.modules.get(name)
                    if theirs is not None and theirs is not module:
                        raise PageError(
                            path,
                            block.line,
                            f"{block.name} brings {name} from {module.where}, but "
                            f"{other.name} (line {other.line}) brings it from {theirs.where}",
                        )
    return Page(path, blocks)
