# From docs/send-and-limits.md. Edit the page, then run `make snippets`.
import asyncio
import os
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class Tally(TypedDict):
    done: Annotated[list[str], add]


class Gauge:
    """Counts nodes running at once. Each holds until `together` have run at once, or
    every node has started."""

    def __init__(self, nodes: int, together: int):
        self.nodes, self.together = nodes, together
        self.running = self.started = self.peak = 0
        self.changed = threading.Condition()

    def ready(self) -> bool:
        return self.peak >= self.together or self.started == self.nodes

    def sync_node(self, name: str):
        def counted(state: Tally) -> dict:
            with self.changed:
                self.running += 1
                self.started += 1
                self.peak = max(self.peak, self.running)
                self.changed.notify_all()
                assert self.changed.wait_for(self.ready, timeout=10)
                self.running -= 1
            return {"done": [name]}

        return counted

    def async_node(self, name: str):
        async def counted_async(state: Tally) -> dict:
            self.running += 1  # one event loop: no lock needed
            self.started += 1
            self.peak = max(self.peak, self.running)
            while not self.ready():
                await asyncio.sleep(0)  # let the other coroutines start
            self.running -= 1
            return {"done": [name]}

        return counted_async


def fan(gauge: Gauge, prefix: str, width: int, is_async: bool = False):
    builder = StateGraph(Tally)
    for i in range(width):
        name = f"{prefix}{i}"
        builder.add_node(name, (gauge.async_node if is_async else gauge.sync_node)(name))
        builder.add_edge(START, name)
    return builder.compile()


def two_subgraphs(gauge: Gauge):
    builder = StateGraph(Tally)
    builder.add_node("left", fan(gauge, "left_", 3))
    builder.add_node("right", fan(gauge, "right_", 3))
    builder.add_edge(START, "left")
    builder.add_edge(START, "right")
    return builder.compile()


cpus = os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()
pool_default = min(32, (cpus or 1) + 4)


def show_row(label: str, result: str) -> None:
    print(f"{label:<44} {result}")


gauge = Gauge(nodes=5, together=2)
fan(gauge, "n", 5).invoke({"done": []}, {"max_concurrency": 2})
show_row("invoke, max_concurrency=2, 5 ready:", f"at most {gauge.peak} at once")

gauge = Gauge(nodes=5, together=5)
fan(gauge, "n", 5).invoke({"done": []})
show_row("invoke, no limit, 5 ready:", f"at most {gauge.peak} at once")

gauge = Gauge(nodes=40, together=pool_default)
fan(gauge, "n", 40).invoke({"done": []})
show_row("invoke, no limit, 40 ready:", f"at most min(32, CPUs + 4): {gauge.peak == pool_default}")

gauge = Gauge(nodes=6, together=4)
two_subgraphs(gauge).invoke({"done": []}, {"max_concurrency": 2})
show_row("invoke, max_concurrency=2, 2 subgraphs x 3:", f"at most {gauge.peak} at once")

gauge = Gauge(nodes=6, together=4)
one_graph = fan(gauge, "n", 3)
callers = [  # two threads run one compiled graph at once
    threading.Thread(target=one_graph.invoke, args=({"done": []}, {"max_concurrency": 2}))
    for _ in range(2)
]
for caller in callers:
    caller.start()
for caller in callers:
    caller.join()
show_row("2 invokes of one graph, max_concurrency=2:", f"at most {gauge.peak} at once")

gauge = Gauge(nodes=5, together=2)
asyncio.run(fan(gauge, "n", 5, is_async=True).ainvoke({"done": []}, {"max_concurrency": 2}))
show_row("ainvoke, max_concurrency=2, 5 ready:", f"at most {gauge.peak} at once")

gauge = Gauge(nodes=40, together=40)
asyncio.run(fan(gauge, "n", 40, is_async=True).ainvoke({"done": []}))
show_row("ainvoke, no limit, 40 ready:", f"at most {gauge.peak} at once")

gauge = Gauge(nodes=40, together=pool_default)
asyncio.run(fan(gauge, "n", 40).ainvoke({"done": []}, {"max_concurrency": 40}))
in_pool = gauge.peak == pool_default
show_row("ainvoke, sync nodes, max_concurrency=40:", f"at most min(32, CPUs + 4): {in_pool}")


async def two_runs(gauge: Gauge) -> None:  # two runs on one event loop, at once
    await asyncio.gather(*(fan(gauge, p, 20).ainvoke({"done": []}) for p in ("a", "b")))


gauge = Gauge(nodes=40, together=pool_default)
asyncio.run(two_runs(gauge))
in_pool = gauge.peak == pool_default
show_row("2 ainvoke at once, sync nodes, 20 each:", f"at most min(32, CPUs + 4) in all: {in_pool}")
