"""A sync node still running when its async sibling fails under `ainvoke` is not cancelled.

The Failures page says `ainvoke` cancels an async node still running when a sibling raises,
while a sync node (run in a worker thread) runs on to its end after `ainvoke` has raised;
LangGraph saves `CancelledError()` as its error, so the resume runs it again. Forced with
events: `pay` raises once `notify` has started, and `notify` ends only after `ainvoke` raised.
"""

from __future__ import annotations

import asyncio
import threading
from operator import add
from typing import Annotated, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class Checkout(TypedDict):
    log: Annotated[list[str], add]


async def run_once(mode: str) -> tuple[list[str], int, list[str]]:
    emails: list[str] = []
    first_run = True
    email_sent, notify_done = threading.Event(), threading.Event()
    ainvoke_raised = threading.Event()

    def notify(state: Checkout) -> dict:  # a sync node: ainvoke runs it in a thread
        emails.append("order confirmed")
        email_sent.set()
        if first_run:
            assert ainvoke_raised.wait(timeout=10)  # still working when ainvoke raises
            notify_done.set()
        return {"log": ["notified"]}

    async def pay(state: Checkout) -> dict:
        if first_run:
            await asyncio.to_thread(email_sent.wait, 10)
            raise ConnectionError("payment service unreachable")
        return {"log": ["paid"]}

    builder = StateGraph(Checkout)
    builder.add_node("notify", notify)
    builder.add_node("pay", pay)
    for name in ("notify", "pay"):
        builder.add_edge(START, name)
        builder.add_edge(name, END)
    checkpointer = InMemorySaver()
    graph = builder.compile(checkpointer=checkpointer)
    config = {"configurable": {"thread_id": "order-21"}}
    with pytest.raises(ConnectionError):
        await graph.ainvoke({"log": []}, config, durability=mode)
    ainvoke_raised.set()
    assert await asyncio.to_thread(notify_done.wait, 10)  # not cancelled: it ran to its end
    pending = checkpointer.get_tuple(config).pending_writes
    errors = sorted(v for _, c, v in pending if c == "__error__")
    first_run = False
    result = await graph.ainvoke(None, config, durability=mode)
    return errors, len(emails), result["log"]


@pytest.mark.parametrize("mode", ["sync", "async", "exit"])
def test_a_sync_node_runs_on_after_ainvoke_raised(mode: str) -> None:
    for _ in range(10):  # two event loops in a row each time: asyncio.run per attempt
        errors, emails, log = asyncio.run(run_once(mode))
        cancelled = ["CancelledError()"] if mode != "exit" else []
        assert errors == sorted([*cancelled, "ConnectionError('payment service unreachable')"])
        assert emails == 2  # the resume ran notify again
        assert sorted(log) == ["notified", "paid"]
