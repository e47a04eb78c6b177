# From docs/inside-one-run.md. Edit the page, then run `make snippets`.
import subprocess
import sys
import time
from typing import TypedDict

from langgraph.func import entrypoint, task
from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    answer: str


builder = StateGraph(State)
builder.add_node("answer", lambda state: {"answer": "42"})
builder.add_edge(START, "answer")
builder.add_edge("answer", END)
graph = builder.compile()


@task
def double(x: int) -> int:
    return 2 * x


@entrypoint()
def workflow(x: int) -> int:
    return double(x).result()


def run(case: str, limit: int) -> None:
    if case == "entrypoint":
        workflow.invoke(21, {"max_concurrency": limit})
    else:
        for _ in graph.stream({"answer": ""}, {"max_concurrency": limit}, stream_mode=case):
            pass


def label(case: str, limit: int) -> str:
    if case == "entrypoint":
        return f"@entrypoint calling a @task, invoke, max_concurrency={limit}"
    return f"stream, stream_mode={case!r}, max_concurrency={limit}"


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        print("started", flush=True)
        run(sys.argv[2], int(sys.argv[3]))
        sys.exit(0)
    for case, limit in [("updates", 1), ("custom", 2)]:  # these finish: run them here
        run(case, limit)
        print(f"{label(case, limit)}: finished")
    hanging = [("custom", 1), ("messages", 1), ("entrypoint", 2)]
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "child", case, str(limit)], stdout=subprocess.PIPE, text=True
        )
        for case, limit in hanging
    ]
    for child in children:
        assert child.stdout.readline() == "started\n"
    deadline = time.monotonic() + 3
    for (case, limit), child in zip(hanging, children, strict=True):
        try:
            child.wait(timeout=max(0, deadline - time.monotonic()))
            outcome = "finished"
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            outcome = "still running after 3 s"
        child.stdout.close()
        print(f"{label(case, limit)}: {outcome}")
