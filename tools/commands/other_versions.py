"""Run the whole suite against another langgraph than the locked one.

    python -m tools.commands.other_versions latest   the newest langgraph release
    python -m tools.commands.other_versions oldest   the oldest release pyproject.toml allows

Every other package stays at its locked version; the langgraph packages float to what the
chosen langgraph needs. The environment lives in .venv-latest or .venv-oldest. A change of
behaviour upstream shows as a failing block with a diff on a named page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.paths import ROOT
from tools.sitegen.versions import locked_version, lower_bound

FAMILY = re.compile(r"^langgraph(-checkpoint(-sqlite|-postgres)?|-prebuilt|-sdk)?==")


def uv() -> list[str]:
    """uv: the one running us (`uv run` sets UV), else on PATH, else make's copy in .uv/."""
    for found in (os.environ.get("UV"), shutil.which("uv"), ROOT / ".uv" / "bin" / "uv"):
        if found and Path(found).is_file():
            return [str(found)]
    raise SystemExit("uv is not installed: run `make install`, which puts a copy in .uv/")


def main(which: str) -> int:
    target = "langgraph" if which == "latest" else f"langgraph=={lower_bound('langgraph')}"
    venv = ROOT / f".venv-{which}"
    exported = subprocess.run(
        [
            *uv(),
            "export",
            "--frozen",
            "--no-hashes",
            "--all-groups",
            "--no-emit-project",
            "--no-header",
            "--no-annotate",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    keep = [line for line in exported.splitlines() if line and not FAMILY.match(line)]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as reqs:
        reqs.write(
            "\n".join(
                [*keep, target, "langgraph-checkpoint-sqlite", "langgraph-checkpoint-postgres"]
            )
            + "\n"
        )
    subprocess.run([*uv(), "venv", "--quiet", "--allow-existing", str(venv)], cwd=ROOT, check=True)
    subprocess.run(
        [*uv(), "pip", "install", "--quiet", "--upgrade", "--python", str(venv), "-r", reqs.name],
        cwd=ROOT,
        check=True,
    )
    os.unlink(reqs.name)
    python = venv / "bin" / "python"
    tested = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('langgraph'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"running the suite with langgraph {tested} (locked: {locked_version('langgraph')})")
    return subprocess.run([str(python), "-m", "pytest", *sys.argv[2:]], cwd=ROOT).returncode


if __name__ == "__main__":
    if sys.argv[1:2] not in (["latest"], ["oldest"]):
        sys.exit("usage: python -m tools.commands.other_versions latest|oldest [pytest args]")
    sys.exit(main(sys.argv[1]))
