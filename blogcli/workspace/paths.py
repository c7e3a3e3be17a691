"""Where the workspace ends, and opening blogcli's own files only when they are what they claim.

One rule for every path blogcli derives: a symlink is followed only when it resolves inside the
workspace (`is_inside`). blogcli's own state files (the lock, the journal, trash notes, caches)
are opened only when they are regular files (`read_regular`, `open_regular`): a FIFO there would
block the command for ever, a device would be read or truncated, and a symlink would lead
elsewhere, so each is refused as "not a regular file" before a byte is read or written.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """A state file that is a symlink, a FIFO, a socket, a device or a folder: never opened."""

    def __init__(self, path: str | os.PathLike, kind: str):
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", str(path))
        self.kind = kind


def is_inside(root: str | os.PathLike, path: str | os.PathLike) -> bool:
    """Whether `path`, every symlink on the way resolved, is `root` or below it."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISLNK, "a symlink"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a file"


def open_regular(path: str | os.PathLike, flags: int = os.O_RDONLY, mode: int = 0o644) -> int:
    """A descriptor for `path` if it is a regular file, opened without following a symlink and
    without blocking on a FIFO; NotRegularFile otherwise (other OSErrors as `os.open` raises them)."""
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR, errno.EMLINK):
            try:
                raise NotRegularFile(path, file_kind(os.lstat(path).st_mode)) from None
            except FileNotFoundError:
                pass
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, file_kind(info.st_mode))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: str | os.PathLike, limit: int | None = None) -> bytes:
    """The bytes of `path` if it is a regular file (see `open_regular`); at most `limit` of them."""
    fd = open_regular(path)
    try:
        chunks = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20 if limit is None else min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if limit is not None and size > limit:
                raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def fingerprint(path: str | os.PathLike) -> str | None:
    """What is at `path`, as the journal records it: None when nothing is there, the SHA-256 of a
    regular file's bytes, the link text's for a symlink (never followed), and a mark for anything else."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return "symlink:" + hashlib.sha256(os.fsencode(os.readlink(path))).hexdigest()
    if not stat.S_ISREG(info.st_mode):
        return "other:" + file_kind(info.st_mode)
    return digest(read_regular(path))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def real_folder(path: Path) -> bool:
    """Whether `path` is a folder itself, not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
