"""`blog check / publish / unpublish`."""

import sys
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, emit_json, open_workspace, show_path, warn
from blogcli.cli.completion import complete_ref
from blogcli.cli.site import warn_base_url
from blogcli.model.words import plural

SEVERITY_STYLE = {"error": "red", "warning": "yellow"}


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _where(problem) -> str:
    return f"{problem.path}:{problem.line}" if problem.line else problem.path


def _print_problems(problems, stream=None, page: bool = False) -> None:
    """`path:line: severity: message (code)`, one a problem: the shape editors and CI annotate from.
    On a terminal (or with $COLUMNS) a long one wraps at spaces, indented."""
    from blogcli.cli.tables import emit, hanging, paint, table_width, use_color

    stream = stream or sys.stdout
    width, color = table_width(stream), use_color(stream)
    lines = []
    for problem in problems:
        head = f"{_where(problem)}: "
        wrapped = hanging(f"{head}{problem.severity}: {problem.message} ({problem.code})", width)
        severity = paint(problem.severity, SEVERITY_STYLE.get(problem.severity), color)
        wrapped[0] = wrapped[0].replace(f"{head}{problem.severity}:", f"{head}{severity}:", 1)
        lines.extend(wrapped)
    if stream is sys.stdout:
        emit(lines, page=page)
    else:
        stream.write("".join(f"{line}\n" for line in lines))


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
            Optional[str],
            typer.Argument(metavar="REF", autocompletion=complete_ref,
                           help="Check only this post (slug, unique prefix or path); a draft is checked as publish would."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of {path, line, code, severity, message}.")] = False,
    ) -> None:
        """Find problems before readers do (errors exit 1, warnings 0).

        Each problem is one `path:line: severity: message (code)` line, the shape editors and CI
        read. Errors (no title, no text, bad front matter, a part number taken twice, broken
        links, missing images, a public post linking to a draft) exit 1; warnings (TODO notes,
        overdue promises, duplicate slugs) do not. Without REF every post is checked, with the
        same rules as `blog check REF` gives each.

        \b
        Examples:
          blog check
          blog check who-rides              # is this draft ready to publish?
          blog check --json | jq '.[] | select(.severity == "error")'
        """
        from blogcli.ops.check import check_posts

        ws = open_workspace()
        problems = check_posts(ws, ref)
        if as_json:
            emit_json([p.as_dict() for p in problems])
        else:
            _print_problems(problems, page=True)
            checked = ws.resolve(ref).rel if ref else f"{plural(len(ws.posts) + len(ws.unreadable), 'post')} checked"
            typer.echo(_summary(problems, checked), err=True)
        if any(p.severity == "error" for p in problems):
            raise typer.Exit(1)

    @app.command("publish")
    def publish(
        ref: Annotated[str, typer.Argument(metavar="REF", autocompletion=complete_ref, help="The draft to publish: slug, unique slug prefix, or path.")],
        date: Annotated[
            Optional[str], typer.Option("--date", metavar="DATE", help="Publication date and time (ISO 8601; default: now).")
        ] = None,
        at: Annotated[
            Optional[str],
            typer.Option("--at", metavar="DATE|next", help="Schedule for a future time, or 'next': the series' next free slot."),
        ] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Change nothing; say what would happen.")] = False,
        force: Annotated[
            bool,
            typer.Option("--force", help="Publish despite errors or TODO notes, a part missing before it, or an edit made on WordPress."),
        ] = False,
        plan_next: Annotated[
            bool, typer.Option("--plan-next", help="Create the planned draft for the topic this post promises, if none exists.")
        ] = False,
        to: Annotated[
            Optional[list[str]],
            typer.Option("--to", metavar="TARGET", help="Publish there too: wordpress (repeatable; default: [publish] targets)."),
        ] = None,
        pull: Annotated[
            bool, typer.Option("--pull", help="Change nothing; show how WordPress's copy differs from what would be published.")
        ] = False,
    ) -> None:
        """Check a draft, move it to published/ and update the site.

        Sets `date`, `updated`, the series `part` if it has none and a permanent feed `id`, moves
        the file in one step and prints the page's path and URL. A draft with errors or TODO
        notes, or a part whose earlier parts would not be out by then, is refused unless --force.
        --dry-run changes nothing and says what would.

        \b
        Examples:
          blog publish who-rides
          blog publish who-rides --dry-run
          blog publish who-rides --at next              # the series' next free slot
          blog publish who-rides --at 2026-12-07T09:00  # scheduled
          blog publish who-rides --to wordpress         # here and on WordPress
          blog publish who-rides --pull                 # how WordPress's copy differs
        """
        from blogcli.cli.site import _progress_bar

        ws = open_workspace()
        targets = _targets(ws, to)
        if pull:
            _show_difference(ws, ref)
            return
        if "site" in targets:
            warn_base_url(ws)
        if "wordpress" in targets:
            from blogcli.publishing.wordpress.sync import publish as publish_wordpress

            def publish_there(plan_title):
                with _progress_bar() as progress:
                    return publish_wordpress(
                        ws, ref, date=date, at=at, force=force, plan_next=plan_next, plan_title=plan_title, dry_run=dry_run,
                        rebuild_site="site" in targets, progress=progress,
                    )

            remote = _asking_for_an_untitled_plan(publish_there)
            if remote.local is not None:
                _report_publish(ws, remote.local, show_site="site" in targets)
            _report_wordpress_publish(remote)
            _site_failure(remote.local.site_error if remote.local is not None else None)
            return
        from blogcli.ops.publish import publish as publish_post

        def publish_here(plan_title):
            with _progress_bar() as progress:
                return publish_post(
                    ws, ref, date=date, at=at, dry_run=dry_run, force=force, plan_next=plan_next, progress=progress, plan_title=plan_title
                )

        result = _asking_for_an_untitled_plan(publish_here)
        _report_publish(ws, result)
        _site_failure(result.site_error)

    @app.command("unpublish")
    def unpublish(
        ref: Annotated[str, typer.Argument(metavar="REF", autocompletion=complete_ref, help="The published post: slug, unique slug prefix, or path.")],
        to: Annotated[
            Optional[list[str]],
            typer.Option("--to", metavar="TARGET", help="Unpublish there too: wordpress (default: [publish] targets)."),
        ] = None,
    ) -> None:
        """Move a published post back to drafts/; its pages leave the site.

        Only its `date` is removed; its feed `id` stays, so publishing it again shows feed
        readers the same entry. With --to wordpress its WordPress copy becomes a draft too.

        \b
        Examples:
          blog unpublish who-rides
          blog unpublish who-rides --to wordpress
        """
        from blogcli.cli.site import _progress_bar

        ws = open_workspace()
        targets = _targets(ws, to)
        if "wordpress" in targets:
            from blogcli.publishing.wordpress.sync import unpublish as unpublish_wordpress

            with _progress_bar() as progress:
                remote = unpublish_wordpress(ws, ref, rebuild_site="site" in targets, progress=progress)
            if remote.local is not None:
                _report_unpublish(ws, remote.local, show_site="site" in targets)
            if remote.id is not None:
                typer.echo(f"WordPress post {remote.id} is a draft again: readers no longer see it", err=True)
            _report_boxes(remote.boxes)
            for message in remote.warnings:
                warn(message)
            if remote.local is None:
                typer.echo(show_path(ws.path_of(remote.rel)))
            _site_failure(remote.local.site_error if remote.local is not None else None)
            return
        from blogcli.ops.publish import unpublish as unpublish_post

        with _progress_bar() as progress:
            result = unpublish_post(ws, ref, progress=progress)
        _report_unpublish(ws, result)
        _site_failure(result.site_error)


