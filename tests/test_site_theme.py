"""The templates' environment (site/theme.py): `x.name` on the views (plain dicts) finds the key
without Jinja2's caught AttributeError, and gives what Jinja2 itself gives in every case."""

from __future__ import annotations

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
