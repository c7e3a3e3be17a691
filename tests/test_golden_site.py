"""The sample blog's site, byte for byte: every output file compared with tests/golden/site/.

The sample (blog.toml, drafts/, published/, static/ of this repository) is built at the suite's
frozen clock (BLOG_NOW, see conftest.py). The output holds no build time and no absolute path of
the machine, so the same sources give the same bytes anywhere; what it does depend on is
cmark-gfm (HTML), pinned in pyproject.toml, and the installed Pygments. Pygments' colours change
between its releases (2.20 changed monokai's, the dark theme's rules) and the site rightly takes
them from whichever is installed, so `assets/style.css` is compared byte for byte up to its
"code highlighting (Pygments)" line, and what follows is checked to be exactly the installed
Pygments' rules (light, then dark under prefers-color-scheme) rather than the golden file's.

After a deliberate change to the output, rewrite the tree and review the diff before committing:

    .venv/bin/python -m pytest -q tests/test_golden_site.py --regen-golden && git diff --stat tests/golden/site
"""

from __future__ import annotations

import shutil
from pathlib import Path

from blogcli.site.builder import build_site
from blogcli.workspace.store import Workspace

GOLDEN = Path(__file__).parent / "golden" / "site"


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (hidden ones included: the marker is output too), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(built: dict[str, bytes], golden: dict[str, bytes]) -> list[str]:
    missing = sorted(set(golden) - set(built))
    extra = sorted(set(built) - set(golden))
    different = sorted(rel for rel in set(built) & set(golden) if built[rel] != golden[rel])
    return ([f"missing (in the golden tree, not built): {rel}" for rel in missing]
            + [f"extra (built, not in the golden tree): {rel}" for rel in extra]
            + [f"different bytes: {rel}" for rel in different])


STYLESHEET = "assets/style.css"
PYGMENTS_PART = b"\n/* code highlighting (Pygments) */\n"


def without_pygments(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with the stylesheet cut before its Pygments rules (the part blogcli writes itself)."""
    css = files.get(STYLESHEET)
    if css is None or PYGMENTS_PART not in css:
        return files
    return {**files, STYLESHEET: css[: css.index(PYGMENTS_PART) + len(PYGMENTS_PART)]}


def expected_pygments_rules() -> bytes:
    """What the stylesheet must hold after PYGMENTS_PART with the installed Pygments: the light
    style's rules as Pygments writes them, then the dark style's `.highlight` rules, indented,
    inside a prefers-color-scheme: dark block."""
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    dark_rules = "\n".join(f"  {line}" for line in dark.splitlines() if line.startswith(".highlight"))
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark_rules}\n}}\n".encode()


def test_the_sample_site_matches_the_golden_tree(sample, regen_golden):
    build_site(Workspace.open(sample))
    built = files_of(sample / "site")
    assert not any(str(sample).encode() in data for data in built.values()), "the output names the build's folder"
    if regen_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    assert GOLDEN.is_dir(), f"no golden tree at {GOLDEN}: run pytest with --regen-golden and review it"
    problems = differences(without_pygments(built), without_pygments(files_of(GOLDEN)))
    assert not problems, "the built site differs from tests/golden/site/:\n  " + "\n  ".join(problems)
    css = built[STYLESHEET]
    assert css.count(PYGMENTS_PART) == 1
    assert css.split(PYGMENTS_PART)[1] == expected_pygments_rules(), "the stylesheet's code rules are not the installed Pygments'"


def test_only_the_pygments_rules_of_the_stylesheet_are_left_out_of_the_comparison():
    css = b"body { color: black }\n" + PYGMENTS_PART + b".highlight .k { color: red }\n"
    other = b"body { color: black }\n" + PYGMENTS_PART + b".highlight .k { color: blue }\n"
    assert differences(without_pygments({STYLESHEET: css}), without_pygments({STYLESHEET: other})) == []
    changed = b"body { color: white }\n" + PYGMENTS_PART + b".highlight .k { color: red }\n"
    assert differences(without_pygments({STYLESHEET: css}), without_pygments({STYLESHEET: changed})) == [f"different bytes: {STYLESHEET}"]
    assert without_pygments({"index.html": css}) == {"index.html": css}  # another file is compared whole


def test_the_comparison_names_every_kind_of_difference():
    built = {"a.html": b"same", "b.html": b"new", "c.html": b"only built"}
    golden = {"a.html": b"same", "b.html": b"old", "d.html": b"only golden"}
    assert differences(built, golden) == [
        "missing (in the golden tree, not built): d.html",
        "extra (built, not in the golden tree): c.html",
        "different bytes: b.html",
    ]
