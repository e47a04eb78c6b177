# From docs/failures.md. Edit the page, then run `make snippets`.
import dis
import sys
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.pregel import _loop, _runner


class LoseOneWrite:
    """In put_writes, both read the list; `first` stores it, then `second` its stale copy."""

    put_writes = _loop.PregelLoop.put_writes.__code__
    register = _runner.FuturesDict.__setitem__.__code__

    def __init__(self, first: str, second: str, tasks: int):
        self.first, self.second, self.tasks = first, second, tasks
        self.stores = {  # where put_writes stores the list it read
            i.offset
            for i in dis.get_instructions(self.put_writes)
            if i.opname == "STORE_ATTR" and i.argval == "checkpoint_pending_writes"
        }
        self.registered = 0
        self.all_registered = threading.Event()  # every task's callback is in place
        self.both_read = threading.Barrier(2)
        self.first_done = threading.Event()
        self.both_done = threading.Barrier(3)  # the two tasks' put_writes, and the waiter

    def tracer(self, frame, event, arg):
        if frame.f_code is self.register:
            return self.count
        if frame.f_code is self.put_writes:
            task = getattr(frame.f_locals["self"], "tasks", {}).get(frame.f_locals["task_id"])
            if task is not None and task.name in (self.first, self.second):
                frame.f_trace_opcodes = True
                return self.pause
        return None

    def count(self, frame, event, arg):
        if event == "return" and frame.f_locals["value"] is not None:
            self.registered += 1
            if self.registered == self.tasks:
                self.all_registered.set()
        return self.count

    def pause(self, frame, event, arg):
        name = frame.f_locals["self"].tasks[frame.f_locals["task_id"]].name
        if event == "opcode" and frame.f_lasti in self.stores:
            self.both_read.wait(timeout=10)
            if name == self.second:
                assert self.first_done.wait(timeout=10)
        elif event == "return":
            if name == self.first:
                self.first_done.set()
            self.both_done.wait(timeout=10)
        return self.pause


class Billing(TypedDict):
    log: Annotated[list[str], add]


def run_mode(mode: str) -> None:
    runs = {"notify": 0, "invoice": 0, "charge": 0}
    force = LoseOneWrite(first="invoice", second="notify", tasks=3)
    payment_service_up = False

    def finish_together(name: str):
        def node(state: Billing) -> dict:
            runs[name] += 1
            assert force.all_registered.wait(timeout=10)  # commit on this task's thread
            return {"log": [name]}

        return node

    def take_payment(state: Billing) -> dict:
        runs["charge"] += 1
        if not payment_service_up:
            force.both_done.wait(timeout=10)  # fail after both have committed
            raise ConnectionError("payment service unreachable")
        return {"log": ["charge"]}

    builder = StateGraph(Billing)
    for name, node in [(n, finish_together(n)) for n in ("notify", "invoice")] + [
        ("charge", take_payment)
    ]:
        builder.add_node(name, node)
        builder.add_edge(START, name)
        builder.add_edge(name, END)
    checkpointer = InMemorySaver()
    graph = builder.compile(checkpointer=checkpointer)
    config = {"configurable": {"thread_id": f"order-{mode}"}}
    threading.settrace(force.tracer)
    sys.settrace(force.tracer)
    try:
        graph.invoke({"log": []}, config, durability=mode)
    except ConnectionError:
        pass
    finally:
        threading.settrace(None)
        sys.settrace(None)
    names = {task.id: task.name for task in graph.get_state(config).tasks}
    saved = sorted({names[w[0]] for w in checkpointer.get_tuple(config).pending_writes})
    payment_service_up = True
    graph.invoke(None, config, durability=mode)
    print(f"{mode:>4}: pending writes saved for {saved}; node runs {runs}")


run_mode("exit")
run_mode("sync")
