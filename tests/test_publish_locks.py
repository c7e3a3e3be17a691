"""The locks of `blog publish / unpublish`: the site is built under the command's own workspace
lock (taken once, after the build lock, the order every build takes them), and a build running
elsewhere is never a deadlock: the change goes first, then its build waits for that one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import blogcli.workspace.store as store
from blogcli.ops.publish import publish, unpublish
from blogcli.workspace.store import Workspace
from test_build_safety import build, tree
from test_concurrency import Command, paused, wait_for

DRAFT = "drafts/drawing-the-timetable.md"
PUBLISHED = "published/drawing-the-timetable.md"
PAGE = "site/drawing-the-timetable/index.html"


@pytest.fixture
def locks_taken(monkeypatch) -> list[str]:
    """The name of every lock file the workspace takes, and "discard_staged" each time the
    workspace lock's tidying runs, in order."""
    taken: list[str] = []
    real_lock, real_discard = store.workspace_lock, store.discard_staged

    def lock(path: Path, *args, **kwargs):
        taken.append(path.name)
        return real_lock(path, *args, **kwargs)

    def discard(*args, **kwargs):
        taken.append("discard_staged")
        return real_discard(*args, **kwargs)

    monkeypatch.setattr(store, "workspace_lock", lock)
    monkeypatch.setattr(store, "discard_staged", discard)
    return taken


def test_a_publish_takes_each_lock_once_and_builds_under_them(sample, tmp_path, locks_taken):
    build(sample)
    locks_taken.clear()

    result = publish(Workspace(sample), "drawing-the-timetable")

    assert locks_taken == ["build.lock", "lock", "discard_staged"]
    assert result.site_error is None and result.page == PAGE
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)


def test_an_unpublish_takes_each_lock_once_and_builds_under_them(sample, tmp_path, locks_taken):
    publish(Workspace(sample), "drawing-the-timetable")
    locks_taken.clear()

    result = unpublish(Workspace(sample), "drawing-the-timetable")

    assert locks_taken == ["build.lock", "lock", "discard_staged"]
    assert result.site_error is None and not (sample / PAGE).exists()
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)


def test_a_publish_that_leaves_the_site_alone_takes_no_build_lock(sample, locks_taken):
    publish(Workspace(sample), "drawing-the-timetable", rebuild_site=False)
    assert locks_taken == ["lock", "discard_staged"]
    assert not (sample / "site").exists()


def test_a_dry_run_takes_no_build_lock(sample, locks_taken):
    publish(Workspace(sample), "drawing-the-timetable", dry_run=True)
    assert locks_taken == ["lock", "discard_staged"]
    assert (sample / DRAFT).exists()


def test_a_publish_while_a_build_runs_moves_the_post_then_waits_for_it(sample, tmp_path):
    """The build holds the build lock (it has read the posts, not yet taken the workspace lock):
    the publish does not wait for it to move the post (so the build, at its end, finds a
    workspace lock it can take and catches up), then waits for it to build; both end, and the
    site is what a build from nothing makes."""
    build(sample)
    builder, flag = paused(sample, "build:built", "build")
    publisher = Command(sample, "publish", "drawing-the-timetable")
    wait_for(lambda: "waiting for the workspace lock" in publisher.stderr, f"the publish did not wait: {publisher.stderr}")
    assert f"pid {builder.process.pid}: blog build" in publisher.stderr
    assert (sample / PUBLISHED).exists() and not (sample / DRAFT).exists()  # moved while the build held its lock
    flag.unlink()
    assert builder.wait() == 0, builder.stderr
    assert publisher.wait() == 0, publisher.stderr
    assert "Traceback" not in builder.stderr + publisher.stderr
    assert (sample / PAGE).is_file()
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)


