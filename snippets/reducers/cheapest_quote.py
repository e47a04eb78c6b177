# From docs/reducers.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


def lowest(existing: float, new: float) -> float:
    return min(existing, new)


class Quotes(TypedDict):
    route: str
    cheapest: Annotated[float, lowest]


class QuotesMaybe(TypedDict):
    route: str
    cheapest: Annotated[float | None, lowest]  # None cannot be called: no starting value


def cheapest_quote(schema: type, start: dict) -> float:
    builder = StateGraph(schema)
    for name, price in (("airline_a", 7.5), ("airline_b", 9.0)):
        builder.add_node(name, lambda state, price=price: {"cheapest": price})
        builder.add_edge(START, name)
    return builder.compile().invoke({"route": "LIS-OSL", **start})["cheapest"]


for label, schema in (("float", Quotes), ("float | None", QuotesMaybe)):
    for start in ({"cheapest": 10.0}, {}):
        given = start.get("cheapest", "omitted")
        print(f"{label}, input {given}: cheapest {cheapest_quote(schema, start)}")
