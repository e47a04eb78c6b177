# From docs/failures.md. Edit the page, then run `make snippets`.
"""The client reads the stream until the refund is issued, then disconnects."""

import asyncio
import json
import os
import uuid

import httpx
import psycopg

SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:8000")
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def leave_midway(http: httpx.AsyncClient, db, route: str) -> None:
    thread_id = str(uuid.uuid4())
    print(f"{route}:")
    request = {"text": "Please refund order 17."}
    async with http.stream("POST", f"/{route}/{thread_id}", params=request) as response:
        async for line in response.aiter_lines():
            print("  streamed:", line)
            if "custom" in json.loads(line):
                break  # the client goes: closes the connection mid-stream
    async for note in db.notifies(timeout=10, stop_after=1):  # the run has ended
        thread, what_ended = json.loads(note.payload)
        assert thread == thread_id
        print("  server:", what_ended)
    print("  saved:", (await http.get(f"/threads/{thread_id}")).json())


async def main() -> None:
    db = await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True)
    async with db, httpx.AsyncClient(base_url=SERVICE_URL, timeout=30) as http:
        await db.execute("LISTEN run_ended")
        await leave_midway(http, db, "inline")
        await leave_midway(http, db, "detached")


asyncio.run(main())
