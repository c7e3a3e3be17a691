"""`blog series list / show / add / remove / move / plan / promises / cadence`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json, open_workspace

STATUS_STYLE = {"draft": "yellow", "planned": "cyan", "scheduled": "blue", "published": "green"}
PROMISE_STYLE = {"fulfilled": "green", "planned": "cyan", "open": "yellow", "overdue": "bold red", "late": "bold red"}
PROMISE_MARK = {"fulfilled": "✓", "planned": "◔", "open": "…", "overdue": "!", "late": "!"}
CADENCE_ORIGIN = {"set": "set in blog.toml", "inferred": "inferred from its parts", "default": "the default: nothing to infer from"}

series_app = BlogTyper(
    help="Series: parts in order, their schedule, and what each part promised readers.",
    no_args_is_help=True,
)

_NAME = typer.Argument(help="The series' name or slug (as in front matter or blog.toml).", show_default=False)
_REF = typer.Argument(help="Slug, unique slug prefix, or path of a post.", show_default=False)
_FORCE = typer.Option("--force", help="Allow renumbering (or removing) published parts.")
_NEW_SERIES = typer.Option("--new-series", help="Start a new series even though the name is close to an existing one.")
_JSON = typer.Option("--json", help="Print JSON for scripts.")


def register(app: BlogTyper) -> None:
    app.add_typer(series_app, name="series")


def _esc(text: str) -> str:
    """The author's own text, shown as written even when it holds [square brackets]."""
    from rich.markup import escape

    return escape(text)


def _day(moment: dt.datetime | None, tz, with_time: bool = False) -> str:
    if moment is None:
        return ""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _when(moment: dt.datetime, tz, now: dt.datetime) -> str:
    """`Mon 30 Nov 2026 09:00 (in 5 days)`: a slot as a person plans with it."""
    return f"{moment.astimezone(tz):%a %d %b %Y %H:%M} ({_relative(moment, now)})"


