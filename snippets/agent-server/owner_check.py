# From docs/agent-server.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid
from functools import partial

from langgraph_sdk import get_client
from langgraph_sdk.errors import APIStatusError

URL = os.environ.get("LANGGRAPH_URL", "http://127.0.0.1:2024")


def login(token: str | None, **headers: str):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return get_client(url=URL, headers=headers)


alice, mallory = login("alice-token"), login("mallory-token")
nobody, studio = login(None), login(None, **{"x-auth-scheme": "langsmith"})


async def answer(call) -> str:
    try:
        result = await call()
    except APIStatusError as refused:
        return f"refused, HTTP {refused.status_code}"
    return f"allowed: {result!r}"[:60]


def contents(state: dict) -> list[str]:
    return [m["content"] for m in state["values"]["messages"]]


async def main() -> None:
    async with alice, mallory, nobody, studio:
        thread = await alice.threads.create(metadata={"owner": "mallory"})  # a forged owner
        thread_id = thread["thread_id"]
        message = {"messages": [("user", "my card ends 4242")]}
        await alice.runs.wait(thread_id, "chat", input=message)
        print(f"alice's thread, owner stored: {thread['metadata']['owner']}")
        print(f"alice reads: {contents(await alice.threads.get_state(thread_id))}")

        print("mallory, who has learnt alice's thread ID:")
        forged = {"messages": [("user", "forged")]}
        for what, call in {
            "threads.get": partial(mallory.threads.get, thread_id),
            "threads.get_state": partial(mallory.threads.get_state, thread_id),
            "threads.get_history": partial(mallory.threads.get_history, thread_id),
            "runs.list": partial(mallory.runs.list, thread_id),
            "runs.create": partial(mallory.runs.create, thread_id, "chat", input=forged),
            "threads.update_state": partial(mallory.threads.update_state, thread_id, forged),
            "threads.update": partial(mallory.threads.update, thread_id, metadata={"x": 1}),
            "threads.delete": partial(mallory.threads.delete, thread_id),
            "threads.get of an ID no thread has": partial(mallory.threads.get, str(uuid.uuid4())),
            "threads.create with alice's ID": partial(mallory.threads.create, thread_id=thread_id),
        }.items():
            print(f"  {what:<36} {await answer(call)}")
        found = [t["thread_id"] for t in await mallory.threads.search()]
        print(f"  threads.search lists alice's thread: {thread_id in found}")
        store = partial(mallory.store.put_item, ["notes"], "k", {"v": 1})
        print(f"mallory, store.put_item (deny_by_default): {await answer(store)}")

        own = (await mallory.threads.create())["thread_id"]
        relabelled = await mallory.threads.update(own, metadata={"owner": "alice"})
        found = [t["thread_id"] for t in await alice.threads.search()]
        print("mallory sets owner='alice' on her own thread:")
        print(f"  owner stored: {relabelled['metadata']['owner']}")
        print(f"  alice's threads.search lists it: {own in found}")

        for who, client in (("no token", nobody), ("Studio header, no token", studio)):
            print(f"{who}: threads.get {await answer(partial(client.threads.get, thread_id))}")
        print(f"alice reads: {contents(await alice.threads.get_state(thread_id))}")


asyncio.run(main())
