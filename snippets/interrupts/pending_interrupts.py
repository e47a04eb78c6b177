# From docs/interrupts.md. Edit the page, then run `make snippets`.
import operator
from collections import Counter
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt

runs = Counter()  # how often each node's code before interrupt() ran


class Trip(TypedDict):
    answers: Annotated[list[str], operator.add]


def asker(name: str):
    def ask_human(state: Trip) -> dict:
        runs[name] += 1  # stands for work done before asking: a query, an email
        answer = interrupt(f"{name}: approve?")
        return {"answers": [f"{name}={answer}"]}

    return ask_human


builder = StateGraph(Trip)
for name in ("flights", "hotels"):
    builder.add_node(name, asker(name))
    builder.add_edge(START, name)
    builder.add_edge(name, END)
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "trip-1"}}

graph.invoke({"answers": []}, config)
pending = graph.get_state(config).interrupts
print("pending:", [i.value for i in pending])

try:
    graph.invoke(Command(resume="yes"), config)
except RuntimeError as error:
    print(f"RuntimeError: {error}")

flights = next(i for i in pending if i.value.startswith("flights"))
graph.invoke(Command(resume={flights.id: "yes"}), config)  # one answer of two
hotels = graph.get_state(config).interrupts[0]
graph.invoke(Command(resume={hotels.id: "yes"}), config)
print("one answer at a time, code before interrupt() ran:", dict(runs))

runs.clear()
config = {"configurable": {"thread_id": "trip-2"}}
graph.invoke({"answers": []}, config)
pending = graph.get_state(config).interrupts
result = graph.invoke(Command(resume={i.id: "yes" for i in pending}), config)
print("all answers at once, code before interrupt() ran:", dict(runs))
print(result["answers"])
