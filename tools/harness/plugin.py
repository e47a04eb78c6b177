"""pytest plugin: every Python block on the site runs and prints what its page says.

pytest-markdown-docs collects the fences; the runner here replaces its default
one. Each block runs as a reader runs its snippet, in a fork of one strict interpreter
(tools/harness/runner.py); its output is compared with the page's output block, or, with
``--update-outputs``, the output blocks are rewritten and the changes listed.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from pathlib import Path

import pytest
from pytest_markdown_docs._runners import DefaultRunner, register_runner
from pytest_markdown_docs.plugin import MarkdownInlinePythonItem

from tools.harness import pages
from tools.harness.normalise import normalise
from tools.harness.runner import BlockTimeout, Run, SandboxError, run_block
from tools.services import agent_server, network, postgres

_updates: dict[Path, list[tuple[pages.Block, str]]] = {}
_update_mode = False


class Mismatch(Exception):
    """A block's real run disagrees with its page; the message says where and how."""


def _block_for(source_path: Path, start_line: int) -> pages.Block:
    for block in pages.read_page(source_path).blocks:
        if block.line == start_line:
            return block
    raise Mismatch(f"{pages.rel(source_path)}:{start_line}: no Python block starts here")


def _diff(block: pages.Block, actual: str) -> str:
    """A unified diff of documented against real output, led by the first differing page line."""
    documented = block.output.text.rstrip("\n").split("\n") if block.output else []
    real = actual.split("\n")
    first = block.output.line if block.output else block.end + 1
    page = pages.rel(block.page)
    differ = next(
        i
        for i in range(len(documented) + len(real) + 1)
        if (documented + [None] * (i + 1))[i] != (real + [None] * (i + 1))[i]
    )
    diff = difflib.unified_diff(
        documented,
        real,
        f"{page} (documented, from line {first})",
        f"{block.name} (real run)",
        lineterm="",
    )
    return "\n".join([f"first difference at {page}:{first + differ}", *diff])


def check(block: pages.Block) -> None:
    """Run the block as a reader would and compare. A block that reads DATABASE_URL gets a
    scratch database and runs at least twice against it, as a reader running it twice
    would: every run must print the page's output."""
    env: dict[str, str] = {}
    runs = block.repeat
    with contextlib.ExitStack() as stack:
        # a data-server block runs against `langgraph dev` (tools/services/agent_server.py)
        if block.attrs.get("data-server"):
            server = stack.enter_context(agent_server.serving(block))
            env[agent_server.VARIABLE] = server.url
        if postgres.needs_postgres(block.code):
            problem = postgres.postgres_problem()
            if problem:
                message = f"{block.where}: {block.name} needs PostgreSQL. {problem}"
                if postgres.in_ci():
                    message += " (CI=true: a missing database is a failure)"
                    pytest.fail(message, pytrace=False)
                pytest.skip(message)
            env[postgres.VARIABLE] = stack.enter_context(postgres.scratch_database())
            runs = max(runs, 2)
        run_repeatedly(block, env, runs)


def run_repeatedly(block: pages.Block, env: dict[str, str], runs: int) -> None:
    """Every run must print the documented output (data-repeat, or a database's second run)."""
    compare(block, run_block(block, env))
    for attempt in range(2, 1 if _update_mode else runs + 1):
        try:
            compare(block, run_block(block, env))
        except Mismatch as error:
            why = "data-repeat" if block.repeat > 1 else "the same database, run again"
            raise Mismatch(
                f"{block.where}: run {attempt} of {runs} ({why}) differed:\n{error}"
            ) from None


def _with_stderr(message: str, run: Run) -> str:
    if not run.stderr.strip():
        return message
    return f"{message}\n--- its stderr ---\n{run.stderr.rstrip()[-4000:]}"


