# From docs/failures.md. Edit the page, then run `make snippets`.
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class SavesWrites(InMemorySaver):
    """InMemorySaver that says when notify's writes have been saved."""

    def __init__(self):
        super().__init__()
        self.notify_saved = threading.Event()

    def put_writes(self, config, writes, task_id, task_path=""):
        super().put_writes(config, writes, task_id, task_path)
        if ("log", ["customer notified"]) in writes:
            self.notify_saved.set()


class Order(TypedDict):
    order_id: str
    log: Annotated[list[str], add]


emails_sent: list[str] = []  # stands in for an e-mail service
charges: list[str] = []  # stands in for a payment service
runs = {"notify": 0, "charge": 0}
payment_service_up = False
checkpointer = SavesWrites()


def confirm(state: Order) -> dict:
    return {"log": ["confirmed"]}


def notify(state: Order) -> dict:
    runs["notify"] += 1
    emails_sent.append(state["order_id"])
    return {"log": ["customer notified"]}


def charge(state: Order) -> dict:
    runs["charge"] += 1
    if not payment_service_up:
        assert checkpointer.notify_saved.wait(timeout=10)  # fail after notify's writes are saved
        raise ConnectionError("payment service unreachable")
    charges.append(state["order_id"])
    return {"log": ["charged"]}


builder = StateGraph(Order)
builder.add_node("confirm", confirm)
builder.add_node("notify", notify)
builder.add_node("charge", charge)
builder.add_edge(START, "confirm")
builder.add_edge("confirm", "notify")
builder.add_edge("confirm", "charge")
builder.add_edge("notify", END)
builder.add_edge("charge", END)
graph = builder.compile(checkpointer=checkpointer)
config = {"configurable": {"thread_id": "order-17"}}

try:
    graph.invoke({"order_id": "order-17", "log": []}, config)
except ConnectionError as error:
    print("first run failed:", repr(error))

state = graph.get_state(config)
print("saved checkpoint: next =", state.next)
task_names = {task.id: task.name for task in state.tasks}
for task_id, channel, value in sorted(
    checkpointer.get_tuple(config).pending_writes, key=lambda w: task_names[w[0]]
):
    print(f"  pending write of {task_names[task_id]}: {channel} = {value!r}")

payment_service_up = True
result = graph.invoke(None, config)  # resume
print("after the resume:", result["log"])
print(f"node runs: {runs}, e-mails sent: {len(emails_sent)}, charges: {len(charges)}")
