"""All-or-nothing changes to several files, with a small redo journal.

A transaction stages every new file beside its target (fsynced), then writes the journal: that
write is the commit point. Applying renames the staged files into place and removes the files
that moved away. A crash before the commit leaves staged files that recovery deletes (the old
state); a crash after it is rolled forward by replaying the journal, which is idempotent.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from blogcli.errors import UnreadableFile, UnsafePath
from blogcli.workspace.atomic import atomic_write, crashpoint, fsync_dir, write_temp

STAGED_TAG = "staged"
# The names atomic.temp_path gives (`.<name>.<pid>.<6 hex>.<tag>`): only these are ours to delete,
# not an editor's own `.notes.tmp` that happens to sit in drafts/.
_OUR_TEMP = re.compile(rf"^\..+\.\d+\.[0-9a-f]{{6}}\.(?:tmp|{STAGED_TAG})$")


@dataclass
class _Step:
    target: str
    data: bytes | None
    remove: str | None


class Transaction:
    """Collect writes and moves (paths relative to the workspace root); `commit()` applies them."""

    def __init__(self, root: Path, journal_path: Path):
        self.root = root
        self.journal_path = journal_path
        self.steps: list[_Step] = []

    def _inside(self, rel: str) -> Path:
        return _inside(self.root, rel)

    def write(self, rel: str, data: bytes) -> None:
        self._inside(rel)
        self.steps.append(_Step(rel, data, None))

    def move(self, src: str, dst: str, data: bytes) -> None:
        """Put `data` at `dst` and remove `src` (which may equal dst's old name)."""
        self._inside(src)
        self._inside(dst)
        self.steps.append(_Step(dst, data, src if src != dst else None))

    def remove(self, rel: str) -> None:
        self._inside(rel)
        self.steps.append(_Step(rel, None, rel))

    def commit(self) -> None:
        if not self.steps:
            return
        entries = []
        try:
            for step in self.steps:
                staged = None
                if step.data is not None:
                    target = self.root / step.target
                    target.parent.mkdir(parents=True, exist_ok=True)
                    staged = write_temp(target, step.data, tag=STAGED_TAG).relative_to(self.root).as_posix()
                    crashpoint("journal:staged")
                entries.append({"staged": staged, "target": step.target, "remove": step.remove})
            crashpoint("journal:before-commit")
            atomic_write(self.journal_path, json.dumps({"steps": entries}, indent=1).encode())
        except BaseException:
            # Not committed (a full disk, say): nothing changed, so leave no staged file behind.
            for entry in entries:
                if entry["staged"]:
                    (self.root / entry["staged"]).unlink(missing_ok=True)
            raise
        crashpoint("journal:committed")
        replay(self.root, self.journal_path)


def _inside(root: Path, rel: str) -> Path:
    path = (root / rel).resolve()
    if root.resolve() not in path.parents:
        raise UnsafePath(f"{rel}: outside the workspace")
    return root / rel


def _read_journal(root: Path, journal_path: Path) -> list[dict]:
    """The journal's steps, refused whole if one is unreadable or names a path outside the root.

    It is a file in the workspace (a cloned or synced blog brings its own), so it is input like
    any other: a crafted one must not move files anywhere else on the machine.
    """
    where = journal_path.relative_to(root).as_posix()
    hint = "it records a change a command did not finish; move it away to go on without that change"
    try:
        steps = json.loads(journal_path.read_text(encoding="utf-8"))["steps"]
        for step in steps:
            for key in ("staged", "target", "remove"):
                if step[key] is not None:
                    _inside(root, step[key])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableFile(f"cannot read the journal of an interrupted change ({exc})", path=where, hint=hint) from None
    except UnsafePath as exc:
        raise UnsafePath(f"{where}: {exc.message}; not replayed", hint=hint) from None
    return steps


def replay(root: Path, journal_path: Path) -> None:
    """Finish a committed transaction: safe to run any number of times."""
    steps = _read_journal(root, journal_path)
    folders = set()
    for step in steps:
        target = root / step["target"]
        if step["staged"] and (root / step["staged"]).exists():
            os.replace(root / step["staged"], target)
            folders.add(target.parent)
            crashpoint("journal:applied")
        remove = step["remove"]
        if remove and (root / remove).exists() and (remove == step["target"] or target.exists()):
            (root / remove).unlink()
            folders.add((root / remove).parent)
            crashpoint("journal:removed")
    for folder in folders:
        fsync_dir(folder)
    journal_path.unlink()
    fsync_dir(journal_path.parent)


def discard_staged(folders: list[Path]) -> None:
    """Delete staged and temp files left by a command that died (call only under the lock)."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder):
            if _OUR_TEMP.match(entry.name):
                os.unlink(entry.path)
            elif entry.is_dir(follow_symlinks=False) and folder.name == "trash":
                discard_staged([Path(entry.path)])
