"""The site works at the address it is published at, including a sub-path.

GitHub Pages serves a project site under /<repository>/; every build has a site_url
(tools/sitegen/address.py), so the sitemap lists every page, every page names its canonical
address, and the 404 page loads its styles from under the site's path. The built site is
served here under that path, as GitHub Pages serves it, with 404.html for a missing page.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

from tools.sitegen.address import mount_path, pages_url, published_url
from tools.sitegen.site import mount_of, nav_pages

PAGES = [path for _, path in nav_pages()]
CONFIGURED = "https://concurrent-state-access.github.io/concurrent-state-access/"


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, CONFIGURED),
        ({"GITHUB_REPOSITORY": "Some-Owner/docs"}, "https://some-owner.github.io/docs/"),
        ({"GITHUB_REPOSITORY": "Some-Owner/some-owner.github.io"}, "https://some-owner.github.io/"),
        (
            {"GITHUB_REPOSITORY": "octo/site", "SITE_URL": "https://docs.example.org"},
            "https://docs.example.org/",
        ),
        (
            {"GITHUB_REPOSITORY": "octo/site", "GITHUB_SERVER_URL": "https://git.example.com"},
            CONFIGURED,
        ),
    ],
    ids=["mkdocs.yml", "project site", "user site", "SITE_URL", "GitHub Enterprise"],
)
def test_every_build_gets_its_address(environ, expected):
    assert published_url(environ, CONFIGURED) == expected


def test_mount_path():
    assert mount_path(CONFIGURED) == "/concurrent-state-access/"
    assert mount_path(pages_url("octo/octo.github.io")) == "/"
    assert mount_path(None) == "/"


@pytest.fixture(scope="module")
def site(built_site):
    site, stderr, code = built_site
    assert code == 0, f"the site did not build:\n{stderr}"
    return site


def test_sitemap_lists_every_page(site):
    locations = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text("utf-8"))
    base = published_url({}, CONFIGURED)
    missing = [base + path for path in PAGES if base + path not in locations]
    assert not missing, f"not in sitemap.xml: {missing}"


@pytest.mark.parametrize("path", PAGES, ids=[p.strip("/") or "index" for p in PAGES])
def test_canonical_link(site, path):
    html = (site / path / "index.html").read_text("utf-8")
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
    assert canonical == [CONFIGURED + path]


def test_404_page_assets_are_under_the_site_path(site):
    html = (site / "404.html").read_text("utf-8")
    local = [u for u in re.findall(r'(?:href|src)="([^"#]+)"', html) if not urlparse(u).scheme]
    assert local, "the 404 page links nothing"
    outside = [u for u in local if not u.startswith(mount_of(site))]
    assert not outside, f"the 404 page loads from outside {mount_of(site)}: {outside}"


def test_a_missing_page_under_the_sub_path_is_the_styled_404(browser, site_url):
    base = site_url
    assert urlparse(base).path == "/concurrent-state-access/"
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(base + "no/such/page/")
    answer.value.close()
    assert answer.value.code == 404
    missing = base + "no/such/page/"
    context = browser.new_context()
    page = context.new_page()
    failed, errors = [], []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: r.status >= 400 and r.url != missing and failed.append(r.url))
    # "Failed to load resource" is logged for the page's own 404; other failed
    # requests are in `failed`
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")
            and errors.append(m.text)
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    # this test is about the requests the 404 page makes: wait until every one has ended
    response = page.goto(missing, wait_until="networkidle")
    assert response.status == 404
    assert "404" in page.locator("article").inner_text()
    sheets = page.evaluate("document.styleSheets.length")
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
    home = page.locator("a.md-header__button.md-logo").evaluate("a => a.href")
    context.close()
    assert not failed, f"requests failed on the 404 page: {failed}"
    assert not errors, f"console errors on the 404 page: {errors}"
    assert sheets >= 2 and header == "sticky", "the 404 page is not styled"
    assert home == base, f"the logo leads to {home}, not the site's home {base}"
