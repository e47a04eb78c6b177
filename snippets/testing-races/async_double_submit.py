# From docs/testing-races.md. Edit the page, then run `make snippets`.
import asyncio

from interleaving import assert_nothing_lost, explore
from test_no_message_lost import Chat, config


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


def double_submit(chat):
    asyncio.run(chat.send(1, "hello"))
    calls = [lambda: chat.send(1, "first"), lambda: chat.send("1", "second")]
    return calls, lambda: assert_nothing_lost(chat.graph, "1")


def outcome(app) -> str:
    try:
        count = explore(lambda checkpointer: double_submit(app(checkpointer)), tasks=True)
    except AssertionError as error:
        return f"FAILED: {error}"
    return f"passed, {count} schedule(s)"


for app in (AsyncChat, AsyncLockedChat):
    print(f"{app.__name__}: {outcome(app)}")
