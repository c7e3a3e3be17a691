"""Which lines of a Markdown body are code: the one rule behind every scan of "the text outside
code" (links and images, teasers, TODO notes, template tags and shortcodes).

A line is code when it is inside a fenced block (its fences included) or an indented block:

- a fence is three or more backticks or tildes, indented at most three spaces (a backtick fence's
  info string holds no backtick); it is closed by a line of at least as many of the same character
  and nothing else, or by the end of the body;
- an indented line (four spaces or a tab) is code when it follows a blank line, the start of the
  body, a fence or another code line: one right after a line of text continues that paragraph.

A code span (`` `x` ``) is blanked, not dropped, by `blank_code_spans`, so offsets still point into
the line. Only the lines that may open or close a fence or are indented are looked at, each once,
found by searches of the whole text: the scan takes time in proportion to the body, whatever it
holds, and most of it in the regular expression engine.
"""

from __future__ import annotations

import re
from typing import Iterator

_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
# "`+…" written "``*…": the same matches, but a pattern that starts with a literal lets the engine
# jump from backtick to backtick instead of trying every position (~7x faster on posts).
_CODE_SPAN = re.compile(r"``*[^`\n]*`+")
_INDENT = ("    ", "\t")


def code_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is code (see the module docstring).

    Only the lines that may open a fence or are indented are looked at one by one (found by a
    search of the whole text, as are the lines that may close a fence): most lines of a post are
    neither, and are text."""
    flags = [False] * len(lines)
    text = "\n".join(lines)
    resume = 0  # the first line not yet inside a fence already closed
    for number, offset in _may_be_code(text) if lines else ():
        if number < resume:
            continue
        line = lines[number]
        opened = _FENCE_OPEN.match(line)
        if opened is not None and not (opened.group(1)[0] == "`" and "`" in line[opened.end() :]):
            fence = (opened.group(1)[0], len(opened.group(1)))
            close = _closing_line(text, lines, number, offset + len(line), fence)
            resume = len(lines) if close is None else close + 1
            flags[number:resume] = [True] * (resume - number)
        elif line.strip() and line.startswith(_INDENT):
            # code unless it continues a paragraph: the line before is text (not blank, not code)
            flags[number] = number == 0 or not lines[number - 1].strip() or flags[number - 1]
    return flags


# A line that may open a fence or is indented (after its newline), and one that may close a fence.
_MAY_BE_CODE = re.compile(r"\n(?= {0,3}(?:```|~~~)|    |\t)")
_MAY_CLOSE = re.compile(r"\n[^\S\n]*(?:`{3,}|~{3,})[^\S\n]*(?![^\n])")


def _may_be_code(text: str) -> Iterator[tuple[int, int]]:
    """(line number, offset) of the first line and of each line `_MAY_BE_CODE` finds, in order."""
    yield 0, 0
    number, offset = 0, 0
    for match in _MAY_BE_CODE.finditer(text):
        number += text.count("\n", offset, match.start()) + 1
        offset = match.end()
        yield number, offset


def _closing_line(text: str, lines: list[str], number: int, end: int, fence: tuple[str, int]) -> int | None:
    """The number of the line that closes the fence opened on line `number` (ending at offset
    `end`), or None: it stays open to the end of the body."""
    offset = end
    for match in _MAY_CLOSE.finditer(text, end):
        number += text.count("\n", offset, match.start()) + 1
        offset = match.start() + 1
        if _closes(lines[number], fence):
            return number
    return None


def _closes(line: str, fence: tuple[str, int]) -> bool:
    stripped = line.strip()
    char, length = fence
    return len(stripped) >= length and stripped == char * len(stripped) and not line.startswith(_INDENT)


def lines_outside_code(body: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) of each line of `body` that is not code."""
    lines = body.split("\n")
    for number, (line, is_code) in enumerate(zip(lines, code_lines(lines)), start=1):
        if not is_code:
            yield number, line


def blank_code_spans(text: str) -> str:
    """`text` with each code span (`` `x` ``, on one line) replaced by as many spaces."""
    if "`" not in text:
        return text
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
