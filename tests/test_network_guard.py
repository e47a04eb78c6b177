"""The one network guard (tools/services/network.py), where it is installed: in every
block's sandbox, in a fresh interpreter as a server's sitecustomize.py installs it, and in
the test process.

The address refused is 127.0.0.2: the guard allows 127.0.0.1 and ::1 only, and were it to
fail, the kernel would answer 127.0.0.2 itself; nothing can leave the machine.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tools.paths import ROOT
from tools.services import network

FENCE = "```"
REFUSED = "network access refused: '127.0.0.2' is not this machine"


def block(name: str, code: str) -> str:
    return f'{FENCE}python title="{name}"\n{code}\n{FENCE}\n'


BLOCKS = {
    "connect.py": """\
import socket

with socket.socket() as sock:
    sock.connect(("127.0.0.2", 9))
""",
    "connect_ex.py": """\
import socket

with socket.socket() as sock:
    print(sock.connect_ex(("127.0.0.2", 9)))
""",
    "open_connection.py": """\
import asyncio


async def main():
    await asyncio.open_connection("127.0.0.2", 9)


asyncio.run(main())
""",
    "sendto.py": """\
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    sock.sendto(b"x", ("127.0.0.2", 9))
""",
    "local.py": """\
import asyncio
import socket

with socket.socket() as listener:
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    address = listener.getsockname()
    with socket.socket() as sock:
        sock.connect(address)
    with socket.socket() as sock:
        print("connect_ex:", sock.connect_ex(address))

    async def main():
        reader, writer = await asyncio.open_connection(*address)
        writer.close()
        await writer.wait_closed()
        print("open_connection: connected")

    asyncio.run(main())
    for _ in range(3):
        listener.accept()[0].close()
""",
}


def test_a_block_that_connects_by_ip_literal_is_refused_by_the_guard(project):
    """connect, connect_ex, asyncio.open_connection and sendto to 127.0.0.2 each fail
    with the guard's message; the same calls to 127.0.0.1 work."""
    text = "# P\n\n" + "\n".join(block(name, code) for name, code in BLOCKS.items())
    text += f'\n{FENCE}text title="Output"\nconnect_ex: 0\nopen_connection: connected\n{FENCE}\n'
    (project.path / "docs" / "page.md").write_text(text, encoding="utf-8")
    result = project.runpytest_subprocess("-vv", "-p", "no:xdist")
    out = result.stdout.str()
    for name in ("connect.py", "connect_ex.py", "open_connection.py", "sendto.py"):
        result.stdout.fnmatch_lines([f"*docs/page.md::{name} FAILED*"])
        result.stdout.fnmatch_lines([f"*{name} tried to reach the network*"])
    assert out.count(REFUSED) >= 4, out
    result.stdout.fnmatch_lines(["*docs/page.md::local.py PASSED*"])
    assert "ConnectionRefusedError" not in out, out


PROBE = r"""
import asyncio, socket, sys, tempfile, os
import uvloop
from tools.services import network

seen = []
network.guard(on_refusal=seen.append)

def attempt(label, call):
    try:
        with socket.socket() as sock, socket.socket(socket.AF_INET6) as sock6:
            call(sock, sock6)
        print(label, "passed")
    except network.NetworkRefused as error:
        print(label, "refused:", error)
    except OSError as error:
        print(label, "not refused:", type(error).__name__)

def udp(*_):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"x", 0, ("127.0.0.2", 9))

attempt("getaddrinfo", lambda *_: socket.getaddrinfo("127.0.0.2", 9))
attempt("getaddrinfo-name", lambda *_: socket.getaddrinfo("example.com", 443))
attempt("gethostbyname", lambda *_: socket.gethostbyname("example.com"))
attempt("gethostbyname_ex", lambda *_: socket.gethostbyname_ex("example.com"))
attempt("gethostbyaddr", lambda *_: socket.gethostbyaddr("127.0.0.2"))
attempt("getnameinfo", lambda *_: socket.getnameinfo(("127.0.0.2", 9), 0))
attempt("local-gethostbyname", lambda *_: socket.gethostbyname("localhost"))
attempt("connect", lambda sock, _: sock.connect(("127.0.0.2", 9)))
attempt("connect_ex", lambda sock, _: sock.connect_ex(("127.0.0.2", 9)))
attempt("connect6", lambda _, sock6: sock6.connect(("::2", 9)))
attempt("create_connection", lambda *_: socket.create_connection(("127.0.0.2", 9)))
attempt("sendto", udp)

async def on_the_loop():
    loop = asyncio.get_running_loop()
    sock = socket.socket()
    sock.setblocking(False)
    for label, make in (
        ("open_connection", lambda: asyncio.open_connection("127.0.0.2", 9)),
        ("loop.getaddrinfo", lambda: loop.getaddrinfo("127.0.0.2", 9)),
        ("sock_connect", lambda: loop.sock_connect(sock, ("127.0.0.2", 9))),
    ):
        try:
            await make()
            print(type(loop).__name__, label, "passed")
        except network.NetworkRefused:
            print(type(loop).__name__, label, "refused")
        except OSError as error:
            print(type(loop).__name__, label, "not refused:", type(error).__name__)
    sock.close()

asyncio.run(on_the_loop())
uvloop.run(on_the_loop())

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "s")
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen()
        client.connect(path)
        print("unix passed")
with socket.socket() as server:
    server.bind(("127.0.0.1", 0))
    server.listen()
    attempt("loopback", lambda *_: socket.create_connection(server.getsockname()).close())
print("reported", len(seen), seen[0])
"""


