"""Search previews stay readable: a diagram's text is indexed once (its light variant),
not once per palette."""

from __future__ import annotations

import html
import json
import re

from tools.sitegen.diagrams import node_names

LIGHT = re.compile(r'<div class="diagram__light">(.*?)</div><diagram-dark', re.S)


def test_each_diagram_is_indexed_once(built_site):
    site, _, code = built_site
    assert code == 0
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    checked = 0
    for page in sorted(site.rglob("index.html")):
        location = str(page.parent.relative_to(site)).replace(".", "")
        location = f"{location}/" if location else ""
        text = "".join(d["text"] for d in index["docs"] if d["location"].split("#")[0] == location)
        for svg in LIGHT.findall(page.read_text(encoding="utf-8")):
            labels = node_names(svg)
            if not labels:
                continue
            # how the index shows a diagram: each label's words, labels apart, in order
            shown = re.compile(
                r"\s+".join(
                    r"\s+".join(re.escape(html.escape(w, quote=False)) for w in x.split())
                    for x in labels[:3]
                )
            )
            found = len(shown.findall(text))
            assert found == 1, f"{location or 'index'}: {labels[:3]} indexed {found} times"
            checked += 1
    assert checked >= 5, f"only {checked} diagrams found in the built site"


def test_every_page_gets_back_what_search_did_not_parse(built_site):
    site, _, code = built_site
    assert code == 0
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "data-set-aside" not in html, f"{page.relative_to(site)}: a stand-in was left"
        assert "data-search-exclude=" not in html, f"{page.relative_to(site)}: a search attribute"
