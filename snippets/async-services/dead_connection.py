# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import logging
import os
import uuid

import psycopg
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
logging.getLogger("psycopg.pool").setLevel(logging.ERROR)  # it logs each connection it drops
KWARGS = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", "re: " + state["messages"][-1].content)]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


async def gone(admin, pid: int) -> None:
    """End that backend, as a restart or an idle reaper would; return once it is gone."""
    await admin.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,))  # waits up to 10 s


async def two_runs(graph, label: str) -> str:
    """Two runs on a new thread after the server ended the connection; the thread's ID."""
    config = {"configurable": {"thread_id": f"t-{uuid.uuid4().hex[:8]}"}}
    for attempt in (1, 2):
        try:
            await graph.ainvoke({"messages": [("user", "hi")]}, config)
            print(f"{label}, run {attempt}: ran")
        except psycopg.OperationalError as error:
            print(f"{label}, run {attempt}: {type(error).__name__}: {error}")
    return config["configurable"]["thread_id"]


async def after_the_server_ends_it(admin, label: str, check) -> None:
    pool = AsyncConnectionPool(
        DATABASE_URL, min_size=1, max_size=1, kwargs=KWARGS, check=check, open=False
    )
    async with pool:
        checkpointer = AsyncPostgresSaver(pool)
        await checkpointer.setup()
        async with pool.connection() as conn:
            pid = conn.info.backend_pid
        await gone(admin, pid)
        thread_id = await two_runs(builder.compile(checkpointer=checkpointer), label)
        await checkpointer.adelete_thread(thread_id)


async def one_connection(admin) -> None:
    async with AsyncPostgresSaver.from_conn_string(DATABASE_URL) as checkpointer:
        await gone(admin, checkpointer.conn.info.backend_pid)
        await two_runs(builder.compile(checkpointer=checkpointer), "from_conn_string")


async def main() -> None:
    async with await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True) as admin:
        await one_connection(admin)
        await after_the_server_ends_it(admin, "pool without check", None)
        await after_the_server_ends_it(
            admin, "check=check_connection", AsyncConnectionPool.check_connection
        )


asyncio.run(main())
