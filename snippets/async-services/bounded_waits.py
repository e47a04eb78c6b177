# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os

from advisory_locks import AdvisoryLocks, new_lock_pool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def second_request(locks: AdvisoryLocks) -> str:
    try:
        async with locks.hold("langgraph-thread:alice"):
            return "got the lock"
    except TimeoutError:
        return "TimeoutError after wait, before the 10 s lock_timeout"


async def main() -> None:
    async with new_lock_pool(DATABASE_URL) as pool:
        locks = AdvisoryLocks(pool, wait=0.2)
        async with locks.hold("langgraph-thread:alice"):  # held while another task asks
            print("another task of this process:", await asyncio.create_task(second_request(locks)))


asyncio.run(main())
