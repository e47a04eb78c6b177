# From docs/agent-server.md. Edit the page, then run `make snippets`.
import asyncio
import socket
from typing import TypedDict

from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.runtime import Runtime


class Context(TypedDict, total=False):
    gate_port: int  # set by a demo that holds the node until it says go


async def wait_at_gate(port: int, text: str) -> None:
    """Tell the demo on 127.0.0.1:port that this node runs, then wait for its go."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"{text}\n".encode())
        await writer.drain()
        await reader.readline()  # "go", or nothing once the demo closes the connection
    finally:
        writer.close()


async def reply(state: MessagesState, runtime: Runtime[Context]) -> dict:
    text = state["messages"][-1].content
    port = (runtime.context or {}).get("gate_port")
    if port is not None:
        await wait_at_gate(port, text)
    return {"messages": [("assistant", f"re: {text}")]}


def reply_sync(state: MessagesState, runtime: Runtime[Context]) -> dict:
    """The same node, written as a plain def: the server runs it in a worker thread."""
    text = state["messages"][-1].content
    port = (runtime.context or {}).get("gate_port")
    if port is not None:
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(f"{text}\n".encode())
            conn.makefile().readline()  # blocks this thread until "go"
    return {"messages": [("assistant", f"re: {text}")]}


def build(node) -> StateGraph:
    builder = StateGraph(MessagesState, context_schema=Context)
    builder.add_node("reply", node)
    builder.add_edge(START, "reply")
    builder.add_edge("reply", END)
    return builder.compile()


graph = build(reply)
sync_graph = build(reply_sync)
