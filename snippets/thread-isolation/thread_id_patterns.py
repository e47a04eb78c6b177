# From docs/thread-isolation.md. Edit the page, then run `make snippets`.
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from thread_ids import thread_id


def echo(state: MessagesState) -> dict:
    return {"messages": [{"role": "assistant", "content": "noted"}]}


builder = StateGraph(MessagesState)
builder.add_node("echo", echo)
builder.add_edge(START, "echo")
builder.add_edge("echo", END)
graph = builder.compile(checkpointer=InMemorySaver())

user_id, session_id = "u42", "s7"
task_id, conversation_id, ticket_id = "t1001", "c88", "T-5"

patterns = {
    # Pattern 1: User-scoped, one thread per user session
    "user + session": {"configurable": {"thread_id": thread_id("user", user_id, session_id)}},
    # Pattern 2: Task-scoped, one thread per task
    "task": {"configurable": {"thread_id": thread_id("task", task_id)}},
    # Pattern 3: Conversation-scoped, one thread per conversation
    "conversation": {"configurable": {"thread_id": thread_id("conv", conversation_id)}},
    # Pattern 4: Composite, user + feature + ticket
    "composite": {"configurable": {"thread_id": thread_id(user_id, "support", ticket_id)}},
}

for label, config in patterns.items():
    graph.invoke({"messages": [{"role": "user", "content": f"hello from {label}"}]}, config)
    messages = graph.get_state(config).values["messages"]
    print(
        f"{label:>14}: thread {config['configurable']['thread_id']!r} holds {len(messages)} messages"
    )
