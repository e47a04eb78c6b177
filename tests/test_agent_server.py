"""The Agent Server behind docs/agent-server.md: it starts and stops cleanly, it stays on
this machine, and the page's settings do what the page says they do.

Every test here starts a real `langgraph dev` (about two seconds each). Without
langgraph-cli[inmem] installed they are skipped with one message, and under CI=true that
is a failure; an installed server that does not start is always a failure.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
import uuid
import warnings

import psutil
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.errors import NotFoundError

from tools.harness.pages import read_page
from tools.services.agent_server import files, process, session
from tools.services.agent_server.process import AgentServer, ServerError
from tools.services.ci import require


def start(**options) -> AgentServer:
    try:
        return AgentServer.start(**options)
    except ServerError as error:
        message = session.problem_message("tests/test_agent_server.py", error)
        if not error.missing:
            pytest.fail(message, pytrace=False)
        require(message, "server")


def wait_for(condition, seconds: float = 15) -> bool:
    """Poll condition() until it is true or the time is up (for a side effect of a start)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def family(pid: int) -> list[psutil.Process]:
    process = psutil.Process(pid)
    return [process, *process.children(recursive=True)]


def test_server_starts_and_stops_cleanly():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        server = start()
        processes = family(server.process.pid)
        folder = server.folder
        print(
            f"\nlanggraph dev: /ok answered {server.start_seconds:.2f} s after launch, "
            f"{len(processes)} process(es)"
        )
        stopping = time.perf_counter()
        server.stop()
        print(f"stopped in {time.perf_counter() - stopping:.2f} s (SIGINT)")
        server.stop()  # a second stop is harmless
        returncode = server.process.returncode
        del server
        gc.collect()
    left = [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not left, f"processes left behind: {left}"
    assert returncode == 0, f"langgraph dev did not shut down cleanly: exit code {returncode}"
    assert not folder.exists(), f"{folder} was not removed"
    resource = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not resource, resource


def test_server_that_does_not_start_is_one_clear_message():
    def broken(files: dict[str, str]) -> None:
        config = json.loads(files["langgraph.json"])
        config["graphs"]["chat"] = "./no_such_module.py:graph"
        files["langgraph.json"] = json.dumps(config)

    with pytest.raises(ServerError) as raised:
        AgentServer.start(edit=broken, attempts=1)
    error = raised.value
    assert not error.missing
    assert "exited with code" in str(error) and "no_such_module" in str(error), str(error)
    message = session.problem_message("docs/agent-server.md:1: x.py", error)
    assert "What to do:" in message and "langgraph dev --no-browser" in message


def test_a_taken_port_is_detected_and_another_is_tried(monkeypatch):
    """langgraph dev moves to another port when its own is taken; the harness must notice
    (else it would poll the port's owner) and start again on a free one."""
    import socket

    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        ports = iter([taken])
        free_port = process._free_port
        monkeypatch.setattr(process, "_free_port", lambda: next(ports, None) or free_port())
        server = start()
        try:
            assert server.port != taken
            assert server.announced_port() == server.port
        finally:
            server.stop()


def a_block() -> object:
    return next(b for b in read_page(files.PAGE).blocks if b.attrs.get("data-server"))


def test_missing_server_skips_locally_and_fails_in_ci(monkeypatch):
    missing = ServerError("langgraph-cli is not installed", missing=True)
    monkeypatch.setattr(session, "_session", {"error": missing})
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs LangGraph's Agent Server"):
        with session.serving(a_block()):
            pass
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        with session.serving(a_block()):
            pass


def test_langgraph_json_in_snippets_is_the_pages():
    problems = files.config_problems()
    assert not problems, "\n".join(problems)


async def alice_talks(url: str) -> None:
    async with get_client(url=url, headers={"Authorization": "Bearer alice-token"}) as alice:
        thread = await alice.threads.create()
        await alice.runs.wait(thread["thread_id"], "chat", input={"messages": [("user", "hi")]})


def test_with_the_off_switches_nothing_leaves_the_machine():
    """The session's server, as the page's blocks use it: no attempt at start or in a run."""
    try:
        server = session.session_server()
    except ServerError as error:
        start_failed = session.problem_message("tests/test_agent_server.py", error)
        if not error.missing:
            pytest.fail(start_failed, pytrace=False)
        require(start_failed, "server")
    asyncio.run(alice_talks(server.url))
    assert server.network_attempts() == []


GUARD_PROBE = r"""
import asyncio, os, socket, sys, urllib.request
import httpx, uvloop

passed = []  # what got past the guard to the (fake) network functions below

def fake(name):
    def record(*args, **kwargs):
        passed.append(name)
        raise OSError("fake network function")
    return record

def fake_async(name):
    async def record(*args, **kwargs):
        passed.append(name)
        raise OSError("fake network function")
    return record

# no packet can leave even if the guard fails: the real functions are replaced first
socket.getaddrinfo = fake("getaddrinfo")
socket.socket.connect = fake("connect")
socket.socket.connect_ex = fake("connect_ex")
for loop in (asyncio.BaseEventLoop, uvloop.Loop):
    for method in ("getaddrinfo", "create_connection", "sock_connect"):
        setattr(loop, method, fake_async(f"{loop.__name__}.{method}"))

from tools.services import network
network.guard(report=os.environ["DOCS_NETWORK_REPORT"])

def attempt(label, call):
    try:
        call()
    except Exception as error:
        print(label, type(error).__name__)

attempt("urlopen", lambda: urllib.request.urlopen("https://pypi.org/pypi/x/json", timeout=1))
attempt("connect", lambda: socket.socket().connect(("192.0.2.1", 80)))
attempt("create_connection", lambda: socket.create_connection(("192.0.2.1", 80)))

async def on_the_loop():
    for label, make in (
        ("open_connection", lambda: asyncio.open_connection("example.com", 443)),
        ("httpx", lambda: httpx.AsyncClient().get("https://example.com/")),
        ("loop.getaddrinfo", lambda: asyncio.get_running_loop().getaddrinfo("example.com", 443)),
    ):
        try:
            await make()
        except Exception as error:
            print(label, type(error).__name__)

asyncio.run(on_the_loop())
uvloop.run(on_the_loop())
attempt("loopback", lambda: socket.getaddrinfo("127.0.0.1", 80))  # let through, to the fake
print("passed:", passed)
"""


def test_the_servers_guard_refuses_and_reports_without_touching_the_network(tmp_path):
    """network.guard with a report file, as the server's sitecustomize.py installs it, on
    the blocking socket API and on both event loops."""
    import subprocess
    import sys

    from tools.harness.pages import ROOT

    report = tmp_path / "report.txt"
    result = subprocess.run(
        [sys.executable, "-c", GUARD_PROBE],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), process.REPORT_VARIABLE: str(report), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("passed: ['getaddrinfo']"), result.stdout
    refused = report.read_text(encoding="utf-8")
    for host in ("'pypi.org'", "'192.0.2.1'", "'example.com'"):
        assert host in refused, refused
    print("\n" + result.stdout + refused)


def careless(files: dict[str, str]) -> None:
    """The page's server without its settings: Studio login on, owner stamped on create only."""
    config = json.loads(files["langgraph.json"])
    del config["auth"]["disable_studio_auth"]
    files["langgraph.json"] = json.dumps(config)
    stamped = 'ctx.action in ("create", "update")'
    assert stamped in files["owner_auth.py"], "owner_auth.py changed: update this test"
    files["owner_auth.py"] = files["owner_auth.py"].replace(stamped, 'ctx.action == "create"')


@pytest.fixture(scope="module")
def careless_server():
    """Started as a reader would start it without the page's environment and settings."""
    server = start(off_switches=False, edit=careless)
    yield server
    server.stop()


def test_without_the_off_switch_the_version_check_is_refused_and_reported(careless_server):
    def reported() -> bool:
        text = "\n".join(careless_server.network_attempts())
        return "'pypi.org'" in text and ".supabase.co'" in text

    assert wait_for(reported), careless_server.network_attempts()
    attempts = careless_server.network_attempts()
    print("\n" + "\n".join(attempts))
    # the version check (langgraph_api) and the CLI's analytics (langgraph_cli), both refused
    assert any("'pypi.org'" in line for line in attempts)
    assert any("supabase.co'" in line for line in attempts)


def test_without_disable_studio_auth_the_studio_header_needs_no_token(careless_server):
    """Let in without a token, as the Studio user; the thread handler still filters it."""

    async def as_studio() -> tuple[list, int]:
        headers = {"Authorization": "Bearer alice-token"}
        async with (
            get_client(url=careless_server.url, headers=headers) as alice,
            get_client(url=careless_server.url, headers={"x-auth-scheme": "langsmith"}) as studio,
        ):
            thread_id = (await alice.threads.create())["thread_id"]
            found = await studio.threads.search()
            try:
                await studio.threads.get(thread_id)
            except NotFoundError as hidden:
                return found, hidden.status_code
            return found, 200

    found, status = asyncio.run(as_studio())
    assert found == []  # answered, with no token at all: the request is in
    assert status == 404  # but alice's thread is filtered out, as for any other user


def test_owner_stamped_on_create_only_lets_a_thread_be_planted(careless_server):
    async def plant() -> bool:
        async with (
            get_client(
                url=careless_server.url, headers={"Authorization": "Bearer alice-token"}
            ) as alice,
            get_client(
                url=careless_server.url, headers={"Authorization": "Bearer mallory-token"}
            ) as mallory,
        ):
            own = (await mallory.threads.create(metadata={"note": str(uuid.uuid4())}))["thread_id"]
            await mallory.threads.update(own, metadata={"owner": "alice"})
            return own in [t["thread_id"] for t in await alice.threads.search()]

    assert asyncio.run(plant()), "with the owner stamped on create only, no thread was planted"
