"""How long the site is to read, and which helpers it shows more than once.

    python -m tools.commands.stats                 a table: every page, then the total
    python -m tools.commands.stats docs/x.md ...   only these pages (.md or .ipynb)
    python -m tools.commands.stats --long          also list every sentence of 40 words or more
    python -m tools.commands.stats --json          the same figures for machines

Pages are docs/*.md and the notebooks docs/*.ipynb (a markdown cell is read as a page of
its own, a code cell is a code block; a cell tagged `redefines=Name` declares a deliberate
redefinition, as `data-redefines` does on a fence: an exercise's solution, say).

What counts as prose: the text of paragraphs, wherever they sit: list items, block quotes,
admonition and collapsible bodies, content tabs, notebook markdown cells. Not prose:
headings, code and output blocks, diagrams, tables (counted apart, as table words), the
front matter, HTML blocks and comments, the titles of admonitions and tabs, link
targets and images (a link's text is prose, its address is not), attribute lists
(``{ #anchor }``) and emoji shortcodes. A word is a run of characters between spaces that
holds a letter or a digit; an inline code span is one word, however long. Reading minutes
are prose words at 230 words a minute.

Code blocks are the Python blocks the pages show (and notebook code cells); their lines
are the non-blank lines they show. Diagrams are ``mermaid`` fences.

The longest stretch is the most prose words read without a heading, a code or output
block, a table or a diagram between them; it is given with the line where it starts.
A sentence ends at ``.``, ``!`` or ``?`` followed by a space and a capital (or a code span
or a digit), or at the end of its paragraph or list item.

Defined in more than one block: every class, and every function that is not a method
(top-level, or nested in a function), defined in more than one shown Python block, found
by parsing each block with ``ast``. Functions a block uses as graph nodes (given to
``add_node``, ``add_edge``, ``Send``...; decorated ``@task``/``@entrypoint``) or as entry
points (``main``, what ``asyncio.run`` runs, a thread's ``target=``) are listed apart: each
demo has its own, and they do not count as a helper shown twice. A block whose fence carries
``data-redefines="Name Other"`` defines those names again on purpose (a broken version,
then the fixed one): those definitions are listed apart, as deliberate, and a name is
shown twice only when two blocks define it without saying so.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tools.harness import pages
from tools.harness.pages import PageError, fence_info, read_page
from tools.paths import DOCS, rel

WORDS_PER_MINUTE = 230
LONG_SENTENCE = 40  # words
DIAGRAM = "mermaid"


# ---------------------------------------------------------------------------------------
# The one place that uses the page reader (tools/harness/pages.py).


@dataclass
class Shown:
    """A Python block as a page shows it."""

    where: str  # page:line of its opening fence (page:cell N for a notebook cell)
    code: str
    redefines: frozenset[str] = frozenset()


def _redefines(block) -> frozenset[str]:
    return frozenset(block.redefines)


def _markdown(path: Path) -> tuple[list, list[Shown]]:
    """A page's markdown-it tokens (front matter blanked) and its Python blocks."""
    raw = path.read_text(encoding="utf-8")
    shown = [Shown(b.where, b.code, _redefines(b)) for b in read_page(path).blocks]
    return pages.tokens(_blank_front_matter(raw)), shown


def _language(info: str) -> str:
    return fence_info(info)[0]


# ---------------------------------------------------------------------------------------
# Counting words and sentences


def _blank_front_matter(text: str) -> str:
    """The front matter's lines made empty, so that every other line keeps its number."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                return "\n".join([""] * (end + 1) + lines[end + 1 :])
    return text


def _keep_lines(replacement: str | Callable[[re.Match], str]):
    """A re.sub replacement that keeps the newlines of what it replaces (so that offsets
    still tell lines)."""

    def replace(match: re.Match) -> str:
        text = replacement(match) if callable(replacement) else replacement
        return text + "\n" * (match.group(0).count("\n") - text.count("\n"))

    return replace


_CLEAN = [
    # inline code: one word (its spaces joined until the text is shown)
    (re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S), _keep_lines(lambda m: _join(m.group(0)))),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), _keep_lines(" ")),  # images
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), _keep_lines(" ")),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)", re.S), _keep_lines(lambda m: m.group(1))),  # links
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]", re.S), _keep_lines(lambda m: m.group(1))),
    (re.compile(r"<!--.*?-->", re.S), _keep_lines(" ")),  # comments, tags, autolinks
    (re.compile(r"</?[A-Za-z][^>]*>", re.S), _keep_lines(" ")),
    (re.compile(r"\{:?\s*[#.][^}]*\}|\{:?\s*[\w-]+=\"[^\"]*\"[^}]*\}"), " "),  # attr_list
    (re.compile(r"(?<![\w`]):[a-z0-9_+-]+:(?![\w`])"), " "),  # emoji shortcodes
]
_JOINER = "\u2060"


def _join(code: str) -> str:
    return re.sub(r"\s+", _JOINER, code)


_WORD = re.compile(r"\S*[A-Za-z0-9]\S*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]*_]*\s+(?=[\"'(\[*_`]*[A-Z0-9`])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|Mr|Dr|No|Fig)\.$")


def clean(markdown: str) -> str:
    """The text a reader reads, from a paragraph's markdown source (lines kept)."""
    for pattern, replacement in _CLEAN:
        markdown = pattern.sub(replacement, markdown)
    return markdown


