"""blogcli's own templates, compiled ahead of time: the Python source Jinja2 makes of each
(`Environment.compile(..., raw=True, defer_init=True)`, as `compile_templates` writes it), shipped in
`site/templates_compiled.json` and loaded as Jinja2's `ModuleLoader` loads a compiled template
(`Template.from_module_dict`), from that one data file and without touching `sys.modules`.

Why: Jinja2's compiling of the fourteen templates cost ~0.1 s of CPU in every process that
renders pages (a build of the sample blog, each worker of a big build), ~25 ms for the three a
build after an edit uses; Python compiles the shipped source in ~17 ms and ~8 ms. The templates'
text stays the one source: the compiled set records the Jinja2 version that made it and a
SHA-256 of each template, and is used only when the installed Jinja2 has the same major and minor
version and every template still has its digest. Otherwise (a template edited and not compiled
again, another Jinja2) the templates are compiled from their text as before: slower, never stale.
tests/test_precompiled_templates.py holds that the shipped set is current.

Compile again after editing a template: `python -m blogcli.site.precompiled` (every template of
`site/templates/`, with `TEMPLATE_OPTIONS`: the options of the site's environment).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
COMPILED = Path(__file__).parent / "templates_compiled.json"  # {"jinja2": version, "templates": {name: {"sha256", "python"}}}

# The site's Jinja2 options (site/theme.py `environment`); the compiled code depends on them.
TEMPLATE_OPTIONS = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


def package_loader():
    """The loader of blogcli's own templates: the compiled set when it is current, else the
    templates' files."""
    from jinja2 import FileSystemLoader

    return _compiled_loader() if is_current() else FileSystemLoader(str(PACKAGE_TEMPLATES))


@functools.cache
def is_current() -> bool:
    """Whether the compiled set was made from these templates by this Jinja2 (major.minor)."""
    import jinja2

    recorded = _compiled_set()
    if recorded is None or _minor(recorded["jinja2"]) != _minor(jinja2.__version__):
        return False
    return {name: entry["sha256"] for name, entry in recorded["templates"].items()} == template_digests()


@functools.cache
def _compiled_set() -> dict | None:
    try:
        recorded = json.loads(COMPILED.read_text(encoding="utf-8"))
        if all(type(entry["python"]) is str and type(entry["sha256"]) is str for entry in recorded["templates"].values()):
            return recorded
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


@functools.cache
def _compiled_loader():
    from jinja2 import BaseLoader, TemplateNotFound

    templates = _compiled_set()["templates"]

    class CompiledTemplates(BaseLoader):
        has_source_access = False

        def load(self, environment, name, globals=None):
            if name not in templates:
                raise TemplateNotFound(name)
            filename = str(PACKAGE_TEMPLATES / name)  # what tracebacks and errors name, as for the text
            namespace = {"__file__": filename}
            exec(compile(templates[name]["python"], filename, "exec"), namespace)
            return environment.template_class.from_module_dict(environment, namespace, {} if globals is None else globals)

    return CompiledTemplates()


def template_digests() -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(PACKAGE_TEMPLATES.glob("*.html"))}


def _minor(version: object) -> list[str]:
    return str(version).split(".")[:2]


def compile_package_templates(target: Path = COMPILED) -> None:
    """Compile every template of `site/templates/` into the data file `target`."""
    import jinja2

    environment = jinja2.Environment(**TEMPLATE_OPTIONS)
    templates = {}
    for name, digest in template_digests().items():
        source = (PACKAGE_TEMPLATES / name).read_text(encoding="utf-8")
        templates[name] = {"sha256": digest, "python": environment.compile(source, name, raw=True, defer_init=True)}
    record = {"jinja2": jinja2.__version__, "templates": templates}
    target.write_text(json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    compile_package_templates()
