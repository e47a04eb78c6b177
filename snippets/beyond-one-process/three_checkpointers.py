# From docs/beyond-one-process.md. Edit the page, then run `make snippets`.
import os
import tempfile
import uuid
from contextlib import ExitStack

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, MessagesState, StateGraph

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class TopicState(MessagesState):
    user_name: str
    topic: str


def greet(state: TopicState) -> dict:
    greeting = f"Hello {state['user_name']}! Let's discuss {state['topic']}."
    return {"messages": [{"role": "assistant", "content": greeting}]}


builder = StateGraph(TopicState)
builder.add_node("respond", greet)
builder.add_edge(START, "respond")
builder.add_edge("respond", END)


def check_isolation(checkpointer) -> None:
    graph = builder.compile(checkpointer=checkpointer)
    run = uuid.uuid4().hex  # thread IDs of this run only, deleted below
    config_a = {"configurable": {"thread_id": f"alice-{run}"}}
    config_b = {"configurable": {"thread_id": f"bob-{run}"}}
    graph.invoke({"messages": [("user", "Hi")], "user_name": "Alice", "topic": "Python"}, config_a)
    graph.invoke({"messages": [("user", "Hey")], "user_name": "Bob", "topic": "Rust"}, config_b)
    for config in (config_a, config_b):
        values = graph.get_state(config).values
        print(
            f"  {values['user_name']:>5} sees: {values['topic']}, {len(values['messages'])} messages"
        )
        checkpointer.delete_thread(config["configurable"]["thread_id"])


with ExitStack() as stack:
    folder = stack.enter_context(tempfile.TemporaryDirectory())
    sqlite = stack.enter_context(SqliteSaver.from_conn_string(os.path.join(folder, "chat.sqlite")))
    postgres = stack.enter_context(PostgresSaver.from_conn_string(DATABASE_URL))
    postgres.setup()  # creates the checkpoint tables once; safe to call again
    for checkpointer in (InMemorySaver(), sqlite, postgres):
        print(type(checkpointer).__name__)
        check_isolation(checkpointer)
