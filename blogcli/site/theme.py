"""The site's look: the Jinja2 environment (the package's templates/, overridable by the
workspace's `templates/` folder), the stylesheet (static/style.css and the code highlighting
rules), the favicon (static/favicon.svg), and the digest of them all for incremental builds.

The workspace's templates are read by the rule of workspace/author_files.py: a template that is
a symlink leading out of the workspace (or not a regular file) is not read, and the package's
template of that name is used instead (`refused_templates` names them for the build's warnings).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path

from blogcli.errors import FileError
from blogcli.site.precompiled import PACKAGE_TEMPLATES, TEMPLATE_OPTIONS, package_loader
from blogcli.site.views import printable_utf8
from blogcli.workspace.author_files import Refused, file_inside, files_inside
from blogcli.workspace.paths import is_inside

PACKAGE_STATIC = Path(__file__).parent / "static"
TEMPLATE_DIR = "templates"


def template_dirs(root: Path) -> list[Path]:
    """Where templates are looked up, first match wins: the workspace's folder, then the package's."""
    own = root / TEMPLATE_DIR
    return [own, PACKAGE_TEMPLATES] if own.is_dir() else [PACKAGE_TEMPLATES]


def refused_templates(root: Path) -> list[Refused]:
    """The workspace's templates that are not read (links out of the workspace, FIFOs…)."""
    return files_inside(root, TEMPLATE_DIR).refused


@functools.lru_cache(maxsize=4)
def environment(dirs: tuple[Path, ...], build_key: str | None = None):
    """Autoescaping on for every template, so a title like `<script>` is always shown as text.

    Without `build_key`, each use of a workspace template looks whether its file changed (an edit
    shows in the next page; blogcli's own, compiled ahead of time, are those of the installed
    package: site/precompiled.py). With the build's key (BuildSettings.key, which hashes every
    template's bytes: theme_digest), the environment is that build's own: each template is read
    and compiled once and not looked at again, which was three stats of template files a post
    page (and, for a workspace's templates, their paths resolved again); a build with another key
    gets another environment, so an edited template is never served from it."""
    from blogcli.site.lazy_compiler import import_jinja2

    import_jinja2()  # its compiler loads only if a template is compiled from its text
    from jinja2 import BaseLoader, ChoiceLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    class WorkspaceTemplates(BaseLoader):
        """The workspace's templates/ (`folder`), each looked up afresh by the one rule."""

        def __init__(self, folder: Path):
            self.root, self.name = folder.parent, folder.name

        def get_source(self, environment, template: str):
            rel = "/".join([self.name, *split_template_path(template)])
            real = file_inside(self.root, rel)
            if real is None:
                raise TemplateNotFound(template)
            mtime = os.path.getmtime(real)
            try:
                source = real.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise FileError(f"template error: not UTF-8 text ({exc.reason} at byte {exc.start})", path=rel,
                                hint="save the template as UTF-8") from None
            return source, str(real), lambda: file_inside(self.root, rel) == real and os.path.getmtime(real) == mtime

    # blogcli's own templates as compiled ahead of time when current (site/precompiled.py)
    loaders = [package_loader() if d == PACKAGE_TEMPLATES else WorkspaceTemplates(d) for d in dirs]
    return _environment_class()(loader=ChoiceLoader(loaders), auto_reload=build_key is None, **TEMPLATE_OPTIONS)


