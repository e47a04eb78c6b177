# From docs/testing-races.md. Edit the page, then run `make snippets`.
import threading

import pytest
from interleaving import assert_nothing_lost, explore
from langgraph.graph import END, START, MessagesState, StateGraph


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


def config(thread_id) -> dict:
    return {"configurable": {"thread_id": thread_id}}


class Chat:
    """A chat service with no lock."""

    def __init__(self, checkpointer):
        builder = StateGraph(MessagesState)
        builder.add_node("reply", reply)
        builder.add_edge(START, "reply")
        builder.add_edge("reply", END)
        self.graph = builder.compile(checkpointer=checkpointer)

    def send(self, thread_id, text: str) -> None:
        self.graph.invoke({"messages": [("user", text)]}, config(thread_id))

    def note(self, thread_id, text: str) -> None:
        """A moderator's note, added with update_state."""
        self.graph.update_state(config(thread_id), {"messages": [("system", text)]})


class LockedChat(Chat):
    """The fix: one lock per thread around every call that writes to the thread, keyed
    by str(thread_id) as LangGraph names the thread (1 and "1" are one thread)."""

    def __init__(self, checkpointer):
        super().__init__(checkpointer)
        self.guard, self.locks = threading.Lock(), {}

    def lock(self, thread_id) -> threading.Lock:
        with self.guard:
            return self.locks.setdefault(str(thread_id), threading.Lock())

    def send(self, thread_id, text):
        with self.lock(thread_id):
            super().send(thread_id, text)

    def note(self, thread_id, text):
        with self.lock(thread_id):
            super().note(thread_id, text)


# --- the tests -----------------------------------------------------------------------------


def double_submit(chat):
    chat.send(1, "hello")
    calls = [lambda: chat.send(1, "first"), lambda: chat.send("1", "second")]
    return calls, lambda: assert_nothing_lost(chat.graph, "1")


def note_during_a_run(chat):
    chat.send(1, "hello")
    calls = [lambda: chat.send(1, "first"), lambda: chat.note(1, "keep it civil")]
    return calls, lambda: assert_nothing_lost(chat.graph, "1")


@pytest.mark.parametrize("scenario", [double_submit, note_during_a_run])
def test_nothing_lost(scenario):
    explore(lambda checkpointer: scenario(LockedChat(checkpointer)))
