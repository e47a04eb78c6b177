# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import asyncio

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from one_step import builder, config


async def sync_saver_under_ainvoke() -> None:
    with SqliteSaver.from_conn_string(":memory:") as saver:
        graph = builder.compile(checkpointer=saver)
        try:
            await graph.ainvoke({"n": 0}, config("t-1"))
        except NotImplementedError as error:
            print(f"NotImplementedError: {error}")


async def sync_call_on_the_loop() -> None:
    async with AsyncSqliteSaver.from_conn_string(":memory:") as saver:
        graph = builder.compile(checkpointer=saver)
        await graph.ainvoke({"n": 0}, config("t-1"))
        try:
            graph.get_state(config("t-1"))  # a sync method, on the loop's own thread
        except asyncio.InvalidStateError as error:
            print(f"InvalidStateError: {error}")
        state = await asyncio.to_thread(graph.get_state, config("t-1"))
        print("from another thread:", state.values)


asyncio.run(sync_saver_under_ainvoke())
asyncio.run(sync_call_on_the_loop())
