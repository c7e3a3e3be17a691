"""A start-up trick: a dataclass's methods are compiled on their first call, not when it is made.

On Python 3.11 and 3.12, `@dataclass` writes the source of each method it adds (`__init__`,
`__repr__`, `__eq__`, `__hash__`, a frozen class's `__setattr__` and `__delattr__`, the order
methods) and compiles each with its own `exec`: ~0.6 ms a class, most of it compiling. A
`blog publish` defines 38 dataclasses on its way (21 for `blog list`: Typer's and blogcli's),
~24 ms, and calls few of those methods. `install()` wraps `dataclasses._create_fn` so that every
method is a stand-in that compiles the very same source on its first call, puts the compiled
method on the class in its own place, and hands the call on; later calls go straight to the
compiled method. `__init__`'s stand-in also compiles as soon as anything else is asked of it (its
signature, through `__wrapped__`, which `inspect` follows: `dataclasses` asks it at once of a
class without a docstring; its name, its code). Behaviour is the same: the same source, globals
and closure, so the same results, errors, signatures, `__qualname__` and hashing.

Reaches into the interpreter's internals: the private `dataclasses._create_fn(name, args, body,
*, globals, locals, return_type)`, the same in CPython 3.11 and 3.12 (checked); 3.13 replaced
it with one `exec` for all of a class's methods and needs no trick. On any other version, or if
the function is missing or has another signature, `install()` changes nothing. Only the
installed `blog` and `python -m blogcli` install it (blogcli/entry.py), before anything defines
a dataclass.

Measured (2-core VM, in turns): the 38 dataclasses of a `blog publish` at 10,000 posts made in
~12 ms instead of ~24 with every method but `__init__` deferred; importing what a publish
imports (the CLI, ops.publish, the site's builder and feeds, 15 fresh runs, CPU medians) ~82 ms
with `__init__` deferred too, ~88 with it compiled at once, ~108 without the trick.
Tested by tests/test_fast_dataclasses.py (the same behaviour with and without, on this version;
the `blog` entry installs it where the internal is known).
"""

from __future__ import annotations

import sys
from types import MethodType
from typing import Any

VERSIONS = ((3, 11), (3, 12))


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
        making = (create, name, tuple(args), tuple(body), globals, None if locals is None else dict(locals), return_type)
        return _DeferredInit(making) if name == "__init__" else _deferred(*making)

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


class _DeferredInit:
    """`__init__`, compiled on the first call, or as soon as anything else is asked of it: its
    signature (for a class without a docstring, `dataclasses` makes one from
    `inspect.signature(cls)` at once, and `inspect` follows `__wrapped__` to the compiled
    function), its name, its code. Bound like a function (`__get__`)."""

    __slots__ = ("_making", "_compiled", "_qualname")

    def __init__(self, making: tuple) -> None:
        self._making = making
        self._compiled = None
        self._qualname = None

    @property
    def __wrapped__(self) -> Any:
        if self._compiled is None:
            create, name, args, body, globals, locals, return_type = self._making
            compiled = create(name, args, body, globals=globals, locals=None if locals is None else dict(locals),
                              return_type=return_type)
            if self._qualname is not None:
                compiled.__qualname__ = self._qualname
            self._compiled = compiled
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__wrapped__, name)

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            self._owner(owner)
            return self
        return MethodType(self, instance)

    def __call__(self, instance: Any, *args: Any, **kwargs: Any) -> Any:
        compiled = self.__wrapped__
        owner = self._owner(type(instance))
        if owner is not None:  # the compiled method takes this one's place
            setattr(owner, "__init__", compiled)
        return compiled(instance, *args, **kwargs)

    def _owner(self, cls: Any) -> Any:
        """The class in `cls`'s MRO that holds this method (named after it, as dataclasses does)."""
        for owner in getattr(cls, "__mro__", ()):
            if owner.__dict__.get("__init__") is self:
                self._qualname = f"{owner.__qualname__}.__init__"
                if self._compiled is not None:
                    self._compiled.__qualname__ = self._qualname
                return owner
        return None
