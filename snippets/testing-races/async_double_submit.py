# From docs/testing-races.md. Edit the page, then run `make snippets`.
import asyncio
import threading

from interleaving import Interleaver, assert_nothing_lost
from racy_variants import outcome
from test_no_message_lost import UnlockedChat, thread_config


class AsyncChat(UnlockedChat):
    """The same graph, called from asyncio tasks, with no lock."""

    async def send(self, thread_id, text: str) -> None:
        await self.graph.ainvoke({"messages": [("user", text)]}, thread_config(thread_id))


class AsyncLockedChat(AsyncChat):
    """One asyncio.Lock per str(thread_id): it serialises the tasks of one event loop."""

    def __init__(self, checkpointer):
        super().__init__(checkpointer)
        self.locks: dict[str, asyncio.Lock] = {}

    async def send(self, thread_id, text):
        async with self.locks.setdefault(str(thread_id), asyncio.Lock()):
            await super().send(thread_id, text)


class ThreadLockedAsyncChat(AsyncChat):
    """A threading.Lock held across an await: a task that waits for it blocks the loop."""

    def __init__(self, checkpointer):
        super().__init__(checkpointer)
        self.locks: dict[str, threading.Lock] = {}

    async def send(self, thread_id, text):
        with self.locks.setdefault(str(thread_id), threading.Lock()):
            await super().send(thread_id, text)


def two_messages_in_tasks(chat):
    asyncio.run(chat.send(1, "hello"))  # setup, on a loop of its own
    calls = [lambda: chat.send(1, "first"), lambda: chat.send("1", "second")]
    return calls, lambda: assert_nothing_lost(chat.graph, "1")


def two_messages_on_two_loops(chat):
    """Each call runs its own event loop, as asyncio.run per request does."""
    asyncio.run(chat.send(1, "hello"))
    calls = [
        lambda: asyncio.run(chat.send(1, "first")),
        lambda: asyncio.run(chat.send("1", "second")),
    ]
    return calls, lambda: assert_nothing_lost(chat.graph, "1")


Interleaver.stuck_after = 1.0  # report a deadlock after 1 s
for app in (AsyncChat, AsyncLockedChat, ThreadLockedAsyncChat):
    print(f"{app.__name__}: {outcome(two_messages_in_tasks, app, tasks=True)}")
print(f"AsyncLockedChat, two loops: {outcome(two_messages_on_two_loops, AsyncLockedChat)}")
