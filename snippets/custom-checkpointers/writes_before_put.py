# From docs/custom-checkpointers.md. Edit the page, then run `make snippets`.
import threading
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph


class Steps(TypedDict):
    n: int


class WatchingSaver(InMemorySaver):
    """Holds the save of the first step's checkpoint until writes for it arrive."""

    def __init__(self):
        super().__init__()
        self.arrived: dict[str, threading.Event] = {}
        self.writes_came_first = None

    def put(self, config, checkpoint, metadata, new_versions):
        if metadata.get("step") == 0:
            event = self.arrived.setdefault(checkpoint["id"], threading.Event())
            self.writes_came_first = event.wait(timeout=2)  # bounded: False means none came
        return super().put(config, checkpoint, metadata, new_versions)

    def put_writes(self, config, writes, task_id, task_path=""):
        self.arrived.setdefault(config["configurable"]["checkpoint_id"], threading.Event()).set()
        super().put_writes(config, writes, task_id, task_path)


builder = StateGraph(Steps)
builder.add_node("step", lambda state: {"n": state["n"] + 1})
builder.add_edge(START, "step")
for durability in ("async", "sync"):
    saver = WatchingSaver()
    config = {"configurable": {"thread_id": durability}}
    builder.compile(checkpointer=saver).invoke({"n": 0}, config, durability=durability)
    print(f"{durability}: writes came while their checkpoint's put ran? {saver.writes_came_first}")
