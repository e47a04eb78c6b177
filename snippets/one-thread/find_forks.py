# From docs/one-thread.md. Edit the page, then run `make snippets`.
from collections import defaultdict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


def checkpoint_id(config) -> str | None:
    return (config or {}).get("configurable", {}).get("checkpoint_id")


def find_forks(graph, config) -> list[dict]:
    """Every branch of the thread that get_state does not follow, with its own messages."""
    children = defaultdict(list)
    for snapshot in graph.get_state_history(config):
        children[checkpoint_id(snapshot.parent_config)].append(snapshot)
    head = graph.get_state(config)
    head_ids = {m.id for m in head.values.get("messages", [])}
    branches = []
    for kids in children.values():
        if len(kids) < 2:
            continue
        for kid in kids:
            tip = kid
            while children.get(checkpoint_id(tip.config)):
                tip = max(children[checkpoint_id(tip.config)], key=lambda s: s.created_at)
            if checkpoint_id(tip.config) == checkpoint_id(head.config):
                continue  # the branch get_state follows
            only_here = [m for m in tip.values.get("messages", []) if m.id not in head_ids]
            branches.append({"fork_step": kid.metadata["step"], "messages": only_here})
    return branches


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "alice_session_1"}}
graph.invoke({"messages": [("user", "hello")]}, config)
print(f"before the double submit, forks: {len(find_forks(graph, config))}")

read_by_both = graph.get_state(config).config  # the checkpoint both runs read
graph.invoke({"messages": [("user", "second")]}, config)
graph.invoke({"messages": [("user", "first")]}, read_by_both)  # a child of the same parent

lost_sight_of = find_forks(graph, config)
print(f"after it, forks: {len(lost_sight_of)}")
for branch in lost_sight_of:
    text = [m.content for m in branch["messages"] if m.type == "human"]
    graph.invoke({"messages": [("user", t) for t in text]}, config)  # re-submit, one caller now
    print(f"  fork at step {branch['fork_step']}: re-submitted {len(text)} user message")
messages = graph.get_state(config).values["messages"]
print(
    f"user messages now on the thread: {sorted(m.content for m in messages if m.type == 'human')}"
)
