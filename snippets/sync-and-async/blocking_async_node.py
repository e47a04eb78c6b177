# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import asyncio
import operator
import threading
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def build(blocking_call):
    """Two async nodes in one super-step; `fetch` makes a call that may block."""
    fetch_began = asyncio.Event()
    sibling_ran = threading.Event()

    async def fetch(state: State) -> dict:
        fetch_began.set()
        ran = await blocking_call(sibling_ran)
        return {"log": [f"fetch: sibling ran during the call? {ran}"]}

    async def sibling(state: State) -> dict:
        await fetch_began.wait()  # start after fetch has begun, whatever the order
        sibling_ran.set()
        return {"log": ["sibling ran"]}

    builder = StateGraph(State)
    for name, node in (("fetch", fetch), ("sibling", sibling)):
        builder.add_node(name, node)
        builder.add_edge(START, name)
        builder.add_edge(name, END)
    return builder.compile()


async def blocks_the_loop(event: threading.Event) -> bool:
    return event.wait(timeout=0.5)  # stands for requests.get or a sync driver


async def in_a_thread(event: threading.Event) -> bool:
    return await asyncio.to_thread(event.wait, 5)  # the loop stays free


for label, call in (("blocking call", blocks_the_loop), ("asyncio.to_thread", in_a_thread)):
    result = asyncio.run(build(call).ainvoke({"log": []}))
    print(f"{label}: {result['log']}")
