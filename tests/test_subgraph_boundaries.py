"""What crosses the boundary between a parent graph and a subgraph (the multi-agent page)."""

from operator import add
from typing import Annotated, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command


class Parent(TypedDict):
    log: Annotated[list[str], add]
    flag: str


class Child(TypedDict):
    x: str


@pytest.mark.parametrize("checkpointer", [None, InMemorySaver()])
def test_command_parent_passes_the_wrapper_and_its_return_is_lost(checkpointer):
    child = StateGraph(Child)
    child.add_node("n", lambda s: Command(graph=Command.PARENT, update={"flag": "from child"}))
    child.add_edge(START, "n")
    subgraph = child.compile()

    def wrapper(state: Parent) -> dict:
        subgraph.invoke({"x": "1"})
        return {"log": ["wrapper returned"]}  # never reached: the command propagates

    builder = StateGraph(Parent)
    builder.add_node("wrapper", wrapper)
    builder.add_edge(START, "wrapper")
    graph = builder.compile(checkpointer=checkpointer)
    result = graph.invoke({"log": [], "flag": ""}, {"configurable": {"thread_id": "1"}})
    assert result == {"log": [], "flag": "from child"}


class Orchestrator(TypedDict):
    query: str
    messages: Annotated[list[str], add]


class Research(TypedDict):
    query: str
    messages: Annotated[list[str], add]
    findings: str


class ResearchOutput(TypedDict):
    findings: str


def run_as_node(**schema) -> dict:
    research = StateGraph(Research, **schema)
    research.add_node("r", lambda s: {"findings": "x"})  # never writes messages
    research.add_edge(START, "r")
    builder = StateGraph(Orchestrator)
    builder.add_node("research", research.compile())
    builder.add_edge(START, "research")
    return builder.compile().invoke({"query": "q", "messages": ["m1", "m2"]})


def test_a_list_the_subgraph_never_writes_still_comes_back_twice():
    assert run_as_node()["messages"] == ["m1", "m2", "m1", "m2"]


def test_an_output_schema_limits_what_comes_back():
    assert run_as_node(output_schema=ResearchOutput)["messages"] == ["m1", "m2"]
