"""Every strong claim in page prose points at the row of the Guarantees page that backs it.

A page that says *always*, *never*, *safe*, *atomic*, *guaranteed* or *production* makes a
promise. The Guarantees page (``docs/guarantees.md``) states each promise once, with its
scope, what breaks it and the snippet whose run proves it. So, on every page but that one
and the errata (which quotes the old lesson), each of those words must sit in a paragraph,
list item or table row that links to a row of the Guarantees page
(``guarantees.md#anchor``, where ``anchor`` is the ``id`` of a row there), or be reworded.
A heading, an admonition's title, a page's ``description`` and a navigation title cannot
carry such a link, so there the word must be reworded.

What is not prose and is not read: fenced code blocks (Python, output, diagrams), HTML
comments, inline code, link addresses, HTML tags and attribute lists. The text of a link to
the Guarantees page names that page (its title is *Guarantees*) and is not a claim.

*unsafe* is allowed freely: it warns of a hazard, which the page shows happening, and a
warning cannot lead a reader to rely on something that does not hold.

Also checked: every ``guarantees.md#anchor`` link on any page (notebooks included) names
an anchor that exists on the Guarantees page.

The scanner is a few regular expressions over the lines that are not code; which lines are
code (fenced blocks, in containers too, and indented code) it asks the harness's one reader
of fences (``tools/harness/pages.py``), so it agrees with the build and the harness.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tools.harness.pages import code_lines

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GUARANTEES = DOCS / "guarantees.md"
EXEMPT = {"guarantees.md", "errata.md"}  # the table itself, and the page that quotes the old lesson

WORDS = re.compile(
    r"(?<![\w-])(crash-safe|always|never|safely|safe|atomically|atomic|guaranteed|guarantees"
    r"|guarantee|production)(?![\w])",
    re.IGNORECASE,
)
FIX = "link the sentence to a row of guarantees.md (guarantees.md#anchor), or reword"
REWORD = "reword it: {where} cannot carry a link to a row of guarantees.md"

_SINGLE_LINE = re.compile(r"^(#{1,6}\s|\||!!!|\?\?\?|===)")  # a unit of its own
_TITLED = re.compile(r"^(#{1,6}\s|!!!|\?\?\?|===)")  # headings and container titles
_ITEM = re.compile(r"^([-*+]|\d+[.)])\s")
_ROW_ANCHOR = re.compile(r'<span id="([\w-]+)"></span>')
_ANY_ID = re.compile(r'\bid="([\w-]+)"|\{\s*#([\w-]+)[^}]*\}')
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")
_LINK_TO_ROW = re.compile(r"\(\s*(?:\./)?guarantees\.md#([\w-]+)\s*\)")
_ANY_LINK_TO_ROW = re.compile(r"guarantees\.md#([\w-]+)")


@dataclass
class Unit:
    """A paragraph, list item, table row, heading, container title or page description."""

    kind: str  # "prose", "heading", "title" or "description"
    lines: list[tuple[int, str]]  # (1-based line number, text)


def _strip_comments(lines: list[str]) -> list[str]:
    """Blank out HTML comments, keeping line numbers."""
    out, inside = [], False
    for line in lines:
        kept = ""
        while line:
            if inside:
                end = line.find("-->")
                if end < 0:
                    line = ""
                else:
                    line, inside = line[end + 3 :], False
            else:
                start = line.find("<!--")
                if start < 0:
                    kept, line = kept + line, ""
                else:
                    kept, line, inside = kept + line[:start], line[start + 4 :], True
        out.append(kept)
    return out


def units(text: str) -> list[Unit]:
    """Split a page into the units a claim's link must share, outside code fences."""
    lines = text.split("\n")
    found: list[Unit] = []
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter: the page's description
        for n in range(1, len(lines)):
            if lines[n].strip() == "---":
                start = n + 1
                break
            if lines[n].startswith("description:"):
                found.append(Unit("description", [(n + 1, lines[n][len("description:") :])]))
    code = code_lines(text)  # fences and indented code, by the harness's one reader
    current: Unit | None = None
    body = _strip_comments(lines[start:])
    for n, line in enumerate(body, start + 1):
        if n in code:
            current = None
            continue
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if _SINGLE_LINE.match(stripped):
            kind = "prose"
            if _TITLED.match(stripped):
                kind = "heading" if stripped.startswith("#") else "title"
            found.append(Unit(kind, [(n, line)]))
            current = None
        elif current is None or _ITEM.match(stripped):
            current = Unit("prose", [(n, line)])
            found.append(current)
        else:
            current.lines.append((n, line))
    return found


def _blank(match: re.Match) -> str:
    """A match replaced by spaces, keeping its line breaks (and so every line number)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _prose_only(text: str) -> str:
    """The words a reader reads as prose: no code, link addresses, tags or attributes."""
    text = re.sub(r"(`+)[^`]*?\1", _blank, text)  # inline code
    text = re.sub(r"\[[^\]]*\]\(\s*(?:\./)?guarantees\.md(?:#[\w-]*)?\s*\)", _blank, text)
    text = re.sub(r"\]\([^)]*\)", _blank, text)  # link addresses
    text = re.sub(r"<[^>]*>", _blank, text)  # HTML tags
    text = re.sub(r"\{[^}]*[#.=][^}]*\}", _blank, text)  # attribute lists
    return text


def row_anchors(text: str) -> set[str]:
    """Anchors of the Guarantees page's rows: a ``<span id>`` in a table row."""
    return {
        a for line in text.split("\n") if line.startswith("|") for a in _ROW_ANCHOR.findall(line)
    }


