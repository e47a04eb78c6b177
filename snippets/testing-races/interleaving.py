# From docs/testing-races.md. Edit the page, then run `make snippets`.
import asyncio
import threading
from collections import Counter
from contextvars import ContextVar

from langgraph.checkpoint.memory import InMemorySaver

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

    async def aget_tuple(self, config):
        return await self.astep("read", InMemorySaver.get_tuple, self, config)

    async def aput(self, config, checkpoint, metadata, new_versions):
        args = config, checkpoint, metadata, new_versions
        return await self.astep("write", InMemorySaver.put, self, *args)

    def step(self, what, do, *args):
        caller = CALLER.get()
        if caller is None:  # the test's own setup and checks run freely
            return do(*args)
        self.wait_turn(caller, what)
        try:
            return do(*args)
        finally:
            self.end_turn()

    async def astep(self, what, do, *args):
        caller = CALLER.get()
        if caller is None:
            return do(*args)
        await asyncio.to_thread(self.wait_turn, caller, what)  # the loop runs the others
        try:
            return do(*args)
        finally:
            self.end_turn()

    def wait_turn(self, caller, what) -> None:
        with self.changed:
            self.waiting[caller] = what
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.turn == caller)

    def end_turn(self) -> None:
        with self.changed:
            self.turn = None
            self.changed.notify_all()

    def finish(self, caller) -> None:
        with self.changed:
            self.done.add(caller)
            self.changed.notify_all()

    def settle(self, started: int) -> None:
        """Wait until each started call waits at a step or has ended; a call that does
        not get there within `patience` is blocked (by your lock, say)."""
        self.changed.wait_for(lambda: len(self.waiting) + len(self.done) == started, self.patience)
        if not self.waiting and len(self.done) < started:  # all blocked: wait for any
            if not self.changed.wait_for(lambda: self.waiting or len(self.done) == started, 10):
                raise RuntimeError("no call reached the checkpointer in 10 s: a deadlock?")

    def run(self, calls, schedule: list[int], tasks: bool = False):
        """Run each call in a thread (or, with tasks, as asyncio tasks of one loop); at each
        step let the next caller of `schedule` go, then the lowest-numbered one. Returns the
        steps taken and the callers that waited."""

        def call(caller, fn):
            CALLER.set(caller)
            try:
                fn()
            except Exception as error:
                self.errors.append(error)
            finally:
                self.finish(caller)

        async def task(caller, fn):
            CALLER.set(caller)
            try:
                await fn()
            except Exception as error:
                self.errors.append(error)
            finally:
                self.finish(caller)

        async def all_tasks():  # started in order: call 1 takes a free lock first
            await asyncio.gather(*(task(caller, fn) for caller, fn in enumerate(calls, 1)))

        taken, options = [], []
        with self.changed:
            if tasks:
                threading.Thread(target=asyncio.run, args=(all_tasks(),)).start()
                self.settle(len(calls))
            for caller, fn in enumerate([] if tasks else calls, 1):
                threading.Thread(target=call, args=(caller, fn)).start()
                self.settle(caller)  # in order: call 1 takes a free lock first
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


def explore(scenario, tasks: bool = False, limit: int = 1000) -> int:
    """Run scenario once per order of its calls' reads and writes, depth first; raise
    with the schedule at the first check that fails. Returns how many orders ran."""
    schedule, count = [], 0
    while schedule is not None:
        if count == limit:
            raise RuntimeError(f"more than {limit} schedules: test fewer or shorter calls")
        checkpointer = Interleaver()
        calls, check = scenario(checkpointer)
        taken, options = checkpointer.run(calls, schedule, tasks)
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
