"""Where a subgraph compiled with checkpointer=True keeps its memory, per way of calling it.

LangGraph strips the task IDs from the calling task's namespace (`_own_checkpoint_config`
in langgraph/pregel/main.py), so every call made from one node name, or one @task name,
reads and writes one history per thread; no error is raised. Each call gets a namespace
of its own with the default checkpointer=None, and with checkpointer=True only when it comes
from another node name or is a later call inside one task (`|1`, `|2`, ...).
"""

import threading
from operator import add
from typing import Annotated, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import task
from langgraph.graph import START, StateGraph
from langgraph.types import Send


class Notes(TypedDict):
    notes: Annotated[list[str], add]


class Parent(TypedDict):
    topics: list[str]
    seen: Annotated[list[str], add]


def make_researcher(checkpointer):
    builder = StateGraph(Notes)
    builder.add_node("take_note", lambda state: {})
    builder.add_edge(START, "take_note")
    return builder.compile(checkpointer=checkpointer)


def build(shape: str, researcher):
    def call(topic: str) -> str:
        return f"{topic}: {researcher.invoke({'notes': [topic]})['notes']}"

    @task
    def call_task(topic: str) -> str:
        return call(topic)

    builder = StateGraph(Parent)
    if shape == "send":
        builder.add_node("worker", lambda s: {"seen": [call(s["topic"])]})
        builder.add_conditional_edges(
            START, lambda s: [Send("worker", {"topic": t}) for t in s["topics"]]
        )
    elif shape == "parallel nodes":
        builder.add_node("n1", lambda s: {"seen": [call(s["topics"][0])]})
        builder.add_node("n2", lambda s: {"seen": [call(s["topics"][1])]})
        builder.add_edge(START, "n1")
        builder.add_edge(START, "n2")
    elif shape == "twice in one node":
        builder.add_node("worker", lambda s: {"seen": [call(t) for t in s["topics"]]})
        builder.add_edge(START, "worker")
    elif shape == "task":
        builder.add_node(
            "worker",
            lambda s: {"seen": [f.result() for f in [call_task(t) for t in s["topics"]]]},
        )
        builder.add_edge(START, "worker")
    saver = InMemorySaver()
    return builder.compile(checkpointer=saver), saver


def namespaces(saver) -> list[str]:
    return sorted({c.config["configurable"]["checkpoint_ns"] for c in saver.list(None)} - {""})


@pytest.mark.parametrize(
    "shape, expected",
    [
        ("send", ["worker"]),
        ("parallel nodes", ["n1", "n2"]),
        ("twice in one node", ["worker", "worker|1"]),
        ("task", ["worker|call_task"]),
    ],
)
def test_checkpointer_true_namespaces(shape, expected):
    graph, saver = build(shape, make_researcher(True))
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"topics": ["a", "b"], "seen": []}, config)
    graph.invoke({"topics": ["c", "d"], "seen": []}, config)
    assert namespaces(saver) == expected


@pytest.mark.parametrize("shape", ["send", "parallel nodes", "twice in one node", "task"])
def test_default_checkpointer_gives_each_call_its_own_namespace(shape):
    graph, saver = build(shape, make_researcher(None))
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"topics": ["a", "b"], "seen": []}, config)
    result = graph.invoke({"topics": ["c", "d"], "seen": []}, config)
    assert len(namespaces(saver)) == 4  # two calls per run, two runs
    assert sorted(result["seen"][-2:]) == ["c: ['c']", "d: ['d']"]  # no memory carried over


def test_a_later_call_in_one_node_reads_the_same_position_next_run():
    graph, _ = build("twice in one node", make_researcher(True))
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"topics": ["a", "b"], "seen": []}, config)
    result = graph.invoke({"topics": ["c", "d"], "seen": []}, config)
    assert result["seen"][-2:] == ["c: ['a', 'c']", "d: ['b', 'd']"]


@pytest.mark.parametrize("shape", ["send", "task"])
def test_parallel_calls_of_one_name_read_one_memory(shape):
    """Both calls read the empty memory before either writes (forced), then the second
    run's calls both see one of them: the other call's note is on a side branch."""
    reads = threading.Barrier(2, timeout=10)

    class BothReadFirst(InMemorySaver):
        def get_tuple(self, config):
            found = super().get_tuple(config)
            if config["configurable"].get("checkpoint_ns") and found is None:
                reads.wait()
            return found

    graph, _ = build(shape, make_researcher(True))
    graph = graph.copy(update={"checkpointer": BothReadFirst()})
    config = {"configurable": {"thread_id": "t"}}
    first = graph.invoke({"topics": ["a", "b"], "seen": []}, config)
    assert sorted(first["seen"]) == ["a: ['a']", "b: ['b']"]  # neither saw the other
    second = graph.invoke({"topics": ["c", "d"], "seen": []}, config)
    remembered = {s.split(": ")[1][2] for s in second["seen"][-2:]}
    assert len(remembered) == 1 and remembered <= {"a", "b"}  # both read one branch


def test_checkpointer_true_root_graph_is_refused():
    with pytest.raises(RuntimeError, match=r"^checkpointer=True cannot be used for root graphs\.$"):
        make_researcher(True).invoke({"notes": ["a"]}, {"configurable": {"thread_id": "t"}})
