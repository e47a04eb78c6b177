# From docs/thread-isolation.md. Edit the page, then run `make snippets`.
import os

from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from thread_ids import thread_id

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", "noted")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)

values = {"NUL": "a\x00b", "lone surrogate": "\ud800"}  # "\ud800": valid in a JSON body

with PostgresSaver.from_conn_string(DATABASE_URL) as saver:
    saver.setup()
    graph = builder.compile(checkpointer=saver)
    for name, value in values.items():
        for how in ("raw", "built"):
            thread = value if how == "raw" else thread_id("user", value)
            config = {"configurable": {"thread_id": thread}}
            try:
                graph.invoke({"messages": [("user", "hi")]}, config, durability="sync")
                messages = graph.get_state(config).values["messages"]
                print(f"{how:>5}, {name}: {len(messages)} messages")
                saver.delete_thread(thread)
            except Exception as error:
                kind = type(error).__qualname__
                if type(error).__module__ != "builtins":
                    kind = f"{type(error).__module__}.{kind}"
                print(f"{how:>5}, {name}: {kind}: {str(error).splitlines()[0]}")
