# From docs/custom-checkpointers.md. Edit the page, then run `make snippets`.
"""Two checkpointers that differ only in how put_writes stores a task's writes, and a gate
that makes two tasks' put_writes calls overlap: both read before either writes."""

import threading

from langgraph.checkpoint.memory import InMemorySaver


class WriteGate:
    """Holds the first two calls that save a task's result until both are inside."""

    def __init__(self, channel: str):
        self.channel, self.armed = channel, True
        self.both_inside = threading.Barrier(2)
        self.saved = threading.Semaphore(0)

    def _ours(self, writes) -> bool:
        return self.armed and any(c == self.channel and v for c, v in writes)

    def between(self, writes) -> None:
        if self._ours(writes):
            self.both_inside.wait(timeout=10)

    def after(self, writes) -> None:
        if self._ours(writes):
            self.saved.release()


class BlobSaver(InMemorySaver):
    """Keeps a checkpoint's pending writes as one blob (a key-value store, a document
    database): read the blob, add this task's writes, write the blob back."""

    def __init__(self, gate: WriteGate):
        super().__init__()
        self.gate = gate

    def put_writes(self, config, writes, task_id, task_path=""):
        conf = config["configurable"]
        key = (conf["thread_id"], conf["checkpoint_ns"], conf["checkpoint_id"])
        blob = dict(self.writes.get(key, {}))  # read
        self.gate.between(writes)
        for index, (channel, value) in enumerate(writes):
            blob[(task_id, index)] = (task_id, channel, self.serde.dumps_typed(value), task_path)
        self.writes[key] = blob  # write the whole blob back
        self.gate.after(writes)


class RowSaver(InMemorySaver):
    """Adds one row per write and touches no other task's rows, as LangGraph's own
    savers do (InMemorySaver here; an INSERT per write in SqliteSaver and PostgresSaver)."""

    def __init__(self, gate: WriteGate):
        super().__init__()
        self.gate = gate

    def put_writes(self, config, writes, task_id, task_path=""):
        self.gate.between(writes)
        super().put_writes(config, writes, task_id, task_path)
        self.gate.after(writes)
