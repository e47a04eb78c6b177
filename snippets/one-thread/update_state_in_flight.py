# From docs/one-thread.md. Edit the page, then run `make snippets`.
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class Ticket(TypedDict):
    notes: Annotated[list[str], add]
    status: str


node_started, edit_done = threading.Event(), threading.Event()


def answer(state: Ticket) -> dict:
    node_started.set()
    assert edit_done.wait(timeout=10)  # the moderator's edit lands while this node runs
    return {"notes": ["assistant answered"], "status": "answered"}


builder = StateGraph(Ticket)
builder.add_node("answer", answer)
builder.add_edge(START, "answer")
builder.add_edge("answer", END)
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "ticket-7"}}

run = threading.Thread(
    target=graph.invoke,
    args=({"notes": ["user asked"]}, config),
    kwargs={"durability": "sync"},  # the input's checkpoint is saved before the node runs
)
run.start()
assert node_started.wait(timeout=10)
graph.update_state(config, {"notes": ["moderator flagged"], "status": "flagged"})
print("right after the edit:", graph.get_state(config).values)
edit_done.set()
run.join()

print("after the run:       ", graph.get_state(config).values)
edit = next(s for s in graph.get_state_history(config) if s.metadata["source"] == "update")
print("the edit is stored, on a side branch:", edit.values["status"])
