"""One `langgraph dev` process: started in a folder of its own on a free 127.0.0.1 port,
ready when /ok answers, stopped as Ctrl-C would stop it.

Nothing the server does may leave this machine. ``OFF_SWITCHES`` turn off the calls the
CLI and the server make on their own (analytics, the version check, tracing), and the
folder's ``sitecustomize.py`` (server_startup.py) installs the network guard
(tools/services/network.py) with a report file: every non-loopback name lookup or
connection is refused and written there, and ``network_attempts`` reads it.
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
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tools.paths import ROOT
from tools.services.agent_server.files import PAGE, server_files

# copied into the server's folder as sitecustomize.py; it reads these two variables
STARTUP = Path(__file__).with_name("server_startup.py")
REPORT_VARIABLE = "DOCS_NETWORK_REPORT"  # the file the server's guard writes refusals to
WATCHDOG_VARIABLE = "DOCS_SERVER_WATCHDOG"  # "1": stop when the parent closes stdin
START_SECONDS = 60
_BANNER = re.compile(r"API: (?:\x1b\[\d+m)?http://127\.0\.0\.1:(\d+)")

# Calls the CLI and the server make on their own, and the settings that turn them off
# (read in the installed source):
OFF_SWITCHES = {
    # langgraph_api/cli.py, run_server and _check_newer_version: a GET of
    # https://pypi.org/pypi/langgraph-api/json in a thread at every start
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    # langgraph_cli/analytics.py, log_command: a POST to a Supabase project
    # (langgraph_cli/constants.py, SUPABASE_URL) for every CLI command, `dev` included
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    # langgraph_api/config: traces go to LangSmith when a key is set, unless this is false
    "LANGSMITH_TRACING": "false",
}
# Keys, licence and endpoint settings from the caller's environment are not passed on:
# langgraph_api/metadata.py, metadata_loop, reports usage when a licence key or a
# control-plane key is set, and a LangSmith key would switch tracing on.
SCRUBBED_PREFIXES = ("LANGSMITH_", "LANGCHAIN_", "LANGGRAPH_", "LSD_")

INSTALL = 'pip install -U "langgraph-cli[inmem]" (in this project: `uv sync`, or `make install`)'


class ServerError(Exception):
    """The server could not be started; the message says what, where, and what to do.

    missing: the server is not installed. Only then is a block skipped (outside CI); a
    server that is installed but does not start is a failure, as a broken page would be.
    """

    def __init__(self, message: str, *, missing: bool = False, port_taken: bool = False):
        super().__init__(message)
        self.missing, self.port_taken = missing, port_taken


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(folder: Path, report: Path, *, off_switches: bool = True) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
    if off_switches:
        env.update(OFF_SWITCHES)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(folder), str(ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    env[REPORT_VARIABLE] = str(report)
    env[WATCHDOG_VARIABLE] = "1"
    env["NO_COLOR"] = "1"
    # langgraph_api/server.py injects truststore into ssl when it is imported, in the main
    # thread, while the version check's thread may be building its SSL context: the
    # context's verify_mode setter then recurses (RecursionError, which the check swallows)
    # and the check gives up before its name lookup, in about one start in five here. The
    # server talks to 127.0.0.1 over plain HTTP only, so its trust store is never used.
    env["DISABLE_TRUSTSTORE"] = "true"
    return env


class AgentServer:
    """One `langgraph dev` process in a folder of its own, on a free 127.0.0.1 port."""

    def __init__(self, folder: Path, port: int, process: subprocess.Popen, seconds: float):
        self.folder, self.port, self.process = folder, port, process
        self.start_seconds = seconds  # from launch until /ok answered

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def report(self) -> Path:
        return self.folder / "network-report.txt"

    def network_attempts(self) -> list[str]:
        """What the server's guard refused so far, one line per attempt."""
        if not self.report.exists():
            return []
        return self.report.read_text(encoding="utf-8").splitlines()

    @classmethod
    def start(
        cls,
        page: Path = PAGE,
        *,
        off_switches: bool = True,
        edit: Callable[[dict[str, str]], None] | None = None,
        attempts: int = 3,
    ) -> AgentServer:
        """Start the server the page describes; raise ServerError if it does not answer.

        edit, if given, changes the server's files (name -> text) before the start: the
        tests use it to show what the page's settings prevent.
        """
        if importlib.util.find_spec("langgraph_cli") is None or (
            importlib.util.find_spec("langgraph_api") is None
        ):
            raise ServerError(
                f"langgraph-cli with its [inmem] extra is not installed: {INSTALL}", missing=True
            )
        files = server_files(page)
        if edit is not None:
            edit(files)
        problem = ServerError("not started")
        for _ in range(attempts):  # a port taken between the probe and the bind: try another
            folder = Path(tempfile.mkdtemp(prefix="agent-server-"))
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
            shutil.copyfile(STARTUP, folder / "sitecustomize.py")
            try:
                return cls._launch(folder, off_switches)
            except ServerError as error:
                problem = error
                shutil.rmtree(folder, ignore_errors=True)
                if not error.port_taken:
                    break
        raise problem

    @classmethod
    def _launch(cls, folder: Path, off_switches: bool) -> AgentServer:
        port = _free_port()
        command = [
            sys.executable,
            "-m",
            "langgraph_cli",
            "dev",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--no-browser",
            "--no-reload",
        ]
        env = server_environment(folder, folder / "network-report.txt", off_switches=off_switches)
        started = time.perf_counter()
        with open(folder / "server.log", "wb") as log:
            process = subprocess.Popen(
                command,
                cwd=folder,
                env=env,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        server = cls(folder, port, process, 0.0)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
        deadline = started + START_SECONDS
        while True:
            if process.poll() is not None:
                tail = server.log_tail()
                server._reap()
                raise ServerError(
                    f"`langgraph dev` exited with code {process.returncode} before it "
                    f"answered; its last lines:\n{tail}"
                )
            # langgraph dev moves to another port, with a warning, when its port is taken:
            # answer only for the port it announces, never for another process's server
            announced = server.announced_port()
            if announced is not None and announced != port:
                server.stop()
                raise ServerError(
                    f"port {port} was taken before `langgraph dev` bound it", port_taken=True
                )
            try:
                if announced == port:
                    with opener.open(f"{server.url}/ok", timeout=2) as answer:
                        if answer.status == 200:
                            break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.perf_counter() > deadline:
                tail = server.log_tail()
                server.stop()
                raise ServerError(
                    f"`langgraph dev` did not answer {server.url}/ok within "
                    f"{START_SECONDS} s; its last lines:\n{tail}"
                )
            time.sleep(0.05)  # polling a readiness endpoint, not ordering a demo
        server.start_seconds = time.perf_counter() - started
        return server

    def announced_port(self) -> int | None:
        """The port in the server's banner ("- 🚀 API: http://127.0.0.1:PORT"), once written."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return None
        found = _BANNER.search(text)
        return int(found.group(1)) if found else None

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no output)"
        return "\n".join(text.rstrip("\n").split("\n")[-lines:])

    def _reap(self) -> None:
        if self.process.stdin and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        self.process.wait()

    def stop(self, grace: float = 10) -> None:
        """SIGINT (what Ctrl-C sends; the server shuts down cleanly), then terminate, then
        kill; the folder is removed. Safe to call twice."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
        self._reap()
        shutil.rmtree(self.folder, ignore_errors=True)
