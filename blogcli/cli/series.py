"""`blog series list / show / add / remove / move / plan / promises / cadence`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, emit_json, open_workspace
from blogcli.cli.completion import complete_ref, complete_series
from blogcli.model.words import plural

STATUS_STYLE = {"draft": "yellow", "planned": "cyan", "scheduled": "blue", "published": "green"}
PROMISE_STYLE = {"fulfilled": "green", "planned": "cyan", "open": "yellow", "overdue": "bold red", "late": "bold red"}
PROMISE_MARK = {"fulfilled": "✓", "planned": "◔", "open": "…", "overdue": "!", "late": "!"}
NBSP = "\u00a0"  # holds "2 published" together when a line wraps
CADENCE_ORIGIN = {"set": "set in blog.toml", "inferred": "inferred from its parts", "default": "the default: nothing to infer from"}

series_app = BlogTyper(
    help="""Series: parts in order, their schedule and their promises.

    \b
    Examples:
      blog series list
      blog series show night-bus-notebook
      blog series promises
    """,
    no_args_is_help=True,
)

_NAME = typer.Argument(metavar="SERIES", autocompletion=complete_series, help="The series' name or slug (as in front matter or blog.toml).", show_default=False)
_REF = typer.Argument(metavar="REF", autocompletion=complete_ref, help="Slug, unique slug prefix, or path of a post.", show_default=False)
_FORCE = typer.Option("--force", help="Allow renumbering (or removing) published parts.")
_NEW_SERIES = typer.Option("--new-series", help="Start a new series even though the name is close to an existing one.")
_JSON = typer.Option("--json", help="Print JSON for scripts.")


def register(app: BlogTyper) -> None:
    app.add_typer(series_app, name="series")


def _day(moment: dt.datetime | None, tz, with_time: bool = False) -> str:
    if moment is None:
        return ""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _when(moment: dt.datetime, tz, now: dt.datetime) -> str:
    """`Mon 30 Nov 2026 09:00 (in 5 days)`: a slot as a person plans with it (the part in
    brackets held together when a line wraps)."""
    return f"{moment.astimezone(tz):%a %d %b %Y %H:%M} ({_relative(moment, now).replace(' ', NBSP)})"


def _relative(moment: dt.datetime, now: dt.datetime) -> str:
    days = (moment.date() - now.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 0:
        return f"in {days} days"
    return "yesterday" if days == -1 else f"{-days} days ago"


def _counts(counts: dict[str, int]) -> list:
    """`2 published`, `1 draft`…: each (text, style), or "no parts yet"."""
    return [(f"{n}{NBSP}{k}", STATUS_STYLE[k]) for k, n in counts.items() if n] or [("no parts yet", "dim")]


def _joined(pieces: list, sep: str = " · ") -> list:
    """Pieces of `flow` text with `sep` between them."""
    out: list = []
    for piece in pieces:
        out += [sep, piece] if out else [piece]
    return out


def _screen():
    """The width to fit (None when piped) and whether to colour: as `blog list` has them."""
    from blogcli.cli.tables import table_width, use_color

    return table_width(), use_color()


@series_app.command("list")
def list_series_command(as_json: Annotated[bool, _JSON] = False) -> None:
    """Every series: parts by status, last out, next free slot.

    \b
    Examples:
      blog series list
      blog series list --json
    """
    from blogcli.ops.series import list_series

    ws = open_workspace()
    found = list_series(ws)
    if as_json:
        emit_json([s.as_dict() for s in found])
        return
    if not found:
        typer.echo('no series yet: blog new "Part one" --series "My series"', err=True)
        return
    from blogcli.cli.tables import Column, emit, render_table

    now = ws.now()
    columns = [
        Column("Series", wrap=True, min_width=16, grow=1, room=24),
        Column("Slug", shorten=True, min_width=12, drop=1, grow=2, room=24),  # what `series show` takes (the title does too)
        Column("Parts"),
        Column("Last out"),
        Column("Next free slot", wrap=True, min_width=21, grow=3, room=24),  # 21: a whole date and time
    ]
    rows = [
        [
            (s.title, "bold"),
            s.key,
            _counts(s.counts),
            _day(s.last_published, ws.tz) or "—",
            [_when(s.next_slot, ws.tz, now) if s.next_slot else "—", (s.cadence, "dim")],
        ]
        for s in found
    ]
    width, color = _screen()
    emit(render_table(columns, rows, width=width, color=color), page=True)


@series_app.command("show")
def show(name: Annotated[str, _NAME], as_json: Annotated[bool, _JSON] = False) -> None:
    """A series' parts in order, with dates, teasers and schedule.

    Gaps and duplicate part numbers are flagged; the footer says what goes live when, whether
    the cadence was set or inferred, and what the series still owes its readers.

    \b
    Examples:
      blog series show night-bus-notebook
      blog series show "The Night Bus Notebook" --json
    """
    from blogcli.ops.series import show_series

    ws = open_workspace()
    view = show_series(ws, name)
    if as_json:
        emit_json([row.as_dict() for row in view.rows])
        return
    from blogcli.cli.tables import Column, emit, flow, render_table

    width, color = _screen()
    now = ws.now()
    ledger = view.promises
    made_by = {slug: p for p in ledger for slug in p.made_in}
    parts_by_slug = {row.slug: row for row in view.rows}
    counts = {status: sum(row.status == status for row in view.rows) for status in ("published", "scheduled", "draft", "planned")}
    lines = flow([(view.title, "bold"), "  ", (view.key, "dim")], width, color, indent=2)
    if view.description:
        lines += flow([(view.description, "italic")], width, color)
    origin = CADENCE_ORIGIN[view.schedule.origin].replace(" ", NBSP)  # "(set in blog.toml)" stays on one line
    lines += flow([view.schedule.describe(), " ", (f"({origin})", "dim"), " · ", *_joined(_counts(counts))], width, color, indent=2)
    lines.append("")
    if view.rows:
        columns = [
            Column("#", justify="right"),
            Column("Title", wrap=True, min_width=16, grow=1, room=24),
            Column("Status"),
            Column("Date"),
            Column("Teases next", wrap=True, min_width=20, grow=2, room=28),
        ]
        rows = []
        shown_gaps: set[int] = set()
        for row in view.rows:
            for gap in sorted(g for g in view.gaps if g not in shown_gaps and row.part and g < row.part):
                rows.append([(str(gap), "bold red"), ("(missing)", "bold red"), "", "", ""])
                shown_gaps.add(gap)
            number = "—" if row.part is None else str(row.part)
            title = [row.title] + ([(f"⚠ {row.flag}", "bold red")] if row.flag else [])
            when = _day(row.date, ws.tz, with_time=row.status == "scheduled") if row.date else ("—", "dim")
            rows.append([
                (number, "bold red" if row.flag else None),
                title,
                (row.status, STATUS_STYLE[row.status]),
                when,
                _teaser_cell(row, made_by.get(row.slug), parts_by_slug),
            ])
        lines += render_table(columns, rows, width=width, color=color)
    else:
        lines += flow([f'no parts yet: blog new "Part one" --series {view.key}'], width, color, indent=2)
    lines.append("")
    lines += _footer(view, ledger, ws, now, width, color)
    emit(lines, page=True)


def _quoted(promise) -> str:
    """A promise's topic in quotes, or what a teaser without one said."""
    if promise.has_topic:
        return f"“{promise.text}”"
    return f"a teaser without a topic (“{promise.sentence or ''}”)"


