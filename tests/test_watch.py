"""The build's check under the lock (`changed_since`): every change to a post file since the walk
its posts came from is seen, whether a watch on the folders answers (workspace/watch.py: big
blogs) or the files are compared one by one (small blogs, or where a watch cannot see all)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from blogcli.site import builder
from blogcli.site.builder import build_site, changed_since, files_read
from blogcli.workspace import index, watch
from blogcli.workspace.store import Workspace

POST = "published/who-rides-after-midnight.md"
OLD = 1_700_000_000


@pytest.fixture(params=["watched", "file by file"])
def how(request, monkeypatch) -> str:
    """Both ways of checking: the watch set for any blog, or never."""
    monkeypatch.setattr(index, "WATCH_FROM", 0 if request.param == "watched" else 10**9)
    return request.param


def read_posts(root: Path) -> tuple[Workspace, builder.FilesRead]:
    ws = Workspace(root)
    assert ws.posts
    return ws, files_read(ws, builder._config_stat(root))


def no_walk(monkeypatch) -> None:
    """Make the file-by-file comparison fail the test: the watch must answer alone."""

    def walked(*args, **kwargs):
        raise AssertionError("changed_since walked the folders")

    monkeypatch.setattr(builder, "file_changes", walked)


def rename_into_place(path: Path, data: bytes, mtime: int | None = None) -> None:
    """As every blogcli command writes: a temp file beside it, renamed over it."""
    temp = path.with_name(f".{path.name}.1.abcdef.tmp")
    temp.write_bytes(data)
    if mtime is not None:
        os.utime(temp, (mtime, mtime))
    os.replace(temp, path)


def same_size_edit(data: bytes) -> bytes:
    edited = data.replace(b"Who Rides", b"Who Hides")
    assert edited != data and len(edited) == len(data)
    return edited


CHANGES = {
    "renamed into place": lambda path: rename_into_place(path, path.read_bytes() + b"\nMore.\n"),
    # the same size and mtime as before: only the inode tells
    "renamed into place in the same tick": lambda path: rename_into_place(path, same_size_edit(path.read_bytes()), OLD),
    "appended in place": lambda path: path.open("ab").write(b"\nMore.\n"),
    "touched": lambda path: os.utime(path, (OLD + 1, OLD + 1)),
    "deleted": lambda path: path.unlink(),
    "new file": lambda path: (path.parent / "new-post.md").write_text("---\ntitle: New\n---\nWords.\n"),
    "new draft": lambda path: (path.parent.parent / "drafts" / "new-draft.md").write_text("---\ntitle: New\n---\n"),
    "blog.toml": lambda path: (path.parent.parent / "blog.toml").open("a").write("\n"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_since_the_walk_is_seen(change, how, sample):
    for path in sample.glob("*/*.md"):
        os.utime(path, (OLD, OLD))
    ws, seen = read_posts(sample)
    assert (seen.watch is not None) == (how == "watched")
    assert not changed_since(sample, seen)
    CHANGES[change](sample / POST)
    assert changed_since(sample, seen)
    assert changed_since(sample, seen)  # and it stays seen


def test_an_edit_in_place_in_the_same_tick_at_the_same_size_is_seen_by_the_watch(monkeypatch, sample):
    """Size, mtime (forced back) and inode as the walk found them: no stat tells, the watch does."""
    monkeypatch.setattr(index, "WATCH_FROM", 0)
    path = sample / POST
    os.utime(path, (OLD, OLD))
    ws, seen = read_posts(sample)
    path.write_bytes(same_size_edit(path.read_bytes()))
    os.utime(path, (OLD, OLD))
    assert changed_since(sample, seen)


def test_with_nothing_changed_the_watch_answers_without_a_walk(monkeypatch, sample):
    """Files that are not posts (temp files, comments, subfolders) may come and go."""
    monkeypatch.setattr(index, "WATCH_FROM", 0)
    ws, seen = read_posts(sample)
    published = sample / "published"
    (published / ".draft.md.1.abcdef.tmp").write_text("temp")
    (published / ".draft.md.1.abcdef.tmp").unlink()
    (published / "who-rides-after-midnight.comments").write_text("[]")
    (published / "images").mkdir()
    (sample / POST).read_bytes()  # reading is no change
    no_walk(monkeypatch)
    assert not changed_since(sample, seen)


def test_the_commands_own_changes_under_the_lock_are_no_news_to_the_watch(monkeypatch, sample):
    """A publish changes posts under the lock, reads them again (`refresh(changed)`), then builds:
    those changes are not a reason to walk; a change to another post after them is seen."""
    monkeypatch.setattr(index, "WATCH_FROM", 0)
    ws = Workspace(sample)
    with ws.lock():
        assert ws.posts and ws.posts_watch is not None
        tx = ws.transaction()
        tx.move("drafts/drawing-the-timetable.md", "published/drawing-the-timetable.md",
                (sample / "drafts/drawing-the-timetable.md").read_bytes())
        tx.commit()
        ws.refresh(["drafts/drawing-the-timetable.md", "published/drawing-the-timetable.md"])
    seen = files_read(ws, builder._config_stat(sample))
    assert "published/drawing-the-timetable.md" in seen.stamps and seen.watch is not None
    with monkeypatch.context() as patched:
        no_walk(patched)
        assert not changed_since(sample, seen)
    (sample / "published/drawing-the-timetable.md").open("a").write("\nMore.\n")
    assert changed_since(sample, seen)


@pytest.mark.parametrize("alias", ["hard link", "symlink"])
def test_a_post_with_another_name_is_compared_file_by_file(alias, monkeypatch, sample, tmp_path):
    """A write through a post file's other name is reported where that name is, not in the post
    folders: no watch then, and the file-by-file check sees it."""
    monkeypatch.setattr(index, "WATCH_FROM", 0)
    other = sample / "static" / "elsewhere.md"
    if alias == "hard link":
        os.link(sample / POST, other)
    else:
        os.replace(sample / POST, other)
        (sample / POST).symlink_to(other)
    ws, seen = read_posts(sample)
    assert seen.watch is None
    with other.open("a") as handle:
        handle.write("\nMore.\n")
    assert changed_since(sample, seen)


def test_a_symlinked_post_folder_is_not_watched(sample):
    os.replace(sample / "drafts", sample / "real-drafts")
    (sample / "drafts").symlink_to(sample / "real-drafts")
    assert watch.watch_folders(sample, ("published", "drafts"), index.is_post_name) is None
    assert watch.watch_folders(sample, ("published", "missing"), index.is_post_name) is None
    assert watch.watch_folders(sample, ("published",), index.is_post_name) is not None


def test_a_filesystem_not_known_to_report_every_change_is_not_watched(monkeypatch, sample):
    monkeypatch.setattr(watch, "_LOCAL_FILESYSTEMS", set())
    assert watch.watch_folders(sample, ("published", "drafts"), index.is_post_name) is None


@pytest.mark.parametrize("event", ["overflow", "folder gone", "post name", "unknown watch"])
def test_what_the_watch_cannot_account_for_means_changed(event):
    """The queue's events, as the kernel writes them (struct inotify_event), from a pipe."""
    wd, mask, name = {"overflow": (-1, 0x4000, b""), "folder gone": (1, 0x400, b""),
                      "post name": (1, 0x2, b"a-post.md\0\0\0\0\0\0\0"), "unknown watch": (7, 0x2, b"a-post.md\0\0\0\0\0\0\0")}[event]
    read, write = os.pipe()
    os.set_blocking(read, False)
    seen = watch.FolderWatch(read, {1: "published"}, index.is_post_name)
    try:
        os.write(write, struct.pack("iIII", 1, 0x100, 0, 16) + b".x.md.tmp".ljust(16, b"\0"))  # not a post name
        assert seen.unchanged()
        os.write(write, struct.pack("iIII", wd, mask, 0, len(name)) + name)
        assert not seen.unchanged()
    finally:
        seen.close()
        os.close(write)


