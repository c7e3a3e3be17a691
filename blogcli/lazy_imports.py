"""A start-up trick: modules imported at start-up only for rare paths run their code on first use.

At import, `typer.main` brings `subprocess` (to launch a browser; installing completion runs the
shell through it too), `typer.core` takes `get_close_matches` from `difflib` (for "did you
mean") and `gettext` from `gettext` (for help and error texts), `typer` takes `get_terminal_size`
from `shutil` (which brings `bz2` and `lzma`), and `inspect` and `linecache` (behind Typer and
`dataclasses`) import `tokenize` for reading source files, and `traceback` imports `textwrap`:
~9 ms of imports, with `selectors` and `locale`, that most commands never use. (`platform`, which `typer.main` imports too, stays:
`uuid`, which Typer takes a class from, calls it at import.)
`defer()` puts a module in `sys.modules` for each, made from the module's own spec but with its
code not yet run; `import subprocess` binds it as usual, and the first read of a name it lacks
(`subprocess.run`) runs the module's code in it, once, after which it is the ordinary module.
The functions imported by name (`from difflib import get_close_matches`) are stand-ins that do
the same, then hand the call on. Another thread that needs the module while it runs waits for it;
the module's own code (or a circular import) sees it unfinished, as an import would. A module
imported already, not found, or a package, is left alone.

Why not `importlib.util.LazyLoader`: on Python 3.11 the `import` statement reads the module's
`__spec__`, and any read runs a LazyLoader module, so Typer's own `import subprocess` would. Here
the import system's attributes (`__spec__`, `__file__`…) are set from the start.

Public API only, but it relies on how Typer 0.29 and the standard library use these modules
(names read inside functions; the three names above imported at module level), Typer pinned by
`typer>=0.29,<0.30` in pyproject.toml: a version that read another name at import would just run
the module then, as before. Only the installed `blog` and `python -m blogcli` do this (blogcli/entry.py), after
`--version` is answered.

Measured (2-core VM, 25 fresh interpreters each, in turns): `import blogcli.cli.app` 35.9 ms of
CPU instead of 45.0 (medians; 34.1 with blogcli/fast_dataclasses.py too); `blog publish` and `blog build` run only `shutil` (their lock). Tested
by tests/test_lazy_imports.py (a module runs on first use and is then the usual one; a command
runs none of them; completion, "did you mean" and help still work).
"""

from __future__ import annotations

import _thread
import sys
import types
from typing import Any

# The module, and the functions imported from it by name at start-up. Import times, best of 7:
# subprocess ~3 ms (with selectors, locale), difflib ~1.0, gettext ~0.7, shutil ~2 (with bz2, lzma;
# a command that takes the lock runs it: workspace/journal.py's discard_staging calls rmtree),
# tokenize ~1.1 (with token; a traceback's source lines need it), textwrap ~0.9 (help needs it).
MODULES: dict[str, tuple[str, ...]] = {
    "subprocess": (),
    "difflib": ("get_close_matches",),
    "gettext": ("gettext",),
    "shutil": ("get_terminal_size",),
    "tokenize": (),
    "textwrap": (),
}


class _Deferred(types.ModuleType):
    """A module whose code has not run yet: reading a name it lacks runs it, in place."""

    def __getattr__(self, name: str) -> Any:
        if name == "__path__":  # asked by the import system of every module; these are not packages
            raise AttributeError(name)
        return getattr(_run(self, name), name)


_LOCK = _thread.RLock()  # one thread runs a module; another that needs it meanwhile waits for it
_RUNNING: set[str] = set()


def _run(module: types.ModuleType, wanted: str) -> types.ModuleType:
    """The module, its code run (once, in place); `wanted` names what was asked of it."""
    if type(module) is _Deferred:
        with _LOCK:
            if type(module) is _Deferred:
                if module.__name__ in _RUNNING:  # asked while its own code runs (a circular import)
                    raise AttributeError(f"partially initialized module {module.__name__!r} has no attribute {wanted!r}")
                _RUNNING.add(module.__name__)
                try:
                    module.__spec__.loader.exec_module(module)
                finally:
                    _RUNNING.discard(module.__name__)
                module.__class__ = types.ModuleType
    return module


def _handing_on(module: types.ModuleType, name: str):
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_run(module, name), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def defer(modules: dict[str, tuple[str, ...]] = MODULES) -> list[str]:
    """Put a not-yet-run module in `sys.modules` for each of `modules`; the names so deferred."""
    from importlib.util import find_spec, module_from_spec

    deferred = []
    for name, functions in modules.items():
        if name in sys.modules:
            continue
        spec = find_spec(name)
        if spec is None or spec.loader is None or spec.submodule_search_locations is not None:
            continue
        module = module_from_spec(spec)
        if type(module) is not types.ModuleType:  # a loader that makes its own kind of module
            continue
        for function in functions:
            setattr(module, function, _handing_on(module, function))
        module.__class__ = _Deferred
        sys.modules[name] = module
        deferred.append(name)
    return deferred
