# From docs/testing-races.md. Edit the page, then run `make snippets`.
import asyncio
import itertools
import random
import threading
from collections import Counter
from contextvars import ContextVar

from langgraph.checkpoint.memory import InMemorySaver

CALLER = ContextVar("caller", default=None)  # LangGraph copies it into its worker threads


class Interleaver(InMemorySaver):
    """A checkpointer that lets one call at a time read or write, in the order run() picks."""

    stuck_after = 10.0  # seconds with no call able to go on: raise, a deadlock

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
            if not self.changed.wait_for(
                lambda: self.waiting or len(self.done) == started, self.stuck_after
            ):
                raise RuntimeError("no call reached the checkpointer: a deadlock?")

    def run(self, calls, schedule: list[int], tasks: bool = False, choose=min):
        """Run each call in a thread (or, with tasks, as asyncio tasks of one loop); at each
        step let the next caller of `schedule` go, then `choose` one of the waiting callers.
        Returns the steps taken and the callers that waited."""

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
                threading.Thread(target=asyncio.run, args=(all_tasks(),), daemon=True).start()
                self.settle(len(calls))
            for caller, fn in enumerate([] if tasks else calls, 1):
                threading.Thread(target=call, args=(caller, fn), daemon=True).start()
                self.settle(caller)  # in order: call 1 takes a free lock first
            while len(self.done) < len(calls):
                ready = sorted(self.waiting)
                pick = schedule[len(taken)] if len(taken) < len(schedule) else choose(ready)
                if pick not in ready:
                    raise RuntimeError(f"{schedule} did not replay: call {pick} is not waiting")
                options.append(ready)
                taken.append((pick, self.waiting.pop(pick)))
                self.turn = pick
                self.changed.notify_all()
                if not self.changed.wait_for(lambda: self.turn is None, self.stuck_after):
                    raise RuntimeError(f"call {pick} did not end its {taken[-1][1]}: a deadlock?")
                self.settle(len(calls))
        if self.errors:  # a call raised: say in which order, to replay it
            self.errors[0].add_note(", ".join(f"{caller} {what}" for caller, what in taken))
            raise self.errors[0]
        return taken, options


def explore(scenario, tasks=False, limit=1000, sample=0, seed=None, replay="", patience=0.3):
    """Run scenario once per order of its calls' reads and writes, depth first; or in
    `sample` random orders drawn from `seed`; or in the one order `replay` gives, as a
    failure prints it. Raise with the order at the first check that fails; return how
    many orders ran."""
    seed = random.randrange(10**6) if seed is None else seed
    choose = random.Random(seed).choice if sample else min
    schedule = [int(step.split()[0]) for step in replay.split(", ")] if replay else []
    for count in itertools.count(1):
        if count > limit and not sample:
            raise RuntimeError(f"more than {limit} schedules: sample some, or test shorter calls")
        checkpointer = Interleaver(patience)
        calls, check = scenario(checkpointer)
        taken, options = checkpointer.run(calls, schedule, tasks, choose)
        try:
            check()
        except AssertionError as error:
            where = f"seed {seed}, sample {count}" if sample else f"schedule {count}"
            steps = ", ".join(f"{caller} {what}" for caller, what in taken)
            raise AssertionError(f"{error} ({where}: {steps})") from None
        if replay or count == sample:
            return count
        schedule = [] if sample else next_schedule(taken, options)
        if schedule is None:
            return count


def next_schedule(taken, options):
    """Depth first: change the last step where a higher-numbered caller also waited."""
    for i in reversed(range(len(taken))):
        later = [caller for caller in options[i] if caller > taken[i][0]]
        if later:
            return [caller for caller, _ in taken[:i]] + [later[0]]
    return None


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
