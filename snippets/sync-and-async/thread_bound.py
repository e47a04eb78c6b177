# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import asyncio
import operator
import sqlite3
import threading
from contextlib import closing
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph

SHOP = "file:shop?mode=memory&cache=shared"
connection = sqlite3.connect(SHOP, uri=True)  # made here, on the main thread
connection.execute("CREATE TABLE orders (id INTEGER)")
names = {threading.get_ident(): "<main>"}
local = threading.local()
local.session = "the main thread's session"  # an ORM session kept per thread


class Seen(TypedDict):
    seen: Annotated[list[str], operator.add]


def count_orders(state: Seen) -> dict:
    names.setdefault(threading.get_ident(), "<pool>")
    (count,) = connection.execute("SELECT count(*) FROM orders").fetchone()
    return {"seen": [f"{count} orders, {getattr(local, 'session', 'no session')}"]}


def count_orders_fixed(state: Seen) -> dict:
    with closing(sqlite3.connect(SHOP, uri=True)) as own:  # made in the node's thread
        (count,) = own.execute("SELECT count(*) FROM orders").fetchone()
    return {"seen": [f"{count} orders, {getattr(local, 'session', 'no session')}"]}


def idle_sibling(state: Seen) -> dict:
    return {"seen": ["sibling"]}


def graph_with(*nodes):
    builder = StateGraph(Seen)
    for node in nodes:
        builder.add_node(node)
        builder.add_edge(START, node.__name__)
        builder.add_edge(node.__name__, END)
    return builder.compile()


def attempt(label: str, *nodes, use_ainvoke: bool = False) -> None:
    graph = graph_with(*nodes)
    try:
        if use_ainvoke:
            result = asyncio.run(graph.ainvoke({"seen": []}))
        else:
            result = graph.invoke({"seen": []})
        print(f"{label}: {result['seen']}")
    except sqlite3.ProgrammingError as error:
        message = str(error)
        for ident, name in names.items():
            message = message.replace(str(ident), name)
        print(f"{label}: sqlite3.ProgrammingError: {message}")


attempt("invoke, alone", count_orders)
attempt("invoke, with a sibling", count_orders, idle_sibling)
attempt("ainvoke, alone", count_orders, use_ainvoke=True)
attempt("fixed, with a sibling", count_orders_fixed, idle_sibling)
connection.close()
