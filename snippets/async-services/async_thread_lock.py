# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid
from contextlib import asynccontextmanager

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class ThreadLocks:
    """An asyncio.Lock per thread_id, for the tasks of one event loop; kept only while used."""

    def __init__(self):
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, thread_id):
        thread_id = str(thread_id)  # as LangGraph names the thread: 42 and "42" are one
        lock, users = self._locks.get(thread_id, (asyncio.Lock(), 0))
        self._locks[thread_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks.pop(thread_id)
            if users > 1:
                self._locks[thread_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


async def reply(state: MessagesState) -> dict:
    await asyncio.sleep(0)  # an await inside the node, as a model call would have
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


async def main() -> None:
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    async with AsyncConnectionPool(DATABASE_URL, max_size=4, kwargs=kwargs, open=False) as pool:
        checkpointer = AsyncPostgresSaver(pool)
        await checkpointer.setup()
        graph = builder.compile(checkpointer=checkpointer)
        thread_locks = ThreadLocks()  # made on the running loop, like every asyncio lock
        run = uuid.uuid4().hex[:8]

        async def send_locked(thread_id: str, text: str) -> None:
            config = {"configurable": {"thread_id": thread_id}}
            async with thread_locks.hold(thread_id):  # one run per thread at a time
                await graph.ainvoke({"messages": [("user", text)]}, config)

        threads = [f"alice-{run}", f"bob-{run}"]
        await asyncio.gather(*(send_locked(t, f"message {i}") for t in threads for i in range(8)))
        for thread_id in threads:
            config = {"configurable": {"thread_id": thread_id}}
            history = [s async for s in graph.aget_state_history(config)]
            parents = {
                s.parent_config["configurable"]["checkpoint_id"] for s in history if s.parent_config
            }
            tips = [s for s in history if s.config["configurable"]["checkpoint_id"] not in parents]
            state = await graph.aget_state(config)
            print(
                f"{thread_id.split('-')[0]}: 8 requests at once, "
                f"{len(state.values['messages'])} messages in get_state, "
                f"branches: {len(tips)}"
            )
            await checkpointer.adelete_thread(thread_id)
        print(f"locks left in memory: {len(thread_locks)}")


asyncio.run(main())
