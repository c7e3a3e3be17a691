"""A speed trick: the site's templates escape text through markupsafe's C function directly.

Jinja2 compiles every `{{ value }}` of an autoescaping template into `escape(value)`, a name the
compiled module takes from `jinja2.runtime` (markupsafe's `escape`), whether the template is
compiled from its text or loaded compiled (site/precompiled.py), and only ever joins the
results into the page (`"".join`, or `Markup("".join(…))` for macros and blocks). markupsafe's
`escape` wraps each result in a `Markup` (two Python calls and a `hasattr` a value); here a plain
`str` goes straight through markupsafe's C escaping function, `_escape_inner`, the one `escape`
itself calls, so the characters are exactly the same; a `Markup` (a macro's output, `| safe`),
which `escape` would copy, is joined as it is; anything else (a number, an Undefined, a `str`
subclass) still goes through `escape`. The page's bytes are unchanged.

Reaches into two internals: the name `escape` in the namespace Jinja2 executes a compiled
template in (Jinja2 3.1), and `markupsafe._speedups._escape_inner` (markupsafe 3.0; pyproject.toml
pins both ranges). Without either, templates keep markupsafe's `escape`.

Measured on pages of the 1,000-post corpus rendered again in one process (best of 15): `post.html`
(~47 escapes a page) ~59 µs a page instead of ~83, `index.html` (20 entries) ~246 instead of ~400
(benchmarks/RESULTS.md, "Post page rendering, second pass (issue 12)"). Tested by
tests/test_site_fast_escape.py.
"""

from __future__ import annotations

import functools


@functools.cache
def template_class():
    """Jinja2's Template, whose compiled templates escape a `str` with markupsafe's C function;
    Jinja2's own Template when the internals are not as expected."""
    from jinja2 import Template
    from markupsafe import Markup, escape

    try:
        from markupsafe._speedups import _escape_inner
    except ImportError:  # markupsafe without its C extension, or another version
        return Template

    def fast_escape(value, _str=str, _markup=Markup, _inner=_escape_inner, _escape=escape):
        kind = type(value)
        if kind is _str:
            return _inner(value)
        return value if kind is _markup else _escape(value)  # a Markup (a macro's output, `| safe`) as it is

    def escaping_fast(template):
        namespace = template.root_render_func.__globals__  # the compiled module's, shared by its blocks and macros
        if namespace.get("escape") is escape:
            namespace["escape"] = fast_escape
        return template

    class FastEscapeTemplate(Template):
        @classmethod
        def from_code(cls, environment, code, globals, uptodate=None):  # a template compiled from its text
            return escaping_fast(super().from_code(environment, code, globals, uptodate))

        @classmethod
        def from_module_dict(cls, environment, module_dict, globals):  # one compiled ahead (site/precompiled.py)
            return escaping_fast(super().from_module_dict(environment, module_dict, globals))

    return FastEscapeTemplate
