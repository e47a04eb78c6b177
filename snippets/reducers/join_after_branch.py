# From docs/reducers.md. Edit the page, then run `make snippets`.
import operator
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class Search(TypedDict):
    needs: list[str]  # the branches this question needs
    ran: Annotated[list[str], operator.add]


def route(state: Search) -> list[str]:
    return state["needs"]


def step(name: str):
    return lambda state: {"ran": [name]}


def search_graph(waiting_edge: bool):
    builder = StateGraph(Search)
    builder.add_node("web", step("web"))
    builder.add_node("docs", step("docs"))
    builder.add_node("merge", step("merge"), defer=not waiting_edge)
    builder.add_conditional_edges(START, route, ["web", "docs"])
    if waiting_edge:
        builder.add_edge(["web", "docs"], "merge")  # waits for both
    else:
        builder.add_edge("web", "merge")  # each branch leads on; defer runs merge once,
        builder.add_edge("docs", "merge")  # when no branch has work left
    builder.add_edge("merge", END)
    return builder.compile(checkpointer=InMemorySaver())


for label, waiting_edge in (("waiting edge", True), ("deferred node", False)):
    graph = search_graph(waiting_edge)
    config = {"configurable": {"thread_id": "one-thread"}}
    for needs in (["web"], ["docs"]):  # two runs on one thread
        before = len(graph.get_state(config).values.get("ran", []))
        ran = graph.invoke({"needs": needs}, config)["ran"][before:]
        print(f"{label}, a run that needs {needs}: ran {ran}")
