"""MkDocs hook: ids on a notebook page that a CSS selector can name, each used once.

nbconvert gives every cell `id="cell-id=<the cell's id>"` (base/cell_id_anchor.j2). Material
names a code block `__code_<id>` after the nearest element with an id, the block's own <pre>
first, and its copy button copies `#__code_<id> > code`. With a cell's id that selector is
not valid CSS (`=`), so the button copies nothing; and a cell's code and its output, under
one cell, are named alike. Here a cell's id becomes `cell-<the cell's id>`, and each <pre> in
a cell is named after its cell and its place in it (`cell-<id>-1` its code, `-2` its output),
so every block gets a name of its own. An id that is taken already gets a suffix.
"""

import html as markup
import re

_ID = re.compile(r'\sid="([^"]*)"')
_CELL_OR_PRE = re.compile(r'\sid="cell-id=(?P<cell>[^"]*)"|<pre\b(?P<attrs>[^>]*)>')
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")  # a cell id's own characters, as nbformat allows them


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        html = unique_ids(html)
    return html


def unique_ids(html: str) -> str:
    """Cell ids as `cell-<id>`, and an id for each <pre> in a cell; no id used twice."""
    taken = {m.group(1) for m in _ID.finditer(html) if not m.group(1).startswith("cell-id=")}
    cell, blocks = None, 0

    def claim(wanted: str) -> str:
        name, n = wanted, 2
        while name in taken:
            name, n = f"{wanted}-{n}", n + 1
        taken.add(name)
        return name

    def rename(match: re.Match) -> str:
        nonlocal cell, blocks
        if match.group("cell") is not None:
            cell = claim("cell-" + _UNSAFE.sub("-", markup.unescape(match.group("cell"))))
            blocks = 0
            return f' id="{cell}"'
        attrs = match.group("attrs")
        if cell is None or _ID.search(attrs):
            return match.group(0)
        blocks += 1
        return f'<pre id="{claim(f"{cell}-{blocks}")}"{attrs}>'

    return _CELL_OR_PRE.sub(rename, html)
