"""After a fork, get_state follows the checkpoint with the highest ID, the one made last,
not the one written last (the one-thread page's "newest")."""

import asyncio
import runpy
import threading

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph

from tools.paths import SNIPPETS

ReadsFirst = runpy.run_path(str(SNIPPETS / "one-thread" / "forcing.py"))["ReadsFirst"]


def test_the_head_is_the_checkpoint_made_last_not_written_last():
    first_made, second_written = threading.Event(), threading.Event()
    written = []

    class FirstWritesLast(ReadsFirst):
        def put(self, config, checkpoint, metadata, new_versions):
            texts = [m.content for m in checkpoint["channel_values"].get("messages", [])]
            if "re: first" in texts:
                first_made.set()
                assert second_written.wait(timeout=10)
            saved = super().put(config, checkpoint, metadata, new_versions)
            written.append(texts[-1] if texts else None)
            if "re: second" in texts:
                second_written.set()
            return saved

    def reply(state: MessagesState) -> dict:
        text = state["messages"][-1].content
        if text == "second":
            assert first_made.wait(timeout=10)  # made after first's last checkpoint
        return {"messages": [("assistant", f"re: {text}")]}

    builder = StateGraph(MessagesState)
    builder.add_node("reply", reply)
    builder.add_edge(START, "reply")
    saver = FirstWritesLast()
    graph = builder.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"messages": [("user", "hello")]}, config)
    saver.run_together(
        lambda: graph.invoke({"messages": [("user", "first")]}, config),
        lambda: graph.invoke({"messages": [("user", "second")]}, config),
    )
    assert saver.interleaved
    assert written[-1] == "re: first"  # written last
    head = graph.get_state(config)
    assert head.values["messages"][-1].content == "re: second"  # followed
    ids = [s.config["configurable"]["checkpoint_id"] for s in graph.get_state_history(config)]
    assert head.config["configurable"]["checkpoint_id"] == max(ids)


def test_thread_ids_42_and_str_42_are_one_thread():
    builder = StateGraph(MessagesState)
    builder.add_node("reply", lambda s: {"messages": [("assistant", "ok")]})
    builder.add_edge(START, "reply")
    graph = builder.compile(checkpointer=ReadsFirst())
    graph.invoke({"messages": [("user", "as int")]}, {"configurable": {"thread_id": 42}})
    graph.invoke({"messages": [("user", "as str")]}, {"configurable": {"thread_id": "42"}})
    graph.update_state({"configurable": {"thread_id": 42}}, {"messages": [("user", "edit")]})
    for thread_id in (42, "42"):
        texts = [
            m.content
            for m in graph.get_state({"configurable": {"thread_id": thread_id}}).values["messages"]
        ]
        assert texts == ["as int", "ok", "as str", "ok", "edit"]


def _async_reply_graph(both_running: threading.Barrier):
    async def reply(state: MessagesState) -> dict:
        text = state["messages"][-1].content
        if text != "hello":
            await asyncio.to_thread(both_running.wait)  # both runs have read the thread
        return {"messages": [("assistant", f"re: {text}")]}

    builder = StateGraph(MessagesState)
    builder.add_node("reply", reply)
    builder.add_edge(START, "reply")
    return builder.compile(checkpointer=InMemorySaver())


def _replies(graph, config) -> set[str]:
    return {m.content for m in graph.get_state(config).values["messages"] if m.type == "ai"}


def test_async_runs_fork_one_thread_on_one_loop_and_on_two():
    """Async nodes fork a thread too: two runs on one event loop, or on two loops at once."""
    config = {"configurable": {"thread_id": "t"}}
    graph = _async_reply_graph(threading.Barrier(2, timeout=10))
    asyncio.run(graph.ainvoke({"messages": [("user", "hello")]}, config))

    async def one_loop():
        await asyncio.gather(
            *(graph.ainvoke({"messages": [("user", t)]}, config) for t in ("a", "b"))
        )

    asyncio.run(one_loop())
    assert len(_replies(graph, config) & {"re: a", "re: b"}) == 1  # one reply off get_state

    graph = _async_reply_graph(threading.Barrier(2, timeout=10))
    asyncio.run(graph.ainvoke({"messages": [("user", "hello")]}, config))
    loops = [
        threading.Thread(
            target=asyncio.run, args=(graph.ainvoke({"messages": [("user", t)]}, config),)
        )
        for t in ("c", "d")
    ]
    for loop in loops:
        loop.start()
    for loop in loops:
        loop.join()
    assert len(_replies(graph, config) & {"re: c", "re: d"}) == 1
