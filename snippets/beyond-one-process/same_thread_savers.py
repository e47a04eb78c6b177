# From docs/beyond-one-process.md. Edit the page, then run `make snippets`.
import os
import tempfile
import threading

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, MessagesState, StateGraph


class BothReadFirst:
    """Mixed into a real checkpointer: armed runs all read the thread before any writes."""

    def force(self, runs: int) -> None:
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


class RacyInMemorySaver(BothReadFirst, InMemorySaver):
    pass


class RacySqliteSaver(BothReadFirst, SqliteSaver):
    pass


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


def double_submit(checkpointer) -> None:
    checkpointer.force(runs=2)
    graph = builder.compile(checkpointer=checkpointer)
    config = {"configurable": {"thread_id": "alice_session_1"}}

    def send(text: str) -> None:
        checkpointer.arm()
        graph.invoke({"messages": [("user", text)]}, config)

    runs = [threading.Thread(target=send, args=(text,)) for text in ("first", "second")]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
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
