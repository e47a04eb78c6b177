"""The harness is tested too: faults are seeded into a scratch copy of the site, and each
must be caught by the suite with a message that names the file and the line.

The faults live in pages of our own, tests/fixtures/faults/*.md, never in the lesson's: the
scratch copy gets them as docs/faults/*.md (in its nav, and with their snippets written),
then the faults are seeded into those pages and their snippets only. One pytest run over
the fixture pages and tests/test_pages.py (links, anchors, mojibake, diagrams, snippets in
sync) carries every fault, each where it hides no other; each test below checks that its
fault was reported, at the line the seeded page puts it on.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.paths import ROOT

COPY = [
    "docs",
    "snippets",
    "tools",
    "tests",
    "overrides",
    "mkdocs.yml",
    "pyproject.toml",
    "uv.lock",
]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "faults"
FOLDER = "faults"  # the fixture pages' folder in the scratch copy's docs/ (and snippets/)
HANG_LIMIT = 3  # seconds
FENCE = "```"


def line_of(text: str, part: str) -> int:
    """The 1-based line where part (found exactly once in text) starts."""
    assert text.count(part) == 1, f"{part!r} is not in the fixture exactly once"
    return text[: text.index(part)].count("\n") + 1


def edit(path: Path, old: str, new: str) -> None:
    """Replace old, found exactly once, by new."""
    text = path.read_text(encoding="utf-8")
    line_of(text, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def remove_output(path: Path, name: str) -> None:
    """Remove the output block after the block name.py."""
    text = path.read_text(encoding="utf-8")
    line_of(text, f'{FENCE}python title="{name}"')
    start = text.index(f'\n\n{FENCE}text title="Output"\n', text.index(f'title="{name}"'))
    end = text.index(f"\n{FENCE}\n", start + 2) + len(FENCE) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def add_to_nav(config: Path, pages: list[str]) -> None:
    """A nav section for the fixture pages, at the end of mkdocs.yml's nav (a strict build
    warns about a page left out of it)."""
    lines = config.read_text(encoding="utf-8").split("\n")
    start = lines.index("nav:")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].strip() and lines[i][0] != " "),
        len(lines),
    )
    while not lines[end - 1].strip():
        end -= 1
    section = ["  - Harness fixtures:"]
    section += [f'      - "Fixture: {Path(p).stem}": {FOLDER}/{p}' for p in pages]
    lines[end:end] = section
    config.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def scratch_run(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, site / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, site / name)
    (site / "node_modules").symlink_to(ROOT / "node_modules")  # mermaid, for the build
    if (ROOT / ".cache" / "diagrams").exists():  # diagrams already drawn stay drawn
        shutil.copytree(ROOT / ".cache" / "diagrams", site / ".cache" / "diagrams")

    # the fixture pages, correct as written: in docs/, in the nav, with their snippets
    docs = site / "docs" / FOLDER
    docs.mkdir()
    fixtures = sorted(p.name for p in FIXTURES.glob("*.md"))
    assert fixtures, f"no fixture pages in {FIXTURES}"
    for name in fixtures:
        shutil.copy2(FIXTURES / name, docs / name)
    add_to_nav(site / "mkdocs.yml", fixtures)
    written = subprocess.run(
        [sys.executable, "-m", "tools.commands.snippets"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert written.returncode == 0, written.stdout + written.stderr
    snippets = site / "snippets" / FOLDER / "blocks"
    assert (snippets / "correct.py").exists(), written.stdout

    blocks, layout, prose = docs / "blocks.md", docs / "layout.md", docs / "prose.md"
    # 1. an output line changed
    edit(blocks, "2 squared is 4\n", "2 squared is 5\n")
    # 2. a code line changed (on the page: its snippet no longer matches either)
    edit(blocks, "    total += n\n", "    total += 10 * n\n")
    # 3. a snippet deleted, 4. an orphan snippet
    (snippets / "snippet_deleted.py").unlink()
    (snippets / "stray.py").write_text("print('no page')\n", encoding="utf-8")
    # 5. a printing block whose output block was removed
    remove_output(blocks, "output_removed.py")
    # 6. an output block with no code before it
    edit(
        layout,
        f"not an output block\n{FENCE}\n",
        f'not an output block\n{FENCE}\n\n{FENCE}text title="Output"\nhello\n{FENCE}\n',
    )
    # 7. a broken internal link, 8. a broken anchor, 9. a mojibake character
    edit(prose, "(blocks.md)", "(no-such-page.md)")
    edit(prose, "(blocks.md#a-correct-block)", "(blocks.md#no-such-anchor)")
    edit(prose, "intact: \u2014.", "intact: \u201a\u00c4\u00ee.")
    # 10. a block that hangs (its event is never set), 11. a block that reaches the network
    edit(blocks, "done.set()\n", "")
    edit(blocks, "print(request.host)\n", "urllib.request.urlopen(request, timeout=5)\n")
    # 12. a malformed mermaid diagram
    edit(prose, "A[Written] -->", "A[Written -->")

    # where each fault is, on the pages as seeded
    seeded = {page.stem: page.read_text(encoding="utf-8") for page in (blocks, layout, prose)}
    lines = {
        name: line_of(seeded["blocks"], f'{FENCE}python title="{name}.py"')
        for name in (
            "output_changed",
            "code_changed",
            "output_removed",
            "hang",
            "network",
            "snippet_deleted",
        )
    }
    lines["output_changed_line"] = line_of(seeded["blocks"], "2 squared is 5\n")
    lines["code_changed_output"] = line_of(seeded["blocks"], "total: 6\n")
    lines["orphan_output"] = line_of(seeded["layout"], f'{FENCE}text title="Output"')
    lines["mojibake"] = line_of(seeded["prose"], "intact: \u201a\u00c4\u00ee.")
    lines["mermaid"] = line_of(seeded["prose"], f"{FENCE}mermaid\n")
    lines["link"] = line_of(seeded["prose"], "(no-such-page.md)")
    lines["anchor"] = line_of(seeded["prose"], "(blocks.md#no-such-anchor)")

    env = {**os.environ, "DOCS_BLOCK_TIMEOUT": str(HANG_LIMIT), "CI": "true"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:hypothesispytest",  # no test here uses it; a second less to start
            "-q",
            "-rA",  # a line per test, passed ones too: PASSED docs/faults/blocks.md::correct.py
            "--tb=short",
            f"docs/{FOLDER}",
            "tests/test_pages.py",
        ],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout + result.stderr, lines


def test_the_scratch_run_fails(scratch_run):
    code, output, _ = scratch_run
    assert code != 0, output


def test_a_correct_block_passes_next_to_broken_ones(scratch_run):
    _, output, _ = scratch_run
    assert re.search(rf"^PASSED docs/{FOLDER}/blocks\.md::correct\.py$", output, re.M), output
    assert f"FAILED docs/{FOLDER}/blocks.md::correct.py" not in output, output


P = f"docs/{FOLDER}"  # the fixture pages, as the reports name them


@pytest.mark.parametrize(
    "fault, expected",
    [
        (
            "output",
            [
                f"FAILED {P}/blocks.md::output_changed.py",
                f"{P}/blocks.md:{{output_changed}}: the output of output_changed.py differs "
                "from its page",
                f"first difference at {P}/blocks.md:{{output_changed_line}}",
            ],
        ),
        (
            "code",
            [
                f"FAILED {P}/blocks.md::code_changed.py",
                f"{P}/blocks.md:{{code_changed}}: the output of code_changed.py differs "
                "from its page",
                f"first difference at {P}/blocks.md:{{code_changed_output}}",
                f"snippets/{FOLDER}/blocks/code_changed.py: differs from its block at "
                f"{P}/blocks.md:{{code_changed}}",
            ],
        ),
        (
            "deleted snippet",
            [
                f"snippets/{FOLDER}/blocks/snippet_deleted.py: missing "
                f"(its block is at {P}/blocks.md:{{snippet_deleted}})"
            ],
        ),
        ("orphan snippet", [f"snippets/{FOLDER}/blocks/stray.py: orphan"]),
        (
            "no output block",
            [
                f"FAILED {P}/blocks.md::output_removed.py",
                f"{P}/blocks.md:{{output_removed}}: output_removed.py prints, "
                "but no output block follows it",
            ],
        ),
        (
            "output block with no code",
            [
                f"FAILED {P}/layout.md::layout",  # the page's one test, the run goes on
                f"FAILED tests/test_pages.py::test_page_layout[{P}/layout.md]",
                f"{P}/layout.md:{{orphan_output}}: output block with no Python block before it",
            ],
        ),
        (
            "broken link",
            [
                "FAILED tests/test_pages.py::test_strict_build",
                f"{P}/prose.md:{{link}}: Doc file '{FOLDER}/prose.md' contains a link "
                "'no-such-page.md'",
            ],
        ),
        (
            "broken anchor",
            [
                f"{P}/prose.md:{{anchor}}: Doc file '{FOLDER}/prose.md' contains a link "
                "'blocks.md#no-such-anchor'",
                "does not contain an anchor '#no-such-anchor'",
            ],
        ),
        ("mojibake", [f"{P}/prose.md:{{mojibake}}:", "UTF-8 read as mac_roman"]),
        (
            "hang",
            [
                f"FAILED {P}/blocks.md::hang.py",
                f"{P}/blocks.md:{{hang}}: did not finish within {HANG_LIMIT} s",
            ],
        ),
        (
            "malformed mermaid",
            [f"{P}/prose.md:{{mermaid}}: the mermaid diagram does not parse"],
        ),
        (
            "network",
            [
                f"FAILED {P}/blocks.md::network.py",
                f"{P}/blocks.md:{{network}}: network.py tried to reach the network",
                "network access refused: 'network-fault.invalid'",
            ],
        ),
    ],
)
def test_fault_is_caught(scratch_run, fault, expected):
    _, output, lines = scratch_run
    for message in expected:
        message = message.format(**lines)
        assert message in output, f"{fault}: expected {message!r} in the report:\n{output[-6000:]}"