def all_anchors(text: str) -> set[str]:
    """Every anchor of a page: explicit ids and the headings' own slugs."""
    anchors = {a or b for a, b in _ANY_ID.findall(text)}
    for line in text.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            title = re.sub(r"<[^>]*>|\{[^}]*\}|`", "", heading.group(1)).strip().lower()
            anchors.add(re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", title)))
    return anchors


def problems(page: str, text: str, anchors: set[str]) -> list[str]:
    """Each claim word outside code that is neither linked to a row nor reworded."""
    found = []
    for unit in units(text):
        linked = any(
            anchor in anchors for _, line in unit.lines for anchor in _LINK_TO_ROW.findall(line)
        )
        if linked and unit.kind == "prose":
            continue
        prose = _prose_only("\n".join(line for _, line in unit.lines)).split("\n")
        for (n, _), line in zip(unit.lines, prose, strict=True):
            for word in WORDS.findall(line):
                if unit.kind == "prose":
                    advice = FIX
                else:
                    where = {
                        "heading": "a heading",
                        "title": "an admonition, tab or details title",
                        "description": "a page description",
                    }[unit.kind]
                    advice = REWORD.format(where=where)
                found.append(f'{page}:{n}: "{word}": {advice}')
    return found


def test_claims_link_to_guarantees():
    anchors = row_anchors(GUARANTEES.read_text(encoding="utf-8"))
    assert anchors, "docs/guarantees.md has no anchored rows (<span id=...> in a table row)"
    found = []
    for path in sorted(DOCS.glob("*.md")):
        if path.name not in EXEMPT:
            found += problems(f"docs/{path.name}", path.read_text(encoding="utf-8"), anchors)
    assert not found, f"{len(found)} claims without a Guarantees row:\n" + "\n".join(found)


def test_nav_titles_make_no_claims():
    """Navigation titles cannot link; the Guarantees and errata entries name those pages."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config.split("\nnav:\n", 1)[1]
    nav = nav[: re.search(r"^\S", nav, re.M).start()]
    entries = re.findall(r'^\s*-\s*(?:"([^"]+)"|([^:"]+)):[ \t]*(\S*)', nav, re.M)
    assert len(entries) > 10, "could not read the nav: of mkdocs.yml"
    found = [
        f'mkdocs.yml nav: "{quoted or plain}": "{word}": reword the title'
        for quoted, plain, target in entries
        if target not in EXEMPT
        for word in WORDS.findall(quoted or plain)
    ]
    assert not found, "\n".join(found)


def test_links_to_guarantees_name_real_anchors():
    anchors = all_anchors(GUARANTEES.read_text(encoding="utf-8"))
    broken = [
        f"docs/{path.name}:{n}: guarantees.md#{anchor} is not an anchor of docs/guarantees.md"
        for path in sorted([*DOCS.glob("*.md"), *DOCS.glob("*.ipynb")])
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        for anchor in _ANY_LINK_TO_ROW.findall(line)
        if anchor not in anchors
    ]
    assert not broken, "links to missing rows:\n" + "\n".join(broken)


def test_scanner_on_synthetic_pages():
    anchors = {"lease"}
    page = "\n".join(
        [
            "---",
            "description: A lock that is always held.",  # 2: a description cannot link
            "---",
            "",
            "# Safe locks",  # 5: a heading cannot link
            "",
            "A lease is always yours.",  # 7: no link
            "",
            "A lease is always yours ([row](guarantees.md#lease)).",  # 9: linked
            "",
            "A lease is never lost ([row](guarantees.md#missing)).",  # 11: no such row
            "",
            "- an item that is safe,",  # 13: the item's own link, on its next line
            "  see [row](guarantees.md#lease)",
            "- another item that is atomic",  # 15: a new item, no link
            "",
            "```python",
            "always = never = 'safe'  # code is not prose",
            "```",
            "",
            "    ~~~~",
            "    guaranteed, in an indented fence",
            "    ~~~~",
            "",
            "<!-- always, in a comment -->",
            "`always` in inline code, an unsafe pattern, and the [Guarantees](guarantees.md) page.",
            "| a production row | [row](guarantees.md#lease) |",  # 27: a linked table row
        ]
    )
    found = problems("p.md", page, anchors)
    assert [f.split(": ")[0] + " " + f.split(": ")[1] for f in found] == [
        'p.md:2 "always"',
        'p.md:5 "Safe"',
        'p.md:7 "always"',
        'p.md:11 "never"',
        'p.md:15 "atomic"',
    ], found
    assert found[2].endswith(FIX)
    assert "a heading" in found[1] and "a page description" in found[0]
    assert not problems("p.md", "Claims are always linked ([row](guarantees.md#lease)).", anchors)
    assert problems("p.md", "Claims are always linked.", anchors)
    assert not problems("p.md", "```\nalways\n```", anchors)
    # a link whose text runs over two lines still counts, and still names the page
    assert not problems(
        "p.md", "It is always\nyours ([the lease\nrow](guarantees.md#lease)).", anchors
    )
    assert not problems("p.md", "See [every row of the\nGuarantees](guarantees.md).", anchors)
