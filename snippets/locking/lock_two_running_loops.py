# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio
import selectors
import threading

lock = asyncio.Lock()  # shared by two event loops that run at the same time
held, release, acquired, b_sleeps = (threading.Event() for _ in range(4))


class Watched(selectors.DefaultSelector):
    """Loop B's selector: says when the loop sleeps with nothing left to run."""

    def select(self, timeout=None):
        if timeout is None:
            b_sleeps.set()
        return super().select(timeout)


async def hold_on_a() -> None:
    async with lock:
        held.set()
        release.wait(timeout=10)  # hold the lock until the demo says so


async def take_on_b() -> None:
    async with lock:
        acquired.set()


def run_loop(coroutine, loop_factory=None) -> None:
    with asyncio.Runner(debug=False, loop_factory=loop_factory) as runner:
        runner.run(coroutine)


loop_b = asyncio.SelectorEventLoop(Watched())
a = threading.Thread(target=run_loop, args=(hold_on_a(),))
a.start()
held.wait(timeout=10)
b = threading.Thread(target=run_loop, args=(take_on_b(), lambda: loop_b))
b.start()
b_sleeps.wait(timeout=10)  # loop B waits for the lock, and sleeps
release.set()
a.join()
print("loop A released the lock; loop B has it 0.5 s later:", acquired.wait(timeout=0.5))
loop_b.call_soon_threadsafe(lambda: None)  # anything else that wakes loop B
print("after something else woke loop B:", acquired.wait(timeout=10))
b.join()
