"""Notebook pages (mkdocs-jupyter): the rendered HTML trimmed to the site's own style, and a
notebook as Markdown for llms-full.txt."""

import re
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError

_STYLE_OR_SCRIPT = re.compile(r"<style\b[^>]*>.*?</style>|<script\b[^>]*>.*?</script>", re.S)
_NOTEBOOK_CHROME = re.compile(
    r'<div class="celltoolbar">.*?</span>\s*</span>\s*</div>\s*</div>'  # the tag badges
    r'|<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'  # its copy widget
    r'|<div class="clipboard-copy-txt"[^>]*>.*?</div>'  # ... and the widget's hidden text
    r'|<div class="jp-(?:Input|Output)Prompt[^"]*">[^<]*</div>'  # In [1]: prompts
    r'|<a class="anchor-link"[^>]*>[^<]*</a>',  # heading anchors: the table of contents has them
    re.S,
)
_CODE_IN = re.compile(r'<div class="highlight-ipynb hl-python"><pre>(.*?)</pre></div>', re.S)
_TEXT_OUT = re.compile(r'(<div class="jp-RenderedText[^>]*>)\s*<pre>(.*?)</pre>', re.S)
_CELL = re.compile(r'(?<=</div>)(?=\s*<div class="jp-Cell )')
_NBCONVERT_TAB_STOP = re.compile(r'(<div class="jp-[^"]*")\s+tabindex="0"')
_CHECKBOX = re.compile(r'<input(?=[^>]*class="task-list-item-checkbox")([^>]*?)/?>')


def notebook_page(html: str) -> str:
    """Trim a rendered notebook to what the reader needs, in the site's own style.

    mkdocs-jupyter inlines about 600 KB of JupyterLab CSS, MathJax set-up, a copy widget
    and a script that would fetch mermaid from a CDN. Here code and output become the
    site's ordinary code blocks (with the same copy button), diagrams are drawn at build
    time, and cells tagged `solution` fold into one collapsible block, as the Markdown
    pages fold theirs.
    """
    html = _STYLE_OR_SCRIPT.sub("", html)
    html = _NOTEBOOK_CHROME.sub("", html)
    # nbconvert makes every input and output area a Tab stop with no role or name; the code
    # blocks inside are focusable where they scroll, as on every other page
    html = _NBCONVERT_TAB_STOP.sub(r"\1", html)
    html = _CODE_IN.sub(
        r'<div class="language-python highlight"><pre><code>\1</code></pre></div>', html
    )
    html = _TEXT_OUT.sub(
        r'\1<div class="language-text highlight output"><span class="filename">Output</span>'
        r"<pre><code>\2</code></pre></div>",
        html,
    )
    # a task list's boxes, in the theme's own style (as pymdownx.tasklist draws them)
    html = _CHECKBOX.sub(
        r'<label class="task-list-control"><input\1 aria-label="solved below"/>'
        r'<span class="task-list-indicator"></span></label>',
        html,
    )
    chunks = _CELL.split(html)
    out, folded = [chunks[0]], []
    for chunk in chunks[1:]:
        if "celltag_solution" in chunk:
            folded.append(chunk)
            continue
        if folded:
            out.append(_fold(folded))
            folded = []
        out.append(chunk)
    if folded:
        raise PluginError("a notebook's last cell cannot be tagged solution")
    return "".join(out)


def _fold(cells: list[str]) -> str:
    return (
        '<details class="success"><summary>Solution (click to expand)</summary>'
        + "".join(cells)
        + "</details>\n"
    )


def notebook_markdown(path: Path) -> str:
    """A notebook as Markdown: its text, its code, and its stored outputs."""
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            parts.append(f"```python\n{cell.source}\n```")
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            if text:
                parts.append(f"```text\n{text.rstrip()}\n```")
    return "\n\n".join(parts)
