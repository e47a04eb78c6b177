"""The race explorer of testing-races.md against racy applications it must not pass, and its limits.

The modules are loaded as the page shows them, from its snippets folder.
"""

import asyncio
import contextlib
import threading
import time
from contextlib import contextmanager

import pytest

from tools.paths import SNIPPETS


@pytest.fixture(scope="module")
def page(request):
    folder = str(SNIPPETS / "testing-races")
    mp = pytest.MonkeyPatch()
    mp.syspath_prepend(folder)
    import interleaving
    import racy_variants
    import test_no_message_lost

    yield interleaving, racy_variants, test_no_message_lost
    mp.undo()


def two_users(chat, assert_nothing_lost):
    chat.send(1, "hello")

    def user_2():
        chat.send(2, "a")
        chat.send(2, "b")

    def check():
        assert_nothing_lost(chat.graph, "1")
        assert_nothing_lost(chat.graph, "2")

    return [lambda: chat.send(1, "first"), user_2, lambda: chat.send("1", "second")], check


def test_a_seed_gives_the_same_order_and_the_order_replays(page):
    interleaving, racy, _ = page

    def scenario(checkpointer):
        return two_users(racy.RawKeyChat(checkpointer), interleaving.assert_nothing_lost)

    failures = []
    for _ in range(2):
        with pytest.raises(AssertionError) as caught:
            # a patience far above these calls' steps: a busy machine does not change the draws
            interleaving.explore(scenario, sample=50, seed=12345, patience=5)
        failures.append(str(caught.value))
    # the same order and a fork each time; which branch get_state shows may differ: the
    # head is the checkpoint whose ID was made last, made before the explorer orders writes
    orders = [failure.rsplit(": ", 1)[1] for failure in failures]
    assert orders[0] == orders[1]
    assert all("the thread forked 1 time(s)" in failure for failure in failures), failures
    assert "(seed 12345, sample " in failures[0]
    order = orders[0].rstrip(")")
    with pytest.raises(AssertionError, match=f"schedule 1: {order}"):
        interleaving.explore(scenario, replay=order)


def test_without_a_seed_the_failure_names_the_seed_it_drew(page):
    interleaving, racy, _ = page
    with pytest.raises(AssertionError, match=r"\(seed \d+, sample \d+: "):
        interleaving.explore(
            lambda c: two_users(racy.RawKeyChat(c), interleaving.assert_nothing_lost),
            sample=50,
            patience=5,  # no call here waits on a lock (1, 2 and "1" are three keys)
        )


def test_depth_first_refuses_a_space_beyond_its_limit_before_it_meets_the_race(page):
    """The two users' space (900,900 orders): depth first meets no fork in its first orders
    and refuses at its limit (100 here: the default 1,000 shows the same, ten times slower)."""
    interleaving, racy, _ = page
    with pytest.raises(RuntimeError, match="more than 100 schedules"):
        # patience far above these calls' steps, none of which waits on a lock: on a busy
        # machine a slow step taken for a blocked one made the next order fail to replay
        interleaving.explore(
            lambda c: two_users(racy.RawKeyChat(c), interleaving.assert_nothing_lost),
            limit=100,
            patience=5,
        )


def test_a_sample_passes_the_locked_application(page):
    interleaving, _, chats = page
    count = interleaving.explore(
        lambda c: two_users(chats.LockedChat(c), interleaving.assert_nothing_lost),
        sample=2,
        seed=1,
    )
    assert count == 2


def impatient(chats, timeout):
    class Impatient(chats.LockedChat):
        @contextmanager
        def lock(self, thread_id):
            lock = super().lock(thread_id)
            held = lock.acquire(timeout=timeout)
            try:
                yield
            finally:
                if held:
                    lock.release()

    return Impatient


def test_a_lock_wait_longer_than_patience_is_caught_while_the_holder_runs(page):
    """Each of the holder's steps waits `patience` for the blocked call: a wait of 0.5 s
    gives up before the holder's four steps end, and the race is found."""
    _, racy, chats = page
    result = racy.outcome(chats.two_messages, impatient(chats, 0.5))
    assert result.startswith("FAILED: the thread forked 1 time(s)")


def test_a_lock_wait_that_outlasts_the_holder_is_taken_for_a_lock_that_holds(page):
    _, racy, chats = page
    assert racy.outcome(chats.two_messages, impatient(chats, 30)) == "passed, 1 schedule(s)"


def slow_second_caller(chats, delay):
    class SlowSecond(chats.UnlockedChat):
        """No lock; the second message first takes `delay` seconds (a moderation call)."""

        def send(self, thread_id, text):
            if text == "second":
                time.sleep(delay)
            super().send(thread_id, text)

    return SlowSecond


def test_a_call_slower_than_patience_passes_a_race(page):
    """The explorer counts a call that has not reached its next step after `patience`
    as blocked: the orders where it goes earlier are never tried."""
    interleaving, _, chats = page
    app = slow_second_caller(chats, 1.0)
    count = interleaving.explore(lambda c: chats.two_messages(app(c)), patience=0.05)
    assert count == 1  # passed, on an application with no lock


def test_a_patience_above_the_slow_step_finds_the_race(page):
    interleaving, _, chats = page
    app = slow_second_caller(chats, 0.2)
    with pytest.raises(AssertionError, match="forked 1 time"):
        interleaving.explore(lambda c: chats.two_messages(app(c)), patience=3)


