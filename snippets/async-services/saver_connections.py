# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class CountingPool(AsyncConnectionPool):
    """An AsyncConnectionPool that records the most connections out at once."""

    out = peak = 0

    async def getconn(self, timeout=None):
        conn = await super().getconn(timeout)
        self.out += 1
        self.peak = max(self.peak, self.out)
        return conn

    async def putconn(self, conn) -> None:
        self.out -= 1
        await super().putconn(conn)


async def reply(state: MessagesState) -> dict:
    await asyncio.sleep(0)
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


async def main() -> None:
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    async with CountingPool(DATABASE_URL, max_size=10, kwargs=kwargs, open=False) as pool:
        checkpointer = AsyncPostgresSaver(pool)
        await checkpointer.setup()
        graph = builder.compile(checkpointer=checkpointer)
        threads = [f"t{i}-{uuid.uuid4().hex[:8]}" for i in range(20)]

        pool.peak = 0
        await asyncio.gather(
            *(
                graph.ainvoke({"messages": [("user", "hi")]}, {"configurable": {"thread_id": t}})
                for t in threads
            )
        )
        print(f"20 runs at once on one AsyncPostgresSaver: at most {pool.peak} connection out")
        for t in threads:
            await checkpointer.adelete_thread(t)


asyncio.run(main())
