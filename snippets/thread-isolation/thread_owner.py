# From docs/thread-isolation.md. Edit the page, then run `make snippets`.
import uuid

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph


class NotYourThread(PermissionError):
    pass


class Conversations:
    """Thread IDs made by the server, and an owner check before every call on a thread."""

    def __init__(self, graph):
        self.graph = graph
        self._owners: dict[str, str] = {}  # in a service: a table in your database

    def start(self, user: str) -> str:
        thread = str(uuid.uuid4())
        self._owners[thread] = user
        return thread

    def _config(self, user: str, thread: str) -> dict:
        if self._owners.get(thread) != user:  # unknown threads are refused the same way
            raise NotYourThread(f"{user} may not use this thread")
        return {"configurable": {"thread_id": thread}}

    def send(self, user: str, thread: str, text: str) -> None:
        self.graph.invoke({"messages": [("user", text)]}, self._config(user, thread))

    def messages(self, user: str, thread: str) -> list[str]:
        state = self.graph.get_state(self._config(user, thread))
        return [m.content for m in state.values.get("messages", [])]

    def edit(self, user: str, thread: str, text: str) -> None:
        self.graph.update_state(self._config(user, thread), {"messages": [("user", text)]})


def reply(state: MessagesState) -> dict:
    return {"messages": [("assistant", "noted")]}


builder = StateGraph(MessagesState)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
builder.add_edge("reply", END)
graph = builder.compile(checkpointer=InMemorySaver())
app = Conversations(graph)

alice_thread = app.start("alice")
app.send("alice", alice_thread, "my card ends 4242")
print("alice reads:", app.messages("alice", alice_thread))

# mallory has learnt alice's thread ID, and the user name comes from mallory's login
for attempt in (
    lambda: app.messages("mallory", alice_thread),
    lambda: app.send("mallory", alice_thread, "hi"),
    lambda: app.edit("mallory", alice_thread, "forged"),
):
    try:
        attempt()
    except NotYourThread as refused:
        print("refused:", refused)

# the check lives in Conversations: code that calls the graph directly skips it
leaked = graph.get_state({"configurable": {"thread_id": alice_thread}}).values["messages"]
print("graph.get_state with the leaked ID, no check:", [m.content for m in leaked])
