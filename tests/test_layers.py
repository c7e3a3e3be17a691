"""The dependency rule: cli → ops → model, workspace, render. The core never imports the CLI's tools."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "blogcli"
CORE = ["errors.py", "editor.py", "model", "workspace", "ops", "render", "publishing"]
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
