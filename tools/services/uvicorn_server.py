"""A page's FastAPI application under a real `uvicorn` with several worker processes.

A client block says what it talks to on its fence:
```` ``` { .python title="client.py" data-server="uvicorn" data-app="service.py:app" } ````.
Around that block, ``serving`` does what the page tells a reader to do:

* a scratch PostgreSQL database (tools/services/postgres.py), the app's ``DATABASE_URL``;
* a temporary folder holding the page's current ``service.py`` block, exactly as
  ``snippets/`` holds it, and a ``sitecustomize.py`` that loads the network guard into
  every process started there;
* ``python service.py`` once (the page's set-up step: LangGraph's tables), then
  ``uvicorn service:app --workers 3`` on a free 127.0.0.1 port, under the strict flags
  the blocks run with; ready when every worker has finished its start-up;
* the block runs with ``SERVICE_URL`` and ``DATABASE_URL`` pointing at both, twice;
* afterwards the server is stopped as Ctrl-C stops it, and no process of it may be
  left; the block fails if a server process wrote a traceback or a warning, or tried to
  reach past 127.0.0.1.

Without uvicorn or PostgreSQL the block is skipped with a message, and fails under CI=true.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tools.harness.pages import Block, PageError, read_page
from tools.paths import ROOT
from tools.services import ci, postgres

KIND = "uvicorn"  # data-server="uvicorn"
VARIABLE = "SERVICE_URL"  # what the client block reads (its default: http://127.0.0.1:8000)
WORKERS = 3
START_SECONDS = 90
REPORT_VARIABLE = "DOCS_NETWORK_REPORT"  # where the guard writes what it refused
STRICT = {"PYTHONDEVMODE": "1", "PYTHONWARNINGS": "error", "PYTHONFAULTHANDLER": "1"}
READY = "Application startup complete."
COMPLAINTS = ("Traceback (most recent call last)", "Warning", "Exception ignored")
# uvicorn 0.54's supervisor binds the listening socket (uvicorn/main.py, run) and never
# closes it: at exit, dev mode reports it. That one report is uvicorn's, not the page's.
_SUPERVISOR_SOCKET = re.compile(
    r"Exception ignored in: <socket\.socket fd=\d+, family=2, type=1, proto=0, "
    r"laddr=\('127\.0\.0\.1', (\d+)\)>\n"
    r"ResourceWarning: unclosed <socket\.socket fd=\d+, family=2, type=1, proto=0, "
    r"laddr=\('127\.0\.0\.1', \1\)>\n"
)
INSTALL = "pip install fastapi uvicorn (in this project: `uv sync`, or `make install`)"

SITECUSTOMIZE = f'''\
"""Loaded by Python at start-up (PYTHONPATH): this server talks to this machine only."""
import os

from tools.services import network

network.guard(report=os.environ.get("{REPORT_VARIABLE}"))
'''


class ServerError(Exception):
    """The server did not start or stop cleanly; the message says what and shows its log."""


def app_files(block: Block) -> tuple[dict[str, str], str]:
    """The server folder's files (name -> text) and uvicorn's target ("service:app"), from
    the block's data-app="service.py:app" and the page's block of that name."""
    from tools.commands import snippets  # here: tools.commands imports the services

    spec = block.attrs.get("data-app", "")
    name, _, attribute = spec.partition(":")
    if not re.fullmatch(r"[a-z0-9_]+\.py", name) or not attribute.isidentifier():
        raise PageError(
            block.page,
            block.line,
            f'data-server="{KIND}" needs data-app="<block>.py:<attribute>", '
            f'e.g. data-app="service.py:app" (found {spec!r})',
        )
    blocks = {b.name: b for b in read_page(block.page).blocks}
    if name not in blocks:
        raise PageError(block.page, block.line, f"data-app names {name}: no block has that title")
    app_block = blocks[name]
    files = {name: snippets.header(block.page) + app_block.code}
    for module in app_block.modules.values():  # what the app imports from pages, beside it
        files[module.name] = snippets.header(module.page) + module.code
    return files, f"{name.removesuffix('.py')}:{attribute}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class UvicornServer:
    """`uvicorn APP --workers N` in a folder of its own, on a free 127.0.0.1 port."""

    def __init__(self, folder: Path, port: int, process: subprocess.Popen):
        self.folder, self.port, self.process = folder, port, process
        self.start_seconds = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(self.log_text().rstrip("\n").split("\n")[-lines:]) or "(no output)"

    def network_attempts(self) -> list[str]:
        report = self.folder / "network-report.txt"
        return report.read_text(encoding="utf-8").splitlines() if report.exists() else []

    def complaints(self) -> list[str]:
        """Tracebacks and warnings in the server's log (uvicorn's own socket report aside)."""
        text = _SUPERVISOR_SOCKET.sub("", self.log_text())
        return [line for line in text.splitlines() if any(c in line for c in COMPLAINTS)]

    @classmethod
    def start(
        cls,
        files: dict[str, str],
        app: str,
        env: dict[str, str],
        *,
        workers: int = WORKERS,
        setup: str | None = None,
        attempts: int = 3,
    ) -> UvicornServer:
        """Write files to a new folder, run `python SETUP` there if given, then start
        uvicorn; return once every worker has started. env is added to this process's."""
        if importlib.util.find_spec("uvicorn") is None:
            raise ServerError(f"uvicorn is not installed: {INSTALL}")
        folder = Path(tempfile.mkdtemp(prefix="uvicorn-server-"))
        for name, text in {**files, "sitecustomize.py": SITECUSTOMIZE}.items():
            (folder / name).write_text(text, encoding="utf-8")
        full_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            **STRICT,
            **env,
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(folder), str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
            REPORT_VARIABLE: str(folder / "network-report.txt"),
        }
        try:
            if setup:
                try:
                    done = subprocess.run(
                        [sys.executable, setup],
                        cwd=folder,
                        env=full_env,
                        capture_output=True,
                        text=True,
                        timeout=START_SECONDS,
                    )
                except subprocess.TimeoutExpired:
                    raise ServerError(
                        f"`python {setup}` (the set-up step) did not finish within "
                        f"{START_SECONDS} s"
                    ) from None
                if done.returncode != 0 or any(c in done.stderr for c in COMPLAINTS):
                    raise ServerError(
                        f"`python {setup}` (the set-up step) failed with code "
                        f"{done.returncode}:\n{(done.stdout + done.stderr)[-3000:]}"
                    )
            for _ in range(attempts):  # a port taken between probe and bind: another
                server = cls._launch(folder, app, full_env, workers)
                if server is not None:
                    return server
            raise ServerError(f"no free port after {attempts} attempts")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    @classmethod
    def _launch(
        cls, folder: Path, app: str, env: dict[str, str], workers: int
    ) -> UvicornServer | None:
        port = _free_port()
        command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1"]
        command += ["--port", str(port), "--workers", str(workers)]
        started = time.perf_counter()
        with open(folder / "server.log", "wb") as log:
            process = subprocess.Popen(
                command,
                cwd=folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the workers stop with it
            )
        server = cls(folder, port, process)
        while server.log_text().count(READY) < workers:
            if process.poll() is not None:
                tail = server.log_tail()
                if "address already in use" in tail:
                    return None
                raise ServerError(
                    f"uvicorn exited with code {process.returncode} before its {workers} "
                    f"workers started; its last lines:\n{tail}"
                )
            if time.perf_counter() - started > START_SECONDS:
                tail = server.log_tail()
                server.stop()
                raise ServerError(
                    f"uvicorn's {workers} workers did not all start within {START_SECONDS} s; "
                    f"its last lines:\n{tail}"
                )
            time.sleep(0.05)  # polling the log for readiness, not ordering a demo
        server.start_seconds = time.perf_counter() - started
        return server

    def stop(self, grace: float = 15) -> list[str]:
        """Ctrl-C (SIGINT: uvicorn stops its workers, each runs its lifespan's shutdown),
        then SIGKILL to whatever of the group is left. Returns the pids that had to be
        killed (an empty list: every process stopped by itself)."""
        group = self.process.pid
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # what the supervisor started outlives it by a moment (multiprocessing's resource
        # tracker exits when it reads the end of its pipe): give the group time to empty
        deadline = time.perf_counter() + grace
        while (left := _group_members(group)) and time.perf_counter() < deadline:
            time.sleep(0.05)
        if left:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        return left


