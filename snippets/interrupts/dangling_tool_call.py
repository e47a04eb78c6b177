# From docs/interrupts.md. Edit the page, then run `make snippets`.
import asyncio
from typing import Annotated, TypedDict

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition

booking_started = asyncio.Event()


@tool
async def book_flight(city: str) -> str:
    """Book a flight."""
    booking_started.set()
    await asyncio.Event().wait()  # a slow booking API: the run is cancelled meanwhile
    return "booked"


class Chat(TypedDict):
    messages: Annotated[list, add_messages]


def unanswered(messages: list) -> list[str]:
    """The ids of the last assistant message's tool calls that no ToolMessage follows."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], AIMessage):
            after = {m.tool_call_id for m in messages[index + 1 :] if isinstance(m, ToolMessage)}
            return [c["id"] for c in messages[index].tool_calls if c["id"] not in after]
    return []


def check_history(messages: list) -> None:
    """What a chat model provider checks: tool calls answered right after they are made."""
    for index, message in enumerate(messages):
        if isinstance(message, AIMessage) and message.tool_calls:
            following = messages[index + 1 : index + 1 + len(message.tool_calls)]
            answered = {m.tool_call_id for m in following if isinstance(m, ToolMessage)}
            if missing := [c["id"] for c in message.tool_calls if c["id"] not in answered]:
                raise ValueError(
                    "An assistant message with 'tool_calls' must be followed by tool "
                    "messages responding to each 'tool_call_id'. The following tool_call_ids "
                    f"did not have response messages: {', '.join(missing)}"
                )


def model(state: Chat) -> dict:
    """Stands in for a chat model; it refuses a broken history as providers do."""
    check_history(state["messages"])
    if state["messages"][-1].content == "fly me to Oslo":
        call = {"name": "book_flight", "args": {"city": "Oslo"}, "id": "call_7"}
        return {"messages": [AIMessage("", tool_calls=[call])]}
    return {"messages": [AIMessage("Anything else?")]}


builder = StateGraph(Chat)
builder.add_node("model", model)
builder.add_node("tools", ToolNode([book_flight]))
builder.add_edge(START, "model")
builder.add_conditional_edges("model", tools_condition)
builder.add_edge("tools", "model")
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "trip-7"}}


async def main() -> None:
    turn = asyncio.create_task(
        graph.ainvoke({"messages": [HumanMessage("fly me to Oslo")]}, config)
    )
    await booking_started.wait()
    turn.cancel()  # a client that disconnects, a deploy, a timeout
    await asyncio.gather(turn, return_exceptions=True)

    history = (await graph.aget_state(config)).values["messages"]
    print("unanswered after the cancel:", unanswered(history))
    try:
        check_history([*history, HumanMessage("hello?")])  # what the next turn would send
    except ValueError as error:
        print("the next turn fails:", error)

    # the repair, before the next turn: answer each dangling call as the tools node
    answers = [  # a cancelled call may have reached its API: say that the outcome is unknown
        ToolMessage("Cancelled; the outcome is unknown.", tool_call_id=call)
        for call in unanswered(history)
    ]
    await graph.aupdate_state(config, {"messages": answers}, as_node="tools")
    result = await graph.ainvoke({"messages": [HumanMessage("hello?")]}, config)
    print("after the repair:", [type(m).__name__ for m in result["messages"]])


asyncio.run(main())
