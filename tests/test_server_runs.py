"""One run per thread at a time on the Agent Server (docs/agent-server.md), tried harder
than the page's demo: several queued runs, two rejects sent at once, a client that goes
away. Runs on the session's `langgraph dev`; the page's Gate holds a node until the test
says go."""

from __future__ import annotations

import asyncio
import importlib.util
import json

import pytest
from langgraph_sdk import get_client
from langgraph_sdk.errors import ConflictError

from tools.paths import SNIPPETS
from tools.services.agent_server import session
from tools.services.agent_server.process import AgentServer, ServerError
from tools.services.ci import require

_spec = importlib.util.spec_from_file_location(
    "agent_server_gate", SNIPPETS / "agent-server" / "gate.py"
)
_gate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gate)
Gate, run_status = _gate.Gate, _gate.run_status  # the page's own module

ALICE = {"Authorization": "Bearer alice-token"}


@pytest.fixture(scope="module")
def url() -> str:
    try:
        return session.session_server().url
    except ServerError as error:
        message = session.problem_message("tests/test_server_runs.py", error)
        if not error.missing:
            pytest.fail(message, pytrace=False)
        require(message, "server")


async def start_run(client, thread_id: str, text: str, gate: Gate, **options) -> dict:
    return await client.runs.create(
        thread_id,
        "chat",
        input={"messages": [("user", text)]},
        context={"gate_port": gate.port},
        **options,
    )


async def contents(client, thread_id: str) -> list[str]:
    return [m["content"] for m in (await client.threads.get_state(thread_id))["values"]["messages"]]


def test_queued_runs_run_one_at_a_time_in_the_order_sent(url):
    async def scenario() -> tuple[list[str], list[str]]:
        async with get_client(url=url, headers=ALICE) as client, Gate() as gate:
            thread_id = (await client.threads.create())["thread_id"]
            first = await start_run(client, thread_id, "first", gate)
            await gate.event(gate.arrived, "first").wait()
            queued = [
                await start_run(client, thread_id, text, gate, multitask_strategy="enqueue")
                for text in ("a", "b", "c")
            ]
            statuses = [await run_status(client, thread_id, r["run_id"]) for r in queued]
            gate.opened.set()
            await client.runs.join(thread_id, queued[-1]["run_id"])
            await client.runs.join(thread_id, first["run_id"])
            return statuses, await contents(client, thread_id)

    statuses, messages = asyncio.run(scenario())
    assert statuses == ["pending"] * 3
    assert messages == ["first", "re: first", "a", "re: a", "b", "re: b", "c", "re: c"]


@pytest.mark.parametrize("attempt", range(3))
def test_two_rejects_sent_at_once_to_an_idle_thread_one_is_refused(url, attempt):
    async def scenario() -> tuple[list[str], list[str]]:
        async with get_client(url=url, headers=ALICE) as client, Gate() as gate:
            thread_id = (await client.threads.create())["thread_id"]
            outcomes = await asyncio.gather(
                start_run(client, thread_id, "one", gate, multitask_strategy="reject"),
                start_run(client, thread_id, "two", gate, multitask_strategy="reject"),
                return_exceptions=True,
            )
            gate.opened.set()
            for run in outcomes:
                if isinstance(run, dict):
                    await client.runs.join(thread_id, run["run_id"])
            kinds = sorted(type(o).__name__ for o in outcomes)
            return kinds, await contents(client, thread_id)

    kinds, messages = asyncio.run(scenario())
    assert kinds == ["ConflictError", "dict"]
    assert len(messages) == 2  # one run's question and its answer


def test_a_client_that_disconnects_does_not_free_the_thread(url):
    """on_disconnect defaults to "continue": the run goes on, and the thread stays busy."""

    async def scenario() -> tuple[str, str, list[str]]:
        async with get_client(url=url, headers=ALICE) as client, Gate() as gate:
            thread_id = (await client.threads.create())["thread_id"]
            stream = client.runs.stream(
                thread_id,
                "chat",
                input={"messages": [("user", "first")]},
                context={"gate_port": gate.port},
            )
            first_run_id = None
            async for part in stream:  # read until the node is at the gate, then hang up
                if part.event == "metadata":
                    first_run_id = part.data["run_id"]
                    await gate.event(gate.arrived, "first").wait()
                    break
            await stream.aclose()
            try:
                await start_run(client, thread_id, "second", gate, multitask_strategy="reject")
                refused = "accepted"
            except ConflictError as error:
                refused = f"refused, HTTP {error.status_code}"
            gate.opened.set()
            await client.runs.join(thread_id, first_run_id)
            status = await run_status(client, thread_id, first_run_id)
            return refused, status, await contents(client, thread_id)

    refused, status, messages = asyncio.run(scenario())
    assert refused == "refused, HTTP 409"
    assert status == "success"
    assert messages == ["first", "re: first"]


THREAD_GRAPH = '''

async def reply_via_thread(state: MessagesState, runtime: Runtime[GateContext]) -> dict:
    """An async node that hands its blocking call to a worker thread."""
    return await asyncio.to_thread(reply_sync, state, runtime)


thread_graph = compile_chat(reply_via_thread)
'''


def with_a_thread_graph(files: dict[str, str]) -> None:
    config = json.loads(files["langgraph.json"])
    config["graphs"]["chat_thread"] = "./chat_graph.py:thread_graph"
    files["langgraph.json"] = json.dumps(config)
    files["chat_graph.py"] += THREAD_GRAPH


@pytest.fixture(scope="module")
def thread_graph_url():
    try:
        server = AgentServer.start(edit=with_a_thread_graph)
    except ServerError as error:
        message = session.problem_message("tests/test_server_runs.py", error)
        if not error.missing:
            pytest.fail(message, pytrace=False)
        require(message, "server")
    yield server.url
    server.stop()


@pytest.mark.parametrize("strategy", ["interrupt", "rollback"])
def test_work_an_async_node_hands_to_a_thread_is_not_stopped(thread_graph_url, strategy):
    """The cancelled node's await ends, but its asyncio.to_thread call runs on beside the
    second run, as a sync node does."""

    async def scenario() -> tuple[str, bool, str, list[str]]:
        async with get_client(url=thread_graph_url, headers=ALICE) as client, Gate() as gate:
            thread_id = (await client.threads.create())["thread_id"]

            async def start(text: str, **options) -> dict:
                return await client.runs.create(
                    thread_id,
                    "chat_thread",
                    input={"messages": [("user", text)]},
                    context={"gate_port": gate.port},
                    **options,
                )

            first = await start("first")
            await gate.event(gate.arrived, "first").wait()
            second = await start("second", multitask_strategy=strategy)
            first_status = await run_status(client, thread_id, first["run_id"])
            await asyncio.wait_for(gate.event(gate.arrived, "second").wait(), timeout=30)
            both = not gate.event(gate.left, "first").is_set()
            gate.opened.set()
            await client.runs.join(thread_id, second["run_id"])
            await asyncio.wait_for(gate.event(gate.left, "first").wait(), timeout=30)
            return first_status, both, gate.fate["first"], await contents(client, thread_id)

    first_status, both, fate, messages = asyncio.run(scenario())
    assert first_status == ("interrupted" if strategy == "interrupt" else "not found (HTTP 404)")
    assert both, "the first run's thread had stopped when the second run's node started"
    assert fate == "released, and finished"
    assert messages[-2:] == ["second", "re: second"] and "re: first" not in messages
