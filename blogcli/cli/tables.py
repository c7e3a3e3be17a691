"""Tables for the terminal, written without Rich: they fit the width, keep words whole, and
carry no trailing spaces or padding (so piped output greps cleanly).

Every table of the CLI goes through `render_table` and `emit`:

    columns = [Column("Status"), Column("Slug", shorten=True, drop=1), Column("Title", wrap=True, grow=1)]
    rows = [[("published", "green"), "why-the-night-bus", "Why the Night Bus?"]]
    emit(render_table(columns, rows, width=table_width(), color=use_color()), page=True)

The layout, when the natural widths do not fit: fixed columns (no `wrap`, no `shorten`) keep
their width; a droppable column (highest `drop` first) stays only if, at its floor, it leaves
each wrapping column its `room` (or all it needs); then the room left goes to the flexible columns in `grow` order, so the Title (grow=1) gets
all it needs before the Series or the Slug. A column is never narrower than its header; `wrap`
cells break at spaces, never inside a word (a word too long for the column is cut with "…",
but a path breaks after a "/", then before its ":line", never inside a name or a number);
`shorten` cells are cut with "…". Without a width (output piped, COLUMNS unset) every cell keeps
its natural width: one line per row. Text around the tables (headings, notes) goes through
`flow`, which wraps by the same rules.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence, Union

GAP = 2  # spaces between columns
ELLIPSIS = "…"
NBSP = "\u00a0"
LONGEST_WORD = 24  # a wrapping column need not be wider than this to hold a word whole
STYLES = {
    "bold": "1", "dim": "2", "italic": "3", "red": "31", "green": "32", "yellow": "33", "blue": "34",
    "magenta": "35", "cyan": "36", "bold red": "1;31",
}

# A cell: text (lines split at "\n"), (text, style), or a list of lines, each text or (text, style).
Styled = Union[str, tuple[str, str | None]]
Cell = Union[Styled, list[Styled]]


@dataclass
class Column:
    header: str
    justify: str = "left"  # or "right"
    wrap: bool = False  # long cells wrap at spaces
    shorten: bool = False  # long cells are cut with "…"
    min_width: int = 0  # the narrowest a flexible column becomes (never below its header)
    drop: int = 0  # 0: always shown; when the width is short, the highest drops first
    grow: int = 9  # flexible columns get spare room in this order (lowest first)...
    room: int = 36  # ...once every one of them has this many columns (or all it needs)


def cell_width(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide characters count two, combining marks none."""
    if text.isascii() or max(text) < "\u0300":  # Latin letters: one column each, no combining marks
        return len(text)
    return sum(map(_char_width, text))


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` columns, ending in "…" when cut."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = cell_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out).rstrip() + ELLIPSIS


def _is_wide(word: str) -> bool:
    return not word.isascii() and any(unicodedata.east_asian_width(c) in ("W", "F") for c in word)


_PATH_BREAKS = re.compile(r"(?<=/)(?=[^/])|(?=:\d+$)")  # after a folder's "/"; before a line number


def _pieces(word: str, width: int) -> list[str]:
    """A word too long for `width`: CJK text breaks between characters (its line-breaking rule);
    a path (`published/a-long-slug.md:34`) after a "/" and, if its name is still too long, before
    its ":line", so neither the name nor the number is ever broken (a name wider than the column
    is cut with "…"); any other word is kept whole up to the width and cut with "…"."""
    if "/" in word and not _is_wide(word):
        pieces, current = [], ""
        for part in _PATH_BREAKS.split(word):
            if current and cell_width(current + part) > width:
                pieces.append(current)
                current = ""
            current += part
        pieces.append(current)
        return [shorten(piece, width) for piece in pieces]
    if not _is_wide(word):
        return [shorten(word, width)]
    pieces, current, used = [], "", 0
    for char in word:
        w = cell_width(char)
        if used + w > width and current:
            pieces.append(current)
            current, used = "", 0
        current += char
        used += w
    return pieces + [current] if current else pieces


def wrap_words(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, broken at spaces, never inside a word (nor at a
    no-break space, which is printed as a space)."""
    return list(_wrapped(text, width))


@lru_cache(maxsize=65536)  # a table's layout tries a few widths for each cell, then renders one
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    measure = len if text.isascii() else cell_width
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for word in paragraph.split(" "):
            if not word:
                continue
            if NBSP in word:
                word = word.replace(NBSP, " ")
            w = measure(word)
            if w > width:
                pieces = _pieces(word, width)
                if line:
                    lines.append(line)
                lines.extend(pieces[:-1])
                line, used = pieces[-1], cell_width(pieces[-1])
                continue
            if line and used + 1 + w > width:
                lines.append(line)
                line, used = "", 0
            line, used = (f"{line} {word}", used + 1 + w) if line else (word, w)
        lines.append(line)
    return tuple(lines)


def hanging(text: str, width: int | None, indent: int = 4) -> list[str]:
    """`text` wrapped at spaces to `width` (no limit: one line), later lines indented by `indent`;
    its control characters shown (render/controls.py)."""
    from blogcli.render.controls import visible

    text = visible(text)
    if width is None or cell_width(text) <= width:
        return [text]
    first, *rest = wrap_words(text, width)
    return [first] + [" " * indent + line for line in wrap_words(" ".join(rest), width - indent)] if rest else [first]


def paint(text: str, style: str | None, color: bool) -> str:
    """`text` in a style of STYLES (ANSI codes only when `color`)."""
    return _paint(text, style, color)


def _lines(cell: Cell) -> list[tuple[str, str | None, int]]:
    """A cell as its lines of (text, style, width)."""
    if isinstance(cell, str) and "\n" not in cell:
        return [(cell, None, cell_width(cell))]
    items = cell if isinstance(cell, list) else [cell]
    out = []
    for item in items:
        text, style = (item, None) if isinstance(item, str) else item
        out.extend((line, style, cell_width(line)) for line in str(text).split("\n"))
    return out


def _longest_word(lines: list[tuple[str, str | None, int]]) -> int:
    return max((w if " " not in text else max(map(cell_width, text.split(" "))) for text, _, w in lines), default=0)


def _wrapped_width(lines: list[tuple[str, str | None, int]], size: int) -> int:
    """How wide a wrapping cell's lines are once wrapped at `size`."""
    return max((w if w <= size else max(map(cell_width, _wrapped(text, size))) for text, _, w in lines), default=0)


def layout(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int | None) -> list[tuple[int, int]]:
    """(column index, width) of the columns shown, in order."""
    return _layout(columns, [[_lines(cell) for cell in row] for row in rows], width)


def _layout(columns: Sequence[Column], cells: list[list[list[tuple[str, str | None, int]]]], width: int | None) -> list[tuple[int, int]]:
    natural = [max([cell_width(column.header)] + [w for row in cells for _, _, w in row[i]]) for i, column in enumerate(columns)]
    shown = list(range(len(columns)))
    if width is None:
        return [(i, natural[i]) for i in shown]
    floor = []
    for i, column in enumerate(columns):
        header = cell_width(column.header)
        widest = natural[i]
        if column.wrap:
            longest = max((_longest_word(row[i]) for row in cells), default=0) if widest > header else header
            floor.append(min(natural[i], max(header, column.min_width, min(longest, LONGEST_WORD))))
        elif column.shorten:
            floor.append(min(natural[i], max(header, column.min_width)))
        else:
            floor.append(natural[i])

    def needed(indices: list[int], sizes: list[int]) -> int:
        return sum(sizes[i] for i in indices) + GAP * (len(indices) - 1)

    comfortable = [min(natural[i], max(floor[i], columns[i].room)) if columns[i].wrap else natural[i] for i in range(len(columns))]
    for i in sorted((i for i in shown if columns[i].drop), key=lambda i: -columns[i].drop):
        rest = [j for j in shown if j != i]
        if needed(rest, comfortable) + GAP + floor[i] <= width:
            break
        shown.remove(i)
    sizes = {i: floor[i] for i in shown}
    spare = width - needed(shown, floor)
    if spare < 0:  # still too wide: the flexible columns give up their floors, down to their headers
        for i in shown:
            if columns[i].wrap or columns[i].shorten:
                give = min(-spare, sizes[i] - cell_width(columns[i].header))
                sizes[i] -= give
                spare += give
    flexible = sorted((i for i in shown if columns[i].wrap or columns[i].shorten), key=lambda i: columns[i].grow)
    wanting = [i for i in flexible if sizes[i] < min(natural[i], columns[i].room)]
    while spare > 0 and wanting:  # first every column up to its `room`, a column at a time in turn
        for i in list(wanting):
            if spare > 0:
                sizes[i] += 1
                spare -= 1
            if sizes[i] >= min(natural[i], columns[i].room):
                wanting.remove(i)
    for _ in range(3):
        whole = [i for i in flexible if 0 < natural[i] - sizes[i] <= spare]
        for i in whole + flexible:  # then, in `grow` order, each that can have all it needs, then any
            extra = max(0, min(spare, natural[i] - sizes[i]))
            sizes[i] += extra
            spare -= extra
        for i in flexible:  # and a wrapping column hands back what its wrapped lines leave unused
            if columns[i].wrap and sizes[i] < natural[i]:
                used = max(max((_wrapped_width(row[i], sizes[i]) for row in cells), default=0), cell_width(columns[i].header))
                spare += sizes[i] - used
                sizes[i] = used
        if spare <= 0:
            break
    return [(i, sizes[i]) for i in shown]


def _paint(text: str, style: str | None, color: bool) -> str:
    """`text` with its control characters shown (render/controls.py), in `style` when `color`."""
    from blogcli.render.controls import visible

    text = visible(text)
    if not color or not style or not text:
        return text
    codes = ";".join(STYLES[s] for s in style.split() if s in STYLES) if style not in STYLES else STYLES[style]
    return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


def _fit(column: Column, lines: list[tuple[str, str | None, int]], size: int) -> list[tuple[str, str | None, int]]:
    if all(w <= size for _, _, w in lines):
        return lines
    out = []
    for text, style, w in lines:
        if w <= size:
            out.append((text, style, w))
        elif column.wrap:
            out.extend((piece, style, cell_width(piece)) for piece in _wrapped(text, size))
        else:
            cut = shorten(text, size)
            out.append((cut, style, cell_width(cut)))
    return out


def render_table(
    columns: Sequence[Column], rows: Iterable[Sequence[Cell]], width: int | None = None, color: bool = False,
    title: str | None = None, header: bool = True,
) -> list[str]:
    """The table's lines (no line ends, no trailing spaces): a title, a header (unless not
    `header`: label-and-value lists), then the rows."""
    cells = [[_lines(cell) for cell in row] for row in rows]
    placed = _layout(columns, cells, width)
    lines = [_paint(shorten(title, width) if width else title, "bold", color)] if title else []
    header = [[[(columns[i].header, "bold", cell_width(columns[i].header))] for i, _ in placed]] if header else []
    gap = " " * GAP
    for row in header + [[row[i] for i, _ in placed] for row in cells]:
        fitted = [_fit(columns[i], cell, size) for (i, size), cell in zip(placed, row)]
        for n in range(max(len(cell) for cell in fitted)):
            parts = []
            for (i, size), cell in zip(placed, fitted):
                text, style, w = cell[n] if n < len(cell) else ("", None, 0)
                pad = " " * (size - w)
                painted = _paint(text.replace(NBSP, " ") if NBSP in text else text, style, color)
                parts.append(pad + painted if columns[i].justify == "right" else painted + pad)
            lines.append(gap.join(parts).rstrip())
    return lines


def flow(segments: Sequence[Styled], width: int | None, color: bool = False, indent: int = 0) -> list[str]:
    """Running text made of pieces, each text or (text, style), as lines of at most `width`
    columns (None: one line), later lines indented by `indent`. Breaks at spaces as a table's
    cells do: never inside a word, a no-break space holds two words together, and the spaces
    between words (and before the first) are kept where the line does not break."""
    words: list[tuple[str, str | None, str]] = []  # (word, style, the spaces before it)
    spaces = ""
    for segment in segments:
        text, style = (segment, None) if isinstance(segment, str) else segment
        for k, word in enumerate(str(text).split(" ")):
            spaces += " " if k else ""
            if word:
                words.append((word, style, spaces))
                spaces = ""
    lines: list[list[tuple[str, str | None, str]]] = [[]]
    used = 0
    for word, style, before in words:
        room = None if width is None else max(1, width - (indent if len(lines) > 1 else 0))
        size = cell_width(word.replace(NBSP, " "))
        if room is not None and lines[-1] and used + len(before) + size > room:
            lines.append([])
            used, room = 0, max(1, width - indent)
        pieces = _pieces(word, room) if room is not None and size > room else [word]
        for n, piece in enumerate(pieces):
            if n:
                lines.append([])
                used = 0
            gap = before if lines[-1] or (len(lines) == 1 and not n) else ""  # the text's own indent kept
            lines[-1].append((piece, style, gap))
            used += len(gap) + cell_width(piece.replace(NBSP, " "))
    out = []
    for n, line in enumerate(lines):
        text = "".join(gap + _paint(word.replace(NBSP, " "), style, color) for word, style, gap in line)
        out.append((" " * indent if n and text else "") + text)
    return out


def use_color(stream=None) -> bool:
    """Colour on a terminal, unless NO_COLOR; FORCE_COLOR keeps it for a pipe."""
    from blogcli.cli.common import plain_output

    return not plain_output(stream or sys.stdout)


def table_width(stream=None) -> int | None:
    """The width to fit: $COLUMNS when set, else the terminal's; None when piped (no limit)."""
    stream = stream or sys.stdout
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size(stream.fileno()).columns if stream.isatty() else None
    except (OSError, ValueError, AttributeError):
        return None


def pager_command() -> list[str] | None:
    """$BLOG_PAGER, else $PAGER, else `less -FRX`, as git chooses; empty or `cat` means none."""
    import shlex

    for variable in ("BLOG_PAGER", "PAGER"):
        value = os.environ.get(variable)
        if value is not None:
            try:
                words = shlex.split(value)
            except ValueError:
                return None
            return None if not words or words == ["cat"] else words
    return ["less", "-FRX"] if shutil.which("less") else None


def emit(lines: list[str], page: bool = False) -> None:
    """Write the lines to stdout; with `page`, through the pager when stdout is a terminal and the
    lines do not fit on one screen (never when piped)."""
    text = "".join(f"{line}\n" for line in lines)
    if page and _taller_than_screen(len(lines)):
        command = pager_command()
        if command and _through_pager(command, text):
            return
    # Past the stream that shows control characters (cli/common.VisibleStream): the only ones
    # left are this module's colours, as text goes through `_paint` or `hanging`.
    getattr(sys.stdout, "stream", sys.stdout).write(text)


def _taller_than_screen(count: int) -> bool:
    if not sys.stdout.isatty():
        return False
    try:
        return count >= os.get_terminal_size(sys.stdout.fileno()).lines
    except (OSError, ValueError):
        return False


def _through_pager(command: list[str], text: str) -> bool:
    """Pipe `text` into the pager and wait for it; False when it cannot be started."""
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git: quit if one screen, colours, no screen clearing
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    try:
        pager.stdin.write(text.encode("utf-8", "replace"))
        pager.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early
        pass
    while True:
        try:
            pager.wait()
            return True
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less keeps running), as in git
            continue
