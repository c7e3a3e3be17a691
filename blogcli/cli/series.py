"""`blog series list / show / add / remove / move / plan / promises`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json, open_workspace

STATUS_STYLE = {"draft": "yellow", "planned": "cyan", "scheduled": "blue", "published": "green"}
PROMISE_STYLE = {"fulfilled": "green", "planned": "cyan", "open": "yellow", "overdue": "bold red"}
PROMISE_MARK = {"fulfilled": "✓", "planned": "◔", "open": "…", "overdue": "!"}

series_app = BlogTyper(
    help="Series: parts in order, their schedule, and what each part promised readers.",
    no_args_is_help=True,
)

_NAME = typer.Argument(help="The series' name or slug (as in front matter or blog.toml).", show_default=False)
_REF = typer.Argument(help="Slug, unique slug prefix, or path of a post.", show_default=False)
_FORCE = typer.Option("--force", help="Allow renumbering (or removing) published parts.")
_JSON = typer.Option("--json", help="Print JSON for scripts.")


def register(app: BlogTyper) -> None:
    app.add_typer(series_app, name="series")


def _day(moment: dt.datetime | None, tz, with_time: bool = False) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return local.strftime("%a %d %b %Y %H:%M" if with_time else "%Y-%m-%d")


def _relative(moment: dt.datetime, now: dt.datetime) -> str:
    days = (moment.date() - now.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 0:
        return f"in {days} days"
    return "yesterday" if days == -1 else f"{-days} days ago"


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
    table.add_column("Series", overflow="fold")
    table.add_column("Parts", overflow="fold")
    table.add_column("Last out", no_wrap=True)
    table.add_column("Next free slot", overflow="fold")
    for s in found:
        counts = ", ".join(f"[{STATUS_STYLE[k]}]{n} {k}[/]" for k, n in s.counts.items() if n) or "[dim]none yet[/]"
        slot = f"{_day(s.next_slot, ws.tz, True)}\n[dim]{_relative(s.next_slot, now)}[/]" if s.next_slot else "—"
        table.add_row(f"[bold]{s.title}[/]\n[dim]{s.key} · {s.cadence}[/]", counts, _day(s.last_published, ws.tz) or "—", slot)
    console().print(table)


@series_app.command("show")
def show(name: Annotated[str, _NAME], as_json: Annotated[bool, _JSON] = False) -> None:
    """The parts in order with status, date and teaser; gaps, duplicates and the schedule."""
    from blogcli.ops.promises import promise_ledger
    from blogcli.ops.series import show_series

    ws = open_workspace()
    view = show_series(ws, name)
    if as_json:
        emit_json([row.as_dict() for row in view.rows])
        return
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    now = ws.now()
    promises = {p.origin: p for p in promise_ledger(ws, view.key)}
    titles = {row.slug: row for row in view.rows}
    out = console()
    header = Text.assemble((view.title, "bold"), ("  " + view.key, "dim"))
    lines = [header]
    if view.description:
        lines.append(Text(view.description, style="italic"))
    lines.append(Text(view.cadence.describe(), style="dim"))
    out.print(Group(*lines))
    if not view.rows:
        out.print("\nno parts yet: " + f'blog new "Part one" --series {view.key}')
        return
    table = Table(expand=False, pad_edge=False, box=None, padding=(0, 1), show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Status", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Teases next", overflow="fold", ratio=4)
    rows = list(view.rows)
    gaps = set(view.gaps)
    shown_gaps = set()
    for row in rows:
        for gap in sorted(g for g in gaps - shown_gaps if row.part and g < row.part):
            table.add_row(f"[bold red]{gap}[/]", "[bold red]missing: no post has this part[/]", "", "", "")
            shown_gaps.add(gap)
        number = "?" if row.part is None else str(row.part)
        if row.flag:
            number = f"[bold red]{number}[/]"
        title = row.title + (f"\n[bold red]{row.flag}[/]" if row.flag else "")
        when = _day(row.date, ws.tz, with_time=row.status == "scheduled") if row.date else "—"
        teaser = ""
        promise = promises.get(row.slug)
        if promise is not None:
            teaser = f"“{promise.text}”\n" + _kept_note(promise, titles)
        elif row.teaser:
            teaser = f"[dim]“{row.teaser}”[/]"
        table.add_row(number, title, f"[{STATUS_STYLE[row.status]}]{row.status}[/]", when, teaser)
    out.print()
    out.print(table)
    out.print()
    for row in view.upcoming:
        out.print(f"[blue]goes live[/] {_day(row.date, ws.tz, True)} ({_relative(row.date, now)}): part {row.part}, {row.title}")
    if view.next_slot:
        out.print(f"[bold]next free slot[/] {_day(view.next_slot, ws.tz, True)} ({_relative(view.next_slot, now)})")
    owed = [p for p in promises.values() if p.status in ("open", "overdue")]
    for p in owed:
        out.print(f"[{PROMISE_STYLE[p.status]}]still owed[/] “{p.text}” (part {p.part}){_due_note(p, ws, now)}")
    if not owed:
        out.print("[green]nothing owed:[/] every promise is kept or planned")
    if view.gaps or view.duplicates or view.unnumbered:
        out.print(f"[bold red]numbering needs a look[/]: fix it with `blog series move REF --to N` (see `blog series --help`)")


def _kept_note(promise, rows: dict) -> str:
    if promise.status in ("fulfilled", "planned"):
        keeper = rows.get(promise.fulfilled_by)
        where = f"part {keeper.part}" if keeper and keeper.part else promise.fulfilled_by
        verb = "kept in" if promise.status == "fulfilled" else "planned in"
        return f"[{PROMISE_STYLE[promise.status]}]{PROMISE_MARK[promise.status]} {verb} {where}[/]"
    return f"[{PROMISE_STYLE[promise.status]}]{PROMISE_MARK[promise.status]} {promise.status}[/]"


def _due_note(promise, ws, now: dt.datetime) -> str:
    if promise.due is None:
        return ""
    if promise.status == "overdue":
        return f", overdue since {_day(promise.due, ws.tz)} ({_relative(promise.due, now)})"
    return f", due {_day(promise.due, ws.tz)} ({_relative(promise.due, now)})"


@series_app.command("promises")
def promises_command(
    name: Annotated[Optional[str], typer.Argument(help="Only this series (name or slug); default: every series.", show_default=False)] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """The promise ledger: what each part teased, and whether it was kept, planned, open or overdue."""
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
        counts = {status: sum(p.status == status for p in promises) for status in ("overdue", "open", "planned", "fulfilled")}
        summary = " · ".join(f"[{PROMISE_STYLE[s]}]{n} {s}[/]" for s, n in counts.items() if n)
        table = Table(title=f"[bold]{title}[/]  {summary}", title_justify="left", expand=False, box=None, padding=(0, 1), show_edge=False)
        table.add_column("", no_wrap=True)
        table.add_column("Part", justify="right", no_wrap=True)
        table.add_column("Promise", overflow="fold", ratio=3)
        table.add_column("Status", overflow="fold", ratio=2)
        for p in promises:
            style = PROMISE_STYLE[p.status]
            text = f"“{p.text}”"
            if p.repeated:
                text += f"\n[magenta]repeated in {len(p.made_in)} posts: {', '.join(p.made_in)}[/]" if len(p.made_in) > 1 else "\n[magenta]repeated (said before)[/]"
            text += f"\n[dim]{p.origin}{f', line {p.line}' if p.line else ''}[/]"
            if p.status == "fulfilled":
                state = f"kept by {p.keeper_title or p.fulfilled_by}" + (f" (part {p.keeper_part})" if p.keeper_part else "")
            elif p.status == "planned":
                state = f"planned in {p.keeper_rel}" + (f" (part {p.keeper_part})" if p.keeper_part else "")
            else:
                state = p.status + _due_note(p, ws, now)
            table.add_row(f"[{style}]{PROMISE_MARK[p.status]}[/]", str(p.part or "?"), text, f"[{style}]{state}[/]")
        out.print(table)
        out.print()
    owed = [p for p in ledger if p.status in ("open", "overdue")]
    if owed:
        noun = "promise" if len(owed) == 1 else "promises"
        out.print(f"[bold]{len(owed)} {noun} still owed.[/] Start the next part with:")
        out.print(f"  blog new --series {owed[-1].series_key} --next", soft_wrap=True)
    else:
        out.print("[green]Nothing owed: every promise is kept or planned.[/]")


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
) -> None:
    """Add a post to a series; the parts stay numbered 1..N."""
    from blogcli.ops.series import add_to_series

    _print_changes(add_to_series(open_workspace(), ref, name, part, force))


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
def plan(name: Annotated[str, _NAME], topic: Annotated[str, typer.Argument(help="What the part will be about (its title).", show_default=False)]) -> None:
    """Plan a part (front matter only); it records which promise it keeps when the topic matches one."""
    from blogcli.cli.common import show_path
    from blogcli.ops.series import plan_part

    ws = open_workspace()
    post, promise = plan_part(ws, name, topic)
    if promise is not None:
        typer.echo(f"keeps the promise of part {promise.part}: “{promise.text}” (fulfils: {promise.origin})", err=True)
    typer.echo(show_path(ws.path_of(post.rel)))
