"""The built site in a real browser: Debian's Chromium driven by Playwright.

Every page, light and dark: no console error, no failed request, no request that leaves
127.0.0.1; title and first heading right; every diagram drawn; at most 500 KB. Then the
features a reader uses: copy, search, palette, collapsed blocks, and the notebook's
outputs. (WCAG checks are in test_accessibility.py.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tools.harness.pages import read_page
from tools.paths import DOCS
from tools.services import chromium
from tools.sitegen import hooks
from tools.sitegen.site import mount_of, nav_pages

SITE_NAME = "Concurrent State Access in LangGraph"
PAGE_BUDGET = 500 * 1024  # bytes, uncompressed, everything the page loads
SCHEMES = ["light", "dark"]
PAGES = nav_pages()


def source_of(path: str) -> Path:
    stem = path.strip("/") or "index"
    md = DOCS / f"{stem}.md"
    return md if md.exists() else DOCS / f"{stem}.ipynb"


def first_heading(path: str) -> str:
    source = source_of(path)
    if source.suffix == ".ipynb":
        text = "\n".join(
            c.source for c in nbformat.read(source, 4).cells if c.cell_type == "markdown"
        )
    else:
        text = source.read_text(encoding="utf-8")
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


def diagram_count(path: str) -> int:
    source = source_of(path)
    if source.suffix == ".ipynb":
        cells = nbformat.read(source, 4).cells
        return sum(c.cell_type == "code" and "draw_mermaid" in c.source for c in cells)
    return len(re.findall(r"^\s*```mermaid", source.read_text(encoding="utf-8"), re.M))


class Visit:
    """A page opened in a fresh context, with everything it logged and requested."""

    def __init__(
        self,
        browser,
        base: str,
        path: str,
        scheme: str,
        hold_back: str = "",
        init_script: str = "",
        **context_options,
    ):
        self.context = browser.new_context(color_scheme=scheme, **context_options)
        if init_script:  # runs in the page before any of its own scripts
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []
        self.urls: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.pending = 0  # requests under way: the page is done when none is left
        self.page.on("request", lambda r: self._count(+1))
        self.page.on("requestfinished", lambda r: self._count(-1))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.context.route(
            "**/*",
            lambda route: (
                route.abort()  # a request the test holds back (hold_back: part of its URL)
                if hold_back and hold_back in route.request.url
                else route.continue_()
                if urlparse(route.request.url).hostname == "127.0.0.1"
                else (self.outside.append(route.request.url), route.abort())[1]
            ),
        )
        chromium.open_ready(self.page, base + path)
        while self.pending:  # the favicon, requested after the load event
            self.page.wait_for_timeout(10)

    def _count(self, change: int) -> None:
        self.pending += change

    def _failed(self, request) -> None:
        self.pending -= 1
        self.failed.append(f"{request.url} ({request.failure})")

    def _response(self, response) -> None:
        self.urls.append(response.url)
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def weight(self, site: Path) -> int:
        """Uncompressed bytes of everything the page loaded: the files' sizes on disk."""
        total = 0
        mount = mount_of(site)
        for url in self.urls:
            local = site / urlparse(url).path.removeprefix(mount)
            total += (local / "index.html" if local.is_dir() else local).stat().st_size
        return total

    def close(self) -> None:
        self.context.close()  # what was recorded stays readable


@pytest.fixture
def visit(browser, site_url):
    opened = []

    def open_page(path: str, scheme: str = "light", **options) -> Visit:
        v = Visit(browser, site_url, path, scheme, **options)
        opened.append(v)
        return v

    yield open_page
    for v in opened:
        v.close()


# A diagram or block off the screen is laid out only when the reader nears it
# (content-visibility in extra.css), and innerText holds only what is laid out. So each is
# scrolled to, as a reader would, and read once it is laid out.
EACH_NEAR = """async (selector, read) => {
    const out = [];
    for (const el of document.querySelectorAll(selector)) {
        el.scrollIntoView();
        // what content-visibility skips is inside the block: its first child that is shown
        // (a diagram's variant for the other palette never is)
        const box = el.querySelector(".highlight") || el;
        const inside = [...box.children].find((c) => getComputedStyle(c).display !== "none") || el;
        for (let frame = 0; frame < 120; frame++) {  // laid out, or two seconds at most
            await new Promise((r) => requestAnimationFrame(r));
            if (inside.checkVisibility({ contentVisibilityAuto: true })) break;
        }
        out.push(read(el));
    }
    return out;
}"""


