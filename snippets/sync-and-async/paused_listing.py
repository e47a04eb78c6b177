# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import threading

from langgraph.checkpoint.sqlite import SqliteSaver
from one_step import builder, on_thread

with SqliteSaver.from_conn_string(":memory:") as saver:
    graph = builder.compile(checkpointer=saver)
    for _ in range(3):
        graph.invoke({"n": 0}, on_thread("history"))

    def other_run() -> tuple[threading.Thread, threading.Event]:
        done = threading.Event()
        run = lambda: (graph.invoke({"n": 0}, on_thread("other")), done.set())  # noqa: E731
        thread = threading.Thread(target=run)
        thread.start()
        return thread, done

    listing = saver.list(on_thread("history"), limit=2)
    first, last = next(listing), next(listing)  # all it holds, sent to a slow client
    thread, done = other_run()
    print("other run done after the last checkpoint was taken?", done.wait(timeout=0.5))
    listing.close()  # closed (or exhausted), the listing releases the saver
    print("other run done once the listing was closed?", done.wait(timeout=5))
    thread.join()

    page = list(saver.list(on_thread("history"), limit=2))  # the fix: collect, then send
    thread, done = other_run()
    print("other run done while the page is sent?", done.wait(timeout=5))
    thread.join()
    older = list(saver.list(on_thread("history"), before=page[-1].config, limit=2))
    print("first page:", len(page), "next page:", len(older))
