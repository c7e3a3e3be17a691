"""The workspace lock: one mutating command at a time.

An advisory flock on `.blog/lock`. The kernel drops it when its holder dies, so a lock left by a
killed process is never stale; the pid and command written inside are only for the message.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from blogcli.errors import ConfigError, LockedError, WriteFailed
from blogcli.workspace.paths import open_regular, read_regular

DEFAULT_WAIT_SECONDS = 5.0


def _holder(path: Path) -> str:
    try:
        text = read_regular(path, 4096).decode("utf-8", errors="replace").strip()
    except OSError:
        return "another blog command"
    return text or "another blog command"


def _wait_seconds() -> float:
    text = os.environ.get("BLOG_LOCK_WAIT", "")
    if not text:
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise ConfigError(f"BLOG_LOCK_WAIT must be a number of seconds (0 or more), not {text!r}")
    return seconds


@contextmanager
def workspace_lock(path: Path, notify: Callable[[str], None] | None = None, wait: bool = True) -> Iterator[bool]:
    """Hold the lock for the block; wait up to BLOG_LOCK_WAIT seconds (saying so), then fail.
    With `wait=False`, a lock another process holds is not waited for: the block runs without
    it, told so by the False it is given (True when the lock is held).

    The lock file is opened only if it is a regular file (a FIFO there would hang every command,
    a symlink lead outside); a failure to make or open it names it. Writing the holder's note is
    best effort: on a full disk the flock still works, and the command fails, naming the file,
    only where it has something real to write.
    """
    seconds = _wait_seconds()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = open_regular(path, os.O_RDWR | os.O_CREAT)
    except OSError as exc:
        raise WriteFailed(
            f"{path}: cannot open the workspace lock ({exc.strerror or exc})",
            hint="remove it if it is not a plain file; check the folder's permissions and free space",
        ) from None
    try:
        if not _take(path, fd, seconds if wait else None, notify):
            yield False
            return
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}: blog {' '.join(sys.argv[1:2])}".encode(), 0)
        except OSError:
            pass  # only for the message another command shows while it waits
        try:
            yield True
        finally:
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _take(path: Path, fd: int, seconds: float | None, notify: Callable[[str], None] | None) -> bool:
    """Flock `fd`, waiting up to `seconds` (then LockedError); with None, False at once if another
    process holds it."""
    deadline = time.monotonic() + (seconds or 0.0)
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if seconds is None:
                return False
            if time.monotonic() >= deadline:
                raise LockedError(
                    f"the workspace is busy: {_holder(path)} holds {path}",
                    hint="wait for it to finish and run the command again",
                ) from None
            if not told and notify:
                notify(f"waiting for the workspace lock ({_holder(path)})…")
                told = True
            time.sleep(0.05)
        except OSError as exc:
            raise WriteFailed(f"{path}: cannot lock the workspace ({exc.strerror or exc})") from None
