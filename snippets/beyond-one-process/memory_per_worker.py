# From docs/beyond-one-process.md. Edit the page, then run `make snippets`.
import subprocess
import sys

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


def serve() -> None:
    """One worker process: its own InMemorySaver, one request per input line."""
    builder = StateGraph(MessagesState).add_node("reply", reply)
    graph = builder.add_edge(START, "reply").add_edge("reply", END).compile(InMemorySaver())
    config = {"configurable": {"thread_id": "chat-1"}}
    for line in sys.stdin:
        state = graph.invoke({"messages": [("user", line.strip())]}, config)
        print(len(state["messages"]) // 2, flush=True)  # turns this worker remembers


if __name__ == "__main__":
    if sys.argv[1:] == ["worker"]:
        serve()
    else:
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for turn in range(1, 5):  # a load balancer sends the turns of one chat in turn
            worker = workers[turn % 2]
            worker.stdin.write(f"turn {turn}\n")
            worker.stdin.flush()
            print(
                f"turn {turn} -> worker {turn % 2}: it remembers {worker.stdout.readline().strip()} turns"
            )
        for worker in workers:
            worker.stdin.close()
            worker.stdout.close()
            worker.wait(timeout=60)
