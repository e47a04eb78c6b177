# From docs/multi-agent.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class OrchestratorState(TypedDict):
    query: str
    final_answer: str


class ResearchState(TypedDict):
    query: str
    findings: str


def research_agent(state: ResearchState) -> dict:
    return {"query": state["query"] + " (expanded)", "findings": "three papers"}


research_builder = StateGraph(ResearchState)
research_builder.add_node("research", research_agent)
research_builder.add_edge(START, "research")
research_builder.add_edge("research", END)

builder = StateGraph(OrchestratorState)
builder.add_node("research", research_builder.compile())  # the subgraph itself as a node
builder.add_edge(START, "research")
builder.add_edge("research", END)

print(builder.compile().invoke({"query": "checkpointing", "final_answer": ""}))
