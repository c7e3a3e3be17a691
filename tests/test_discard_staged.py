"""The temp and staged files of a killed command go with the next lock, without every lock
listing folders of 10,000 posts: a folder is skipped only while its (mtime, inode) is what a
listing that found nothing to delete saw, and only if it had been left alone for a while then."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from blogcli.workspace.store import Workspace

OLD = 1_700_000_000
TEMP = ".who-rides-after-midnight.md.4242.abcdef.staged"  # as atomic.temp_path names them


def lock(root: Path) -> None:
    with Workspace(root).lock():
        pass


def listed_during(monkeypatch, action) -> set[str]:
    """The folders `os.scandir` or `os.listdir` lists while `action` runs."""
    listed: set[str] = set()

    def recording(lister):
        def listing(path=".", *args):
            if not isinstance(path, int):  # a descriptor: the index's walk, not discard_staged
                listed.add(os.path.basename(os.fspath(path)))
            return lister(path, *args)
        return listing

    with monkeypatch.context() as patch:
        patch.setattr(os, "scandir", recording(os.scandir))
        patch.setattr(os, "listdir", recording(os.listdir))
        action()
    return listed


@pytest.fixture
def settled(sample) -> Path:
    """The sample blog, its folders left alone long ago, and one lock to record them."""
    for folder in ("published", "drafts"):
        os.utime(sample / folder, (OLD, OLD))
    lock(sample)
    return sample


def test_a_folder_left_as_a_clean_listing_saw_it_is_not_listed_again(settled, monkeypatch):
    assert "published" not in listed_during(monkeypatch, lambda: lock(settled))


def test_a_temp_file_made_after_the_record_goes_with_the_next_lock(settled, monkeypatch):
    (settled / "published" / TEMP).write_text("staged by a command that was killed")
    assert "published" in listed_during(monkeypatch, lambda: lock(settled))
    assert not (settled / "published" / TEMP).exists()


def test_a_folder_changed_just_before_its_listing_is_not_trusted_in_the_same_clock_tick(settled):
    """A temp file made in the same tick as the listing's stat leaves the folder's mtime as it
    was: so a folder changed in the last seconds is not recorded, and is listed next time."""
    published = settled / "published"
    recent = time.time_ns() + 60 * 10**9  # ahead of the clock: recent however slow the machine is
    os.utime(published, ns=(recent, recent))
    lock(settled)
    (published / TEMP).write_text("staged")
    os.utime(published, ns=(recent, recent))  # the same mtime: the same coarse clock tick
    lock(settled)
    assert not (published / TEMP).exists()


def test_a_folder_replaced_by_another_with_the_same_mtime_is_listed(settled):
    published = settled / "published"
    os.replace(published, settled / "old-published")
    published.mkdir()
    (published / TEMP).write_text("staged")
    os.utime(published, (OLD, OLD))
    lock(settled)
    assert not (published / TEMP).exists()


@pytest.mark.parametrize("record", [b"not json", b"[1, 2]", b'{"published": "x"}', b'{"published": [1]}', b"\xff\xfe"])
def test_a_garbled_record_means_every_folder_is_listed(record, settled):
    (settled / ".blog" / "cache" / "staged-checked.json").write_bytes(record)
    (settled / "published" / TEMP).write_text("staged")
    os.utime(settled / "published", (OLD, OLD))
    lock(settled)
    assert not (settled / "published" / TEMP).exists()
