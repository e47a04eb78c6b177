# From docs/custom-checkpointers.md. Edit the page, then run `make snippets`.
import operator
from collections import Counter
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from savers import BlobSaver, RowSaver, WriteGate


class Work(TypedDict):
    done: Annotated[list[str], operator.add]


def run_with(saver_class) -> Counter:
    """a and b finish and their writes are saved at once; then flaky fails; resume."""
    runs, gate = Counter(), WriteGate("done")

    def finished_task(name: str):
        def node(state: Work) -> dict:
            runs[name] += 1
            return {"done": [name]}

        return node

    def flaky(state: Work) -> dict:
        runs["flaky"] += 1
        if gate.armed:
            for _ in "ab":
                assert gate.saved.acquire(timeout=10)  # a's and b's writes are saved
            raise RuntimeError("the model provider timed out")
        return {"done": ["flaky"]}

    builder = StateGraph(Work)
    for name, node in (("a", finished_task("a")), ("b", finished_task("b")), ("flaky", flaky)):
        builder.add_node(name, node)
        builder.add_edge(START, name)
        builder.add_edge(name, END)
    graph = builder.compile(checkpointer=saver_class(gate))
    config = {"configurable": {"thread_id": "job-1"}}
    try:
        graph.invoke({"done": []}, config, durability="sync")
    except RuntimeError:
        gate.armed = False
    graph.invoke(None, config)  # the resume runs only the tasks without saved writes
    return runs


for saver_class in (BlobSaver, RowSaver):
    runs = run_with(saver_class)
    again = sum(runs[name] - 1 for name in "ab")
    print(f"{saver_class.__name__}: finished tasks run again on resume: {again}")
