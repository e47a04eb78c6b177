# From docs/inside-one-run.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class PaymentService:
    """Stands in for an external payment API that honours idempotency keys."""

    def __init__(self):
        self.charges: list[int] = []
        self.receipts: dict[str, str] = {}  # idempotency key -> receipt

    def charge(self, amount: int, idempotency_key: str) -> str:
        if idempotency_key in self.receipts:  # seen before: do not charge again
            return self.receipts[idempotency_key]
        self.charges.append(amount)
        self.receipts[idempotency_key] = f"receipt-{len(self.charges)}"
        return self.receipts[idempotency_key]


class Order(TypedDict):
    order_id: str
    amount: int
    receipt: str


payments = PaymentService()
receipt_store_up = False


def charge(state: Order) -> dict:
    key = f"{state['order_id']}:charge"  # the same on every attempt
    receipt = payments.charge(state["amount"], idempotency_key=key)
    if not receipt_store_up:
        raise OSError("receipt store unreachable")  # after the payment went through
    return {"receipt": receipt}


builder = StateGraph(Order)
builder.add_node("charge", charge)
builder.add_edge(START, "charge")
builder.add_edge("charge", END)
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "order-18"}}

try:
    graph.invoke({"order_id": "order-18", "amount": 30, "receipt": ""}, config)
except OSError as error:
    print("first run failed:", repr(error))
receipt_store_up = True
print("resumed:", graph.invoke(None, config)["receipt"])
print("charges made:", payments.charges)
