"""site/fast_macro.py: a macro called with just its arguments is invoked directly, and every
template, the package's or a theme's, gives exactly the bytes Jinja2 itself gives."""

from __future__ import annotations

import re

import markupsafe
import pytest
from jinja2 import Environment
from jinja2.runtime import Context

from blogcli.site import fast_macro
from blogcli.site.theme import PACKAGE_TEMPLATES, environment

TRICKY = "<a href=\"x\" title='y'>Fish & chips</a>"
VALUES = {"s": TRICKY, "m": markupsafe.Markup("<b>bold</b>"), "n": 42, "items": [TRICKY, "plain", 3],
          "post": {"title": TRICKY, "tags": [{"name": "a&b"}]}}
SOURCES = [
    "{% macro item(v) %}<li>{{ v }}</li>{% endmacro %}{{ item(s) }}{{ item(m) }}{{ item(n) }}{% for i in items %}{{ item(i) }}{% endfor %}",
    "{% macro pair(a, b='&') %}{{ a }}{{ b }}{% endmacro %}{{ pair(s) }}|{{ pair(s, m) }}|{{ pair(b=s, a=n) }}|{{ pair(s, b=n) }}",
    "{% macro wrap(v) %}<p>{{ caller() }}{{ v }}</p>{% endmacro %}{% call wrap(s) %}{{ m }}&{% endcall %}|{% call(x) wrap(m) %}{{ x }}{% endcall %}",
    "{% macro any(v) %}{{ v }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ any(s) }}|{{ any(s, m, n) }}|{{ any(s, x=n) }}",
    "{% macro bare() %}<br>&{% endmacro %}{{ bare() }}|{{ bare() | length }}|{{ bare() ~ s }}|{{ post.title | e }}",
    "{% macro item(v) %}<li>{{ v }}</li>{% endmacro %}{% autoescape false %}{{ item(s) }}{% endautoescape %}|{{ item(s) }}",
    "{% macro item(v) %}{{ v.title }}{% endmacro %}{% set shown = item(post) %}{{ shown }}|{{ item }}|{{ item.name }}",
    "{% macro item(v) %}{{ v }}{% endmacro %}{{ item() }}|{{ item(missing) }}|{{ (item(s) ~ '') | upper }}",
]


def _jinja2s_own() -> Environment:
    return Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@pytest.mark.parametrize("source", SOURCES)
def test_a_template_calling_macros_gives_the_bytes_jinja2_gives(source):
    ours = environment((PACKAGE_TEMPLATES,))
    assert ours.context_class is not Context  # the trick is in use
    assert ours.from_string(source).render(**VALUES) == _jinja2s_own().from_string(source).render(**VALUES)


def test_a_macro_given_too_many_arguments_or_an_unknown_keyword_fails_as_in_jinja2():
    ours = environment((PACKAGE_TEMPLATES,))
    for source in ("{% macro item(v) %}{{ v }}{% endmacro %}{{ item(1, 2) }}",
                   "{% macro item(v) %}{{ v }}{% endmacro %}{{ item(1, w=2) }}"):
        with pytest.raises(TypeError) as theirs:
            _jinja2s_own().from_string(source).render()
        with pytest.raises(TypeError, match=re.escape(str(theirs.value))):
            ours.from_string(source).render()


def test_a_direct_call_gives_markup_as_jinja2s_macro_does():
    """The fast path hands back what Macro.__call__ would: Markup when autoescaping, else the text."""
    template = environment((PACKAGE_TEMPLATES,)).from_string("{% macro item(v) %}<i>{{ v }}</i>{% endmacro %}")
    context = template.new_context({})
    item = template.module.item
    shown = context.call(item, TRICKY, _loop_vars={})
    assert type(shown) is markupsafe.Markup and shown == item(TRICKY)
    assert context.call(lambda v: v, TRICKY) == TRICKY  # not a macro: Jinja2's own call
    assert context.call(item) == item() == "<i></i>"  # an argument missing: Jinja2's own call


def test_with_another_jinja2_templates_keep_jinja2s_context(monkeypatch):
    import jinja2

    fast_macro.context_class.cache_clear()
    try:
        with monkeypatch.context() as patched:
            patched.setattr(jinja2, "__version__", "3.2.0")
            assert fast_macro.context_class() is Context
    finally:
        fast_macro.context_class.cache_clear()
    assert fast_macro.context_class() is not Context