def compare(block: pages.Block, run: Run) -> None:
    if run.refused:
        raise Mismatch(
            f"{block.where}: {block.name} tried to reach the network, and was refused before "
            f"any packet left this machine:\n{run.traceback or run.output}"
        )
    if block.raises and run.error is None:
        raise Mismatch(
            _with_stderr(
                f'{block.where}: {block.name} is marked data-raises="{block.raises}" '
                "but finished without raising",
                run,
            )
        )
    if run.error is not None and run.error != block.raises:
        if not block.raises:
            raise Mismatch(
                f"{block.where}: {block.name} raised unexpectedly:\n{run.traceback.rstrip()}"
            )
        raise Mismatch(
            f"{block.where}: {block.name} should raise {block.raises} "
            f"but raised {run.error}:\n{run.traceback.rstrip()}"
        )
    if run.complaints:
        raise Mismatch(
            f"{block.where}: {block.name} ran, but Python complained on stderr "
            f"({', '.join(run.complaints)}): it leaves something behind (close connections, "
            "files and loops; await every coroutine)\n--- its stderr ---\n"
            + run.stderr.rstrip()[-4000:]
        )
    documented = normalise(block.output.text) if block.output else None
    if documented == run.output or (documented is None and run.output == ""):
        return
    if _update_mode:
        _updates.setdefault(block.page, []).append((block, run.output))
        return
    if block.output is None:
        raise Mismatch(
            f"{block.where}: {block.name} prints, but no output block follows it.\n"
            'Add one (```text title="Output"), or run `make outputs` to write it.\n'
            + _diff(block, run.output)
        )
    if run.output == "":
        raise Mismatch(
            f"{pages.rel(block.page)}:{block.output.line - 1}: "
            f"the output block after {block.name} ({block.where}) shows output, "
            "but the block prints nothing"
        )
    raise Mismatch(
        _with_stderr(
            f"{block.where}: the output of {block.name} differs from its page.\n"
            + _diff(block, run.output)
            + "\nIf the change is intended, run `make outputs` and review the diff.",
            run,
        )
    )


@register_runner(default=True)
class SnippetRunner(DefaultRunner):
    def runtest(self, test, args, **_):
        check(_block_for(Path(test.source_path), test.start_line))

    def repr_failure(self, test, excinfo, style=None):
        if isinstance(excinfo.value, (Mismatch, pages.PageError, BlockTimeout, SandboxError)):
            return str(excinfo.value)
        return super().repr_failure(test, excinfo, style)


class _FlatParser:
    """markdown-it, with admonitions, details and tabs flattened (tools.harness.pages.flatten)."""

    def parse(self, text: str):
        return pages.parse_markdown(text)


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    return _FlatParser()


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the documented output blocks from real runs and print what changed",
    )


def pytest_configure(config):
    global _update_mode
    network.guard()
    _update_mode = config.getoption("update_outputs")
    if _update_mode:
        config.option.markdowndocs = True


_PY_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(\{[^}]*\.(python|py)\b|(python|py)\b)")
_counts: dict[str, int] = {}


def pytest_collection_modifyitems(session, config, items):
    blocks = [i for i in items if isinstance(i, MarkdownInlinePythonItem)]
    collected_pages = {Path(i.path) for i in blocks}
    fences = sum(
        1
        for page in collected_pages
        for line in page.read_text(encoding="utf-8").split("\n")
        if _PY_FENCE.match(line)
    )
    _counts.update(blocks=len(blocks), fences=fences, pages=len(collected_pages))


def pytest_terminal_summary(terminalreporter):
    if not _counts.get("pages"):
        return
    terminalreporter.write_line(
        f"code blocks checked: {_counts['blocks']} of {_counts['fences']} Python fences "
        f"in {_counts['pages']} pages"
    )
    if _updates:
        for changes in _updates.values():
            for block, new in changes:
                terminalreporter.write_line(f"updated output of {block.where} ({block.name}):")
                terminalreporter.write_line(_diff(block, new))
        terminalreporter.write_line(f"updated {sum(map(len, _updates.values()))} output blocks")


def pytest_sessionfinish(session, exitstatus):
    if _counts.get("pages") and _counts["blocks"] != _counts["fences"]:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(
            f"\nERROR: {_counts['fences']} Python fences on the pages but only "
            f"{_counts['blocks']} were collected as tests: a block is hiding from the harness"
        )
    for page, changes in _updates.items():
        write_outputs(page, changes)


def write_outputs(page: Path, changes: list[tuple[pages.Block, str]]) -> None:
    lines = page.read_text(encoding="utf-8").split("\n")
    for block, new in sorted(changes, key=lambda c: c[0].line, reverse=True):
        body = [block.indent + line if line else "" for line in new.split("\n")] if new else []
        if block.output:
            lines[block.output.line - 1 : block.output.end - 1] = body
        else:
            fence = [block.indent + '```text title="Output"', *body, block.indent + "```"]
            lines[block.end : block.end] = ["", *fence]
    page.write_text("\n".join(lines), encoding="utf-8")
