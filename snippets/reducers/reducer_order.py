# From docs/reducers.md. Edit the page, then run `make snippets`.
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class OrderState(TypedDict):
    results: Annotated[list[str], add]


def build_search_graph(finishing_order: list[str]):
    """Three parallel nodes, made to finish in finishing_order."""
    turn = {name: threading.Event() for name in finishing_order}
    turn[finishing_order[0]].set()
    finished: list[str] = []

    def finishing_node(name: str):
        def finish(state: OrderState) -> dict:
            assert turn[name].wait(timeout=10)  # wait until the node before it has finished
            finished.append(name)
            position = finishing_order.index(name)
            if position + 1 < len(finishing_order):
                turn[finishing_order[position + 1]].set()
            return {"results": [name]}

        return finish

    builder = StateGraph(OrderState)
    for name in ("web_search", "doc_search", "api_search"):  # added in this order
        builder.add_node(name, finishing_node(name))
        builder.add_edge(START, name)
    return builder.compile(), finished


for order in (
    ["web_search", "doc_search", "api_search"],
    ["doc_search", "api_search", "web_search"],
):
    graph, finished = build_search_graph(order)
    result = graph.invoke({"results": []})
    print("finished:", ", ".join(finished))
    print("results: ", result["results"])
