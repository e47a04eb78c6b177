# From docs/thread-isolation.md. Edit the page, then run `make snippets`.
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


def reply(state: MessagesState) -> dict:
    return {"messages": [{"role": "assistant", "content": f"re: {state['messages'][-1].content}"}]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
checkpointer = BothReadFirst(runs=2)
graph = builder.compile(checkpointer=checkpointer)
config = {"configurable": {"thread_id": "alice_session_1"}}


def send(text: str) -> None:
    checkpointer.arm()
    graph.invoke({"messages": [{"role": "user", "content": text}]}, config)


runs = [threading.Thread(target=send, args=(text,)) for text in ("first", "second")]
for run in runs:
    run.start()
for run in runs:
    run.join()

messages = graph.get_state(config).values["messages"]
print(f"messages sent and answered: 4, messages on the thread: {len(messages)}")
