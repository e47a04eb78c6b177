# From docs/testing-races.md. Edit the page, then run `make snippets`.
import threading
from collections import Counter

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

# --- the helpers: copy these into your tests ---------------------------------------------


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
            except threading.BrokenBarrierError:  # a call could not read in time: a lock?
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


def assert_nothing_lost(graph, config, sent: list[str]) -> None:
    """No checkpoint of the thread has two children, and get_state shows every text sent."""
    children = Counter(
        snapshot.parent_config["configurable"]["checkpoint_id"]
        for snapshot in graph.get_state_history(config)
        if snapshot.parent_config
    )
    forks = sum(count > 1 for count in children.values())
    shown = {message.content for message in graph.get_state(config).values["messages"]}
    missing = [text for text in sent if text not in shown]
    if forks or missing:
        raise AssertionError(
            f"the thread forked {forks} time(s); "
            f"get_state lacks {len(missing)} of the {len(sent)} messages sent"
        )


@pytest.fixture
def reads_first():
    return ReadsFirst(calls=2)


# --- the application under test: yours goes here -----------------------------------------


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


def config(thread_id: str) -> dict:
    return {"configurable": {"thread_id": thread_id}}


class Chat:
    """A chat service with no lock."""

    def __init__(self, checkpointer):
        builder = StateGraph(MessagesState)
        builder.add_node("reply", reply)
        builder.add_edge(START, "reply")
        builder.add_edge("reply", END)
        self.graph = builder.compile(checkpointer=checkpointer)

    def send(self, thread_id: str, text: str) -> None:
        self.graph.invoke({"messages": [("user", text)]}, config(thread_id))

    def note(self, thread_id: str, text: str) -> None:
        """A moderator's note, added with update_state."""
        self.graph.update_state(config(thread_id), {"messages": [("system", text)]})


class LockedChat(Chat):
    """The fix: one lock per thread_id around every call that writes to the thread."""

    def __init__(self, checkpointer):
        super().__init__(checkpointer)
        self.guard, self.locks = threading.Lock(), {}

    def lock(self, thread_id: str) -> threading.Lock:
        with self.guard:
            return self.locks.setdefault(thread_id, threading.Lock())

    def send(self, thread_id, text):
        with self.lock(thread_id):
            super().send(thread_id, text)

    def note(self, thread_id, text):
        with self.lock(thread_id):
            super().note(thread_id, text)


class HalfLockedChat(LockedChat):
    """A lock that forgets update_state: note writes to the thread without it."""

    note = Chat.note


# --- the tests -----------------------------------------------------------------------------

it_forks = pytest.mark.xfail(raises=AssertionError, strict=True, reason="a call outside the lock")


@pytest.mark.parametrize("app", [pytest.param(Chat, marks=it_forks), HalfLockedChat, LockedChat])
def test_double_submit(reads_first, app):
    chat = app(reads_first)
    chat.send("t1", "hello")
    reads_first.run_together(
        lambda: chat.send("t1", "first"),
        lambda: chat.send("t1", "second"),
    )
    assert_nothing_lost(chat.graph, config("t1"), ["hello", "first", "second"])


@pytest.mark.parametrize(
    "app",
    [pytest.param(Chat, marks=it_forks), pytest.param(HalfLockedChat, marks=it_forks), LockedChat],
)
def test_note_during_a_run(reads_first, app):
    chat = app(reads_first)
    chat.send("t1", "hello")
    reads_first.run_together(
        lambda: chat.send("t1", "first"),
        lambda: chat.note("t1", "moderator: keep it civil"),
    )
    assert_nothing_lost(chat.graph, config("t1"), ["hello", "first", "moderator: keep it civil"])


# --- this page's proof: run this file with pytest, in this process -------------------------

if __name__ == "__main__":
    import contextlib
    import io
    import tempfile
    from pathlib import Path

    class Outcomes:
        """A pytest plugin that keeps each test's outcome, and why an expected failure failed."""

        def __init__(self):
            self.lines = []

        def pytest_runtest_logreport(self, report):
            if report.when != "call" and report.passed:
                return
            name = report.nodeid.split("::")[-1]
            if hasattr(report, "wasxfail"):
                why = report.longrepr.reprcrash.message.splitlines()[0]
                self.lines.append(f"{name}: XFAIL (fails, as marked): {why}")
            else:
                self.lines.append(f"{name}: {report.outcome.upper()}")

    # A copy in an empty folder with an empty pytest.ini: no conftest.py or pytest settings
    # of the folders around this file take part, and no installed plugin is loaded.
    with tempfile.TemporaryDirectory() as folder:
        ini, copy = Path(folder, "pytest.ini"), Path(folder, "test_races.py")
        ini.write_text("[pytest]\n", encoding="utf-8")
        copy.write_text(Path(__file__).read_text(encoding="utf-8"), encoding="utf-8")
        outcomes = Outcomes()
        with contextlib.redirect_stdout(io.StringIO()):  # pytest's own summary has timings
            exit_code = pytest.main(
                [str(copy), "-c", str(ini), "--rootdir", folder, "-s"]
                + ["-p", "no:cacheprovider", "--disable-plugin-autoload"]
                + ["--import-mode=importlib"],
                plugins=[outcomes],
            )
    print("\n".join(outcomes.lines))
    print(f"pytest exit code: {exit_code.name} ({int(exit_code)})")
