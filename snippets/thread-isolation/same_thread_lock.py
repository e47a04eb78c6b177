# From docs/thread-isolation.md. Edit the page, then run `make snippets`.
import threading
from collections import defaultdict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


class ThreadLocks:
    """One lock per thread_id, created safely on first use."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)

    def for_thread(self, config: dict) -> threading.Lock:
        with self._guard:
            return self._locks[config["configurable"]["thread_id"]]


def reply(state: MessagesState) -> dict:
    return {"messages": [{"role": "assistant", "content": f"re: {state['messages'][-1].content}"}]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
graph = builder.compile(checkpointer=InMemorySaver())
locks = ThreadLocks()
config = {"configurable": {"thread_id": "alice_session_1"}}
start = threading.Barrier(8)


def send(text: str) -> None:
    start.wait(timeout=10)  # all eight runs start together
    with locks.for_thread(config):
        graph.invoke({"messages": [{"role": "user", "content": text}]}, config)


runs = [threading.Thread(target=send, args=(f"message {i}",)) for i in range(8)]
for run in runs:
    run.start()
for run in runs:
    run.join()

messages = graph.get_state(config).values["messages"]
print(f"messages sent and answered: 16, messages on the thread: {len(messages)}")