def test_commands_started_while_a_publish_builds_wait_and_land(sample, tmp_path):
    """The publish holds both locks while its build runs: a `blog build` and a `blog new` wait
    (saying so), then do their work; the site is then the one of the posts as they are."""
    build(sample)
    publisher, flag = paused(sample, "build:built", "publish", "drawing-the-timetable")
    builder = Command(sample, "build")
    maker = Command(sample, "new", "Written while the post went out", "--no-edit")
    for waiting in (builder, maker):
        wait_for(lambda: "waiting for the workspace lock" in waiting.stderr, f"it did not wait: {waiting.stderr}")
        assert f"pid {publisher.process.pid}: blog publish" in waiting.stderr
    time.sleep(0.2)
    assert builder.process.poll() is None and maker.process.poll() is None
    assert not (sample / "drafts/written-while-the-post-went-out.md").exists()
    flag.unlink()
    assert publisher.wait() == 0, publisher.stderr
    assert builder.wait() == 0, builder.stderr
    assert maker.wait() == 0, maker.stderr
    assert "Traceback" not in publisher.stderr + builder.stderr + maker.stderr
    assert (sample / "drafts/written-while-the-post-went-out.md").exists() and (sample / PAGE).is_file()
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)


def test_a_publish_under_a_callers_workspace_lock_still_builds(sample, tmp_path, locks_taken):
    """A caller holding the workspace lock (the WordPress target does) publishes through it: the
    build lock is taken without waiting, and the lock is not taken again."""
    build(sample)
    locks_taken.clear()
    ws = Workspace(sample)
    with ws.lock():
        result = publish(ws, "drawing-the-timetable")
    assert locks_taken == ["lock", "discard_staged", "build.lock"]
    assert result.site_error is None and result.page == PAGE
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)
    assert not os.path.exists(sample / ".blog/cache/build.running")


def test_the_files_a_publish_changed_are_read_again_and_earlier_stamps_kept(sample):
    """`refresh(changed)` gives the changed files' new stamps in a new dict: whoever holds the
    earlier one (a build comparing with what it read) still sees what was read then."""
    ws = Workspace(sample)
    with ws.lock():
        earlier = ws.file_stamps
        as_read = dict(earlier)
        tx = ws.transaction()
        tx.move(DRAFT, PUBLISHED, (sample / DRAFT).read_bytes())
        tx.commit()
        ws.refresh([DRAFT, PUBLISHED])
    assert earlier == as_read and DRAFT in earlier
    st = os.stat(sample / PUBLISHED)
    assert ws.file_stamps == {**{rel: stamp for rel, stamp in as_read.items() if rel != DRAFT},
                              PUBLISHED: (st.st_size, st.st_mtime_ns, st.st_ino)}
    assert [p.rel for p in ws.posts].count(PUBLISHED) == 1 and DRAFT not in [p.rel for p in ws.posts]


def test_a_build_lock_that_cannot_be_opened_stops_only_the_site_update(sample, cli):
    """A FIFO where the build lock goes: the post is still published (under the workspace lock),
    and the site update fails, naming the file, as a build would."""
    build(sample)
    lock = sample / ".blog/cache/build.lock"
    lock.unlink(missing_ok=True)
    os.mkfifo(lock)
    result = cli("publish", "drawing-the-timetable")
    assert result.exit_code == 1
    assert (sample / PUBLISHED).exists() and not (sample / DRAFT).exists()
    assert "the post was moved, but the site was not updated" in result.stderr
    assert f"{lock}: cannot open the workspace lock" in result.stderr


def test_a_publish_with_no_problem_to_print_imports_no_table_printer(sample, cli, monkeypatch):
    """cli.tables (~1 ms to import) only when there are warnings to print."""
    import sys

    monkeypatch.setitem(sys.modules, "blogcli.cli.tables", None)  # importing it now fails
    result = cli("publish", "drawing-the-timetable")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("published drafts/drawing-the-timetable.md -> published/drawing-the-timetable.md")


def test_a_publish_into_a_site_never_built_builds_it_without_the_workspace_lock(sample, tmp_path, locks_taken):
    """A first build (or one after .blog/cache/ was deleted) renders every page: it is not run
    under the workspace lock, which other commands would wait for meanwhile."""
    result = publish(Workspace(sample), "drawing-the-timetable")
    assert locks_taken == ["lock", "discard_staged", "build.lock", "lock", "discard_staged"]
    assert result.site_error is None and result.page == PAGE
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)


def test_a_publish_after_the_cache_was_deleted_builds_without_the_workspace_lock(sample, tmp_path, locks_taken):
    import shutil

    build(sample)
    shutil.rmtree(sample / ".blog/cache")
    locks_taken.clear()
    result = publish(Workspace(sample), "drawing-the-timetable")
    assert locks_taken == ["lock", "discard_staged", "build.lock", "lock", "discard_staged"]
    assert result.site_error is None
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)
