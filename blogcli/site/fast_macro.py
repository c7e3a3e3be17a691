"""A speed trick: a template's call of a macro with just its own arguments skips Jinja2's general
call machinery.

Jinja2 compiles `{{ brief(item) }}` into `context.call(brief, item, _loop_vars=...)`. For a macro,
`Context.call` looks twice for pass-the-context markers and passes the eval context on; then
`Macro.__call__` matches the arguments against the macro's (keywords, defaults, `caller`,
`varargs`, `kwargs`), calls the compiled macro body (`Macro._func`) and wraps the result in a
`Markup` when autoescaping. When the call gives exactly the macro's positional arguments, no
keyword, and the macro takes no `caller`, `varargs` nor `kwargs`, all that comes to
`Markup(macro._func(*args))` (or the plain result without autoescaping): here `Context.call`
does just that, and any other call (a callable that is no macro, a missing or keyword argument,
`{% call %}`, an async environment) goes through Jinja2's own. The page's bytes are unchanged.

Reaches into Jinja2 3.1's `Macro` (its attributes `_func`, `_argument_count`, `_environment`,
`caller`, `catch_kwargs`, `catch_varargs`) and sets the environment's `context_class` (pyproject.toml
pins Jinja2 to 3.1). With another Jinja2, or a `Macro` made otherwise, templates keep Jinja2's
`Context`.

Measured: the four largest tag pages of the 10,000-post corpus (2,338 one-line entries, each a
`brief(item)` call), rendered again in one process (best of 9, CPU): ~4.6 µs an entry instead of
~6.9, ~5 ms of a publish; a full build calls a macro for each entry of every list page (~45,000).
Tested by tests/test_site_fast_macro.py.
"""

from __future__ import annotations

import functools

_MACRO_FIELDS = ("environment", "func", "name", "arguments", "catch_kwargs", "catch_varargs", "caller")


@functools.cache
def context_class():
    """Jinja2's Context, whose `call` invokes a macro given just its arguments directly; Jinja2's
    own Context when its Macro is not the one this was written against."""
    import jinja2
    from jinja2.runtime import Context, Macro
    from markupsafe import Markup

    code = Macro.__init__.__code__
    if jinja2.__version__.split(".")[:2] != ["3", "1"] or code.co_varnames[1:8] != _MACRO_FIELDS:
        return Context
    plain_call = Context.call
    new_str = str.__new__
    loop_keys = {"_loop_vars", "_block_vars"}  # what the compiled code passes to `call` beside the arguments

    class MacroCallingContext(Context):
        def call(__self, __obj, *args, **kwargs):
            if (type(__obj) is Macro and len(args) == __obj._argument_count and kwargs.keys() <= loop_keys
                    and not (__obj.caller or __obj.catch_kwargs or __obj.catch_varargs or __obj._environment.is_async)):
                html = __obj._func(*args)
                if not __self.eval_ctx.autoescape:
                    return html
                return new_str(Markup, html) if type(html) is str else Markup(html)  # Markup(html), without its checks
            return plain_call(__self, __obj, *args, **kwargs)

    return MacroCallingContext
