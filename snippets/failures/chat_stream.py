# From docs/failures.md. Edit the page, then run `make snippets`.
"""A chat service that streams each run; its refund tool is still busy when a client goes.

Run `python chat_stream.py` once (LangGraph's tables), then `uvicorn chat_stream:app --workers 3`.
"""

import asyncio
import json
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, MessagesState, StateGraph
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

client_gone: dict[str, asyncio.Event] = {}  # per thread: its client has disconnected
tool_state: dict[str, str] = {}  # per thread, in this worker: running, finished, cancelled
background: set[asyncio.Task] = set()  # tasks that outlive their request


async def agent(state: MessagesState) -> dict:  # stands in for a model
    if state["messages"][-1].type == "tool":
        return {"messages": [AIMessage("Your refund is on its way.")]}
    call = {"name": "refund", "args": {"order": "17"}, "id": "call-refund-17"}
    return {"messages": [AIMessage("", tool_calls=[call])]}


async def refund(state: MessagesState, config: RunnableConfig) -> dict:
    thread_id = config["configurable"]["thread_id"]
    tool_state[thread_id] = "running"
    get_stream_writer()({"refund": "issued"})  # the payment went through; the client is told
    try:
        await client_gone[thread_id].wait()  # still writing the receipt when the client goes
    except asyncio.CancelledError:
        tool_state[thread_id] = "cancelled"
        raise
    tool_state[thread_id] = "finished"
    call_id = state["messages"][-1].tool_calls[0]["id"]
    return {"messages": [ToolMessage("refund issued", tool_call_id=call_id)]}


def route(state: MessagesState) -> str:
    return "refund" if state["messages"][-1].tool_calls else END


builder = StateGraph(MessagesState)
builder.add_node("agent", agent)
builder.add_node("refund", refund)
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", route, ["refund", END])
builder.add_edge("refund", "agent")


@asynccontextmanager
async def open_graph(app: FastAPI):
    async with AsyncConnectionPool(DATABASE_URL, kwargs={"autocommit": True}) as pool:
        app.state.pool = pool
        app.state.graph = builder.compile(checkpointer=AsyncPostgresSaver(pool))
        yield


app = FastAPI(lifespan=open_graph)


def stream_run(thread_id: str, text: str):  # each super-step saved before the next starts
    config = {"configurable": {"thread_id": thread_id}}
    return app.state.graph.astream(
        {"messages": [("user", text)]}, config, stream_mode=["updates", "custom"], durability="sync"
    )


def message_label(message) -> str:
    calls = getattr(message, "tool_calls", None)
    return f"{message.type} calls {calls[0]['name']}" if calls else message.type


def as_line(mode: str, chunk) -> str:
    if mode == "updates":
        chunk = {
            node: [message_label(m) for m in update["messages"]] for node, update in chunk.items()
        }
    return json.dumps({mode: chunk}) + "\n"


async def announce_end(thread_id: str, event: str) -> None:
    payload = json.dumps([thread_id, f"{event}; refund tool {tool_state[thread_id]}"])
    async with app.state.pool.connection() as conn:
        await conn.execute("SELECT pg_notify('run_ended', %s)", (payload,))


def in_background(coro) -> None:
    task = asyncio.create_task(coro)  # not the request's task: no disconnect cancels it
    background.add(task)
    task.add_done_callback(background.discard)


@app.post("/inline/{thread_id}")
async def inline(thread_id: str, text: str) -> StreamingResponse:
    """Runs the graph inside the response."""
    client_gone.setdefault(thread_id, asyncio.Event())  # never set here

    async def lines():
        try:
            async for mode, chunk in stream_run(thread_id, text):
                yield as_line(mode, chunk)
        except asyncio.CancelledError:  # Starlette cancels the response: the client left
            in_background(announce_end(thread_id, "response cancelled"))
            raise

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@app.post("/detached/{thread_id}")
async def detached(thread_id: str, text: str) -> StreamingResponse:
    """Runs the graph in a task of its own; the response relays its stream."""
    gone = client_gone.setdefault(thread_id, asyncio.Event())
    queue: asyncio.Queue = asyncio.Queue()

    async def run_to_end() -> None:
        try:
            async for item in stream_run(thread_id, text):
                queue.put_nowait(item)
        finally:
            queue.put_nowait(None)
            await announce_end(thread_id, "run finished")

    in_background(run_to_end())

    async def lines():
        try:
            while (item := await queue.get()) is not None:
                yield as_line(*item)
        finally:
            gone.set()

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@app.get("/threads/{thread_id}")
async def saved(thread_id: str) -> dict:
    state = await app.state.graph.aget_state({"configurable": {"thread_id": thread_id}})
    return {
        "messages": [message_label(m) for m in state.values["messages"]],
        "next": list(state.next),
    }


async def create_tables() -> None:
    async with AsyncPostgresSaver.from_conn_string(DATABASE_URL) as saver:
        await saver.setup()


if __name__ == "__main__":
    asyncio.run(create_tables())
