# From docs/testing-races.md. Edit the page, then run `make snippets`.
import threading
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

# --- the helpers: copy these into your tests ---------------------------------------------

CALLER = ContextVar("caller", default=None)  # LangGraph copies it into its worker threads


class Interleaver(InMemorySaver):
    """A checkpointer that lets one call at a time read or write, in the order run() picks."""

    def __init__(self, patience: float = 0.3):
        super().__init__()
        self.patience = patience  # how long a call may take to reach its next read or write
        self.changed = threading.Condition()
        self.waiting, self.done, self.turn, self.errors = {}, set(), None, []

    def get_tuple(self, config):
        return self.step("read", super().get_tuple, config)

    def put(self, config, checkpoint, metadata, new_versions):
        return self.step("write", super().put, config, checkpoint, metadata, new_versions)

    def step(self, what, do, *args):
        caller = CALLER.get()
        if caller is None:  # the test's own setup and checks run freely
            return do(*args)
        with self.changed:
            self.waiting[caller] = what
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.turn == caller)
        try:
            return do(*args)
        finally:
            with self.changed:
                self.turn = None
                self.changed.notify_all()

    def settle(self, started: int) -> None:
        """Wait until each started call waits at a step or has ended; a call that does
        not get there within `patience` is blocked (by your lock, say)."""
        self.changed.wait_for(lambda: len(self.waiting) + len(self.done) == started, self.patience)
        if not self.waiting and len(self.done) < started:  # all blocked: wait for any
            if not self.changed.wait_for(lambda: self.waiting or len(self.done) == started, 10):
                raise RuntimeError("no call reached the checkpointer in 10 s: a deadlock?")

    def run(self, calls, schedule: list[int]):
        """Run each call in a thread; at each step let the next caller of `schedule` go,
        then the lowest-numbered one. Returns the steps taken and the callers that waited."""

        def call(caller, fn):
            CALLER.set(caller)
            try:
                fn()
            except Exception as error:
                self.errors.append(error)
            finally:
                with self.changed:
                    self.done.add(caller)
                    self.changed.notify_all()

        taken, options = [], []
        with self.changed:
            for caller, fn in enumerate(calls, 1):  # in order: call 1 takes a free lock first
                threading.Thread(target=call, args=(caller, fn)).start()
                self.settle(caller)
            while len(self.done) < len(calls):
                ready = sorted(self.waiting)
                pick = schedule[len(taken)] if len(taken) < len(schedule) else ready[0]
                if pick not in ready:
                    raise RuntimeError(f"{schedule} did not replay: call {pick} is not waiting")
                options.append(ready)
                taken.append((pick, self.waiting.pop(pick)))
                self.turn = pick
                self.changed.notify_all()
                self.changed.wait_for(lambda: self.turn is None)
                self.settle(len(calls))
        if self.errors:
            raise self.errors[0]
        return taken, options


def explore(scenario, limit: int = 1000) -> int:
    """Run scenario once per order of its calls' reads and writes, depth first; raise
    with the schedule at the first check that fails. Returns how many orders ran."""
    schedule, count = [], 0
    while schedule is not None:
        if count == limit:
            raise RuntimeError(f"more than {limit} schedules: test fewer or shorter calls")
        checkpointer = Interleaver()
        calls, check = scenario(checkpointer)
        taken, options = checkpointer.run(calls, schedule)
        count += 1
        try:
            check()
        except AssertionError as error:
            steps = ", ".join(f"{caller} {what}" for caller, what in taken)
            raise AssertionError(f"{error} (schedule {count}: {steps})") from None
        schedule = None  # next: change the last step where another caller also waited
        for i in reversed(range(len(taken))):
            later = [caller for caller in options[i] if caller > taken[i][0]]
            if later:
                schedule = [caller for caller, _ in taken[:i]] + [later[0]]
                break
    return count


