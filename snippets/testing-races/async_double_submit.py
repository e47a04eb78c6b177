# From docs/testing-races.md. Edit the page, then run `make snippets`.
import asyncio

from interleaving import assert_nothing_lost
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


def two_messages_in_tasks(chat):
    asyncio.run(chat.send(1, "hello"))  # setup, on a loop of its own
    calls = [lambda: chat.send(1, "first"), lambda: chat.send("1", "second")]
    return calls, lambda: assert_nothing_lost(chat.graph, "1")


for app in (AsyncChat, AsyncLockedChat):
    print(f"{app.__name__}: {outcome(two_messages_in_tasks, app, tasks=True)}")
