"""One Agent Server per test session, and the pytest glue around a block that needs it.

A block that talks to the server says so on its fence, in the same vocabulary as
``data-raises``: ```` ``` { .python title="x.py" data-server="agent-server" } ````. Before
such a block runs, ``serving`` starts the server (once per test session, lazily), the
harness points ``LANGGRAPH_URL`` at it, and afterwards ``serving`` fails the block if the
server tried to reach the network while it ran.
"""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Iterator

from tools.harness.pages import Block, PageError
from tools.paths import rel
from tools.services import ci
from tools.services.agent_server.files import CONFIG, PAGE
from tools.services.agent_server.process import INSTALL, AgentServer, ServerError

VARIABLE = "LANGGRAPH_URL"  # what the client blocks read
KIND = "agent-server"  # the one value data-server takes

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
        f"tools/services/agent_server/ with the {CONFIG} of {rel(PAGE)}), which did not "
        f"start: {error}\nWhat to do: {todo}"
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
