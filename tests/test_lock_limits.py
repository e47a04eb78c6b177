"""The limits of the locks on docs/beyond-one-process.md and docs/locking.md, run for real.

`thread_lock` is loaded from its page's snippet, as a reader would copy it. The asyncio
cases force their interleavings with threading.Event and a selector that reports when a
loop sleeps.
"""

from __future__ import annotations

import asyncio
import runpy
import selectors
import sys
import threading

import psycopg
import pytest

from tools.paths import SNIPPETS
from tools.services.postgres import postgres_problem, scratch_database


def load_thread_lock():
    folder = str(SNIPPETS / "beyond-one-process")
    sys.path.insert(0, folder)  # beside its lock_key.py, as the page's folder is
    try:
        return runpy.run_path(f"{folder}/same_thread_processes.py")["thread_lock"]
    finally:
        sys.path.remove(folder)


@pytest.fixture(scope="module")
def database():
    if problem := postgres_problem():
        pytest.skip(problem)
    with scratch_database() as url:
        yield url


@pytest.fixture
def two_sessions(database):
    with (
        psycopg.connect(database, autocommit=True) as holder,
        psycopg.connect(database, autocommit=True) as other,
    ):
        yield holder, other


@pytest.mark.parametrize("wait_seconds", [0.5, 0.0004, 0])
def test_a_waiter_raises_after_its_wait_even_a_tiny_one(two_sessions, wait_seconds):
    """lock_timeout = '0ms' means no limit: a wait under a millisecond must still end."""
    thread_lock = load_thread_lock()
    holder, other = two_sessions
    outcome: list[BaseException] = []

    def wait_for_it() -> None:
        try:
            with thread_lock(other, "t", wait_seconds=wait_seconds):
                outcome.append(AssertionError("took a lock another session holds"))
        except psycopg.errors.LockNotAvailable as error:
            outcome.append(error)

    with thread_lock(holder, "t"):
        waiter = threading.Thread(target=wait_for_it)
        waiter.start()
        waiter.join(timeout=10)
        still_waiting = waiter.is_alive()
    waiter.join()
    assert not still_waiting, f"wait_seconds={wait_seconds}: still waiting after 10 s"
    assert isinstance(outcome[0], psycopg.errors.LockNotAvailable), outcome
    assert str(outcome[0]) == "canceling statement due to lock timeout"


def test_one_connection_is_one_holder(two_sessions):
    """Session advisory locks stack per session: two callers on one connection both get in."""
    thread_lock = load_thread_lock()
    holder, _ = two_sessions
    inside = threading.Event()

    def second_caller_on_the_same_connection() -> None:
        with thread_lock(holder, "t", wait_seconds=1):
            inside.set()

    with thread_lock(holder, "t"):
        second = threading.Thread(target=second_caller_on_the_same_connection)
        second.start()
        second.join(timeout=10)
        assert inside.is_set(), "the second caller waited: the page's advice could be dropped"


def test_thread_ids_1_and_str_1_take_one_lock(two_sessions):
    thread_lock = load_thread_lock()
    holder, other = two_sessions
    with thread_lock(holder, 1), pytest.raises(psycopg.errors.LockNotAvailable):
        with thread_lock(other, "1", wait_seconds=0.2):
            pass


def test_a_long_hostile_thread_id_is_one_key(two_sessions):
    thread_lock = load_thread_lock()
    holder, other = two_sessions
    hostile = "'; SELECT pg_sleep(10); --" + "\x00\u202e" * 50_000
    with thread_lock(holder, hostile), pytest.raises(psycopg.errors.LockNotAvailable):
        with thread_lock(other, hostile, wait_seconds=0.2):
            pass


# --- asyncio.Lock and two event loops (docs/locking.md) ---


def test_a_lock_used_on_a_later_loop_raises_only_when_a_task_there_waits():
    lock = asyncio.Lock()

    async def hold() -> None:
        async with lock:
            await asyncio.sleep(0)

    async def contend() -> None:
        await asyncio.gather(hold(), hold())

    asyncio.run(contend())  # binds the lock to this loop
    asyncio.run(hold())  # another loop, nobody waits: no error
    with pytest.raises(RuntimeError, match="is bound to a different event loop"):
        asyncio.run(contend())


class Watched(selectors.DefaultSelector):
    """A selector that says when its loop sleeps with nothing to run."""

    def __init__(self, sleeps: threading.Event):
        super().__init__()
        self.sleeps = sleeps

    def select(self, timeout=None):
        if timeout is None:
            self.sleeps.set()
        return super().select(timeout)


