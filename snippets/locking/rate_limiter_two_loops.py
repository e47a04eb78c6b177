# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio
import itertools


class VirtualClock:
    now = 0.0


class RateLimiter:
    """The limiter above, reduced to its lock, on a virtual clock that jumps ahead."""

    def __init__(self, calls_per_second: float, clock: VirtualClock):
        self.min_interval = 1.0 / calls_per_second
        self.last_call = float("-inf")
        self._lock = asyncio.Lock()
        self.clock, self.calls = clock, []

    async def acquire(self):
        async with self._lock:
            wait = self.last_call + self.min_interval - self.clock.now
            if wait > 0:
                self.clock.now += wait  # a virtual sleep
                await asyncio.sleep(0)
            self.last_call = self.clock.now
            self.calls.append(self.clock.now)


async def five_calls(limiter: RateLimiter) -> list[float]:
    await asyncio.gather(*(limiter.acquire() for _ in range(5)))
    return limiter.calls


clock = VirtualClock()


async def with_a_limiter_of_its_own() -> list[float]:
    return await five_calls(RateLimiter(calls_per_second=5, clock=clock))  # made on this loop


calls = asyncio.run(with_a_limiter_of_its_own()) + asyncio.run(with_a_limiter_of_its_own())
print("a limiter per loop, two loops in turn, calls at (s):", ", ".join(f"{t:.1f}" for t in calls))
gap = min(b - a for a, b in itertools.pairwise(calls))
print(f"closest two calls: {gap:.1f} s apart (the limit: 0.2 s)")

api_limiter = RateLimiter(calls_per_second=5, clock=clock)  # module level: shared by both loops
asyncio.run(five_calls(api_limiter))
print("one limiter shared by two loops, first loop: 5 calls")
asyncio.run(five_calls(api_limiter))  # a second event loop, as a test or a second asyncio.run makes
print("second event loop: 5 calls")
