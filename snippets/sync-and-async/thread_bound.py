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


class State(TypedDict):
    seen: Annotated[list[str], operator.add]


def count_orders(state: State) -> dict:
    names.setdefault(threading.get_ident(), "<pool>")
    (count,) = connection.execute("SELECT count(*) FROM orders").fetchone()
    return {"seen": [f"{count} orders"]}


def count_orders_fixed(state: State) -> dict:
    with closing(sqlite3.connect(SHOP, uri=True)) as own:  # made in the node's thread
        (count,) = own.execute("SELECT count(*) FROM orders").fetchone()
    return {"seen": [f"{count} orders"]}


def sibling(state: State) -> dict:
    return {"seen": ["sibling"]}


def build(*nodes):
    builder = StateGraph(State)
    for node in nodes:
        builder.add_node(node)
        builder.add_edge(START, node.__name__)
        builder.add_edge(node.__name__, END)
    return builder.compile()


def attempt(label, run):
    try:
        print(f"{label}: {run()['seen']}")
    except sqlite3.ProgrammingError as error:
        message = str(error)
        for ident, name in names.items():
            message = message.replace(str(ident), name)
        print(f"{label}: sqlite3.ProgrammingError: {message}")


attempt("invoke, alone", lambda: build(count_orders).invoke({"seen": []}))
attempt("invoke, with a sibling", lambda: build(count_orders, sibling).invoke({"seen": []}))
attempt("ainvoke, alone", lambda: asyncio.run(build(count_orders).ainvoke({"seen": []})))
attempt("fixed, with a sibling", lambda: build(count_orders_fixed, sibling).invoke({"seen": []}))
connection.close()
