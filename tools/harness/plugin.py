"""pytest plugin: every Python block on the site runs and prints what its page says.

Each Python block of a page under docs/ is one test, named after its snippet
(``docs/reducers.md::reducer_order.py``; ``-k reducer_order`` selects it). It runs as a
reader runs its snippet, in a fork of one strict interpreter (tools/harness/runner.py);
its output is compared with the page's output block, or, with ``--update-outputs``, the
output blocks are rewritten and the changes listed.
"""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tools.harness import pages
from tools.harness.normalise import normalise
from tools.harness.runner import (
    BlockTimeout,
    Run,
    SandboxError,
    imported_modules,
    page_only,
    run_block,
)
from tools.services import agent_server, ci, network, postgres, uvicorn_server


class Mismatch(Exception):
    """A block's real run disagrees with its page; the message says where and how."""


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


def check(block: pages.Block, state: _State) -> None:
    """Run the block as a reader would and compare. A block marked data-needs="postgres" gets
    a scratch database and runs at least twice against it, as a reader running it twice
    would: every run must print the page's output."""
    env: dict[str, str] = {}
    runs = block.repeat
    with contextlib.ExitStack() as stack:
        # data-server="uvicorn": the page's app under uvicorn (tools/services/uvicorn_server.py)
        if block.attrs.get("data-server") == uvicorn_server.KIND:
            env.update(stack.enter_context(uvicorn_server.serving(block)))
            runs = max(runs, 2)  # its database, the server's: run again against the same one
        # a data-server block runs against `langgraph dev` (tools/services/agent_server/)
        elif block.attrs.get("data-server"):
            server = stack.enter_context(agent_server.serving(block))
            env[agent_server.VARIABLE] = server.url
        if postgres.needs_postgres(block) and postgres.VARIABLE not in env:
            problem = postgres.postgres_problem()
            if problem:
                ci.require(f"{block.where}: {block.name} needs PostgreSQL. {problem}", "database")
            env[postgres.VARIABLE] = stack.enter_context(postgres.scratch_database())
            runs = max(runs, 2)
        run_repeatedly(block, env, runs, state)


def run_repeatedly(block: pages.Block, env: dict[str, str], runs: int, state: _State) -> None:
    """Every run must print the documented output (data-repeat, or a database's second run)."""
    compare(block, run_block(block, env, state.preload), state)
    for attempt in range(2, 1 if state.update_mode else runs + 1):
        try:
            compare(block, run_block(block, env, state.preload), state)
        except Mismatch as error:
            why = "data-repeat" if block.repeat > 1 else "the same database, run again"
            raise Mismatch(
                f"{block.where}: run {attempt} of {runs} ({why}) differed:\n{error}"
            ) from None


def _with_stderr(message: str, run: Run) -> str:
    if not run.stderr.strip():
        return message
    return f"{message}\n--- its stderr ---\n{run.stderr.rstrip()[-4000:]}"


