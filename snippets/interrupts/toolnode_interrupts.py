# From docs/interrupts.md. Edit the page, then run `make snippets`.
from approval_tools import State, model, refund, send_email, side_effects, transfer
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command, interrupt


def asks_first(action):
    """The same tool, but it asks a human inside the tool call."""

    @tool(action.name, description=action.description)
    def ask_then_act(amount: int) -> str:
        if interrupt(f"approve {action.name} {amount}?"):
            return action.invoke({"amount": amount})
        return "not approved"

    return ask_then_act


builder = StateGraph(State)
builder.add_node("model", model)
builder.add_node("tools", ToolNode([send_email, asks_first(transfer), asks_first(refund)]))
builder.add_edge(START, "model")
builder.add_edge("model", "tools")
builder.add_edge("tools", END)
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "booking-1"}}

graph.invoke({"messages": [HumanMessage("sort out my booking")]}, config)
while pending := graph.get_state(config).interrupts:
    print("asked:", [i.value for i in pending])
    graph.invoke(Command(resume={i.id: True for i in pending}), config)
print("side effects:", side_effects)