def assert_nothing_lost(graph, thread_id) -> None:
    """No checkpoint of the thread has two children, and get_state shows every message
    that any checkpoint of its history holds."""
    config = {"configurable": {"thread_id": thread_id}}
    history = list(graph.get_state_history(config))
    parents = [s.parent_config["configurable"]["checkpoint_id"] for s in history if s.parent_config]
    shown = {message.content for message in graph.get_state(config).values["messages"]}
    held = {message.content for s in history for message in s.values.get("messages", [])}
    forks, lost = sum(n > 1 for n in Counter(parents).values()), sorted(held - shown)
    if forks or lost:
        raise AssertionError(f"the thread forked {forks} time(s); get_state lacks {lost}")


# --- the application under test: yours goes here -----------------------------------------


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


def config(thread_id) -> dict:
    return {"configurable": {"thread_id": thread_id}}


class Chat:
    """A chat service with no lock."""

    def __init__(self, checkpointer):
        builder = StateGraph(MessagesState)
        builder.add_node("reply", reply)
        builder.add_edge(START, "reply")
        builder.add_edge("reply", END)
        self.graph = builder.compile(checkpointer=checkpointer)

    def send(self, thread_id, text: str) -> None:
        self.graph.invoke({"messages": [("user", text)]}, config(thread_id))

    def note(self, thread_id, text: str) -> None:
        """A moderator's note, added with update_state."""
        self.graph.update_state(config(thread_id), {"messages": [("system", text)]})


class LockedChat(Chat):
    """The fix: one lock per thread around every call that writes to the thread, keyed
    by str(thread_id) as LangGraph names the thread (1 and "1" are one thread)."""

    def __init__(self, checkpointer):
        super().__init__(checkpointer)
        self.guard, self.locks = threading.Lock(), {}

    def lock(self, thread_id) -> threading.Lock:
        with self.guard:
            return self.locks.setdefault(str(thread_id), threading.Lock())

    def send(self, thread_id, text):
        with self.lock(thread_id):
            super().send(thread_id, text)

    def note(self, thread_id, text):
        with self.lock(thread_id):
            super().note(thread_id, text)


# --- the tests -----------------------------------------------------------------------------


def double_submit(chat):
    chat.send(1, "hello")
    calls = [lambda: chat.send(1, "first"), lambda: chat.send("1", "second")]
    return calls, lambda: assert_nothing_lost(chat.graph, "1")


def note_during_a_run(chat):
    chat.send(1, "hello")
    calls = [lambda: chat.send(1, "first"), lambda: chat.note(1, "keep it civil")]
    return calls, lambda: assert_nothing_lost(chat.graph, "1")


@pytest.mark.parametrize("scenario", [double_submit, note_during_a_run])
def test_nothing_lost(scenario):
    explore(lambda checkpointer: scenario(LockedChat(checkpointer)))


# --- this page's proof: the tests against racy variants of LockedChat --------------------


class RawKeyChat(LockedChat):
    """Locks keyed by the raw thread ID: 1 and "1" get two locks."""

    def lock(self, thread_id):
        with self.guard:
            return self.locks.setdefault(thread_id, threading.Lock())


class HalfLockedChat(LockedChat):
    """A write outside the lock: note forgets it."""

    note = Chat.note


class ImpatientChat(LockedChat):
    """A lock whose wait times out after 10 ms, and the call goes on without it."""

    @contextmanager
    def lock(self, thread_id):
        lock = super().lock(thread_id)
        held = lock.acquire(timeout=0.01)
        try:
            yield
        finally:
            if held:
                lock.release()


class StaleReadChat(LockedChat):
    """A read before the locked section: it continues from the checkpoint it read."""

    def send(self, thread_id, text):
        seen = self.graph.get_state(config(thread_id))
        with self.lock(thread_id):
            self.graph.invoke({"messages": [("user", text)]}, seen.config)


def outcome(scenario, app) -> str:
    try:
        count = explore(lambda checkpointer: scenario(app(checkpointer)))
    except AssertionError as error:
        return f"FAILED: {error}"
    return f"passed, {count} schedule(s)"


if __name__ == "__main__":
    for scenario in (double_submit, note_during_a_run):
        for app in (Chat, RawKeyChat, HalfLockedChat, ImpatientChat, StaleReadChat, LockedChat):
            print(f"{scenario.__name__}, {app.__name__}: {outcome(scenario, app)}")
