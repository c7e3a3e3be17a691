"""`blog check / publish / unpublish`."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json, open_workspace, show_path, warn

SEVERITY_STYLE = {"error": "red", "warning": "yellow"}


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _where(problem) -> str:
    return f"{problem.path}:{problem.line}" if problem.line else problem.path


def _print_problems(problems, stream_console) -> None:
    """`path:line: severity: message`, one a line: the shape editors and CI annotate from."""
    from rich.markup import escape

    for problem in problems:
        style = SEVERITY_STYLE.get(problem.severity, "")
        stream_console.print(
            f"{escape(_where(problem))}: [{style}]{problem.severity}[/]: {escape(problem.message)} [dim]({problem.code})[/]",
            markup=True,
            soft_wrap=True,
        )


def _summary(problems, checked: str) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"{checked}: no problems"
    return f"{checked}: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def register(app: BlogTyper) -> None:
    @app.command("check")
    def check(
        ref: Annotated[
            Optional[str], typer.Argument(help="Check only this post (slug, prefix or path); a draft is checked as publish would.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of {path, line, code, severity, message}.")] = False,
    ) -> None:
        """Find problems before readers do: exits 1 when there are errors (warnings alone exit 0)."""
        from blogcli.ops.check import check_posts

        ws = open_workspace()
        problems = check_posts(ws, ref)
        if as_json:
            emit_json([p.as_dict() for p in problems])
        else:
            _print_problems(problems, console())
            checked = ws.resolve(ref).rel if ref else f"{len(ws.posts) + len(ws.unreadable)} posts checked"
            typer.echo(_summary(problems, checked), err=True)
        if any(p.severity == "error" for p in problems):
            raise typer.Exit(1)

    @app.command("publish")
    def publish(
        ref: Annotated[str, typer.Argument(help="The draft to publish: slug, unique slug prefix, or path.")],
        date: Annotated[
            Optional[str], typer.Option("--date", metavar="DATETIME", help="Publication date (ISO 8601; default: now).")
        ] = None,
        at: Annotated[
            Optional[str],
            typer.Option("--at", metavar="DATETIME|next", help="Schedule for a future time, or 'next': the series' next free slot."),
        ] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Change nothing; say what would happen.")] = False,
        force: Annotated[
            bool, typer.Option("--force", help="Publish even if the checks find errors or an earlier part of its series is not out.")
        ] = False,
        plan_next: Annotated[
            bool, typer.Option("--plan-next", help="Create the planned draft for the topic this post promises, if none exists.")
        ] = False,
    ) -> None:
        """Check a draft, file it in published/ (or schedule it), update the site; prints the page's path and URL."""
        from blogcli.ops.publish import plan_teased
        from blogcli.ops.publish import publish as publish_post

        from blogcli.cli.site import _progress_bar

        from blogcli.ops.publish import UntitledPlan

        ws = open_workspace()
        plan_title = None
        try:
            with _progress_bar() as progress:
                result = publish_post(ws, ref, date=date, at=at, dry_run=dry_run, force=force, plan_next=plan_next, progress=progress)
        except UntitledPlan:
            if not _interactive():
                raise
            plan_title = typer.prompt("Its teaser names no topic. Title of the planned next part", err=True)
            with _progress_bar() as progress:
                result = publish_post(
                    ws, ref, date=date, at=at, dry_run=dry_run, force=force, plan_next=plan_next, progress=progress, plan_title=plan_title
                )
        err = console(stderr=True)
        _print_problems(result.problems, err)
        when = ws.format_date(result.date)
        verb = "would publish" if result.dry_run else "published"
        if result.status == "scheduled":
            verb = "would schedule" if result.dry_run else "scheduled"
        typer.echo(f"{verb} {result.source} -> {result.rel} ({result.status} {when})", err=True)
        if result.dry_run:
            for key, value in result.changes.items():
                typer.echo(f"  {key}: {value.isoformat() if hasattr(value, 'isoformat') else value}", err=True)
        if result.teaser == "":  # "Stay tuned!": a promise, but no topic to title a part after
            if result.plan:
                typer.echo(f"the next part is {'planned' if result.plan_created else 'already planned'}: {result.plan}", err=True)
            else:
                typer.echo('its teaser names no topic: plan the next part with blog series plan SERIES "Title"', err=True)
        elif result.teaser is not None:
            if result.plan_created:
                typer.echo(f"planned next week's topic {result.teaser!r}: {result.plan}", err=True)
            elif result.plan:
                typer.echo(f"next week's topic {result.teaser!r} is planned in {result.plan}", err=True)
            elif result.dry_run:
                typer.echo(f"teases {result.teaser!r}; --plan-next would create its planned draft", err=True)
            elif _interactive() and typer.confirm(
                f"Create a planned draft for next week's topic '{result.teaser}'?", default=True, err=True
            ):
                planned = plan_teased(ws, result.slug)
                typer.echo(f"planned: {show_path(ws.path_of(planned.rel))}", err=True)
        if result.status == "scheduled":
            typer.echo("it stays off the site and feed until a build after that time", err=True)
        for message in result.site_warnings:
            warn(message)
        if result.page:
            typer.echo(show_path(ws.root / result.page))
        if result.url:
            typer.echo(result.url)
        _site_failure(result.site_error)

    @app.command("unpublish")
    def unpublish(ref: Annotated[str, typer.Argument(help="The published post: slug, unique slug prefix, or path.")]) -> None:
        """Move a published post back to drafts/ and remove its pages from the site (nothing else is lost)."""
        from blogcli.ops.publish import unpublish as unpublish_post

        from blogcli.cli.site import _progress_bar

        ws = open_workspace()
        with _progress_bar() as progress:
            result = unpublish_post(ws, ref, progress=progress)
        typer.echo(f"unpublished {result.source} -> {result.rel}", err=True)
        for message in result.site_warnings:
            warn(message)
        if result.site_error is None:
            typer.echo(f"{result.url} is no longer on the site", err=True)
        for rel in result.linked_from:
            warn(f"{rel} links to it, and now links to a draft (blog check reports it)")
        typer.echo(show_path(ws.path_of(result.rel)))
        _site_failure(result.site_error)


def _site_failure(error) -> None:
    """The post moved, but the site could not follow: say both, and exit 1 so scripts notice."""
    if error is None:
        return
    from blogcli.cli.common import report_error

    warn("the post was moved, but the site was not updated")
    report_error(error)
    typer.echo("hint: fix that, then run `blog build`", err=True)
    raise typer.Exit(1)

