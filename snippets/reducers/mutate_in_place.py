# From docs/reducers.md. Edit the page, then run `make snippets`.
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph


class SharedList(TypedDict):
    notes: Annotated[list[str], add]
    seen: list[str]


def edit_in_place(durability: str) -> None:
    edited = threading.Event()

    def editor(state: SharedList) -> dict:
        state["notes"].append("editor's note")  # in place: no write is returned
        edited.set()
        return {}

    def reader(state: SharedList) -> dict:
        assert edited.wait(timeout=10)  # the editor has run: same super-step, later
        return {"seen": list(state["notes"])}

    builder = StateGraph(SharedList)
    builder.add_node("editor", editor)
    builder.add_node("reader", reader)
    builder.add_edge(START, "editor")
    builder.add_edge(START, "reader")
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "notes"}}
    result = graph.invoke({"notes": ["first"], "seen": []}, config, durability=durability)
    print(f"durability={durability!r}")
    print("  reader saw:      ", result["seen"])
    print("  invoke returned: ", result["notes"])
    print("  checkpoint holds:", graph.get_state(config).values["notes"])


for durability in ("sync", "exit"):  # saved before each super-step / once, at the end
    edit_in_place(durability)
