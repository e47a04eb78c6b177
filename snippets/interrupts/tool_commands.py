# From docs/interrupts.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.errors import InvalidUpdateError
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

ran: list[str] = []


class Booking(TypedDict):
    messages: Annotated[list, add_messages]
    city: str  # no reducer


@tool
def pick_city(city: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Remember the city the user chose."""
    done = ToolMessage(f"city set to {city}", tool_call_id=tool_call_id)
    return Command(update={"city": city, "messages": [done]})


@tool
def escalate(tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Hand the conversation to a human."""
    done = ToolMessage("escalated", tool_call_id=tool_call_id)
    return Command(goto="human", update={"messages": [done]})


def model_calling(*calls: tuple[str, dict]):
    """A stand-in chat model that makes these tool calls in one message."""
    tool_calls = [{"name": n, "args": a, "id": f"call_{i}"} for i, (n, a) in enumerate(calls)]
    return lambda state: {"messages": [AIMessage("", tool_calls=tool_calls)]}


def human(state: Booking) -> dict:
    ran.append("human")
    return {}


def reply(state: Booking) -> dict:
    ran.append("reply")
    return {}


def after_tools(state: Booking) -> list[str]:
    """The fix: no static edge out of the tools; go on to reply unless a tool handed off."""
    asked = next(m for m in reversed(state["messages"]) if isinstance(m, AIMessage))
    handed_off = any(call["name"] == "escalate" for call in asked.tool_calls)
    return [] if handed_off else ["reply"]  # by the calls made: the last message may be another's


def tools_graph(model, tools, fixed: bool = False):
    builder = StateGraph(Booking)
    builder.add_node("model", model)
    builder.add_node("tools", ToolNode(tools))
    builder.add_node("human", human)
    builder.add_node("reply", reply)
    builder.add_edge(START, "model")
    builder.add_edge("model", "tools")
    if fixed:
        builder.add_conditional_edges("tools", after_tools, ["reply"])
    else:
        builder.add_edge("tools", "reply")  # a static edge out of the tools
    builder.add_edge("human", "reply")
    builder.add_edge("reply", END)
    return builder.compile()


two_cities = model_calling(("pick_city", {"city": "Oslo"}), ("pick_city", {"city": "Rome"}))
try:
    tools_graph(two_cities, [pick_city]).invoke({"messages": [HumanMessage("Oslo or Rome")]})
except InvalidUpdateError as error:
    print("two updates of city:", str(error).splitlines()[0])

tools_graph(model_calling(("escalate", {})), [escalate]).invoke(
    {"messages": [HumanMessage("help")]}
)
print("after escalate, static edge:", ran)
ran.clear()
tools_graph(model_calling(("escalate", {})), [escalate], fixed=True).invoke(
    {"messages": [HumanMessage("help")]}
)
print("after escalate, routed:", ran)
ran.clear()
both = model_calling(("escalate", {}), ("pick_city", {"city": "Oslo"}))
tools_graph(both, [escalate, pick_city], fixed=True).invoke({"messages": [HumanMessage("help")]})
print("after escalate and pick_city, routed:", ran)
