"""blogcli's templates compiled ahead of time (site/precompiled.py): the shipped set is current,
the site's environment uses it instead of compiling, and anything that makes it stale falls back
to the templates' text, with the same site either way."""

from __future__ import annotations

import json

import jinja2
import pytest

from blogcli.errors import FileError
from blogcli.site import precompiled, theme
from blogcli.site.builder import build_site
from blogcli.site.precompiled import COMPILED, PACKAGE_TEMPLATES, compile_package_templates
from blogcli.workspace.store import Workspace


def files_of(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def fresh_caches():
    """The loader choice and the environments are cached per process: start and end afresh."""
    caches = (precompiled.is_current, precompiled._compiled_set, precompiled._compiled_loader, theme.environment)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.fixture
def no_compiling(monkeypatch):
    """Jinja2 compiling any template's text fails: what renders was compiled ahead of time."""
    def refuse(*args, **kwargs):
        raise AssertionError("a template was compiled from its text")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_the_shipped_compiled_templates_are_current(tmp_path):
    """Every template as it is now, by this Jinja2's series; made by this very Jinja2, compiling
    again gives the shipped file. After editing a template: `python -m blogcli.site.precompiled`."""
    assert precompiled.is_current(), "compile again: python -m blogcli.site.precompiled"
    shipped = json.loads(COMPILED.read_text(encoding="utf-8"))
    assert set(shipped["templates"]) == {path.name for path in PACKAGE_TEMPLATES.glob("*.html")}
    if jinja2.__version__ == shipped["jinja2"]:
        compile_package_templates(tmp_path / "again.json")
        assert (tmp_path / "again.json").read_bytes() == COMPILED.read_bytes()


def test_the_site_is_rendered_without_compiling_blogcli_templates(sample, fresh_caches, no_compiling):
    """...and leaves nothing in sys.modules (Jinja2's ModuleLoader leaves a weak proxy there that
    breaks whatever walks sys.modules once the loader is gone: Hypothesis did)."""
    import sys

    before = set(sys.modules)
    build_site(Workspace.open(sample))
    assert "Who Rides After Midnight" in (sample / "site/who-rides-after-midnight/index.html").read_text(encoding="utf-8")
    assert not [name for name in set(sys.modules) - before if "template" in name]


@pytest.mark.parametrize("stale", ["an edited template", "another Jinja2"])
def test_a_stale_compiled_set_is_not_used_and_the_site_is_the_same(sample, tmp_path, monkeypatch, fresh_caches, stale):
    built = build_site(Workspace.open(sample), out=tmp_path / "compiled")
    theme.environment.cache_clear()
    precompiled.is_current.cache_clear()
    if stale == "an edited template":
        digests = precompiled.template_digests()
        monkeypatch.setattr(precompiled, "template_digests", lambda: {**digests, "post.html": "0" * 64})
    else:
        monkeypatch.setattr(jinja2, "__version__", "3.2.0")
    compiled = []
    compile = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda env, source, name=None, *a, **k: compiled.append(name) or compile(env, source, name, *a, **k))
    from_text = build_site(Workspace.open(sample), out=tmp_path / "from-text")
    assert "post.html" in compiled
    assert files_of(from_text.out) == files_of(built.out)


def test_a_workspace_template_still_overrides_a_compiled_one(sample, fresh_caches):
    (sample / "templates").mkdir()
    (sample / "templates" / "404.html").write_text('{% extends "base.html" %}{% block main %}Lost at sea{% endblock %}')
    build_site(Workspace.open(sample))
    page = (sample / "site" / "404.html").read_text(encoding="utf-8")
    assert "Lost at sea" in page and "<html" in page  # the workspace's page in blogcli's compiled base.html


def test_an_error_in_a_compiled_template_names_the_template_and_its_line(fresh_caches, no_compiling):
    with pytest.raises(FileError) as raised:
        theme.render_page((PACKAGE_TEMPLATES,), "tag.html", build_key="a build key")  # no `site`: base.html line 2 fails
    assert str(raised.value).startswith("blogcli's base.html:2: template error: 'site' is undefined")


