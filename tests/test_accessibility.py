"""WCAG 2 AA by tools from outside the project: pa11y (HTML_CodeSniffer) and axe-core.

Every page and the 404 page, each four ways: light and dark palette, with a mouse and on a
touch screen (no hover, where the theme changes what is focusable and what is shown). axe
runs every rule in all four, except colour contrast on a touch screen (the theme's colours
do not depend on the pointer: its stylesheets have no hover or pointer query that sets one;
contrast is half of axe's time); pa11y runs with a mouse in both palettes (what a touch screen
changes is axe's to check; the colours are the same). pa11y's errors and axe's violations
of any impact must be none, apart from the theme's findings listed below with the reason
each stays. The pages run in one Chromium (tests/outside/a11y_pages.mjs); a run selected
with -k checks only its pages.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from tools.paths import NODE_MODULES, ROOT
from tools.services import chromium
from tools.services.ci import require
from tools.sitegen.site import nav_pages, serve

SCRIPT = ROOT / "tests" / "outside" / "a11y_pages.mjs"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
PAGES = [path for _, path in nav_pages()] + ["404.html"]
IDS = [path.strip("/") or "index" for path in PAGES]
MODES = [f"{scheme} {pointer}" for scheme in ("light", "dark") for pointer in ("mouse", "touch")]

# HTML_CodeSniffer's technique H32 asks every form for a submit button. Material's palette
# switch and its search box are forms that act as the reader types or clicks, without a
# change of context (WCAG 3.2.2 is about those); a submit button would do nothing.
THEME_FINDINGS = {
    "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2": re.compile(
        r'^<form class="(?:md-header__option" data-md-component="palette"|md-search__form")'
    ),
}


def from_the_theme(issue: dict) -> bool:
    allowed = THEME_FINDINGS.get(issue["code"])
    return bool(allowed and allowed.match(issue["context"]))


def tools_problem() -> str | None:
    if not shutil.which("node"):
        return "Node.js is missing: pa11y runs on it (Debian: apt-get install nodejs npm)"
    if not (NODE_MODULES / "pa11y").is_dir() or not AXE.is_file():
        return "pa11y or axe-core is missing from node_modules: run `npm ci` (make install does)"
    return chromium.problem()


@pytest.fixture(scope="module")
def findings(request, built_site):
    """What the tools found, for the pages of this module's selected tests, in one run."""
    site, stderr, code = built_site
    assert code == 0, f"the site did not build:\n{stderr}"
    if chromium.problem():
        chromium.ensure()
    require(tools_problem())
    selected = [
        item.callspec.params["path"]
        for item in request.session.items
        if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
    ]
    with serve(site) as base:
        result = subprocess.run(
            [
                "node",
                str(SCRIPT),
                base,
                chromium.path(),
                json.dumps(chromium.ARGS),
                str(AXE),
                json.dumps(list(dict.fromkeys(selected))),
                chromium.READY,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    assert result.returncode == 0, f"{SCRIPT.name} failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_no_accessibility_errors(findings, path, mode):
    found = findings[f"{path} {mode}"]
    assert not found["outside"], f"requests left 127.0.0.1: {found['outside']}"
    errors = [
        f"pa11y {i['code']}: {i['message']}\n    at {i['selector']}"
        for i in found["htmlcs"]
        if not from_the_theme(i)
    ] + [
        f"axe {i['code']} ({i['impact']}): {i['message']}\n    at {i['selector']}"
        for i in found["axe"]
    ]
    assert not errors, f"{path or 'index'} ({mode}):\n" + "\n".join(errors)


def media_blocks(css: str, about: re.Pattern) -> list[str]:
    """The bodies of the @media rules whose condition matches ``about``."""
    bodies = []
    for match in re.finditer(r"@media([^{]*)\{", css):
        if not about.search(match.group(1)):
            continue
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        bodies.append(css[match.end() : end - 1])
    return bodies


def test_no_colour_depends_on_the_pointer(built_site):
    """Why contrast is measured with a mouse only: no stylesheet the pages load sets a
    colour under a hover or pointer media query."""
    site = built_site[0]
    sheets = [*(site / "assets" / "stylesheets").glob("*.css"), *site.glob("stylesheets/*.css")]
    assert len(sheets) >= 3, sheets
    pointer = re.compile(r"\b(?:any-)?(?:hover|pointer)\b")
    for sheet in sheets:
        for body in media_blocks(sheet.read_text(encoding="utf-8"), pointer):
            assert not re.search(r"color|background|opacity|filter", body), (
                f"{sheet.name} sets a colour under a pointer query: contrast must then be "
                f"measured on a touch screen too (tests/outside/a11y_pages.mjs): {body[:200]}"
            )
