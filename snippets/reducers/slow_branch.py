# From docs/reducers.md. Edit the page, then run `make snippets`.
import threading
from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class Branches(TypedDict):
    done: str


def build_branches(in_subgraph: bool):
    """A slow node beside a fast branch `quick -> follow_up`."""
    quick_done, follow_up_done, slow_done = (threading.Event() for _ in range(3))
    seen: list[str] = []

    def slow(state: Branches) -> dict:
        # hold until the fast branch has gone as far as LangGraph lets it
        assert (follow_up_done if in_subgraph else quick_done).wait(timeout=10)
        slow_done.set()
        return {}

    def quick(state: Branches) -> dict:
        quick_done.set()
        return {}

    def follow_up(state: Branches) -> dict:
        seen.append("after slow" if slow_done.is_set() else "while slow runs")
        follow_up_done.set()
        return {}

    fast = StateGraph(Branches)
    fast.add_node("quick", quick)
    fast.add_node("follow_up", follow_up)
    fast.add_edge(START, "quick")
    fast.add_edge("quick", "follow_up")
    fast.add_edge("follow_up", END)

    builder = StateGraph(Branches)
    builder.add_node("slow", slow)
    builder.add_edge(START, "slow")
    if in_subgraph:  # the fast branch as one node: its steps are the subgraph's own
        builder.add_node("fast", fast.compile())
        builder.add_edge(START, "fast")
    else:  # the same two nodes in the parent: follow_up waits for the next super-step
        builder.add_node("quick", quick)
        builder.add_node("follow_up", follow_up)
        builder.add_edge(START, "quick")
        builder.add_edge("quick", "follow_up")
    return builder.compile(), seen


for in_subgraph in (False, True):
    graph, seen = build_branches(in_subgraph)
    graph.invoke({"done": ""})
    where = "a subgraph" if in_subgraph else "the parent graph"
    print(f"fast branch in {where}: follow_up ran {seen[0]}")