def _group_members(group: int) -> list[str]:
    """Live processes of a process group, as "pid command" (from /proc; not zombies)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            found.append(f"{entry.name} {command.strip()}")
    return found


@contextlib.contextmanager
def serving(block: Block) -> Iterator[dict[str, str]]:
    """Around one data-server="uvicorn" block: a scratch database, the app under uvicorn,
    and the variables the block reads (SERVICE_URL, DATABASE_URL); afterwards every
    server process stopped and its log checked."""
    import pytest

    files, app = app_files(block)
    where = f"{block.where}: {block.name}"
    if importlib.util.find_spec("uvicorn") is None or importlib.util.find_spec("fastapi") is None:
        ci.require(f"{where} runs its page's app under uvicorn, not installed: {INSTALL}", "server")
    problem = postgres.postgres_problem()
    if problem:
        ci.require(f"{where} needs PostgreSQL. {problem}", "database")
    with postgres.scratch_database() as database:
        try:
            server = UvicornServer.start(
                files, app, {postgres.VARIABLE: database}, setup=next(iter(files))
            )
        except ServerError as error:
            pytest.fail(f"{where}: the app did not start under uvicorn: {error}", pytrace=False)
        try:
            yield {VARIABLE: server.url, postgres.VARIABLE: database}
        finally:
            killed = server.stop()
            complaints, refused = server.complaints(), server.network_attempts()
            tail = server.log_tail(40)
            shutil.rmtree(server.folder, ignore_errors=True)
        if killed:
            pytest.fail(
                f"{where}: processes of the server were still running after it stopped, "
                "and were killed:\n  " + "\n  ".join(killed) + f"\n--- its log ---\n{tail}",
                pytrace=False,
            )
        if refused:
            pytest.fail(
                f"{where}: the server tried to reach the network and was refused:\n  "
                + "\n  ".join(refused),
                pytrace=False,
            )
        if complaints:
            pytest.fail(
                f"{where}: the server wrote tracebacks or warnings:\n  "
                + "\n  ".join(complaints)
                + f"\n--- its log ---\n{tail}",
                pytrace=False,
            )
