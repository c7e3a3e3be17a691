"""A start-up trick: commands whose options need no converting skip importing pydantic.

Typer 0.29 builds a pydantic TypeAdapter for every non-flag parameter as soon as the command
runs, even for an option left unset, and importing pydantic costs ~100 ms, more than the rest of
`blog list`. An unset value (None), text for a plain `str` parameter, texts for a `list[str]` one
(`blog search night bus`, `--status a --status b`) and plain digits within an `int` parameter's
bounds come out of that adapter as they go in (or as `int()` or `list()` makes them), so they
skip it; every other value, and every value Typer would reject, goes to Typer's own
coercion, built on first use as before.

Reaches into Typer's internals: `typer.core._TyperParameter.get_runtime_param` and its
`_runtime_param` cache, present in Typer 0.29.0–0.29.2 (checked; 0.28 and older have neither and
need no trick). pyproject.toml pins Typer to that range. Without the internal, `install()`
changes nothing and Typer converts every value itself.

Measured on the sample blog with a warm index, 30 runs of each variant taken in turns on a
shared 2-core VM (medians of the process's CPU time; wall time in brackets): `blog list --json`
173 ms (194 ms) with the trick against 342 ms (391 ms) without; `blog list` 222 ms (319 ms)
against 395 ms (552 ms). Tested by tests/test_startup.py (with the internal) and tests/test_typer_speedup.py (without).
"""

from __future__ import annotations

from typing import Any


def install(core: Any = None) -> bool:
    """Patch Typer's parameters to coerce plain values themselves; False if Typer lacks the internal."""
    if core is None:
        import typer.core as core
    parameter_class = getattr(core, "_TyperParameter", None)
    build = getattr(parameter_class, "get_runtime_param", None)
    if build is None:
        return False
    if getattr(build, "blogcli_deferred", False):
        return True

    class Deferred:
        def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
            many = param.multiple or param.nargs == -1
            if value is None:
                return () if many else None
            descriptor = param.type_descriptor
            info = descriptor.parameter_info
            if many and value and info.parser is None and descriptor.annotation == list[str] and all(isinstance(v, str) for v in value):
                return list(value)
            if isinstance(value, str) and not many and info.parser is None:
                if descriptor.annotation is str:
                    return value
                if descriptor.annotation is int and value.isascii() and value.isdigit() and not info.clamp:
                    number = int(value)
                    if (info.min is None or number >= info.min) and (info.max is None or number <= info.max):
                        return number
            return build(param).coerce(value, param=param, ctx=ctx)

    deferred = Deferred()

    def get_runtime_param(self: Any) -> Any:
        return deferred if self._runtime_param is None else self._runtime_param

    get_runtime_param.blogcli_deferred = True  # type: ignore[attr-defined]
    parameter_class.get_runtime_param = get_runtime_param
    return True
