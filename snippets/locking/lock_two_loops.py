# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio

lock = asyncio.Lock()  # created at import time, used by two event loops below


async def hold() -> None:
    async with lock:
        await asyncio.sleep(0)


async def two_contending_tasks() -> None:
    await asyncio.gather(hold(), hold())


asyncio.run(two_contending_tasks())
print("first event loop: fine")
asyncio.run(two_contending_tasks())
print("second event loop: fine")
