"""`blog stats`: the figures, a heat map of the last 52 weeks and a bar chart of words a week.

The figures come from `blogcli.model.stats`; this module only lays them out. The pictures are
made of characters that read without colour (`·░▒▓█` and `▁▂▃▄▅▆▇█`); colour only adds to them.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json, open_workspace, plain_output

EXAMPLES = """\b
Examples:
  blog stats                                  # the whole blog, and each series
  blog stats night-bus-notebook               # one series (any of its names)
  blog stats --since 2026-01-01 --until 2026-06-30
  blog stats --json | jq .totals.streak
"""

SHADE_MARKS = "·░▒▓█"  # none, then the four shades of the heat map
BAR_MARKS = " ▁▂▃▄▅▆▇█"  # eighths of a bar's cell
BAR_ROWS = 6
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LABEL = 4  # the heat map's day names and a space
WIDE_CELLS = LABEL + 52 * 2 + 2  # from this width, each week is two columns (a mark and a gap)
SHOWN_DRAFTS = 3
SHADE_STYLE = ("dim", "green", "green", "bold green", "bold green")

Line = list[tuple[str, Optional[str]]]  # pieces of text, each with its Rich style (None: plain)


def register(app: BlogTyper) -> None:
    @app.command("stats", epilog=EXAMPLES)
    def stats(
        series_name: Annotated[
            Optional[str],
            typer.Argument(metavar="SERIES", help="Only this series (name or slug); default: the whole blog.", show_default=False),
        ] = None,
        series: Annotated[Optional[str], typer.Option("--series", metavar="SERIES", help="Only this series (name or slug), as SERIES.")] = None,
        since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="Count from DATE on.")] = None,
        until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="Count up to DATE (a day: to its end).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON for scripts.")] = False,
    ) -> None:
        """Your rhythm: what you publish, your streaks, your promises kept.

        For the blog and each series: posts published; words (total, a week, the median post);
        the longest and the current streak of publishing on cadence (a series: its cadence's
        slots, a part counting for the slot nearest its date; the blog: weeks with a post);
        promises made, kept on time, kept late and still owed, and the days taken to keep them;
        drafts waiting and their age. Then a heat map of the words published each day of the
        last 52 weeks, and a bar chart of words a week."""
        from blogcli.ops.stats import workspace_stats

        if series_name is not None and series is not None and series_name != series:
            raise typer.BadParameter(f"two series given: {series_name!r} and --series {series!r}", param_hint="SERIES")
        ws = open_workspace()
        report = workspace_stats(ws, series_name if series_name is not None else series, since, until)
        if as_json:
            emit_json(report.as_dict())
            return
        _show(report, ws.config.title, ws.tz)


# -- the screen --------------------------------------------------------------------------------


def _show(report, blog_title: str, tz) -> None:
    from rich.table import Table
    from rich.text import Text

    plain = plain_output(sys.stdout)
    screen = console()
    width = screen.width
    out: list = []
    totals = report.totals
    if report.scope is None:
        heading = blog_title
    else:
        schedule = report.scope.schedule
        heading = f"{report.scope.series.title} ({schedule.describe()}, {ORIGIN[schedule.origin]})"
    span = f"{_day(totals.start, tz)} to {_day(report.as_of, tz)}, {_count(totals.weeks, 'week')}" if totals.start else "no post yet"
    title = Table.grid()
    title.add_column(overflow="fold")
    title.add_row(Text.assemble((heading, "bold"), f": {span}"))
    out.append(title)
    out.append(Text())
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, text in _summary(totals, report.scope is not None, tz):
        grid.add_row(label, text)
    out.append(grid)
    out.append(Text())
    out.extend(_pictures(report.weeks, report.as_of, width, tz))
    if report.scope is None and report.series:
        out.append(Text())
        out.extend(_series_tables(report.series, tz))
    for renderable in out:
        _print(screen, renderable, plain)


def _print(screen, renderable, plain: bool) -> None:
    """Print; in plain text, without the spaces Rich pads lines with."""
    from rich.text import Text

    if isinstance(renderable, Text):
        screen.print(renderable, no_wrap=True, overflow="crop", crop=True)
        return
    if not plain:
        screen.print(renderable)
        return
    with screen.capture() as captured:
        screen.print(renderable)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


ORIGIN = {"set": "set in blog.toml", "inferred": "inferred from its parts", "default": "the default"}


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def _day(moment, tz) -> str:
    day = moment.astimezone(tz).date() if isinstance(moment, dt.datetime) else moment
    return f"{day.day} {day:%b %Y}"


def _summary(figures, is_series: bool, tz) -> list[tuple[str, str]]:
    """The figures as lines of text: (label, text)."""
    from rich.markup import escape

    words = figures.words
    published = _count(figures.posts, "post")
    if figures.posts:
        published += (f", {_count(words.total, 'word')}: {words.per_week:,.0f} a week,"
                      f" {words.median:,.0f} in the median post")
    streak = figures.streak
    unit = "slot" if is_series else "week"
    if streak.slots:
        run = f"longest {_count(streak.longest, unit)} in a row, current {streak.current:,}"
        if is_series:
            run += f" ({streak.kept:,} of {_count(streak.slots, 'slot')} kept"
        else:
            run += f" ({streak.kept:,} of {_count(streak.slots, 'week')} with a post"
        if streak.last_skipped is not None:
            run += f"; the last {'skipped' if is_series else 'without'}: {_slot(streak.last_skipped, is_series, tz)}"
        if streak.missed_since is not None:
            run += f"; missed since {_slot(streak.missed_since, is_series, tz)}"
        run += ")"
    else:
        run = "nothing to count yet"
    promises = figures.promises
    if promises.made:
        kept_text = (f"{promises.made:,} made: {promises.kept_on_time:,} kept on time, {promises.kept_late:,} kept late,"
                     f" {promises.owed:,} still owed")
        if promises.planned:
            kept_text += f", {promises.planned:,} planned"
        if promises.average_days is not None:
            kept_text += f"; kept in {promises.average_days:,.1f} days on average"
    else:
        kept_text = "none made"
    drafts = figures.drafts
    if drafts:
        shown = [f"{escape(d.title)} ({_age(d.age_days)})" for d in drafts[:SHOWN_DRAFTS]]
        more = f" and {len(drafts) - SHOWN_DRAFTS:,} more" if len(drafts) > SHOWN_DRAFTS else ""
        planned = sum(d.status == "planned" for d in drafts)
        waiting = f"{len(drafts):,} waiting" + (f" ({planned:,} planned)" if planned else "")
        draft_text = f"{waiting}{', the oldest first' if len(drafts) > 1 else ''}: " + ", ".join(shown) + more
    else:
        draft_text = "none waiting"
    return [("Published", published), ("Streak", run), ("Promises", kept_text), ("Drafts", draft_text)]


def _age(days: int | None) -> str:
    if days is None:
        return "age unknown"
    return "today" if days == 0 else _count(days, "day")


def _slot(moment: dt.datetime, is_series: bool, tz) -> str:
    """A series' slot as its day (`Mon 16 Nov 2026`), a week of the blog as `the week of 16 Nov 2026`."""
    local = moment.astimezone(tz)
    return f"{local:%a} {_day(local, tz)}" if is_series else f"the week of {_day(local, tz)}"


