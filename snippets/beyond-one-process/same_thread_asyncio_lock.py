# From docs/beyond-one-process.md. Edit the page, then run `make snippets`.
import asyncio
from collections import defaultdict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


async def reply(state: MessagesState) -> dict:
    await asyncio.sleep(0)  # an await inside the node, as a model call would have
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
graph = builder.compile(checkpointer=InMemorySaver())


async def main() -> None:
    thread_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)  # one loop only

    async def send(thread_id: str, text: str) -> None:
        config = {"configurable": {"thread_id": thread_id}}
        async with thread_locks[str(thread_id)]:  # one run per thread at a time
            await graph.ainvoke({"messages": [("user", text)]}, config)

    # eight requests on one conversation, and eight on another, all at once
    await asyncio.gather(
        *(send(thread_id, f"message {i}") for thread_id in ("alice", "bob") for i in range(8))
    )
    for thread_id in ("alice", "bob"):
        state = await graph.aget_state({"configurable": {"thread_id": thread_id}})
        print(
            f"{thread_id}: 16 messages sent and answered, {len(state.values['messages'])} in get_state"
        )


asyncio.run(main())
