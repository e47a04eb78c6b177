# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os
import subprocess
import sys
import uuid
from contextlib import asynccontextmanager

from advisory_locks import AdvisoryLocks, new_lock_pool
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PROCESSES, THREADS, REQUESTS_PER_THREAD = 3, 3, 3  # in each process, all at once


@asynccontextmanager
async def service(url: str):
    """One worker process's resources: a pool for LangGraph, a small pool for locks."""
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    pool = AsyncConnectionPool(url, min_size=2, max_size=2, kwargs=kwargs, open=False)
    lock_pool = new_lock_pool(url)
    async with pool, lock_pool:
        yield AsyncPostgresSaver(pool), AdvisoryLocks(lock_pool)


async def reply(state: MessagesState) -> dict:
    await asyncio.sleep(0)  # an await inside the node, as a model call would have
    return {"messages": [("assistant", f"re: {state['messages'][-1].content}")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)


async def worker(name: str, run: str) -> None:
    async with service(DATABASE_URL) as (checkpointer, locks):
        graph = builder.compile(checkpointer=checkpointer)

        async def request(thread_id: str, text: str) -> None:
            config = {"configurable": {"thread_id": thread_id}}
            async with locks.hold(f"langgraph-thread:{thread_id}"):
                await graph.ainvoke({"messages": [("user", text)]}, config)

        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)  # every process starts together
        await asyncio.gather(
            *(
                request(f"t{t}-{run}", f"{name} request {i}")
                for t in range(THREADS)
                for i in range(REQUESTS_PER_THREAD)
            )
        )


async def report(run: str) -> None:
    async with service(DATABASE_URL) as (checkpointer, _):
        graph = builder.compile(checkpointer=checkpointer)
        sent = PROCESSES * REQUESTS_PER_THREAD
        for t in range(THREADS):
            config = {"configurable": {"thread_id": f"t{t}-{run}"}}
            state = await graph.aget_state(config)
            history = [s async for s in graph.aget_state_history(config)]
            parents = {
                s.parent_config["configurable"]["checkpoint_id"] for s in history if s.parent_config
            }
            tips = [s for s in history if s.config["configurable"]["checkpoint_id"] not in parents]
            human = sum(m.type == "human" for m in state.values["messages"])
            print(f"thread {t}: {sent} requests, {human} in get_state, branches: {len(tips)}")
            await checkpointer.adelete_thread(config["configurable"]["thread_id"])


async def prepare() -> None:
    async with service(DATABASE_URL) as (checkpointer, _):
        await checkpointer.setup()


def main() -> None:
    run = uuid.uuid4().hex[:8]  # thread IDs of this run only, deleted at the end
    asyncio.run(prepare())
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "worker", f"p{i}", run],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    for w in workers:
        assert w.stdout.readline() == "ready\n"
    for w in workers:
        w.stdin.write("go\n")
        w.stdin.flush()
    for w in workers:
        w.communicate(timeout=120)
        assert w.returncode == 0, f"worker failed with exit code {w.returncode}"
    print(
        f"{PROCESSES} processes, each: {THREADS} threads x {REQUESTS_PER_THREAD} requests at once, "
        "LangGraph pool max_size=2, lock pool max_size=2"
    )
    asyncio.run(report(run))


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        asyncio.run(worker(*sys.argv[2:4]))
    else:
        main()
