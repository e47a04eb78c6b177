# From docs/one-thread.md. Edit the page, then run `make snippets`.
import threading
from contextlib import contextmanager

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command, interrupt


class AlreadyAnswered(Exception):
    pass


class ThreadLocks:
    """A lock per thread_id, kept only while someone holds or waits for it."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, thread_id):
        thread_id = str(thread_id)  # as LangGraph names the thread: 42 and "42" are one
        with self._guard:
            lock, users = self._locks.get(thread_id, (threading.Lock(), 0))
            self._locks[thread_id] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks.pop(thread_id)
                if users > 1:
                    self._locks[thread_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class OneWriterPerThread:
    """Every call that writes to a thread goes through that thread's lock (one process)."""

    def __init__(self, graph):
        self.graph, self.locks = graph, ThreadLocks()

    def invoke(self, input, config):
        with self.locks.hold(config["configurable"]["thread_id"]):
            return self.graph.invoke(input, config)

    def update_state(self, config, values):
        with self.locks.hold(config["configurable"]["thread_id"]):
            return self.graph.update_state(config, values)

    def resume(self, config, interrupt_id: str, value):
        with self.locks.hold(config["configurable"]["thread_id"]):
            pending = {i.id for i in self.graph.get_state(config).interrupts}
            if interrupt_id not in pending:
                raise AlreadyAnswered(f"interrupt {interrupt_id[:8]}… is no longer pending")
            return self.graph.invoke(Command(resume={interrupt_id: value}), config)


def reply(state: MessagesState) -> dict:
    text = state["messages"][-1].content
    if text == "pay":
        if interrupt("approve?"):
            return {"messages": [("assistant", "paid")]}
    return {"messages": [("assistant", f"re: {text}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
graph = builder.compile(checkpointer=InMemorySaver())
safe = OneWriterPerThread(graph)
config = {"configurable": {"thread_id": "alice_session_1"}}


def send(text: str) -> None:
    start.wait(timeout=10)  # every caller starts together
    safe.invoke({"messages": [("user", text)]}, config)


def moderate() -> None:
    start.wait(timeout=10)
    safe.update_state(config, {"messages": [("system", "moderator: keep it civil")]})


callers = [threading.Thread(target=send, args=(f"message {i}",)) for i in range(8)]
callers += [threading.Thread(target=moderate)]
start = threading.Barrier(len(callers))
for c in callers:
    c.start()
for c in callers:
    c.join()

safe.invoke({"messages": [("user", "pay")]}, config)  # pauses at interrupt("approve?")
(pending,) = graph.get_state(config).interrupts
outcomes = []


def click_approve() -> None:
    try:
        safe.resume(config, pending.id, True)
        outcomes.append("resumed")
    except AlreadyAnswered:
        outcomes.append("refused: already answered")


tabs = [threading.Thread(target=click_approve) for _ in range(2)]
for tab in tabs:
    tab.start()
for tab in tabs:
    tab.join()

messages = graph.get_state(config).values["messages"]
parents = [s.parent_config for s in graph.get_state_history(config) if s.parent_config]
forks = len(parents) - len({p["configurable"]["checkpoint_id"] for p in parents})
print(f"user messages sent: 9, on the thread: {sum(m.type == 'human' for m in messages)}")
print(f"moderator note on the thread: {any(m.type == 'system' for m in messages)}")
print(
    f"approve clicked twice: {sorted(outcomes)}; paid: {sum(m.content == 'paid' for m in messages)}"
)
print(f"forks in the history: {forks}; locks still held in memory: {len(safe.locks)}")