def each_near(page, selector: str, read: str) -> list:
    """read (a JavaScript function of one element) for each element, when the reader is near."""
    return page.evaluate(
        f"([selector, read]) => ({EACH_NEAR})(selector, eval(read))", [selector, read]
    )


DIAGRAM_FACTS = """(figure) => {
    const shown = [...figure.querySelectorAll("svg")]
        .filter((svg) => svg.getBoundingClientRect().width > 0);
    const svg = shown[0];
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return {
        shown: shown.map((s) => s.parentElement.className),
        width: box.width, height: box.height,
        // flowcharts: nodes and links; sequence diagrams: participants and messages
        nodes: svg ? svg.querySelectorAll("g.node, rect.actor-top").length : 0,
        edges: svg ? svg.querySelectorAll(
            ".edgePaths path, path.flowchart-link, .messageLine0, .messageLine1").length : 0,
        text: figure.innerText, label: figure.getAttribute("aria-label"),
    };
}"""


TABLE_FACTS = """() => [...document.querySelectorAll("article table:not(.highlighttable)")]
    .map((table) => {
        const cell = table.querySelector("td");
        const wrap = table.parentElement.parentElement;
        return {
            classes: table.className,
            wrappers: [table.parentElement.className, wrap.className],
            wrapped_again: !!wrap.parentElement.closest(".md-typeset__scrollwrap"),
            ruled: parseFloat(getComputedStyle(cell).borderTopWidth) > 0,
            padded: parseFloat(getComputedStyle(cell).paddingLeft) > 0,
            fits: wrap.scrollWidth <= wrap.clientWidth,
            tab_stop: wrap.getAttribute("tabindex") === "0",
        };
    })"""


def table_count(path: str) -> int:
    source = source_of(path)
    if source.suffix == ".ipynb":
        cells = nbformat.read(source, 4).cells
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    else:
        text = source.read_text(encoding="utf-8")
    return len(re.findall(r"^\|?\s*:?-{3,}:?\s*\|", text, re.M))


BROKEN_ANCHORS = """() => [...document.querySelectorAll('a[href^="#"]')]
    .map((a) => decodeURIComponent(a.getAttribute("href").slice(1)))
    .filter((id) => id && !document.getElementById(id))"""


@pytest.fixture(scope="module")
def survey(browser, site_url, built_site):
    """What a page logged, requested and showed in one palette: opened on first use, once,
    so a run selected with -k (make test-page) opens only the pages it checks."""
    found = {}

    def seen(path: str, scheme: str) -> dict:
        if (path, scheme) not in found:
            found[path, scheme] = look_at(browser, site_url, built_site[0], path, scheme)
        return found[path, scheme]

    return seen


def look_at(browser, site_url: str, site: Path, path: str, scheme: str) -> dict:
    v = Visit(browser, site_url, path, scheme)
    page = v.page
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    facts = {
        "visit": v,
        "title": page.title(),
        "h1": page.locator("article h1").first.inner_text().strip().rstrip("¶").strip(),
        "scheme": page.get_attribute("body", "data-md-color-scheme"),
        "leftover_mermaid": page.locator("pre.mermaid, .mermaid").count(),
        "diagrams": each_near(page, "figure.diagram", DIAGRAM_FACTS),
        "broken_anchors": page.evaluate(BROKEN_ANCHORS),
        "tables": page.evaluate(TABLE_FACTS),
        "bytes": v.weight(site),
    }
    v.close()
    return facts


PAGE_IDS = [p or "index" for _, p in PAGES]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("title, path", PAGES, ids=PAGE_IDS)
def test_page(survey, title, path, scheme):
    seen = survey(path, scheme)
    v = seen["visit"]
    assert not v.outside, f"requests left 127.0.0.1: {v.outside}"
    assert not v.failed, f"failed requests: {v.failed}"
    assert not v.errors, f"console errors: {v.errors}"
    expected_title = SITE_NAME if path == "" else f"{title} - {SITE_NAME}"
    assert seen["title"] == expected_title
    assert seen["h1"] == first_heading(path)
    assert seen["scheme"] == ("slate" if scheme == "dark" else "default")
    assert not seen["broken_anchors"], (
        f"links to anchors that are not on the page: {seen['broken_anchors']}"
    )
    assert seen["bytes"] <= PAGE_BUDGET, f"{path or 'index'}: {seen['bytes']} B > {PAGE_BUDGET}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("title, path", PAGES, ids=PAGE_IDS)
