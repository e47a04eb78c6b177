# From docs/send-and-limits.md. Edit the page, then run `make snippets`.
import subprocess
import sys
import threading
import time
from typing import TypedDict

from langgraph.config import get_stream_writer
from langgraph.func import entrypoint, task
from langgraph.graph import START, StateGraph


class Answer(TypedDict):
    answer: str


def graph_of(nodes: int, emit: bool = False):
    """`nodes` parallel nodes that wait for each other: they finish only if all run at once."""
    meet = threading.Barrier(nodes)

    def node(state: Answer) -> dict:
        if emit:
            get_stream_writer()("started")  # output: the waiter returns its thread
        meet.wait(timeout=10)
        return {}

    builder = StateGraph(Answer)
    for i in range(nodes):
        builder.add_node(f"node_{i}", node)
        builder.add_edge(START, f"node_{i}")
    return builder.compile()


@task
def double(x: int) -> int:
    return 2 * x


@entrypoint()
def workflow(x: int) -> int:
    return double(x).result()


def run_case(case: str, limit: int, nodes: int, emit: bool = False) -> None:
    if case == "entrypoint":
        workflow.invoke(21, {"max_concurrency": limit})
        return
    graph = graph_of(nodes, emit)
    for _ in graph.stream({"answer": ""}, {"max_concurrency": limit}, stream_mode=case):
        pass


def label(case: str, limit: int, nodes: int, emit: bool = False) -> str:
    if case == "entrypoint":
        return f"invoke, an @entrypoint calling a @task, max_concurrency={limit}"
    what = "1 node" if nodes == 1 else f"{nodes} nodes that wait for each other"
    return f"stream_mode={case!r}, max_concurrency={limit}, {what}" + (
        ", writing output first" if emit else ""
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        print("started", flush=True)
        run_case(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        sys.exit(0)
    for case in [("updates", 1, 1), ("updates", 2, 2), ("custom", 2, 2, True)]:  # these finish
        run_case(*case)
        print(f"{label(*case)}: finished")
    hanging = [("custom", 1, 1), ("messages", 1, 1), ("custom", 2, 2), ("entrypoint", 2, 0)]
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "child", *map(str, case)], stdout=subprocess.PIPE, text=True
        )
        for case in hanging
    ]
    for child in children:
        assert child.stdout.readline() == "started\n"
    deadline = time.monotonic() + 3
    for case, child in zip(hanging, children, strict=True):
        try:
            child.wait(timeout=max(0, deadline - time.monotonic()))
            outcome = "finished"
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            outcome = "still running after 3 s"
        child.stdout.close()
        print(f"{label(*case)}: {outcome}")
