"""What every command module shares: the error boundary, consoles, the workspace, JSON output."""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import os
import re
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
    """A Rich console; with colour off it has no colour system, so it emits no codes at all.

    What it prints passes through `visible` (render/controls.py) after Rich has laid it out, so
    no control character from a file reaches the terminal, only Rich's own codes. (Author text
    should also be made visible before it is laid out, so that columns are measured on it.)
    """
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    stream = stream.stream if isinstance(stream, VisibleStream) else stream  # Rich's codes must pass
    if plain_output(stream, no_color):
        made = Console(file=stream, color_system=None, force_terminal=False, width=width or plain_width(), highlight=False, emoji=False)
    else:
        made = Console(file=stream, stderr=stderr, width=width, highlight=False, emoji=False)
    made.push_render_hook(_visible_hook())
    return made


def _visible_hook():
    """A Rich render hook that shows control characters in the text of every segment printed."""
    from rich.console import RenderHook
    from rich.measure import Measurement
    from rich.segment import Segment

    from blogcli.render.controls import visible

    class Shown:
        def __init__(self, inner):
            self.inner = inner

        def __rich_console__(self, console, options):
            for segment in console.render(self.inner, options):
                if segment.control or segment.text.isprintable():
                    yield segment
                else:
                    yield Segment(visible(segment.text, newlines=True), segment.style, segment.control)

        def __rich_measure__(self, console, options):
            return Measurement.get(console, options, self.inner)

    class Hook(RenderHook):
        def process_renderables(self, renderables):
            return [Shown(renderable) for renderable in renderables]

    return Hook()


@contextlib.contextmanager
def rich_output():
    """stdout as it is under VisibleStream, for a block that writes what a Rich console made
    (already shown by its render hook), such as the pager, whose codes must pass."""
    shown = sys.stdout
    sys.stdout = shown.stream if isinstance(shown, VisibleStream) else shown
    try:
        yield
    finally:
        sys.stdout = shown


class VisibleStream:
    """A text stream that shows the control characters of what is written (render/controls.py).

    The error boundary puts one over stdout and stderr while a command runs, so a title or a file
    name echoed in a message cannot reach the terminal as an escape sequence. It has no `buffer`,
    so Click writes through it rather than around it.
    """

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        from blogcli.render.controls import visible

        return self.stream.write(visible(text, newlines=True) if isinstance(text, str) else text)

    def __getattr__(self, name: str):
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self.stream, name)


def plain_width() -> int:
    """Columns for output that is not a terminal: $COLUMNS, else 100."""
    try:
        return int(os.environ.get("COLUMNS", "")) or 100
    except ValueError:
        return 100


def notify(message: str) -> None:
    from blogcli.render.controls import visible

    sys.stderr.write(f"{visible(message)}\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    from blogcli.render.controls import visible

    sys.stderr.write(f"warning: {visible(message)}\n")


def open_workspace():
    from blogcli.workspace.store import Workspace

    return Workspace.open(State.root, notify=notify)


def emit_json(data: Any) -> None:
    sys.stdout.write(_terminal_safe_json(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


def emit_json_array(encoded: list[str]) -> None:
    """Already-encoded JSON values as one array, one value per line: as valid as `emit_json`,
    cheap for thousands of items (the indenting encoder is pure Python), easy to grep."""
    if not encoded:
        sys.stdout.write("[]\n")
        return
    sys.stdout.write("[\n")
    sys.stdout.write(_terminal_safe_json(",\n".join(encoded)))  # written apart: no second copy of megabytes
    sys.stdout.write("\n]\n")


_JSON_ESCAPED = re.compile("[\x7f-\x9f]")  # DEL and C1: JSON leaves them raw, a terminal may obey them
_NOT_ASCII = re.compile("[^\x00-\x7e]")  # and DEL


def _terminal_safe_json(text: str) -> str:
    """JSON text (whose only non-ASCII characters are inside strings) with DEL and C1 controls
    written as \\u escapes: the same data, and nothing for a terminal to obey. On an output that
    cannot take UTF-8 (PYTHONIOENCODING=ascii), every non-ASCII character is escaped the same way."""
    try:
        utf8 = codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name == "utf-8"
    except LookupError:
        utf8 = False
    pattern = _JSON_ESCAPED if utf8 else _NOT_ASCII
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: json.dumps(m.group())[1:-1] if ord(m.group()) > 0x9F else f"\\u{ord(m.group()):04x}", text)


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
    """The error as `error: …` (and its candidates and hint), each one line whatever it quotes."""
    if as_json:
        sys.stderr.write(json.dumps({"error": exc.as_dict()}) + "\n")
        return
    from blogcli.render.controls import visible

    lines = [f"error: {visible(exc.message)}"]
    if exc.candidates:
        lines.append("candidates:")
        lines.extend(f"  {visible(c)}" for c in exc.candidates)
    if exc.hint:
        lines.append(f"hint: {visible(exc.hint)}")
    sys.stderr.write("\n".join(lines) + "\n")


def error_boundary(func: Callable) -> Callable:
    """Turn the core's BlogError (and OS errors) into `error: …` on stderr and exit 1; Ctrl-C → 130.

    While the command runs, Ctrl-C is delivered (see blogcli/interrupts.py) and stdout and stderr
    show control characters rather than pass them on (VisibleStream).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from blogcli import interrupts

        as_json = bool(kwargs.get("as_json"))
        streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = VisibleStream(streams[0]), VisibleStream(streams[1])
        try:
            with interrupts.delivered():
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
            report_error(os_error(exc), as_json)
            raise typer.Exit(EXIT_ERROR) from None
        except RecursionError:
            report_error(BlogError("the text is nested too deeply to be shown", hint="a body of hundreds of nested "
                                   "`*`, `>` or `[`? write it plainer"), as_json)
            raise typer.Exit(EXIT_ERROR) from None
        finally:
            sys.stdout, sys.stderr = streams

    return wrapper


def os_error(exc: OSError) -> BlogError:
    """An OSError the core did not name, as one message naming its file (both files for a rename)."""
    where = ""
    if exc.filename:
        where = f"{exc.filename}" + (f" -> {exc.filename2}" if getattr(exc, "filename2", None) else "") + ": "
    return BlogError(f"{where}{exc.strerror or exc}")


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
