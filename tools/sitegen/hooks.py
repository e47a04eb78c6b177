"""MkDocs hooks (mkdocs.yml, hooks:): where the build calls into tools/sitegen/.

- The langgraph version the outputs were verified with comes from uv.lock, never typed.
- In GitHub Actions the repository (for "Edit this page") comes from the run's environment;
  the address the site is published at is chosen in tools/sitegen/address.py.
- Code blocks are kept from the search index; diagrams are drawn (diagrams.py); notebook
  pages are trimmed (notebooks.py).
- llms.txt and llms-full.txt are written with the site (llms_txt.py).
"""

import logging
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the root, so `tools` imports

from tools.sitegen import (
    address,
    diagrams,
    highlight_cache,
    llms_txt,
    notebooks,
    template_cache,
)
from tools.sitegen.versions import locked_version

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
_BLOCK_AND_CODE = re.compile(r'(<div class="[^"]*highlight[^"]*")([^>]*>.*?</pre>)', re.S)


def _with_line_count(match: re.Match) -> str:
    """A block of code tells the stylesheet its height in lines: until a reader scrolls
    near it, the browser reserves that much room instead of laying out every token
    (extra.css). Not an output: its long lines wrap, so its height is not its line count
    (a footer below an output drawn late moved under the accessibility checks), and it
    has few tokens to lay out."""
    opening, rest = match.groups()
    if "output" in opening.split('"')[1].split():
        return match.group(0)
    return opening + rest.replace(">", f' style="--lines: {rest.count(chr(10)) or 1}">', 1)


def mark_code_blocks(html: str) -> str:
    """Outputs get their class; code (not outputs: error messages are searched for) is
    kept from the search index; every block of code gets its line count."""
    html = _OUTPUT_BLOCK.sub(
        r'<div class="highlight output"\1><span class="filename">Output</span>', html
    )
    html = _CODE_BLOCK.sub(r'<div class="\1" data-search-exclude="code"', html)
    return _BLOCK_AND_CODE.sub(_with_line_count, html)


_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
TABLE_CLASS = "site-table"


def wrap_tables(html: str) -> str:
    """Each table of the page's Markdown gets, at build time, the wrapper the theme's
    script would put around it, and a class: the script wraps only class-less tables, and
    moving a long table at start-up made the browser compute its style and layout again
    (the Guarantees page's four tables: about half of its start-up work on a phone).
    extra.css styles the class. A code block's line-number table has a class already."""
    return _TABLE.sub(
        rf'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        rf'<table class="{TABLE_CLASS}">\1</table></div></div>',
        html,
    )


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        html = notebooks.notebook_page(html)
    # Search indexes the prose, not the code: it keeps the index (which every page loads)
    # small. The snippets themselves are files in the repository.
    # a snippet's path may break after a slash (in a narrow table), not inside a name
    html = _SNIPPET_PATH.sub(lambda m: f"<code>{m.group(1).replace('/', '/<wbr>')}</code>", html)
    html = mark_code_blocks(html)
    html = wrap_tables(html)
    # A diagram that does not parse is logged as an error (which fails a strict build) and
    # the build goes on, so that every broken diagram and link is reported at once.
    return diagrams.replace_all(
        html, Path(page.file.abs_src_path), f"docs/{page.file.src_uri}", _renderer, log.error
    )


def on_post_build(config):
    _renderer.close()
    llms_txt.write(config, _sources)


def on_build_error(error):
    _renderer.close()
