"""A real LangGraph Agent Server for the blocks that need one: `langgraph dev`, once per session.

A block that talks to the server says so on its fence, in the same vocabulary as
``data-raises``: ```` ``` { .python title="x.py" data-server="agent-server" } ````. Before
such a block runs, ``serving`` starts the server (once per test session, lazily), points
``LANGGRAPH_URL`` at it, and afterwards fails the block if the server tried to reach
the network.

The server is built from the page alone, so the page stays the one source of truth:

* the page's ```` ```json title="langgraph.json" ```` block is the server's configuration;
* every Python block that configuration names (``"./chat_graph.py:graph"``) is copied next
  to it, exactly as ``snippets/`` holds it.

``snippets/agent-server/langgraph.json`` is derived from the same block, so that a reader
can start ``langgraph dev`` in that folder:

    python -m tools.services.agent_server           write snippets/agent-server/langgraph.json
    python -m tools.services.agent_server --check   exit 1 if it has drifted from the page

Nothing the server does may leave this machine. ``OFF_SWITCHES`` turn off the calls the
CLI and the server make on their own (analytics, the version check, tracing), and a
``sitecustomize.py`` in the server's folder installs ``guard_this_process``: every
non-loopback name lookup or connection is refused and written to a report file, which
``serving`` reads after each block.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from tools.harness.pages import Block, PageError, fences
from tools.paths import DOCS, ROOT, SNIPPETS, rel
from tools.services import ci, network

VARIABLE = "LANGGRAPH_URL"  # what the client blocks read
DEFAULT_URL = "http://127.0.0.1:2024"  # langgraph dev's default address, the blocks' fallback
KIND = "agent-server"  # the one value data-server takes
PAGE = DOCS / "agent-server.md"
CONFIG = "langgraph.json"
REPORT_VARIABLE = "DOCS_NETWORK_REPORT"  # where the server's guard writes what it refused
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


# ---------------------------------------------------------------------------------------
# The server's files, from the page


def _config_block(page: Path) -> tuple[int, str]:
    """Line and text of the page's ```json title="langgraph.json"``` block."""
    found = []
    for fence in fences(page.read_text(encoding="utf-8")):
        if fence.lang == "json" and fence.attrs.get("title") == CONFIG:
            found.append((fence.line, fence.content))
    if len(found) != 1:
        raise PageError(
            page, 1, f'needs exactly one ```json title="{CONFIG}"``` block, found {len(found)}'
        )
    return found[0]


def config_text(page: Path = PAGE) -> str:
    return _config_block(page)[1]


def server_files(page: Path = PAGE) -> dict[str, str]:
    """Every file the server's folder holds: langgraph.json and the modules it names."""
    # here, not at the top: tools.commands.snippets may import this module
    from tools.commands import snippets
    from tools.harness.pages import read_page

    line, text = _config_block(page)
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        raise PageError(page, line, f"{CONFIG} is not valid JSON: {error}") from None
    paths = list(config.get("graphs", {}).values())
    if isinstance(config.get("auth"), dict) and "path" in config["auth"]:
        paths.append(config["auth"]["path"])
    blocks = {block.name: block for block in read_page(page).blocks}
    files = {CONFIG: text}
    for spec in paths:
        name = spec.split(":")[0].removeprefix("./")
        if name not in blocks:
            raise PageError(
                page, line, f"{CONFIG} names {name}, but no Python block has that title"
            )
        files[name] = snippets.header(page) + blocks[name].code
    return files


def derived_files(page: Path = PAGE) -> dict[Path, str]:
    """The files snippets/ holds beyond the Python blocks: the server's configuration."""
    folder = SNIPPETS / page.relative_to(DOCS).with_suffix("")
    return {folder / CONFIG: config_text(page)}


def config_problems(page: Path = PAGE) -> list[str]:
    found = []
    for path, text in derived_files(page).items():
        if not path.exists():
            found.append(f"{rel(path)}: missing; run `python -m tools.services.agent_server`")
        elif path.read_text(encoding="utf-8") != text:
            found.append(
                f"{rel(path)}: differs from its block on {rel(page)}; "
                "edit the page, then run `python -m tools.services.agent_server`"
            )
    return found


def write_config(page: Path = PAGE) -> list[str]:
    written = []
    for path, text in derived_files(page).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(f"wrote {rel(path)}")
    return written


# ---------------------------------------------------------------------------------------
# The network guard inside the server process (installed by its sitecustomize.py)

SITECUSTOMIZE = '''\
"""Loaded by Python at start-up (PYTHONPATH): this Agent Server talks to this machine only."""
from tools.services.agent_server import guard_this_process

guard_this_process()
'''


