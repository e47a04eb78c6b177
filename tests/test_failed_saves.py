"""A checkpointer whose PostgreSQL session is terminated mid-run, under each durability mode.

The Failures page says what each mode has saved when a run raises. When the saves themselves
fail, `"sync"` stops at the first failed save, while `"async"` runs the remaining super-steps
(their side effects included) and raises only at the end; either way the resume runs again
every step after the last save that succeeded. Forced: the session is terminated by a node of
step 2 once the saver has returned the checkpoint of step 1.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from operator import add
from typing import Annotated, TypedDict

import psycopg
import pytest
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.graph import END, START, StateGraph

from tools.services import postgres
from tools.services.ci import require


class Job(TypedDict):
    done: Annotated[list[str], add]


class SaysStepSaved(PostgresSaver):
    def __init__(self, conn) -> None:
        super().__init__(conn)
        self.step_1_saved = threading.Event()

    def put(self, config, checkpoint, metadata, new_versions):
        saved = super().put(config, checkpoint, metadata, new_versions)
        if metadata["step"] == 1:
            self.step_1_saved.set()
        return saved


def build(saver, ran: list[str], in_b=lambda: None):
    def stage(name: str):
        def run(state: Job) -> dict:
            if name == "b":
                in_b()
            ran.append(name)
            return {"done": [name]}

        return run

    builder = StateGraph(Job)
    for name in "abcd":
        builder.add_node(name, stage(name))
    builder.add_edge(START, "a")
    for first, then in zip("abc", "bcd", strict=True):
        builder.add_edge(first, then)
    builder.add_edge("d", END)
    return builder.compile(checkpointer=saver)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    require(postgres.postgres_problem(), "database")
    with postgres.fresh_database() as fresh:
        with PostgresSaver.from_conn_string(fresh) as saver:
            saver.setup()
        yield fresh


@pytest.mark.parametrize(
    ("mode", "ran_first"),
    # "sync": b finished, the save of its writes failed, and the run stopped there
    [("sync", ["a", "b"]), ("async", ["a", "b", "c", "d"])],
)
def test_a_terminated_session(url, mode, ran_first) -> None:
    config = {"configurable": {"thread_id": f"job-{mode}-{uuid.uuid4()}"}}
    ran: list[str] = []
    with (
        psycopg.connect(url, autocommit=True) as admin,
        psycopg.connect(url, autocommit=True) as conn,
    ):
        saver = SaysStepSaved(conn)
        pid = conn.info.backend_pid

        def terminate() -> None:
            assert saver.step_1_saved.wait(timeout=10)
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

        with pytest.raises(psycopg.OperationalError):
            build(saver, ran, terminate).invoke({"done": []}, config, durability=mode)
    assert ran == ran_first
    with PostgresSaver.from_conn_string(url) as fresh:
        assert sorted(c.metadata["step"] for c in fresh.list(config)) == [-1, 0, 1]
        ran.clear()
        build(fresh, ran).invoke(None, config)
    assert ran == ["b", "c", "d"]  # under "async", c and d (and their effects) run twice
