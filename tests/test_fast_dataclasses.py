"""blogcli/fast_dataclasses.py: dataclasses behave the same when their methods compile on first call.

Each probe runs in a fresh interpreter, as the trick changes the `dataclasses` module for the
whole process."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import types

import pytest

from blogcli import fast_dataclasses

PROBE = r'''
import dataclasses, json, sys
from dataclasses import dataclass, field, FrozenInstanceError
if sys.argv[1] == "lazy":
    from blogcli import fast_dataclasses
    assert fast_dataclasses.install()

@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = ()

@dataclass(order=True)
class Version:
    major: int
    minor: int = 0
    notes: list = field(default_factory=list, compare=False)

@dataclass(frozen=True, slots=True)
class Slotted:
    name: str

@dataclass(frozen=True)
class Child(Point):
    z: int = 0

@dataclass(unsafe_hash=True)
class Node:
    value: int
    children: list = field(default_factory=list, hash=False)

@dataclass
class Empty:
    pass

@dataclass
class Documented:
    """Has its own docstring: dataclasses asks nothing of its __init__ when the class is made."""
    name: str
    size: int = field(default=0, kw_only=True)
    seen: list = field(default_factory=list, init=False)
    scale: dataclasses.InitVar[int] = 1

    def __post_init__(self, scale):
        self.size *= scale


class Custom(Documented):
    def __init__(self, name):
        super().__init__(name, 7, size=2)


import inspect
out = {}
out["signatures before any instance"] = [str(inspect.signature(Documented)), str(inspect.signature(Point)),
                                         str(inspect.signature(Version))]
out["init before any instance"] = [Child.__init__.__qualname__, Version.__init__.__name__, Node.__init__.__qualname__,
                                   len(Node.__init__.__defaults__), Node.__init__.__code__.co_varnames[:2]]
made = Documented("a", 3, size=2)
out["init"] = [repr(made), made.size, made.seen, repr(Custom("b")), Documented.__init__.__qualname__,
               repr(Documented.__new__(Documented).__class__), str(inspect.signature(Documented.__init__))]
blank = object.__new__(Point)
Point.__init__(blank, 5)
out["init called on the class"] = repr(blank)
try:
    Documented()
    out["missing argument"] = None
except TypeError as exc:
    out["missing argument"] = str(exc)
p, q = Point(1, 2, ("a",)), Point(1, 2, ("a",))
out["eq"] = [p == q, p != q, p == Point(2), p == (1, 2, ("a",)), Child(1) == Point(1), Child(1) == Child(1)]
out["hash"] = [hash(p) == hash((1, 2, ("a",))), hash(Child(1, 2, (), 3)) == hash((1, 2, (), 3)),
               hash(Slotted("s")) == hash(("s",)), hash(Node(4, [1])) == hash((4,)), len({p, q, Point(9)})]
out["repr"] = [repr(p), repr(Child(1)), repr(Version(1, 2, ["x"])), repr(Slotted("s")), repr(Node(1)), repr(Empty())]
loop = Node(1)
loop.children.append(loop)
out["recursive repr"] = repr(loop)
errors = []
for obj, action in ((p, lambda o: setattr(o, "x", 5)), (p, lambda o: delattr(o, "y")), (p, lambda o: setattr(o, "other", 1)),
                    (Slotted("s"), lambda o: setattr(o, "name", "t")), (Child(1), lambda o: setattr(o, "z", 2))):
    try:
        action(obj)
        errors.append(None)
    except (FrozenInstanceError, AttributeError, TypeError) as exc:
        errors.append([type(exc).__name__, str(exc)])
out["frozen"] = errors
v = [Version(2), Version(1, 5), Version(1, 5, ["other notes"]), Version(1)]
out["order"] = [repr(sorted(v)), Version(1) < Version(1, 1), Version(2) >= Version(1, 9), Version(1, 5) <= Version(1, 5, ["n"])]
try:
    Version(1) < Point(1)
    out["order with another class"] = None
except TypeError as exc:
    out["order with another class"] = str(exc)
out["qualnames"] = [Point.__eq__.__qualname__, Point.__hash__.__qualname__, Point.__setattr__.__qualname__,
                    Version.__lt__.__qualname__, Child.__repr__.__qualname__, Slotted.__eq__.__qualname__]
out["doc"] = [Point.__doc__, Version.__doc__, Child.__doc__, Documented.__doc__]
out["replace"] = repr(dataclasses.replace(p, y=7))
out["compiled once called"] = [Point.__eq__.__code__.co_name, Point.__hash__.__code__.co_name, Version.__lt__.__code__.co_name,
                               Slotted.__hash__.__code__.co_name]
print(json.dumps(out))
'''


def probe(mode: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.skipif(sys.version_info[:2] not in fast_dataclasses.VERSIONS, reason="the trick is for CPython 3.11 and 3.12")
def test_dataclasses_behave_the_same_with_methods_compiled_on_first_call():
    plain, lazy = probe("plain"), probe("lazy")
    assert lazy == plain
    assert lazy["eq"] == [True, False, False, False, False, True]
    assert lazy["hash"] == [True, True, True, True, 2]
    assert lazy["frozen"][0] == ["FrozenInstanceError", "cannot assign to field 'x'"]
    assert lazy["compiled once called"] == ["__eq__", "__hash__", "__lt__", "__hash__"]  # stand-ins replaced on the class
    assert lazy["signatures before any instance"][0] == "(name: str, scale: dataclasses.InitVar[int] = 1, *, size: int = 0) -> None"
    assert lazy["init before any instance"][:3] == ["Child.__init__", "__init__", "Node.__init__"]
    assert lazy["init"][4] == "Documented.__init__" and lazy["init called on the class"] == "Point(x=5, y=0, tags=())"
    assert lazy["missing argument"] == "Documented.__init__() missing 1 required positional argument: 'name'"


def test_install_defers_every_method_and_puts_the_compiled_one_in_its_place():
    made = []

    def _create_fn(name, args, body, *, globals=None, locals=None, return_type=None):
        made.append(name)
        namespace: dict = {}
        exec(f"def {name}({','.join(args)}):\n" + "\n".join(f"  {line}" for line in body), globals, namespace)
        return namespace[name]

    fake = types.SimpleNamespace(_create_fn=_create_fn, MISSING=object())
    assert fast_dataclasses.install(fake)
    assert fast_dataclasses.install(fake)  # a second install keeps the first
    init = fake._create_fn("__init__", ("self", "value"), ("self.value = value",), globals={})
    eq = fake._create_fn("__eq__", ("self", "other"), ("return 'compared'",), globals={})
    assert made == [] and eq.__name__ == "__eq__"

    class Owner:
        pass

    Owner.__init__ = init
    Owner.__eq__ = eq
    eq.__qualname__ = "Owner.__eq__"
    assert Owner(5).value == 5 and made == ["__init__"]
    assert Owner.__init__ is not init and Owner.__init__.__code__.co_name == "__init__"
    assert Owner.__init__.__qualname__ == f"{Owner.__qualname__}.__init__"
    assert (Owner(1) == Owner(2)) == "compared"
    assert made == ["__init__", "__eq__"]
    assert Owner.__eq__ is not eq and Owner.__eq__.__code__.co_name == "__eq__" and Owner.__eq__.__qualname__ == "Owner.__eq__"
    assert (Owner(1) == 1) == "compared" and made == ["__init__", "__eq__"]  # each compiled once
    signed = fake._create_fn("__init__", ("self", "a", "b=2"), ("pass",), globals={})
    assert str(inspect.signature(signed)) == "(self, a, b=2)" and made[-1] == "__init__"  # asked for: compiled


def test_without_the_internal_nothing_changes():
    assert not fast_dataclasses.install(types.SimpleNamespace(MISSING=object()))

    def _create_fn(name, body):  # another signature
        return None

    other = types.SimpleNamespace(_create_fn=_create_fn, MISSING=object())
    assert not fast_dataclasses.install(other)
    assert other._create_fn is _create_fn


def test_the_blog_entry_installs_it_where_the_internal_is_known(tmp_path):
    code = ("import dataclasses, sys\nfrom blogcli.entry import main\nmain(['--help'])\n"
            "print(getattr(dataclasses._create_fn, 'blogcli_lazy', False))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == str(sys.version_info[:2] in fast_dataclasses.VERSIONS)
