# From docs/beyond-one-process.md. Edit the page, then run `make snippets`.
import os
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager

from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, MessagesState, StateGraph

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TURNS = 10


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


@contextmanager
def open_saver(backend: str, where: str):
    saver_class = SqliteSaver if backend == "sqlite" else PostgresSaver
    with saver_class.from_conn_string(where) as saver:
        yield saver


def talk_on_own_thread(backend: str, where: str, thread_id: str) -> None:
    """One OS process: waits for the start signal, then talks on its own thread."""
    with open_saver(backend, where) as saver:
        graph = builder.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": thread_id}}
        print("ready", flush=True)
        sys.stdin.readline()  # start signal: both processes begin together
        for turn in range(TURNS):
            graph.invoke({"messages": [("user", f"{thread_id} turn {turn}")]}, config)


def run_two_processes(backend: str, where: str) -> None:
    with open_saver(backend, where) as saver:
        saver.setup()  # create the tables before the workers start
    run = uuid.uuid4().hex  # thread IDs of this run only, deleted below
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "worker", backend, where, f"{label}-{run}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for label in ("process-a", "process-b")
    ]
    for w in workers:
        assert w.stdout.readline() == "ready\n"
    for w in workers:
        w.stdin.write("go\n")
        w.stdin.flush()
    for w in workers:
        w.communicate(timeout=120)
        assert w.returncode == 0, f"worker failed with exit code {w.returncode}"

    with open_saver(backend, where) as saver:
        graph = builder.compile(checkpointer=saver)
        print(type(saver).__name__)
        for label in ("process-a", "process-b"):
            thread_id = f"{label}-{run}"
            config = {"configurable": {"thread_id": thread_id}}
            messages = graph.get_state(config).values["messages"]
            checkpoints = list(saver.list(config))
            own = all(m.content.startswith(("re: " + thread_id, thread_id)) for m in messages)
            print(
                f"  {label}: {len(messages)} of {2 * TURNS} messages, "
                f"{len(checkpoints)} checkpoints, only its own messages: {own}"
            )
            saver.delete_thread(thread_id)


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        talk_on_own_thread(*sys.argv[2:5])
    else:
        with tempfile.TemporaryDirectory() as folder:
            run_two_processes("sqlite", os.path.join(folder, "chat.sqlite"))
        run_two_processes("postgres", DATABASE_URL)
