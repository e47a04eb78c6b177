# From docs/start-here.md. Edit the page, then run `make snippets`.
"""A chat service on FastAPI and PostgreSQL: one writer per thread across worker processes.

Run `python service.py` once (LangGraph's tables), then `uvicorn service:app --workers 3`.
"""

import asyncio
import hashlib
import os
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

import psycopg
from fastapi import Depends, FastAPI, Header, HTTPException, Path, Request
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.runtime import Runtime
from langgraph.store.postgres.aio import AsyncPostgresStore
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


# what a request may name: a thread ID this server made, a key that fits an index
ThreadId = Annotated[str, Path(pattern="^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")]
IdempotencyKey = Annotated[str, Header(min_length=8, max_length=100, pattern="^[!-~]+$")]


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key (blake2b: no practical collisions)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# ---- the graph: a stand-in model, and a side effect keyed by the message's ID


@dataclass
class Caller:
    user: str


async def model(state: MessagesState, runtime: Runtime[Caller]) -> dict:
    """Stands in for a model call. It waits while a test holds this thread's gate."""
    thread_id, message = runtime.execution_info.thread_id, state["messages"][-1]
    gate = lock_key(f"gate:{thread_id}")
    async with await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (gate,))
    # the side effect: one usage record per message, under the message's ID, so a node
    # that runs again (a retry policy, a resumed run) writes the same record again
    await runtime.store.aput(("usage", thread_id), message.id, {"user": runtime.context.user})
    return {"messages": [("assistant", f"echo: {message.content}")]}


builder = StateGraph(MessagesState, context_schema=Caller)
builder.add_node("model", model)
builder.add_edge(START, "model")
builder.add_edge("model", END)


# ---- one pool for LangGraph, one for the locks; opened on the worker's event loop


async def bounded_wait(conn) -> None:
    await conn.execute("SET lock_timeout = '60s'")  # a second message waits at most a minute


async def drop_leftover_locks(conn) -> None:
    await conn.execute("SELECT pg_advisory_unlock_all()")  # before the connection is lent again


@asynccontextmanager
async def lifespan(app: FastAPI):
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    check = AsyncConnectionPool.check_connection  # a session the server ended is replaced
    pool = AsyncConnectionPool(
        DATABASE_URL, min_size=1, max_size=4, kwargs=kwargs, check=check, open=False
    )
    lock_pool = AsyncConnectionPool(
        DATABASE_URL,
        min_size=1,
        max_size=10,  # one per request that holds or waits for a thread's lock
        kwargs={"autocommit": True},
        check=check,
        configure=bounded_wait,
        reset=drop_leftover_locks,
        open=False,
    )
    async with pool, lock_pool:
        app.state.store = AsyncPostgresStore(pool)
        app.state.graph = builder.compile(
            checkpointer=AsyncPostgresSaver(pool), store=app.state.store
        )
        app.state.lock_pool = lock_pool
        yield


app = FastAPI(lifespan=lifespan)


# ---- who is asking, whose thread it is, and one writer per thread


def current_user(x_user: str = Header()) -> str:
    """Stands in for your authentication: the user comes from the login, never the body."""
    return x_user


async def owned(request: Request, user: str, thread_id: str) -> dict:
    """The thread's config, for its owner only: the same 404 for unknown and not yours."""
    item = await request.app.state.store.aget(("threads",), thread_id)
    if item is None or item.value["owner"] != user:
        raise HTTPException(404, "no such thread")
    return {"configurable": {"thread_id": thread_id}}


@asynccontextmanager
async def one_writer(request: Request, user: str, thread_id: str):
    """Held for the whole run: one request per thread, across every worker process."""
    await owned(request, user, thread_id)  # a stranger never waits for the lock
    key = lock_key(f"langgraph-thread:{thread_id}")  # str(thread_id): 1 and "1" are one thread
    async with request.app.state.lock_pool.connection() as conn:  # runs never use this pool
        try:
            await conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        except psycopg.errors.LockNotAvailable:
            raise HTTPException(409, "the thread is busy: try again") from None
        try:  # checked again under the lock: a delete may have gone first
            yield await owned(request, user, thread_id)
        finally:  # on the connection that took it, before it goes back to the pool
            await conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


async def reply_to(graph, config: dict, message_id: str) -> str | None:
    """The answer the thread holds for this message; None if a later message came first."""
    messages = (await graph.aget_state(config)).values["messages"]
    following = [i + 1 for i, m in enumerate(messages) if m.id == message_id][0]
    answer = messages[following] if following < len(messages) else None
    return answer.content if isinstance(answer, AIMessage) else None


class Message(BaseModel):
    text: str


@app.post("/threads")
async def new_thread(request: Request, user: str = Depends(current_user)) -> dict:
    thread_id = str(uuid.uuid4())  # made by the server, recorded with its owner
    await request.app.state.store.aput(("threads",), thread_id, {"owner": user})
    return {"thread_id": thread_id}


@app.post("/threads/{thread_id}/messages")
async def post_message(
    thread_id: ThreadId,
    message: Message,
    request: Request,
    idempotency_key: IdempotencyKey,
    user: str = Depends(current_user),
) -> dict:
    graph = request.app.state.graph
    async with one_writer(request, user, thread_id) as config:
        try:
            state = await graph.aget_state(config)
            if any(m.id == idempotency_key for m in state.values.get("messages", [])):
                if state.next:  # a retry of a message whose run stopped midway: finish it
                    await graph.ainvoke(None, config, context=Caller(user))
                return {"replayed": True, "reply": await reply_to(graph, config, idempotency_key)}
            human = HumanMessage(message.text, id=idempotency_key)
            result = await graph.ainvoke({"messages": [human]}, config, context=Caller(user))
        except psycopg.OperationalError:  # e.g. the server ended a session the run used
            raise HTTPException(503, "the run stopped midway: send it again, same key") from None
    return {"replayed": False, "reply": result["messages"][-1].content}


@app.get("/threads/{thread_id}")
async def read_thread(
    thread_id: ThreadId, request: Request, user: str = Depends(current_user)
) -> dict:
    config = await owned(request, user, thread_id)  # a read needs the owner, not the lock
    state = await request.app.state.graph.aget_state(config)
    messages = state.values.get("messages", [])
    usage = [await request.app.state.store.aget(("usage", thread_id), m.id) for m in messages]
    return {"messages": [m.content for m in messages], "usage_records": sum(map(bool, usage))}


@app.delete("/threads/{thread_id}")
async def delete_thread(
    thread_id: ThreadId, request: Request, user: str = Depends(current_user)
) -> dict:
    graph, store = request.app.state.graph, request.app.state.store
    async with one_writer(request, user, thread_id) as config:
        for m in (await graph.aget_state(config)).values.get("messages", []):
            await store.adelete(("usage", thread_id), m.id)
        await graph.checkpointer.adelete_thread(thread_id)
        await store.adelete(("threads",), thread_id)
    return {"deleted": thread_id}


async def setup() -> None:
    """Create or migrate LangGraph's tables: once, before the workers start."""
    async with (
        AsyncPostgresSaver.from_conn_string(DATABASE_URL) as checkpointer,
        AsyncPostgresStore.from_conn_string(DATABASE_URL) as store,
    ):
        await checkpointer.setup()
        await store.setup()
    print("LangGraph's tables are ready")


if __name__ == "__main__":
    asyncio.run(setup())
