# From docs/thread-isolation.md. Edit the page, then run `make snippets`.
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from thread_ids import thread_id


def remember(state: MessagesState) -> dict:
    return {}


builder = StateGraph(MessagesState)
builder.add_node("remember", remember)
builder.add_edge(START, "remember")
builder.add_edge("remember", END)
graph = builder.compile(checkpointer=InMemorySaver())

alice = {"configurable": {"thread_id": thread_id("user", "a", "session", "b_session_c")}}
mallory = {"configurable": {"thread_id": thread_id("user", "a_session_b", "session", "c")}}
eve = {"configurable": {"thread_id": thread_id("user", "a:session:b", "session", "c")}}

graph.invoke({"messages": [{"role": "user", "content": "my card ends 4242"}]}, alice)

for name, config in [("alice", alice), ("mallory", mallory), ("eve", eve)]:
    messages = graph.get_state(config).values.get("messages", [])
    print(f"{name:>7}: {config['configurable']['thread_id']:<32} messages: {len(messages)}")