def test_diagrams_are_drawn(survey, title, path, scheme):
    seen = survey(path, scheme)
    assert seen["leftover_mermaid"] == 0, "mermaid source left on the page"
    diagrams = seen["diagrams"]
    assert len(diagrams) == diagram_count(path)
    for n, d in enumerate(diagrams, 1):
        assert d["shown"] == [f"diagram__{scheme}"], f"diagram {n}: shown variants {d['shown']}"
        assert d["width"] > 100 and d["height"] > 100, f"diagram {n}: {d}"
        assert d["nodes"] >= 2 and d["edges"] >= 1, f"diagram {n} is empty: {d}"
        assert not re.search(r"flowchart|graph TD|-->", d["text"]), f"diagram {n} shows source"
        assert d["label"], f"diagram {n} has no text alternative"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("title, path", PAGES, ids=PAGE_IDS)
def test_tables_stay_where_the_build_put_them(survey, title, path, scheme):
    """Each table of a page's Markdown is wrapped once, at build time (the theme's script,
    which would move it at start-up, leaves it alone), and styled; one wider than the page
    scrolls, and is a Tab stop so that a keyboard can scroll it."""
    tables = survey(path, scheme)["tables"]
    assert len(tables) == table_count(path)
    for n, t in enumerate(tables, 1):
        assert t["classes"] == hooks.TABLE_CLASS, f"table {n}: {t}"
        assert t["wrappers"] == ["md-typeset__table", "md-typeset__scrollwrap"], f"table {n}: {t}"
        assert not t["wrapped_again"], f"table {n} was wrapped twice: {t}"
        assert t["ruled"] and t["padded"], f"table {n} lost its style: {t}"
        assert t["fits"] or t["tab_stop"], f"table {n} scrolls but is no Tab stop: {t}"


def test_copy_button_copies_the_block(visit):
    v = visit("reducers/", permissions=["clipboard-read", "clipboard-write"])
    block = read_page(DOCS / "reducers.md").blocks[0]
    # a block gets its toolbar as it nears the screen (content.lazy): the reader scrolls to it
    v.page.locator(".md-typeset pre > code").first.scroll_into_view_if_needed()
    v.page.locator('button.md-code__button[data-md-type="copy"]').first.click()
    copied = v.page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == block.code.strip()


@pytest.mark.parametrize(
    "term, expected",
    [("InvalidUpdateError", "reducers/"), ("thread_id", "thread-isolation/")],
)
def test_search_leads_to_the_page(visit, site_url, term, expected):
    v = visit("")
    page = v.page
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # The index is built in a web worker after the page loads ("Initializing search"), and
    # Material runs a query when a key is released. Filling the field without a key worked
    # only when the worker became ready after the fill (it then reads the field once): the
    # test raced the worker. As a reader does: wait until search is ready, then the whole
    # term and one key, so that one query runs, with the whole term.
    expect(page.locator(".md-search-result__meta")).to_have_text(
        "Type to start searching", timeout=60_000
    )
    field = page.locator("input.md-search__input")
    field.fill(term)
    field.press("End")
    wanted = page.locator(f'.md-search-result__item a[href*="{expected}"]')
    try:
        wanted.first.wait_for(timeout=60_000)
    except PlaywrightTimeout:
        found = page.locator(".md-search-result__item a")
        hrefs = [found.nth(i).get_attribute("href") for i in range(found.count())]
        pytest.fail(f"results for {term!r} do not lead to {expected}: {hrefs}")
    wanted.first.click()
    page.wait_for_url(re.compile(re.escape(expected)))
    assert term in page.locator("article").inner_text()


ROOT_SCHEME = "() => getComputedStyle(document.documentElement).colorScheme"
# Each change of the theme's palette-switching mark, as the value the attribute had before it
# (null: it was absent, so the change set it), from before the page's first script.
SWITCHING_MARKS = """
window.switchingMarks = [];
new MutationObserver((changes) => changes.forEach((c) => window.switchingMarks.push(c.oldValue)))
  .observe(document, {
    subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ["data-md-color-switching"],
  });
"""


