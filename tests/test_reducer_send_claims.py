"""Claims of the Reducers and Send pages that have no block of their own, each on a real run.

Every interleaving is forced with events; nothing sleeps and hopes.
"""

import asyncio
import logging
import threading
from operator import add
from typing import Annotated, TypedDict

import pytest
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import InvalidUpdateError
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import Command, Send
from pydantic import BaseModel

ONE_VALUE = "At key 'score': Can receive only one value per step."


class Scored(TypedDict):
    score: float


class Collected(TypedDict):
    out: Annotated[list, add]


def parallel(schema: type, writes: dict, **compile_kwargs):
    """One node per entry of writes, all started by START, each returning its value."""
    builder = StateGraph(schema)
    for name, value in writes.items():
        builder.add_node(name, lambda state, value=value: value)
        builder.add_edge(START, name)
    return builder.compile(**compile_kwargs)


@pytest.mark.parametrize("durability", ["sync", "async", "exit"])
@pytest.mark.parametrize("is_async", [False, True])
def test_same_step_writes_raise_in_every_mode(durability, is_async):
    graph = parallel(
        Scored, {"a": {"score": 1.0}, "b": {"score": 1.0}}, checkpointer=InMemorySaver()
    )
    config = {"configurable": {"thread_id": f"{durability}-{is_async}"}}
    with pytest.raises(InvalidUpdateError, match=ONE_VALUE):  # equal values too
        if is_async:
            asyncio.run(graph.ainvoke({"score": 0.0}, config, durability=durability))
        else:
            graph.invoke({"score": 0.0}, config, durability=durability)


def test_one_task_writing_a_key_twice_raises():
    builder = StateGraph(Scored)
    twice = [Command(update={"score": 1.0}), Command(update={"score": 2.0})]
    builder.add_node("a", lambda state: twice)
    builder.add_edge(START, "a")
    with pytest.raises(InvalidUpdateError, match=ONE_VALUE):
        builder.compile().invoke({"score": 0.0})


def test_a_misspelled_key_is_dropped_without_a_word(caplog):
    """The second spelling is no key of the schema: no error, no warning, the write is lost."""
    graph = parallel(Scored, {"a": {"score": 0.8}, "b": {"Score": 0.9}})
    with caplog.at_level(logging.DEBUG):
        assert graph.invoke({"score": 0.0}) == {"score": 0.8}
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_subgraph_writes_back_a_key_it_never_changed():
    class Shared(TypedDict):
        score: float
        note: str

    inner = StateGraph(Shared)
    inner.add_node("annotate", lambda state: {"note": "checked"})  # never writes score
    inner.add_edge(START, "annotate")
    builder = StateGraph(Shared)
    builder.add_node("rate", lambda state: {"score": 1.0})
    builder.add_node("checker", inner.compile())
    builder.add_edge(START, "rate")
    builder.add_edge(START, "checker")
    with pytest.raises(InvalidUpdateError, match=ONE_VALUE):
        builder.compile().invoke({"score": 0.0, "note": ""})


def test_send_order_holds_beyond_ten_sends():
    """Task paths pad their indexes, so the 11th Send does not sort before the 2nd."""
    count = 12
    done = [threading.Event() for _ in range(count)]

    def work(arg: dict) -> dict:
        i = arg["i"]
        if i + 1 < count:
            assert done[i + 1].wait(timeout=10)  # finish after the next Send's task
        done[i].set()
        return {"out": [i]}

    builder = StateGraph(Collected)
    builder.add_node("work", work)
    fan = lambda state: [Send("work", {"i": i}) for i in range(count)]  # noqa: E731
    builder.add_conditional_edges(START, fan, ["work"])
    config = {"max_concurrency": count}  # every task needs a thread at once
    assert builder.compile().invoke({"out": []}, config)["out"] == list(range(count))


def test_sends_given_one_object_share_it():
    shared = {"tags": []}
    first_done = threading.Event()

    def tag(arg: dict) -> dict:
        if arg["who"] == "first":
            arg["shared"]["tags"].append("first")  # in place
            first_done.set()
            return {"out": ["first"]}
        assert first_done.wait(timeout=10)
        return {"out": [list(arg["shared"]["tags"])]}

    builder = StateGraph(Collected)
    builder.add_node("tag", tag)
    sends = lambda state: [Send("tag", {"who": w, "shared": shared}) for w in ("first", "second")]  # noqa: E731
    builder.add_conditional_edges(START, sends, ["tag"])
    assert builder.compile().invoke({"out": []})["out"] == ["first", ["first"]]


def test_a_send_argument_is_not_validated_into_a_pydantic_state():
    class Doc(BaseModel):
        out: Annotated[list, add] = []

    builder = StateGraph(Doc)
    builder.add_node("section", lambda arg: {"out": [type(arg).__name__]})
    builder.add_conditional_edges(START, lambda state: [Send("section", {"x": 1})], ["section"])
    assert builder.compile().invoke({"out": []})["out"] == ["dict"]


