"""A speed trick: Jinja2 is imported without its template compiler, which loads when a template
is first compiled from its text.

blogcli's own templates come compiled ahead of time (site/precompiled.py): rendering them needs
Jinja2's environment and runtime, not its lexer, parser, code generator or bytecode caches. Yet
`import jinja2` imports them all (`jinja2.environment` binds `CodeGenerator`, `generate`,
`get_lexer`, `Lexer`, `TokenStream` and `Parser` at import; `jinja2` binds the three
`*BytecodeCache` classes), with pickle and tempfile: ~8.5 ms of the ~22 ms the import took in a
`blog publish` at 10,000 posts (A/B in turns, 3 runs each, after the command's own imports).

`import_jinja2()` imports Jinja2 with a stand-in module at each of `jinja2.compiler`,
`jinja2.lexer`, `jinja2.parser` and `jinja2.bccache`, whose names are callables that load the
real modules and hand the call on; the stand-ins leave `sys.modules` as soon as Jinja2 is
imported, so any later import of those modules is the real one. The first stand-in called
(a workspace template compiled, `Environment.from_string`, a `FileSystemBytecodeCache` made)
loads the real modules and puts the real names back where Jinja2 bound the stand-ins
(`load_compiler`); compiled templates render the same bytes as ever.

Reaches into Jinja2's internals: the names its modules import from each other (Jinja2 3.1,
pinned by pyproject.toml). With another Jinja2 the real modules are loaded at once, and if the
import fails with the stand-ins in place, Jinja2 is imported again without them. Nothing changes
if Jinja2 was imported already. Tested by tests/test_site_lazy_compiler.py.
"""

from __future__ import annotations

import functools
import sys
import types

DEFERRED = {
    "jinja2.compiler": ("CodeGenerator", "generate"),
    "jinja2.lexer": ("get_lexer", "Lexer", "TokenStream"),
    "jinja2.parser": ("Parser",),
    "jinja2.bccache": ("BytecodeCache", "FileSystemBytecodeCache", "MemcachedBytecodeCache"),
}
HOLDERS = ("jinja2", "jinja2.environment")  # the modules that bind those names at import


class StandIn:
    """One of the deferred names: calling it loads the real modules and calls the real one. Not a
    function, so that a class attribute holding it (`Environment.code_generator_class`) does not
    become a bound method."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args, **kwargs):
        load_compiler()
        return getattr(sys.modules[self.module], self.name)(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<stand-in for {self.module}.{self.name} (blogcli)>"


@functools.cache
def import_jinja2() -> None:
    """Import Jinja2, its compiler deferred (unless Jinja2 is imported already)."""
    if "jinja2" in sys.modules:
        return
    stand_ins = {}
    for module, names in DEFERRED.items():
        stand_ins[module] = types.ModuleType(module, "Stands in until a template is compiled from its text (blogcli).")
        for name in names:
            setattr(stand_ins[module], name, StandIn(module, name))
    sys.modules.update(stand_ins)
    try:
        import jinja2  # noqa: F401
        import jinja2.environment  # noqa: F401
    except Exception:  # another Jinja2 imports other names: import it as it is
        for module in [name for name in sys.modules if name == "jinja2" or name.startswith("jinja2.")]:
            del sys.modules[module]
        stand_ins.clear()
        for module in DEFERRED:
            sys.modules.pop(module, None)
        import jinja2  # noqa: F401
        return
    finally:
        for module, stand_in in stand_ins.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
    if jinja2.__version__.split(".")[:2] != ["3", "1"]:
        load_compiler()


def load_compiler() -> None:
    """Load Jinja2's compiler, lexer, parser and bytecode caches, and put each real name where
    Jinja2 bound a stand-in."""
    import jinja2
    import jinja2.bccache
    import jinja2.compiler
    import jinja2.environment
    import jinja2.lexer
    import jinja2.parser

    for module, names in DEFERRED.items():
        real = sys.modules[module]
        for holder in map(sys.modules.__getitem__, HOLDERS):
            for name in names:
                if isinstance(getattr(holder, name, None), StandIn):
                    setattr(holder, name, getattr(real, name))
    environment = jinja2.environment.Environment
    if isinstance(environment.__dict__.get("code_generator_class"), StandIn):
        environment.code_generator_class = jinja2.compiler.CodeGenerator
