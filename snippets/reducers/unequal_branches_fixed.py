# From docs/reducers.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class Overwrites(TypedDict):
    summary: str  # no reducer


class Collects(TypedDict):
    summary: Annotated[list[str], add]


def build_report_graph(reducer: bool, defer: bool):
    reads: list = []

    def write_summary(text: str):
        return lambda state: {"summary": [text] if reducer else text}

    def report(state) -> dict:
        reads.append(state["summary"])
        return {}

    builder = StateGraph(Collects if reducer else Overwrites)
    builder.add_node("quick_check", write_summary("quick check: no issues"))
    builder.add_node("fetch", lambda state: {})
    builder.add_node("analyse", write_summary("analysis: 3 issues"))
    builder.add_node("report", report, defer=defer)
    builder.add_edge(START, "quick_check")
    builder.add_edge(START, "fetch")
    builder.add_edge("fetch", "analyse")
    builder.add_edge("quick_check", "report")
    builder.add_edge("analyse", "report")
    builder.add_edge("report", END)
    return builder.compile(), reads


for label, reducer, defer in [
    ("no reducer, no defer", False, False),
    ("reducer", True, False),
    ("defer", False, True),
    ("reducer and defer", True, True),
]:
    graph, reads = build_report_graph(reducer, defer)
    final = graph.invoke({"summary": [] if reducer else ""})["summary"]
    print(f"{label}:")
    print(f"  report ran {len(reads)} time(s), reading {reads}")
    print(f"  final summary: {final}")
