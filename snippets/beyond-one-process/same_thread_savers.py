# From docs/beyond-one-process.md. Edit the page, then run `make snippets`.
import os
import tempfile

from forcing import ReadsFirstMixin
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, MessagesState, StateGraph


class RacyInMemorySaver(ReadsFirstMixin, InMemorySaver):
    pass


class RacySqliteSaver(ReadsFirstMixin, SqliteSaver):
    pass


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


def double_submit(checkpointer) -> None:
    graph = builder.compile(checkpointer=checkpointer)
    config = {"configurable": {"thread_id": "alice_session_1"}}
    checkpointer.run_together(
        lambda: graph.invoke({"messages": [("user", "first")]}, config),
        lambda: graph.invoke({"messages": [("user", "second")]}, config),
    )
    in_state = len(graph.get_state(config).values["messages"])
    stored = {m.id for s in graph.get_state_history(config) for m in s.values.get("messages", [])}
    print(
        f"{type(checkpointer).__mro__[2].__name__}: 4 messages sent, "
        f"{in_state} in get_state, {len(stored)} in the history"
    )


double_submit(RacyInMemorySaver())
with tempfile.TemporaryDirectory() as folder:
    with SqliteSaver.from_conn_string(os.path.join(folder, "chat.sqlite")) as saver:
        double_submit(RacySqliteSaver(saver.conn))