def test_same_message_id_keeps_the_reply_later_in_name_order():
    for first, second in (("web", "docs"), ("web", "zeta")):
        builder = StateGraph(MessagesState)
        for name in (first, second):
            reply = AIMessage(f"{name} reply", id="search-reply")
            builder.add_node(name, lambda state, reply=reply: {"messages": [reply]})
            builder.add_edge(START, name)
        result = builder.compile().invoke({"messages": [("user", "find it")]})
        assert [m.content for m in result["messages"]][1:] == [f"{max(first, second)} reply"]


def test_a_dict_shaped_like_an_overwrite_skips_a_merging_reducer():
    """A merge reducer never sees a one-key dict {"__overwrite__": value}: it replaces the state."""

    class Statuses(TypedDict):
        statuses: Annotated[dict, lambda old, new: {**old, **new}]

    overwrite_shaped = {"statuses": {"__overwrite__": {}}}
    graph = parallel(Statuses, {"a": {"statuses": {"a": "done"}}, "b": overwrite_shaped})
    assert graph.invoke({"statuses": {"earlier": "done"}})["statuses"] == {}


def test_a_min_reducer_folds_the_input_into_zero():
    def lowest(old: int, new: int) -> int:
        return min(old, new)

    class Lowest(TypedDict):
        low: Annotated[int, lowest]

    class LowestMaybe(TypedDict):
        low: Annotated[int | None, lowest]

    writes = {"a": {"low": 7}, "b": {"low": 9}}
    assert parallel(Lowest, writes).invoke({"low": 5})["low"] == 0
    assert parallel(LowestMaybe, writes).invoke({"low": 5})["low"] == 5


def test_sends_of_two_senders_follow_the_senders_not_the_sending_time():
    """b_plan sends first (a_plan waits for it); a_plan's Send still comes first."""
    b_sent = threading.Event()

    def b_plan(state):
        b_sent.set()
        return {"out": ["b_plan"]}

    def a_plan(state):
        assert b_sent.wait(timeout=10)
        return {"out": ["a_plan"]}

    builder = StateGraph(Collected)
    builder.add_node("b_plan", b_plan)
    builder.add_node("a_plan", a_plan)
    builder.add_node("work", lambda arg: {"out": [arg["tag"]]})
    for name, tags in (("b_plan", ["b1", "b2"]), ("a_plan", ["a1"])):
        builder.add_edge(START, name)
        sends = lambda state, tags=tags: [Send("work", {"tag": t}) for t in tags]  # noqa: E731
        builder.add_conditional_edges(name, sends, ["work"])
    result = builder.compile().invoke({"out": []})["out"]
    assert result == ["a_plan", "b_plan", "a1", "b1", "b2"]


def test_edge_triggered_nodes_sort_by_name_as_plain_strings():
    writes = {name: {"out": [name]} for name in ("a", "B", "node_9", "node_10")}
    assert parallel(Collected, writes).invoke({"out": []})["out"] == ["B", "a", "node_10", "node_9"]


def test_a_waiting_edge_joins_branches_of_unequal_length_once():
    builder = StateGraph(Collected)
    for name in ("quick_check", "fetch", "analyse", "report"):
        builder.add_node(name, lambda state, name=name: {"out": [name]})
    builder.add_edge(START, "quick_check")
    builder.add_edge(START, "fetch")
    builder.add_edge("fetch", "analyse")
    builder.add_edge(["quick_check", "analyse"], "report")
    ran = builder.compile().invoke({"out": []})["out"]
    assert ran == ["fetch", "quick_check", "analyse", "report"]


def test_async_stream_waiter_takes_no_place_of_max_concurrency():
    from langgraph.config import get_stream_writer

    def speak(state):
        get_stream_writer()("hello")
        return {"out": ["spoke"]}

    builder = StateGraph(Collected)
    builder.add_node("speak", speak)
    builder.add_edge(START, "speak")
    graph = builder.compile()

    async def collect():
        config = {"max_concurrency": 1}
        return [c async for c in graph.astream({"out": []}, config, stream_mode="custom")]

    assert asyncio.run(asyncio.wait_for(collect(), timeout=10)) == ["hello"]


@pytest.mark.parametrize("via", ["conditional edge", "Command"])
def test_a_send_to_an_unknown_node_starts_nothing_and_is_only_logged(via, caplog):
    sends = [Send("write_section", {"s": "ok"}), Send("Write_section", {"s": "typo"})]
    builder = StateGraph(Collected)
    builder.add_node("write_section", lambda arg: {"out": [arg["s"]]})
    if via == "Command":
        builder.add_node("plan", lambda state: Command(goto=sends))
        builder.add_edge(START, "plan")
    else:
        builder.add_conditional_edges(START, lambda state: sends, ["write_section"])
    with caplog.at_level(logging.WARNING):
        assert builder.compile().invoke({"out": []})["out"] == ["ok"]
    assert "Ignoring unknown node name Write_section in pending sends" in caplog.messages