def _part(number: int | None, slug: str | None = None) -> str:
    return f"part {number}" if number is not None else (slug or "an unnumbered part")


def _teaser_cell(row, promise, parts_by_slug: dict) -> list:
    """The part's teaser, and what became of it: kept, planned, late, repeated, open or overdue."""
    if promise is None:
        if row.teaser is None:
            return [""]
        return [(f"“{row.teaser}”", "dim")] if row.teaser else [("a teaser without a topic", "dim italic")]
    style, mark = PROMISE_STYLE[promise.status], PROMISE_MARK[promise.status]
    cell: list = [_quoted(promise)]
    if promise.origin != row.slug:
        first = parts_by_slug.get(promise.origin)
        cell.append((f"↻ repeated from {_part(first.part if first else None, promise.origin)}", "magenta"))
    if promise.status in ("fulfilled", "planned", "late"):
        keeper = parts_by_slug.get(promise.fulfilled_by)
        where = _part(keeper.part if keeper else None, promise.fulfilled_by)
        verb = {"fulfilled": "kept in", "planned": "planned in", "late": "late: planned in"}[promise.status]
        cell.append((f"{mark} {verb} {where}", style))
        if promise.out_of_order and promise.expected_part:
            cell.append((f"⚠ not the next part ({_part(promise.expected_part)})", "bold red"))
        return cell
    return cell + [(f"{mark} {promise.status}", style)]


