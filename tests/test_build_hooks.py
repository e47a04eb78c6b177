"""The build's transformations, string in and string out, on minimal input."""

from __future__ import annotations

import html
import re

import markdown
import pygments
import pymdownx.highlight
import pytest
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from tools.paths import rel
from tools.sitegen import (
    build_log,
    diagrams,
    highlight_cache,
    hooks,
    llms_txt,
    notebooks,
    set_aside,
)

LANGGRAPH_SOURCE = """graph TD;
\t__start__([<p>__start__</p>]):::first
\tmerge(merge)
\t__end__([<p>__end__</p>]):::last
\tclassDef default fill:#f2f0ff,line-height:1.2
\tclassDef first fill-opacity:0
\tclassDef last fill:#bfb6fc
"""


def test_dark_theme_text_contrasts_with_each_fill():
    dark = diagrams.dark_text_on_light_fills(LANGGRAPH_SOURCE)
    assert (
        "classDef default fill:#f2f0ff,line-height:1.2,color:#111,background-color:#f2f0ff" in dark
    )
    assert "classDef last fill:#bfb6fc,color:#111,background-color:#bfb6fc" in dark
    # __start__ has no fill: the dark page shows through, so its text is light
    assert "classDef first fill-opacity:0,color:#e8e8e8,background-color:transparent" in dark


def test_actor_boxes_lose_the_name_svg_does_not_have():
    svg = '<svg><rect x="0" name="A" class="actor"></rect><line name="A" x1="1"></line></svg>'
    assert (
        diagrams.valid_html(svg)
        == '<svg><rect x="0" class="actor"></rect><line x1="1"></line></svg>'
    )


def test_labels_hold_no_paragraphs():
    svg = (
        "<svg><style>#d p{margin:0;}#d .edgeLabel p{background-color:red;}</style>"
        '<span class="nodeLabel"><p></p><p>__start__</p><p></p></span></svg>'
    )
    valid = diagrams.valid_html(svg)
    assert "<p" not in valid.replace("<style>", "")
    assert '<span class="nodeLabel"><span class="p">__start__</span> </span>' in valid
    assert "#d span.p{margin:0;}#d .edgeLabel span.p{background-color:red;}" in valid


def test_text_alternative_names_every_node_once():
    svg = (
        '<div><span style="x" class="nodeLabel"><span class="p">__start__</span></span></div>'
        '<div><span class="nodeLabel"><span class="p">a &amp; b</span></span></div>'
        '<div><span class="nodeLabel"><span class="p">two</span><br>lines</span></div>'
        '<div><span class="nodeLabel"><span class="p">__start__</span></span></div>'
    )
    assert diagrams.node_names(svg) == ["__start__", "a & b", "two lines"]


def test_every_id_in_a_diagram_is_its_own():
    """mermaid names actors and edge labels alike in every diagram, and repeats some ids
    inside one: on a page with two diagrams (or one, in two palettes) the ids clashed."""
    svg = (
        '<svg id="p-1-light"><g id="A"></g><g id="L_A_B_0"></g><path id="L_A_B_0" '
        'marker-end="url(#arrow)"></path><marker id="arrow"></marker><use href="#A"/></svg>'
    )
    scoped = diagrams.scoped_ids(svg, "p-1-light")
    assert scoped == (
        '<svg id="p-1-light"><g id="p-1-light-A"></g><g id="p-1-light-L_A_B_0"></g><path '
        'id="p-1-light-L_A_B_0-2" marker-end="url(#p-1-light-arrow)"></path><marker '
        'id="p-1-light-arrow"></marker><use href="#p-1-light-A"/></svg>'
    )
    assert diagrams.scoped_ids(svg, "p-1-light", "d1l").count('id="d1l-') == 4
    other = diagrams.scoped_ids(svg, "p-2-light")
    assert not set(re.findall(r'id="([^"]+)"', scoped)) & set(re.findall(r'id="([^"]+)"', other))


def test_notebook_areas_are_not_tab_stops():
    html = (
        '<div class="jp-Cell jp-CodeCell"><div class="jp-Cell-inputWrapper" tabindex="0">'
        '<div class="jp-RenderedText jp-OutputArea-output" tabindex="0" data-x="1">'
        "</div></div></div>"
    )
    trimmed = notebooks.notebook_page(html)
    assert "tabindex" not in trimmed
    assert 'class="jp-RenderedText jp-OutputArea-output" data-x="1"' in trimmed


