# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio
import time


class RateLimiter:
    """Spaces calls at least 1 / calls_per_second apart, across all nodes that share it."""

    def __init__(self, calls_per_second: float, clock=time.monotonic, sleep=asyncio.sleep):
        self.min_interval = 1.0 / calls_per_second
        self.last_call = float("-inf")
        self._lock = asyncio.Lock()
        self._clock, self._sleep = clock, sleep

    async def acquire(self):
        async with self._lock:
            wait = self.last_call + self.min_interval - self._clock()
            if wait > 0:
                await self._sleep(wait)
            self.last_call = self._clock()


class VirtualClock:
    """A clock that advances only when someone sleeps: exact, instant, repeatable."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)
