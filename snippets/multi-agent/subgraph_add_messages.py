# From docs/multi-agent.md. Edit the page, then run `make snippets`.
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.message import add_messages


def messages_researcher(state: MessagesState) -> dict:
    return {"messages": [AIMessage("research: three papers")]}


research_builder = StateGraph(MessagesState)
research_builder.add_node("research", messages_researcher)
research_builder.add_edge(START, "research")
research_builder.add_edge("research", END)

builder = StateGraph(MessagesState)  # messages: Annotated[list[AnyMessage], add_messages]
builder.add_node("research", research_builder.compile())  # the subgraph itself as a node
builder.add_edge(START, "research")
builder.add_edge("research", END)

result = builder.compile().invoke({"messages": [HumanMessage("hi"), HumanMessage("find papers")]})
for message in result["messages"]:
    print(f"  {message.type}: {message.content}")

# what add_messages does with IDs
history = add_messages([], [HumanMessage("hi")])  # the message gets an ID
print("same ID again:", len(add_messages(history, history)))  # replaced: still 1
print("a copy without the ID:", len(add_messages(history, [HumanMessage("hi")])))  # appended: 2