def test_a_threading_lock_in_async_code_is_reported_as_a_deadlock(page, monkeypatch):
    """The waiting task blocks the event loop, and the holder can never go on."""
    interleaving, _, chats = page
    monkeypatch.setattr(interleaving.Interleaver, "stuck_after", 1.0)

    class ThreadLockedAsyncChat(chats.UnlockedChat):
        def __init__(self, checkpointer):
            super().__init__(checkpointer)
            self.locks = {}

        async def send(self, thread_id, text):
            with self.locks.setdefault(str(thread_id), threading.Lock()):
                config = chats.thread_config(thread_id)
                await self.graph.ainvoke({"messages": [("user", text)]}, config)

    def scenario(checkpointer):
        chat = ThreadLockedAsyncChat(checkpointer)
        asyncio.run(chat.send(1, "hello"))
        calls = [lambda: chat.send(1, "first"), lambda: chat.send("1", "second")]
        return calls, lambda: interleaving.assert_nothing_lost(chat.graph, "1")

    with pytest.raises(RuntimeError, match="a deadlock"):
        interleaving.explore(scenario, tasks=True)


def test_an_asyncio_lock_shared_by_two_event_loops_does_not_pass(page, monkeypatch):
    """Calls that each run their own event loop (asyncio.run per request) share one
    asyncio.Lock: the waiter's loop is never woken, and the explorer reports it."""
    interleaving, _, chats = page
    monkeypatch.setattr(interleaving.Interleaver, "stuck_after", 1.0)

    class AsyncLockedChat(chats.UnlockedChat):
        def __init__(self, checkpointer):
            super().__init__(checkpointer)
            self.locks = {}

        async def send(self, thread_id, text):
            async with self.locks.setdefault(str(thread_id), asyncio.Lock()):
                config = chats.thread_config(thread_id)
                await self.graph.ainvoke({"messages": [("user", text)]}, config)

    def scenario(checkpointer):
        chat = AsyncLockedChat(checkpointer)
        asyncio.run(chat.send(1, "hello"))
        calls = [
            lambda: asyncio.run(chat.send(1, "first")),
            lambda: asyncio.run(chat.send("1", "second")),
        ]
        return calls, lambda: interleaving.assert_nothing_lost(chat.graph, "1")

    with pytest.raises(RuntimeError, match="a deadlock"):
        interleaving.explore(scenario)


def test_the_check_fails_on_a_fork_made_by_hand(page):
    """An update_state under an older checkpoint gives it a second child: the check fails."""
    interleaving, _, chats = page
    chat = chats.UnlockedChat(interleaving.Interleaver())
    chat.send(1, "hello")
    older = list(chat.graph.get_state_history(chats.thread_config(1)))[1]
    chat.graph.update_state(older.config, {"messages": []})
    with pytest.raises(AssertionError, match="forked 1 time"):
        interleaving.assert_nothing_lost(chat.graph, "1")


def approvals(interleaving, locked):
    """Two resumes of one interrupt; the locked one resumes only a thread still waiting."""
    from langgraph.graph import END, START, MessagesState, StateGraph
    from langgraph.types import Command, interrupt

    def ask(state):
        return {"messages": [("assistant", f"approved by {interrupt('approve?')}")]}

    def scenario(checkpointer):
        builder = StateGraph(MessagesState)
        builder.add_node("ask", ask)
        builder.add_edge(START, "ask")
        builder.add_edge("ask", END)
        graph = builder.compile(checkpointer=checkpointer)
        config, lock = {"configurable": {"thread_id": "1"}}, threading.Lock()
        graph.invoke({"messages": [("user", "pay")]}, config)

        def resume(who):
            if not locked:
                return graph.invoke(Command(resume=who), config)
            with lock:
                if graph.get_state(config).next:
                    graph.invoke(Command(resume=who), config)

        calls = [lambda: resume("ann"), lambda: resume("bob")]
        return calls, lambda: interleaving.assert_nothing_lost(graph, "1")

    return scenario


def test_two_resumes_of_one_interrupt_fork_without_a_lock(page):
    interleaving, _, _ = page
    with pytest.raises(AssertionError, match="forked 1 time"):
        interleaving.explore(approvals(interleaving, locked=False))
    assert interleaving.explore(approvals(interleaving, locked=True)) == 1


def test_a_call_that_raises_names_the_order_it_raised_in(page):
    interleaving, _, chats = page

    class Refusing(chats.UnlockedChat):
        def send(self, thread_id, text):
            if text == "second":
                raise ValueError("busy")
            super().send(thread_id, text)

    with pytest.raises(ValueError, match="busy") as caught:
        interleaving.explore(lambda c: chats.two_messages(Refusing(c)))
    assert caught.value.__notes__ == ["1 read, 1 write, 1 write, 1 write"]


def test_an_async_note_during_an_async_run(page):
    """aupdate_state against ainvoke, as tasks of one loop: forks without a lock, not with one."""
    interleaving, racy, chats = page

    class AsyncNotes(chats.UnlockedChat):
        locked = False

        def __init__(self, checkpointer):
            super().__init__(checkpointer)
            self.lock = asyncio.Lock()

        async def send(self, thread_id, text):
            async with self.lock if self.locked else contextlib.nullcontext():
                config = chats.thread_config(thread_id)
                await self.graph.ainvoke({"messages": [("user", text)]}, config)

        async def note(self, thread_id, text):
            async with self.lock if self.locked else contextlib.nullcontext():
                config = chats.thread_config(thread_id)
                await self.graph.aupdate_state(config, {"messages": [("system", text)]})

    class LockedAsyncNotes(AsyncNotes):
        locked = True

    def scenario(chat):
        asyncio.run(chat.send(1, "hello"))
        calls = [lambda: chat.send(1, "first"), lambda: chat.note("1", "keep it civil")]
        return calls, lambda: interleaving.assert_nothing_lost(chat.graph, "1")

    assert racy.outcome(scenario, AsyncNotes, tasks=True).startswith("FAILED: the thread forked")
    assert racy.outcome(scenario, LockedAsyncNotes, tasks=True) == "passed, 1 schedule(s)"
