"""The Typer trick (blogcli/cli/typer_speedup.py) without the internal it needs: nothing changes.

With the internal, tests/test_startup.py shows which commands skip pydantic and that values
needing conversion still go through Typer."""

from __future__ import annotations

import types

from blogcli.cli import typer_speedup


def test_without_typers_parameter_class_nothing_is_patched():
    assert typer_speedup.install(types.SimpleNamespace()) is False


def test_without_the_runtime_param_builder_nothing_is_patched():
    class OldParameter:  # as in Typer 0.28 and older: no get_runtime_param
        pass

    core = types.SimpleNamespace(_TyperParameter=OldParameter)
    assert typer_speedup.install(core) is False
    assert not hasattr(OldParameter, "get_runtime_param")


def test_with_the_internal_it_is_patched_once_and_defers_to_typer():
    built = []

    class RuntimeParam:
        def coerce(self, value, param, ctx):
            return ("typer", value)

    class Parameter:
        _runtime_param = None

        def get_runtime_param(self):
            built.append(self)
            return RuntimeParam()

    core = types.SimpleNamespace(_TyperParameter=Parameter)
    assert typer_speedup.install(core) is True
    patched = Parameter.get_runtime_param
    assert typer_speedup.install(core) is True and Parameter.get_runtime_param is patched  # installed once

    info = types.SimpleNamespace(parser=None, clamp=False, min=1, max=None)
    param = Parameter()
    param.multiple, param.nargs = False, 1
    param.type_descriptor = types.SimpleNamespace(annotation=int, parameter_info=info)
    deferred = param.get_runtime_param()
    assert deferred.coerce(None, param, None) is None
    assert deferred.coerce("7", param, None) == 7 and built == []  # plain digits in bounds: Typer not asked
    assert deferred.coerce("0", param, None) == ("typer", "0")  # below the minimum: Typer's own check
    assert deferred.coerce("seven", param, None) == ("typer", "seven")
