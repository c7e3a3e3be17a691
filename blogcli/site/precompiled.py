"""blogcli's own templates, compiled ahead of time: Jinja2's Python modules of them
(`Environment.compile_templates`), shipped in `site/templates_compiled/` and loaded as Jinja2's
`ModuleLoader` loads them, but without an entry in `sys.modules` (ModuleLoader puts a weak proxy
there, which breaks code that walks `sys.modules` once the loader is gone).

Why: compiling the fourteen templates cost ~0.1 s of CPU in every process that renders pages (a
build of the sample blog, each worker of a big build), and the three a build after an edit uses
~25 ms, where loading the compiled modules takes ~5 ms and ~1 ms (their bytecode cached by Python
as for any module). The templates' text stays the one source: the compiled
set records the Jinja2 version that made it and a SHA-256 of each template, and is used only when
the installed Jinja2 has the same major and minor version and every template still has its digest.
Otherwise (a template edited and not compiled again, another Jinja2) the templates are compiled
from their text as before: slower, never stale. tests/test_precompiled_templates.py holds that
the shipped set is current.

Compile again after editing a template (`python -m blogcli.site.precompiled`): every template of
`site/templates/` with the options of `TEMPLATE_OPTIONS`, the ones the site's environment uses.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
COMPILED = Path(__file__).parent / "templates_compiled"
SOURCES = "sources.json"  # {"jinja2": version, "templates": {name: sha256 of its bytes}}

# The site's Jinja2 options (site/theme.py `environment`); the compiled code depends on them.
TEMPLATE_OPTIONS = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


def package_loader():
    """The loader of blogcli's own templates: the compiled modules when they are current, else
    the templates' files."""
    from jinja2 import FileSystemLoader

    return _compiled_loader() if is_current() else FileSystemLoader(str(PACKAGE_TEMPLATES))


@functools.cache
def _compiled_loader():
    import importlib.util

    from jinja2 import BaseLoader, ModuleLoader, TemplateNotFound

    class CompiledTemplates(BaseLoader):
        has_source_access = False

        def load(self, environment, name, globals=None):
            path = COMPILED / ModuleLoader.get_module_filename(name)
            if not path.is_file():
                raise TemplateNotFound(name)
            spec = importlib.util.spec_from_file_location(f"blogcli_compiled_{path.stem}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)  # Python keeps its bytecode in __pycache__ as for any module
            namespace = {} if globals is None else globals
            return environment.template_class.from_module_dict(environment, module.__dict__, namespace)

    return CompiledTemplates()


@functools.cache
def is_current() -> bool:
    """Whether the compiled set was made from these templates by this Jinja2 (major.minor)."""
    import jinja2

    try:
        recorded = json.loads((COMPILED / SOURCES).read_text(encoding="utf-8"))
        made_by, digests = recorded["jinja2"], recorded["templates"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return _minor(made_by) == _minor(jinja2.__version__) and digests == template_digests()


def template_digests() -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(PACKAGE_TEMPLATES.glob("*.html"))}


def template_file(filename: str) -> str:
    """The template a compiled module was made from (a traceback names the module), else `filename`."""
    path = Path(filename)
    if path.parent == COMPILED:
        from jinja2 import ModuleLoader

        for name in template_digests():
            if path.name == ModuleLoader.get_module_filename(name):
                return str(PACKAGE_TEMPLATES / name)
    return filename


def _minor(version: object) -> list[str]:
    return str(version).split(".")[:2]


def compile_package_templates(target: Path = COMPILED) -> None:
    """Compile every template of `site/templates/` into `target` (its old modules removed)."""
    import jinja2

    target.mkdir(exist_ok=True)
    for old in target.glob("tmpl_*.py"):
        old.unlink()
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)), **TEMPLATE_OPTIONS)
    environment.compile_templates(str(target), zip=None, ignore_errors=False)
    record = {"jinja2": jinja2.__version__, "templates": template_digests()}
    (target / SOURCES).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    compile_package_templates()
