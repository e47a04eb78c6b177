# From docs/multi-agent.md. Edit the page, then run `make snippets`.
import threading
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Send

pricing_done = threading.Event()


class BothReadFirst(InMemorySaver):
    """Both calls read the researcher's (empty) memory before either writes to it."""

    reads = threading.Barrier(2, timeout=10)

    def get_tuple(self, config):
        found = super().get_tuple(config)
        if config["configurable"].get("checkpoint_ns") == "research" and found is None:
            self.reads.wait()
        return found


class Notes(TypedDict):
    notes: Annotated[list[str], add]


def take_note(state: Notes) -> dict:
    if state["notes"][-1] == "security, run 1":
        assert pricing_done.wait(timeout=10)  # security's call writes last
    return {}


researcher_builder = StateGraph(Notes)
researcher_builder.add_node("take_note", take_note)
researcher_builder.add_edge(START, "take_note")
researcher = researcher_builder.compile(checkpointer=True)  # keeps its memory per thread


class Report(TypedDict):
    topics: list[str]
    run: int
    seen: Annotated[list[str], add]


def research(topic: str, run: int) -> dict:
    out = researcher.invoke({"notes": [f"{topic}, run {run}"]})
    if topic == "pricing":
        pricing_done.set()
    return {"seen": [f"{topic} sees {out['notes']}"]}


fan_out = StateGraph(Report)  # one node, a Send task per topic
fan_out.add_node("research", lambda task: research(task["topic"], task["run"]))
fan_out.add_conditional_edges(
    START, lambda s: [Send("research", {"topic": t, "run": s["run"]}) for t in s["topics"]]
)
node_per_topic = StateGraph(Report)  # a node of its own per topic
for topic in ("pricing", "security"):
    node_per_topic.add_node(f"research_{topic}", lambda s, t=topic: research(t, s["run"]))
    node_per_topic.add_edge(START, f"research_{topic}")

for label, builder, saver in [
    ("one node, a Send per topic", fan_out, BothReadFirst()),
    ("a node per topic", node_per_topic, InMemorySaver()),
]:
    graph = builder.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "report-1"}}
    graph.invoke({"topics": ["pricing", "security"], "run": 1}, config)
    result = graph.invoke({"topics": ["pricing"], "run": 2, "seen": []}, config)
    spaces = sorted({c.config["configurable"]["checkpoint_ns"] for c in saver.list(None)})
    stored = [c.checkpoint["channel_values"].get("notes", []) for c in saver.list(None)]
    print(f"{label}: namespaces {spaces[1:]}")
    print(f"  run 2, {[s for s in result['seen'] if s.startswith('pricing')][-1]}")
    print(f"  'pricing, run 1' still stored: {any('pricing, run 1' in n for n in stored)}")
