# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import asyncio
import sqlite3
from contextlib import closing

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from one_step import builder, on_thread


def saver_without_the_flag() -> None:
    with closing(sqlite3.connect(":memory:")) as connection:  # check_same_thread=True
        graph = builder.compile(checkpointer=SqliteSaver(connection))
        try:
            graph.invoke({"n": 0}, on_thread("t-1"))  # one node, but writes saved on a pool thread
        except sqlite3.ProgrammingError as error:
            print(f"ProgrammingError: {str(error).split('. ')[0]}.")


async def sync_saver_under_ainvoke() -> None:
    with SqliteSaver.from_conn_string(":memory:") as saver:
        graph = builder.compile(checkpointer=saver)
        try:
            await graph.ainvoke({"n": 0}, on_thread("t-1"))
        except NotImplementedError as error:
            print(f"NotImplementedError: {error}")


async def sync_call_on_the_loop() -> None:
    async with AsyncSqliteSaver.from_conn_string(":memory:") as saver:
        graph = builder.compile(checkpointer=saver)
        await graph.ainvoke({"n": 0}, on_thread("t-1"))
        try:
            graph.get_state(on_thread("t-1"))  # a sync method, on the loop's own thread
        except asyncio.InvalidStateError as error:
            print(f"InvalidStateError: {error}")
        state = await asyncio.to_thread(graph.get_state, on_thread("t-1"))
        print("from another thread:", state.values)


saver_without_the_flag()
asyncio.run(sync_saver_under_ainvoke())
asyncio.run(sync_call_on_the_loop())
