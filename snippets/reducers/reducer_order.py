# From docs/reducers.md. Edit the page, then run `make snippets`.
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class OrderState(TypedDict):
    results: Annotated[list[str], add]


def build(finishes_last: str):
    other_done = threading.Event()

    def search(name: str):
        def node(state: OrderState) -> dict:
            if name == finishes_last:
                assert other_done.wait(timeout=10)  # wait until the other node has finished
            else:
                other_done.set()
            return {"results": [name]}

        return node

    builder = StateGraph(OrderState)
    builder.add_node("web_search", search("web_search"))
    builder.add_node("doc_search", search("doc_search"))
    builder.add_edge(START, "web_search")
    builder.add_edge(START, "doc_search")
    return builder.compile()


for last in ("web_search", "doc_search"):
    result = build(finishes_last=last).invoke({"results": []})
    print(f"{last} finishes last -> results: {result['results']}")
