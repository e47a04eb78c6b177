"""Printing gives light pages: dark text, the light diagrams, and collapsed blocks open.

A reader on the dark palette who prints should not get pale code and pale diagrams on
white paper. Each page below is printed from the dark palette with Chromium's page.pdf()
(backgrounds off, as a browser prints by default), and the colour of every character in
the PDF is measured against the white paper: WCAG AA asks 4.5:1 for text.
"""

from __future__ import annotations

import io
import re

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar

from tools.services import chromium

MINIMUM = 4.5
# one page of each kind of content that could print pale
PAGES = {
    "reducers/": "code and Output blocks, a data-raises label",
    "multi-agent/": "diagrams with clusters and edge labels",
    "exercise/": "a notebook: hints and solution folded, LangGraph's diagram",
    "guarantees/": "tables",
}
FOLDED = re.compile(r"Solution \(click to expand\)")


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(rgb: tuple[float, float, float]) -> float:
    return 1.05 / (luminance(rgb) + 0.05)


def as_rgb(colour) -> tuple[float, float, float]:
    """A PDF fill colour (grey, RGB or CMYK) as RGB in 0..1."""
    values = tuple(colour) if isinstance(colour, (list, tuple)) else (colour,)
    if len(values) == 1:
        return (values[0],) * 3
    if len(values) == 4:
        c, m, y, k = values
        return tuple((1 - v) * (1 - k) for v in (c, m, y))
    return values[:3]


def characters(layout):
    if isinstance(layout, LTChar):
        yield layout
    elif hasattr(layout, "__iter__"):
        for child in layout:
            yield from characters(child)


@pytest.mark.parametrize("path", PAGES, ids=[p.strip("/") for p in PAGES])
def test_printing_from_dark_is_light(browser, site_url, path):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    chromium.open_ready(page, site_url + path)
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    closed = page.evaluate("document.querySelectorAll('details:not([open])').length")
    pdf = page.pdf(format="A4")
    on_screen = page.get_attribute("body", "data-md-color-scheme")
    folded_text = page.evaluate(
        "[...document.querySelectorAll('details')].map(d => d.innerText).join('\\n')"
    )
    context.close()
    assert on_screen == "slate", "the screen did not return to the reader's palette"

    pale, text = {}, []
    for sheet in extract_pages(io.BytesIO(pdf)):
        for char in characters(sheet):
            text.append(char.get_text())
            ratio = contrast_on_white(as_rgb(char.graphicstate.ncolor))
            if ratio < MINIMUM and char.get_text().strip():
                key = tuple(round(c, 3) for c in as_rgb(char.graphicstate.ncolor))
                pale.setdefault(key, []).append(char.get_text())
    assert not pale, f"{path}: text below {MINIMUM}:1 on white paper:\n" + "\n".join(
        f"  rgb{key} ({contrast_on_white(key):.1f}:1): {''.join(chars)[:80]!r}"
        for key, chars in pale.items()
    )
    if closed:  # what was folded on screen is on paper
        printed = re.sub(r"\s+", "", "".join(text))
        words = [w for w in re.findall(r"\w{6,}", folded_text)][-20:]
        missing = [w for w in words if w not in printed]
        assert not missing, f"{path}: folded text not printed: {missing}"
