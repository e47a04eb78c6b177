# From docs/one-thread.md. Edit the page, then run `make snippets`.
import threading
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt


class BothReadFirst(InMemorySaver):
    def __init__(self, runs: int):
        super().__init__()
        self.barrier = threading.Barrier(runs)
        self.local = threading.local()

    def arm(self) -> None:
        self.local.armed = True

    def get_tuple(self, config):
        found = super().get_tuple(config)
        if getattr(self.local, "armed", False):
            self.local.armed = False
            self.barrier.wait(timeout=10)
        return found


class Payment(TypedDict):
    amount: int
    approved: bool


charges: list[int] = []  # stands in for an external payment API


def approve(state: Payment) -> dict:
    return {"approved": interrupt({"approve payment of": state["amount"]})}


def charge(state: Payment) -> dict:
    if state["approved"]:
        charges.append(state["amount"])
    return {}


builder = StateGraph(Payment)
builder.add_node("approve", approve)
builder.add_node("charge", charge)
builder.add_edge(START, "approve")
builder.add_edge("approve", "charge")
builder.add_edge("charge", END)
checkpointer = BothReadFirst(runs=2)
graph = builder.compile(checkpointer=checkpointer)
config = {"configurable": {"thread_id": "order-1"}}

graph.invoke({"amount": 30, "approved": False}, config)
print("waiting for:", graph.get_state(config).interrupts[0].value)


def click_approve() -> None:
    checkpointer.arm()
    graph.invoke(Command(resume=True), config)


tabs = [threading.Thread(target=click_approve) for _ in range(2)]
for tab in tabs:
    tab.start()
for tab in tabs:
    tab.join()
print(f"approvals sent: 2, payments charged: {charges}")
