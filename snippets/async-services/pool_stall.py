# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid
from contextlib import asynccontextmanager

import psycopg
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from lock_key import lock_key
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@asynccontextmanager
async def lock_on_the_shared_pool(pool: AsyncConnectionPool, thread_id: str):
    """An advisory lock on a connection from the SAME pool the checkpointer uses."""
    key = lock_key(f"langgraph-thread:{thread_id}")
    async with pool.connection(timeout=10) as conn:  # a lock request waits up to 10 s
        await conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


async def until(condition) -> None:
    """Wait until the database or the pool reports the state we are waiting for."""
    while not await condition():
        await asyncio.sleep(0.005)


async def main() -> None:
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    pool = AsyncConnectionPool(
        DATABASE_URL, min_size=2, max_size=2, timeout=0.2, kwargs=kwargs, open=False
    )
    observer = await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True)
    async with pool, observer:
        await pool.wait()  # both connections open before any 0.2 s timeout counts
        checkpointer = AsyncPostgresSaver(pool)
        await checkpointer.setup()
        graph = builder.compile(checkpointer=checkpointer)
        thread_id = f"alice-{uuid.uuid4().hex[:8]}"
        config = {"configurable": {"thread_id": thread_id}}
        outcome: dict[str, str] = {}
        holding, go = asyncio.Event(), asyncio.Event()

        async def request_on_thread(name: str) -> None:
            try:
                async with lock_on_the_shared_pool(pool, thread_id):
                    if name == "holder":
                        holding.set()
                        await go.wait()  # until the others are in place
                    await graph.ainvoke({"messages": [("user", name)]}, config)
                outcome[name] = "ran"
            except PoolTimeout as error:
                outcome[name] = f"PoolTimeout: {error}"

        async def bystander() -> None:
            config = {"configurable": {"thread_id": f"bob-{thread_id}"}}
            try:  # no lock, another thread
                await graph.ainvoke({"messages": [("user", "hi")]}, config)
                outcome["bob"] = "ran"
            except PoolTimeout as error:
                outcome["bob"] = f"PoolTimeout: {error}"

        async def waiter_in_pg_advisory_lock() -> bool:
            sql = (
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            return (await (await observer.execute(sql)).fetchone())[0] == 1

        def in_pool_queue(n: int):
            async def check() -> bool:
                return pool.get_stats().get("requests_waiting", 0) == n

            return check

        tasks = [asyncio.create_task(request_on_thread("holder"))]
        await holding.wait()  # the holder has the lock, on connection 1 of 2
        tasks.append(asyncio.create_task(request_on_thread("waiter 1")))
        await until(waiter_in_pg_advisory_lock)  # waiter 1 blocks on connection 2
        tasks.append(asyncio.create_task(request_on_thread("waiter 2")))
        await until(in_pool_queue(1))  # waiter 2 waits for a connection for its lock
        tasks.append(asyncio.create_task(bystander()))  # a run on another thread arrives
        await until(in_pool_queue(2))
        go.set()  # the holder's run now needs a connection for its checkpointer
        await asyncio.gather(*tasks)

        print("pool max_size=2, three requests on one thread, the lock on a pool connection:")
        for name in ("holder", "waiter 1", "waiter 2", "bob"):
            print(f"  {name}: {outcome[name]}")
        state = await graph.aget_state(config)
        print(f"messages on the thread: {[m.content for m in state.values['messages']]}")
        for done in (thread_id, f"bob-{thread_id}"):
            await checkpointer.adelete_thread(done)


asyncio.run(main())
