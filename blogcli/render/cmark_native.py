"""A memory trick: cmark-gfm's C API called directly, so every document's memory is freed.

cmarkgfm's own wrapper (`markdown_to_html_with_extensions`) never frees the document tree nor the
HTML it returns (~57 KB a document, theacodes/cmarkgfm#53): a 10,000-post build's workers would
grow by hundreds of MB, or have to be replaced as they grow. Here the document is parsed and
rendered through the binding's `lib`, and freed with the two functions that binding leaves out
(`cmark_node_free`, `cmark_get_default_mem_allocator`), called through ctypes on the same
shared library.

Reaches into cmarkgfm's internals: `cmarkgfm._cmark` (its cffi `ffi` and `lib`) and the symbols of
its shared library: the symbols are there in cmarkgfm 2024.11.20 and 2025.10.22 (the suite runs
on 2025.10.22); pyproject.toml pins that range. Without them, `renderer()` falls back to cmarkgfm's public (leaking) function, with
the same options and the same HTML.

Measured with `python -m benchmarks.cmark_memory` (2,000 renders of a 4 KB document): resident
memory +0 MB with the trick against +449 MB without, in 2.1 s against 2.9 s. Tested by tests/test_render_markdown.py (both paths give the same HTML) and
tests/test_build.py::test_markdown_rendering_frees_what_cmark_allocates.
"""

from __future__ import annotations

import functools
from typing import Callable

EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]


def options() -> int:
    from cmarkgfm.cmark import Options

    # Strikethrough needs `~~`, as in markdown-it: a lone tilde ("~5 minutes") stays a tilde.
    return Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_SMART | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE


def public_renderer() -> Callable[[str], str]:
    """cmarkgfm's own function: the same HTML, but it leaks every document."""
    import cmarkgfm

    return functools.partial(cmarkgfm.markdown_to_html_with_extensions, options=options(), extensions=EXTENSIONS)


@functools.cache
def renderer() -> Callable[[str], str]:
    """Markdown text → HTML in the site's dialect, freeing what cmark allocates where it can."""
    import ctypes

    try:
        from cmarkgfm import _cmark as binding

        ffi, lib = binding.ffi, binding.lib
        native = ctypes.CDLL(binding.__file__)  # for the two functions the binding leaves out
        native.cmark_node_free.argtypes = [ctypes.c_void_p]
        native.cmark_node_free.restype = None
        native.cmark_get_default_mem_allocator.restype = ctypes.c_void_p
        allocator = ffi.cast("cmark_mem *", native.cmark_get_default_mem_allocator())
    except (ImportError, OSError, AttributeError):  # a cmarkgfm built otherwise
        return public_renderer()
    flags = options()
    lib.cmark_gfm_core_extensions_ensure_registered()
    extensions = [lib.cmark_find_syntax_extension(name.encode()) for name in EXTENSIONS]

    def render(text: str) -> str:
        data = text.encode("utf-8")
        parser = lib.cmark_parser_new(flags)
        try:
            for extension in extensions:
                lib.cmark_parser_attach_syntax_extension(parser, extension)
            lib.cmark_parser_feed(parser, data, len(data))
            root = lib.cmark_parser_finish(parser)
            try:
                html_bytes = lib.cmark_render_html(root, flags, lib.cmark_parser_get_syntax_extensions(parser))
                try:
                    return ffi.string(html_bytes).decode("utf-8")
                finally:
                    allocator.free(html_bytes)
            finally:
                native.cmark_node_free(int(ffi.cast("uintptr_t", root)))
        finally:
            lib.cmark_parser_free(parser)

    return render

