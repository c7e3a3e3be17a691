"""The author's folders the site is made from (static/, templates/): which of their files are read.

One rule, the same for every folder and every command: a symlink is followed when it resolves
inside the workspace, and refused (named, so the caller can warn) when it leads outside; so is
anything that is not a regular file or a folder (a FIFO would block the read for ever, a device
would be copied). A linked folder's files appear under the link's name too, as `cp -rL` copies
them; a link back to a folder it is in is not followed again (no endless walk).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from blogcli.workspace.paths import file_kind, is_inside


class Refused(NamedTuple):
    rel: str  # workspace-relative, with a trailing "/" for a folder
    reason: str

    def __str__(self) -> str:
        return f"{self.rel}: {self.reason}"


class AuthorFiles(NamedTuple):
    files: dict[str, Path]  # path below the folder → the real path to read (links resolved)
    refused: list[Refused]


def files_inside(root: Path, folder: str, skip: Path | None = None) -> AuthorFiles:
    """Every file below `root/folder`, links inside the workspace followed, the others refused.

    `skip` is a real path below which nothing is taken (the output folder: a link to the site in
    static/ would copy the site into itself, one level deeper each build)."""
    files: dict[str, Path] = {}
    refused: list[Refused] = []
    real_root = os.path.realpath(root)
    top = os.path.join(root, folder)
    if not os.path.lexists(top):
        return AuthorFiles(files, refused)
    real_top = os.path.realpath(top)
    if not is_inside(real_root, real_top):
        refused.append(Refused(f"{folder}/", f"is a symlink to {real_top}, outside the workspace"))
        return AuthorFiles(files, refused)
    if not os.path.isdir(real_top):
        return AuthorFiles(files, refused)
    skip_real = os.path.realpath(skip) if skip is not None else None
    pending = [(real_top, "", frozenset({real_top}))]  # (real folder, its name below `folder`, the real folders it is in)
    while pending:
        where, prefix, within = pending.pop()
        try:
            entries = sorted(os.scandir(where), key=lambda e: e.name)
        except OSError as exc:
            refused.append(Refused(f"{folder}/{prefix}", f"cannot be read ({exc.strerror})"))
            continue
        for entry in entries:
            name = prefix + entry.name
            rel = f"{folder}/{name}"
            real = entry.path
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    if not is_inside(real_root, real):
                        refused.append(Refused(rel, f"is a symlink to {real}, outside the workspace"))
                        continue
                mode = os.stat(real).st_mode
            except OSError as exc:
                refused.append(Refused(rel, f"cannot be read ({exc.strerror})"))
                continue
            if skip_real is not None and is_inside(skip_real, real):
                continue
            if stat.S_ISDIR(mode):
                if real not in within:
                    pending.append((real, name + "/", within | {real}))
            elif stat.S_ISREG(mode):
                files[name] = Path(real)
            else:
                refused.append(Refused(rel, f"is {file_kind(mode)}, not a file"))
    return AuthorFiles(dict(sorted(files.items())), refused)


def file_inside(root: Path, rel: str) -> Path | None:
    """The real path of the regular file at `root/rel` when it resolves inside the workspace (the
    rule of `files_inside`, for one file), else None."""
    real = os.path.realpath(os.path.join(root, rel))
    if not is_inside(root, real):
        return None
    try:
        return Path(real) if stat.S_ISREG(os.stat(real).st_mode) else None
    except OSError:
        return None
