# From docs/agent-server.md. Edit the page, then run `make snippets`.
"""The client's end of chat_graph.py's gate, and a run's status (404 for a deleted run)."""

import asyncio

from langgraph_sdk.errors import NotFoundError


async def run_status(client, thread_id: str, run_id: str) -> str:
    try:
        return (await client.runs.get(thread_id, run_id))["status"]
    except NotFoundError:
        return "not found (HTTP 404)"


class Gate:
    """A local socket server. A node that connects says which message it answers, then
    waits; the gate records whether it was let go or its connection closed first."""

    def __init__(self):
        self.arrived: dict[str, asyncio.Event] = {}  # a node answering this text reported
        self.left: dict[str, asyncio.Event] = {}  # ... and its connection has closed
        self.fate: dict[str, str] = {}
        self.opened = asyncio.Event()
        self.nodes: set[asyncio.Task] = set()

    async def __aenter__(self):
        self.server = await asyncio.start_server(self.node, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await self.server.wait_closed()
        await asyncio.gather(*self.nodes)

    def event(self, table: dict, text: str) -> asyncio.Event:
        return table.setdefault(text, asyncio.Event())

    async def node(self, reader, writer) -> None:
        self.nodes.add(asyncio.current_task())
        text = (await reader.readline()).decode().strip()
        self.event(self.arrived, text).set()
        closed = asyncio.ensure_future(reader.read())  # done when the node's end closes
        opened = asyncio.ensure_future(self.opened.wait())
        await asyncio.wait({closed, opened}, return_when=asyncio.FIRST_COMPLETED)
        if closed.done():
            opened.cancel()
            self.fate[text] = "cancelled while it waited at the gate"
        else:
            writer.write(b"go\n")
            await closed
            self.fate[text] = "released, and finished"
        writer.close()
        await writer.wait_closed()
        self.event(self.left, text).set()
