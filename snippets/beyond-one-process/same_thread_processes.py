# From docs/beyond-one-process.md. Edit the page, then run `make snippets`.
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from lock_key import lock_key  # shown on Stores and locks across processes

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PROCESSES, ROUNDS, RUNS_EACH = 8, 50, 5


@contextmanager
def thread_lock(conn: psycopg.Connection, thread_id: str, wait_seconds: float = 30):
    """A PostgreSQL session advisory lock per thread_id: a lease that lasts while this
    connection's session does. The wait is bounded: psycopg.errors.LockNotAvailable after
    wait_seconds instead of a hang. The session is the holder: callers that share conn
    share the lock, so give each caller a connection of its own.
    """
    timeout_ms = max(1, round(wait_seconds * 1000))  # lock_timeout = 0 would mean: no limit
    conn.execute(f"SET lock_timeout = '{timeout_ms}ms'")
    conn.execute("SELECT pg_advisory_lock(%s)", (lock_key(f"langgraph-thread:{thread_id}"),))
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (lock_key(f"langgraph-thread:{thread_id}"),))


class LockstepSaver(PostgresSaver):
    """PostgresSaver that, when armed, reports its first read and waits for the parent."""

    armed = False

    def get_tuple(self, config):
        found = super().get_tuple(config)
        if self.armed:
            self.armed = False
            print("read", flush=True)
            sys.stdin.readline()  # every process has read: now all may write
        return found


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


def race_then_lock(name: str, run: str) -> None:
    with (
        LockstepSaver.from_conn_string(DATABASE_URL) as saver,
        psycopg.connect(DATABASE_URL, autocommit=True) as lock_conn,
    ):
        graph = builder.compile(checkpointer=saver)
        # 1. No lock, and every round all processes read before any writes.
        config = {"configurable": {"thread_id": f"unlocked-{run}"}}
        for n in range(ROUNDS):
            saver.armed = True
            graph.invoke({"messages": [("user", f"{name} round {n}")]}, config)
            print("wrote", flush=True)
            sys.stdin.readline()  # every process has written: the next round may start
        # 2. An advisory lock per thread_id; the processes run freely.
        print("ready", flush=True)
        sys.stdin.readline()
        config = {"configurable": {"thread_id": f"locked-{run}"}}
        for n in range(RUNS_EACH):
            with thread_lock(lock_conn, config["configurable"]["thread_id"]):
                graph.invoke({"messages": [("user", f"{name} run {n}")]}, config)


def lockstep(workers, expect: str) -> None:
    """Wait until every worker has said `expect`, then let them all go on."""
    for w in workers:
        line = w.stdout.readline()
        assert line == f"{expect}\n", f"worker said {line!r}"
    for w in workers:
        w.stdin.write("go\n")
        w.stdin.flush()


def main() -> None:
    run = uuid.uuid4().hex  # thread IDs of this run only; deleted at the end
    with PostgresSaver.from_conn_string(DATABASE_URL) as saver:
        saver.setup()
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "worker", f"p{i}", run],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(PROCESSES)
        ]
        for _ in range(ROUNDS):
            lockstep(workers, "read")
            lockstep(workers, "wrote")
        lockstep(workers, "ready")
        for w in workers:
            w.communicate(timeout=300)
            assert w.returncode == 0, f"worker failed with exit code {w.returncode}"

        graph = builder.compile(checkpointer=saver)
        for label, runs in (("unlocked", ROUNDS), ("locked", RUNS_EACH)):
            config = {"configurable": {"thread_id": f"{label}-{run}"}}
            sent = 2 * PROCESSES * runs
            in_state = len(graph.get_state(config).values["messages"])
            stored = {m.id for s in graph.get_state_history(config) for m in s.values["messages"]}
            print(
                f"{label:>8}: {PROCESSES} processes x {runs} runs, {sent} messages, "
                f"{in_state} in get_state, {len(stored)} in the history"
            )
            saver.delete_thread(config["configurable"]["thread_id"])


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        race_then_lock(*sys.argv[2:4])
    else:
        main()
