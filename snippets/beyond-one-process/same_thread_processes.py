# From docs/beyond-one-process.md. Edit the page, then run `make snippets`.
import os
import subprocess
import sys
from contextlib import contextmanager

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PROCESSES, ROUNDS, RUNS_EACH = 8, 50, 5
LOCK_SPACE = 7001  # first key of our advisory locks, so they cannot clash with other uses


@contextmanager
def thread_lock(conn: psycopg.Connection, thread_id: str, wait_seconds: float = 30):
    """A PostgreSQL advisory lock per thread_id, held by this connection's session.

    Released on exit, and by the server if this process dies. The wait is bounded:
    psycopg.errors.LockNotAvailable after wait_seconds instead of a hang.
    """
    conn.execute(f"SET lock_timeout = '{int(wait_seconds * 1000)}ms'")
    conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (LOCK_SPACE, thread_id))
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (LOCK_SPACE, thread_id))


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


def worker(name: str) -> None:
    with (
        LockstepSaver.from_conn_string(DATABASE_URL) as saver,
        psycopg.connect(DATABASE_URL, autocommit=True) as lock_conn,
    ):
        graph = builder.compile(checkpointer=saver)
        # 1. No lock, and every round all processes read before any writes.
        config = {"configurable": {"thread_id": "unlocked"}}
        for n in range(ROUNDS):
            saver.armed = True
            graph.invoke({"messages": [("user", f"{name} round {n}")]}, config)
            print("wrote", flush=True)
            sys.stdin.readline()  # every process has written: the next round may start
        # 2. An advisory lock per thread_id; the processes run freely.
        print("ready", flush=True)
        sys.stdin.readline()
        config = {"configurable": {"thread_id": "locked"}}
        for n in range(RUNS_EACH):
            with thread_lock(lock_conn, "locked"):
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
    with PostgresSaver.from_conn_string(DATABASE_URL) as saver:
        saver.setup()
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "worker", f"p{i}"],
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
        for thread_id, runs in (("unlocked", ROUNDS), ("locked", RUNS_EACH)):
            sent = 2 * PROCESSES * runs
            kept = len(
                graph.get_state({"configurable": {"thread_id": thread_id}}).values["messages"]
            )
            print(
                f"{thread_id:>8}: {PROCESSES} processes x {runs} runs, "
                f"{sent} messages expected, {kept} on the thread, {sent - kept} lost"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        worker(sys.argv[2])
    else:
        main()
