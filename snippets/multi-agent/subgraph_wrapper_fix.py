# From docs/multi-agent.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class OrchestratorState(TypedDict):
    messages: Annotated[list[str], add]


class ResearchState(TypedDict):
    messages: Annotated[list[str], add]


def research_agent(state: ResearchState) -> dict:
    return {"messages": ["research: three papers"]}


research_builder = StateGraph(ResearchState)
research_builder.add_node("research", research_agent)
research_builder.add_edge(START, "research")
research_builder.add_edge("research", END)
research_graph = research_builder.compile()


def run_research(state: OrchestratorState) -> dict:
    out = research_graph.invoke({"messages": state["messages"]})
    return {"messages": out["messages"][len(state["messages"]) :]}  # only the new items


builder = StateGraph(OrchestratorState)
builder.add_node("research", run_research)
builder.add_edge(START, "research")
builder.add_edge("research", END)

result = builder.compile().invoke({"messages": ["user: hi", "user: find papers"]})
print(result["messages"])
