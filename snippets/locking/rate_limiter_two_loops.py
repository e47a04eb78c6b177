# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio
import itertools

from rate_limiting import RateLimiter, VirtualClock

clock = VirtualClock()  # shared by every limiter below, so the times line up


async def five_calls(limiter: RateLimiter) -> list[float]:
    calls = []

    async def call() -> None:
        await limiter.acquire()
        calls.append(clock.monotonic())

    await asyncio.gather(*(call() for _ in range(5)))
    return calls


def new_limiter() -> RateLimiter:
    return RateLimiter(calls_per_second=5, clock=clock.monotonic, sleep=clock.sleep)


async def with_a_limiter_of_its_own() -> list[float]:
    return await five_calls(new_limiter())  # made on this loop


calls = asyncio.run(with_a_limiter_of_its_own()) + asyncio.run(with_a_limiter_of_its_own())
print("a limiter per loop, two loops in turn, calls at (s):", ", ".join(f"{t:.1f}" for t in calls))
gap = min(b - a for a, b in itertools.pairwise(calls))
print(f"closest two calls: {gap:.1f} s apart (the limit: 0.2 s)")

api_limiter = new_limiter()  # module level: shared by both loops below
asyncio.run(five_calls(api_limiter))
print("one limiter shared by two loops, first loop: 5 calls")
asyncio.run(five_calls(api_limiter))  # a second event loop, as a test or a second asyncio.run makes
print("second event loop: 5 calls")
