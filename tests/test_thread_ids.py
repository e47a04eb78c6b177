"""The thread-ID builder the site recommends is injective: different parts, different IDs.

It is tested as the page shows it: the functions are loaded from its snippet file.
"""

import runpy

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tools.paths import SNIPPETS

builder = runpy.run_path(str(SNIPPETS / "thread-isolation" / "thread_ids.py"))
thread_id, thread_id_parts = builder["thread_id"], builder["thread_id_parts"]

# every code point, lone surrogates included (a JSON body can carry "\ud800")
any_text = st.text(alphabet=st.characters(codec=None, categories=None), max_size=12)
separators = st.text(alphabet=":%_-/ 3Aa\x00", max_size=8)  # the characters that cause trouble
parts = st.lists(st.one_of(any_text, separators), min_size=1, max_size=5).map(tuple)


@given(parts)
@example(("",))
@example(("", ""))
@example(("a:b",))
@example(("a", "b"))
@example(("%3A",))
@example((":",))
@example(("\ud800",))
def test_the_parts_come_back(p):
    """A left inverse exists, so no two different lists of parts share an ID."""
    assert thread_id_parts(thread_id(*p)) == p


@given(parts, parts)
def test_different_parts_give_different_ids(a, b):
    assert (thread_id(*a) == thread_id(*b)) == (a == b)


@pytest.mark.parametrize(
    "a, b",
    [
        (("user", "a_session_b", "session", "c"), ("user", "a", "session", "b_session_c")),
        (("a:b",), ("a", "b")),
        (("",), ("", "")),
        (("%3A",), (":",)),
        (("a", ""), ("a:",)),
    ],
)
def test_the_pairs_that_break_f_strings(a, b):
    assert thread_id(*a) != thread_id(*b)


def test_no_parts_is_refused():
    with pytest.raises(ValueError, match="at least one part"):
        thread_id()


@pytest.mark.parametrize("bad", [42, None, b"bytes", 4.2])
def test_non_text_parts_are_refused(bad):
    """42 and "42" would otherwise name the same thread."""
    with pytest.raises(TypeError, match="must be str"):
        thread_id("user", bad)


def test_an_id_longer_than_the_limit_is_refused():
    """Percent-encoding can make an ID twelve times longer than its parts; the limit is on
    the built ID, well under the 3,000 random characters PostgreSQL's index refuses."""
    limit = builder["MAX_LENGTH"]
    assert len(thread_id("x" * (limit - 2), "")) == limit - 1
    assert len(thread_id("x" * (limit - 1), "")) == limit
    with pytest.raises(ValueError, match=f"at most {limit} characters, not {limit + 1}"):
        thread_id("x" * limit, "")
    with pytest.raises(ValueError, match=f"not {12 * 100}"):
        thread_id("\U0010ffff" * 100)


@pytest.mark.parametrize("kind", ["InMemorySaver", "SqliteSaver"])
def test_two_threads_in_flight_at_once_stay_apart(kind):
    """Two OS threads, one running invoke and one its own event loop (ainvoke where the saver
    has it), both inside their node at the same moment: each thread ID holds only its run."""
    import asyncio
    import contextlib
    import threading

    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.graph import END, START, MessagesState, StateGraph

    both_inside = threading.Barrier(2)

    def hold(state: MessagesState) -> dict:
        both_inside.wait(timeout=10)  # neither run finishes before the other has started
        return {"messages": [("assistant", f"to {state['messages'][0].content}")]}

    g = StateGraph(MessagesState)
    g.add_node("hold", hold)
    g.add_edge(START, "hold")
    g.add_edge("hold", END)
    with contextlib.ExitStack() as stack:
        if kind == "InMemorySaver":
            saver = InMemorySaver()
        else:
            saver = stack.enter_context(SqliteSaver.from_conn_string(":memory:"))
        graph = g.compile(checkpointer=saver)
        ids = {"alice": thread_id("user", "alice"), "bob": thread_id("user", "bob")}

        def run(name: str) -> None:
            config = {"configurable": {"thread_id": ids[name]}}
            if name == "bob" and kind == "InMemorySaver":
                asyncio.run(graph.ainvoke({"messages": [("user", name)]}, config))
            else:
                graph.invoke({"messages": [("user", name)]}, config)

        workers = [threading.Thread(target=run, args=(name,)) for name in ids]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=20)
        for name, thread in ids.items():
            state = graph.get_state({"configurable": {"thread_id": thread}})
            assert [m.content for m in state.values["messages"]] == [name, f"to {name}"]
