"""The flock lock of Stores and locks across processes outlives its holder in a forked child.

The page's table says the OS releases a flock lock when every process holding that open
file has closed it or exited. A child forked while the lock is held shares the open file,
so the lock stays held after the holder exits, until the child exits too.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock and fork are POSIX")


def can_lock(path: str) -> bool:
    with open(path, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(f, fcntl.LOCK_UN)
        return True


def freed_within(path: str, seconds: float) -> bool:
    """A blocking flock, in a thread: True as soon as the OS hands over the lock. An exiting
    process's files are released in no set order, so the end of a pipe it held can close
    before its lock file does: the test waits on the lock itself, not on the pipe."""
    taken = threading.Event()

    def take() -> None:
        with open(path, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            fcntl.flock(f, fcntl.LOCK_UN)
            taken.set()

    threading.Thread(target=take, daemon=True).start()
    return taken.wait(seconds)


def test_a_forked_child_keeps_the_holders_flock(tmp_path) -> None:
    path = str(tmp_path / "store.sqlite.lock")
    go_read, go_write = os.pipe()  # the child exits when this is written
    gone_read, gone_write = os.pipe()  # EOF here once the child has exited
    holder = os.fork()
    if holder == 0:  # the holder: takes the lock, forks, exits without unlocking
        try:
            os.close(gone_read)
            f = open(path, "a")
            fcntl.flock(f, fcntl.LOCK_EX)
            if os.fork() == 0:  # the child: inherits the open file and its lock
                os.read(go_read, 1)
                os._exit(0)
        finally:
            os._exit(0)
    os.close(gone_write)
    os.close(go_read)
    _, status = os.waitpid(holder, 0)
    assert os.WIFEXITED(status)
    assert not can_lock(path), "the holder exited: its forked child still holds the lock"
    os.write(go_write, b"x")
    assert os.read(gone_read, 1) == b""  # the child is exiting
    assert freed_within(path, 10), "the child has exited: its lock should be free"
    os.close(go_write)
    os.close(gone_read)
