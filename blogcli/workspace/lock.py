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

from blogcli.errors import ConfigError, LockedError

DEFAULT_WAIT_SECONDS = 5.0


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
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
def workspace_lock(path: Path, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock for the block; wait up to BLOG_LOCK_WAIT seconds (saying so), then fail."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wait = _wait_seconds()
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockedError(
                        f"the workspace is busy: {_holder(path)} holds {path}",
                        hint="wait for it to finish and run the command again",
                    ) from None
                if not told and notify:
                    notify(f"waiting for the workspace lock ({_holder(path)})…")
                    told = True
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: blog {' '.join(sys.argv[1:2])}".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
