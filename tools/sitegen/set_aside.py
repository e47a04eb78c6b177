"""MkDocs hook: markup that search would parse but not index, set aside until the page is
finished. Listed last in mkdocs.yml, so it sees each page's content as the other hooks left it.

Material's search plugin reads each page's content element by element (Python's
HTMLParser), including the code blocks and the diagram variant it then leaves out of the
index. Those are most of a page's elements, and parsing them was most of a rebuild in
`make serve`. After the other hooks have made a page's content, each code block excluded from
search and each diagram's SVG is swapped for a stand-in: empty for a code block, the
diagram's words for an SVG (so the index holds the same text as before). When the page is
finished (on_post_page), the stand-ins are swapped back.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the root, so `tools` imports

from tools.sitegen.diagrams import svg_text

_asides: dict[str, Aside] = {}  # a page's src -> what was set aside on it


def on_page_content(html, page, config, files):
    html, _asides[page.file.src_uri] = for_search(html)
    return html


def on_post_page(output, page, config):
    aside = _asides.pop(page.file.src_uri, None)
    return aside.put_back(output) if aside else output


_FIGURE = re.compile(r'<figure class="diagram"[^>]*>.*?</figure>', re.S)
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_UNSEARCHED_CODE = re.compile(
    r'<div class="(?:language-[\w-]+ )?highlight" data-search-exclude="code"[^>]*>.*?</pre></div>',
    re.S,
)
_EXCLUDE = ' data-search-exclude="code"'
_STAND_IN = re.compile(r'<span data-set-aside="(\d+)">[^<]*</span>')


class Aside:
    """What one page has set aside, in order."""

    def __init__(self) -> None:
        self.kept: list[str] = []

    def stand_in(self, markup: str, text: str = "") -> str:
        self.kept.append(markup)
        return (
            f'<span data-set-aside="{len(self.kept) - 1}">{html.escape(text, quote=False)}</span>'
        )

    def put_back(self, page: str) -> str:
        return _STAND_IN.sub(lambda match: self.kept[int(match.group(1))], page)


def for_search(content: str) -> tuple[str, Aside]:
    """content with its unsearched code blocks and its diagrams' SVGs set aside."""
    aside = Aside()
    content = _FIGURE.sub(
        lambda figure: _SVG.sub(
            lambda svg: aside.stand_in(svg.group(0), svg_text(svg.group(0))), figure.group(0)
        ),
        content,
    )
    # Material drops data-search-* attributes from what it has indexed; these blocks skip it
    return _UNSEARCHED_CODE.sub(
        lambda code: aside.stand_in(code.group(0).replace(_EXCLUDE, "", 1)), content
    ), aside
