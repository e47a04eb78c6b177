# From docs/reducers.md. Edit the page, then run `make snippets`.
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph


def draft(name: str):
    def branch_reply(state: MessagesState) -> dict:
        # each branch builds its reply with the id its template gives every reply
        return {"messages": [AIMessage(f"{name} found 3 results", id="search-reply")]}

    return branch_reply


builder = StateGraph(MessagesState)
for name in ("web", "docs"):
    builder.add_node(name, draft(name))
    builder.add_edge(START, name)
    builder.add_edge(name, END)
graph = builder.compile()

result = graph.invoke({"messages": [("user", "find it")]})
print([m.content for m in result["messages"]])
