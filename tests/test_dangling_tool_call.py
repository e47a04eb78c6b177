"""A new message on a thread whose tool call was never answered skips the tool.

The Failures page says a run that stopped between a tool call and its answer leaves a
dangling tool call: a resume runs the tool, while a new message does not, and the model
then gets a history whose tool call has no answer. The run here stops where a client's
disconnect stops it, after the model's step was saved and before the tool's.
"""

from __future__ import annotations

import asyncio

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


def test_a_new_message_after_a_dangling_tool_call() -> None:
    histories: list[list[str]] = []
    tool_runs: list[str] = []
    tool_up = False

    async def model(state: MessagesState) -> dict:
        histories.append([m.type for m in state["messages"]])
        if state["messages"][-1].type == "human" and len(state["messages"]) == 1:
            call = {"name": "refund", "args": {}, "id": "call-1"}
            return {"messages": [AIMessage("", tool_calls=[call])]}
        return {"messages": [AIMessage("answer")]}

    async def refund(state: MessagesState) -> dict:
        tool_runs.append("refund")
        if not tool_up:
            raise ConnectionError("run stopped before the tool's answer was saved")
        return {"messages": [ToolMessage("refund issued", tool_call_id="call-1")]}

    def route(state: MessagesState) -> str:
        return "refund" if state["messages"][-1].tool_calls else END

    builder = StateGraph(MessagesState)
    builder.add_node("model", model)
    builder.add_node("refund", refund)
    builder.add_edge(START, "model")
    builder.add_conditional_edges("model", route, ["refund", END])
    builder.add_edge("refund", "model")
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}

    async def scenario() -> None:
        nonlocal tool_up
        try:
            await graph.ainvoke({"messages": [("user", "refund order 17")]}, config)
        except ConnectionError:
            pass
        assert (await graph.aget_state(config)).next == ("refund",)
        tool_up = True
        await graph.ainvoke({"messages": [("user", "hello?")]}, config)

    asyncio.run(scenario())
    assert tool_runs == ["refund"]  # the new message did not run the tool
    assert histories[-1] == ["human", "ai", "human"]  # the call goes to the model unanswered
