"""The dependency rule: cli → ops → model, workspace, render. The core never imports the CLI's tools."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "blogcli"
CORE = ["errors.py", "editor.py", "model", "workspace", "ops", "render"]
RICH_ALLOWED = {"render/terminal.py"}


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


# -- no import cycles -----------------------------------------------------------------------------

# Cycles that exist and are being taken apart elsewhere; an entry whose cycle is gone fails too,
# so the list only shrinks.
KNOWN_CYCLES = {("blogcli.ops.build", "blogcli.ops.build_pages")}


def import_graph() -> dict[str, set[str]]:
    """Module → the blogcli modules it imports, imports inside functions included and those under
    `if TYPE_CHECKING:` left out."""
    root = PACKAGE.parent
    modules = {".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(node)
            for branch in ast.walk(tree)
            if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
            for statement in branch.body
            for node in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    base = ".".join(package[: len(package) - (node.level - 1)] + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name and t != "blogcli")
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [{"a", "b", "c"}]


def test_no_module_imports_itself_round_a_loop():
    groups = [tuple(sorted(group)) for group in strongly_connected(import_graph())]
    unknown = [group for group in groups if group not in KNOWN_CYCLES]
    assert not unknown, "import cycles (move the shared part down a layer): " + "; ".join(" ↔ ".join(g) for g in unknown)
    gone = KNOWN_CYCLES - set(groups)
    assert not gone, f"these cycles are gone: take them off KNOWN_CYCLES: {sorted(gone)}"
