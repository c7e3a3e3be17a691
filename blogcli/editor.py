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


def open_in_editor(path: Path) -> None:
    """Block until the editor exits; a failure to start or a non-zero exit is an EditorError."""
    from blogcli import interrupts

    command = editor_command()
    try:
        with interrupts.ignored():  # Ctrl-C in the editor is the editor's: blog waits for it (as git does)
            result = subprocess.run([*command, str(path)], check=False)
    except FileNotFoundError:
        raise EditorError(f"editor not found: {command[0]!r}", hint="check $VISUAL / $EDITOR") from None
    except PermissionError:
        raise EditorError(f"editor cannot be run: {command[0]!r}", hint="check $VISUAL / $EDITOR") from None
    if result.returncode != 0:
        raise EditorError(f"the editor ({command[0]}) exited with status {result.returncode}; {path} is as it left it")
