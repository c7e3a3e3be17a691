"""The output folder's write path (site/output.py): a page is written by temp file + rename, only
when its bytes changed, never through a symlink in the output folder, and with no more looks at
the filesystem than the case needs."""

from __future__ import annotations

import os

import pytest

from blogcli.errors import WriteFailed
from blogcli.site import output
from blogcli.site.output import write_if_changed


@pytest.fixture
def out(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    output._real_folders.clear()  # as `claim` leaves it at a build's start: the output folder, resolved, is real
    output._real_folders.add(site)
    return site


@pytest.fixture
def looks(monkeypatch):
    """Every lstat, stat and open of a path (not of a descriptor) while a test runs."""
    seen = []
    for name in ("lstat", "stat"):
        real = getattr(os, name)

        def spy(path, *args, _real=real, _name=name, **kwargs):
            if not isinstance(path, int):
                seen.append((_name, os.fspath(path)))
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, spy)
    return seen


def test_a_page_in_a_folder_the_build_makes_is_written_without_looking_for_an_old_one(out, looks):
    page = out / "a-post" / "index.html"
    wrote, st = write_if_changed(page, b"<p>new</p>")
    # the folder was made here: no page can be in it, and mkdir made it real
    assert looks == []
    assert wrote and page.read_bytes() == b"<p>new</p>"
    assert (st.st_size, st.st_mtime_ns) == (os.stat(page).st_size, os.stat(page).st_mtime_ns)
    assert [name for name in os.listdir(page.parent)] == ["index.html"]  # no temp file left


def test_the_stat_handed_back_is_the_written_files_own(out):
    page = out / "x" / "index.html"
    write_if_changed(page, b"old")
    wrote, st = write_if_changed(page, b"newer bytes")
    assert wrote and (st.st_size, st.st_mtime_ns, st.st_ino) == (
        os.stat(page).st_size, os.stat(page).st_mtime_ns, os.stat(page).st_ino)


def test_an_unchanged_page_is_not_written_again(out):
    page = out / "x" / "index.html"
    write_if_changed(page, b"same")
    before = os.stat(page)
    output._real_folders.clear()  # the next build
    output._real_folders.add(out)
    wrote, st = write_if_changed(page, b"same")
    assert not wrote and st.st_ino == before.st_ino and st.st_mtime_ns == before.st_mtime_ns


def test_pages_in_folders_several_levels_down_are_written(out):
    page = out / "tags" / "night-bus" / "page" / "2" / "index.html"
    assert write_if_changed(page, b"deep")[0] and page.read_bytes() == b"deep"
    assert write_if_changed(out / "feed.xml", b"feed")[0] and write_if_changed(out / "feed.xml", b"feed")[0] is False


@pytest.mark.parametrize("dangling", [False, True])
def test_a_link_where_a_pages_folder_goes_is_refused(out, tmp_path, dangling):
    outside = tmp_path / "outside"
    if not dangling:
        outside.mkdir()
    (out / "a-post").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteFailed, match="a-post: is a symlink"):
        write_if_changed(out / "a-post" / "index.html", b"x")
    assert not outside.exists() or os.listdir(outside) == []


def test_a_link_above_a_pages_folder_is_refused(out, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "tags").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteFailed, match="tags: is a symlink"):
        write_if_changed(out / "tags" / "new-tag" / "index.html", b"x")
    assert os.listdir(outside) == []


def test_a_link_in_place_of_the_page_is_replaced_not_written_through(out, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"keep")
    (out / "x").mkdir()
    (out / "x" / "index.html").symlink_to(secret)
    assert write_if_changed(out / "x" / "index.html", b"keep")[0]  # a link is never "unchanged"
    assert secret.read_bytes() == b"keep" and not (out / "x" / "index.html").is_symlink()