def test_notebook_code_and_output_become_the_sites_blocks():
    html = (
        '<div class="jp-Cell"><div class="jp-InputPrompt jp-InputArea-prompt">In\xa0[1]:</div>'
        '<div class="highlight-ipynb hl-python"><pre>print(1)</pre></div>'
        '<div class="jp-RenderedText jp-OutputArea-output"><pre>1\n</pre></div></div>'
    )
    trimmed = notebooks.notebook_page(html)
    assert "In\xa0[1]" not in trimmed
    assert (
        '<div class="language-python highlight"><pre><code>print(1)</code></pre></div>' in trimmed
    )
    assert '<span class="filename">Output</span><pre><code>1\n</code></pre>' in trimmed


def test_solution_cells_fold_into_one_block():
    cells = "".join(
        f'</div>\n<div class="jp-Cell {tag}">{n}</div>'
        for n, tag in enumerate(["", "celltag_solution", "celltag_solution", ""])
    )
    trimmed = notebooks.notebook_page("<div>" + cells)
    assert trimmed.count("<details") == 1
    assert trimmed.index("<details") < trimmed.index(">1<") < trimmed.index(">2<")
    assert trimmed.index(">2<") < trimmed.index("</details>") < trimmed.index(">3<")


def test_build_warnings_name_the_page_and_line(tmp_path):
    (tmp_path / "a.md").write_text("# A\n\nSee [b](b.md#gone).\n", encoding="utf-8")
    output = (
        "INFO    -  Building documentation...\n"
        "WARNING -  Doc file 'a.md' contains a link 'b.md#gone', "
        "but the doc 'b.md' does not contain an anchor '#gone'.\n"
        "WARNING -  Doc file 'c.md' contains a link 'x.md', but it is not found.\n"
        "ERROR   -  Config value 'nav': something\n"
    )
    assert build_log.problems(output, docs=tmp_path) == [
        f"WARNING: {rel(tmp_path)}/a.md:3: Doc file 'a.md' contains a link 'b.md#gone', "
        "but the doc 'b.md' does not contain an anchor '#gone'.",
        f"WARNING: {rel(tmp_path)}/c.md: Doc file 'c.md' contains a link 'x.md', "
        "but it is not found.",
        "ERROR: Config value 'nav': something",
    ]


def test_code_is_set_aside_from_search_as_the_hooks_mark_it():
    page = '```python title="a.py"\nx = 1\n```\n\n```text title="Output"\nboom: x\n```\n'
    made = markdown.markdown(page, extensions=["pymdownx.highlight", "pymdownx.superfences"])
    marked = hooks.mark_code_blocks(made)
    assert marked.count('style="--lines: 1"') == 1  # the code; an output is drawn at once
    assert '<div class="highlight output"><span class="filename">Output</span>' in marked
    searched, aside = set_aside.for_search(marked)
    assert len(aside.kept) == 1 and "x" in aside.kept[0]  # the code, set aside
    assert "boom: x" in searched  # the output stays: error messages are searched for
    assert aside.put_back(searched) == marked.replace(' data-search-exclude="code"', "")


def test_search_parses_stand_ins_and_the_page_gets_the_markup_back():
    svg = "<svg><style>.a{fill:red}</style><g><span>first</span> <span>a &amp; b</span></g></svg>"
    code = (
        '<div class="language-python highlight" data-search-exclude="code">'
        '<pre><span></span><code><span class="k">x</span></code></pre></div>'
    )
    content = f'<p>Text</p><figure class="diagram" role="img">{svg}</figure>{code}'
    searched, aside = set_aside.for_search(content)
    assert searched == (
        '<p>Text</p><figure class="diagram" role="img">'
        '<span data-set-aside="0">first a &amp; b</span></figure>'
        '<span data-set-aside="1"></span>'
    )
    # what Material's search leaves of the attribute on the blocks it indexes: nothing
    assert aside.put_back(searched) == content.replace(' data-search-exclude="code"', "")


def test_an_svg_outside_a_diagram_figure_stays_where_it_is():
    content = '<span class="twemoji"><svg><path d="M0"/></svg></span>'
    searched, aside = set_aside.for_search(content)
    assert searched == content and aside.kept == []


