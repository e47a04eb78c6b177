# From docs/exercise.ipynb. Edit the notebook, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.errors import InvalidUpdateError
from langgraph.graph import END, START, StateGraph


def web_search_node(state):
    return {
        "results": [{"source": "web", "title": "Web Result 1", "score": 0.8}],
        "total_score": 0.8,
        "search_count": 1,
    }


def doc_search_node(state):
    return {
        "results": [{"source": "docs", "title": "Doc Result 1", "score": 0.9}],
        "total_score": 0.9,
        "search_count": 1,
    }


def merge_node(state):
    """Final node that reports results."""
    return {}


def build_parallel_graph(state_class, searches=None):
    searches = searches or {"web_search": web_search_node, "doc_search": doc_search_node}
    builder = StateGraph(state_class)
    builder.add_node("merge", merge_node)
    for name, node in searches.items():
        builder.add_node(name, node)
        builder.add_edge(START, name)
        builder.add_edge(name, "merge")
    builder.add_edge("merge", END)
    return builder.compile()


def report(title, result):
    print(f"=== {title} ===")
    print(f"  Results: {len(result['results'])} (expected 2)")
    print(f"  Total score: {round(result['total_score'], 2)} (expected 1.7)")
    print(f"  Search count: {result['search_count']} (expected 2)")


initial = {"query": "concurrency", "results": [], "total_score": 0.0, "search_count": 0}


class BuggySearchState(TypedDict):
    query: str
    results: list[dict]  # No reducer
    total_score: float  # No reducer
    search_count: int  # No reducer


buggy = build_parallel_graph(BuggySearchState)
try:
    buggy.invoke(initial)
except InvalidUpdateError as error:
    print("=== BUGGY (no reducers) ===")
    print(f"  InvalidUpdateError: {str(error).splitlines()[0]}")


def newest(old, new):
    return new  # keeps one write, drops the other


class SilentBugState(TypedDict):
    query: str
    results: Annotated[list[dict], newest]
    total_score: Annotated[float, newest]
    search_count: Annotated[int, newest]


silent = build_parallel_graph(SilentBugState)
report("SILENT BUG (newest write wins)", silent.invoke(initial))


class FixedSearchState(TypedDict):
    query: str
    results: Annotated[list[dict], add]
    total_score: Annotated[float, lambda a, b: a + b]
    search_count: Annotated[int, lambda a, b: a + b]


fixed = build_parallel_graph(FixedSearchState)
fixed_result = fixed.invoke(initial)
report("FIXED", fixed_result)
print(f"  (unrounded total: {fixed_result['total_score']!r})")


def with_best(node):
    def scored(state):
        update = node(state)
        return {**update, "best_score": update["results"][0]["score"]}

    return scored


class BestScoreState(FixedSearchState):
    best_score: Annotated[float, lambda a, b: max(a, b)]


best = build_parallel_graph(
    BestScoreState,
    {"web_search": with_best(web_search_node), "doc_search": with_best(doc_search_node)},
)
result = best.invoke({**initial, "best_score": 0.0})
print(f"best_score: {result['best_score']} (expected 0.9)")


def api_search_node(state):
    return {
        "results": [{"source": "api", "title": "API Result 1", "score": 0.7}],
        "total_score": 0.7,
        "search_count": 1,
        "best_score": 0.7,
    }


three = build_parallel_graph(
    BestScoreState,
    {
        "web_search": with_best(web_search_node),
        "doc_search": with_best(doc_search_node),
        "api_search": api_search_node,
    },
)
result = three.invoke({**initial, "best_score": 0.0})
print(f"sources: {sorted(r['source'] for r in result['results'])}")
print(f"total_score: {round(result['total_score'], 2)} (expected 2.4)")
print(f"search_count: {result['search_count']} (expected 3)")
print(f"best_score: {result['best_score']} (expected 0.9)")


import threading

from langgraph.store.memory import InMemoryStore

NAMESPACE, KEY, ROUNDS = ("team", "shared"), "counter", 100


class ConflictError(Exception):
    pass


class NaiveVersionedStore:
    """Check, then write: two steps, with a gap another writer can use."""

    def __init__(self, store):
        self.store = store
        self.conflicts = 0

    def read(self):
        item = self.store.get(NAMESPACE, KEY)
        return (0, 0) if item is None else (item.value["count"], item.value["_version"])

    def write(self, count, expected_version):
        _, current = self.read()
        if current != expected_version:
            self.conflicts += 1
            raise ConflictError(f"expected {expected_version}, found {current}")
        self.store.put(NAMESPACE, KEY, {"count": count, "_version": current + 1})


class AtomicVersionedStore(NaiveVersionedStore):
    """Compare-and-set under a lock: no writer can enter between check and write."""

    def __init__(self, store):
        super().__init__(store)
        self.lock = threading.Lock()

    def write(self, count, expected_version):
        with self.lock:
            super().write(count, expected_version)


class BothCheckFirst(InMemoryStore):
    """Both agents finish their version check before either writes."""

    barrier = threading.Barrier(2)

    def put(self, *args, **kwargs):
        self.barrier.wait(timeout=10)
        return super().put(*args, **kwargs)


def run_agents(versioned, after_read=None):
    def agent():
        for _ in range(ROUNDS):
            count, version = versioned.read()
            if after_read:
                after_read.wait(timeout=10)
            while True:
                try:
                    versioned.write(count + 1, version)
                    break
                except ConflictError:
                    count, version = versioned.read()  # re-read and retry

    agents = [threading.Thread(target=agent) for _ in range(2)]
    for a in agents:
        a.start()
    for a in agents:
        a.join()
    count, _ = versioned.read()
    return count


for name, versioned, after_read in [
    ("naive ", NaiveVersionedStore(BothCheckFirst()), None),
    ("atomic", AtomicVersionedStore(InMemoryStore()), threading.Barrier(2)),
]:
    count = run_agents(versioned, after_read)
    print(
        f"{name} wrapper: 2 agents x {ROUNDS} increments = {2 * ROUNDS}, "
        f"count {count}, lost {2 * ROUNDS - count}, "
        f"conflicts caught: {'yes' if versioned.conflicts else 'no'}"
    )