def words(text: str) -> int:
    return len(_WORD.findall(text))


def sentences(text: str) -> Iterable[tuple[int, str]]:
    """(offset, sentence) for each sentence of cleaned text."""
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : boundary.start()]):
            continue
        yield start, text[start : boundary.start()]
        start = boundary.end()
    if text[start:].strip():
        yield start, text[start:]


# ---------------------------------------------------------------------------------------
# One page


@dataclass
class Sentence:
    where: str
    words: int
    text: str


@dataclass
class PageStats:
    page: str
    prose: int = 0
    tables: int = 0
    blocks: int = 0
    lines: int = 0
    diagrams: int = 0
    stretch: int = 0
    stretch_at: str = ""
    long_sentences: list[Sentence] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list, repr=False)
    _run: int = field(default=0, repr=False)  # the stretch being read
    _run_at: str = field(default="", repr=False)

    @property
    def minutes(self) -> float:
        return self.prose / WORDS_PER_MINUTE

    @property
    def name(self) -> str:
        return Path(self.page).stem

    def pause(self) -> None:
        """A heading, code block, table or diagram: the stretch of prose ends."""
        self._run = 0

    def read(self, text: str, where: Callable[[int], str], first_line: int) -> None:
        """A paragraph's markdown source, starting on 0-based line first_line."""
        text = clean(text)
        count = words(text)
        if not count:
            return
        self.prose += count
        if not self._run:
            self._run_at = where(first_line)
        self._run += count
        if self._run > self.stretch:
            self.stretch, self.stretch_at = self._run, self._run_at
        for offset, sentence in sentences(text):
            n = words(sentence)
            if n >= LONG_SENTENCE:
                line = first_line + text.count("\n", 0, offset)
                self.long_sentences.append(
                    Sentence(where(line), n, " ".join(sentence.split()).replace(_JOINER, " "))
                )

    def show(self, block: Shown) -> None:
        self.blocks += 1
        self.lines += sum(1 for line in block.code.split("\n") if line.strip())
        self.shown.append(block)

    def as_dict(self) -> dict:
        return {
            "page": self.page,
            "prose_words": self.prose,
            "prose_minutes": round(self.minutes, 1),
            "table_words": self.tables,
            "code_blocks": self.blocks,
            "code_lines": self.lines,
            "diagrams": self.diagrams,
            "longest_stretch": {"words": self.stretch, "at": self.stretch_at},
            "long_sentences": [s.__dict__ for s in self.long_sentences],
        }


def _walk(stats: PageStats, tokens: list, where: Callable[[int], str]) -> None:
    """Count one markdown text's tokens into stats."""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            stats.pause()
            i += 3  # heading_open, inline, heading_close
            continue
        if kind in ("fence", "code_block"):
            stats.pause()
            if kind == "fence" and _language(token.info) == DIAGRAM:
                stats.diagrams += 1
        elif kind == "table_open":  # a reader with the tables extension
            stats.pause()
            while tokens[i].type != "table_close":
                if tokens[i].type == "inline":
                    stats.tables += words(clean(tokens[i].content))
                i += 1
        elif kind == "inline" and token.map:
            if _is_table(token.content):
                stats.pause()
                stats.tables += words(clean(_table_text(token.content)))
            else:
                stats.read(token.content, where, token.map[0])
        i += 1


_DELIMITER_ROW = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")


def _is_table(content: str) -> bool:
    """A paragraph that is a pipe table (for a reader without the tables extension)."""
    lines = content.split("\n")
    return len(lines) >= 2 and "|" in lines[0] and bool(_DELIMITER_ROW.match(lines[1].strip()))


def _table_text(content: str) -> str:
    rows = content.split("\n")
    return "\n".join(row.replace("|", " ") for n, row in enumerate(rows) if n != 1)