def _footer(view, ledger, ws, now: dt.datetime, width, color) -> list[str]:
    """What goes live when, the next free slot, what is still owed, and numbering to fix."""
    from blogcli.cli.tables import Column, render_table

    rows = []
    for row in view.upcoming:
        rows.append([("Goes live", "bold blue"), f"{_when(row.date, ws.tz, now)}  {_part(row.part, row.slug)}, {row.title}"])
    if view.next_slot:
        rows.append([("Next slot", "bold"), _when(view.next_slot, ws.tz, now)])
    owed = [p for p in ledger if p.owed]
    for p in owed:
        made = f" ({_part(p.part)})" if p.part is not None else ""
        rows.append([("Still owed", PROMISE_STYLE[p.status]), f"{_quoted(p)}{made}{_due_note(p, ws, now)}"])
    if not owed:
        rows.append([("Owed", "green"), ("nothing: every promise is kept or planned", "green")])
    problems = [f"part {n} is missing" for n in view.gaps] + [f"part {n} is used twice" for n in view.duplicates]
    problems += [f"{slug} has no part number" for slug in view.unnumbered]
    if problems:
        rows.append([("Numbering", "bold red"), ("; ".join(problems) + ": fix with blog series move REF --to N", "bold red")])
    columns = [Column(""), Column("", wrap=True, grow=1)]
    return render_table(columns, rows, width=width, color=color, header=False)


def _due_note(promise, ws, now: dt.datetime) -> str:
    """How late a promise is, or when it is due."""
    if promise.due is None:
        return ""
    since = f"{_day(promise.due, ws.tz)} ({_relative(promise.due, now)})"
    if promise.status == "overdue":
        return f", overdue since {since}"
    if promise.status == "late":
        planned = f" {_relative(promise.keeper_created, now)}" if promise.keeper_created else ""
        return f", late: planned{planned} in {_part(promise.keeper_part, promise.fulfilled_by)}, due since {since}"
    return f", due {since}"


