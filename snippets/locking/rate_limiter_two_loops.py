# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio


class RateLimiter:
    """The limiter above, reduced to its lock; a virtual clock makes it instant."""

    def __init__(self, calls_per_second: float):
        self.min_interval = 1.0 / calls_per_second
        self.now = self.last_call = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self):
        async with self._lock:
            wait = self.last_call + self.min_interval - self.now
            if wait > 0:
                self.now += wait  # a virtual sleep: the clock jumps ahead
                await asyncio.sleep(0)
            self.last_call = self.now


api_limiter = RateLimiter(calls_per_second=5)  # module level: shared by both loops below


async def five_calls() -> None:
    await asyncio.gather(*(api_limiter.acquire() for _ in range(5)))


asyncio.run(five_calls())
print("first event loop: 5 calls")
asyncio.run(five_calls())  # a second event loop, as a test or a second asyncio.run makes
print("second event loop: 5 calls")
