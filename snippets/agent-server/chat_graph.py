# From docs/agent-server.md. Edit the page, then run `make snippets`.
import asyncio
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


builder = StateGraph(MessagesState, context_schema=Context)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
graph = builder.compile()
