# From docs/multi-agent.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class OrchestratorState(TypedDict):
    messages: Annotated[list[str], add]


class ResearchState(TypedDict):
    messages: Annotated[list[str], add]


def research_agent(state: ResearchState) -> dict:
    return {"messages": ["research: three papers"]}  # appends one item


research_builder = StateGraph(ResearchState)
research_builder.add_node("research", research_agent)
research_builder.add_edge(START, "research")
research_builder.add_edge("research", END)
research_graph = research_builder.compile()

builder = StateGraph(OrchestratorState)
builder.add_node("research", research_graph)  # the subgraph itself as a node
builder.add_edge(START, "research")
builder.add_edge("research", END)
orchestrator = builder.compile()

request = {"messages": ["user: hi", "user: find papers"]}
print("the subgraph returns:", research_graph.invoke(request)["messages"])
print("the parent ends with:")
for message in orchestrator.invoke(request)["messages"]:
    print(f"  {message}")
