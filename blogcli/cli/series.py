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


def _esc(text: str) -> str:
    """The author's own text, shown as written even when it holds [square brackets] or control characters."""
    from rich.markup import escape

    from blogcli.render.controls import visible

    return escape(visible(text))


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
    from blogcli.ops.promises import promise_ledger
    from blogcli.ops.series import show_series

    ws = open_workspace()
    view = show_series(ws, name)
    if as_json:
        emit_json([row.as_dict() for row in view.rows])
        return
    from rich.table import Table

    now = ws.now()
    ledger = promise_ledger(ws, view.key)
    made_by = {slug: p for p in ledger for slug in p.made_in}
    parts_by_slug = {row.slug: row for row in view.rows}
    out = console()
    counts = {status: sum(row.status == status for row in view.rows) for status in STATUS_STYLE}
    out.print(f"[bold]{_esc(view.title)}[/]  [dim]{view.key}[/]")
    if view.description:
        out.print(f"[italic]{_esc(view.description)}[/]")
    out.print(f"[dim]{view.cadence.describe()}[/] · " + _counts({k: counts[k] for k in ("published", "scheduled", "draft", "planned")}))
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
            number = "?" if row.part is None else str(row.part)
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


def _teaser_cell(row, promise, parts_by_slug: dict) -> str:
    """The part's teaser, and what became of it: kept, planned, repeated, open or overdue."""
    if promise is None:
        return f"[dim]“{_esc(row.teaser)}”[/]" if row.teaser else ""
    style, mark = PROMISE_STYLE[promise.status], PROMISE_MARK[promise.status]
    text = f"“{_esc(promise.text)}”"
    if promise.origin != row.slug:
        first = parts_by_slug.get(promise.origin)
        text += f"\n[magenta]↻ repeated from part {first.part if first else '?'}[/]"
    if promise.status in ("fulfilled", "planned"):
        keeper = parts_by_slug.get(promise.fulfilled_by)
        where = f"part {keeper.part}" if keeper and keeper.part else promise.fulfilled_by
        verb = "kept in" if promise.status == "fulfilled" else "planned in"
        return text + f"\n[{style}]{mark} {verb} {where}[/]"
    return text + f"\n[{style}]{mark} {promise.status}[/]"


def _footer(view, ledger, ws, now: dt.datetime):
    """What goes live when, the next free slot, what is still owed, and numbering to fix."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for row in view.upcoming:
        grid.add_row("[blue]Goes live[/]", f"{_when(row.date, ws.tz, now)}  part {row.part}, {_esc(row.title)}")
    if view.next_slot:
        grid.add_row("Next slot", _when(view.next_slot, ws.tz, now))
    owed = [p for p in ledger if p.status in ("open", "overdue")]
    for p in owed:
        grid.add_row(f"[{PROMISE_STYLE[p.status]}]Still owed[/]", f"“{_esc(p.text)}” (part {p.part}){_due_note(p, ws, now)}")
    if not owed:
        grid.add_row("[green]Owed[/]", "[green]nothing: every promise is kept or planned[/]")
    problems = [f"part {n} is missing" for n in view.gaps] + [f"part {n} is used twice" for n in view.duplicates]
    problems += [f"{slug} has no part number" for slug in view.unnumbered]
    if problems:
        grid.add_row("[bold red]Numbering[/]", "[bold red]" + "; ".join(problems) + "[/]: fix with blog series move REF --to N")
    return grid


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
        out.print(f"[bold]{_esc(title)}[/]  {summary}")
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("", no_wrap=True)
        table.add_column("Part", justify="right", no_wrap=True)
        table.add_column("Promise", overflow="fold")
        table.add_column("Status", overflow="fold", min_width=min(32, out.width // 3))
        for p in promises:
            style = PROMISE_STYLE[p.status]
            text = f"“{_esc(p.text)}”"
            if p.repeated:
                again = ", ".join(p.made_in[1:])
                text += f"\n[magenta]↻ repeated in {again}[/]" if again else "\n[magenta]↻ repeated (it says so)[/]"
            text += f"\n[dim]{_esc(p.origin_rel)}{f':{p.line}' if p.line else ''}[/]"
            if p.status == "fulfilled":
                state = f"kept in part {p.keeper_part or '?'}\n[dim]{_esc(p.keeper_title or '')}[/]"
            elif p.status == "planned":
                state = f"planned in part {p.keeper_part or '?'}\n[dim]{_esc(p.keeper_rel or '')}[/]"
            elif p.status == "overdue":
                state = f"overdue since {_day(p.due, ws.tz)}\n[dim]{_relative(p.due, now)}[/]"
            else:
                state = f"open, due {_day(p.due, ws.tz)}\n[dim]{_relative(p.due, now)}[/]" if p.due else "open"
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
