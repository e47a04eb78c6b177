"""Run one code block in this process, the way ``python snippets/…/x.py`` runs it.

No interpreter start and no langgraph import per block: the block is compiled
with the page as its file name (so tracebacks point at page lines) and executed
as ``__main__`` in a fresh namespace, with stdout captured.
"""

from __future__ import annotations

import contextlib
import io
import threading
import traceback
from dataclasses import dataclass

from tools.normalise import normalise
from tools.pages import Block, rel

# A block that has not finished after this long is stopped and reported.
TIMEOUT_SECONDS = 60


class BlockTimeout(Exception):
    pass


@dataclass
class Run:
    output: str  # normalised stdout, plus the exception as Python prints it
    error: BaseException | None


def exception_text(error: BaseException) -> str:
    """What a reader sees of an uncaught exception, frames elided."""
    last = "".join(traceback.format_exception_only(type(error), error)).rstrip("\n")
    return f"Traceback (most recent call last):\n  ...\n{last}"


def run_block(block: Block) -> Run:
    filename = rel(block.page)
    # pad so that line numbers in tracebacks are the page's line numbers
    source = "\n" * block.line + block.code
    code = compile(source, filename, "exec", dont_inherit=True)
    namespace = {"__name__": "__main__", "__file__": str(block.snippet), "__builtins__": __builtins__}
    buffer = io.StringIO()
    outcome: dict[str, BaseException | None] = {"error": None}

    def target() -> None:
        try:
            exec(code, namespace)
        except BaseException as error:  # noqa: BLE001 - reported to the caller
            outcome["error"] = error

    with contextlib.redirect_stdout(buffer):
        worker = threading.Thread(target=target, name=f"block {block.where}", daemon=True)
        worker.start()
        worker.join(TIMEOUT_SECONDS)
    if worker.is_alive():
        raise BlockTimeout(f"{block.where}: {block.name} did not finish within {TIMEOUT_SECONDS} s")
    error = outcome["error"]
    text = buffer.getvalue()
    if error is not None:
        text = text + ("\n" if text and not text.endswith("\n") else "") + exception_text(error)
    return Run(normalise(text), error)
