"""MkDocs hooks: the verified-with version, the repository's address, and llms.txt.

- The langgraph version the outputs were verified with comes from uv.lock, never typed.
- In GitHub Actions the repository (for "Edit this page") comes from the run's environment;
  the address the site is published at is chosen in tools/sitegen/address.py.
- llms.txt (an index) and llms-full.txt (every page's Markdown) are written with the site.
"""

import logging
import os
import re
import sys
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the root, so `tools` imports

from tools.sitegen import address, diagrams, highlight_cache, template_cache  # noqa: E402
from tools.sitegen.versions import locked_version  # noqa: E402

PLACEHOLDER = "{{ langgraph_version }}"
log = logging.getLogger("mkdocs.hooks.site")
_sources: dict[str, tuple[str, str]] = {}  # src -> (Markdown, description)
_renderer = diagrams.Renderer()


def on_config(config):
    highlight_cache.install()  # a block is highlighted again only when it changes
    version = locked_version("langgraph")
    config["extra"]["langgraph_version"] = version
    config["copyright"] = f"Every output on this site was verified with langgraph {version}."
    repository = os.environ.get("GITHUB_REPOSITORY")
    if repository:
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        config["edit_uri"] = f"{server}/{repository}/edit/main/docs/"
    config["site_url"] = address.published_url(os.environ, config["site_url"])
    return config


def on_env(env, config, files):
    env.bytecode_cache = template_cache.CACHE  # compiled once per `make serve`
    return env


def on_page_markdown(markdown, page, config, files):
    markdown = markdown.replace(PLACEHOLDER, config["extra"]["langgraph_version"])
    _sources[page.file.src_uri] = (markdown, page.meta.get("description", ""))
    return markdown


_CODE_BLOCK = re.compile(r'<div class="((?:language-[\w-]+ )?highlight)"')
_OUTPUT_BLOCK = re.compile(r'<div class="highlight"([^>]*)><span class="filename">Output</span>')
_SNIPPET_PATH = re.compile(r"<code>(snippets/[^<]+)</code>")


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        html = notebook_page(html)
    # Search indexes the prose, not the code: it keeps the index (which every page loads)
    # small. The snippets themselves are files in the repository.
    # a snippet's path may break after a slash (in a narrow table), not inside a name
    html = _SNIPPET_PATH.sub(lambda m: f"<code>{m.group(1).replace('/', '/<wbr>')}</code>", html)
    html = _OUTPUT_BLOCK.sub(
        r'<div class="highlight output"\1><span class="filename">Output</span>', html
    )
    html = _CODE_BLOCK.sub(r'<div class="\1" data-search-exclude="code"', html)
    # A diagram that does not parse is logged as an error (which fails a strict build) and
    # the build goes on, so that every broken diagram and link is reported at once.
    return diagrams.replace_all(
        html, Path(page.file.abs_src_path), f"docs/{page.file.src_uri}", _renderer, log.error
    )


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


def on_post_build(config):
    _renderer.close()
    _write_llms_txt(config)


def on_build_error(error):
    _renderer.close()


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


def _write_llms_txt(config):
    site_dir = Path(config["site_dir"])
    base = config.get("site_url") or ""
    summary = " ".join(config["site_description"].split())
    index = [f"# {config['site_name']}", "", f"> {summary}", ""]
    index += ["## Pages", ""]  # pages outside a section; each section gets its own heading
    full = [f"# {config['site_name']}", ""]

    def walk(entries) -> None:
        for entry in entries:
            ((title, src),) = entry.items()
            if isinstance(src, list):  # a section of the navigation
                index.extend(["", f"## {title}", ""])
                walk(src)
                continue
            path = Path(config["docs_dir"]) / src
            url = base + (src.rsplit(".", 1)[0] + "/" if src != "index.md" else "") or "./"
            if src.endswith(".ipynb"):
                markdown = notebook_markdown(path)
                description = f"{title}: an exercise notebook, with its outputs"
            else:
                markdown, description = _sources[src]
            index.append(f"- [{title}]({url}): {description}")
            full.extend([f"<!-- {src} -->", markdown.strip(), ""])

    walk(config["nav"])
    (site_dir / "llms.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    (site_dir / "llms-full.txt").write_text("\n".join(full) + "\n", encoding="utf-8")
