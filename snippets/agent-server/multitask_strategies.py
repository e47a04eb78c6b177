# From docs/agent-server.md. Edit the page, then run `make snippets`.
import asyncio
import os

from gate import Gate, run_status
from langgraph_sdk import get_client
from langgraph_sdk.errors import ConflictError

URL = os.environ.get("LANGGRAPH_URL", "http://127.0.0.1:2024")
ALICE = {"Authorization": "Bearer alice-token"}  # a login that owner_auth.py accepts


async def collide(client, strategy: str | None) -> None:
    """A first run is busy on a thread when a second one arrives with this strategy."""
    async with Gate() as gate:
        thread_id = (await client.threads.create())["thread_id"]

        async def send(text: str, **options) -> dict:
            return await client.runs.create(
                thread_id,
                "chat",
                input={"messages": [("user", text)]},
                context={"gate_port": gate.port},
                **options,
            )

        first = await send("first")
        await gate.event(gate.arrived, "first").wait()  # the first run is running
        try:
            second = await send("second", **({"multitask_strategy": strategy} if strategy else {}))
            second_status = f"created {second['status']}, then "
        except ConflictError as refused:
            second, second_status = None, f"refused, HTTP 409: {refused.body['detail']}"
        first_status = await run_status(client, thread_id, first["run_id"])
        if first_status != "running":
            await gate.event(gate.left, "first").wait()  # it is being cancelled: let it stop
        gate.opened.set()
        await client.runs.join(thread_id, (second or first)["run_id"])

        if second:
            second_status += await run_status(client, thread_id, second["run_id"])
        first_end = await run_status(client, thread_id, first["run_id"])
        history = await client.threads.get_history(thread_id, limit=20)
        kept = sum(c["metadata"].get("run_id") == first["run_id"] for c in history)
        messages = (await client.threads.get_state(thread_id))["values"]["messages"]
        print(f"multitask_strategy={strategy!r}" + (" (not sent)" if strategy is None else ""))
        print(f"  first run:  {first_status} when the second was sent; at the end {first_end}")
        print(f"    its node: {gate.fate['first']}")
        print(f"  second run: {second_status}")
        print(f"  checkpoints of the first run on the thread: {kept}")
        print(f"  messages on the thread: {[m['content'] for m in messages]}")


async def edit_while_busy(client) -> None:
    """update_state on a thread whose run is busy."""
    async with Gate() as gate:
        thread_id = (await client.threads.create())["thread_id"]
        run = await client.runs.create(
            thread_id,
            "chat",
            input={"messages": [("user", "first")]},
            context={"gate_port": gate.port},
        )
        await gate.event(gate.arrived, "first").wait()
        try:
            await client.threads.update_state(thread_id, {"messages": [("user", "edited")]})
            outcome = "accepted"
        except ConflictError as refused:
            outcome = f"refused, HTTP {refused.status_code}"
        gate.opened.set()
        await client.runs.join(thread_id, run["run_id"])
        messages = (await client.threads.get_state(thread_id))["values"]["messages"]
        print(f"update_state while a run is busy: {outcome}")
        print(f"  messages on the thread: {[m['content'] for m in messages]}")


client = get_client(url=URL, headers=ALICE)


async def main() -> None:
    async with client:
        for strategy in ("reject", "enqueue", "interrupt", "rollback", None):
            await collide(client, strategy)
        await edit_while_busy(client)


asyncio.run(main())
