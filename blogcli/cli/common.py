"""What every command module shares: the error boundary, consoles, the workspace, JSON output."""

from __future__ import annotations

import functools
import json
import os
import sys
from typing import Any, Callable

import typer

from blogcli.cli import typer_speedup
from blogcli.errors import BlogError

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


class State:
    """Options of the top-level callback (`--root`), read by every command."""

    root: str | None = None


def plain_output(stream=None, no_color: bool = False) -> bool:
    """No ANSI codes when asked (--no-color, NO_COLOR) or when the stream is not a terminal,
    unless FORCE_COLOR asks for them anyway (`FORCE_COLOR=1 blog preview | less -R`)."""
    stream = stream or sys.stdout
    if no_color or "NO_COLOR" in os.environ:
        return True
    return not (os.environ.get("FORCE_COLOR") or stream.isatty())


def console(stderr: bool = False, no_color: bool = False, width: int | None = None):
    """A Rich console; with colour off it has no colour system, so it emits no codes at all."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if plain_output(stream, no_color):
        return Console(file=stream, color_system=None, force_terminal=False, width=width or plain_width(), highlight=False, emoji=False)
    return Console(file=stream, stderr=stderr, width=width, highlight=False, emoji=False)


def plain_width() -> int:
    """Columns for output that is not a terminal: $COLUMNS, else 100."""
    try:
        return int(os.environ.get("COLUMNS", "")) or 100
    except ValueError:
        return 100


def notify(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


def open_workspace():
    from blogcli.workspace.store import Workspace

    return Workspace.open(State.root, notify=notify)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def emit_json_array(encoded: list[str]) -> None:
    """Already-encoded JSON values as one array, one value per line: as valid as `emit_json`,
    cheap for thousands of items (the indenting encoder is pure Python), easy to grep."""
    if not encoded:
        sys.stdout.write("[]\n")
        return
    sys.stdout.write("[\n")
    sys.stdout.write(",\n".join(encoded))  # written apart: no second copy of megabytes of text
    sys.stdout.write("\n]\n")


def show_path(path) -> str:
    """A path as the user can paste it: relative to the current folder when below it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def interactive() -> bool:
    """A person at a terminal, who can answer a question."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def confirm_new_series(call: Callable[[bool], Any], new_series: bool) -> Any:
    """Run `call(new_series)`; when it refuses a series name as close to an existing one, ask on a
    terminal whether to start a new series under that name (and run it again if so)."""
    from blogcli.model.series import CloseSeriesName

    try:
        return call(new_series)
    except CloseSeriesName as exc:
        if new_series or not interactive():
            raise
        question = (
            f"No series is named {exc.name!r}; the closest is {exc.candidate.title!r} ({exc.candidate.slug}).\n"
            f"Start a new series {exc.name.strip()!r}?"
        )
        if not typer.confirm(question, default=False, err=True):
            raise
    return call(True)


def report_error(exc: BlogError, as_json: bool = False) -> None:
    if as_json:
        sys.stderr.write(json.dumps({"error": exc.as_dict()}, ensure_ascii=False) + "\n")
        return
    lines = [f"error: {exc.message}"]
    if exc.candidates:
        lines.append("candidates:")
        lines.extend(f"  {c}" for c in exc.candidates)
    if exc.hint:
        lines.append(f"hint: {exc.hint}")
    sys.stderr.write("\n".join(lines) + "\n")


def error_boundary(func: Callable) -> Callable:
    """Turn the core's BlogError (and OS errors) into `error: …` on stderr and exit 1; Ctrl-C → 130."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        as_json = bool(kwargs.get("as_json"))
        try:
            return func(*args, **kwargs)
        except BlogError as exc:
            report_error(exc, as_json)
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            report_error(BlogError(f"{where}{exc.strerror or exc}"), as_json)
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper


typer_speedup.install()  # plain option values skip pydantic: see cli/typer_speedup.py


class BlogTyper(typer.Typer):
    """A Typer app whose every command runs inside `error_boundary`, with help from cli/help.py."""

    def __init__(self, **kwargs):
        from blogcli.cli.help import BlogGroup

        kwargs.setdefault("cls", BlogGroup)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("no_args_is_help", False)
        super().__init__(**kwargs)

    def command(self, *args, **kwargs):
        from blogcli.cli.help import BlogCommand

        kwargs.setdefault("cls", BlogCommand)
        register = super().command(*args, **kwargs)

        def decorator(func):
            register(error_boundary(func))
            return func

        return decorator
