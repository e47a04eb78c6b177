# From docs/reducers.md. Edit the page, then run `make snippets`.
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Send


class OrderState(TypedDict):
    results: Annotated[list[str], add]


def build(finishing_order: list[str]):
    """Five tasks in one super-step, made to finish in finishing_order."""
    turn = {name: threading.Event() for name in finishing_order}
    turn[finishing_order[0]].set()
    finished: list[str] = []

    def finish(name: str) -> dict:
        assert turn[name].wait(timeout=10)  # wait until the task before it has finished
        finished.append(name)
        position = finishing_order.index(name)
        if position + 1 < len(finishing_order):
            turn[finishing_order[position + 1]].set()
        return {"results": [name]}

    def search(name: str):
        return lambda state: finish(name)

    def lookup(state: dict) -> dict:
        return finish(f"send:{state['query']}")

    builder = StateGraph(OrderState)
    for name in ("web_search", "doc_search", "api_search"):  # added in this order
        builder.add_node(name, search(name))
        builder.add_edge(START, name)
    builder.add_node("lookup", lookup)
    builder.add_conditional_edges(
        START, lambda state: [Send("lookup", {"query": "b"}), Send("lookup", {"query": "a"})]
    )
    return builder.compile(), finished


for order in (
    ["send:a", "send:b", "web_search", "doc_search", "api_search"],
    ["doc_search", "send:b", "web_search", "send:a", "api_search"],
):
    graph, finished = build(order)
    result = graph.invoke({"results": []})
    print("finished:", ", ".join(finished))
    print("results: ", result["results"])
