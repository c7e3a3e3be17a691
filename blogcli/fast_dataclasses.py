"""A start-up trick: a dataclass's methods other than `__init__` are compiled on their first call.

On Python 3.11 and 3.12, `@dataclass` writes the source of each method it adds (`__init__`,
`__repr__`, `__eq__`, `__hash__`, a frozen class's `__setattr__` and `__delattr__`, the order
methods) and compiles each with its own `exec`: ~0.6 ms a class, most of it compiling. A
`blog publish` defines 38 dataclasses on its way (21 for `blog list`: Typer's and blogcli's),
~24 ms, and calls few of those methods. `install()` wraps `dataclasses._create_fn` so that every
method but `__init__` (which `inspect.signature` reads when the class is made) is a small
function that compiles the very same source on its first call, puts the compiled method on the
class in its own place, and hands the call on; later calls go straight to the compiled method.
Behaviour is the same: the same source, globals and closure, so the same results, errors,
`__qualname__` and hashing.

Reaches into the interpreter's internals: the private `dataclasses._create_fn(name, args, body,
*, globals, locals, return_type)`, the same in CPython 3.11 and 3.12 (checked); 3.13 replaced
it with one `exec` for all of a class's methods and needs no trick. On any other version, or if
the function is missing or has another signature, `install()` changes nothing. Only the
installed `blog` and `python -m blogcli` install it (blogcli/entry.py), before anything defines
a dataclass.

Measured (2-core VM, in turns): the 38 dataclasses of a `blog publish` at 10,000 posts made in
~12 ms instead of ~24 (~0.32 ms a class instead of ~0.64); `blog build` with nothing to do there
~380 ms of CPU instead of ~393, `blog list --json` ~226 instead of ~232 (medians of 12-20 runs).
Tested by tests/test_fast_dataclasses.py (the same behaviour with and without, on every version)
and tests/test_startup.py (the `blog` entry installs it).
"""

from __future__ import annotations

import sys
from typing import Any

VERSIONS = ((3, 11), (3, 12))
EAGER = frozenset({"__init__"})  # read when the class is made (its __doc__ is its signature)


def install(dataclasses: Any = None) -> bool:
    """Compile dataclass methods on first call from now on; False where the internal differs."""
    if dataclasses is None:
        if sys.version_info[:2] not in VERSIONS:
            return False
        import dataclasses
    create = getattr(dataclasses, "_create_fn", None)
    if getattr(create, "blogcli_lazy", False):
        return True
    code = getattr(create, "__code__", None)
    if code is None or code.co_varnames[: code.co_argcount + code.co_kwonlyargcount] != (
        "name", "args", "body", "globals", "locals", "return_type"
    ):
        return False

    def create_fn(name: str, args: Any, body: Any, *, globals: Any = None, locals: Any = None,
                  return_type: Any = dataclasses.MISSING) -> Any:
        if name in EAGER:
            return create(name, args, body, globals=globals, locals=locals, return_type=return_type)
        return _deferred(create, name, tuple(args), tuple(body), globals, None if locals is None else dict(locals),
                         return_type)

    create_fn.blogcli_lazy = True  # type: ignore[attr-defined]
    dataclasses._create_fn = create_fn
    return True


def _deferred(create: Any, name: str, args: tuple, body: tuple, globals: Any, locals: Any, return_type: Any) -> Any:
    """A method that compiles itself on its first call, then stands aside."""
    compiled = None

    def method(*call_args: Any, **call_kwargs: Any) -> Any:
        nonlocal compiled
        if compiled is None:
            made = create(name, args, body, globals=globals, locals=None if locals is None else dict(locals),
                          return_type=return_type)
            made.__qualname__ = method.__qualname__
            made.__doc__ = method.__doc__
            compiled = made
            if call_args:  # the first argument is the instance: put the method where this one is
                for owner in type(call_args[0]).__mro__:
                    if owner.__dict__.get(name) is method:
                        setattr(owner, name, made)
                        break
        return compiled(*call_args, **call_kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = None
    return method
