# From docs/one-thread.md. Edit the page, then run `make snippets`.
import threading

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


class BothReadFirst(InMemorySaver):
    """InMemorySaver whose armed runs all read the thread before any of them writes."""

    def __init__(self, runs: int):
        super().__init__()
        self.barrier = threading.Barrier(runs)
        self.local = threading.local()

    def arm(self) -> None:
        self.local.armed = True

    def get_tuple(self, config):
        found = super().get_tuple(config)
        if getattr(self.local, "armed", False):
            self.local.armed = False
            self.barrier.wait(timeout=10)
        return found


first_done = threading.Event()


def reply(state: MessagesState) -> dict:
    text = state["messages"][-1].content
    if text == "second":
        assert first_done.wait(timeout=10)  # the first run finishes before this one writes
    return {"messages": [("assistant", f"re: {text}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
checkpointer = BothReadFirst(runs=2)
graph = builder.compile(checkpointer=checkpointer)
config = {"configurable": {"thread_id": "alice_session_1"}}
graph.invoke({"messages": [("user", "hello")]}, config)


def send(text: str) -> None:
    checkpointer.arm()
    graph.invoke({"messages": [("user", text)]}, config)
    if text == "first":
        first_done.set()


runs = [threading.Thread(target=send, args=(text,)) for text in ("first", "second")]
for run in runs:
    run.start()
for run in runs:
    run.join()

print("get_state:", [m.content for m in graph.get_state(config).values["messages"]])

head = graph.get_state(config).config["configurable"]["checkpoint_id"]
children: dict = {}
for snapshot in graph.get_state_history(config):
    parent = (snapshot.parent_config or {}).get("configurable", {}).get("checkpoint_id")
    children.setdefault(parent, []).append(snapshot)


def tip(snapshot):
    """The newest checkpoint of the branch that starts at snapshot."""
    while kids := children.get(snapshot.config["configurable"]["checkpoint_id"]):
        snapshot = kids[0]
    return snapshot


def show(parent, depth: int) -> None:
    """Each checkpoint by its newest message, its children indented below it."""
    kids = children.get(parent, [])
    for snapshot in sorted(kids, key=lambda s: tip(s).values["messages"][-1].content):
        own = snapshot.config["configurable"]["checkpoint_id"]
        marks = " <- get_state" if own == head else ""
        if len(children.get(own, [])) > 1:
            marks += " <- two children: a fork"
        text = snapshot.values["messages"][-1].content
        print(f"{'  ' * depth}{snapshot.metadata['source']}: {text}{marks}")
        show(own, depth + 1)


print("history as a tree (source of each checkpoint, and its newest message):")
root = next(s for s in children[None])
show(root.config["configurable"]["checkpoint_id"], 0)
