# From docs/failures.md. Edit the page, then run `make snippets`.
import os
import subprocess
import sys
import tempfile
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.errors import EmptyInputError
from langgraph.graph import END, START, StateGraph


class Job(TypedDict):
    done: Annotated[list[str], add]


ran: list[str] = []


def build_job(before_publish=lambda: None) -> StateGraph:
    def step(name: str):
        def run_stage(state: Job) -> dict:
            if name == "publish":
                before_publish()
            ran.append(name)
            return {"done": [name]}

        return run_stage

    builder = StateGraph(Job)
    for name in ("fetch", "summarise", "publish"):
        builder.add_node(name, step(name))
    builder.add_edge(START, "fetch")
    builder.add_edge("fetch", "summarise")
    builder.add_edge("summarise", "publish")
    builder.add_edge("publish", END)
    return builder


CONFIG = {"configurable": {"thread_id": "job-1"}}


class SlowSaver(SqliteSaver):
    """SqliteSaver that, when slow, finishes no save after the checkpoint of step 0."""

    slow = False
    step_1_held = threading.Event()

    def put(self, config, checkpoint, metadata, new_versions):
        if self.slow and metadata["step"] >= 1:
            self.step_1_held.set()  # set after step 0's save has returned
            threading.Event().wait()  # still saving when the process dies
        return super().put(config, checkpoint, metadata, new_versions)

    def put_writes(self, config, writes, task_id, task_path=""):
        if self.slow:
            threading.Event().wait()  # still saving when the process dies
        return super().put_writes(config, writes, task_id, task_path)


def crashing_run(path: str, mode: str) -> None:
    """Runs in a child process, which dies as publish starts."""
    with SlowSaver.from_conn_string(path) as saver:
        saver.slow = mode == "async"

        def crash() -> None:
            if saver.slow:
                assert saver.step_1_held.wait(timeout=10)
            newest = saver.get_tuple(CONFIG)
            step = newest.metadata["step"] if newest else None
            print(f"publish starts; newest saved checkpoint: step {step}", flush=True)
            os._exit(1)

        graph = build_job(crash).compile(checkpointer=saver)
        graph.invoke({"done": []}, CONFIG, durability=mode)


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        crashing_run(*sys.argv[2:4])
        sys.exit(0)
    with tempfile.TemporaryDirectory() as folder:
        children = {}
        for mode in ("sync", "async", "exit"):
            path = os.path.join(folder, f"{mode}.sqlite")
            children[mode] = (
                path,
                subprocess.Popen(
                    [sys.executable, __file__, "child", path, mode],
                    stdout=subprocess.PIPE,
                    text=True,
                ),
            )
        for mode, (path, child) in children.items():
            said, _ = child.communicate(timeout=60)
            print(f"{mode}: {said.strip()}; the process died (exit code {child.returncode})")
            with SqliteSaver.from_conn_string(path) as saver:
                steps = sorted(c.metadata["step"] for c in saver.list(CONFIG))
                graph = build_job().compile(checkpointer=saver)
                ran.clear()
                try:
                    graph.invoke(None, CONFIG)
                    outcome = f"the resume ran {ran}"
                except EmptyInputError:
                    outcome = "nothing to resume: the run must start again"
            print(f"  checkpoints in the file for steps {steps}; {outcome}")
