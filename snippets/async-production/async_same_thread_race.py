# From docs/async-production.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class BothReadFirst(AsyncPostgresSaver):
    """AsyncPostgresSaver whose next `reads` reads all happen before any run goes on."""

    def force(self, reads: int) -> None:
        self.barrier, self.pending = asyncio.Barrier(reads), reads

    async def aget_tuple(self, config):
        found = await super().aget_tuple(config)
        if getattr(self, "pending", 0) > 0:
            self.pending -= 1
            await self.barrier.wait()  # every armed run has read the same checkpoint
        return found


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
        checkpointer = BothReadFirst(pool)
        await checkpointer.setup()
        graph = builder.compile(checkpointer=checkpointer)
        config = {"configurable": {"thread_id": f"alice-{uuid.uuid4().hex[:8]}"}}
        await graph.ainvoke({"messages": [("user", "hello")]}, config)

        checkpointer.force(reads=2)  # a double submit: two requests, one thread, at once
        await asyncio.gather(
            graph.ainvoke({"messages": [("user", "first")]}, config),
            graph.ainvoke({"messages": [("user", "second")]}, config),
        )

        state = await graph.aget_state(config)
        history = [s async for s in graph.aget_state_history(config)]
        sent = {"hello", "first", "second"}
        seen = {m.content for m in state.values["messages"] if m.type == "human"}
        stored = {m.content for s in history for m in s.values["messages"] if m.type == "human"}
        parents = {
            s.parent_config["configurable"]["checkpoint_id"] for s in history if s.parent_config
        }
        tips = [s for s in history if s.config["configurable"]["checkpoint_id"] not in parents]
        print(f"user messages sent: {len(sent)}, in get_state: {len(seen)}, stored: {len(stored)}")
        print(f"branches in the history: {len(tips)}")
        await checkpointer.adelete_thread(config["configurable"]["thread_id"])


asyncio.run(main())
