"""The output folder: claimed only when building cannot damage it, and written file by file.

A folder is ours when it holds the marker file `.blogcli-site` (written by the first build) or is
empty; the workspace's own folders, the workspace itself and its parents are refused. `--clean`
and stale-file removal touch only what a build makes: hidden top-level entries (the marker, a
deploy's .git) are left alone.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from blogcli.errors import InvalidValue
from blogcli.model.post import DRAFTS, PUBLISHED
from blogcli.site.theme import TEMPLATE_DIR
from blogcli.workspace.atomic import atomic_write
from blogcli.workspace.store import Workspace

MARKER = ".blogcli-site"
DEFAULT_OUT = "site"  # the output folder in the workspace when --out is not given
STATIC_DIR = "static"  # the workspace's files copied to the site as they are


def default_out(ws: Workspace) -> Path:
    return ws.root / DEFAULT_OUT


def claim(ws: Workspace, out: Path) -> None:
    """Refuse to build into a folder we would damage: one with the author's files, or someone else's."""
    for folder in (DRAFTS, PUBLISHED, STATIC_DIR, TEMPLATE_DIR, ".blog"):
        source = ws.root / folder
        if (out == source or source in out.parents) and ws.cache_dir not in out.parents:  # serve --drafts builds in the cache
            raise InvalidValue(f"{out}: cannot build the site inside the workspace's {folder}/ folder")
    if out == ws.root or out in ws.root.parents:
        raise InvalidValue(f"{out}: cannot build the site into the workspace itself or a folder above it")
    if out.exists():
        if not out.is_dir():
            raise InvalidValue(f"{out}: exists and is not a folder")
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise InvalidValue(
                f"{out}: this folder is not empty and was not built by blogcli; refusing to write into it",
                hint="choose an empty or new folder for --out",
            )
    out.mkdir(parents=True, exist_ok=True)


def mark(out: Path) -> None:
    """Leave the marker that lets later builds write here again."""
    if not (out / MARKER).exists():
        (out / MARKER).write_text("This folder is a site built by blogcli; `blog build` may replace its files.\n")


def is_empty(out: Path) -> bool:
    """True when nothing of a build is in `out` yet (no stale file to look for at the end)."""
    with os.scandir(out) as entries:
        return not any(not entry.name.startswith(".") for entry in entries)


def empty(out: Path) -> None:
    """`--clean`: remove what a build made; hidden entries (a deploy's .git, the marker) stay."""
    for entry in out.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def remove_temp_files(cache_dir: Path, out: Path) -> None:
    """The temp files (`.name.<pid>.<hex>.tmp`) a killed build left in the cache and the site.

    Only called under the build lock, so no live build owns any of them."""
    for path in [*cache_dir.glob(".*.tmp"), *out.rglob(".*.tmp")]:
        if path.is_file():
            path.unlink(missing_ok=True)


def write_if_changed(path: Path, data: bytes) -> tuple[bool, os.stat_result]:
    """Write by temp file + rename unless the file already holds exactly these bytes."""
    try:
        st = path.stat()
        if st.st_size == len(data) and path.read_bytes() == data:
            return False, st
    except (FileNotFoundError, NotADirectoryError):
        path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data, durable=False)
    return True, path.stat()


def site_files(out: Path) -> list[str]:
    """Every file in a built site but hidden top-level entries (the marker, a deploy's .git)."""
    found = []
    for folder, dirs, files in os.walk(out):
        if Path(folder) == out:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            files = [f for f in files if not f.startswith(".")]
        for name in files:
            found.append(Path(folder, name).relative_to(out).as_posix())
    return found


def remove_files(out: Path, stale: list[str]) -> int:
    """Remove these outputs (paths relative to `out`) and the folders they leave empty; returns
    how many files were removed."""
    removed = 0
    folders = set()
    for rel in stale:
        path = out / rel
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except IsADirectoryError:
            continue
        removed += 1
        folders.add(path.parent)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != out and out in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    return removed
