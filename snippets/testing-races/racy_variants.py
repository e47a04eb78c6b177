# From docs/testing-races.md. Edit the page, then run `make snippets`.
import threading
from contextlib import contextmanager

from interleaving import explore
from test_no_message_lost import (
    LockedChat,
    UnlockedChat,
    note_during_a_run,
    thread_config,
    two_messages,
)


class RawKeyChat(LockedChat):
    """Locks keyed by the raw thread ID: 1 and "1" get two locks."""

    def lock(self, thread_id):
        with self.guard:
            return self.locks.setdefault(thread_id, threading.Lock())


class HalfLockedChat(LockedChat):
    """A write outside the lock: note forgets it."""

    note = UnlockedChat.note


class ImpatientChat(LockedChat):
    """A lock whose wait times out after 10 ms, and the call goes on without it."""

    @contextmanager
    def lock(self, thread_id):
        lock = super().lock(thread_id)
        held = lock.acquire(timeout=0.01)
        try:
            yield
        finally:
            if held:
                lock.release()


class StaleReadChat(LockedChat):
    """A read before the locked section: it continues from the checkpoint it read."""

    def send(self, thread_id, text):
        seen = self.graph.get_state(thread_config(thread_id))
        with self.lock(thread_id):
            self.graph.invoke({"messages": [("user", text)]}, seen.config)


def outcome(scenario, app, **options) -> str:
    try:
        count = explore(lambda checkpointer: scenario(app(checkpointer)), **options)
    except (AssertionError, RuntimeError) as error:
        return f"FAILED: {error}"
    return f"passed, {count} schedule(s)"


if __name__ == "__main__":
    apps = UnlockedChat, RawKeyChat, HalfLockedChat, ImpatientChat, StaleReadChat, LockedChat
    for scenario in (two_messages, note_during_a_run):
        for app in apps:
            print(f"{scenario.__name__}, {app.__name__}: {outcome(scenario, app)}")
