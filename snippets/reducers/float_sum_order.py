# From docs/reducers.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class CostState(TypedDict):
    cost: Annotated[float, add]


def report(cost: float):
    return lambda state: {"cost": cost}


def build(tools: dict[str, float]):
    builder = StateGraph(CostState)
    for name, cost in tools.items():
        builder.add_node(name, report(cost))
        builder.add_edge(START, name)
    return builder.compile()


for tools in (
    {"search": 0.1, "fetch": 0.2, "rank": 0.3},
    {"lookup": 0.1, "fetch": 0.2, "rank": 0.3},  # the same graph, one node renamed
):
    cost = build(tools).invoke({"cost": 0.0})["cost"]
    print(f"{', '.join(sorted(tools))}: cost = {cost!r}, within a 0.6 budget: {cost <= 0.6}")