def compare(block: pages.Block, run: Run, state: _State) -> None:
    if run.refused:
        shown = page_only(run.traceback) if run.traceback else run.output
        raise Mismatch(
            f"{block.where}: {block.name} tried to reach the network, and was refused before "
            f"any packet left this machine:\n{shown}"
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
        shown = page_only(run.traceback)
        if not block.raises:
            raise Mismatch(
                _with_stderr(f"{block.where}: {block.name} raised unexpectedly:\n{shown}", run)
            )
        raise Mismatch(
            _with_stderr(
                f"{block.where}: {block.name} should raise {block.raises} "
                f"but raised {run.error}:\n{shown}",
                run,
            )
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
    if state.update_mode:
        state.updates.setdefault(block.page, []).append((block, run.output))
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


class PageFile(pytest.File):
    """A page under docs/: one test per Python block, named by its snippet. A page laid out
    in a way the harness cannot check is one failing test, `docs/x.md::layout`, naming its
    line; the rest of the run goes on."""

    def collect(self):
        try:
            page = pages.read_page(self.path)
        except pages.PageError as error:
            yield LayoutItem.from_parent(self, name="layout", error=error)
            return
        for block in page.blocks:
            yield BlockItem.from_parent(self, name=block.name, block=block)


class LayoutItem(pytest.Item):
    """A page whose blocks cannot be read: fails with what is wrong and where."""

    def __init__(self, *, error: pages.PageError, **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}: layout"


# a block's reports carry its page, so the summary can count blocks wherever they ran
# (pytest-xdist's workers send their reports, user_properties included, to the controller)
CODE_BLOCK = "code block of"


class BlockItem(pytest.Item):
    def __init__(self, *, block: pages.Block, **kwargs):
        super().__init__(**kwargs)
        self.block = block
        self.user_properties.append((CODE_BLOCK, str(block.page)))

    def runtest(self) -> None:
        check(self.block, self.config.stash[_STATE])

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, (Mismatch, pages.PageError, BlockTimeout, SandboxError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.block.line - 1, f"{self.block.where}: {self.block.name}"


@dataclass
class _State:
    update_mode: bool = False
    updates: dict[Path, list[tuple[pages.Block, str]]] = field(default_factory=dict)
    # what the blocks of this run import: the sandbox loads it before the first block
    # (a run of one page does not wait for the imports of every other page)
    preload: list[str] = field(default_factory=list)


_STATE = pytest.StashKey[_State]()


def pytest_collect_file(file_path: Path, parent):
    docs = parent.config.rootpath / parent.config.getini("docs_dir")
    if file_path.suffix == ".md" and file_path.resolve().is_relative_to(docs.resolve()):
        return PageFile.from_parent(parent, path=file_path)
    return None


def pytest_addoption(parser):
    parser.addini("docs_dir", "the folder of pages whose Python blocks are tests", default="docs")
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the documented output blocks from real runs and print what changed",
    )


def pytest_configure(config):
    network.guard()
    update = config.getoption("update_outputs")
    workers = getattr(config.option, "numprocesses", None)
    if update and workers not in (None, 0) and not hasattr(config, "workerinput"):
        raise pytest.UsageError(
            f"--update-outputs rewrites the pages, and runs with -n {workers} (pytest-xdist) "
            "would write one page from several processes: run it without -n "
            "(`make outputs` does)"
        )
    config.stash[_STATE] = _State(update_mode=update)


def pytest_collection_finish(session):
    blocks = [item.block for item in session.items if isinstance(item, BlockItem)]
    session.config.stash[_STATE].preload = imported_modules(blocks)


def pytest_terminal_summary(terminalreporter, config):
    state = config.stash[_STATE]
    ran, collected = {}, set()
    for reports in terminalreporter.stats.values():
        for report in reports:  # test reports, and the items pytest deselected
            page = dict(getattr(report, "user_properties", ())).get(CODE_BLOCK)
            if page is None:
                continue
            collected.add(report.nodeid)
            if getattr(report, "when", None) == "call" and not report.skipped:
                ran[report.nodeid] = page
    if collected:
        pages_word = "page" if len(set(ran.values())) == 1 else "pages"
        line = f"code blocks checked: {len(ran)} in {len(set(ran.values()))} {pages_word}"
        if len(collected) > len(ran):
            line += f" ({len(collected) - len(ran)} more not run: deselected, skipped or broken)"
        terminalreporter.write_line(line)
    for changes in state.updates.values():
        for block, new in changes:
            terminalreporter.write_line(f"updated output of {block.where} ({block.name}):")
            terminalreporter.write_line(_diff(block, new))
    if state.updates:
        terminalreporter.write_line(f"updated {sum(map(len, state.updates.values()))} blocks")


def pytest_sessionfinish(session, exitstatus):
    for page, changes in session.config.stash[_STATE].updates.items():
        write_outputs(page, changes)


def write_outputs(page: Path, changes: list[tuple[pages.Block, str]]) -> None:
    """Write the new outputs into the page as it is now: read again, its blocks found by
    name, so an edit made while the blocks ran moves no output to a wrong line."""
    current = {block.name: block for block in pages.read_page(page).blocks}
    changes = [(current[block.name], new) for block, new in changes if block.name in current]
    lines = page.read_text(encoding="utf-8").split("\n")
    for block, new in sorted(changes, key=lambda c: c[0].line, reverse=True):
        body = [block.indent + line if line else "" for line in new.split("\n")] if new else []
        if block.output and not new:  # the block stopped printing: its Output fence goes
            start = block.output.line - 2  # the opening fence
            if start > 0 and not lines[start - 1].strip():
                start -= 1  # and the blank line before it
            del lines[start : block.output.end]
        elif block.output:
            lines[block.output.line - 1 : block.output.end - 1] = body
        else:
            fence = [block.indent + '```text title="Output"', *body, block.indent + "```"]
            lines[block.end : block.end] = ["", *fence]
    page.write_text("\n".join(lines), encoding="utf-8")
