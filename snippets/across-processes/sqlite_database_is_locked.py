# From docs/across-processes.md. Edit the page, then run `make snippets`.
import operator
import os
import sqlite3
import tempfile
import time
from contextlib import closing
from typing import Annotated, TypedDict

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.store.sqlite import SqliteStore


class Reply(TypedDict):
    log: Annotated[list[str], operator.add]


class OtherWriterFirst(SqliteSaver):
    """SqliteSaver; just before it saves the checkpoint after `draft`, another
    connection (in real life another process) begins a write transaction and holds it."""

    def __init__(self, conn: sqlite3.Connection, other: sqlite3.Connection):
        super().__init__(conn)
        self.other, self.forced = other, False

    def put(self, config, checkpoint, metadata, new_versions):
        if metadata["step"] == 1 and not self.forced:
            self.forced = True
            self.other.execute("BEGIN IMMEDIATE")  # takes SQLite's one write lock
        return super().put(config, checkpoint, metadata, new_versions)


def reply_graph(saver: SqliteSaver, sent: list):
    def draft_reply(state: Reply) -> dict:
        return {"log": ["drafted"]}

    def send_reply(state: Reply) -> dict:
        sent.append("e-mail")  # a side effect: once per run of the node
        return {"log": ["sent"]}

    builder = StateGraph(Reply)
    builder.add_node("draft", draft_reply)
    builder.add_node("send", send_reply)
    builder.add_edge(START, "draft")
    builder.add_edge("draft", "send")
    builder.add_edge("send", END)
    return builder.compile(checkpointer=saver)


def error_of(call, *args, **kwargs) -> str:
    try:
        call(*args, **kwargs)
    except sqlite3.OperationalError as error:
        return f"{type(error).__module__}.{type(error).__name__}: {error}"
    return "no error"


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "app.sqlite")
    for durability in ("async", "sync"):
        with (
            closing(sqlite3.connect(path, isolation_level=None, check_same_thread=False)) as other,
            # timeout=0 fails at once; sqlite3's default (5 s) fails so after waiting 5 s
            closing(sqlite3.connect(path, timeout=0, check_same_thread=False)) as conn,
        ):
            saver, sent = OtherWriterFirst(conn, other), []
            saver.setup()
            graph = reply_graph(saver, sent)
            config = {"configurable": {"thread_id": f"reply-{durability}"}}
            failed = error_of(graph.invoke, {"log": []}, config, durability=durability)
            print(f"durability={durability!r}: {failed}")
            after_run = len(sent)
            other.execute("COMMIT")  # the other writer finishes; the thread is resumed
            result = graph.invoke(None, config, durability=durability)
            print(f"  e-mails sent: {after_run} by the failed run, {len(sent)} after the resume")
            print(
                f"  journal mode: {conn.execute('PRAGMA journal_mode').fetchone()[0]}, log: {result['log']}"
            )

    with (
        closing(sqlite3.connect(path, isolation_level=None)) as other,
        closing(sqlite3.connect(path, timeout=0.3, isolation_level=None)) as conn,
    ):
        store = SqliteStore(conn)
        store.setup()
        other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        failed = error_of(store.put, ("replies",), "reply-1", {"sent": True})
        print(f"SqliteStore.put, timeout=0.3: {failed}")
        print(f"  waited 0.3 s before failing: {time.monotonic() - started >= 0.3}")
        other.execute("ROLLBACK")
