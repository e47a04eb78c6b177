# From docs/testing-races.md. Edit the page, then run `make snippets`.
import math

from interleaving import assert_nothing_lost
from racy_variants import RawKeyChat, outcome


def two_users(chat):
    """User 1 sends twice (as 1 and "1") while user 2 sends two messages in a row."""
    chat.send(1, "hello")

    def user_2():
        chat.send(2, "a")
        chat.send(2, "b")

    def check_both_threads():
        assert_nothing_lost(chat.graph, "1")
        assert_nothing_lost(chat.graph, "2")

    calls = [lambda: chat.send(1, "first"), user_2, lambda: chat.send("1", "second")]
    return calls, check_both_threads


def fork_and_order(result: str) -> str:
    """A failure without the messages get_state lacks: they depend on the head."""
    if not result.startswith("FAILED: the thread forked"):
        return result
    return f"{result.split('; ')[0]} ({result.rsplit(' (', 1)[1]}"


# no call here waits on a lock: a long patience only keeps a busy machine's slow
# call from being taken for a blocked one, which would change the draws
options = {"sample": 200, "seed": 7, "patience": 5}
print(f"orders of 4, 8 and 4 steps: {math.factorial(16) // (24 * math.factorial(8) * 24):,}")
found = outcome(two_users, RawKeyChat, **options)
print(fork_and_order(found))
again = outcome(two_users, RawKeyChat, **options)
print("seed 7 again, same order:", again.rsplit(": ", 1)[1] == found.rsplit(": ", 1)[1])
order = found.rsplit(": ", 1)[1].rstrip(")")
print("replayed:", fork_and_order(outcome(two_users, RawKeyChat, replay=order, patience=5)))
