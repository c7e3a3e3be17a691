"""The cmark trick (blogcli/render/cmark_native.py): the native path frees what cmark allocates,
and without cmarkgfm's internals the public function renders the same HTML."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from blogcli.render import cmark_native

TEXT = "# Title\n\n~~gone~~ and ~5 minutes, a footnote[^1], https://example.org\n\n| a |\n|---|\n| b |\n\n- [x] done\n\n[^1]: Note.\n"


@pytest.fixture
def fresh_renderer():
    cmark_native.renderer.cache_clear()
    yield
    cmark_native.renderer.cache_clear()


def test_without_its_native_symbols_the_public_function_renders_alike(monkeypatch, fresh_renderer):
    import ctypes

    direct = cmark_native.renderer()
    assert not isinstance(direct, functools.partial)  # the native path, where the internals are there
    expected = direct(TEXT)

    def no_library(*args, **kwargs):
        raise OSError("no such library")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    cmark_native.renderer.cache_clear()
    fallback = cmark_native.renderer()
    assert isinstance(fallback, functools.partial)
    assert fallback(TEXT) == expected == cmark_native.public_renderer()(TEXT)


def test_without_the_binding_module_the_public_function_is_used(monkeypatch, fresh_renderer):
    import sys

    monkeypatch.setitem(sys.modules, "cmarkgfm._cmark", None)  # `from cmarkgfm import _cmark` fails
    monkeypatch.delattr("cmarkgfm._cmark", raising=False)
    assert isinstance(cmark_native.renderer(), functools.partial)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads resident memory from /proc")
def test_markdown_rendering_frees_what_cmark_allocates():
    """cmarkgfm's own wrapper leaks every document (~57 KB each): the build's workers would grow."""
    from blogcli.render.markdown import markdown_to_html

    def resident() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    text = "# Title\n\n" + "A paragraph with *emphasis*, a [link](other.md) and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n" * 40
    markdown_to_html(text)
    before = resident()
    for _ in range(2000):
        markdown_to_html(text)
    assert resident() - before < 20 * 2**20  # leaking, it grew by hundreds of MB
