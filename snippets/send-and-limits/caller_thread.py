# From docs/send-and-limits.md. Edit the page, then run `make snippets`.
import threading
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class Where(TypedDict):
    threads: Annotated[dict, lambda old, new: {**old, **new}]


def record(name: str):
    def on_thread(state: Where) -> dict:
        return {"threads": {name: threading.current_thread() is threading.main_thread()}}

    return on_thread


for names in (["lone"], ["left", "right"]):
    builder = StateGraph(Where)
    for name in names:
        builder.add_node(name, record(name))
        builder.add_edge(START, name)
    result = builder.compile().invoke({"threads": {}})
    print(f"{len(names)} task(s): on the caller's thread: {result['threads']}")
