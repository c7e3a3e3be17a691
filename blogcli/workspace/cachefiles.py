"""Files under `.blog/cache/` that can be made again: written in place, best effort.

No temp file and no fsync: a reader of a half-written file finds it unreadable (or keyed to
another input) and makes it again, and a killed command leaves no temp file behind.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_cache_file(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError:
        pass  # a read-only or full disk: the cache is skipped


class CacheFolder:
    """A folder of cache files by name, for code that should not know where the workspace is."""

    def __init__(self, folder: Path):
        self.folder = folder

    def read(self, name: str) -> bytes | None:
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        write_cache_file(self.folder / name, data)
