"""Run one code block in this process, the way ``python snippets/…/x.py`` runs it.

No interpreter start and no langgraph import per block: the block is compiled
with the page as its file name (so tracebacks point at page lines) and executed
as ``__main__`` in a fresh namespace, with stdout captured.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from tools.harness.normalise import normalise
from tools.harness.pages import Block
from tools.paths import rel

# A block that has not finished after this long is reported as hanging (the slowest block
# on the site takes about 15 s).
TIMEOUT_SECONDS = float(os.environ.get("DOCS_BLOCK_TIMEOUT", "120"))


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
    # __file__ is a copy of exactly this block, so a block that starts worker processes
    # with `python __file__ worker` runs the page's code even before `make snippets`.
    with tempfile.TemporaryDirectory(prefix="block-") as folder:
        copy = Path(folder) / block.name
        copy.write_text(block.code, encoding="utf-8")
        return run_source(block.code, rel(block.page), block.line, copy, block.where)


def run_source(source: str, filename: str, first_line: int, snippet, where: str) -> Run:
    """Execute source as __main__; line 1 of source is reported as line first_line + 1."""
    # pad so that line numbers in tracebacks are the page's line numbers
    code = compile("\n" * first_line + source, filename, "exec", dont_inherit=True)
    namespace = {"__name__": "__main__", "__file__": str(snippet), "__builtins__": __builtins__}
    buffer = io.StringIO()
    outcome: dict[str, BaseException | None] = {"error": None}

    def target() -> None:
        try:
            exec(code, namespace)
        except BaseException as error:  # noqa: BLE001 - reported to the caller
            outcome["error"] = error

    with contextlib.redirect_stdout(buffer):
        worker = threading.Thread(target=target, name=f"block {where}", daemon=True)
        worker.start()
        worker.join(TIMEOUT_SECONDS)
    if worker.is_alive():
        raise BlockTimeout(
            f"{where}: did not finish within {TIMEOUT_SECONDS:g} s: does it hang? "
            "(set DOCS_BLOCK_TIMEOUT to change the limit)"
        )
    error = outcome["error"]
    text = buffer.getvalue()
    if error is not None:
        text = text + ("\n" if text and not text.endswith("\n") else "") + exception_text(error)
    return Run(normalise(text), error)
