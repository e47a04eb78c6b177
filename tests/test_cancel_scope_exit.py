"""A run cancelled the way Starlette cancels a response saves nothing under durability="exit".

The Failures page says a client's disconnect makes Starlette cancel the response's task
through an anyio cancel scope: a run iterated inside it saves nothing more, and when it
streams custom events its running node is not cancelled. Here, in one process: under
`"exit"` the run's one save never happens (the finished node `a` is lost too); streaming
`custom`, `b` runs on; a plain `task.cancel()` lets the run exit, save and cancel `b`.
Forced: the cancellation comes once `b` has started.
"""

from __future__ import annotations

import asyncio
from operator import add
from typing import Annotated, TypedDict

import anyio
import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class Job(TypedDict):
    done: Annotated[list[str], add]


async def cancelled_run(mode: str, how: str, stream: str) -> tuple[dict, tuple, list[str]]:
    b_started = asyncio.Event()
    b_ended: list[str] = []

    async def a(state: Job) -> dict:
        return {"done": ["a"]}

    async def b(state: Job) -> dict:
        b_started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            b_ended.append("cancelled")
            raise
        return {"done": ["b"]}

    builder = StateGraph(Job)
    builder.add_node("a", a)
    builder.add_node("b", b)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", END)
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}

    async def consume() -> None:
        async for _ in graph.astream({"done": []}, config, durability=mode, stream_mode=stream):
            pass

    if how == "cancel scope":
        async with anyio.create_task_group() as group:
            group.start_soon(consume)
            await b_started.wait()
            group.cancel_scope.cancel()
    else:
        task = asyncio.create_task(consume())
        await b_started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    state = await graph.aget_state(config)
    return state.values, state.next, list(b_ended)


@pytest.mark.parametrize("stream", ["updates", "custom", "messages"])
@pytest.mark.parametrize("how", ["cancel scope", "task.cancel"])
@pytest.mark.parametrize("mode", ["exit", "sync"])
def test_a_cancelled_run(mode, how, stream) -> None:
    lost = mode == "exit" and how == "cancel scope"  # the run's one save never happens
    values, next_ = ({}, ()) if lost else ({"done": ["a"]}, ("b",))
    # streaming custom (or messages) events, LangGraph waits on a helper task, and the
    # scope's cancellation leaves the running node alone
    b_ended = [] if how == "cancel scope" and stream != "updates" else ["cancelled"]
    for _ in range(5):
        assert asyncio.run(cancelled_run(mode, how, stream)) == (values, next_, b_ended)
