# From docs/reducers.md. Edit the page, then run `make snippets`.
import math
from decimal import Decimal
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class CostState(TypedDict):
    cost: Annotated[float, add]  # float +: depends on the order
    costs: Annotated[list[float], add]  # collected, summed once with math.fsum
    cost_decimal: Annotated[Decimal, add]
    cost_micros: Annotated[int, add]  # integer millionths of a dollar


def cost_node(cost: str):
    return lambda state: {
        "cost": float(cost),
        "costs": [float(cost)],
        "cost_decimal": Decimal(cost),
        "cost_micros": int(Decimal(cost) * 1_000_000),
    }


def build_cost_graph(tools: dict[str, str]):
    builder = StateGraph(CostState)
    for name, cost in tools.items():
        builder.add_node(name, cost_node(cost))
        builder.add_edge(START, name)
    return builder.compile()


start = {"cost": 0.0, "costs": [], "cost_decimal": Decimal(0), "cost_micros": 0}
for tools in (
    {"search": "0.1", "fetch": "0.2", "rank": "0.3"},
    {"lookup": "0.1", "fetch": "0.2", "rank": "0.3"},  # the same graph, one node renamed
):
    result = build_cost_graph(tools).invoke(start)
    print(f"{', '.join(sorted(tools))}:")
    print(f"  float +:   {result['cost']!r}, within a 0.6 budget: {result['cost'] <= 0.6}")
    print(f"  math.fsum: {math.fsum(result['costs'])!r}")
    print(f"  Decimal:   {result['cost_decimal']}")
    print(f"  micros:    {result['cost_micros']}")
