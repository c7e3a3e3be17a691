"""Running the author's editor: $VISUAL, else $EDITOR, split like a shell and run without one."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from blogcli.errors import EditorError


def editor_command() -> list[str]:
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${variable} cannot be read as a command ({exc}): {value!r}") from None
            if words:
                return words
    if sys.stdin.isatty() and sys.stdout.isatty():
        return ["vi"]
    raise EditorError(
        "no editor to open: $VISUAL and $EDITOR are unset and this is not a terminal",
        hint="set EDITOR (e.g. export EDITOR='code --wait') or pass --no-edit",
    )


def at_line(command: list[str], path: Path, line: int | None) -> list[str]:
    """The editor's command line opening `path` at `line`, for the editors whose way to say so is
    known (`+N` for vi, vim, nvim, nano, emacs, kak, micro, helix; `-g file:N` for VS Code and
    Sublime Text); any other editor just gets the path."""
    name = Path(command[0]).name.lower().removesuffix(".exe") if command else ""
    if line and line > 1:
        if name in ("vi", "vim", "nvim", "gvim", "mvim", "nano", "emacs", "emacsclient", "kak", "micro", "hx", "helix"):
            return [*command, f"+{line}", str(path)]
        if name in ("code", "code-insiders", "codium", "subl", "sublime_text"):
            return [*command, "-g", f"{path}:{line}"]
    return [*command, str(path)]


def open_in_editor(path: Path, line: int | None = None) -> None:
    """Block until the editor exits; a failure to start or a non-zero exit is an EditorError."""
    from blogcli import interrupts

    command = editor_command()
    try:
        with interrupts.ignored():  # Ctrl-C in the editor is the editor's: blog waits for it (as git does)
            result = subprocess.run(at_line(command, path, line), check=False)
    except FileNotFoundError:
        raise EditorError(f"editor not found: {command[0]!r}", hint="check $VISUAL / $EDITOR") from None
    except PermissionError:
        raise EditorError(f"editor cannot be run: {command[0]!r}", hint="check $VISUAL / $EDITOR") from None
    if result.returncode != 0:
        raise EditorError(f"the editor ({command[0]}) exited with status {result.returncode}; {path} is as it left it")
