# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio
from contextlib import asynccontextmanager

from langgraph.graph import END, START, StateGraph
from shared_database import SearchState, SharedDatabase


class ExternalResourceLock:
    """One asyncio.Lock per resource, for the nodes of one event loop."""

    def __init__(self):
        self._locks: dict[str, asyncio.Lock] = {}

    def _get_lock(self, resource_id: str) -> asyncio.Lock:
        if resource_id not in self._locks:
            self._locks[resource_id] = asyncio.Lock()
        return self._locks[resource_id]

    @asynccontextmanager
    async def acquire(self, resource_id: str):
        lock = self._get_lock(resource_id)
        async with lock:
            yield


db = SharedDatabase()
resource_lock = ExternalResourceLock()


def writer(name: str):
    async def write_to_database(state: SearchState) -> dict:
        """Write results to a shared database with locking."""
        async with resource_lock.acquire("results_database"):
            # Only one node can write at a time
            await db.insert([f"{name} result"])
        return {}

    return write_to_database


builder = StateGraph(SearchState)
builder.add_node("web_search", writer("web"))
builder.add_node("doc_search", writer("docs"))
builder.add_edge(START, "web_search")
builder.add_edge(START, "doc_search")
builder.add_edge("web_search", END)
builder.add_edge("doc_search", END)
graph = builder.compile()


async def main() -> None:
    for _ in range(20):
        db.rows = []
        await graph.ainvoke({"results": []})
        assert len(db.rows) == 2, db.rows
    print(f"20 runs, 2 parallel writers each: every run kept both rows {sorted(db.rows)}")


asyncio.run(main())
