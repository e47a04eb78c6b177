# From docs/one-thread.md. Edit the page, then run `make snippets`.
import threading
from collections import Counter

from forcing import ReadsFirst
from langgraph.graph import END, START, MessagesState, StateGraph

first_done = threading.Event()


def reply(state: MessagesState) -> dict:
    text = state["messages"][-1].content
    if text == "second":
        assert first_done.wait(timeout=10)  # the second run writes last
    return {"messages": [("assistant", f"re: {text}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
checkpointer = ReadsFirst()
graph = builder.compile(checkpointer=checkpointer)
config = {"configurable": {"thread_id": "alice_session_1"}}
graph.invoke({"messages": [("user", "hello")]}, config)


def send_first() -> None:
    graph.invoke({"messages": [("user", "first")]}, config)
    first_done.set()


checkpointer.run_together(
    send_first, lambda: graph.invoke({"messages": [("user", "second")]}, config)
)
print("get_state:", [m.content for m in graph.get_state(config).values["messages"]])

history = list(graph.get_state_history(config))
children = Counter(
    s.parent_config["configurable"]["checkpoint_id"] for s in history if s.parent_config
)
(fork,) = [s for s in history if children[s.config["configurable"]["checkpoint_id"]] > 1]
print("the checkpoint with two children ends at:", fork.values["messages"][-1].content)
print("stored:", sorted({m.content for s in history for m in s.values.get("messages", [])}))
