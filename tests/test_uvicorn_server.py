"""The uvicorn server behind data-server="uvicorn" blocks (tools/services/uvicorn_server.py):
it starts every worker, stops every process it started, reports what a server process
complains about, and refuses a fence it cannot read.

The server tests start a real `uvicorn --workers 2` (a few seconds). Without uvicorn they
are skipped with a message, and under CI=true that is a failure.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import urllib.error
import urllib.request

import pytest

from tools.harness.pages import PageError, read_page
from tools.paths import DOCS
from tools.services import uvicorn_server
from tools.services.ci import require
from tools.services.uvicorn_server import UvicornServer

APP = """\
from contextlib import asynccontextmanager
import os

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app):
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/pid")
def pid() -> dict:
    return {"pid": os.getpid()}


@app.get("/fail")
def fail() -> dict:
    raise RuntimeError("a handler that fails")


@app.get("/reach")
def reach() -> dict:
    import socket

    try:
        socket.getaddrinfo("example.com", 80)
    except OSError as error:
        return {"refused": type(error).__name__}
    return {"refused": None}
"""


def get(url: str) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    try:
        with opener.open(url, timeout=10) as answer:
            return answer.read()
    except urllib.error.HTTPError as error:
        return str(error.code).encode()


@pytest.fixture
def needs_uvicorn():
    missing = importlib.util.find_spec("uvicorn") is None
    require(f"uvicorn is not installed: {uvicorn_server.INSTALL}" if missing else None, "server")


def test_every_worker_starts_and_every_process_stops(needs_uvicorn):
    server = UvicornServer.start({"tiny.py": APP}, "tiny:app", {}, workers=2)
    try:
        assert server.log_text().count(uvicorn_server.READY) == 2
        members = uvicorn_server._group_members(server.process.pid)
        assert len(members) >= 3, members  # the supervisor and its two workers
        assert b'"pid"' in get(f"{server.url}/pid")
        assert server.complaints() == []
        assert b'"NetworkRefused"' in get(f"{server.url}/reach")  # the guard, in a worker
        assert server.network_attempts() == ["refused a name lookup to 'example.com'"]
        assert get(f"{server.url}/fail") == b"500"
    finally:
        killed = server.stop()
    found = server.complaints()  # read after the stop, as serving does: every line written
    shutil.rmtree(server.folder)
    assert any("Traceback" in line for line in found), found
    assert killed == [], f"had to kill: {killed}"
    assert uvicorn_server._group_members(server.process.pid) == []


def test_a_failing_setup_step_is_reported(needs_uvicorn):
    with pytest.raises(uvicorn_server.ServerError, match="the set-up step"):
        UvicornServer.start(
            {"tiny.py": APP + "\nif __name__ == '__main__':\n    raise SystemExit(3)\n"},
            "tiny:app",
            {},
            setup="tiny.py",
        )


def test_uvicorns_own_socket_report_is_not_a_complaint(tmp_path):
    server = UvicornServer(tmp_path, 1234, None)
    (tmp_path / "server.log").write_text(
        "INFO:     Stopping parent process [1]\n"
        "Exception ignored in: <socket.socket fd=3, family=2, type=1, proto=0, "
        "laddr=('127.0.0.1', 1234)>\n"
        "ResourceWarning: unclosed <socket.socket fd=3, family=2, type=1, proto=0, "
        "laddr=('127.0.0.1', 1234)>\n"
        "ResourceWarning: unclosed <socket.socket fd=7, family=2, type=1, proto=0>\n",
        encoding="utf-8",
    )
    assert server.complaints() == [
        "ResourceWarning: unclosed <socket.socket fd=7, family=2, type=1, proto=0>"
    ]


@pytest.mark.parametrize(
    "attributes, message",
    [
        ("", 'needs data-app="<block>.py:<attribute>"'),
        ('data-app="service.py"', 'needs data-app="<block>.py:<attribute>"'),
        ('data-app="other.py:app"', "data-app names other.py: no block has that title"),
    ],
)
def test_a_fence_without_a_usable_app_is_a_page_error(tmp_path, attributes, message):
    page = tmp_path / "page.md"
    page.write_text(
        '```python title="service.py"\napp = None\n```\n\n'
        f'``` {{ .python title="client.py" data-server="uvicorn" {attributes} }}\n'
        "print()\n```\n",
        encoding="utf-8",
    )
    client = read_page(page).blocks[1]
    with pytest.raises(PageError, match=message):
        uvicorn_server.app_files(client)


def test_the_start_here_page_names_its_app():
    client = next(b for b in read_page(DOCS / "start-here.md").blocks if b.name == "client.py")
    files, app = uvicorn_server.app_files(client)
    assert app == "service:app" and list(files) == ["service.py"]
    assert files["service.py"].startswith("# From docs/start-here.md.")


def test_the_clients_default_address_is_where_the_pages_command_serves():
    """A reader who runs the page's `uvicorn service:app --workers 3` and then
    `python snippets/start-here/client.py` reaches the server: the client's default
    SERVICE_URL is uvicorn's default address."""
    import uvicorn

    page = DOCS / "start-here.md"
    client = next(b for b in read_page(page).blocks if b.name == "client.py")
    default = re.search(r'os\.environ\.get\("SERVICE_URL", "([^"]+)"\)', client.code)
    assert default, "client.py reads SERVICE_URL with a default"
    config = uvicorn.Config("service:app")
    assert default.group(1) == f"http://{config.host}:{config.port}"
    assert "uvicorn service:app --workers 3" in page.read_text(encoding="utf-8")
