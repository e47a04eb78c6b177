"""Every copy button on every page copies its own block, and no id is used twice.

Material names each code block `__code_<id>` after the nearest element with an id and
points its copy button at `#__code_<id> > code`; the notebook pages' cells carry nbconvert's
ids, which tools/sitegen/notebook_ids.py makes usable. Every button's target is checked; a
few buttons per page are clicked and the clipboard read back.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from tools.paths import DOCS
from tools.sitegen.notebook_ids import unique_ids
from tools.sitegen.site import nav_pages

PAGES = nav_pages()
CLICKS_PER_PAGE = 3
COPY_BUTTON = (
    'button.md-code__button[data-md-type="copy"], button.md-clipboard, [data-clipboard-target]'
)

# Every copy button and what it points at, and every id used more than once.
SURVEY = """(selector) => {
    const blocks = [...document.querySelectorAll(
        "[data-md-component=content] pre:not(.mermaid) > code")];
    const buttons = [...document.querySelectorAll(selector)].map((button) => {
        const target = button.getAttribute("data-clipboard-target");
        const own = button.closest("pre")?.querySelector(":scope > code") ?? null;
        let valid = true, found = null;
        try {
            found = target ? document.querySelector(target) : null;
        } catch (error) {
            valid = false;
        }
        return {target, valid, exists: found !== null, own: found !== null && found === own};
    });
    const counts = {};
    for (const el of document.querySelectorAll("[id]")) counts[el.id] = (counts[el.id] || 0) + 1;
    const duplicates = Object.entries(counts).filter(([, n]) => n > 1);
    return {blocks: blocks.length, buttons, duplicates};
}"""

# Material gives a block its buttons as the block nears the screen (content.lazy): each
# block is scrolled to (its tab opened first), as a reader would, and given two seconds
# to get its button.
MOUNT_EACH = """async (selector) => {
    for (const code of document.querySelectorAll(
            "[data-md-component=content] pre:not(.mermaid) > code")) {
        const tab = code.closest(".tabbed-block");  // in a tab: the reader opens it first
        if (tab) {
            const set = tab.closest(".tabbed-set");
            const n = [...tab.parentElement.children].indexOf(tab);
            set.querySelectorAll(":scope > input")[n].click();
        }
        code.scrollIntoView();
        const has = () => code.closest("pre").querySelector(selector);
        for (let frame = 0; frame < 120 && !has(); frame++)
            await new Promise((r) => requestAnimationFrame(r));
    }
}"""

BLOCK_TEXT = """(button) => button.closest("pre").querySelector(":scope > code").textContent"""


def test_unique_ids_names_cells_and_their_blocks():
    html = (
        '<div class="jp-Cell" id="cell-id=2ed3c696"><p>text</p></div>'
        '<div class="jp-Cell" id="cell-id=part3">'
        '<div class="highlight"><pre><code>x = 1</code></pre></div>'
        '<div class="highlight output"><pre><code>1</code></pre></div></div>'
        '<h2 id="cell-next">Next</h2>'
        '<div class="jp-Cell" id="cell-id=next"><pre id="mine"><code>y</code></pre></div>'
    )
    assert unique_ids(html) == (
        '<div class="jp-Cell" id="cell-2ed3c696"><p>text</p></div>'
        '<div class="jp-Cell" id="cell-part3">'
        '<div class="highlight"><pre id="cell-part3-1"><code>x = 1</code></pre></div>'
        '<div class="highlight output"><pre id="cell-part3-2"><code>1</code></pre></div></div>'
        '<h2 id="cell-next">Next</h2>'
        '<div class="jp-Cell" id="cell-next-2"><pre id="mine"><code>y</code></pre></div>'
    )


def test_unique_ids_leaves_a_page_without_cells_alone():
    html = '<h2 id="setup">Setup</h2><div class="highlight"><pre><code>x</code></pre></div>'
    assert unique_ids(html) == html


def test_unique_ids_is_stable_on_its_own_output():
    html = '<div id="cell-id=a"><pre><code>x</code></pre><pre><code>y</code></pre></div>'
    once = unique_ids(html)
    assert unique_ids(once) == once
    ids = re.findall(r'\sid="([^"]*)"', once)
    assert ids == ["cell-a", "cell-a-1", "cell-a-2"]


def notebook_texts(path: str) -> set[str]:
    """A notebook's code and its stored text outputs, each stripped: what a block may hold."""
    texts = set()
    for cell in nbformat.read(DOCS / f"{path.strip('/')}.ipynb", 4).cells:
        if cell.cell_type != "code":
            continue
        texts.add(cell.source.strip())
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            texts.add("".join(text).strip())
    return texts


@pytest.mark.parametrize("title, path", PAGES, ids=[p or "index" for _, p in PAGES])
def test_every_copy_button_copies_its_block(browser, site_url, title, path):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site_url + path, wait_until="load")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.evaluate(MOUNT_EACH, COPY_BUTTON)  # the survey below says what is missing
        survey = page.evaluate(SURVEY, COPY_BUTTON)

        buttons = survey["buttons"]
        assert len(buttons) == survey["blocks"], (
            f"{len(buttons)} copy buttons for {survey['blocks']} code blocks"
        )
        broken = [b["target"] for b in buttons if not (b["valid"] and b["exists"] and b["own"])]
        assert not broken, f"copy buttons that do not point at their own block: {broken}"
        assert not survey["duplicates"], f"ids used more than once: {survey['duplicates']}"

        locator = page.locator(COPY_BUTTON)
        sample = sorted({0, len(buttons) // 2, len(buttons) - 1})[:CLICKS_PER_PAGE]
        texts = notebook_texts(path) if path and (DOCS / f"{path[:-1]}.ipynb").exists() else None
        for index in sample if buttons else []:
            button = locator.nth(index)
            page.evaluate("navigator.clipboard.writeText('(nothing copied)')")
            button.click()
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == button.evaluate(BLOCK_TEXT).rstrip(), f"button {index}"
            if texts is not None:
                assert copied.strip() in texts, f"button {index}: not a cell's code or output"
        assert not errors, f"console errors: {errors}"
    finally:
        context.close()
