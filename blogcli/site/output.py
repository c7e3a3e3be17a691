"""The output folder: claimed only when building cannot damage it, and written file by file.

A folder is ours when it holds the marker file `.blogcli-site` or is empty; the marker is written
the moment an empty folder is claimed, before any page, so a build killed at any point leaves a
folder the next build (and `--clean`) accepts. The folder is resolved before it is checked (a
link to static/ is static/): it may not be or hold the workspace's own folders, nor be inside
one, and when it is the default site/, it may not lead out of the workspace. `--clean` and
stale-file removal touch only what a build makes: hidden top-level entries (the marker, a
deploy's .git) are left alone.

Every file is written and removed only through real folders below the output folder: a symlink
there (in a site/ that came with a cloned blog, say) stops the build, naming it, rather than
being followed out.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from blogcli.errors import InvalidValue, UnsafePath, WriteFailed
from blogcli.model.post import DRAFTS, PUBLISHED
from blogcli.site.theme import TEMPLATE_DIR
from blogcli.workspace.atomic import atomic_write
from blogcli.workspace.config import CONFIG_NAME
from blogcli.workspace.paths import is_inside
from blogcli.workspace.store import STATE_DIR, Workspace

MARKER = ".blogcli-site"
MARKER_TEXT = b"This folder is a site built by blogcli; `blog build` may replace its files.\n"
DEFAULT_OUT = "site"  # the output folder in the workspace when --out is not given
STATIC_DIR = "static"  # the workspace's files copied to the site as they are
AUTHOR_FOLDERS = (DRAFTS, PUBLISHED, STATIC_DIR, TEMPLATE_DIR, STATE_DIR)  # never built into, nor over


def default_out(ws: Workspace) -> Path:
    return ws.root / DEFAULT_OUT


def static_names(root: Path) -> set[str]:
    """The top-level names static/ takes on the site, casefolded (for `site_name_clash`): every
    entry there, a link the build refuses included, so that every command says the same."""
    try:
        return {name.casefold() for name in os.listdir(root / STATIC_DIR)}
    except OSError:
        return set()


def claim(ws: Workspace, out: Path | None) -> Path:
    """The output folder, resolved, made and marked as ours; refused when building there could
    damage the author's files or someone else's. `out` None is the default site/."""
    given = Path(os.path.abspath(out if out is not None else default_out(ws)))
    real = Path(os.path.realpath(given))
    if out is None and not is_inside(ws.root, real):
        raise UnsafePath(
            f"{DEFAULT_OUT}/: is a symlink to {real}, outside the workspace; the default site is built only inside it",
            hint=f"build there on purpose with --out {real}, or remove the link",
        )
    shown = given if given == real else f"{given} (which is {real})"
    workspace = Path(os.path.realpath(ws.root))
    if real == workspace or real in workspace.parents:
        raise InvalidValue(f"{shown}: cannot build the site into the workspace itself or a folder above it")
    cache = Path(os.path.realpath(ws.cache_dir))
    for folder in (*AUTHOR_FOLDERS, CONFIG_NAME):
        source = Path(os.path.realpath(ws.root / folder))
        if (real == source or source in real.parents) and cache not in real.parents:  # serve --drafts builds in the cache
            raise InvalidValue(f"{shown}: cannot build the site inside the workspace's {folder}/ folder")
        if real in source.parents:
            raise InvalidValue(f"{shown}: cannot build the site into a folder that holds the workspace's {folder}")
    if real.exists():
        if not real.is_dir():
            raise InvalidValue(f"{shown}: exists and is not a folder")
        if not os.path.lexists(real / MARKER) and any(real.iterdir()):
            raise InvalidValue(
                f"{shown}: this folder is not empty and was not built by blogcli; refusing to write into it",
                hint="choose an empty or new folder for --out",
            )
    try:
        real.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(real / MARKER):  # written in place: it is there from its first byte on
            (real / MARKER).write_bytes(MARKER_TEXT)
    except OSError as exc:
        raise WriteFailed(f"{real}: cannot make the output folder ({exc.strerror or exc})") from None
    _real_folders.clear()  # folders found real by an earlier build of this process may be links now
    _real_folders.add(real)  # resolved: neither it nor a folder above it is a link
    return real


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

    Only called under the build lock, so no live build owns any of them. Links are not followed
    (a temp file is never a link, nor in a linked folder)."""
    for folder in (cache_dir, out):
        for where, dirs, files in os.walk(folder):
            for name in files:
                if name.startswith(".") and name.endswith(".tmp"):
                    Path(where, name).unlink(missing_ok=True)
            if folder == cache_dir:
                break


_real_folders: set[Path] = set()  # folders found to be no link (nor below one) in this build


def _refuse_links(folder: Path) -> None:
    """WriteFailed if `folder` or a folder above it is a symlink (a missing one will be made real
    by mkdir). The output folder is resolved when claimed, so a link can only be one planted in
    it; each folder is looked at once per build (one lstat)."""
    if folder in _real_folders:
        return
    if folder.parent != folder:
        _refuse_links(folder.parent)
    try:
        is_link = stat.S_ISLNK(os.lstat(folder).st_mode)
    except FileNotFoundError:
        is_link = False
    if is_link:
        raise WriteFailed(
            f"{folder}: is a symlink (to {os.path.realpath(folder)}) inside the output folder; "
            "blogcli writes the site only into real folders",
            hint="remove the link from the output folder",
        )
    _real_folders.add(folder)


def write_if_changed(path: Path, data: bytes) -> tuple[bool, os.stat_result]:
    """Write by temp file + rename unless the file already holds exactly these bytes.

    Most pages of a full build are the only file in a folder of their own: the folder is made
    first, and when mkdir makes it, it is a real, empty folder, so there is no old file to compare
    and no link to look for; the stat handed back is the written file's own (atomic_write)."""
    folder = path.parent
    if folder not in _real_folders and _made(folder):
        return True, atomic_write(path, data, durable=False)
    _refuse_links(folder)
    try:
        st = os.lstat(path)
        if st.st_size == len(data) and stat.S_ISREG(st.st_mode) and path.read_bytes() == data:
            return False, st
    except (FileNotFoundError, NotADirectoryError):
        folder.mkdir(parents=True, exist_ok=True)
    return True, atomic_write(path, data, durable=False)


def _made(folder: Path) -> bool:
    """True when this call made `folder` (in a folder found to be real): it is then real too.
    False when it is there already (a folder, a file or a link) or its parent is missing."""
    _refuse_links(folder.parent)
    try:
        os.mkdir(folder)
    except OSError:
        return False
    _real_folders.add(folder)
    return True


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
    """Remove these outputs (paths relative to `out`, checked by the manifest: no `..`, not
    absolute) and the folders they leave empty; returns how many files were removed. A file
    reached through a link in the output folder is left alone."""
    removed = 0
    folders = set()
    for rel in stale:
        path = out / rel
        try:
            _refuse_links(path.parent)
            path.unlink()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError, WriteFailed):
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
