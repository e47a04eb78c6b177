"""The harness is tested too: faults are seeded into a scratch copy of the site, and each
must be caught by the suite with a message that names the file and the line.

One pytest run over the scratch copy carries every fault (each on a page of its own, so
they do not hide each other); each test below checks that its fault was reported.
"""

from __future__ import annotations

import os
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
HANG_LIMIT = 3  # seconds


def edit(path: Path, old: str, new: str) -> int:
    """Replace old (once) by new; return the 1-based line where new starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{path}: {old!r} not found"
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text[:at].count("\n") + 1


def append(path: Path, text: str) -> int:
    """Append text; return the 1-based line of its first line."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return before.rstrip("\n").count("\n") + 3


FENCE = "```"


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
    docs, lines = site / "docs", {}

    # 1. an output line changed
    lines["output"] = edit(
        docs / "reducers.md",
        "best_score = max(0.8, 0.9) = 0.9\n```",
        "best_score = max(0.8, 0.9) = 0.8\n```",
    )
    # 2. a code line changed (the page, so its snippet no longer matches either)
    edit(
        docs / "race-conditions.md",
        'return {"count": 1}  # Adds 1 via reducer',
        'return {"count": 5}  # Adds 1 via reducer',
    )
    # 3. a snippet deleted, 4. an orphan snippet
    (site / "snippets" / "locking" / "rate_limiter.py").unlink()
    (site / "snippets" / "locking" / "stray.py").write_text("print('no page')\n")
    # 5. a printing block whose output block was removed
    page = docs / "best-practices.md"
    text = page.read_text(encoding="utf-8")
    start = text.index('```text title="Output"\ntrue mean')
    page.write_text(text[:start] + text[text.index("```\n", start + 10) + 4 :], encoding="utf-8")
    lines["no-output"] = text[: text.index('```python title="mean_reducer.py"')].count("\n") + 1
    # 6. an output block with no code before it
    lines["orphan-output"] = edit(
        docs / "summary.md",
        ":material-check-circle: Thread isolation",
        f'{FENCE}text title="Output"\nhello\n{FENCE}\n\n:material-check-circle: Thread isolation',
    )
    # 7. a broken internal link, 8. a broken anchor, 9. a mojibake character
    append(docs / "index.md", "See [a page that is not there](no-such-page.md).\n")
    append(docs / "errata.md", "See [an anchor that is not there](locking.md#no-such-anchor).\n")
    mis_decoded_dash = "\u201a\u00c4\u00ee"
    lines["mojibake"] = append(docs / "index.md", f"A dash that arrived: {mis_decoded_dash}.\n")
    # 12. a malformed mermaid diagram
    edit(docs / "reducers.md", "A[Start] -->", "A[Start -->")
    text = (docs / "reducers.md").read_text(encoding="utf-8")
    lines["mermaid"] = text[: text.index("```mermaid")].count("\n") + 1
    # 10. a block that hangs, 11. a block that tries to reach the network
    lines["hang"] = append(
        docs / "multi-agent.md",
        f'{FENCE}python title="hang.py"\nimport threading\n\nthreading.Event().wait()\n{FENCE}\n',
    )
    lines["network"] = append(
        docs / "multi-agent.md",
        f'{FENCE}python title="network.py"\nimport urllib.request\n\n'
        f'urllib.request.urlopen("http://network-fault.invalid/", timeout=5)\n{FENCE}\n',
    )

    env = {**os.environ, "DOCS_BLOCK_TIMEOUT": str(HANG_LIMIT), "CI": "true"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--tb=short",
            "docs/reducers.md",
            "docs/race-conditions.md",
            "docs/best-practices.md",
            "docs/multi-agent.md",
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


@pytest.mark.parametrize(
    "fault, expected",
    [
        (
            "output",
            [
                "docs/reducers.md:",
                "custom_max_reducer.py differs from its page",
                "first difference at docs/reducers.md:{output}",
            ],
        ),
        (
            "code",
            [
                "the output of counter_fixed.py differs from its page",
                "snippets/race-conditions/counter_fixed.py: differs from its page's block",
            ],
        ),
        ("deleted snippet", ["snippets/locking/rate_limiter.py: missing"]),
        ("orphan snippet", ["snippets/locking/stray.py: orphan"]),
        (
            "no output block",
            [
                "docs/best-practices.md:{no-output}: mean_reducer.py prints, "
                "but no output block follows it"
            ],
        ),
        (
            "output block with no code",
            ["docs/summary.md:{orphan-output}: output block with no Python block before it"],
        ),
        ("broken link", ["index.md", "no-such-page.md"]),
        ("broken anchor", ["errata.md", "no-such-anchor"]),
        ("mojibake", ["docs/index.md:{mojibake}:", "UTF-8 read as mac_roman"]),
        ("hang", [f"docs/multi-agent.md:{{hang}}: did not finish within {HANG_LIMIT} s"]),
        ("malformed mermaid", ["docs/reducers.md:{mermaid}: the mermaid diagram does not parse"]),
        (
            "network",
            [
                "docs/multi-agent.md:{network}: network.py tried to reach the network",
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
