# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio
import threading
import time

from langchain_core.rate_limiters import InMemoryRateLimiter

limiter = InMemoryRateLimiter(
    requests_per_second=4,  # tokens added per second
    check_every_n_seconds=0.05,  # how often a blocked acquire tries again
    max_bucket_size=3,  # the most tokens the bucket holds: the largest burst
)


def take_all() -> int:
    """Acquire without waiting until the bucket refuses; how many got through."""
    taken = 0
    while limiter.acquire(blocking=False):
        taken += 1
    return taken


print(f"a new limiter lets through: {take_all()} (the bucket starts empty)")
time.sleep(1.0)  # 1 s at 4 tokens per second: 4 tokens' worth, capped at 3
print(f"after 1 s idle: {take_all()} at once, then refused (the burst is max_bucket_size)")

time.sleep(1.0)  # refill, then let two event loops in two threads draw from the bucket
taken: dict[str, list[bool]] = {}


def loop_in_thread(name: str, tries: int) -> None:
    async def draw() -> list[bool]:
        return [await limiter.aacquire(blocking=False) for _ in range(tries)]

    taken[name] = asyncio.run(draw())  # a new event loop in this thread


for name in ("thread A", "thread B"):
    worker = threading.Thread(target=loop_in_thread, args=(name, 2))
    worker.start()
    worker.join()
print("one bucket, two event loops in two threads:", taken)
