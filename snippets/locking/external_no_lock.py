# From docs/locking.md. Edit the page, then run `make snippets`.
import asyncio

from langgraph.graph import END, START, StateGraph
from shared_database import SearchState, SharedDatabase

db = SharedDatabase()


def writer(name: str):
    async def write_to_database(state: SearchState) -> dict:
        await db.insert([f"{name} result"])  # no lock
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
    kept = []
    for _ in range(20):
        db.rows = []
        await graph.ainvoke({"results": []})
        kept.append(len(db.rows))
    print(f"20 runs, 2 parallel writers each: rows kept per run: {sorted(set(kept))}")


asyncio.run(main())
