"""Files under `.blog/cache/` that can be made again: written in place, best effort.

No temp file and no fsync: a reader of a half-written file finds it unreadable (or keyed to
another input) and makes it again, and a killed command leaves no temp file behind. A cache file
is read or written only when it is a regular file in a real folder (not a symlink, FIFO or device:
see workspace/paths); anything else counts as no cache.
"""

from __future__ import annotations

import os
from pathlib import Path

from blogcli.workspace.paths import open_regular, read_regular, real_folder


def write_cache_file(path: Path, data: bytes) -> None:
    try:
        if not real_folder(path.parent):  # made only when missing: the build's workers keep a file per feed entry
            path.parent.mkdir(parents=True, exist_ok=True)
            if not real_folder(path.parent):
                return
        fd = open_regular(path, os.O_WRONLY | os.O_CREAT)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError:
        pass  # a read-only or full disk, or not a plain file: the cache is skipped


def read_cache_file(path: Path) -> bytes | None:
    """The cache file's bytes, or None when there is none (or it is not a plain file)."""
    try:
        if not real_folder(path.parent):
            return None
        return read_regular(path)
    except OSError:
        return None


class CacheFolder:
    """A folder of cache files by name, for code that should not know where the workspace is."""

    def __init__(self, folder: Path):
        self.folder = folder

    def read(self, name: str) -> bytes | None:
        return read_cache_file(self.folder / name)

    def write(self, name: str, data: bytes) -> None:
        write_cache_file(self.folder / name, data)