@pytest.mark.parametrize("debug_b", [False, True])
def test_a_waiter_on_a_second_running_loop(debug_b):
    """Released on loop A, the lock's waiter on loop B is not woken. Once something else
    wakes loop B it takes the lock; with loop B in debug mode, the release raises in loop A
    and loop B's waiter never takes the lock, woken or not."""
    lock = asyncio.Lock()
    held, release, acquired, b_sleeps = (threading.Event() for _ in range(4))
    errors: list[str] = []

    async def hold_on_a() -> None:
        try:
            async with lock:
                held.set()
                release.wait(timeout=10)
        except RuntimeError as error:
            errors.append(str(error))

    async def take_on_b() -> None:
        async with lock:
            acquired.set()

    loop_b = asyncio.SelectorEventLoop(Watched(b_sleeps))
    loop_b.set_debug(debug_b)
    a = threading.Thread(target=lambda: asyncio.run(hold_on_a(), debug=False))
    a.start()
    held.wait(timeout=10)
    b_ended: list[str] = []

    def run_b() -> None:
        task = loop_b.create_task(take_on_b())
        try:
            loop_b.run_until_complete(task)
            b_ended.append("took the lock")
        except RuntimeError as stopped:  # the test stops loop B: its task can never end,
            b_ended.append(str(stopped))  # not even cancelled (its wake-up was never queued)

    b = threading.Thread(target=run_b, daemon=True)
    b.start()
    b_sleeps.wait(timeout=10)
    release.set()
    a.join()
    assert not acquired.wait(timeout=0.5)
    loop_b.call_soon_threadsafe(lambda: None)
    if debug_b:
        assert errors == [
            "Non-thread-safe operation invoked on an event loop other than the current one"
        ]
        assert not acquired.wait(timeout=1)
        loop_b.call_soon_threadsafe(loop_b.stop)  # end the test's own loop B
        b.join(timeout=10)
        assert b_ended == ["Event loop stopped before Future completed."]
    else:
        assert errors == []
        assert acquired.wait(timeout=10)
        b.join(timeout=10)
        assert b_ended == ["took the lock"]
    loop_b.close()


def test_an_asyncio_lock_and_a_threading_lock_exclude_nothing_between_them():
    """One resource, an async node under an asyncio.Lock and a sync node under a
    threading.Lock, in one super-step: each holds its own lock, and a row is lost."""
    from typing import TypedDict

    from langgraph.graph import END, START, StateGraph

    rows: list[str] = []
    async_lock, thread_lock = asyncio.Lock(), threading.Lock()
    sync_read, async_wrote = threading.Event(), threading.Event()

    class State(TypedDict, total=False):
        unused: int

    def sync_writer(state: State) -> dict:
        with thread_lock:
            seen = list(rows)
            sync_read.set()
            async_wrote.wait(timeout=10)  # the async node writes while this one holds its lock
            rows[:] = [*seen, "sync"]
        return {}

    async def async_writer(state: State) -> dict:
        async with async_lock:
            await asyncio.to_thread(sync_read.wait, 10)
            rows[:] = [*rows, "async"]
            async_wrote.set()
        return {}

    builder = StateGraph(State)
    builder.add_node("sync_writer", sync_writer)
    builder.add_node("async_writer", async_writer)
    for node in ("sync_writer", "async_writer"):
        builder.add_edge(START, node)
        builder.add_edge(node, END)
    asyncio.run(builder.compile().ainvoke({}))
    assert rows == ["sync"], rows


def test_a_terminated_holder_runs_on_beside_a_second_holder(database):
    """The lock is a lease: when the holder's session is ended (pg_terminate_backend), a
    second caller gets the lock while the first is still inside, and the first learns of
    it only when it leaves (its unlock fails)."""
    thread_lock = load_thread_lock()
    with (
        psycopg.connect(database, autocommit=True) as holder,
        psycopg.connect(database, autocommit=True) as other,
        psycopg.connect(database, autocommit=True) as admin,
    ):
        pid = holder.info.backend_pid
        with pytest.raises(psycopg.OperationalError):
            with thread_lock(holder, "t"):
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
                with thread_lock(other, "t", wait_seconds=5):  # granted: two holders
                    second_holder_got_in = True
        assert second_holder_got_in
