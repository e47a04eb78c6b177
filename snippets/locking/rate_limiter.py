# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio
from dataclasses import dataclass
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send
from rate_limiting import RateLimiter, VirtualClock


class SearchAPI:
    """Stand-in for an external search API; records the time of each call."""

    def __init__(self, clock: VirtualClock):
        self.clock = clock
        self.calls: list[float] = []

    async def search(self, query: str) -> list[str]:
        self.calls.append(self.clock.monotonic())
        return [f"result for {query!r}"]


@dataclass
class Services:
    """What the nodes share; made inside the running event loop, passed to each run."""

    api_client: SearchAPI
    api_limiter: RateLimiter


class FanOutState(TypedDict):
    queries: list[str]
    api_results: Annotated[list[str], add]


async def call_external_api(state: dict, runtime: Runtime[Services]) -> dict:
    """Call an API with rate limiting."""
    await runtime.context.api_limiter.acquire()
    response = await runtime.context.api_client.search(state["query"])
    return {"api_results": response}


def fan_out(state: FanOutState) -> list[Send]:
    return [Send("call_external_api", {"query": q}) for q in state["queries"]]


builder = StateGraph(FanOutState, context_schema=Services)
builder.add_node("call_external_api", call_external_api)
builder.add_conditional_edges(START, fan_out, ["call_external_api"])
builder.add_edge("call_external_api", END)
graph = builder.compile()  # holds nothing bound to an event loop: module level is fine


async def main() -> None:
    clock = VirtualClock()
    services = Services(  # the limiter's asyncio.Lock is made here, on the running loop
        api_client=SearchAPI(clock),
        api_limiter=RateLimiter(calls_per_second=5, clock=clock.monotonic, sleep=clock.sleep),
    )
    result = await graph.ainvoke(
        {"queries": ["a", "b", "c", "d", "e"], "api_results": []}, context=services
    )
    print(f"{len(result['api_results'])} results")
    print("calls at (s):", ", ".join(f"{t:.1f}" for t in services.api_client.calls))


asyncio.run(main())
