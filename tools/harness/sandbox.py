"""The process every code block runs in: a strict interpreter, forked once per run.

    python -X dev -W error tools/harness/sandbox.py SOCKET MODULE...

Started once per test session by tools/harness/runner.py. It imports the modules the
blocks import (langgraph, psycopg, ...) and then waits on a Unix socket. Each request
is one run: the server forks, and the child becomes what ``python -X dev -W error
snippets/<page>/<name>.py`` would be after its imports: ``__main__`` is the block, the
environment, working folder, ``sys.argv`` and ``sys.path[0]`` are the reader's, stdout
and stderr go to files of the run's own. When the block ends the child exits the way an
interpreter does (threads joined, atexit, its globals dropped and collected), so whatever
Python warns about at exit, an unclosed connection or a task never awaited, lands on its
stderr.

A fork costs milliseconds where an interpreter start and the imports cost a second or
more; nothing else of the harness is in the child. This file imports only the standard
library, and the network guard (tools/services/network.py, loaded by path) is the one
thing added: a block that reaches past 127.0.0.1 fails with NetworkRefused.

The protocol, one connection per run: the client sends one JSON request line; the child
answers with a line ``{"pid": ...}`` when it starts and a line with the outcome when the
block ends, then exits; the connection closes when the child has fully exited. Its stdin
is a pipe from the process that started it, written to never: when that process is gone,
killed before it could stop the sandbox, the pipe ends and the sandbox stops as well.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import importlib.util
import json
import os
import select
import signal
import socket
import sys
import threading
import traceback
import types
from pathlib import Path

NETWORK = Path(__file__).resolve().parents[1] / "services" / "network.py"


def _load_guard():
    spec = importlib.util.spec_from_file_location("_docs_network_guard", NETWORK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.guard()
    return module


def _outcome(error: BaseException | None, guard) -> dict:
    if error is None:
        return {"error": None}
    tb = error.__traceback__
    if tb is not None and tb.tb_frame.f_code is _child.__code__:
        error.__traceback__ = tb.tb_next  # the block's frames, not the one that ran it
    return {
        "error": type(error).__name__,
        "error_only": "".join(traceback.format_exception_only(type(error), error)),
        "traceback": "".join(traceback.format_exception(error)),
        "refused": guard.is_refusal(error),
    }


def _send(fd: int, message: dict) -> None:
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(fd, data) :]


def _child(conn: socket.socket, request: dict, base_path: list[str], guard) -> None:
    # the connection as a bare descriptor: the kernel closes it when this process is gone,
    # which is how the client knows the run has fully ended
    answer = conn.detach()
    os.setsid()  # its own process group: a timeout stops the block and every worker it began
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the block's subprocess.run needs its status
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(out, 1)
    os.dup2(err, 2)
    os.close(out)
    os.close(err)
    nothing = os.open(os.devnull, os.O_RDONLY)  # not the pipe from the harness
    os.dup2(nothing, 0)
    os.close(nothing)
    path = request["file"]
    sys.argv = [path]
    sys.path[:] = [str(Path(path).parent), *base_path]
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    _send(answer, {"pid": os.getpid()})
    error: BaseException | None = None
    try:
        code = compile(
            "\n" * request["first_line"] + request["source"],
            request["filename"],
            "exec",
            dont_inherit=True,
        )
        exec(code, main.__dict__)
    except SystemExit as stop:
        if stop.code not in (None, 0):
            error = stop
    except BaseException as caught:  # every exception is the block's outcome, reported
        error = caught
    sys.stdout.flush()
    _send(answer, _outcome(error, guard))
    del error
    _exit_as_an_interpreter_does(main)


def _exit_as_an_interpreter_does(main: types.ModuleType) -> None:
    """What Python does at exit, in its order, up to the point where what the block left
    behind has been found: wait for the block's threads, run its atexit functions, then
    drop its globals and collect, so an unclosed connection or a task never awaited warns
    on stderr. Tearing down every imported module (a second or so with langgraph loaded,
    in dev mode) is left out: the process ends there, and the kernel closes the answer."""
    threading._shutdown()  # the interpreter's own join of non-daemon threads
    atexit._run_exitfuncs()
    main.__dict__.clear()
    gc.collect()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def serve(address: str, modules: list[str]) -> None:
    guard = _load_guard()
    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException:  # the block that imports it will say why
            pass
    base_path = list(sys.path[1:])  # what a reader's interpreter has, past its folder
    gc.collect()
    gc.freeze()  # what is loaded now is never collected in a child: no copying, no scanning
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 1):
            break  # the process that started the sandbox is gone: nobody will stop it
        if listener not in readable:
            continue
        conn, _ = listener.accept()
        with conn.makefile("r", encoding="utf-8") as reader:
            line = reader.readline()
        request = json.loads(line) if line else {}
        if request.get("stop"):
            conn.close()
            break
        if request and os.fork() == 0:
            listener.close()
            _child(conn, request, base_path, guard)
        conn.close()  # the child holds its own copy: the client sees EOF when the child is gone
    listener.close()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