def test_remembered_highlighting_is_what_pygments_makes(monkeypatch):
    monkeypatch.setattr(highlight_cache, "_memo", {})
    page = (
        '```python title="a.py" hl_lines="2"\nx = 1\nprint(x)\n```\n\n'
        '```python title="b.py"\nx = 1\nprint(x)\n```\n\n```text\nx = 1\n```\n'
    )

    def render() -> str:
        return markdown.markdown(page, extensions=["pymdownx.highlight", "pymdownx.superfences"])

    monkeypatch.setattr(pymdownx.highlight, "highlight", pygments.highlight)
    plain = render()
    highlight_cache.install()
    assert pymdownx.highlight.highlight is highlight_cache.highlight
    lighter = highlight_cache.lighter(plain)
    assert render() == lighter  # first time: highlighted, made lighter and kept
    # same source, three option sets (title, highlighted line, lexer): three entries
    assert len(highlight_cache._memo) == 3
    assert render() == lighter  # from memory


def test_lighter_markup_keeps_the_text_and_every_coloured_token():
    code = 'def f(name: str) -> int:\n    return len(name)  # "<x>" & y\n'
    made = pygments.highlight(code, PythonLexer(), HtmlFormatter())
    light = highlight_cache.lighter(made)

    def text(markup: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", markup))

    def spans(markup: str) -> list[str]:
        return re.findall(r'<span class="([^"]+)">', markup)

    assert text(light) == text(made) and "f(name: str)" in text(light)
    # names and whitespace are drawn in the code's own colour; every other span stays
    assert spans(light) == [c for c in spans(made) if c not in ("n", "w")]
    assert "n" in spans(made) and "w" in spans(made)


def test_the_highlight_adapter_refuses_a_changed_pymdownx(monkeypatch):
    monkeypatch.setattr(pymdownx.highlight, "highlight", lambda *a: "", raising=False)
    with pytest.raises(highlight_cache.PluginChanged, match="no longer calls pygments"):
        highlight_cache.install()


def test_llms_txt_lists_the_pages_in_navigation_order(tmp_path):
    config = {
        "site_dir": str(tmp_path),
        "site_url": "https://example.org/site/",
        "site_name": "Site",
        "site_description": "What the  site\n teaches.",
        "docs_dir": str(tmp_path),
        "nav": [{"Home": "index.md"}, {"Part": [{"Locks": "locks.md"}]}],
    }
    sources = {"index.md": ("# Home\n", "The start."), "locks.md": ("# Locks\n\ntext\n", "Locks.")}
    llms_txt.write(config, sources)
    index = (tmp_path / "llms.txt").read_text(encoding="utf-8")
    assert index == (
        "# Site\n\n> What the site teaches.\n\n## Pages\n\n"
        "- [Home](https://example.org/site/): The start.\n\n## Part\n\n"
        "- [Locks](https://example.org/site/locks/): Locks.\n"
    )
    full = (tmp_path / "llms-full.txt").read_text(encoding="utf-8")
    assert full == "# Site\n\n<!-- index.md -->\n# Home\n\n<!-- locks.md -->\n# Locks\n\ntext\n\n"


def test_a_symbol_nothing_uses_goes_and_a_used_one_stays():
    svg = (
        '<svg><defs><symbol id="d1l-computer" width="24"><path d="M2 2v13"/></symbol>'
        '<symbol id="d1l-clock"><path d="M0"/></symbol></defs>'
        '<use href="#d1l-clock"/></svg>'
    )
    assert diagrams.without_unused_symbols(svg) == (
        '<svg><defs><symbol id="d1l-clock"><path d="M0"/></symbol></defs>'
        '<use href="#d1l-clock"/></svg>'
    )


def test_tables_get_the_themes_wrapper_and_a_class_at_build_time():
    page = markdown.markdown("| a | b |\n|---|---|\n| 1 | 2 |\n", extensions=["tables"])
    wrapped = hooks.wrap_tables(page + '<table class="highlighttable"><tr><td>x</td></tr></table>')
    assert wrapped.startswith(
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        f'<table class="{hooks.TABLE_CLASS}">'
    )
    assert wrapped.count("md-typeset__scrollwrap") == 1  # a code block's table is left alone
    assert wrapped.count("</table></div></div>") == 1
    assert "<td>1</td>" in wrapped and '<table class="highlighttable">' in wrapped
