"""A finished build's structures are freed when the next build starts, not as build_site returns
(a command ends first, without paying for it), and never kept longer than that."""

from __future__ import annotations

import gc
import weakref

import pytest

from blogcli.site import builder as builder_module
from blogcli.site.builder import Builder, build_site
from blogcli.workspace.store import Workspace


@pytest.fixture
def builders(monkeypatch) -> list[weakref.ref]:
    """A weak reference to every Builder made, in order."""
    made: list[weakref.ref] = []
    real = Builder.__init__

    def init(self, *args, **kwargs):
        made.append(weakref.ref(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Builder, "__init__", init)
    return made


def test_a_build_is_freed_by_the_next_build_not_at_its_end(sample, builders, tmp_path):
    build_site(Workspace(sample))
    gc.collect()
    assert builders[0]() is not None  # kept after build_site returned
    second = build_site(Workspace(sample), out=tmp_path / "other")
    gc.collect()
    assert builders[0]() is None, "the first build outlived the second"
    assert builders[1]() is not None and second.written > 0


def test_a_failed_build_keeps_nothing(sample, builders, monkeypatch):
    build_site(Workspace(sample))

    def fail(self):
        raise RuntimeError("a failure mid-build")

    monkeypatch.setattr(Builder, "run", fail)
    with pytest.raises(RuntimeError):
        build_site(Workspace(sample))
    gc.collect()
    assert [ref() for ref in builders] == [None, None]
    assert builder_module._LAST_BUILD == []


def test_the_posts_a_build_read_are_freed_by_the_next_build_not_by_its_lock(sample, tmp_path):
    """The workspace lock a build takes at its end forgets the posts it read (`Workspace.refresh`);
    they are kept with the build all the same (a command ends first, without freeing them)."""
    ws = Workspace(sample)
    read = [weakref.ref(post) for post in ws.posts]
    build_site(ws)
    gc.collect()
    assert read and all(ref() is not None for ref in read)
    build_site(Workspace(sample), out=tmp_path / "other")
    gc.collect()
    assert all(ref() is None for ref in read), "the posts of the first build outlived the second"
