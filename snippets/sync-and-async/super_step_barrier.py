# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import operator
import threading
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class Ran(TypedDict):
    ran: Annotated[list[str], operator.add]


def fast(name: str, done: threading.Event | None = None):
    def fast_node(state: Ran, config) -> dict:
        if done is not None:
            done.set()  # the fast branch has finished
        meta = config["metadata"]
        where = "inside fast_branch, " if "|" in meta["langgraph_checkpoint_ns"] else ""
        return {"ran": [f"{where}step {meta['langgraph_step']}: {name}"]}

    return fast_node


def slow(done: threading.Event):
    def slow_node(state: Ran, config) -> dict:
        finished = done.wait(timeout=0.5)  # bounded: False proves the branch had not
        step = config["metadata"]["langgraph_step"]
        return {"ran": [f"step {step}: slow (fast branch finished meanwhile: {finished})"]}

    return slow_node


def add_chain(builder: StateGraph, done: threading.Event) -> None:
    builder.add_node("fetch", fast("fetch"))
    builder.add_node("parse", fast("parse"))
    builder.add_node("store", fast("store", done))
    builder.add_edge("fetch", "parse")
    builder.add_edge("parse", "store")


def barrier_graph(subgraph: bool):
    done = threading.Event()  # set when the fast branch's last node runs
    builder = StateGraph(Ran)
    builder.add_node("slow", slow(done))
    builder.add_edge(START, "slow")
    builder.add_edge("slow", END)
    if subgraph:
        inner = StateGraph(Ran)
        add_chain(inner, done)
        inner.add_edge(START, "fetch")
        branch = inner.compile()
        builder.add_node("fast_branch", lambda state: branch.invoke({"ran": []}))  # one task
        builder.add_edge(START, "fast_branch")
    else:
        add_chain(builder, done)
        builder.add_edge(START, "fetch")
    return builder.compile()


for label, subgraph in (("one graph", False), ("a subgraph per branch", True)):
    print(f"{label}:", *barrier_graph(subgraph).invoke({"ran": []})["ran"], sep="\n  ")
