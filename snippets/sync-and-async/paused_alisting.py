# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import asyncio

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from one_step import builder, on_thread


async def main() -> None:
    async with AsyncSqliteSaver.from_conn_string(":memory:") as saver:
        graph = builder.compile(checkpointer=saver)
        for _ in range(3):
            await graph.ainvoke({"n": 0}, on_thread("history"))

        listing = saver.alist(on_thread("history"))
        await anext(listing)  # sent to a slow client; the listing stays open
        other = asyncio.create_task(graph.ainvoke({"n": 0}, on_thread("other")))
        finished, _ = await asyncio.wait({other}, timeout=0.5)  # bounded
        print("other run done while the listing is open?", bool(finished))
        await listing.aclose()  # the listing ends, the lock is released
        await other
        print("other run done once it ended?", other.done())

        page = [c async for c in saver.alist(on_thread("history"), limit=2)]  # the fix
        other = asyncio.create_task(graph.ainvoke({"n": 0}, on_thread("other")))
        finished, _ = await asyncio.wait({other}, timeout=5)
        print(f"other run done while {len(page)} checkpoints are sent?", bool(finished))


asyncio.run(main())
