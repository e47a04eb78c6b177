# From docs/interrupts.md. Edit the page, then run `make snippets`.
"""Three tools and a stand-in model that calls all three in one message."""

from typing import Annotated, TypedDict

from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph.message import add_messages

side_effects: list[str] = []  # what really happened, in order


@tool
def send_email(to: str) -> str:
    """Send an email."""
    side_effects.append(f"email to {to}")
    return "sent"


@tool
def transfer(amount: int) -> str:
    """Move money."""
    side_effects.append(f"transfer {amount}")
    return "done"


@tool
def refund(amount: int) -> str:
    """Refund money."""
    side_effects.append(f"refund {amount}")
    return "done"


class State(TypedDict):
    messages: Annotated[list, add_messages]


def model(state: State) -> dict:
    """Stands in for a chat model that calls three tools at once."""
    calls = [
        {"name": "send_email", "args": {"to": "ana"}, "id": "call_1"},
        {"name": "transfer", "args": {"amount": 5}, "id": "call_2"},
        {"name": "refund", "args": {"amount": 7}, "id": "call_3"},
    ]
    return {"messages": [AIMessage("", tool_calls=calls)]}
