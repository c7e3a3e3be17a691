"""Atomic file writes, and the crash and fault points the hardening tests switch on.

A write goes to a temp file in the target's folder, is fsynced, then renamed over the target,
and the folder is fsynced: after a crash the file holds the old bytes or the new, never a mix.
Temp names start with '.' and end in '.tmp', so no listing ever takes one for a post.
"""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

from blogcli.errors import WriteFailed

_hits: dict[str, int] = {}


def crashpoint(name: str) -> None:
    """Die by SIGKILL here when BLOG_CRASH_AT names this point (`name` or `name#N` for the Nth hit)."""
    target = os.environ.get("BLOG_CRASH_AT")
    if not target:
        return
    wanted, _, nth = target.partition("#")
    if wanted != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def _injected_fault(path: Path) -> None:
    """BLOG_FAULT_WRITE=ENOSPC[:substring] makes matching writes fail as a full disk would."""
    spec = os.environ.get("BLOG_FAULT_WRITE")
    if not spec:
        return
    name, _, where = spec.partition(":")
    if where and where not in str(path):
        return
    code = getattr(errno, name, errno.EIO)
    raise OSError(code, os.strerror(code), str(path))


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
    tmp = temp_path(target, tag)
    try:
        _injected_fault(target)
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            crashpoint("atomic:written")
            if durable:
                os.fsync(handle.fileno())
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
    return tmp


def atomic_write(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `target` with `data` all at once. `durable=False` skips fsync (for rebuildable files)."""
    tmp = write_temp(target, data, durable=durable)
    crashpoint("atomic:before-rename")
    try:
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteFailed(f"{target}: could not replace ({exc.strerror}); the file on disk is untouched") from None
    crashpoint("atomic:renamed")
    if durable:
        fsync_dir(target.parent)