def test_the_shipped_code_objects_are_those_of_the_shipped_source():
    """templates_compiled.marshal holds the code Python compiles from templates_compiled.json's
    source (made by the same `python -m blogcli.site.precompiled`), for the Python that made it."""
    from importlib.util import MAGIC_NUMBER
    import marshal

    shipped = marshal.loads(precompiled.COMPILED_CODE.read_bytes())
    if shipped["magic"] != MAGIC_NUMBER:
        pytest.skip("the shipped code objects are another Python's: this one compiles the source")
    recorded = precompiled._compiled_set()
    assert shipped["compiled"] == recorded["digest"], "compile again: python -m blogcli.site.precompiled"
    assert precompiled.shipped_code(recorded["digest"]).keys() == recorded["templates"].keys()
    for name, entry in recorded["templates"].items():
        assert shipped["code"][name] == compile(entry["python"], name, "exec"), name


def test_the_shipped_code_is_used_and_names_the_template_file(fresh_caches, monkeypatch):
    from importlib.util import MAGIC_NUMBER
    import marshal

    if marshal.loads(precompiled.COMPILED_CODE.read_bytes())["magic"] != MAGIC_NUMBER:
        pytest.skip("the shipped code objects are another Python's")

    def refuse(*args, **kwargs):
        raise AssertionError("a template's source was compiled")

    monkeypatch.setattr(precompiled, "compile", refuse, raising=False)  # the loader's `compile`
    template = theme.environment((PACKAGE_TEMPLATES,), "a build key").get_template("tag.html")
    code = template.blocks["main"].__code__
    assert code.co_filename == str(PACKAGE_TEMPLATES / "tag.html")
    with pytest.raises(FileError) as raised:
        theme.render_page((PACKAGE_TEMPLATES,), "tag.html", build_key="a build key")  # no `site`: base.html line 2 fails
    assert str(raised.value).startswith("blogcli's base.html:2: template error: 'site' is undefined")


@pytest.mark.parametrize("shipped", ["missing", "garbled", "another Python", "another compiled set", "not code"])
def test_shipped_code_that_does_not_fit_is_not_used_and_the_site_is_the_same(sample, tmp_path, monkeypatch,
                                                                              fresh_caches, shipped):
    from importlib.util import MAGIC_NUMBER
    import marshal

    built = build_site(Workspace.open(sample), out=tmp_path / "shipped")
    digest = precompiled._compiled_set()["digest"]
    code = {name: compile(entry["python"], name, "exec") for name, entry in precompiled._compiled_set()["templates"].items()}
    fake = tmp_path / "templates_compiled.marshal"
    record = {"magic": MAGIC_NUMBER, "compiled": digest, "code": code}
    if shipped == "garbled":
        fake.write_bytes(marshal.dumps(record)[:5000])
    elif shipped == "another Python":
        fake.write_bytes(marshal.dumps({**record, "magic": b"\x00\x00\r\n"}))
    elif shipped == "another compiled set":
        fake.write_bytes(marshal.dumps({**record, "compiled": "0" * 64}))
    elif shipped == "not code":
        fake.write_bytes(marshal.dumps({**record, "code": {**code, "tag.html": "print('no')"}}))
    monkeypatch.setattr(precompiled, "COMPILED_CODE", fake)
    assert precompiled.shipped_code(digest) == {}
    for cache in (precompiled._compiled_loader, theme.environment):
        cache.cache_clear()
    compiled = []
    monkeypatch.setattr(precompiled, "compile", lambda *args: compiled.append(args[1]) or compile(*args), raising=False)
    again = build_site(Workspace.open(sample), out=tmp_path / "from-source")
    assert str(PACKAGE_TEMPLATES / "post.html") in compiled
    assert files_of(again.out) == files_of(built.out)