def test_the_guard_covers_the_socket_api_and_both_event_loops():
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", PROBE],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    print("\n" + result.stdout)
    assert "not refused" not in result.stdout
    refused = [line for line in lines if " refused" in line and not line.startswith("reported")]
    for label in ("getaddrinfo", "connect", "connect_ex", "create_connection", "sendto"):
        assert any(line.startswith(f"{label} refused: {REFUSED}") for line in lines), label
    assert "connect6 refused: network access refused: '::2' is not this machine" in (result.stdout)
    assert "getaddrinfo-name refused: network access refused: 'example.com'" in result.stdout
    for label in ("gethostbyname", "gethostbyname_ex"):
        assert f"{label} refused: network access refused: 'example.com'" in result.stdout
    for label in ("gethostbyaddr", "getnameinfo"):
        assert any(line.startswith(f"{label} refused: {REFUSED}") for line in lines), label
    assert "local-gethostbyname passed" in lines
    for loop in ("_UnixSelectorEventLoop", "Loop"):
        for label in ("open_connection", "loop.getaddrinfo", "sock_connect"):
            assert f"{loop} {label} refused" in lines, (loop, label)
    assert "unix passed" in lines and "loopback passed" in lines
    assert f"reported {len(refused)} refused a name lookup to '127.0.0.2'" in lines, refused


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("::1%lo", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        (None, True),
        (b"127.0.0.1", True),
        ("127.0.0.2", False),
        ("127.1.2.3", False),
        ("0.0.0.0", False),
        ("::2", False),
        ("192.0.2.1", False),
        ("example.com", False),
        (b"example.com", False),
    ],
)
def test_only_this_machines_names_and_two_addresses_are_local(host, local):
    assert network.is_local(host) is local


def test_in_the_test_process_connect_ex_is_guarded_and_outlives_pytest_socket():
    """The plugin installs the guard in the test process; pytest-socket, which replaces
    connect around each test and puts back what it found at import, is handed the guarded
    connect, so the guard is not undone after the first test."""
    import pytest_socket

    assert hasattr(socket.getaddrinfo, "__docs_network_guard__")
    assert hasattr(pytest_socket._true_connect, "__docs_network_guard__")
    with socket.socket() as sock, pytest.raises(network.NetworkRefused, match="'127.0.0.2'"):
        sock.connect_ex(("127.0.0.2", 9))


SERVER_PROBE = r"""
import socket, sys
try:
    socket.create_connection(("127.0.0.2", 9), timeout=2)
except OSError as error:
    print(type(error).__name__, error)
"""


def startups():
    from tools.services import uvicorn_server
    from tools.services.agent_server import process

    yield "agent-server", process.STARTUP.read_text(encoding="utf-8"), process.REPORT_VARIABLE
    yield "uvicorn", uvicorn_server.SITECUSTOMIZE, uvicorn_server.REPORT_VARIABLE


@pytest.mark.parametrize(("server", "text", "variable"), list(startups()))
def test_every_server_the_tests_start_loads_the_guard_at_start_up(tmp_path, server, text, variable):
    """Each server's sitecustomize.py, as its folder holds it: a connection by IP literal is
    refused by the guard and written to the report. (An import error in sitecustomize.py
    is printed and ignored by Python, which would leave a server unguarded.)"""
    (tmp_path / "sitecustomize.py").write_text(text, encoding="utf-8")
    report = tmp_path / "report.txt"
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", SERVER_PROBE],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path}:{ROOT}", variable: str(report), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "sitecustomize" not in result.stderr, result.stderr
    assert result.stdout.startswith(f"NetworkRefused {REFUSED}"), result.stdout + result.stderr
    assert report.read_text(encoding="utf-8") == "refused a name lookup to '127.0.0.2'\n"
