"""Whether anything happened to the post files since their walk, without walking them again.

A build compares every post file with what it read, under the workspace lock, to catch up with a
command that changed posts meanwhile (`site.builder.changed_since`). Done file by file that is
10,000 stats for 10,000 posts: ~0.05 s of CPU (best of 30, busy 2-core VM), the lock held all
along. A Linux inotify watch set on the two folders before their walk answers "nothing happened"
with one non-blocking read of its queue (~0.02 ms; importing ctypes costs ~2.5 ms, so the index
sets one only for a blog of `WATCH_FROM` posts or more).

Any event on a post file's name (written, truncated, touched, created, removed, renamed from or
to), on a watched folder itself, or a full queue, means "changed": a catch-up pass follows, as
when a stat differs. (So does a write that left the bytes as they were: a pass that finds
nothing to do.) It sees more than the stats: an in-place write within the clock tick of the
walk's stat, at the same size. It is set only where it sees every change the file-by-file check
would: on both folders as real folders (a symlinked folder may be re-pointed unseen), on a local
filesystem (inotify does not see another machine's writes to a network one), and its user drops
it when a post file is a symlink or has a second name (a write through the other name is
reported in that name's folder, not here). Writes through a shared memory map raise no event:
no editor writes so.

Closing an inotify instance waits in the kernel for its watches to be freed (the fsnotify marks'
RCU grace period): 15-20 ms of wall time, no CPU, measured at the end of a 10,000-post build.
Removing the watches does not wait: the kernel frees them in the background a few milliseconds
later. So `close` removes the watches at once and leaves the descriptor to be closed by the next
`watch_folders` or by the kernel when the process ends, by which time there is nothing left to
wait for; a closed watch answers "changed" to any later question. At the end of a 10,000-post
build after one edit, its close and the process's exit took 8.5 ms instead of 24 (medians of 12
runs in turns, wall time).

Tricks in their own rooms: this calls libc through ctypes. The interface is the kernel's documented
one (inotify(7), stable since Linux 2.6.13, struct inotify_event unchanged since), not a library's
internals; without it (not Linux, no libc, the per-user limit of instances reached) `watch_folders`
gives None and the files are compared one by one, as before (tests/test_watch.py runs both).
"""

from __future__ import annotations

import os
import struct
from typing import Callable, Iterable

WATCH_FROM = 1000  # post files from which a watch costs less than the stats it saves

_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF = 0x400, 0x800
_IN_ONLYDIR, _IN_DONT_FOLLOW = 0x01000000, 0x02000000
_MASK = (_IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
         | _IN_DELETE_SELF | _IN_MOVE_SELF | _IN_ONLYDIR | _IN_DONT_FOLLOW)
_EVENT = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len; then len bytes of name
# statfs f_type of the local filesystems whose every change inotify reports: ext2/3/4, XFS, Btrfs,
# tmpfs, F2FS. Any other (NFS, CIFS, FUSE, overlays over them…) is compared file by file.
_LOCAL_FILESYSTEMS = {0xEF53, 0x58465342, 0x9123683E, 0x01021994, 0xF2F52010}


class FolderWatch:
    """An inotify instance watching some folders (`folders`: watch descriptor → folder name)."""

    def __init__(self, fd: int, folders: dict[int, str], wanted: Callable[[str], bool],
                 remove: Callable[[int, int], int] | None = None):
        self.fd = fd
        self.folders = folders
        self.wanted = wanted  # the names of the files followed (post files)
        self.changed = False  # once anything happened, it stays so
        self.remove = remove  # libc's inotify_rm_watch; None: the descriptor is closed at once

    def expect(self, rels: Iterable[str]) -> None:
        """Take in the events so far, except those on `rels`: files this process has just changed
        under the lock and read again (`Workspace.refresh`), so their events are no news."""
        self._take_events(set(rels))

    def unchanged(self) -> bool:
        """True only if nothing happened to a post file, or to the folders, since the watch was set
        (and since the last `expect`, but for the files it was told of)."""
        self._take_events(set())
        return not self.changed

    def _take_events(self, expected: set[str]) -> None:
        while not self.changed and self.fd >= 0:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                self.changed = True
                return
            at = 0
            while at < len(data):
                wd, _mask, _cookie, length = _EVENT.unpack_from(data, at)
                name = os.fsdecode(data[at + _EVENT.size : at + _EVENT.size + length].rstrip(b"\0"))
                at += _EVENT.size + length
                folder = self.folders.get(wd)
                # No name: the folder itself (removed, moved, unmounted), or a full queue (wd -1).
                if folder is None or not name or (self.wanted(name) and f"{folder}/{name}" not in expected):
                    self.changed = True
                    return

    def close(self) -> None:
        """Stop watching: the watches go now, the descriptor later (see the module's docstring)."""
        if self.fd < 0:
            return
        fd, self.fd, self.changed = self.fd, -1, True
        if self.remove is None:
            os.close(fd)
            return
        for wd in self.folders:
            self.remove(fd, wd)
        _retired.append(fd)

    def __del__(self) -> None:  # a scan dropped (`Workspace.refresh`) takes its watch with it
        try:
            self.close()
        except Exception:  # at interpreter exit `os` may be gone; the kernel closes it then anyway
            pass


_retired: list[int] = []  # descriptors of closed watches whose watches were removed, to close later


def _close_retired() -> None:
    while _retired:
        try:
            os.close(_retired.pop())
        except OSError:
            pass


def watch_folders(root: str | os.PathLike, folders: tuple[str, ...], wanted: Callable[[str], bool]) -> FolderWatch | None:
    """A watch on `root`'s `folders` (the names `wanted` says are files to follow), or None where
    one could not see every change to them (see the module's docstring)."""
    _close_retired()
    try:
        import ctypes

        libc = ctypes.CDLL(None)  # the process's own symbols, libc's among them (no library search)
        init, add_watch, remove, statfs = libc.inotify_init1, libc.inotify_add_watch, libc.inotify_rm_watch, libc.statfs
    except (ImportError, OSError, AttributeError):
        return None
    buffer = ctypes.create_string_buffer(512)  # struct statfs is 120 bytes on 64-bit Linux; f_type first
    paths = [os.fsencode(os.path.join(root, folder)) for folder in folders]
    for path in paths:
        if statfs(path, buffer) != 0 or ctypes.c_long.from_buffer(buffer).value & 0xFFFFFFFF not in _LOCAL_FILESYSTEMS:
            return None
    fd = init(os.O_NONBLOCK | os.O_CLOEXEC)  # IN_NONBLOCK and IN_CLOEXEC are these flags
    if fd < 0:
        return None
    watch = FolderWatch(fd, {}, wanted, remove)
    for folder, path in zip(folders, paths):
        wd = add_watch(fd, path, _MASK)  # IN_DONT_FOLLOW | IN_ONLYDIR: a symlink or a file is refused
        if wd < 0:
            watch.close()
            return None
        watch.folders[wd] = folder
    return watch
