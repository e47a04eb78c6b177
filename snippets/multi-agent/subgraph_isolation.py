# From docs/multi-agent.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


# Parent graph state
class OrchestratorState(TypedDict):
    query: str
    results: Annotated[list[dict], add]
    final_answer: str


# Subgraph 1: Research agent, its own state
class ResearchState(TypedDict):
    query: str
    sources: list[str]
    findings: str


def research_agent(state: ResearchState) -> dict:
    return {"sources": ["paper.pdf"], "findings": f"Research findings for: {state['query']}"}


# Subgraph 2: Analysis agent, its own state
class AnalysisState(TypedDict):
    query: str
    data: list[dict]
    conclusion: str


def analysis_agent(state: AnalysisState) -> dict:
    return {"conclusion": f"Analysis of {len(state['data'])} data points"}


# Build subgraphs
research_builder = StateGraph(ResearchState)
research_builder.add_node("research", research_agent)
research_builder.add_edge(START, "research")
research_builder.add_edge("research", END)
research_graph = research_builder.compile()

analysis_builder = StateGraph(AnalysisState)
analysis_builder.add_node("analyze", analysis_agent)
analysis_builder.add_edge(START, "analyze")
analysis_builder.add_edge("analyze", END)
analysis_graph = analysis_builder.compile()


# The orchestrator maps data between them explicitly
def run_research(state: OrchestratorState) -> dict:
    out = research_graph.invoke({"query": state["query"]})
    return {"results": [{"agent": "research", "findings": out["findings"]}]}


def run_analysis(state: OrchestratorState) -> dict:
    out = analysis_graph.invoke({"query": state["query"], "data": state["results"]})
    return {"final_answer": out["conclusion"]}


builder = StateGraph(OrchestratorState)
builder.add_node("research", run_research)
builder.add_node("analysis", run_analysis)
builder.add_edge(START, "research")
builder.add_edge("research", "analysis")
builder.add_edge("analysis", END)
orchestrator = builder.compile()

result = orchestrator.invoke({"query": "checkpointing", "results": [], "final_answer": ""})
print(f"orchestrator keys: {sorted(result)}")
print(f"results: {result['results']}")
print(f"final_answer: {result['final_answer']}")
