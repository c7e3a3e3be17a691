"""Atomic file writes, and the crash and fault points the hardening tests switch on.

A write goes to a temp file in the target's folder, is fsynced, then renamed over the target,
and the folder is fsynced: after a crash the file holds the old bytes or the new, never a mix.
Temp names start with '.' and end in '.tmp', so no listing ever takes one for a post.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

from blogcli.errors import WriteFailed

_hits: dict[str, int] = {}


def crashpoint(name: str) -> None:
    """Test hooks at the points where a crash matters; all off unless their variable is set.

    BLOG_CRASH_AT=name (or name#N for the Nth hit) dies here by SIGKILL (or sends itself the signal
    BLOG_CRASH_SIGNAL names, e.g. INT for a Ctrl-C at that very point); BLOG_CRASH_LOG=file
    appends each point reached (so a test can kill at every one); BLOG_PAUSE_AT=name[#N] creates
    the file BLOG_PAUSE_FILE and waits while it exists (so a test can hold a command mid-change).
    """
    log = os.environ.get("BLOG_CRASH_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(name + "\n")
    _hits[name] = _hits.get(name, 0) + 1
    if _names_this_hit(os.environ.get("BLOG_PAUSE_AT"), name):
        _pause(Path(os.environ["BLOG_PAUSE_FILE"]))
    if _names_this_hit(os.environ.get("BLOG_CRASH_AT"), name):
        os.kill(os.getpid(), getattr(signal, f"SIG{os.environ.get('BLOG_CRASH_SIGNAL') or 'KILL'}"))


def _names_this_hit(spec: str | None, name: str) -> bool:
    wanted, _, nth = (spec or "").partition("#")
    return wanted == name and _hits[name] == int(nth or 1)


def _pause(flag: Path, limit: float = 60.0) -> None:
    flag.write_text(str(os.getpid()))
    deadline = time.monotonic() + limit
    while flag.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def _injected_fault(path: Path) -> OSError | None:
    """BLOG_FAULT_WRITE=ENOSPC[:substring] (or EACCES, EROFS…): matching writes fail half-way."""
    spec = os.environ.get("BLOG_FAULT_WRITE")
    if not spec:
        return None
    name, _, where = spec.partition(":")
    if where and where not in str(path):
        return None
    code = getattr(errno, name, errno.EIO)
    return OSError(code, os.strerror(code), str(path))


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_path(target: Path, tag: str = "tmp") -> Path:
    return target.parent / f".{target.name}.{os.getpid()}.{os.urandom(3).hex()}.{tag}"


def write_temp(target: Path, data: bytes, *, durable: bool = True, tag: str = "tmp") -> Path:
    """Write `data` beside `target` and return the temp path (removed again if the write fails)."""
    return _write_temp(target, data, durable, tag)[0]


def _write_temp(target: Path, data: bytes, durable: bool, tag: str) -> tuple[Path, os.stat_result]:
    """`write_temp`, with the temp file's stat taken from its descriptor once it is written."""
    tmp = temp_path(target, tag)
    try:
        with open(tmp, "xb") as handle:
            fault = _injected_fault(target)
            if fault:
                handle.write(data[: len(data) // 2])
                raise fault
            handle.write(data)
            handle.flush()
            crashpoint("atomic:written")
            if durable:
                os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise WriteFailed(
            f"{target}: could not write ({exc.strerror or exc}); the file on disk is untouched",
            hint="free some disk space or fix the folder's permissions, then run the command again"
            if exc.errno in (errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EPERM)
            else None,
        ) from None
    return tmp, written


def atomic_write(target: Path, data: bytes, *, durable: bool = True) -> os.stat_result:
    """Replace `target` with `data` all at once. `durable=False` skips fsync (for rebuildable files).

    Returns the new file's stat, as its descriptor gave it before the rename (which changes
    neither its size nor its mtime): callers that record them need no second look-up."""
    tmp, written = _write_temp(target, data, durable, "tmp")
    crashpoint("atomic:before-rename")
    try:
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteFailed(f"{target}: could not replace ({exc.strerror}); the file on disk is untouched") from None
    crashpoint("atomic:renamed")
    if durable:
        fsync_dir(target.parent)
    return written