def _targets(ws, given: list[str] | None) -> tuple[str, ...]:
    from blogcli.publishing import chosen_targets
    from blogcli.workspace.config import PUBLISH_TARGETS

    for target in given or []:
        if target not in PUBLISH_TARGETS:
            raise typer.BadParameter(f"{target!r} is not a target; choose {' or '.join(PUBLISH_TARGETS)}", param_hint="--to")
    return chosen_targets(ws.config, given)


def _asking_for_an_untitled_plan(publish):
    """`publish(plan_title)`; on a terminal, a teaser with no topic ("Stay tuned!") and --plan-next
    ask for the planned part's title, and publish again (the refusal came before any change)."""
    from blogcli.ops.publish import UntitledPlan

    try:
        return publish(None)
    except UntitledPlan:
        if not _interactive():
            raise
        return publish(typer.prompt("Its teaser names no topic. Title of the planned next part", err=True))


def _report_publish(ws, result, show_site: bool = True) -> None:
    """What the local publish did: checks' warnings, the move, the feed id, the promise it makes, the page."""
    from blogcli.ops.publish import plan_teased

    if result.problems:  # none: cli.tables is not even imported
        _print_problems(result.problems, sys.stderr)
    if result.dry_run:
        _dry_run_report(ws, result, show_site)
        return
    when = ws.format_date(result.date)
    typer.echo(f"{result.status} {result.source} -> {result.rel} ({result.status} {when})", err=True)
    if result.id_pending:
        typer.echo("no feed id stamped yet: the first publish after base_url is set stamps it", err=True)
    if result.ids_caught_up:
        typer.echo(f"stamped the feed id of {plural(len(result.ids_caught_up), 'earlier post')} published before base_url was set: "
                   + ", ".join(result.ids_caught_up), err=True)
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
        elif _interactive() and typer.confirm(
            f"Create a planned draft for next week's topic '{result.teaser}'?", default=True, err=True
        ):
            planned = plan_teased(ws, result.slug)
            typer.echo(f"planned: {show_path(ws.path_of(planned.rel))}", err=True)
    if result.status == "scheduled" and show_site:
        typer.echo("it stays off the site and feed until a build after that time", err=True)
    for message in result.site_warnings:
        warn(message)
    if result.page and show_site:
        typer.echo(show_path(ws.root / result.page))
    if result.url and show_site:
        typer.echo(result.url)


