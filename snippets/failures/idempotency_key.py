# From docs/failures.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class PaymentService:
    """Stands in for a payment API that honours idempotency keys."""

    def __init__(self):
        self.charges: list[int] = []
        self.receipts: dict[str, str] = {}  # idempotency key -> receipt

    def charge(self, amount: int, idempotency_key: str | None = None) -> str:
        if idempotency_key in self.receipts:  # seen before: do not charge again
            return self.receipts[idempotency_key]
        self.charges.append(amount)
        receipt = f"receipt-{len(self.charges)}"
        if idempotency_key is not None:
            self.receipts[idempotency_key] = receipt
        return receipt


class PaymentState(TypedDict):
    order_id: str
    amount: int
    receipt: str


def charge_order(use_key: bool) -> None:
    payments = PaymentService()
    receipt_store_up = False

    def charge_card(state: PaymentState) -> dict:
        key = f"{state['order_id']}:charge" if use_key else None  # the same on every attempt
        receipt = payments.charge(state["amount"], idempotency_key=key)
        if not receipt_store_up:
            raise OSError("receipt store unreachable")  # after the payment went through
        return {"receipt": receipt}

    builder = StateGraph(PaymentState)
    builder.add_node("charge", charge_card)
    builder.add_edge(START, "charge")
    builder.add_edge("charge", END)
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "order-18"}}
    try:
        graph.invoke({"order_id": "order-18", "amount": 30, "receipt": ""}, config)
    except OSError as error:
        print("  first run failed:", repr(error))
    receipt_store_up = True
    print("  resumed:", graph.invoke(None, config)["receipt"])
    print("  charges made:", payments.charges)


print("without a key:")
charge_order(use_key=False)
print("with an idempotency key:")
charge_order(use_key=True)
