# From docs/testing-races.md. Edit the page, then run `make snippets`.
import asyncio
from contextvars import ContextVar

from interleaving import assert_nothing_lost
from langgraph.checkpoint.memory import InMemorySaver
from test_no_message_lost import Chat, config

armed = ContextVar("armed", default=False)  # per asyncio task, as threading.local is per thread


class AsyncReadsFirst(InMemorySaver):
    """For asyncio: armed tasks all read the thread before any of them writes."""

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


class AsyncChat(Chat):
    """The same graph, called from asyncio tasks, with no lock."""

    async def send(self, thread_id, text: str) -> None:
        await self.graph.ainvoke({"messages": [("user", text)]}, config(thread_id))


class AsyncLockedChat(AsyncChat):
    """One asyncio.Lock per str(thread_id): it serialises the tasks of one event loop."""

    def __init__(self, checkpointer):
        super().__init__(checkpointer)
        self.locks: dict[str, asyncio.Lock] = {}

    async def send(self, thread_id, text):
        async with self.locks.setdefault(str(thread_id), asyncio.Lock()):
            await super().send(thread_id, text)


async def check(app) -> None:
    saver = AsyncReadsFirst(calls=2)
    chat = app(saver)
    await chat.send(1, "hello")
    await saver.run_together(
        lambda: chat.send(1, "first"),
        lambda: chat.send("1", "second"),  # the same thread to LangGraph
    )
    try:
        assert_nothing_lost(chat.graph, "1")
        outcome = "nothing lost"
    except AssertionError as error:
        outcome = str(error)
    print(f"{app.__name__}: both read before either wrote: {saver.interleaved}; {outcome}")


asyncio.run(check(AsyncChat))
asyncio.run(check(AsyncLockedChat))
