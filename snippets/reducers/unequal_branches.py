# From docs/reducers.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph


class ReportState(TypedDict):
    summary: str  # no reducer


log: list[tuple[int, str]] = []


def logged(name: str, write: str | None = None):
    def log_and_write(state: ReportState, config: RunnableConfig) -> dict:
        step = config["metadata"]["langgraph_step"]
        if name == "report":
            log.append((step, f"report reads summary={state['summary']!r}"))
            return {}
        if write is None:
            log.append((step, name))
            return {}
        log.append((step, f"{name} writes summary={write!r}"))
        return {"summary": write}

    return log_and_write


builder = StateGraph(ReportState)
builder.add_node("quick_check", logged("quick_check", "quick check: no issues"))
builder.add_node("fetch", logged("fetch"))
builder.add_node("analyse", logged("analyse", "analysis: 3 issues"))
builder.add_node("report", logged("report"))
builder.add_edge(START, "quick_check")  # branch 1: one node
builder.add_edge(START, "fetch")  # branch 2: two nodes
builder.add_edge("fetch", "analyse")
builder.add_edge("quick_check", "report")
builder.add_edge("analyse", "report")
builder.add_edge("report", END)
graph = builder.compile()

result = graph.invoke({"summary": ""})
for step, line in sorted(log):  # nodes of one step run in parallel: sort for a stable print
    print(f"super-step {step}: {line}")
print("final summary:", repr(result["summary"]))