def guard_this_process() -> None:
    """Refuse, and report, every attempt of this process to reach a host that is not local.

    Covers the blocking socket API (``socket.getaddrinfo``, ``socket.socket.connect``,
    what urllib and the version check use) and the event loops' own resolvers and
    connectors (asyncio's and uvloop's, what httpx uses inside the server).
    """
    report = os.environ.get(REPORT_VARIABLE)
    lock = threading.Lock()

    def refuse(host, how: str):
        line = f"refused {how} to {host!r}"
        with lock:
            if report:
                with open(report, "a", encoding="utf-8") as file:
                    file.write(line + "\n")
            print(f"network guard: {line}", file=sys.stderr, flush=True)
        raise network.NetworkRefused(
            f"network access refused: {host!r} is not this machine "
            "(the tests talk only to 127.0.0.1 and ::1)"
        )

    def remote(sock_family, address) -> bool:
        return (
            sock_family in (socket.AF_INET, socket.AF_INET6)
            and isinstance(address, tuple)
            and not network.is_loopback(address[0])
        )

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if not network.is_loopback(host):
            refuse(host, "a name lookup")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo

    for method in ("connect", "connect_ex"):
        real = getattr(socket.socket, method)

        def guarded(self, address, _real=real, _method=method):
            if remote(self.family, address):
                refuse(address[0], f"socket.{_method}")
            return _real(self, address)

        setattr(socket.socket, method, guarded)

    loops = [asyncio.BaseEventLoop]
    if importlib.util.find_spec("uvloop"):
        import uvloop

        loops.append(uvloop.Loop)
    for loop in loops:
        real_resolve, real_create, real_sock_connect = (
            loop.getaddrinfo,
            loop.create_connection,
            loop.sock_connect,
        )

        async def resolve(self, host, *args, _real=real_resolve, **kwargs):
            if not network.is_loopback(host):
                refuse(host, "a name lookup (event loop)")
            return await _real(self, host, *args, **kwargs)

        async def create(self, *args, _real=real_create, **kwargs):
            host = kwargs.get("host", args[1] if len(args) > 1 else None)
            if host is not None and not network.is_loopback(host):
                refuse(host, "a connection (event loop)")
            return await _real(self, *args, **kwargs)

        async def sock_connect(self, sock, address, _real=real_sock_connect):
            if remote(sock.family, address):
                refuse(address[0], "a connection (event loop)")
            return await _real(self, sock, address)

        loop.getaddrinfo, loop.create_connection, loop.sock_connect = (
            resolve,
            create,
            sock_connect,
        )

    # The parent holds this process's stdin open; when it closes (the parent stopped, or
    # died), shut down as Ctrl-C would: no server outlives its test session.
    if os.environ.get("DOCS_SERVER_WATCHDOG") == "1":

        def watch() -> None:
            # os.read, not sys.stdin: a daemon thread blocked in a buffered read aborts
            # the interpreter's shutdown (it cannot take the buffer's lock)
            while os.read(0, 1024):
                pass
            os.kill(os.getpid(), signal.SIGINT)

        threading.Thread(target=watch, name="parent watchdog", daemon=True).start()


# ---------------------------------------------------------------------------------------
# Starting and stopping


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
    env["DOCS_SERVER_WATCHDOG"] = "1"
    env["NO_COLOR"] = "1"
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
            (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
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


# ---------------------------------------------------------------------------------------
# One server per test session


_session: dict[str, object] = {}  # "server": AgentServer, or "error": ServerError


def session_server() -> AgentServer:
    """The session's server, started on first use; a failed start is not retried."""
    if "server" in _session:
        return _session["server"]  # type: ignore[return-value]
    if "error" in _session:
        raise _session["error"]  # type: ignore[misc]
    try:
        server = AgentServer.start()
    except ServerError as error:
        _session["error"] = error
        raise
    _session["server"] = server
    atexit.register(stop_session_server)
    return server


def stop_session_server() -> None:
    server = _session.pop("server", None)
    if server is not None:
        server.stop()  # type: ignore[attr-defined]


def problem_message(where: str, error: ServerError) -> str:
    """One message: what is missing, where it comes from, and what to do."""
    if error.missing:
        todo = f"install it: {INSTALL}"
    else:
        todo = (
            "read the server's last lines above; to watch it start, run it by hand as the "
            f"page says: cd snippets/{KIND} && langgraph dev --no-browser"
        )
    return (
        f"{where} needs LangGraph's Agent Server (`langgraph dev`, started by "
        f"tools/services/agent_server.py with the {CONFIG} of {rel(PAGE)}), which did not start: "
        f"{error}\nWhat to do: {todo}"
    )


@contextlib.contextmanager
def serving(block: Block) -> Iterator[AgentServer]:
    """Around one data-server block: the server (the block reads its URL from
    LANGGRAPH_URL), and afterwards a failure if the server tried to reach the network
    while the block ran."""
    import pytest

    kind = block.attrs.get("data-server")
    if kind != KIND:
        raise PageError(block.page, block.line, f'data-server="{kind}": the only kind is "{KIND}"')
    try:
        server = session_server()
    except ServerError as error:
        message = problem_message(f"{block.where}: {block.name}", error)
        if not error.missing:
            pytest.fail(message, pytrace=False)
        ci.require(message, "server")
    before = len(server.network_attempts())
    yield server
    refused = server.network_attempts()[before:]
    if refused:
        pytest.fail(
            f"{block.where}: while {block.name} ran, the Agent Server tried to reach the "
            "network and was refused:\n  " + "\n  ".join(refused),
            pytrace=False,
        )


def main(argv: list[str]) -> int:
    try:
        if "--check" in argv:
            found = config_problems()
            print("\n".join(found) if found else f"snippets/{KIND}/{CONFIG} is up to date")
            return 1 if found else 0
        written = write_config()
    except PageError as error:
        print(error)
        return 1
    print("\n".join(written) if written else f"snippets/{KIND}/{CONFIG} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
