# From docs/one-thread.md. Edit the page, then run `make snippets`.
"""Force a double text: every armed call reads the thread before any of them writes."""

import threading

from langgraph.checkpoint.memory import InMemorySaver


class ReadsFirstMixin:
    """Put before a checkpointer class: calls started by run_together all read the thread
    (get_tuple, the read a run starts with) before any of them goes on to write."""

    def __init__(self, *args, calls: int = 2, timeout: float = 10, **kwargs):
        super().__init__(*args, **kwargs)
        self.barrier = threading.Barrier(calls, timeout=timeout)
        self.armed = threading.local()
        self.interleaved = True  # False once a call gave up waiting for the others' reads

    def get_tuple(self, config):
        found = super().get_tuple(config)
        if getattr(self.armed, "on", False):
            self.armed.on = False  # only a call's first read waits
            try:
                self.barrier.wait()
            except threading.BrokenBarrierError:  # a call could not read in time: a lock?
                self.interleaved = False
        return found

    def run_together(self, *calls) -> None:
        """Run each call in a thread of its own, armed; re-raise the first error."""
        errors = []

        def armed(call) -> None:
            self.armed.on = True
            try:
                call()
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=armed, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]


class ReadsFirst(ReadsFirstMixin, InMemorySaver):
    """An InMemorySaver that forces the schedule of a double text."""
