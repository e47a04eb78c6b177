# From docs/agent-server.md. Edit the page, then run `make snippets`.
import asyncio
import os

from gate import Gate, run_status
from langgraph_sdk import get_client

URL = os.environ.get("LANGGRAPH_URL", "http://127.0.0.1:2024")
ALICE = {"Authorization": "Bearer alice-token"}


async def collide_on_sync_node(client, strategy: str) -> None:
    async with Gate() as gate:
        thread_id = (await client.threads.create())["thread_id"]

        async def start_sync_run(text: str, **options) -> dict:
            return await client.runs.create(
                thread_id,
                "chat_sync",
                input={"messages": [("user", text)]},
                context={"gate_port": gate.port},
                **options,
            )

        first = await start_sync_run("first")
        await gate.event(gate.arrived, "first").wait()
        second = await start_sync_run("second", multitask_strategy=strategy)
        first_status = await run_status(client, thread_id, first["run_id"])
        await asyncio.wait_for(gate.event(gate.arrived, "second").wait(), timeout=30)
        both = not gate.event(gate.left, "first").is_set()  # the first node still at the gate
        gate.opened.set()
        await client.runs.join(thread_id, second["run_id"])
        await asyncio.wait_for(gate.event(gate.left, "first").wait(), timeout=30)
        messages = (await client.threads.get_state(thread_id))["values"]["messages"]
        print(f"sync node, multitask_strategy={strategy!r}")
        print(f"  first run: {first_status} once the second was sent")
        print(f"  both runs' nodes at work at once: {both}")
        print(f"  the first run's node: {gate.fate['first']}")
        print(f"  messages on the thread: {[m['content'] for m in messages]}")


async def main() -> None:
    async with get_client(url=URL, headers=ALICE) as client:
        for strategy in ("interrupt", "rollback"):
            await collide_on_sync_node(client, strategy)


asyncio.run(main())
