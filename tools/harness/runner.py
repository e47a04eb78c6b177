"""Run one code block the way ``python -X dev -W error snippets/…/x.py`` runs it, fast.

Each run is a fork of one strict interpreter (tools/harness/sandbox.py) that has already
imported what the blocks import: no interpreter start and no langgraph import per block.
The block is compiled with its page as the file name, so a traceback's frames are page
lines. What a run gives back:

* ``output``: stdout, normalised, plus the exception as a page shows it (frames elided);
* ``error``: the exception's class name, or None;
* ``traceback``: every frame, with ``docs/x.md:LINE`` for the block's own;
* ``complaints``: what Python warned about on stderr (unclosed resources, tasks never
  awaited, warnings turned into errors): a block leaves nothing behind;
* ``stderr``: the block's stderr, shown with a failure and never printed into the suite's.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tools.harness.normalise import normalise
from tools.harness.pages import Block, PageError, read_page
from tools.paths import DOCS, ROOT, rel

# A run of a block that has not ended this long after it began (its threads and atexit
# work included) is stopped and reported as hanging; each repeat of a block has its own.
TIMEOUT_SECONDS = float(os.environ.get("DOCS_BLOCK_TIMEOUT", "180"))
SANDBOX = Path(__file__).with_name("sandbox.py")
# Dev mode and warnings as errors, also for the worker processes a block starts itself
STRICT = {"PYTHONDEVMODE": "1", "PYTHONWARNINGS": "error", "PYTHONFAULTHANDLER": "1"}
COMPLAINTS = ("Warning", "Exception ignored", "Task was destroyed", "never awaited")
ELIDED = "Traceback (most recent call last):\n  ...\n"  # as the pages show an exception


class BlockTimeout(Exception):
    pass


class SandboxError(Exception):
    """The strict interpreter did not start, or a run ended without an answer."""


@dataclass
class Run:
    output: str
    error: str | None
    traceback: str = ""
    refused: bool = False
    stderr: str = ""
    complaints: list[str] | None = None


def reader_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a reader's shell: this one without pytest's own variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(STRICT)
    env.update(extra or {})
    return env


def all_readable_blocks() -> list[Block]:
    """The blocks of every page the harness can read (a broken page is reported by its own
    tests, not by every block of the site)."""
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        try:
            found.extend(read_page(path).blocks)
        except PageError:
            continue
    return found


def imported_modules(blocks: list[Block]) -> list[str]:
    """Every module the blocks import at their top level, in first-seen order; not the
    blocks they run beside (``from forcing import X``): those are the page's text, written
    beside each run, and a copy loaded beforehand would hide it."""
    found: dict[str, None] = {}
    for block in blocks:
        try:
            tree = ast.parse(block.code)
        except SyntaxError:
            continue
        beside = {module.module for module in block.modules.values()}
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            found.update((name, None) for name in names if name.split(".")[0] not in beside)
    return list(found)


class Sandbox:
    """One strict interpreter, started on first use, stopped at exit."""

    _lock = threading.Lock()
    _current: Sandbox | None = None

    def __init__(self, modules: list[str]) -> None:
        self.folder = tempfile.mkdtemp(prefix="docs-sandbox-")
        self.address = os.path.join(self.folder, "socket")
        self.process = subprocess.Popen(
            [sys.executable, "-X", "dev", "-W", "error", str(SANDBOX), self.address, *modules],
            cwd=ROOT,
            env=reader_environment(),
            stdin=subprocess.PIPE,  # never written: it ends when this process does (sandbox.py)
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready = self.process.stdout.readline().strip()
        if ready != "ready":
            self.process.kill()
            _, err = self.process.communicate()
            raise SandboxError(
                f"the strict interpreter for the code blocks ({rel(SANDBOX)}) did not start:\n"
                f"{err[-3000:]}"
            )
        atexit.register(self.stop)

    @classmethod
    def get(cls, preload: list[str] | None = None) -> Sandbox:
        """The running sandbox, started if need be with the modules in preload (by default
        every module any page's blocks import; a block that imports more imports it)."""
        with cls._lock:
            if cls._current is None or cls._current.process.poll() is not None:
                modules = imported_modules(all_readable_blocks()) if preload is None else preload
                cls._current = cls(modules)
            return cls._current

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(self.address)
                    s.sendall(b'{"stop": true}\n')
            except OSError:
                pass
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for name in os.listdir(self.folder):
            os.unlink(os.path.join(self.folder, name))
        os.rmdir(self.folder)

    def run(self, request: dict, where: str) -> dict:
        """Send one run; wait for its outcome and for the child to be gone, all of it
        within one deadline (the block, its threads and its atexit work)."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        data, pid = b"", None
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.address)
            s.sendall((json.dumps(request) + "\n").encode())
            try:
                while True:  # until EOF: the child, its threads and its atexit work are done
                    s.settimeout(max(deadline - time.monotonic(), 0.001))
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    if pid is None and b"\n" in data:
                        pid = json.loads(data.split(b"\n", 1)[0])["pid"]
            except TimeoutError:
                if pid:
                    with contextlib.suppress(ProcessLookupError):  # already gone
                        os.killpg(pid, signal.SIGKILL)
                raise BlockTimeout(
                    f"{where}: did not finish within {TIMEOUT_SECONDS:g} s: does it hang? "
                    "(set DOCS_BLOCK_TIMEOUT to change the limit)"
                ) from None
            except (ValueError, KeyError) as error:
                raise SandboxError(f"{where}: the run ended without an answer ({error})") from None
        lines = data.decode("utf-8").split("\n")
        if pid is None:
            raise SandboxError(f"{where}: the run ended without an answer")
        if len(lines) < 2 or not lines[1]:
            raise SandboxError(
                f"{where}: the process running the block died before it finished "
                "(killed, or a crash in C code: see its stderr)"
            )
        return json.loads(lines[1])


def _beside_frames(text: str, beside: dict[str, tuple[str, int]]) -> str:
    """Frames in a module file written beside the block, as frames of its page."""
    for path, (page, line) in beside.items():
        text = re.sub(
            rf'^  File "{re.escape(path)}", line (\d+),',
            lambda m, page=page, line=line: f'  File "{page}", line {line + int(m[1])},',
            text,
            flags=re.M,
        )
    return text


_PAGE_FRAME = re.compile(r'^  File "([^"]+)", line (\d+), in (.+)$', re.M)


def page_frames(text: str) -> str:
    """Python's ``File "docs/x.md", line 12, in f`` frames as ``docs/x.md:12 in f``."""
    return _PAGE_FRAME.sub(lambda m: f"  {m[1]}:{m[2]} in {m[3]}", text)


_CHAIN = re.compile(
    r"^(?:During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:)$",
    re.M,
)


_ON_PAGE = re.compile(r"^  .+\.md:\d+ in ")  # a frame as page_frames writes it


def page_only(traceback: str) -> str:
    """The last exception of a traceback (as page_frames wrote it), with only its frames on
    the page and their source lines; the frames in Python and its libraries are counted."""
    lines = _CHAIN.split(traceback)[-1].strip("\n").split("\n")
    body = [line for line in lines if not line.startswith("Traceback (most recent")]
    end = next((n for n, line in enumerate(body) if not line.startswith("  ")), len(body))
    frames, error = body[:end], body[end:]
    kept: list[str] = []
    hidden = 0
    on_page = False
    for line in frames:
        if line.startswith("    "):  # a frame's source line, or its ^^^ markers
            if on_page:
                kept.append(line)
        else:
            on_page = bool(_ON_PAGE.match(line))
            if on_page:
                kept.append(line)
            else:
                hidden += 1
    if hidden:
        frames_word = "frame" if hidden == 1 else "frames"
        kept.append(f"  ... {hidden} more {frames_word} in Python and its libraries")
    return "\n".join(["Traceback (most recent call last):", *kept, *error])


def run_source(
    source: str,
    filename: str,
    first_line: int,
    snippet: Path,
    where: str,
    env: dict[str, str] | None = None,
    preload: list[str] | None = None,
    beside: dict[str, tuple[str, int]] | None = None,
) -> Run:
    """Run source as __main__ in a fresh fork; line 1 is reported as line first_line + 1.
    snippet is the file the run sees as ``__file__`` (and ``sys.argv[0]``); preload is what
    the sandbox imports if this run starts it (Sandbox.get); beside maps a module file
    written beside the snippet to the page and fence line its text comes from, so its
    frames are shown as page lines too."""
    with tempfile.TemporaryDirectory(prefix="block-run-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        request = {
            "source": source,
            "filename": filename,
            "first_line": first_line,
            "file": str(snippet),
            "cwd": str(ROOT),
            "env": reader_environment(env),
            "stdout": str(out),
            "stderr": str(err),
        }
        outcome = Sandbox.get(preload).run(request, where)
        stdout = out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""
        stderr = err.read_text(encoding="utf-8", errors="replace") if err.exists() else ""
    text = stdout
    if outcome["error"]:
        shown = ELIDED + outcome["error_only"].rstrip("\n")
        text = text + ("\n" if text and not text.endswith("\n") else "") + shown
    complaints = [c for c in COMPLAINTS if c in stderr]
    return Run(
        output=normalise(text),
        error=outcome["error"],
        traceback=page_frames(_beside_frames(outcome.get("traceback", ""), beside or {})),
        refused=outcome.get("refused", False),
        stderr=stderr,
        complaints=complaints,
    )


def run_block(
    block: Block, env: dict[str, str] | None = None, preload: list[str] | None = None
) -> Run:
    """Run a page's block. ``__file__`` is a copy of exactly this block, so a block that
    starts workers with ``python __file__ worker`` runs the page's code even before
    ``make snippets``; ``sys.path[0]`` is that copy's folder, and the blocks it imports
    (``Block.modules``) sit there, each the current text of its page, as in snippets/."""
    with tempfile.TemporaryDirectory(prefix="block-") as folder:
        copy = Path(folder) / block.name
        copy.write_text(block.code, encoding="utf-8")
        beside = {}
        for name, module in block.modules.items():
            (Path(folder) / name).write_text(module.code, encoding="utf-8")
            beside[str(Path(folder) / name)] = (rel(module.page), module.line)
        return run_source(
            block.code, rel(block.page), block.line, copy, block.where, env, preload, beside
        )
