"""Every snippet run exactly as a reader runs it, and as strictly as Python allows.

`python -X dev -W error snippets/<page>/<name>.py`, from the repository root, in a fresh
interpreter: it must print its page's output, raise only what its block says it raises,
and leave nothing behind that Python warns about (unclosed connections, files, pipes,
sockets, event loops; un-awaited coroutines). A snippet that uses PostgreSQL runs twice
in a row against one database, as a reader running it twice would: both runs must print
the page's output.

The docs tests run the same blocks in-process, which is fast; this is the slower proof
that a snippet file needs nothing from the harness.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tools.harness.normalise import normalise
from tools.harness.pages import all_blocks
from tools.paths import ROOT
from tools.services import agent_server, postgres

BLOCKS = all_blocks()
# -X dev and -W error as environment variables, so that the worker processes a snippet
# starts with sys.executable are held to the same rules
TRACEBACK = "Traceback (most recent call last):\n  ...\n"  # as the pages show it
STRICT = {"PYTHONDEVMODE": "1", "PYTHONWARNINGS": "error", "PYTHONFAULTHANDLER": "1"}


def exception_shown(stderr: str) -> str:
    """The exception Python printed last (possibly several lines), without its frames."""
    lines = stderr.rstrip("\n").split("\n")
    start = max(i for i, line in enumerate(lines) if line.startswith("Traceback (most recent"))
    body = start + 1
    while body < len(lines) and lines[body].startswith(" "):
        body += 1
    return "\n".join(lines[body:])


def run_as_reader(block, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", str(block.snippet.relative_to(ROOT))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    where = f"{block.where} ({block.snippet.relative_to(ROOT)})"
    for complaint in ("Warning", "Exception ignored", "Task was destroyed", "never awaited"):
        assert complaint not in result.stderr.replace(block.raises or "\0", ""), (
            f"{where} ran, but Python complained on stderr:\n{result.stderr[-4000:]}"
        )
    output = result.stdout
    if block.raises:
        assert result.returncode != 0, f"{where} should raise {block.raises} but exited 0"
        shown = exception_shown(result.stderr)
        assert shown.split(":")[0].split(".")[-1] == block.raises, (
            f"{where} should raise {block.raises}:\n{result.stderr[-4000:]}"
        )
        output += ("\n" if output and not output.endswith("\n") else "") + TRACEBACK + shown
    else:
        assert result.returncode == 0, f"{where} failed:\n{result.stderr[-4000:]}"
    return normalise(output)


def reader_check(block) -> None:
    """Run the snippet as a reader would (twice against one database if it uses one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(STRICT)
    documented = normalise(block.output.text) if block.output else ""
    if "data-server" in block.attrs:  # a client of the Agent Server the session started
        env["LANGGRAPH_URL"] = agent_server.session_server().url
    if not postgres.needs_postgres(block.code):
        assert run_as_reader(block, env) == documented
        return
    problem = postgres.postgres_problem()
    if problem:
        if postgres.in_ci():
            pytest.fail(f"{block.where}: {problem} (CI=true: a missing database is a failure)")
        pytest.skip(problem)
    with postgres.scratch_database() as url:
        env[postgres.VARIABLE] = url
        for attempt in ("first", "second"):
            assert run_as_reader(block, env) == documented, (
                f"{block.where}: the {attempt} run against one database printed something else"
            )


@pytest.fixture(scope="module")
def reader_runs():
    """Every snippet's check, started at once on a pool as wide as the machine: the runs are
    separate processes, so they overlap; each test below waits for its own."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        yield {block.snippet: pool.submit(reader_check, block) for block in BLOCKS}


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: f"{b.snippet.relative_to(ROOT)}")
def test_snippet_as_a_reader_runs_it(block, reader_runs):
    reader_runs[block.snippet].result()
