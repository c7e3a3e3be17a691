"""The site's look: the Jinja2 environment (the package's templates/, overridable by the
workspace's `templates/` folder), the stylesheet (static/style.css and the code highlighting
rules), and the digest of both for incremental builds."""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from blogcli.site.views import printable_utf8

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
PACKAGE_STATIC = Path(__file__).parent / "static"
TEMPLATE_DIR = "templates"


def template_dirs(root: Path) -> list[Path]:
    """Where templates are looked up, first match wins: the workspace's folder, then the package's."""
    own = root / TEMPLATE_DIR
    return [own, PACKAGE_TEMPLATES] if own.is_dir() else [PACKAGE_TEMPLATES]


@functools.lru_cache(maxsize=4)
def environment(dirs: tuple[Path, ...]):
    """Autoescaping on for every template, so a title like `<script>` is always shown as text."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader

    return Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(dirs: tuple[Path, ...], template: str, **context) -> bytes:
    """A page from `template`, without the control characters no page may hold (views.printable_utf8):
    one pass over the finished page catches every value, whichever template shows it."""
    return printable_utf8(environment(dirs).get_template(template).render(**context))


_LITERAL_ID = re.compile(r"""\bid=["']([^"'{}<>]+)["']""")


def template_ids(dirs: list[Path] | tuple[Path, ...]) -> frozenset[str]:
    """The ids the templates write as they are (`<main id="content">`): a heading in a post never
    takes one of them (render.markdown.heading_id). Ids made by an expression are not known here."""
    ids: set[str] = set()
    for folder in dirs:
        for path in folder.glob("*.html"):
            ids.update(_LITERAL_ID.findall(path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(ids)


def stylesheet() -> bytes:
    """The default CSS with the code highlighting rules appended."""
    from blogcli.render.markdown import pygments_css

    css = (PACKAGE_STATIC / "style.css").read_text(encoding="utf-8")
    dark = pygments_css("monokai")
    dark_rules = "\n".join(f"  {line}" for line in dark.splitlines() if line.startswith(".highlight"))
    return (
        f"{css}\n/* code highlighting (Pygments) */\n{pygments_css()}\n"
        f"@media (prefers-color-scheme: dark) {{\n{dark_rules}\n}}\n"
    ).encode("utf-8")


def theme_digest(dirs: list[Path]) -> str:
    """A hash of every template and the stylesheet: any edit to them invalidates every page."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in [*dirs, PACKAGE_STATIC]:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
