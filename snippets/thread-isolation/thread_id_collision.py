# From docs/thread-isolation.md. Edit the page, then run `make snippets`.
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


def remember(state: MessagesState) -> dict:
    return {}


builder = StateGraph(MessagesState)
builder.add_node("remember", remember)
builder.add_edge(START, "remember")
builder.add_edge("remember", END)
graph = builder.compile(checkpointer=InMemorySaver())


def thread_for(user_id: str, session_id: str) -> dict:  # UNSAFE: ambiguous separators
    return {"configurable": {"thread_id": f"user_{user_id}_session_{session_id}"}}


# Two different users, each in their own session
mallory = thread_for("a_session_b", "c")
alice = thread_for("a", "b_session_c")

graph.invoke({"messages": [{"role": "user", "content": "my card ends 4242"}]}, alice)
seen_by_mallory = graph.get_state(mallory).values["messages"]

print("alice's thread:  ", alice["configurable"]["thread_id"])
print("mallory's thread:", mallory["configurable"]["thread_id"])
print("mallory reads:   ", [m.content for m in seen_by_mallory])
