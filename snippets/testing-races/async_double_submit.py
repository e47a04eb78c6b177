# From docs/testing-races.md. Edit the page, then run `make snippets`.
import asyncio
from collections import Counter
from contextvars import ContextVar

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

armed = ContextVar("armed", default=False)  # per asyncio task, as threading.local is per thread


class AsyncReadsFirst(InMemorySaver):
    """ReadsFirst for asyncio: armed tasks all read the thread before any of them writes."""

    def __init__(self, calls: int = 2, timeout: float = 0.5):
        super().__init__()
        self.barrier, self.timeout = asyncio.Barrier(calls), timeout
        self.interleaved = True

    async def aget_tuple(self, config):
        found = await super().aget_tuple(config)
        if armed.get():
            armed.set(False)
            try:
                async with asyncio.timeout(self.timeout):
                    await self.barrier.wait()
            except (TimeoutError, asyncio.BrokenBarrierError):
                self.interleaved = False
                await self.barrier.abort()  # a later arrival goes straight on
        return found

    async def run_together(self, *calls) -> None:
        async def run_armed(call) -> None:
            armed.set(True)  # in this task's context only
            await call()

        async with asyncio.TaskGroup() as tasks:
            for call in calls:
                tasks.create_task(run_armed(call))


def what_was_lost(graph, config, sent: list[str]) -> str:
    children = Counter(
        snapshot.parent_config["configurable"]["checkpoint_id"]
        for snapshot in graph.get_state_history(config)
        if snapshot.parent_config
    )
    forks = sum(count > 1 for count in children.values())
    shown = {message.content for message in graph.get_state(config).values["messages"]}
    missing = [text for text in sent if text not in shown]
    return f"forks: {forks}; get_state lacks {len(missing)} of the {len(sent)} messages sent"


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


class Chat:
    """An async chat service with no lock."""

    def __init__(self, checkpointer):
        builder = StateGraph(MessagesState)
        builder.add_node("reply", reply)
        builder.add_edge(START, "reply")
        builder.add_edge("reply", END)
        self.graph = builder.compile(checkpointer=checkpointer)

    async def send(self, thread_id, text: str) -> None:
        config = {"configurable": {"thread_id": thread_id}}
        await self.graph.ainvoke({"messages": [("user", text)]}, config)


class LockedChat(Chat):
    """One asyncio.Lock per thread_id: it serialises the tasks of one event loop."""

    def __init__(self, checkpointer):
        super().__init__(checkpointer)
        self.locks: dict[str, asyncio.Lock] = {}

    async def send(self, thread_id, text):
        async with self.locks.setdefault(str(thread_id), asyncio.Lock()):  # as LangGraph names it
            await super().send(thread_id, text)


async def check(app) -> None:
    saver = AsyncReadsFirst(calls=2)
    chat = app(saver)
    await chat.send(1, "hello")
    await saver.run_together(
        lambda: chat.send(1, "first"),
        lambda: chat.send("1", "second"),  # the same thread to LangGraph
    )
    config = {"configurable": {"thread_id": "1"}}
    print(
        f"{app.__name__}: both read before either wrote: {saver.interleaved}; "
        + what_was_lost(chat.graph, config, ["hello", "first", "second"])
    )


asyncio.run(check(Chat))
asyncio.run(check(LockedChat))
