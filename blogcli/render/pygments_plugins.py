"""A start-up trick: Pygments' plugin module is loaded when a plugin is looked for, not before.

Every `pygments.lexers` import runs `from pygments.plugin import find_plugin_lexers`, and
`pygments.plugin` imports `importlib.metadata` (with email, zipfile, csv, socket…): ~15-20 ms
of the ~28 ms a build after one edit spent getting the lexer and formatter of one `sh` code block
(fresh interpreter after the build's own imports, 3 runs). Pygments asks for plugins only after
its own lexers, formatters and styles, so a code block in a language Pygments knows never needs
them.

`defer()` puts a stand-in module at `pygments.plugin` before Pygments imports it: its
`find_plugin_*` functions, and any other name asked of it, load the real module (from Pygments' own
file, once) and hand the call on. A plugin lexer or style is found as before, on first need; the
HTML is the same bytes. Reaches into Pygments' internals: the module's name and that the others
import their `find_plugin_*` functions from it (Pygments 2.x; pyproject.toml pins `<3`). If
Pygments is missing, or `pygments.plugin` was imported already, it changes nothing. Tested by
tests/test_pygments_plugins.py (the same HTML, a plugin lexer still found, importlib.metadata not
loaded) and tests/test_startup.py (a build).
"""

from __future__ import annotations

import sys
import types

NAME = "pygments.plugin"
DEFERRED = ("find_plugin_lexers", "find_plugin_formatters", "find_plugin_styles", "find_plugin_filters", "iter_entry_points")


def defer() -> None:
    """Put the stand-in at `pygments.plugin`, unless that module is loaded already."""
    if NAME in sys.modules:
        return
    try:
        import pygments
    except ImportError:
        return
    stand_in = types.ModuleType(NAME, "Stands in for Pygments' plugin module until a plugin is looked for (blogcli).")

    def real() -> types.ModuleType:
        module = sys.modules.get(NAME)
        if module is not stand_in:
            return module
        from importlib.machinery import PathFinder
        from importlib.util import module_from_spec

        spec = PathFinder.find_spec(NAME, pygments.__path__)
        module = module_from_spec(spec)
        sys.modules[NAME] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules[NAME] = stand_in
            raise
        setattr(pygments, "plugin", module)
        return module

    def handing_on(name: str):
        def call(*args, **kwargs):
            return getattr(real(), name)(*args, **kwargs)

        call.__name__ = call.__qualname__ = name
        return call

    def other_name(name: str):
        """The module's other names (PEP 562); not those the import system probes (`__path__`)."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(real(), name)

    for name in DEFERRED:
        setattr(stand_in, name, handing_on(name))
    stand_in.__getattr__ = other_name
    sys.modules[NAME] = stand_in
    setattr(pygments, "plugin", stand_in)
