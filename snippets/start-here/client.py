# From docs/start-here.md. Edit the page, then run `make snippets`.
"""Alice double-submits, retries after a failed run, deletes during a run; mallory pries."""

import asyncio
import os
import uuid

import httpx
import psycopg
from service import lock_key  # the key the service locks a thread with

SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:8000")
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
WAITERS = """SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
             AND (classid::bigint << 32 | objid::bigint) = %s"""
END_WAITER = """SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'
                AND NOT granted AND (classid::bigint << 32 | objid::bigint) = %s"""

END_IDLE = """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
              WHERE datname = current_database() AND state = 'idle' AND pid <> pg_backend_pid()"""


async def until_someone_waits(db, key: int, count: int = 1) -> None:
    """Until pg_locks shows `count` sessions waiting for this key (polls what we wait for)."""
    async with asyncio.timeout(30):  # a request that failed instead: TimeoutError, not a hang
        while (await (await db.execute(WAITERS, (key,))).fetchone())[0] < count:
            await asyncio.sleep(0.01)


async def main() -> None:
    alice, mallory = {"X-User": "alice"}, {"X-User": "mallory"}
    db = await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True)
    async with httpx.AsyncClient(base_url=SERVICE_URL, timeout=60) as http, db:
        thread_id = (await http.post("/threads", headers=alice)).json()["thread_id"]
        thread = f"/threads/{thread_id}"

        def say(text: str, key: str):
            headers = {**alice, "Idempotency-Key": key}
            return http.post(f"{thread}/messages", json={"text": text}, headers=headers)

        gate = lock_key(f"gate:{thread_id}")
        await db.execute("SELECT pg_advisory_lock(%s)", (gate,))  # the model waits for us
        first_key = str(uuid.uuid4())
        first = asyncio.create_task(say("first", first_key))
        await until_someone_waits(db, gate)
        print("first: its model is running, the thread's lock held")
        second = asyncio.create_task(say("second", str(uuid.uuid4())))
        await until_someone_waits(db, lock_key(f"langgraph-thread:{thread_id}"))
        print("second: waits for the thread's lock (seen in pg_locks)")
        await db.execute("SELECT pg_advisory_unlock(%s)", (gate,))  # the model may answer
        for name, task in (("first", first), ("second", second)):
            answer = await task
            print(f"{name}: {answer.status_code} {answer.json()}")

        retry = await say("first", first_key)  # the same message again, e.g. after a timeout
        print(f"first, sent again with its key: {retry.status_code} {retry.json()}")

        await db.execute("SELECT pg_advisory_lock(%s)", (gate,))
        third_key = str(uuid.uuid4())
        third = asyncio.create_task(say("third", third_key))
        await until_someone_waits(db, gate)
        await db.execute(END_WAITER, (gate,))  # the server ends the model's session mid-run
        await db.execute("SELECT pg_advisory_unlock(%s)", (gate,))
        answer = await third
        print(f"third: {answer.status_code} {answer.json()}")
        retry = await say("third", third_key)
        print(f"third, sent again with its key: {retry.status_code} {retry.json()}")
        print("alice reads:", (await http.get(thread, headers=alice)).json())

        for method in ("GET", "DELETE"):
            answer = await http.request(method, thread, headers=mallory)
            print(f"mallory {method}: {answer.status_code} {answer.json()}")
        answer = await say("x", "k" * 10_000)  # hostile input gets a 422, not a 500
        print(f"a 10 kB key: {answer.status_code} {answer.json()['detail'][0]['msg']}")

        await db.execute(END_IDLE)  # as idle_session_timeout or a failover would
        answer = await say("after", str(uuid.uuid4()))
        print(f"after the server ended every idle session: {answer.status_code} {answer.json()}")

        thread_lock = lock_key(f"langgraph-thread:{thread_id}")
        await db.execute("SELECT pg_advisory_lock(%s)", (thread_lock,))  # as a run holds it
        delete = asyncio.create_task(http.delete(thread, headers=alice))
        await until_someone_waits(db, thread_lock)
        late = asyncio.create_task(say("late", str(uuid.uuid4())))  # checked before the delete
        await until_someone_waits(db, thread_lock, 2)
        await db.execute("SELECT pg_advisory_unlock(%s)", (thread_lock,))  # the delete goes first
        for name, task in (("delete", delete), ("late", late)):
            answer = await task
            print(f"{name}: {answer.status_code} {answer.json()}")
        left = "SELECT count(*) FROM checkpoints WHERE thread_id = %s"
        print("checkpoints left:", (await (await db.execute(left, (thread_id,))).fetchone())[0])


asyncio.run(main())