# -- the pictures ----------------------------------------------------------------------------------


def _pictures(weeks, as_of: dt.datetime, width: int, tz) -> list:
    """The heat map and the bar chart, as Rich Text lines (no line wider than `width` when it is
    at least 60 columns: 56 at one column a week, or twice that from WIDE_CELLS)."""
    from rich.text import Text

    from blogcli.model.stats import month_starts, shade, shade_bounds

    cell = 2 if width >= WIDE_CELLS else 1
    first, last = weeks[0].start, weeks[-1].start + dt.timedelta(days=6)
    lines: list[Line] = []
    if not any(week.posts for week in weeks):
        return [Text(f"Nothing published from {_day(first, tz)} to {_day(last, tz)}.")]
    months = month_starts(weeks)
    lines.append([(f"Words published each day, {_day(first, tz)} to {_day(last, tz)}", "bold")])
    lines.append(_month_row(months, LABEL, cell))
    highest = max(max(week.days) for week in weeks)
    bounds = shade_bounds(highest)
    today = as_of.astimezone(tz).date()
    for row, name in enumerate(DAY_NAMES):
        line: Line = [(f"{name} ", "dim")]
        for week in weeks:
            if week.start + dt.timedelta(days=row) > today:  # the days to come of the week under way
                break
            level = shade(week.days[row], bounds)
            line.append((SHADE_MARKS[level] + " " * (cell - 1), SHADE_STYLE[level]))
        lines.append(line)
    legend: Line = [(" " * LABEL, None), (SHADE_MARKS[0], SHADE_STYLE[0]), (" none", None)]
    low = 1
    for level, bound in enumerate(bounds, start=1):
        if bound >= low:
            legend += [("  ", None), (SHADE_MARKS[level], SHADE_STYLE[level]), (f" {_range(low, bound)}", None)]
            low = bound + 1
    legend.append((" words", None))
    lines.append(legend)
    lines.append([])
    lines.extend(_bars(weeks, months, cell))
    return [_text(line) for line in lines]


