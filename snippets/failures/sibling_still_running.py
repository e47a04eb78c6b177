# From docs/failures.md. Edit the page, then run `make snippets`.
import asyncio
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class Checkout(TypedDict):
    log: Annotated[list[str], add]


class SaysWhenSaved(InMemorySaver):
    """InMemorySaver that says when a checkpoint of a super-step has been saved."""

    def __init__(self):
        super().__init__()
        self.step_saved = threading.Event()

    def put(self, config, checkpoint, metadata, new_versions):
        saved = super().put(config, checkpoint, metadata, new_versions)
        if metadata["step"] >= 0:
            self.step_saved.set()
        return saved


def build_checkout(notify, pay, checkpointer):
    builder = StateGraph(Checkout)
    builder.add_node("notify", notify)
    builder.add_node("pay", pay)
    builder.add_edge(START, "notify")
    builder.add_edge(START, "pay")
    builder.add_edge("notify", END)
    builder.add_edge("pay", END)
    return builder.compile(checkpointer=checkpointer)


def sync_exit_mode() -> None:
    emails: list[str] = []
    first_run = True
    notify_started = threading.Event()
    checkpointer = SaysWhenSaved()

    def email_customer(state: Checkout) -> dict:
        emails.append("order confirmed")
        notify_started.set()
        if first_run:  # still working when pay fails; done after the run's final save
            assert checkpointer.step_saved.wait(timeout=10)
        return {"log": ["notified"]}

    def pay(state: Checkout) -> dict:  # LangGraph submits tasks in name order: notify first
        if first_run:
            assert notify_started.wait(timeout=10)
            raise ConnectionError("payment service unreachable")
        return {"log": ["paid"]}

    graph = build_checkout(email_customer, pay, checkpointer)
    config = {"configurable": {"thread_id": "order-19"}}
    try:
        graph.invoke({"log": []}, config, durability="exit")
    except ConnectionError:
        pass
    kept = [c for _, c, _ in checkpointer.get_tuple(config).pending_writes if c == "log"]
    first_run = False
    graph.invoke(None, config, durability="exit")
    print(f'invoke, durability="exit": notify\'s writes kept: {bool(kept)}, e-mails: {len(emails)}')


async def async_api() -> None:
    emails: list[str] = []
    first_run = True
    email_sent = asyncio.Event()
    cancelled: list[str] = []

    async def email_customer(state: Checkout) -> dict:
        emails.append("order confirmed")
        email_sent.set()
        if first_run:
            try:
                await asyncio.Event().wait()  # still working when pay fails
            except asyncio.CancelledError:
                cancelled.append("notify")
                raise
        return {"log": ["notified"]}

    async def pay(state: Checkout) -> dict:
        if first_run:
            await email_sent.wait()
            raise ConnectionError("payment service unreachable")
        return {"log": ["paid"]}

    checkpointer = InMemorySaver()
    graph = build_checkout(email_customer, pay, checkpointer)
    config = {"configurable": {"thread_id": "order-20"}}
    try:
        await graph.ainvoke({"log": []}, config)
    except ConnectionError:
        pass
    first_run = False
    await graph.ainvoke(None, config)
    print(f"ainvoke: cancelled when pay failed: {cancelled}, e-mails: {len(emails)}")


sync_exit_mode()
asyncio.run(async_api())
