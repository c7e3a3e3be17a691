"""ARCHITECTURE.md matches the code: what it names exists, and every package (and every module
of the site package) is described there."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "blogcli"
TEXT = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
CODE = re.findall(r"`([^`]+)`", TEXT)
SUBPACKAGES = ("cli", "ops", "site", "model", "workspace", "render")


def named_paths() -> set[str]:
    """Paths under blogcli/ that the document names: `blogcli/x/`, `site/builder.py`, `ops.series`…"""
    found = set()
    for code in CODE:
        if code.startswith("blogcli/"):
            found.add(code.removeprefix("blogcli/"))
        elif re.fullmatch(rf"(?:{'|'.join(SUBPACKAGES)})/[\w/]+(?:\.py|/)", code):
            found.add(code)
        elif match := re.match(rf"({'|'.join(SUBPACKAGES)})\.([a-z_]+)\b", code):
            found.add(f"{match.group(1)}/{match.group(2)}.py")
    return found


def test_every_path_the_document_names_exists():
    names = named_paths()
    assert {"site/builder.py", "site/", "ops/series.py"} <= names  # the parser finds what is there
    missing = sorted(name for name in names if not (PACKAGE / name).exists())
    assert not missing, f"ARCHITECTURE.md names what does not exist: {missing}"


def test_every_package_is_described():
    packages = sorted(p.parent.relative_to(PACKAGE).as_posix() + "/" for p in PACKAGE.glob("*/__init__.py"))
    assert packages, "no packages found"
    undescribed = [p for p in packages if f"`blogcli/{p}`" not in TEXT]
    assert not undescribed, f"packages missing from ARCHITECTURE.md: {undescribed}"


def test_every_module_of_the_site_package_is_described():
    modules = sorted(p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "site").glob("*.py") if p.name != "__init__.py")
    undescribed = [m for m in modules if f"`{m}`" not in TEXT]
    assert not undescribed, f"site modules missing from ARCHITECTURE.md: {undescribed}"
