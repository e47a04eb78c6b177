# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid

import psycopg
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SCHEMA = f"kwargs_{uuid.uuid4().hex[:8]}"  # an empty schema of this run's own, dropped below


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", "re: " + state["messages"][-1].content)]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


async def one_run(label: str, kwargs: dict) -> None:
    """setup() and one run, on a one-connection pool whose connection gets these kwargs."""
    kwargs = {**kwargs, "options": f"-c search_path={SCHEMA}"}
    pool = AsyncConnectionPool(DATABASE_URL, min_size=1, max_size=1, kwargs=kwargs, open=False)
    async with pool:
        checkpointer = AsyncPostgresSaver(pool)
        try:
            await checkpointer.setup()
        except psycopg.Error as error:
            print(f"{label}: setup() fails: {type(error).__name__}: {error}")
            return
        graph = builder.compile(checkpointer=checkpointer)
        config = {"configurable": {"thread_id": label}}
        result = await graph.ainvoke({"messages": [("user", "hi")]}, config)
        async with pool.connection() as conn:  # the one connection the run used
            cursor = await conn.execute("SELECT count(*) FROM pg_prepared_statements")
            row = await cursor.fetchone()
        prepared = "some" if row["count"] else "none"
        print(f"{label}: {len(result['messages'])} messages, prepared statements: {prepared}")


async def main() -> None:
    async with await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True) as admin:
        await admin.execute(f"CREATE SCHEMA {SCHEMA}")
        try:
            await one_run("no autocommit", {"prepare_threshold": 0, "row_factory": dict_row})
            await one_run(
                "all three", {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
            )
            await one_run(
                "prepare_threshold=None",
                {"autocommit": True, "prepare_threshold": None, "row_factory": dict_row},
            )
        finally:
            await admin.execute(f"DROP SCHEMA {SCHEMA} CASCADE")


asyncio.run(main())
