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

Python's compiling of that source was still ~7-9 ms of a publish at 10,000 posts (the post page's
four templates and those of the list pages it changes; ~6 ms of a build after an edit), so
`site/templates_compiled.marshal` ships it compiled too, as code objects (`marshal`, as a .pyc
holds a module's), for the Python that compiled the set: used only by the same Python (its
bytecode's magic number) and only for the very `templates_compiled.json` it was compiled from
(the SHA-256 of its bytes); otherwise, or if the file is missing or does not load, the shipped
source is compiled as before. It is package data like the JSON file, read, never written, at run
time. Each code object's file name is set at load to the template's file, so errors name it.

Compile again after editing a template: `python -m blogcli.site.precompiled` (every template of
`site/templates/`, with `TEMPLATE_OPTIONS`: the options of the site's environment; the code
objects for the Python that runs it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import types
from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
COMPILED = Path(__file__).parent / "templates_compiled.json"  # {"jinja2": version, "templates": {name: {"sha256", "python"}}}
# {"magic": the Python's bytecode magic, "compiled": SHA-256 of COMPILED's bytes, "code": {name: code object}}
COMPILED_CODE = COMPILED.with_suffix(".marshal")

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
        data = COMPILED.read_bytes()
        recorded = json.loads(data.decode("utf-8"))
        if all(type(entry["python"]) is str and type(entry["sha256"]) is str for entry in recorded["templates"].values()):
            return {**recorded, "digest": hashlib.sha256(data).hexdigest()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


@functools.cache
def _compiled_loader():
    from jinja2 import BaseLoader, TemplateNotFound

    recorded = _compiled_set()
    templates, shipped = recorded["templates"], shipped_code(recorded["digest"])

    class CompiledTemplates(BaseLoader):
        has_source_access = False

        def load(self, environment, name, globals=None):
            if name not in templates:
                raise TemplateNotFound(name)
            filename = str(PACKAGE_TEMPLATES / name)  # what tracebacks and errors name, as for the text
            code = shipped.get(name)
            code = _located(code, filename) if code is not None else compile(templates[name]["python"], filename, "exec")
            namespace = {"__file__": filename}
            exec(code, namespace)
            return environment.template_class.from_module_dict(environment, namespace, {} if globals is None else globals)

    return CompiledTemplates()


def shipped_code(compiled_digest: str) -> dict[str, types.CodeType]:
    """The templates' code objects shipped in COMPILED_CODE, by name, when they were compiled by
    this Python from the compiled set whose bytes have `compiled_digest`; else none."""
    from importlib.util import MAGIC_NUMBER

    try:
        shipped = marshal.loads(COMPILED_CODE.read_bytes())
        if (type(shipped) is dict and shipped.get("magic") == MAGIC_NUMBER and shipped.get("compiled") == compiled_digest
                and type(shipped.get("code")) is dict
                and all(type(name) is str and type(code) is types.CodeType for name, code in shipped["code"].items())):
            return shipped["code"]
    except (OSError, ValueError, EOFError, TypeError, MemoryError):
        pass
    return {}


def _located(code: types.CodeType, filename: str) -> types.CodeType:
    """`code` (and the functions' code in it) naming `filename` as its file."""
    consts = tuple(_located(const, filename) if type(const) is types.CodeType else const for const in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def template_digests() -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(PACKAGE_TEMPLATES.glob("*.html"))}


def _minor(version: object) -> list[str]:
    return str(version).split(".")[:2]


def compile_package_templates(target: Path = COMPILED) -> None:
    """Compile every template of `site/templates/` into the data file `target`, and their code
    objects, for this Python, into `target`'s `.marshal` beside it."""
    import jinja2
    from importlib.util import MAGIC_NUMBER

    environment = jinja2.Environment(**TEMPLATE_OPTIONS)
    templates = {}
    for name, digest in template_digests().items():
        source = (PACKAGE_TEMPLATES / name).read_text(encoding="utf-8")
        templates[name] = {"sha256": digest, "python": environment.compile(source, name, raw=True, defer_init=True)}
    record = {"jinja2": jinja2.__version__, "templates": templates}
    data = (json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    target.write_bytes(data)
    code = {name: compile(entry["python"], name, "exec") for name, entry in templates.items()}
    shipped = {"magic": MAGIC_NUMBER, "compiled": hashlib.sha256(data).hexdigest(), "code": code}
    target.with_suffix(".marshal").write_bytes(marshal.dumps(shipped))


if __name__ == "__main__":
    compile_package_templates()