def _report_unpublish(ws, result, show_site: bool = True) -> None:
    typer.echo(f"unpublished {result.source} -> {result.rel}", err=True)
    for message in result.site_warnings:
        warn(message)
    if result.site_error is None and result.was_on_site and show_site:
        typer.echo(f"{result.url} is no longer on the site", err=True)
    for rel in result.linked_from:
        warn(f"{rel} links to it, and now links to a draft (blog check reports it)")
    typer.echo(show_path(ws.path_of(result.rel)))


def _dry_run_report(ws, result, show_site: bool = True) -> None:
    """What `publish --dry-run` would do, on stdout (a real publish prints the page and URL there)."""
    when = ws.format_date(result.date)
    verb = "schedule" if result.status == "scheduled" else "publish"
    lines = ["dry run: nothing was changed", f"would {verb} {result.source} -> {result.rel} ({result.status} {when})"]
    lines += [f"  {key}: {value.isoformat() if hasattr(value, 'isoformat') else value}" for key, value in result.changes.items()]
    if result.id_pending:
        lines.append("  id: not yet (base_url is not set to the real site)")
    if result.ids_caught_up:
        lines.append(f"would stamp the feed id of {plural(len(result.ids_caught_up), 'earlier post')}: " + ", ".join(result.ids_caught_up))
    if result.teaser and not result.plan:
        lines.append(f"teases {result.teaser!r}; --plan-next would create its planned draft")
    elif result.teaser == "" and not result.plan:
        lines.append('its teaser names no topic: plan the next part with blog series plan SERIES "Title"')
    if show_site and result.status == "scheduled":
        lines.append("it would stay off the site and feed until a build after that time")
    elif show_site and result.page:
        lines.append(f"its page would be {show_path(ws.root / result.page)}")
        lines.append(f"  at {result.url}")
    sys.stdout.write("".join(f"{line}\n" for line in lines))


def _report_wordpress_publish(remote) -> None:
    if remote.dry_run:
        action = "would create a WordPress post" if remote.created else f"would update WordPress post {remote.id}"
        typer.echo(f"{action} ({remote.status})", err=True)
    else:
        action = "created" if remote.created else "updated"
        when = "scheduled" if remote.status == "future" else remote.status
        typer.echo(f"WordPress: {action} post {remote.id} ({when})", err=True)
        for path in remote.uploaded:
            typer.echo(f"WordPress: uploaded {path}", err=True)
        if remote.slug_given:
            warn(f"WordPress gave it the slug {remote.slug_given!r} (another post there has {remote.slug_given.rsplit('-', 1)[0]!r})")
    for message in remote.warnings:
        warn(message)
    _report_boxes(remote.boxes)
    if remote.url and not remote.dry_run:
        typer.echo(remote.url)


def _report_boxes(boxes) -> None:
    for rel in boxes.updated:
        typer.echo(f"WordPress: updated the series box of {rel}", err=True)
    for message in boxes.skipped:
        warn(message)


def _show_difference(ws, ref: str) -> None:
    from blogcli.publishing.wordpress.status import difference

    found = difference(ws, ref)
    if not found.diff:
        typer.echo(f"{found.rel}: WordPress post {found.id} is what blogcli would publish", err=True)
        return
    typer.echo(found.diff, nl=False)


def _site_failure(error) -> None:
    """The post moved, but the site could not follow: say both, and exit 1 so scripts notice."""
    if error is None:
        return
    from blogcli.cli.common import report_error

    warn("the post was moved, but the site was not updated")
    report_error(error)
    typer.echo("hint: fix that, then run `blog build`", err=True)
    raise typer.Exit(1)

