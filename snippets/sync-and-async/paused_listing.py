# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import threading

from langgraph.checkpoint.sqlite import SqliteSaver
from one_step import builder, config

with SqliteSaver.from_conn_string(":memory:") as saver:
    graph = builder.compile(checkpointer=saver)
    for _ in range(3):
        graph.invoke({"n": 0}, config("history"))

    def other_run() -> tuple[threading.Thread, threading.Event]:
        done = threading.Event()
        run = lambda: (graph.invoke({"n": 0}, config("other")), done.set())  # noqa: E731
        thread = threading.Thread(target=run)
        thread.start()
        return thread, done

    listing = saver.list(config("history"))
    first = next(listing)  # sent to a slow client; the listing stays open
    thread, done = other_run()
    print("other run done while the listing is open?", done.wait(timeout=0.5))
    rest = list(listing)  # the listing ends and releases the saver
    print("other run done once it ended?", done.wait(timeout=5))
    thread.join()

    page = list(saver.list(config("history"), limit=2))  # the fix: collect, then send
    thread, done = other_run()
    print("other run done while the page is sent?", done.wait(timeout=5))
    thread.join()
    older = list(saver.list(config("history"), before=page[-1].config, limit=2))
    print("checkpoints:", 1 + len(rest), "first page:", len(page), "next page:", len(older))
