# From docs/exercise-double-submit.ipynb. Edit the notebook, then run `make snippets`.
import threading
from collections import defaultdict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


class ReadsFirst(InMemorySaver):
    """A checkpointer whose armed calls all read the thread before any of them writes."""

    def __init__(self, calls: int = 2, timeout: float = 0.5):
        super().__init__()
        self.barrier = threading.Barrier(calls, timeout=timeout)
        self.armed = threading.local()
        self.interleaved = True  # False once a call gave up waiting for the others to read

    def get_tuple(self, config):
        found = super().get_tuple(config)
        if getattr(self.armed, "on", False):
            self.armed.on = False  # only a call's first read waits
            try:
                self.barrier.wait()
            except threading.BrokenBarrierError:
                self.interleaved = False
        return found

    def run_together(self, *calls) -> None:
        """Run each call in a thread of its own, armed; re-raise the first error."""
        errors = []

        def armed(call) -> None:
            self.armed.on = True
            try:
                call()
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=armed, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


def build_chat(checkpointer):
    builder = StateGraph(MessagesState)
    builder.add_node("reply", reply)
    builder.add_edge(START, "reply")
    builder.add_edge("reply", END)
    return builder.compile(checkpointer=checkpointer)


def user_messages(graph, config) -> list[str]:
    return [m.content for m in graph.get_state(config).values["messages"] if m.type == "human"]


saver = ReadsFirst(calls=2)
graph = build_chat(saver)
config = {"configurable": {"thread_id": "alice_session_1"}}
graph.invoke({"messages": [("user", "hello")]}, config)

saver.run_together(
    lambda: graph.invoke({"messages": [("user", "first")]}, config),
    lambda: graph.invoke({"messages": [("user", "second")]}, config),
)
print("user messages sent: ['hello', 'first', 'second']")
print(f"both runs read before either wrote: {saver.interleaved}")
print(f"user messages in get_state: {len(user_messages(graph, config))} of 3")


def checkpoint_id(config) -> str | None:
    return (config or {}).get("configurable", {}).get("checkpoint_id")


def find_forks(graph, config) -> list[dict]:
    """Every branch of the thread that get_state does not follow, with its own messages."""
    children = defaultdict(list)
    for snapshot in graph.get_state_history(config):
        children[checkpoint_id(snapshot.parent_config)].append(snapshot)
    head = graph.get_state(config)
    shown = {m.id for m in head.values["messages"]}
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
            hidden = [m for m in tip.values["messages"] if m.id not in shown]
            branches.append({"fork_step": kid.metadata["step"], "messages": hidden})
    return branches


branches = find_forks(graph, config)
print(f"branches get_state does not follow: {len(branches)}")
for branch in branches:
    lost = [m.content for m in branch["messages"] if m.type == "human"]
    print(f"  forked at step {branch['fork_step']}, holding {len(lost)} user message(s)")
    for text in lost:
        graph.invoke({"messages": [("user", text)]}, config)  # one caller at a time now
print(f"user messages on the thread now: {sorted(user_messages(graph, config))}")


class OneWriterPerThread:
    """One lock per thread_id around every call that writes to the thread (one process)."""

    def __init__(self, graph):
        self.graph = graph
        self.guard, self.locks = threading.Lock(), {}

    def lock(self, config) -> threading.Lock:
        with self.guard:
            thread_id = str(config["configurable"]["thread_id"])  # as LangGraph names it
            return self.locks.setdefault(thread_id, threading.Lock())

    def invoke(self, input, config):
        with self.lock(config):
            return self.graph.invoke(input, config)

    def update_state(self, config, values):
        with self.lock(config):
            return self.graph.update_state(config, values)


def forks_in_history(graph, config) -> int:
    parents = [checkpoint_id(s.parent_config) for s in graph.get_state_history(config)]
    return sum(parents.count(p) > 1 for p in set(parents) if p)


def on_the_thread(graph, config) -> list[str]:
    return sorted(m.content for m in graph.get_state(config).values["messages"])


def force(name: str, second_call) -> None:
    """The first caller sends a message; the second makes second_call; both forced.
    One caller names the thread 7, the other "7": LangGraph's one thread "7"."""
    saver = ReadsFirst(calls=2)
    safe = OneWriterPerThread(build_chat(saver))
    config = {"configurable": {"thread_id": "7"}}
    safe.invoke({"messages": [("user", "hello")]}, config)
    saver.run_together(
        lambda: safe.invoke({"messages": [("user", "first")]}, {"configurable": {"thread_id": 7}}),
        lambda: second_call(safe, config),
    )
    print(f"{name}: both read before either wrote: {saver.interleaved}")
    print(f"  forks in the history: {forks_in_history(safe.graph, config)}")
    print(f"  on the thread: {on_the_thread(safe.graph, config)}")


force(
    "double submit",
    lambda safe, config: safe.invoke({"messages": [("user", "second")]}, config),
)
force(
    "note during a run",
    lambda safe, config: safe.update_state(config, {"messages": [("system", "keep it civil")]}),
)