def measure_page(path: Path) -> PageStats:
    path = Path(path).resolve()
    stats = PageStats(rel(path))
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        for number, cell in enumerate(cells, 1):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if cell.get("cell_type") == "markdown":
                _walk(
                    stats,
                    pages.tokens(source),
                    lambda line, n=number: f"{stats.page}:cell {n}:{line + 1}",
                )
            elif cell.get("cell_type") == "code" and source.strip():
                stats.pause()
                tags = cell.get("metadata", {}).get("tags", [])
                redefines = frozenset(
                    t.removeprefix("redefines=") for t in tags if t.startswith("redefines=")
                )
                stats.show(Shown(f"{stats.page}:cell {number}", source, redefines))
        return stats
    tokens, shown = _markdown(path)
    _walk(stats, tokens, lambda line: f"{stats.page}:{line + 1}")
    for block in shown:
        stats.show(block)
    return stats


# ---------------------------------------------------------------------------------------
# The site: pages, and what more than one block defines


@dataclass
class Definitions:
    kind: str  # "class" or "function"
    name: str
    places: list[str]  # where blocks define it without declaring it
    declared: list[str]  # where blocks define it again, declared with data-redefines


@dataclass
class Site:
    pages: list[PageStats]
    definitions: list[Definitions]
    unparsed: list[str]  # blocks ast cannot parse (with why)

    @property
    def total(self) -> PageStats:
        total = PageStats("total")
        for page in self.pages:
            for name in ("prose", "tables", "blocks", "lines", "diagrams"):
                setattr(total, name, getattr(total, name) + getattr(page, name))
            total.long_sentences += page.long_sentences
            if page.stretch > total.stretch:
                total.stretch, total.stretch_at = page.stretch, page.stretch_at
        return total

    @property
    def duplicates(self) -> list[Definitions]:
        """Classes and functions (not nodes) that two or more blocks define without saying
        so: what the site's budget allows none of."""
        return [d for d in self.shown_twice if d.kind != "node"]

    @property
    def shown_twice(self) -> list[Definitions]:
        return [d for d in self.definitions if len(d.places) > 1]

    @property
    def redefinitions(self) -> list[Definitions]:
        return [d for d in self.definitions if d.declared]

    def as_dict(self) -> dict:
        def entry(d: Definitions) -> dict:
            return {"name": d.name, "places": d.places, "declared": d.declared}

        return {
            "words_per_minute": WORDS_PER_MINUTE,
            "pages": [p.as_dict() for p in self.pages],
            "total": self.total.as_dict() | {"page": None},
            "shown_twice": {
                kind: [entry(d) for d in self.shown_twice if d.kind == kind] for kind in KINDS
            },
            "declared_redefinitions": [entry(d) | {"kind": d.kind} for d in self.redefinitions],
            "unparsed_blocks": self.unparsed,
        }


