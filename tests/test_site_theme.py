"""The templates' environment (site/theme.py): `x.name` on the views (plain dicts) finds the key
without Jinja2's caught AttributeError, and gives what Jinja2 itself gives in every case."""

from __future__ import annotations

import os
import sys

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError

from blogcli.site.theme import PACKAGE_TEMPLATES, environment


def _exceptions_raised(call) -> list[str]:
    """The exceptions raised (and maybe caught) in Python frames while `call` runs."""
    raised = []

    def trace(frame, event, arg):
        if event == "exception":
            raised.append(arg[0].__name__)
        return trace

    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return raised


def test_a_views_key_is_found_without_an_exception():
    env = environment((PACKAGE_TEMPLATES,))
    post = {"title": "Night bus", "tags": []}
    assert _exceptions_raised(lambda: env.getattr(post, "title")) == []
    assert env.from_string("{{ post.title }}").render(post=post) == "Night bus"


@pytest.mark.parametrize("source", [
    "{{ post.title }}|{{ post.missing }}|{{ post.missing is defined }}",
    "{{ tag.items is callable }}|{{ tag['items'] | length }}|{{ tag.keys() | list | length }}",
    "{{ post.title.upper() }}|{{ post.tags[0].name }}|{{ loop_like.count }}",
    "{% for k, v in post.items() %}{{ k }}={{ v }};{% endfor %}",
])
def test_lookups_give_what_jinja2_gives(source):
    context = {"post": {"title": "Night <bus>", "tags": [{"name": "a"}], "x": 1}, "tag": {"items": [1, 2]},
               "loop_like": [1, 2]}
    ours = environment((PACKAGE_TEMPLATES,))
    theirs = Environment(autoescape=True)
    assert ours.from_string(source).render(**context) == theirs.from_string(source).render(**context)


def test_a_missing_key_is_undefined_as_jinja2_makes_it():
    env = environment((PACKAGE_TEMPLATES,)).overlay(undefined=StrictUndefined)
    with pytest.raises(UndefinedError, match="'dict object' has no attribute 'missing'"):
        env.from_string("{{ post.missing }}").render(post={})


def test_a_builds_templates_are_read_once_and_an_edit_makes_a_new_key(tmp_path, monkeypatch):
    """With the build's key, a page's templates (its own, the one it extends, the ones it
    includes) are not looked at again for each page; the next build's key (an edited template
    changes it: theme_digest) reads them afresh, and without a key every use looks."""
    from blogcli.site.theme import render_page, template_dirs, theme_digest

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text('{% extends "frame.html" %}{% block b %}{{ x }}{% endblock %}')
    (folder / "frame.html").write_text("<p>{% block b %}{% endblock %}</p>")
    dirs = tuple(template_dirs(tmp_path))
    first = theme_digest(list(dirs))
    assert render_page(dirs, "page.html", build_key=first, x="a") == b"<p>a</p>"

    looked = []
    for name in ("stat", "lstat"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda path, *a, _real=real, **k: looked.append(path) or _real(path, *a, **k))
    for _ in range(3):
        assert render_page(dirs, "page.html", build_key=first, x="b") == b"<p>b</p>"
    assert looked == []
    monkeypatch.undo()

    (folder / "frame.html").write_text("<div>{% block b %}{% endblock %}</div>")
    second = theme_digest(list(dirs))
    assert second != first
    assert render_page(dirs, "page.html", build_key=second, x="c") == b"<div>c</div>"
    assert render_page(dirs, "page.html", x="c") == b"<div>c</div>"
    (folder / "frame.html").write_text("<em>{% block b %}{% endblock %}</em>")
    os.utime(folder / "frame.html", ns=(1, 1))  # a different mtime, whatever the clock's grain
    assert render_page(dirs, "page.html", x="d") == b"<em>d</em>"


def test_the_json_ld_written_once_is_what_tojson_writes(sample):
    """`post.json_ld_html` (views.json_ld_html) is byte for byte `post.json_ld | tojson`, so a
    theme's post.html written for `tojson` gives the same page as blogcli's own."""
    from blogcli.site.builder import build_site
    from blogcli.site.theme import PACKAGE_TEMPLATES
    from blogcli.site.views import json_ld_html
    from blogcli.workspace.store import Workspace

    tricky = {"headline": "</script><b>'&'</b>", "keywords": ["ü", "\u2028"], "z": 1, "a": {"y": None, "b": 2.5}}
    tojson = Environment(autoescape=True).from_string("{{ x | tojson }}").render(x=tricky)
    assert json_ld_html(tricky) == tojson and "</script>" not in tojson

    build_site(Workspace.open(sample))
    ours = {page: page.read_bytes() for page in (sample / "site").rglob("index.html")}
    theme = (PACKAGE_TEMPLATES / "post.html").read_text(encoding="utf-8")
    assert "{{ post.json_ld_html }}" in theme
    (sample / "templates").mkdir(exist_ok=True)
    (sample / "templates" / "post.html").write_text(theme.replace("{{ post.json_ld_html }}", "{{ post.json_ld | tojson }}"),
                                                   encoding="utf-8")
    build_site(Workspace.open(sample))
    assert {page: page.read_bytes() for page in (sample / "site").rglob("index.html")} == ours


def test_a_templates_globals_are_its_own_over_the_environments():
    """The globals are one dict a template (Jinja2 chains them): the environment's (`range`…)
    are there, a template's own overlay them, and they reach neither the environment nor
    another template."""
    env = environment((PACKAGE_TEMPLATES,))
    first = env.from_string("{{ greeting }} {{ range(3) | list | length }}", globals={"greeting": "hello", "range": range})
    other = env.from_string("{{ greeting is defined }} {{ range(2) | list | length }}")
    assert first.render() == "hello 3"
    assert first.render(greeting="hi") == "hi 3"
    assert other.render() == "False 2"
    assert "greeting" not in env.globals
    assert type(first.globals) is dict
