"""Copied into the Agent Server's folder as sitecustomize.py, which Python runs at start-up
(the folder is first on PYTHONPATH): the server talks to this machine only, and stops with
its test session.

The standard library and tools/services/network.py only: this runs before the server
imports anything.
"""

import os
import signal
import threading

from tools.services import network

# set by process.py, which copies this file
REPORT_VARIABLE = "DOCS_NETWORK_REPORT"
WATCHDOG_VARIABLE = "DOCS_SERVER_WATCHDOG"


def watch_parent() -> None:
    """The parent holds this process's stdin open; when it closes (the parent stopped, or
    died), shut down as Ctrl-C would: no server outlives its test session."""

    def watch() -> None:
        # os.read, not sys.stdin: a daemon thread blocked in a buffered read aborts the
        # interpreter's shutdown (it cannot take the buffer's lock)
        while os.read(0, 1024):
            pass
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="parent watchdog", daemon=True).start()


network.guard(report=os.environ.get(REPORT_VARIABLE))
if os.environ.get(WATCHDOG_VARIABLE) == "1":
    watch_parent()
