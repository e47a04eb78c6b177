# From docs/one-thread.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from forcing import ReadsFirst
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt


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
checkpointer = ReadsFirst()
graph = builder.compile(checkpointer=checkpointer)
config = {"configurable": {"thread_id": "order-1"}}

graph.invoke({"amount": 30, "approved": False}, config)
print("waiting for:", graph.get_state(config).interrupts[0].value)


def click_approve() -> None:
    graph.invoke(Command(resume=True), config)


checkpointer.run_together(click_approve, click_approve)
print(f"approvals sent: 2, payments charged: {charges}")
