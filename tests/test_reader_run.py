"""One snippet run exactly as a reader runs it: a fresh interpreter, from the repository root.

Every block is run in-process by the docs tests; this one end-to-end run proves that a
snippet file needs nothing from the harness.
"""

import subprocess
import sys

from tools.normalise import normalise
from tools.pages import DOCS, ROOT, read_page


def test_snippet_runs_standalone():
    block = read_page(DOCS / "thread-isolation.md").blocks[0]
    result = subprocess.run(
        [sys.executable, str(block.snippet.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert normalise(result.stdout) == normalise(block.output.text)
