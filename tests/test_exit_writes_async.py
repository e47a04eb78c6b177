"""Under durability="exit", async tasks that finish together keep every pending write.

The Failures page narrows langgraph#8115 (a write dropped when two tasks update the pending
writes at once) to the threads of `invoke` and `stream`: under `ainvoke`, each task's writes
are committed by a callback on the event loop's one thread. Forced: every task returns on
one event, in the same loop iteration, while `charge` fails after they have been committed.
"""

from __future__ import annotations

import asyncio
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph

NAMES = [f"task{i}" for i in range(8)]


class Log(TypedDict):
    log: Annotated[list[str], add]


async def run_once() -> tuple[list[str], dict[str, int]]:
    release = asyncio.Event()
    runs = dict.fromkeys([*NAMES, "charge"], 0)
    up = False

    def finisher(name: str):
        async def node(state: Log) -> dict:
            runs[name] += 1
            if not up:
                await release.wait()
            return {"log": [name]}

        return node

    async def charge(state: Log) -> dict:
        runs["charge"] += 1
        if not up:
            release.set()  # all the others return in the next loop iteration
            for _ in range(5):
                await asyncio.sleep(0)  # their done callbacks run before this raises
            raise ConnectionError("payment service unreachable")
        return {"log": ["charge"]}

    builder = StateGraph(Log)
    for name, node in [(n, finisher(n)) for n in NAMES] + [("charge", charge)]:
        builder.add_node(name, node)
        builder.add_edge(START, name)
        builder.add_edge(name, END)
    checkpointer = InMemorySaver()
    graph = builder.compile(checkpointer=checkpointer)
    config = {"configurable": {"thread_id": "exit-async"}}
    try:
        await graph.ainvoke({"log": []}, config, durability="exit")
    except ConnectionError:
        pass
    names = {t.id: t.name for t in (await graph.aget_state(config)).tasks}
    saved = sorted({names[w[0]] for w in checkpointer.get_tuple(config).pending_writes})
    up = True
    await graph.ainvoke(None, config, durability="exit")
    return saved, runs


def test_async_tasks_finishing_together_keep_their_writes() -> None:
    for _ in range(20):
        saved, runs = asyncio.run(run_once())
        assert saved == sorted([*NAMES, "charge"])
        assert runs == {**dict.fromkeys(NAMES, 1), "charge": 2}
