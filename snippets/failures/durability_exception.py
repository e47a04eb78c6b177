# From docs/failures.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class Pipeline(TypedDict):
    done: Annotated[list[str], add]


ran: list[str] = []
publish_fails = True


def stage(name: str):
    def node(state: Pipeline) -> dict:
        if name == "publish" and publish_fails:
            raise RuntimeError("publish failed")
        ran.append(name)
        return {"done": [name]}

    return node


builder = StateGraph(Pipeline)
for name in ("fetch", "summarise", "publish"):
    builder.add_node(name, stage(name))
builder.add_edge(START, "fetch")
builder.add_edge("fetch", "summarise")
builder.add_edge("summarise", "publish")
builder.add_edge("publish", END)

for mode in ("sync", "async", "exit"):
    checkpointer = InMemorySaver()
    graph = builder.compile(checkpointer=checkpointer)
    config = {"configurable": {"thread_id": f"job-{mode}"}}
    publish_fails = True
    try:
        graph.invoke({"done": []}, config, durability=mode)
    except RuntimeError:
        pass
    steps = sorted(c.metadata["step"] for c in checkpointer.list(config))
    publish_fails = False
    ran.clear()
    graph.invoke(None, config, durability=mode)
    print(f"{mode:>5}: checkpoints saved for steps {steps}; the resume ran {ran}")
