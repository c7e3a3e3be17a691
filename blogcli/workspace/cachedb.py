"""The files of a SQLite cache under `.blog/cache/`, kept safe to open.

SQLite follows a symlink at a database's path (or at its `-wal`, `-shm` or `-journal` beside it)
and blocks on a FIFO there; a cache is distrusted, so neither may ever be opened. `clear_unsafe`
removes what is not a regular file before a cache is opened for writing, `is_plain` says whether
one can be opened for reading as it is, and `discard` removes a cache whole (its side files too:
a `-journal` or `-wal` left beside a new database would be played into it).
"""

from __future__ import annotations

import os

SIDE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _is_unsafe(name: str) -> bool:
    return os.path.islink(name) or (os.path.lexists(name) and not os.path.isfile(name))


def clear_unsafe(path: os.PathLike | str) -> None:
    """Remove whatever at the database's path or beside it is a link or not a regular file."""
    for suffix in SIDE_SUFFIXES:
        name = f"{path}{suffix}"
        if _is_unsafe(name):
            os.unlink(name)


def is_plain(path: os.PathLike | str) -> bool:
    """Whether the database is there, a regular file, with no link or non-file beside it."""
    return os.path.isfile(path) and not any(_is_unsafe(f"{path}{suffix}") for suffix in SIDE_SUFFIXES)


def discard(path: os.PathLike | str) -> None:
    """Remove the database and its side files (those that can be: opening it then fails, if not)."""
    for suffix in SIDE_SUFFIXES:
        try:
            os.unlink(f"{path}{suffix}")
        except OSError:
            pass