@series_app.command("promises")
def promises_command(
    name: Annotated[
        Optional[str],
        typer.Argument(metavar="SERIES", autocompletion=complete_series, help="Only this series (name or slug); default: every series.", show_default=False),
    ] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """The promise ledger: kept, planned, late, open or overdue.

    Each promise with where it was made (`path:line`, never broken inside the file's name or the
    line number) and what became of it.

    \b
    Examples:
      blog series promises
      blog series promises night-bus-notebook --json
    """
    from blogcli.ops.promises import promise_ledger

    ws = open_workspace()
    ledger = promise_ledger(ws, name)
    if as_json:
        emit_json([p.as_dict() for p in ledger])
        return
    if not ledger:
        typer.echo("no promises yet: a published part that says “next week I'll…” makes one", err=True)
        return
    from blogcli.cli.tables import Column, cell_width, emit, flow, render_table

    width, color = _screen()
    now = ws.now()
    by_series: dict[str, list] = {}
    for promise in ledger:
        by_series.setdefault(promise.series, []).append(promise)
    # The Promise column is at least as wide as the longest file name under a promise: a
    # `path:line` may break after its folder and before its line number, never inside the name.
    # With "#" for the part and 10 for the Status (its widest word, a date), a file name of the
    # longest slug (60 characters, and ".md") fits at 80 columns.
    shown = [rel for p in ledger for rel in (p.origin_rel, p.keeper_rel if p.status in ("planned", "late") else None) if rel]
    names = [cell_width(rel.rsplit("/", 1)[-1]) for rel in shown]
    columns = [
        Column("#", justify="right"),
        Column("Promise", wrap=True, min_width=max(24, *names), grow=1),
        Column("Status", wrap=True, min_width=10, grow=2, room=10),
    ]
    lines: list[str] = []
    for title, promises in by_series.items():
        counts = {status: sum(p.status == status for p in promises) for status in ("overdue", "late", "open", "planned", "fulfilled")}
        summary = _joined([(f"{n}{NBSP}{s}", PROMISE_STYLE[s]) for s, n in counts.items() if n])
        lines += flow([(title, "bold"), "  ", *summary], width, color, indent=2)
        rows = []
        for p in promises:
            cell: list = [_quoted(p)]
            if p.repeated:
                again = ", ".join(p.made_in[1:])
                cell.append((f"↻ repeated in {again}" if again else "↻ repeated (it says so)", "magenta"))
            cell.append((p.origin_rel + (f":{p.line}" if p.line else ""), "dim"))
            if p.status in ("planned", "late") and p.keeper_rel:
                cell.append((f"→ {p.keeper_rel}", "dim"))
            rows.append(["" if p.part is None else str(p.part), cell, _state(p, ws, now)])
        lines += render_table(columns, rows, width=width, color=color)
        lines.append("")
    owed = [p for p in ledger if p.owed]
    if owed:
        lines += flow([(f"{plural(len(owed), 'promise')} still owed.", "bold")], width, color)
        open_ones = [p for p in owed if p.status != "late"]
        if open_ones:
            lines.append("Start the next part with:")
            lines += flow([f"  blog new --series {open_ones[-1].series_key} --next"], width, color, indent=4)
        for p in (p for p in owed if p.status == "late"):
            slug = p.keeper_rel.rsplit("/", 1)[-1].removesuffix(".md") if p.keeper_rel else p.fulfilled_by
            lines += flow([f"Finish and publish {_part(p.keeper_part, slug)}: blog publish {slug}"], width, color, indent=2)
    else:
        lines += flow([("Nothing owed: every promise is kept or planned.", "green")], width, color)
    emit(lines, page=True)


def _state(p, ws, now: dt.datetime) -> list:
    """The Status column: its mark, what became of the promise, and how late it is."""
    style, mark = PROMISE_STYLE[p.status], PROMISE_MARK[p.status]
    keeper = _part(p.keeper_part, p.fulfilled_by)
    order = [(f"⚠ not the next part ({_part(p.expected_part)})", "bold red")] if p.out_of_order and p.expected_part else []
    if p.status == "fulfilled":
        return [(f"{mark} kept in {keeper}", style), *order, (p.keeper_title or "", "dim")]
    if p.status == "planned":
        return [(f"{mark} planned in {keeper}", style), *order]
    if p.status == "late":
        planned = f", {_relative(p.keeper_created, now)}" if p.keeper_created else ""
        return [(f"{mark} late: due since {_day(p.due, ws.tz)}", style), (f"planned in {keeper}{planned}", style), *order]
    if p.status == "overdue":
        return [(f"{mark} overdue since {_day(p.due, ws.tz)}", style), (_relative(p.due, now), "dim")]
    if p.due:
        return [(f"{mark} open, due {_day(p.due, ws.tz)}", style), (_relative(p.due, now), "dim")]
    return [(f"{mark} open", style)]


def _print_changes(changes) -> None:
    if not changes:
        typer.echo("nothing to change", err=True)
        return
    for change in changes:
        old = "—" if change.old is None else f"part {change.old}"
        new = "out of the series" if change.new is None else f"part {change.new}"
        typer.echo(f"{change.slug}: {old} → {new}")


@series_app.command("add")
def add(
    ref: Annotated[str, _REF],
    name: Annotated[str, _NAME],
    part: Annotated[Optional[int], typer.Option("--part", "-p", min=1, metavar="N", help="Its part number (default: the next); later parts move up.")] = None,
    force: Annotated[bool, _FORCE] = False,
    new_series: Annotated[bool, _NEW_SERIES] = False,
) -> None:
    """Add a post to a series; the parts stay numbered 1..N.

    \b
    Examples:
      blog series add drawing-the-timetable night-bus-notebook
      blog series add drawing-the-timetable night-bus-notebook --part 2
    """
    from blogcli.cli.common import confirm_new_series
    from blogcli.ops.series import add_to_series

    ws = open_workspace()
    added = confirm_new_series(lambda new: add_to_series(ws, ref, name, part, force, new), new_series)
    if added.new:
        typer.echo(f"started a new series {added.series.title!r} ([series.{added.series.slug}] added to blog.toml)", err=True)
    _print_changes(added.changes)


@series_app.command("remove")
def remove(ref: Annotated[str, _REF], force: Annotated[bool, _FORCE] = False) -> None:
    """Take a post out of its series; the parts after it move down.

    \b
    Examples:
      blog series remove drawing-the-timetable
    """
    from blogcli.ops.series import remove_from_series

    _print_changes(remove_from_series(open_workspace(), ref, force))


@series_app.command("move")
def move(
    ref: Annotated[str, _REF],
    to: Annotated[int, typer.Option("--to", min=1, metavar="N", help="The new part number.", show_default=False)],
    force: Annotated[bool, _FORCE] = False,
) -> None:
    """Give a part a new number; the parts in between shift.

    All the files involved change together.

    \b
    Examples:
      blog series move drawing-the-timetable --to 2
    """
    from blogcli.ops.series import move_part

    _print_changes(move_part(open_workspace(), ref, to, force))


@series_app.command("plan")
def plan(
    name: Annotated[str, _NAME],
    topic: Annotated[str, typer.Argument(metavar="TOPIC", help="What the part will be about (its title).", show_default=False)],
    new_series: Annotated[bool, _NEW_SERIES] = False,
) -> None:
    """Plan a part: a draft with front matter only.

    When the topic matches an open promise, the plan records that it keeps it (`fulfils`).

    \b
    Examples:
      blog series plan night-bus-notebook "How the timetable was drawn"
    """
    from blogcli.cli.common import confirm_new_series, show_path
    from blogcli.ops.series import plan_part

    ws = open_workspace()
    post, promise = confirm_new_series(lambda new: plan_part(ws, name, topic, new), new_series)
    if promise is not None:
        typer.echo(f"keeps the promise of part {promise.part}: “{promise.text}” (fulfils: {promise.origin})", err=True)
    typer.echo(show_path(ws.path_of(post.rel)))


@series_app.command("cadence")
def cadence_command(
    name: Annotated[str, _NAME],
    cadence: Annotated[
        Optional[str],
        typer.Argument(metavar="CADENCE", show_default=False,
                       help='The new cadence: "weekly on Monday 09:00", "every 2 weeks on Friday 18:00", "daily 07:30"…'),
    ] = None,
) -> None:
    """Show a series' cadence (set or inferred), or set it.

    Setting it edits blog.toml's [series.<slug>] section, keeping the file's comments and
    layout. With no cadence set, the series keeps the weekday and time most of its parts went
    out at.

    \b
    Examples:
      blog series cadence night-bus-notebook
      blog series cadence night-bus-notebook "weekly on Monday 09:00"
    """
    from blogcli.ops.series import resolve_series, set_cadence

    ws = open_workspace()
    if cadence is None:
        from blogcli.ops.series import list_series

        series = resolve_series(ws, name)
        summary = next(s for s in list_series(ws) if s.key == series.slug)
        typer.echo(f"{summary.title}: {summary.cadence} ({CADENCE_ORIGIN[summary.schedule.origin]})")
        if summary.next_slot:
            typer.echo(f"next slot: {_when(summary.next_slot, ws.tz, ws.now()).replace(NBSP, ' ')}")
        return
    series, schedule = set_cadence(ws, name, cadence)
    typer.echo(f"{series.title}: {schedule.describe()} (set in blog.toml [series.{series.section or series.slug}])")
