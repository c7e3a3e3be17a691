"""The dependency rule: cli → publishing → ops → site → model, workspace, render. The core never imports the
CLI's tools; no module imports itself back through others (imports inside functions count); and
only the module that owns a trick touches another library's internals (ARCHITECTURE.md, "Tricks")."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "blogcli"
CORE = ["errors.py", "editor.py", "model", "workspace", "ops", "site", "render", "importers", "publishing"]
RICH_ALLOWED = {"render/terminal.py"}

# The layers, lowest first: a module may import its own package and those of lower layers.
LAYERS = [
    {"blogcli"},  # the package itself: __version__
    {"blogcli.errors", "blogcli.interrupts"},  # interrupts: how Ctrl-C is answered (stdlib only)
    {"blogcli.model"},
    {"blogcli.workspace", "blogcli.render", "blogcli.editor"},
    {"blogcli.site"},
    {"blogcli.importers"},  # other blogs' sources read; site.pool converts big imports
    {"blogcli.ops"},
    {"blogcli.publishing"},
    {"blogcli.cli"},
    {"blogcli.entry", "blogcli.__main__", "blogcli.fast_exit", "blogcli.fast_dataclasses", "blogcli.lazy_imports"},  # how the `blog` script starts and ends
]
# Imports against the layers, each with its reason: the series engineer's (issue 11), or a rule
# still to move into model/. Remove an entry once its import is gone (the test says so).
UPWARD_IMPORTS = {
    ("blogcli.site.model", "blogcli.ops.listing"): "the order of posts (sort_key) is owned by ops.listing",
}

# Import cycles that exist today and are someone's to break. Each entry must still be a cycle
# (the test fails once it is gone, so that whoever broke it removes the entry).
KNOWN_CYCLES: set[frozenset[str]] = set()

# Another library's internals, and the one module allowed to reach into each (with its reason,
# measured gain, fallback and test there; a tuple where each of a few has its own trick). Names
# are modules (an import of it or below it) or, after "attr:", private attributes read by name.
INTERNALS = {
    "ctypes": ("render/cmark_native.py", "workspace/watch.py"),  # cmark-gfm's C functions; inotify
    "cmarkgfm._cmark": "render/cmark_native.py",
    "typer.": "cli/typer_speedup.py",  # any Typer submodule (typer.core, typer.main…): Typer's internals
    "attr:_TyperParameter": "cli/typer_speedup.py",
    "attr:_runtime_param": "cli/typer_speedup.py",
    "multiprocessing": "site/pool.py",
    "concurrent.futures.process": "site/pool.py",
    "concurrent.futures.ProcessPoolExecutor": "site/pool.py",
    "attr:_processes": "site/pool.py",
    "markupsafe._speedups": "site/fast_escape.py",
    "attr:_argument_count": "site/fast_macro.py",  # Jinja2's Macro
    "jinja2.compiler": "site/lazy_compiler.py",  # deferred until a template is compiled from its text
    "jinja2.lexer": "site/lazy_compiler.py",
    "jinja2.parser": "site/lazy_compiler.py",
    "jinja2.bccache": "site/lazy_compiler.py",
    "attr:_func": "site/fast_macro.py",
    "attr:_run_exitfuncs": "fast_exit.py",  # the atexit handlers run before os._exit
    "attr:_create_fn": "fast_dataclasses.py",  # how dataclasses compile their methods
    "attr:plugin": "render/pygments_plugins.py",  # a stand-in for the module pygments.plugin
}
# Typer's documented extension points (its tutorial subclasses them and passes `cls=`): public,
# though they live in a Typer submodule. Only cli/help.py uses them.
DOCUMENTED = {"typer.core": "cli/help.py", "typer.core.TyperGroup": "cli/help.py", "typer.core.TyperCommand": "cli/help.py"}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def core_files():
    for entry in CORE:
        target = PACKAGE / entry
        yield from ([target] if target.is_file() else sorted(target.rglob("*.py")))


@pytest.mark.parametrize("path", list(core_files()), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_modules_do_not_import_the_cli_layer(path):
    rel = path.relative_to(PACKAGE).as_posix()
    for module in imported_modules(path):
        top = module.split(".")[0]
        assert top != "typer", f"{rel} imports Typer: only blogcli/cli may"
        assert not module.startswith("blogcli.cli"), f"{rel} imports the CLI layer"
        if rel not in RICH_ALLOWED:
            assert top != "rich", f"{rel} imports Rich: only the CLI and the terminal renderer may"


def test_the_core_never_prints_or_exits():
    for path in core_files():
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            assert not (isinstance(func, ast.Name) and func.id == "print"), f"{rel}:{node.lineno} prints"
            called = ast.unparse(func)
            assert called not in ("sys.exit", "exit", "os._exit"), f"{rel}:{node.lineno} exits"


# --- import cycles --------------------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:` (imports for annotations only)."""
    typing_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return [node for node in ast.walk(tree) if id(node) not in typing_only]


def imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """What a module imports at run time, anywhere in it: `import a.b` → a.b; `from a import b` →
    a and a.b (b may be a module); relative imports resolved against the module's package."""
    names = set()
    for node in runtime_nodes(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """module → the modules of `sources` it imports; `sources` maps a module to (its code, is a package)."""
    graph = {}
    for module, (code, is_package) in sources.items():
        found = imported_names(ast.parse(code), module, is_package)
        graph[module] = {name for name in found if name in sources and name != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_sources() -> dict[str, tuple[str, bool]]:
    return {module_name(path): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
            for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_import_cycles_but_the_known_ones():
    found = cycles(import_graph(package_sources()))
    new = found - KNOWN_CYCLES
    gone = KNOWN_CYCLES - found
    assert not new, "import cycles (imports inside functions count): " + "; ".join(" <-> ".join(sorted(c)) for c in new)
    assert not gone, ("these KNOWN_CYCLES are no longer cycles: remove them from tests/test_layers.py: "
                      + "; ".join(" <-> ".join(sorted(c)) for c in gone))


def layer_of(module: str) -> int:
    for rank, group in enumerate(LAYERS):
        if any(module == top or module.startswith(top + ".") for top in group if top != "blogcli"):
            return rank
    assert module == "blogcli", module
    return 0


def test_imports_point_down_the_layers():
    graph = import_graph(package_sources())
    upward = {(module, target) for module, targets in graph.items() for target in targets
              if layer_of(target) > layer_of(module)}
    unexpected = sorted(upward - set(UPWARD_IMPORTS))
    assert not unexpected, "imports against the dependency rule (ARCHITECTURE.md): " + "; ".join(f"{a} -> {b}" for a, b in unexpected)
    gone = sorted(set(UPWARD_IMPORTS) - upward)
    assert not gone, "no longer imported, remove from UPWARD_IMPORTS: " + "; ".join(f"{a} -> {b}" for a, b in gone)


def test_the_cycle_finder_sees_imports_inside_functions_and_skips_type_checking_blocks():
    sources = {
        "pkg": ("", True),
        "pkg.a": ("def f():\n    from pkg import b\n", False),
        "pkg.b": ("from . import c\n", False),
        "pkg.c": ("import pkg.a\n", False),
        "pkg.d": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n", False),
        "pkg.e": ("from pkg.d import x\n", False),
    }
    graph = import_graph(sources)
    assert graph["pkg.a"] == {"pkg", "pkg.b"} and graph["pkg.d"] == set()
    assert cycles(graph) == {frozenset({"pkg.a", "pkg.b", "pkg.c"})}


# --- other libraries' internals -------------------------------------------------------------------


def touched(tree: ast.AST) -> set[str]:
    """The modules a module imports (see `imported_names`) and the attributes it reads by name
    (`x._processes`, `getattr(x, "_processes")`) as "attr:<name>"."""
    names = imported_names(tree, "", False)
    for node in runtime_nodes(tree):
        if isinstance(node, ast.Attribute):
            names.add(f"attr:{node.attr}")
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("getattr", "hasattr", "setattr") and len(node.args) > 1:
            if isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                names.add(f"attr:{node.args[1].value}")
    return names


def reaches(names: set[str], internal: str) -> bool:
    if internal.startswith("attr:"):
        return internal in names
    if internal.endswith("."):  # anything below a package, not the package itself
        return any(name.startswith(internal) for name in names)
    return any(name == internal or name.startswith(internal + ".") for name in names)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_owner_of_a_trick_touches_another_librarys_internals(path):
    rel = path.relative_to(PACKAGE).as_posix()
    names = touched(ast.parse(path.read_text(encoding="utf-8")))
    names -= {name for name, user in DOCUMENTED.items() if user == rel}
    for internal, owner in INTERNALS.items():
        if rel not in owners_of(owner):
            assert not reaches(names, internal), f"{rel} touches {internal.removeprefix('attr:')}: only {owner} may"


def test_every_owner_of_a_trick_exists_and_still_uses_it():
    for internal, owners in INTERNALS.items():
        for owner in owners_of(owners):
            path = PACKAGE / owner
            assert path.is_file(), owner
            assert reaches(touched(ast.parse(path.read_text(encoding="utf-8"))), internal), f"{owner} no longer touches {internal}"


def owners_of(owner: str | tuple[str, ...]) -> tuple[str, ...]:
    return (owner,) if isinstance(owner, str) else owner


def test_the_internals_check_sees_every_way_in():
    code = ("import ctypes\nfrom cmarkgfm import _cmark\ndef f(pool):\n    import typer.core\n"
            "    from concurrent.futures import ProcessPoolExecutor\n    return getattr(pool, '_processes'), pool._runtime_param\n")
    names = touched(ast.parse(code))
    for internal in ("ctypes", "cmarkgfm._cmark", "typer.", "concurrent.futures.ProcessPoolExecutor", "attr:_processes",
                     "attr:_runtime_param"):
        assert reaches(names, internal), internal
    assert not reaches(touched(ast.parse("import typer\nfrom concurrent.futures import Future\n")), "typer.")


# --- size -------------------------------------------------------------------------------------------

MOST_LINES = 700  # a module longer than this is doing more than one job: split it by concern


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {path.relative_to(PACKAGE).as_posix(): lines for path in sorted(PACKAGE.rglob("*.py"))
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES}
    assert not long, f"modules over {MOST_LINES} lines: {long}"
