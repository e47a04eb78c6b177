"""The site as a whole: layout, snippets in sync, clean text, every seed section, strict build."""

import re

import nbformat
import pytest

from tools.commands import snippets
from tools.harness.pages import read_page
from tools.paths import DOCS, ROOT, SNIPPETS, rel
from tools.sitegen import build_log
from tools.sitegen.versions import locked_version

PAGES = sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: rel(p))
def test_page_layout(page):
    """Every Python block is named, and every output block follows a Python block."""
    read_page(page)  # raises PageError naming the file and line


def test_snippets_in_sync():
    problems = snippets.problems()
    assert not problems, "snippets/ has drifted from the pages:\n" + "\n".join(problems)


def mojibake(text: str) -> list[str]:
    """Runs of non-ASCII characters that are UTF-8 bytes decoded with the wrong codec."""
    found = []
    for run in re.findall(r"[^\x00-\x7f]{2,}", text):
        for codec in ("mac_roman", "cp1252", "latin-1"):
            try:
                fixed = run.encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if fixed != run:
                found.append(f"{run!r} (UTF-8 read as {codec}: {fixed!r})")
                break
        else:
            # the tail of a multi-byte character whose lead byte was lost: üîë of 🔑
            for codec in ("mac_roman", "cp1252"):
                try:
                    raw = run.encode(codec)
                except UnicodeEncodeError:
                    continue
                if len(raw) >= 3 and all(0x80 <= b <= 0xBF for b in raw):
                    found.append(f"{run!r} (UTF-8 continuation bytes read as {codec})")
                    break
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*DOCS.rglob("*.md"), *SNIPPETS.rglob("*.py")]),
    ids=lambda p: rel(p),
)
def test_no_mojibake(path):
    bad = [
        f"{rel(path)}:{n}: {hit}"
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        for hit in mojibake(line) + (["U+FFFD replacement character"] if "\ufffd" in line else [])
    ]
    assert not bad, "mis-decoded text:\n" + "\n".join(bad)


def test_mojibake_detector():
    assert mojibake("a \u201a\u00c4\u00ee b")  # an em dash read as Mac Roman
    assert mojibake("\uf8ff\u00fc\u00ee\u00eb")  # the key emoji read as Mac Roman
    assert mojibake("\u00fc\u00ee\u00eb")  # ... with its first character lost
    assert mojibake("\u00e2\u20ac\u201d")  # an em dash read as cp1252
    assert not mojibake("an em dash \u2014, a key \U0001f511, caf\u00e9, \u2705 \u274c")


@pytest.mark.parametrize("page", ["errata.md", "guarantees.md", "symptoms.md", "map.md"])
def test_proof_columns_name_real_files(page):
    """A row's proof is a file that exists: a snippet, or a test under tests/."""
    text = (DOCS / page).read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:snippets|tests)/[\w/.-]+\.py)`", text))
    if page in ("errata.md", "guarantees.md"):
        assert named, f"docs/{page} names no snippet or test"
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, f"docs/{page} names files that do not exist: {missing}"


# The lesson's outline: every section and subsection of the seed has a heading on the site.
SEED_SECTIONS = [
    "Concurrent State Access",
    "What we'll cover",
    "Prerequisites",
    "Thread isolation",
    "Thread ID design patterns",
    "Reducers as concurrent update handlers",
    "The overwrite vs accumulate problem",
    "Solving with a custom reducer",
    "Race conditions in practice",
    "Scenario 1: Counter increments",
    "Scenario 2: Status tracking",
    "Locking strategies for external resources",
    "Rate limiting shared API access",
    "Optimistic concurrency for Memory Store",
    "Version-based optimistic concurrency",
    "State isolation in multi-agent systems",
    "Subgraph state isolation",
    "Isolation through namespaced Memory Store",
    "Best practices",
    "Common pitfalls",
    "Hands-on exercise",
    "Your task",
    "Requirements",
    "Expected result",
    "Bonus challenges",
    "Summary",
    "Further reading",
]


def page_texts():
    for page in PAGES:
        yield page.read_text(encoding="utf-8")
    for nb in DOCS.rglob("*.ipynb"):
        for cell in nbformat.read(nb, as_version=4).cells:
            if cell.cell_type == "markdown":
                yield cell.source


def test_every_seed_section_is_on_the_site():
    headings = {
        line.lstrip("#").strip().lower()
        for text in page_texts()
        for line in text.split("\n")
        if re.match(r"#{1,6} ", line)
    }
    missing = [s for s in SEED_SECTIONS if s.lower() not in headings]
    assert not missing, f"seed sections with no heading on the site: {missing}"


def test_strict_build(built_site):
    """mkdocs build --strict: a broken link or anchor, or any other warning, fails."""
    tmp_path, stderr, code = built_site
    warned = build_log.problems(stderr)
    assert not warned, "mkdocs build --strict warned:\n" + "\n".join(warned)
    assert code == 0, stderr
    # the exercise notebook is rendered with its outputs, and can be downloaded
    exercise = (tmp_path / "exercise" / "index.html").read_text(encoding="utf-8")
    assert 'href="exercise.ipynb"' in exercise
    assert "search_count: 3 (expected 3)" in exercise
    assert (tmp_path / "exercise" / "exercise.ipynb").exists()
    assert not list(tmp_path.rglob("*.py")), "a stray .py file was published"
    # every page: an "Edit this page" link and the verified-with version from uv.lock
    version = locked_version("langgraph")
    for page in tmp_path.rglob("index.html"):
        if page.parent.name in ("404", "search"):
            continue
        html = page.read_text(encoding="utf-8")
        assert "/edit/main/docs/" in html, f"{page}: no edit link"
        assert f"verified with langgraph {version}" in html, f"{page}: no verified-with version"
    # llms.txt lists every page; llms-full.txt holds their text
    llms = (tmp_path / "llms.txt").read_text(encoding="utf-8")
    assert llms.count("\n- [") == len(PAGES) + len(list(DOCS.rglob("*.ipynb")))
    full = (tmp_path / "llms-full.txt").read_text(encoding="utf-8")
    assert "InvalidUpdateError" in full and "search_count: 3 (expected 3)" in full