def _relative(moment: dt.datetime, now: dt.datetime) -> str:
    days = (moment.date() - now.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 0:
        return f"in {days} days"
    return "yesterday" if days == -1 else f"{-days} days ago"


def _counts(counts: dict[str, int], sep: str = " · ") -> str:
    return sep.join(f"[{STATUS_STYLE[k]}]{n} {k}[/]" for k, n in counts.items() if n) or "[dim]no parts yet[/]"


@series_app.command("list")
def list_series_command(as_json: Annotated[bool, _JSON] = False) -> None:
    """Every series: its parts by status, when it last went out, and its next free slot."""
    from blogcli.ops.series import list_series

    ws = open_workspace()
    found = list_series(ws)
    if as_json:
        emit_json([s.as_dict() for s in found])
        return
    if not found:
        typer.echo('no series yet: blog new "Part one" --series "My series"', err=True)
        return
    from rich.table import Table

    now = ws.now()
    table = Table(title="Series", title_justify="left", expand=False)
    table.add_column("Series", overflow="fold", ratio=3)
    table.add_column("Parts", overflow="fold", ratio=2)
    table.add_column("Last out", no_wrap=True)
    table.add_column("Next free slot", overflow="fold", ratio=3)
    for s in found:
        slot = f"{_when(s.next_slot, ws.tz, now)}" if s.next_slot else "—"
        table.add_row(
            f"[bold]{_esc(s.title)}[/]\n[dim]{s.key}[/]",
            _counts(s.counts, "\n"),
            _day(s.last_published, ws.tz) or "—",
            f"{slot}\n[dim]{s.cadence}[/]",
        )
    console().print(table)


@series_app.command("show")
def show(name: Annotated[str, _NAME], as_json: Annotated[bool, _JSON] = False) -> None:
    """The parts in order with status, date and teaser; gaps, duplicates and the schedule."""
    from blogcli.ops.series import show_series

    ws = open_workspace()
    view = show_series(ws, name)
    if as_json:
        emit_json([row.as_dict() for row in view.rows])
        return
    from rich.table import Table

    now = ws.now()
    ledger = view.promises
    made_by = {slug: p for p in ledger for slug in p.made_in}
    parts_by_slug = {row.slug: row for row in view.rows}
    out = console()
    counts = {status: sum(row.status == status for row in view.rows) for status in STATUS_STYLE}
    out.print(f"[bold]{_esc(view.title)}[/]  [dim]{view.key}[/]")
    if view.description:
        out.print(f"[italic]{_esc(view.description)}[/]")
    cadence = f"{view.schedule.describe()} [dim]({CADENCE_ORIGIN[view.schedule.origin]})[/]"
    out.print(f"{cadence} · " + _counts({k: counts[k] for k in ("published", "scheduled", "draft", "planned")}))
    out.print()
    if view.rows:
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Title", overflow="fold", ratio=3)
        table.add_column("Status", no_wrap=True)
        table.add_column("Date", no_wrap=True)
        table.add_column("Teases next", overflow="fold", ratio=4)
        shown_gaps: set[int] = set()
        for row in view.rows:
            for gap in sorted(g for g in view.gaps if g not in shown_gaps and row.part and g < row.part):
                table.add_row(f"[bold red]{gap}[/]", "[bold red](missing)[/]", "", "", "")
                shown_gaps.add(gap)
            number = "—" if row.part is None else str(row.part)
            title = _esc(row.title) + (f"\n[bold red]⚠ {row.flag}[/]" if row.flag else "")
            when = _day(row.date, ws.tz, with_time=row.status == "scheduled") if row.date else "[dim]—[/]"
            table.add_row(
                f"[bold red]{number}[/]" if row.flag else number,
                title,
                f"[{STATUS_STYLE[row.status]}]{row.status}[/]",
                when,
                _teaser_cell(row, made_by.get(row.slug), parts_by_slug),
            )
        out.print(table)
        out.print()
    else:
        out.print(f'no parts yet: blog new "Part one" --series {view.key}')
    out.print(_footer(view, ledger, ws, now))


def _quoted(promise) -> str:
    """A promise's topic in quotes, or what a teaser without one said."""
    if promise.has_topic:
        return f"“{_esc(promise.text)}”"
    return f"[italic]a teaser without a topic[/] (“{_esc(promise.sentence or '')}”)"


def _part(number: int | None, slug: str | None = None) -> str:
    return f"part {number}" if number is not None else (slug or "an unnumbered part")


def _teaser_cell(row, promise, parts_by_slug: dict) -> str:
    """The part's teaser, and what became of it: kept, planned, late, repeated, open or overdue."""
    if promise is None:
        if row.teaser is None:
            return ""
        return f"[dim]“{_esc(row.teaser)}”[/]" if row.teaser else "[dim italic]a teaser without a topic[/]"
    style, mark = PROMISE_STYLE[promise.status], PROMISE_MARK[promise.status]
    text = _quoted(promise)
    if promise.origin != row.slug:
        first = parts_by_slug.get(promise.origin)
        text += f"\n[magenta]↻ repeated from {_part(first.part if first else None, promise.origin)}[/]"
    if promise.status in ("fulfilled", "planned", "late"):
        keeper = parts_by_slug.get(promise.fulfilled_by)
        where = _part(keeper.part if keeper else None, promise.fulfilled_by)
        verb = {"fulfilled": "kept in", "planned": "planned in", "late": "late: planned in"}[promise.status]
        text += f"\n[{style}]{mark} {verb} {where}[/]"
        if promise.out_of_order and promise.expected_part:
            text += f"\n[bold red]⚠ not the next part ({_part(promise.expected_part)})[/]"
        return text
    return text + f"\n[{style}]{mark} {promise.status}[/]"


def _footer(view, ledger, ws, now: dt.datetime):
    """What goes live when, the next free slot, what is still owed, and numbering to fix."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for row in view.upcoming:
        grid.add_row("[blue]Goes live[/]", f"{_when(row.date, ws.tz, now)}  {_part(row.part, row.slug)}, {_esc(row.title)}")
    if view.next_slot:
        grid.add_row("Next slot", _when(view.next_slot, ws.tz, now))
    owed = [p for p in ledger if p.owed]
    for p in owed:
        made = f" ({_part(p.part)})" if p.part is not None else ""
        grid.add_row(f"[{PROMISE_STYLE[p.status]}]Still owed[/]", f"{_quoted(p)}{made}{_due_note(p, ws, now)}")
    if not owed:
        grid.add_row("[green]Owed[/]", "[green]nothing: every promise is kept or planned[/]")
    problems = [f"part {n} is missing" for n in view.gaps] + [f"part {n} is used twice" for n in view.duplicates]
    problems += [f"{slug} has no part number" for slug in view.unnumbered]
    if problems:
        grid.add_row("[bold red]Numbering[/]", "[bold red]" + "; ".join(problems) + "[/]: fix with blog series move REF --to N")
    return grid


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
    name: Annotated[Optional[str], typer.Argument(help="Only this series (name or slug); default: every series.", show_default=False)] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """The promise ledger: what each part teased, and whether it was kept, planned, late, open or overdue."""
    from blogcli.ops.promises import promise_ledger

    ws = open_workspace()
    ledger = promise_ledger(ws, name)
    if as_json:
        emit_json([p.as_dict() for p in ledger])
        return
    if not ledger:
        typer.echo("no promises yet: a published part that says “next week I'll…” makes one", err=True)
        return
    from rich.table import Table

    now = ws.now()
    out = console()
    by_series: dict[str, list] = {}
    for promise in ledger:
        by_series.setdefault(promise.series, []).append(promise)
    for title, promises in by_series.items():
        counts = {status: sum(p.status == status for p in promises) for status in ("overdue", "late", "open", "planned", "fulfilled")}
        summary = " · ".join(f"[{PROMISE_STYLE[s]}]{n} {s}[/]" for s, n in counts.items() if n)
        out.print(f"[bold]{_esc(title)}[/]  {summary}")
        # Fixed widths that add up to the screen: the Promise column is wide enough for the
        # `path:line` under each promise (broken after the folder only when it cannot be).
        room = out.width - 11  # the mark and part columns, and the padding between columns
        widest = 2 + max(len(p.origin_rel) + 6 for p in promises)
        promise_width = max(min(widest, room - 22), room * 11 // 20)
        locations = [_location(p, promise_width) for p in promises]
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("", no_wrap=True, width=1)
        table.add_column("Part", justify="right", no_wrap=True, width=4)
        table.add_column("Promise", overflow="fold", width=promise_width)
        table.add_column("Status", overflow="fold", width=room - promise_width)
        for p, location in zip(promises, locations):
            style = PROMISE_STYLE[p.status]
            text = _quoted(p)
            if p.repeated:
                again = ", ".join(p.made_in[1:])
                text += f"\n[magenta]↻ repeated in {again}[/]" if again else "\n[magenta]↻ repeated (it says so)[/]"
            text += f"\n[dim]{_esc(location)}[/]"
            if p.status in ("planned", "late") and p.keeper_rel:
                text += f"\n[dim]→ {_esc(_location_of(p.keeper_rel, promise_width - 2))}[/]"
            table.add_row(f"[{style}]{PROMISE_MARK[p.status]}[/]", "" if p.part is None else str(p.part), text, f"[{style}]{_state(p, ws, now)}[/]")
        out.print(table)
        out.print()
    owed = [p for p in ledger if p.owed]
    if owed:
        noun = "promise" if len(owed) == 1 else "promises"
        out.print(f"[bold]{len(owed)} {noun} still owed.[/]", soft_wrap=True)
        open_ones = [p for p in owed if p.status != "late"]
        if open_ones:
            out.print("Start the next part with:")
            out.print(f"  blog new --series {open_ones[-1].series_key} --next", soft_wrap=True)
        for p in (p for p in owed if p.status == "late"):
            slug = p.keeper_rel.rsplit("/", 1)[-1].removesuffix(".md") if p.keeper_rel else p.fulfilled_by
            out.print(f"Finish and publish {_part(p.keeper_part, slug)}: blog publish {slug}", soft_wrap=True)
    else:
        out.print("[green]Nothing owed: every promise is kept or planned.[/]")


def _location(promise, room: int) -> str:
    """`path:line` of the promise."""
    return _location_of(promise.origin_rel + (f":{promise.line}" if promise.line else ""), room)


def _location_of(where: str, room: int) -> str:
    """A path, broken after its folder when wider than `room` (never inside the name or the line number)."""
    if len(where) <= room or "/" not in where:
        return where
    folder, _, name = where.partition("/")
    if len(name) > room and ":" in name:
        name = "\n:".join(name.rsplit(":", 1))  # the line number whole, on a line of its own
    return f"{folder}/\n{name}"


def _state(p, ws, now: dt.datetime) -> str:
    """The Status column: what became of the promise, and how late it is."""
    keeper = _part(p.keeper_part, p.fulfilled_by)
    order = f"\n⚠ not the next part ({_part(p.expected_part)})" if p.out_of_order and p.expected_part else ""
    if p.status == "fulfilled":
        return f"kept in {keeper}{order}\n[dim]{_esc(p.keeper_title or '')}[/]"
    if p.status == "planned":
        return f"planned in {keeper}{order}"
    if p.status == "late":
        planned = f", {_relative(p.keeper_created, now)}" if p.keeper_created else ""
        return f"late: due since {_day(p.due, ws.tz)}\nplanned in {keeper}{planned}{order}"
    if p.status == "overdue":
        return f"overdue since {_day(p.due, ws.tz)}\n[dim]{_relative(p.due, now)}[/]"
    return f"open, due {_day(p.due, ws.tz)}\n[dim]{_relative(p.due, now)}[/]" if p.due else "open"


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
    part: Annotated[Optional[int], typer.Option("--part", "-p", min=1, help="Its part number (default: the next); later parts move up.")] = None,
    force: Annotated[bool, _FORCE] = False,
    new_series: Annotated[bool, _NEW_SERIES] = False,
) -> None:
    """Add a post to a series; the parts stay numbered 1..N."""
    from blogcli.cli.common import confirm_new_series
    from blogcli.ops.series import add_to_series

    ws = open_workspace()
    added = confirm_new_series(lambda new: add_to_series(ws, ref, name, part, force, new), new_series)
    if added.new:
        typer.echo(f"started a new series {added.series.title!r} ([series.{added.series.slug}] added to blog.toml)", err=True)
    _print_changes(added.changes)
@series_app.command("remove")
def remove(ref: Annotated[str, _REF], force: Annotated[bool, _FORCE] = False) -> None:
    """Take a post out of its series; the parts after it move down."""
    from blogcli.ops.series import remove_from_series

    _print_changes(remove_from_series(open_workspace(), ref, force))


@series_app.command("move")
def move(
    ref: Annotated[str, _REF],
    to: Annotated[int, typer.Option("--to", min=1, help="The new part number.", show_default=False)],
    force: Annotated[bool, _FORCE] = False,
) -> None:
    """Give a part a new number; the parts in between shift, all files change together."""
    from blogcli.ops.series import move_part

    _print_changes(move_part(open_workspace(), ref, to, force))


@series_app.command("plan")
def plan(
    name: Annotated[str, _NAME],
    topic: Annotated[str, typer.Argument(help="What the part will be about (its title).", show_default=False)],
    new_series: Annotated[bool, _NEW_SERIES] = False,
) -> None:
    """Plan a part (front matter only); it records which promise it keeps when the topic matches one."""
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
        typer.Argument(help='The new cadence: "weekly on Monday 09:00", "every 2 weeks on Friday 18:00", "daily 07:30"…', show_default=False),
    ] = None,
) -> None:
    """Show the series' cadence (set or inferred), or set it in blog.toml (comments and layout kept)."""
    from blogcli.ops.series import resolve_series, set_cadence

    ws = open_workspace()
    if cadence is None:
        from blogcli.ops.series import list_series

        series = resolve_series(ws, name)
        summary = next(s for s in list_series(ws) if s.key == series.slug)
        typer.echo(f"{summary.title}: {summary.cadence} ({CADENCE_ORIGIN[summary.schedule.origin]})")
        if summary.next_slot:
            typer.echo(f"next slot: {_when(summary.next_slot, ws.tz, ws.now())}")
        return
    series, schedule = set_cadence(ws, name, cadence)
    typer.echo(f"{series.title}: {schedule.describe()} (set in blog.toml [series.{series.section or series.slug}])")