def test_a_build_with_a_watch_catches_up_with_a_post_changed_after_the_read(monkeypatch, sample, tmp_path):
    """As tests/test_build_safety.py's catch-up test, with the watch answering."""
    monkeypatch.setattr(index, "WATCH_FROM", 0)
    build_site(Workspace(sample))
    ws = Workspace(sample)
    assert ws.posts and ws.posts_watch is not None
    path = sample / POST
    path.write_text(path.read_text().replace("title: Who Rides After Midnight", "title: Who Still Rides"))
    result = build_site(ws)
    assert result.caught_up
    assert "Who Still Rides" in (sample / "site/who-rides-after-midnight/index.html").read_text()
    with monkeypatch.context() as patched:
        no_walk(patched)
        assert not build_site(Workspace(sample)).caught_up


def inotify_instances() -> list[int]:
    """This process's open inotify descriptors."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}") == "anon_inode:inotify":
                found.append(int(name))
        except OSError:
            pass
    return found


def watches_of(fd: int) -> int:
    with open(f"/proc/self/fdinfo/{fd}") as info:
        return sum(line.startswith("inotify wd:") for line in info)


def test_a_closed_watch_drops_its_watches_at_once_and_its_descriptor_with_the_next_watch(sample):
    """Closing the descriptor at once would wait for the kernel to free the watches (see watch.py):
    they are removed at once, the descriptor closed when the next watch is set (or the process ends)."""
    watch.watch_folders(sample, ("published",), index.is_post_name).close()  # and those of earlier tests
    before = len(inotify_instances()) - 1
    first = watch.watch_folders(sample, ("published", "drafts"), index.is_post_name)
    fd = first.fd
    assert len(inotify_instances()) == before + 1 and watches_of(fd) == 2
    first.close()
    assert first.fd == -1 and fd in inotify_instances() and watches_of(fd) == 0
    second = watch.watch_folders(sample, ("published", "drafts"), index.is_post_name)
    try:
        assert len(inotify_instances()) == before + 1 and watches_of(second.fd) == 2
        assert second.unchanged()
    finally:
        second.close()


def test_a_closed_watch_answers_changed(sample):
    """It can no longer vouch that nothing happened: a later question is answered "changed" (a catch-up pass)."""
    seen = watch.watch_folders(sample, ("published", "drafts"), index.is_post_name)
    assert seen.unchanged()
    seen.close()
    assert not seen.unchanged()
    read, write = os.pipe()
    os.close(write)
    piped = watch.FolderWatch(read, {1: "published"}, index.is_post_name)
    piped.close()  # a descriptor that is no inotify instance is closed at once
    with pytest.raises(OSError):
        os.fstat(read)
    assert not piped.unchanged()