@pytest.mark.parametrize("durability", ["sync", "async"])
def test_a_thread_keeps_the_failed_step_until_update_state(durability):
    graph = parallel(
        Scored, {"a": {"score": 1.0}, "b": {"score": 2.0}}, checkpointer=InMemorySaver()
    )
    config = {"configurable": {"thread_id": durability}}
    with pytest.raises(InvalidUpdateError, match=ONE_VALUE):
        graph.invoke({"score": 0.0}, config, durability=durability)
    with pytest.raises(InvalidUpdateError, match=ONE_VALUE):
        graph.invoke(None, config, durability=durability)  # resume
    with pytest.raises(InvalidUpdateError, match=ONE_VALUE):
        graph.get_state(config)
    graph.update_state(config, {"score": 3.0})
    assert graph.get_state(config).values == {"score": 3.0}


def test_a_thread_stuck_on_the_error_resumes_once_the_key_has_a_reducer():
    saver = InMemorySaver()

    class Highest(TypedDict):
        score: Annotated[float, lambda old, new: max(old, new)]

    config = {"configurable": {"thread_id": "fixed later"}}
    writes = {"a": {"score": 1.0}, "b": {"score": 2.0}}
    with pytest.raises(InvalidUpdateError, match=ONE_VALUE):
        parallel(Scored, writes, checkpointer=saver).invoke({"score": 0.0}, config)
    assert parallel(Highest, writes, checkpointer=saver).invoke(None, config) == {"score": 2.0}


@pytest.mark.parametrize("builtin", [max, min])
def test_the_builtin_max_or_min_cannot_be_a_reducer_as_it_stands(builtin):
    class Best(TypedDict):
        score: Annotated[float, builtin]

    message = f"no signature found for builtin <built-in function {builtin.__name__}>"
    with pytest.raises(ValueError, match=message):
        StateGraph(Best)


def test_the_default_serializer_cannot_store_a_fraction():
    from fractions import Fraction

    class Exact(TypedDict):
        cost: Annotated[Fraction, add]

    graph = parallel(Exact, {"a": {"cost": Fraction(1, 3)}}, checkpointer=InMemorySaver())
    with pytest.raises(TypeError, match="^Type is not msgpack serializable: Fraction$"):
        graph.invoke({"cost": Fraction(0)}, {"configurable": {"thread_id": "exact"}})


def test_a_deferred_join_after_sends_runs_once_after_the_whole_graph():
    builder = StateGraph(Collected)
    builder.add_node("work", lambda arg: {"out": [arg["tag"]]})
    for name in ("long_1", "long_2", "join"):
        builder.add_node(name, lambda state, name=name: {"out": [name]}, defer=name == "join")
    sends = lambda state: [Send("work", {"tag": t}) for t in ("s1", "s2")]  # noqa: E731
    builder.add_conditional_edges(START, sends, ["work"])
    builder.add_edge(START, "long_1")
    builder.add_edge("long_1", "long_2")  # an unrelated branch, one step longer
    builder.add_edge("work", "join")
    ran = builder.compile().invoke({"out": []})["out"]
    assert ran == ["long_1", "s1", "s2", "long_2", "join"]


def test_async_nodes_reach_the_reducer_by_name_whatever_order_they_finish():
    names = ["c_node", "b_node", "a_node"]  # finish in this order
    finished: list[str] = []

    def node(name: str):
        async def finish_in_turn(state) -> dict:
            while names[len(finished)] != name:  # one event loop: wait for our turn
                await asyncio.sleep(0)
            finished.append(name)
            return {"out": [name]}

        return finish_in_turn

    builder = StateGraph(Collected)
    for name in names:
        builder.add_node(name, node(name))
        builder.add_edge(START, name)
    result = asyncio.run(builder.compile().ainvoke({"out": []}))
    assert finished == names
    assert result["out"] == ["a_node", "b_node", "c_node"]


SUBGRAPHS_STREAM = """
from operator import add
from typing import Annotated, TypedDict
from langgraph.graph import START, StateGraph

class Tally(TypedDict):
    out: Annotated[list, add]

builder = StateGraph(Tally)
builder.add_node("only", lambda state: {"out": ["only"]})
builder.add_edge(START, "only")
graph = builder.compile()
print("started", flush=True)
for _ in graph.stream({"out": []}, {"max_concurrency": 1}, subgraphs=True):
    pass
print("finished", flush=True)
"""


def test_a_sync_stream_with_subgraphs_hangs_at_max_concurrency_1():
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", SUBGRAPHS_STREAM], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline() == "started\n"
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=3)  # the waiter holds the only thread; the node never starts
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


def test_nodes_reached_by_command_goto_also_sort_by_name():
    builder = StateGraph(Collected)
    builder.add_node("router", lambda state: Command(goto=["b_node", "a_node"]))
    for name in ("b_node", "a_node"):
        builder.add_node(name, lambda state, name=name: {"out": [name]})
    builder.add_edge(START, "router")
    assert builder.compile().invoke({"out": []})["out"] == ["a_node", "b_node"]
