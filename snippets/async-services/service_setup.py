# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid
from contextlib import asynccontextmanager

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.runtime import Runtime
from langgraph.store.postgres.aio import AsyncPostgresStore
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@asynccontextmanager
async def langgraph_resources(url: str):
    """Pool, checkpointer and store for one worker process, on its running event loop."""
    pool = AsyncConnectionPool(
        url,
        min_size=1,
        max_size=4,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=False,  # never open an async pool in its constructor
    )
    async with pool:  # awaits pool.open(); closes the pool, and every connection, on exit
        checkpointer = AsyncPostgresSaver(pool)
        store = AsyncPostgresStore(pool)
        await checkpointer.setup()  # creates or migrates the tables; repeatable, not at once
        await store.setup()
        yield checkpointer, store


async def reply(state: MessagesState, runtime: Runtime) -> dict:
    text = state["messages"][-1].content
    await runtime.store.aput(("notes",), runtime.execution_info.thread_id, {"last": text})
    return {"messages": [("assistant", f"re: {text}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


async def main() -> None:
    thread_id = f"alice-{uuid.uuid4().hex[:8]}"  # this run's own thread, deleted below
    config = {"configurable": {"thread_id": thread_id}}
    async with langgraph_resources(DATABASE_URL) as (checkpointer, store):
        graph = builder.compile(checkpointer=checkpointer, store=store)
        await graph.ainvoke({"messages": [("user", "hello")]}, config)
        state = await graph.aget_state(config)
        print("on the thread:", [m.content for m in state.values["messages"]])
        print("in the store:", (await store.aget(("notes",), thread_id)).value)
        await checkpointer.adelete_thread(thread_id)
        await store.adelete(("notes",), thread_id)
        pool = checkpointer.conn
    print("pool closed after the block:", pool.closed)


def at_import_time(label: str, make) -> None:
    try:
        make()
    except RuntimeError as error:
        print(f"{label} outside a running event loop: RuntimeError: {error}")


at_import_time("AsyncConnectionPool(url)", lambda: AsyncConnectionPool(DATABASE_URL))
at_import_time(
    "AsyncPostgresSaver(pool)",
    lambda: AsyncPostgresSaver(AsyncConnectionPool(DATABASE_URL, open=False)),
)
asyncio.run(main())