@functools.cache
def _environment_class():
    """Jinja2's Environment, with `x.name` on a plain dict (every view and `site` are) looked up
    as the key first. Jinja2 tries the attribute first and catches the AttributeError, which was
    ~1 µs of each of the ~50 lookups of a post page; the result is the same as Jinja2's: a name a
    dict has as an attribute (`tag.items`, `post.keys`) is still the attribute. Its templates'
    globals are a plain dict, they escape through site/fast_escape.py and call their macros
    through site/fast_macro.py."""
    from jinja2 import Environment

    from blogcli.site.fast_escape import template_class as fast_escape_template
    from blogcli.site.fast_macro import context_class as fast_macro_context

    dict_names = frozenset(dir(dict))

    class ViewEnvironment(Environment):
        template_class = fast_escape_template()
        context_class = fast_macro_context()

        def make_globals(self, d):
            """A template's globals as one dict (Jinja2 chains the template's over the environment's):
            every page's context is made from them, and iterating a ChainMap was ~10 µs of a post
            page. Nothing changes the environment's globals once its templates are loaded."""
            return {**self.globals, **(d or {})}

        def getattr(self, obj, attribute):
            if type(obj) is dict and attribute not in dict_names:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
            return super().getattr(obj, attribute)

    return ViewEnvironment


def render_page(dirs: tuple[Path, ...], template: str, *, build_key: str | None = None, **context) -> bytes:
    """A page from `template`, without the control characters no page may hold (views.printable_utf8):
    one pass over the finished page catches every value, whichever template shows it. A template
    that cannot be read, parsed or rendered is a FileError naming it (and its line), never a traceback.
    `build_key`: the build's key, for the build's own environment (see `environment`)."""
    from blogcli.site.lazy_compiler import import_jinja2

    import_jinja2()  # its compiler loads only if a template is compiled from its text
    from jinja2 import TemplateError

    try:
        return printable_utf8(environment(dirs, build_key).get_template(template).render(**context))
    except TemplateError as exc:
        raise _template_error(exc, dirs, template) from None


def _template_error(exc, dirs: tuple[Path, ...], template: str) -> FileError:
    """Where in which template `exc` (a Jinja2 TemplateError) happened: a syntax error says so
    itself; otherwise the innermost frame of a template file (Jinja2 gives each template's frames
    its file and line)."""
    import traceback

    from jinja2 import TemplateNotFound

    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if path is None:
        frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.endswith(".html")]
        path, line = (frames[-1].filename, frames[-1].lineno) if frames else (template, None)
    root = dirs[0].parent if dirs[0] != PACKAGE_TEMPLATES else None
    if root is not None and is_inside(root, path):
        path = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    elif is_inside(PACKAGE_TEMPLATES, path):
        path = f"blogcli's {os.path.relpath(path, PACKAGE_TEMPLATES)}"
    detail = f"no template named {exc.name!r}" if isinstance(exc, TemplateNotFound) else exc.message or str(exc)
    return FileError(f"template error: {detail}", path=path, line=line,
                     hint="fix the template (or remove it from templates/ to use blogcli's own)")


_LITERAL_ID = re.compile(r"""\bid=["']([^"'{}<>]+)["']""")


def template_ids(dirs: list[Path] | tuple[Path, ...]) -> frozenset[str]:
    """The ids the templates write as they are (`<main id="content">`): a heading in a post never
    takes one of them (render.markdown.heading_id). Ids made by an expression are not known here.
    The workspace's templates are read by the rule of author_files, as the loader reads them."""
    ids: set[str] = set()
    for folder in dirs:
        if folder == PACKAGE_TEMPLATES:
            paths = list(folder.glob("*.html"))
        else:
            paths = [real for rel, real in files_inside(folder.parent, folder.name).files.items()
                     if "/" not in rel and rel.endswith(".html")]
        for path in paths:
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


def favicon() -> bytes:
    """The default icon (static/favicon.svg); a blog's own static/assets/favicon.svg wins."""
    return (PACKAGE_STATIC / "favicon.svg").read_bytes()


def theme_digest(dirs: list[Path]) -> str:
    """A hash of every template and the stylesheet: any edit to them invalidates every page."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in [*dirs, PACKAGE_STATIC]:
        if folder in (PACKAGE_TEMPLATES, PACKAGE_STATIC):
            files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
        else:
            files = files_inside(folder.parent, folder.name).files
        for rel, path in files.items():
            digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
