"""Posts open in `blog edit`: a marker per post, held by the editing process while the editor runs.

`blog edit` does not hold the workspace lock while the editor is open (that may be for hours).
So that no other command changes the file under the editor (a rename would leave the editor
saving to the old path: the post twice; a `series add` would be overwritten by the editor's
buffer), it leaves a marker in `.blog/editing/` naming the post and the editing process, and
holds an flock on it. A command about to change that post finds the marker and, while the flock
is held, refuses, naming the process (as WordPress's "is currently editing this post"). The
kernel drops the flock when the editing process ends, however it ends, so a marker left by a
killed `blog edit` is noticed as gone and removed.

Every check and every new marker happens under the workspace lock; only the editing process
removes its own marker.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from blogcli.errors import LockedError
from blogcli.workspace.paths import NotRegularFile, open_regular, real_folder

_HELD: dict[str, int] = {}  # rel → descriptor of the markers this process holds


def _marker(folder: Path, rel: str) -> Path:
    return folder / (hashlib.sha256(rel.encode("utf-8", "surrogatepass")).hexdigest()[:24] + ".edit")


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 4096, 0).decode("utf-8", "replace").splitlines()[0].strip() or "another blog edit"
    except (OSError, IndexError):
        return "another blog edit"


def _live_holder(path: Path) -> str | None:
    """The note of a marker whose process still holds it; a marker nobody holds is removed."""
    try:
        fd = open_regular(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except NotRegularFile:
        path.unlink(missing_ok=True)  # not ours: a marker is only ever a regular file
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(fd)
        path.unlink(missing_ok=True)  # its process is gone
        return None
    finally:
        os.close(fd)


def refuse_if_edited(folder: Path, rels: list[str]) -> None:
    """LockedError if another process has one of `rels` open in an editor (hold the workspace lock)."""
    if not real_folder(folder):
        return
    for rel in rels:
        if rel in _HELD:
            continue
        holder = _live_holder(_marker(folder, rel))
        if holder is not None:
            raise LockedError(
                f"{rel} is open in an editor ({holder}); it is left unchanged",
                hint="save and close the editor, then run the command again",
            )


def claim(folder: Path, rel: str, note: str) -> None:
    """Mark `rel` as open in this process's editor (hold the workspace lock); `release` ends it."""
    refuse_if_edited(folder, [rel])
    if rel in _HELD:
        return
    folder.mkdir(parents=True, exist_ok=True)
    if not real_folder(folder):
        raise NotRegularFile(folder, "a symlink")
    path = _marker(folder, rel)
    fd = open_regular(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise LockedError(f"{rel} is open in an editor", hint="save and close the editor, then run the command again") from None
    try:
        os.write(fd, f"{note}\n{rel}\n".encode("utf-8", "surrogatepass"))
    except OSError:
        pass  # a full disk: the marker has no note, and the flock is what counts
    _HELD[rel] = fd


def release(folder: Path, rel: str) -> None:
    fd = _HELD.pop(rel, None)
    if fd is None:
        return
    try:
        _marker(folder, rel).unlink(missing_ok=True)
    except OSError:
        pass  # the flock goes with the descriptor: the marker then reads as gone
    os.close(fd)


def clear_stale(folder: Path) -> None:
    """Remove the markers whose process is gone (hold the workspace lock)."""
    if not real_folder(folder):
        return
    for entry in os.scandir(folder):
        if entry.name.endswith(".edit") and not any(_marker(folder, rel).name == entry.name for rel in _HELD):
            _live_holder(Path(entry.path))
