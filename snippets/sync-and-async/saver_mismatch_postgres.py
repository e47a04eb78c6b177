# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid

from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from one_step import builder, config

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
thread = f"mismatch-{uuid.uuid4()}"  # a thread of this run's own


async def main() -> None:
    with PostgresSaver.from_conn_string(DATABASE_URL) as saver:
        saver.setup()
        try:
            await builder.compile(checkpointer=saver).ainvoke({"n": 0}, config(thread))
        except NotImplementedError as error:
            print("NotImplementedError, its message:", repr(str(error)))
    async with AsyncPostgresSaver.from_conn_string(DATABASE_URL) as saver:
        graph = builder.compile(checkpointer=saver)
        await graph.ainvoke({"n": 0}, config(thread))
        try:
            graph.get_state(config(thread))
        except asyncio.InvalidStateError as error:
            print(f"InvalidStateError: {error}")
        await saver.adelete_thread(thread)  # leave the database as it was


asyncio.run(main())
