# From docs/interrupts.md. Edit the page, then run `make snippets`.
from approval_tools import State, model, refund, send_email, side_effects, transfer
from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command, interrupt

NEEDS_APPROVAL = {"transfer", "refund"}


def review(state: State) -> Command:
    """One question for every risky call in the message, before any tool runs."""
    calls = state["messages"][-1].tool_calls
    risky = [f"{c['name']} {c['args']['amount']}" for c in calls if c["name"] in NEEDS_APPROVAL]
    if risky and not interrupt(f"approve {', '.join(risky)}?"):
        refused = [ToolMessage("Not approved, not run.", tool_call_id=c["id"]) for c in calls]
        return Command(goto=END, update={"messages": refused})  # every call gets its answer
    return Command(goto="tools")


builder = StateGraph(State)
builder.add_node("model", model)
builder.add_node("review", review, destinations=("tools", END))
builder.add_node("tools", ToolNode([send_email, transfer, refund]))  # tools that never ask
builder.add_edge(START, "model")
builder.add_edge("model", "review")
builder.add_edge("tools", END)
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "booking-2"}}

graph.invoke({"messages": [HumanMessage("sort out my booking")]}, config)
while pending := graph.get_state(config).interrupts:
    print("asked:", [i.value for i in pending])
    graph.invoke(Command(resume={i.id: True for i in pending}), config)
print("side effects:", side_effects)

config = {"configurable": {"thread_id": "booking-3"}}  # this time the human says no
graph.invoke({"messages": [HumanMessage("sort out my booking")]}, config)
graph.invoke(Command(resume=False), config)
after_no = graph.get_state(config).values["messages"][-3:]
print("after a no:", [(m.tool_call_id, m.content) for m in after_no])