_GRAPH_CALLS = {"add_node", "add_sequence", "add_edge", "add_conditional_edges", "Send"}
_GRAPH_DECORATORS = {"task", "entrypoint"}
KINDS = {
    "class": "Classes",
    "function": "Functions (not methods, nodes or entry points)",
    "node": "Graph nodes and entry points (each demo's own: not counted)",
}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _roles(tree: ast.AST) -> set[str]:
    """Names a block uses as graph nodes (given to add_node, add_edge, Send...; decorated
    @task or @entrypoint) or as entry points (main, what asyncio.run runs, a thread's or
    process's target=)."""
    found = {"main"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = _name(node)
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if called in _GRAPH_CALLS:
                found |= {n.id for a in arguments for n in ast.walk(a) if isinstance(n, ast.Name)}
            elif called == "run":
                found |= {_name(a) for a in arguments if isinstance(a, ast.Call)} - {None}
            found |= {_name(k.value) for k in node.keywords if k.arg == "target"} - {None}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if any(_name(d) in _GRAPH_DECORATORS for d in node.decorator_list):
                found.add(node.name)
    return found


def defined(code: str) -> dict[str, set[str]]:
    """Names a block defines, nested ones included: classes, functions that are not
    methods, and of those the graph nodes and entry points (kind "node")."""
    names: dict[str, set[str]] = {kind: set() for kind in KINDS}

    def visit(node: ast.AST, in_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                names["class"].add(child.name)
                visit(child, True)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not in_class:
                    names["function"].add(child.name)
                visit(child, False)
            else:
                visit(child, in_class)

    tree = ast.parse(code)
    visit(tree, False)
    names["node"] = names["function"] & _roles(tree)
    names["function"] -= names["node"]
    return names


def measure(paths: Iterable[Path]) -> Site:
    pages = [measure_page(p) for p in paths]
    found: dict[tuple[str, str], Definitions] = {}
    unparsed: list[str] = []
    for page in pages:
        for block in page.shown:
            try:
                names = defined(block.code)
            except SyntaxError as error:
                unparsed.append(f"{block.where}: {error.msg} (line {error.lineno} of the block)")
                continue
            for kind in KINDS:
                for name in sorted(names[kind]):
                    d = found.setdefault((kind, name), Definitions(kind, name, [], []))
                    (d.declared if name in block.redefines else d.places).append(block.where)
    order = list(KINDS)
    definitions = sorted(
        found.values(), key=lambda d: (order.index(d.kind), -len(d.places), d.name)
    )
    return Site(pages, definitions, unparsed)


def site_pages() -> list[Path]:
    return sorted([*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")])


# ---------------------------------------------------------------------------------------
# The report


def _short(where: str) -> str:
    return where.removeprefix("docs/")


def table(site: Site) -> str:
    head = ("page", "prose", "min", "tables", "blocks", "lines", "diagr", "longest stretch", "40+")
    rows = []
    for p in [*site.pages, site.total]:
        stretch = f"{p.stretch} @ {_short(p.stretch_at)}" if p.stretch else "-"
        rows.append(
            (
                _short(p.page),
                f"{p.prose:,}",
                f"{p.minutes:.1f}",
                f"{p.tables:,}",
                str(p.blocks),
                f"{p.lines:,}",
                str(p.diagrams),
                stretch,
                str(len(p.long_sentences)),
            )
        )
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    left = {0, 7}

    def line(row) -> str:
        cells = [
            cell.ljust(w) if c in left else cell.rjust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *map(line, rows[:-1]), rule, line(rows[-1])])


def report(site: Site, long: bool = False) -> str:
    total = site.total
    out = [
        table(site),
        "",
        textwrap.fill(
            f"prose: words of paragraphs, list items and admonitions, read at"
            f" {WORDS_PER_MINUTE} words a minute; tables: words in tables; blocks, lines:"
            " Python blocks shown (and notebook code cells), their non-blank lines; diagr:"
            " mermaid diagrams; longest stretch: prose words with no heading, code, table or"
            f" diagram between them, and where it starts; 40+: sentences of {LONG_SENTENCE}"
            " words or more (--long lists them).",
            width=100,
        ),
        "",
        f"Prose and tables together: {total.prose + total.tables:,} words,"
        f" {(total.prose + total.tables) / WORDS_PER_MINUTE:.0f} minutes.",
    ]
    for kind, label in KINDS.items():
        twice = [d for d in site.shown_twice if d.kind == kind]
        out += [
            "",
            f"{label} defined in more than one block: {len(twice)}"
            f" ({sum(len(d.places) for d in twice)} definitions)",
        ]
        width = max((len(d.name) for d in twice), default=0)
        for d in twice:
            first = f"  {d.name.ljust(width)}  {len(d.places):2}  "
            places = ", ".join(map(_short, d.places))
            out.append(
                textwrap.fill(
                    places,
                    100,
                    initial_indent=first,
                    subsequent_indent=" " * len(first),
                    break_on_hyphens=False,
                )
            )
    if site.redefinitions:
        out += ["", "Defined again on purpose (data-redefines on the block):"]
        for d in site.redefinitions:
            first = ", ".join(map(_short, d.places)) or "no block without data-redefines"
            again = ", ".join(map(_short, d.declared))
            out.append(f"  {d.kind} {d.name}: {again} (first shown: {first})")
    if site.unparsed:
        out += ["", "Blocks that are not valid Python (their definitions are not counted):"]
        out += [f"  {u}" for u in site.unparsed]
    if long:
        out += ["", f"Sentences of {LONG_SENTENCE} words or more: {len(total.long_sentences)}"]
        for s in total.long_sentences:
            text = s.text if len(s.text) <= 90 else s.text[:87] + "..."
            out.append(f"  {_short(s.where)}  {s.words} words  {text}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make stats", description=__doc__.split("\n\n")[0].strip()
    )
    parser.add_argument("pages", nargs="*", type=Path, help="pages to measure (default: all)")
    parser.add_argument("--long", action="store_true", help="list every long sentence")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    for path in args.pages:
        if path.suffix not in (".md", ".ipynb") or not path.is_file():
            print(f"{path}: not a page (give docs/<page>.md or docs/<page>.ipynb)")
            return 2
    try:
        site = measure(args.pages or site_pages())
    except PageError as error:
        print(f"{error}\n(fix the page; `make test-page PAGE=...` shows the same error)")
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"a page cannot be read: {error}")
        return 2
    print(json.dumps(site.as_dict(), indent=2) if args.json else report(site, args.long))
    return 0


if __name__ == "__main__":
    sys.exit(main())