def _range(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _month_row(months, offset: int, cell: int) -> Line:
    """Month names over the weeks they begin in, each where there is room for it."""
    text = ""
    for index, day in months:
        at = offset + index * cell
        name = f"{day:%b}"
        if at >= len(text) + (1 if text else 0):
            text = text.ljust(at) + name
    return [(text, "dim")]


def _bars(weeks, months, cell: int) -> list[Line]:
    """Words a week: a bar per week, BAR_ROWS rows high in eighths, the highest labelled."""
    values = [week.words for week in weeks]
    highest = max(values)
    label = f"{highest:,}"
    pad = len(label)
    eighths = [-(-value * BAR_ROWS * 8 // highest) if value else 0 for value in values]
    lines: list[Line] = [[("Words a week", "bold")]]
    for row in range(BAR_ROWS):
        floor = (BAR_ROWS - 1 - row) * 8
        marks = "".join(BAR_MARKS[max(0, min(8, height - floor))] + " " * (cell - 1) for height in eighths)
        axis = f"{label} ┤" if row == 0 else f"{'':>{pad}} │"
        lines.append([(axis, "dim"), (marks, "green")])
    lines.append([(f"{0:>{pad}} └" + "─" * (len(weeks) * cell - cell + 1), "dim")])
    lines.append(_month_row(months, pad + 2, cell))
    return lines


def _text(line: Line):
    from rich.text import Text

    text = Text()
    for piece, style in line:
        text.append(piece, style=style)
    text.rstrip()
    return text


# -- the series -----------------------------------------------------------------------------------


def _series_tables(series, tz) -> list:
    """Two tables, one row per series: what was written, and what was promised."""
    from rich.markup import escape
    from rich.table import Table

    def table(title: str) -> Table:
        made = Table(title=title, title_justify="left", title_style="bold", box=None, padding=(0, 1), pad_edge=False,
                     show_edge=False, header_style="bold")
        made.add_column("Series", overflow="fold", ratio=1)
        return made

    writing = table("Writing, by series")
    for header in ("Posts", "Words", "A week", "Median", "Streak\nlongest", "Streak\nnow", "Drafts\n(oldest)"):
        writing.add_column(header, justify="right", no_wrap=True)
    promises = table("Promises, by series")
    for header in ("Made", "Kept on\ntime", "Kept\nlate", "Still\nowed", "Planned", "Days to\nkeep"):
        promises.add_column(header, justify="right", no_wrap=True)
    for item in series:
        f = item.figures
        origin = "" if item.schedule.origin == "set" else f", {item.schedule.origin}"
        name = f"{escape(item.series.title)}\n[dim]{escape(item.schedule.describe())}{origin}[/]"
        oldest = max((d.age_days for d in f.drafts if d.age_days is not None), default=None)
        drafts = f"{len(f.drafts):,}" + ("" if oldest is None else f" ({oldest:,}d)")
        writing.add_row(
            name, f"{f.posts:,}", f"{f.words.total:,}", f"{f.words.per_week:,.0f}", f"{f.words.median:,.0f}",
            f"{f.streak.longest:,}", f"{f.streak.current:,}", drafts,
        )
        p = f.promises
        days = "" if p.average_days is None else f"{p.average_days:,.1f}"
        promises.add_row(name, f"{p.made:,}", f"{p.kept_on_time:,}", f"{p.kept_late:,}", f"{p.owed:,}", f"{p.planned:,}", days)
    from rich.text import Text

    return [writing, Text(), promises]
