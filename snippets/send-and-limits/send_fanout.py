# From docs/send-and-limits.md. Edit the page, then run `make snippets`.
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send


class DocState(TypedDict):
    topic: str
    notes: Annotated[list[str], add]


class SectionInput(TypedDict):
    section: str


sections = ["intro", "method", "results"]
done = {section: threading.Event() for section in sections}
received: dict[str, dict] = {}
finished: list[str] = []


def plan(state: DocState) -> dict:
    return {"notes": [f"plan: {state['topic']}"]}


def fan_out_sections(state: DocState) -> list[Send]:
    return [Send("write_section", {"section": section}) for section in sections]


def write_section(state: SectionInput) -> dict:
    section = state["section"]
    received[section] = dict(state)
    later = sections[sections.index(section) + 1 :]
    if later:
        assert done[later[0]].wait(timeout=10)  # finish after the next section's task
    finished.append(section)
    done[section].set()
    return {"notes": [f"{section} written"]}


builder = StateGraph(DocState)
builder.add_node("plan", plan)
builder.add_node("write_section", write_section)
builder.add_edge(START, "plan")
builder.add_conditional_edges("plan", fan_out_sections, ["write_section"])
builder.add_edge("write_section", END)
graph = builder.compile()

result = graph.invoke({"topic": "cache invalidation", "notes": []})
for section in sections:
    print(f"task for {section!r} received {received[section]}")
print("tasks finished in the order:", finished)
print("notes:", result["notes"])
