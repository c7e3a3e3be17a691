"""Text from files, made safe to show on a terminal: control characters are shown, not obeyed.

A title, a body, a series name or a file name may hold escape sequences: `\\x1b]0;…\\x07` retitles
the terminal window, `\\x1b[2J` clears it, and some terminals take the single byte `\\x9b` as the
start of a sequence. `visible()` shows every C0 control character as its Unicode control picture
(ESC → ␛, BEL → ␇), DEL as ␡ and every C1 control as `\\x9b`; a tab stays, and so do line ends in
text of several lines. The CLI passes every command's plain output and every Rich console through
it (cli/common.py); the preview and the tables pass author text through it before Rich lays it out,
so the columns are measured on what is shown.
"""

from __future__ import annotations

import re

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
ONE_LINE = str.maketrans({**_PICTURES, 0x09: "\t"})
SEVERAL_LINES = str.maketrans({**_PICTURES, 0x09: "\t", 0x0A: "\n", 0x0D: "\r"})
_LONE_CR = re.compile(r"\r(?!\n)")  # a carriage return that ends no line would overwrite it


def visible(text: str, newlines: bool = False) -> str:
    """`text` with its control characters shown; with `newlines`, line ends (LF, CRLF) kept."""
    if text.isprintable():  # no control character at all: the common case, checked in C
        return text
    if not newlines:
        return text.translate(ONE_LINE)
    shown = text.translate(SEVERAL_LINES)
    return _LONE_CR.sub("\u240d", shown) if "\r" in shown else shown
