"""Mermaid diagrams drawn once, at build time, into inline SVG.

Readers get the picture with no JavaScript and no 3.5 MB mermaid bundle; the source text
is never shown. mermaid (from node_modules, installed from the npm registry) runs in the
site's Chromium; each SVG is cached under .cache/diagrams by a hash of its source, theme
and mermaid version, so a rebuild only draws what changed. A diagram that does not parse
stops the build with its page and line.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from tools.harness.pages import lines_of  # the one reader of a page's fences
from tools.paths import CACHE as _CACHE
from tools.paths import NODE_MODULES
from tools.services import chromium

MERMAID = NODE_MODULES / "mermaid" / "dist" / "mermaid.min.js"
CACHE = _CACHE / "diagrams"
THEMES = {"light": "default", "dark": "dark"}
# edge labels in the dark theme need more contrast than mermaid gives them
THEME_VARIABLES = {
    "light": {},
    "dark": {"edgeLabelBackground": "#2b2d3a", "textColor": "#e8e8e8", "lineColor": "#c8c8d0"},
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


class DiagramError(Exception):
    pass


_LONG_DECIMAL = re.compile(r"(\d+\.\d)\d+")
_LIGHT_FILL = re.compile(
    r"^(\s*classDef\s+\w+\s+[^\n]*fill:#(?:[ef][0-9a-f]|[b-d][0-9a-f])[^\n]*)$", re.M | re.I
)


_CLEAR_FILL = re.compile(r"^(\s*classDef\s+\w+\s+[^\n]*fill-opacity:0(?![.\d])[^\n]*)$", re.M)
_FILL = re.compile(r"(?<![-\w])fill:(#[0-9a-f]{3,8})", re.I)


def dark_text_on_light_fills(source: str) -> str:
    """Text colours for the dark theme, whose default text colour is light.

    A class that fixes a light fill (LangGraph's draw_mermaid does) needs dark text; its
    labels also get the fill as their background, which is what a checker of contrast (one
    that cannot see the SVG shape behind a label) must compare the text with. A class that
    clears the fill (draw_mermaid's `first`, for __start__) shows the dark page through it,
    so it needs light text on no background, whatever another class of the node gave it."""

    def dark_text(match: re.Match) -> str:
        fill = _FILL.search(match.group(1)).group(1)
        return match.group(1).rstrip(";") + f",color:#111,background-color:{fill}"

    source = _LIGHT_FILL.sub(dark_text, source)
    light = THEME_VARIABLES["dark"]["textColor"]
    return _CLEAR_FILL.sub(
        lambda m: m.group(1).rstrip(";") + f",color:{light},background-color:transparent", source
    )


def compact(svg: str) -> str:
    """Coordinates to a tenth of a pixel: the same picture, a third of the bytes."""
    return _LONG_DECIMAL.sub(r"\1", svg)


_STYLE = re.compile(r"(<style>)(.*?)(</style>)", re.S)
_BREAK = re.compile(r"<br\s*/?>")
_P_SELECTOR = re.compile(r"(?<=[\s>,])p(?=[\s{,:])")
# a sequence diagram's actors carry name="A" on their rect and line: not an SVG attribute
_NAME_ATTRIBUTE = re.compile(r'(<(?:rect|line)\b[^>]*?) name="[^"]*"')


def valid_html(svg: str) -> str:
    """Labels without paragraphs: mermaid puts a <p> in each label's <span>, which HTML does
    not allow (a span holds phrasing content only). Each <p> becomes a <span class="p">,
    drawn as a block like the paragraph it replaces, and the SVG's own style rules that
    name p name .p instead; empty paragraphs (LangGraph's node labels make some) go. The
    `name` mermaid writes on a sequence diagram's actor boxes and lines goes too: SVG has no
    such attribute."""
    svg = svg.replace("<p></p>", "")
    # the space keeps two labels two words apart in the search index; a trailing space at
    # the end of a line is not drawn
    svg = svg.replace("<p>", '<span class="p">').replace("</p>", "</span> ")
    svg = _BREAK.sub("<br> ", svg)
    svg = _NAME_ATTRIBUTE.sub(r"\1", svg)
    return _STYLE.sub(
        lambda m: m.group(1) + _P_SELECTOR.sub("span.p", m.group(2)) + m.group(3), svg, count=1
    )


_ID = re.compile(r'\bid="([^"]+)"')
_SYMBOL = re.compile(r'<symbol\b[^>]*\bid="([^"]+)"[^>]*>.*?</symbol>', re.S)


def without_unused_symbols(svg: str) -> str:
    """mermaid puts icons in every sequence diagram (a computer, a database, a clock: about
    11 KB) whether an actor uses one or not; a symbol nothing refers to goes."""

    def used(name: str) -> bool:
        return f'href="#{name}"' in svg or f"url(#{name})" in svg

    return _SYMBOL.sub(lambda m: m.group(0) if used(m.group(1)) else "", svg)


def scoped_ids(svg: str, ident: str, short: str | None = None) -> str:
    """Every id inside a diagram made unique on its page: mermaid names a sequence diagram's
    actors (`A`, `i0`) and a flowchart's edge labels (`L_A_B_0`) the same way in every
    diagram, so two diagrams on a page, or a diagram's light and dark variants, would give
    an HTML page one id twice. Each id that does not start with the diagram's own id
    (`ident`) is prefixed with `short` (by default that id), and so is every reference to it
    (`url(#x)`, `href="#x"`). mermaid also gives some elements of one
    diagram the same id (an edge and its label); the second and later get a number, and a
    reference keeps pointing at the first, as a browser resolves it."""
    prefix = f"{short or ident}-"
    for name in sorted(set(_ID.findall(svg)) - {ident}, key=len, reverse=True):
        if name.startswith((prefix, ident)):
            continue
        new = prefix + name
        svg = svg.replace(f'id="{name}"', f'id="{new}"')
        svg = svg.replace(f"url(#{name})", f"url(#{new})")
        svg = svg.replace(f'href="#{name}"', f'href="#{new}"')
    seen: dict[str, int] = {}

    def numbered(match: re.Match) -> str:
        seen[match[1]] = seen.get(match[1], 0) + 1
        return match[0] if seen[match[1]] == 1 else f'id="{match[1]}-{seen[match[1]]}"'

    return _ID.sub(numbered, svg)


class Renderer:
    def __init__(self):
        self._playwright = self._browser = self._page = None
        self.drawn = 0

    def _start(self):
        if not MERMAID.exists():
            raise DiagramError(f"{MERMAID} is missing: run `npm ci` (make install does)")
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = chromium.launch(self._playwright)
        self._page = self._browser.new_page()
        self._page.set_content("<!doctype html><html><body></body></html>")
        self._page.add_script_tag(path=str(MERMAID))

    def version(self) -> str:
        return json.loads((MERMAID.parent.parent / "package.json").read_text())["version"]

    def svg(self, source: str, theme: str, ident: str) -> str:
        if theme == "dark":
            source = dark_text_on_light_fills(source)
        settings = json.dumps([self.version(), theme, THEME_VARIABLES[theme], FONT, ident])
        key = hashlib.sha256(f"{settings}\n{source}".encode()).hexdigest()
        cached = CACHE / f"{key[:32]}.svg"
        if cached.exists():
            return cached.read_text(encoding="utf-8")
        if self._page is None:
            self._start()
        result = self._page.evaluate(
            """async ([source, theme, ident, font, themeVariables]) => {
                mermaid.initialize({startOnLoad: false, theme, fontFamily: font,
                                    securityLevel: "strict", themeVariables});
                try {
                    await mermaid.parse(source);
                    const {svg} = await mermaid.render(ident, source);
                    return {svg};
                } catch (error) {
                    return {error: String(error && error.message || error)};
                }
            }""",
            [source, THEMES[theme], ident, FONT, THEME_VARIABLES[theme]],
        )
        if "error" in result:
            raise DiagramError(" ".join(result["error"].strip().splitlines()[:6]))
        svg = compact(result["svg"])
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(svg, encoding="utf-8")
        self.drawn += 1
        return svg

    def close(self):
        if self._browser:
            self._browser.close()
            self._playwright.stop()
        self._playwright = self._browser = self._page = None


_PRE = re.compile(
    r'(?:<div class="jp-Mermaid">)?<pre class="mermaid">(?:<code>)?(.*?)(?:</code>)?</pre>'
    r"(?:</div>)?",
    re.S,
)
_TITLE = re.compile(r"^\s*accTitle\s*:\s*(.+)$", re.M)
_DESCR = re.compile(r"^\s*accDescr\s*:\s*(.+)$", re.M)
_NODE_LABEL = re.compile(r'<span\b[^>]*\bclass="nodeLabel"[^>]*>(.*?)</span></div>', re.S)
_TAG = re.compile(r"<[^>]+>")


def node_names(svg: str) -> list[str]:
    """Each node's label, as text, in the order the SVG draws them; once each."""
    names = (html.unescape(_TAG.sub(" ", label)).split() for label in _NODE_LABEL.findall(svg))
    return list(dict.fromkeys(" ".join(words) for words in names if words))


def svg_text(svg: str) -> str:
    """The words a reader sees in an SVG: its text, without its style sheet."""
    return " ".join(html.unescape(_TAG.sub(" ", _STYLE.sub("", svg))).split())


def figure(source: str, renderer: Renderer, ident: str) -> str:
    title = _TITLE.search(source)
    # the SVG's id (d1l: the page's first diagram, light) is short: mermaid's style rules
    # and every inner id repeat it, and a page's weight grows with each
    svgs = {
        theme: scoped_ids(
            without_unused_symbols(valid_html(renderer.svg(source, theme, ident + theme[0]))),
            ident + theme[0],
        )
        for theme in THEMES
    }
    names = node_names(svgs["light"])
    label = title.group(1).strip() if title else "Diagram of " + ", ".join(names)
    description = _DESCR.search(source)
    if description:
        label = f"{label}: {description.group(1).strip()}"
    # Both variants hold the same text; search indexes the light one only. Material's
    # search parser ends an exclusion at the first closing tag of the same name, and the SVG
    # is full of divs, so the dark variant is an element of its own (a custom element).
    variants = (
        f'<div class="diagram__light">{svgs["light"]}</div>'
        f'<diagram-dark class="diagram__dark" data-search-exclude>{svgs["dark"]}</diagram-dark>'
    )
    return (
        f'<figure class="diagram" role="img" aria-label="{html.escape(label)}">{variants}</figure>'
    )


def mermaid_lines(markdown_path: Path) -> list[int]:
    """1-based line numbers of the ```mermaid fences in a page, in order."""
    return lines_of(markdown_path, "mermaid")


def replace_all(content: str, page_path: Path, page_label: str, renderer: Renderer, report) -> str:
    """Every mermaid block of a page's HTML, drawn as an inline SVG figure.

    A diagram that does not parse is passed to report (with its page and line) and left
    as it was. The page's source is read for line numbers only then: a rebuild of
    `make serve` does not parse every page's Markdown a second time."""
    count = 0

    def draw(match: re.Match) -> str:
        nonlocal count
        count += 1
        source = html.unescape(match.group(1)).strip("\n")
        ident = f"d{count}"  # unique on its page; every style rule of the SVG repeats it
        try:
            return figure(source, renderer, ident)
        except DiagramError as error:
            lines = mermaid_lines(page_path)
            where = f"{page_label}:{lines[count - 1]}" if count <= len(lines) else page_label
            report(f"{where}: the mermaid diagram does not parse: {error}")
            return match.group(0)

    return _PRE.sub(draw, content)