def test_palette_toggles_dark_and_back(visit):
    """The page's own colour scheme (its scrollbars and canvas) follows the palette, from the
    stylesheet: the theme's color-scheme meta element, which restyled the whole page as it
    was added and filled in, stays out of the head. The theme's switching mark, whose every
    change restyles every element, is never set at start-up (nothing switches then), and is
    set and taken away again when the reader switches."""
    v = visit("", "light", init_script=SWITCHING_MARKS)
    page = v.page
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    assert page.evaluate(ROOT_SCHEME) == "normal"
    assert page.evaluate("window.switchingMarks") == []  # the theme's start-up runs before load
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    assert page.evaluate(ROOT_SCHEME) == "dark"
    page.wait_for_function("window.switchingMarks.length === 2")
    assert page.evaluate("window.switchingMarks") == [None, ""]  # set, then taken away
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    assert page.evaluate(ROOT_SCHEME) == "normal"
    page.wait_for_function("window.switchingMarks.length === 4")
    assert page.evaluate("window.switchingMarks") == [None, "", None, ""]
    assert page.get_attribute("body", "data-md-color-switching") is None
    assert page.locator('meta[name="color-scheme"]').count() == 0
    # the theme's other meta elements stay
    assert page.locator('meta[name="theme-color"]').count() == 1


@pytest.mark.parametrize(("preferred", "scheme"), [("dark", "slate"), ("light", "default")])
def test_first_visit_gets_its_palette_before_the_theme_script(visit, preferred, scheme):
    """The palette a reader prefers is set as the page is parsed, not by the theme's bundle
    after the first paint: held back here, the bundle cannot be what set it."""
    v = visit("reducers/", preferred, hold_back="/javascripts/bundle.")
    assert any("/javascripts/bundle." in f for f in v.failed), "the bundle was not held back"
    assert v.page.get_attribute("body", "data-md-color-scheme") == scheme


def test_collapsed_hints_and_solution_open_on_click(visit):
    v = visit("exercise/")
    page = v.page
    for summary_text in ("Hints", "Solution"):
        details = page.locator("details", has=page.locator(f"summary:has-text('{summary_text}')"))
        assert details.count() >= 1, f"no collapsed {summary_text}"
        first = details.first
        assert first.get_attribute("open") is None, f"{summary_text} is not collapsed"
        first.locator("summary").first.click()
        assert first.get_attribute("open") is not None, f"{summary_text} did not open"


def test_notebook_page_shows_outputs(visit):
    v = visit("exercise/")
    text = v.page.locator("article").inner_text()
    nb = nbformat.read(DOCS / "exercise.ipynb", 4)
    outputs = [
        line
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "stream"
        for line in out.text.splitlines()
        if line.strip()
    ]
    assert outputs, "the notebook has no stored outputs"
    v.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    text = "\n".join(each_near(v.page, "article .jp-OutputArea-output", "(el) => el.innerText"))
    missing = [line for line in outputs if line.strip() not in text]
    assert not missing, f"outputs not shown on the page: {missing[:5]}"
    download = v.page.locator('a[href="exercise.ipynb"]')
    assert download.count() == 1
    response = v.page.request.get(download.evaluate("a => a.href"))
    assert response.ok and json.loads(response.body())["nbformat"] == 4


UNREACHABLE_CODE = """async () => {
    const blocks = [...document.querySelectorAll(".highlight pre > code")];
    const focusable = blocks.map((code) => code.tabIndex >= 0);
    const missed = [];
    for (const [n, code] of blocks.entries()) {
        code.scrollIntoView();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        if (code.scrollWidth > code.clientWidth && !focusable[n]) missed.push(n + 1);
    }
    return missed;
}"""


def test_wide_blocks_below_the_screen_are_reachable_by_keyboard(visit):
    """A block that scrolls sideways takes the focus (so arrow keys scroll it) before the
    reader has scrolled near it: blocks off the screen are laid out late (extra.css)."""
    path = "store/"  # 13 blocks, most of them wider than a phone
    v = visit(path, viewport={"width": 412, "height": 823})
    missed = v.page.evaluate(UNREACHABLE_CODE)
    assert not missed, f"{path}: wide blocks a keyboard cannot reach from the top: {missed}"
