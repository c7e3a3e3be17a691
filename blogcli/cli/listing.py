"""`blog list`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json_array, open_workspace, warn

STATUS_STYLE = {"draft": "yellow", "planned": "cyan", "scheduled": "blue", "published": "green"}


def register(app: BlogTyper) -> None:
    @app.command("list")
    def list_posts(
        status: Annotated[
            Optional[list[str]],
            typer.Option("--status", help="Only posts with this status (draft, planned, scheduled, published); repeatable."),
        ] = None,
        series: Annotated[Optional[str], typer.Option("--series", help="Only this series (name or slug).")] = None,
        tag: Annotated[Optional[str], typer.Option("--tag", help="Only posts with this tag.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array for scripts.")] = False,
    ) -> None:
        """List posts, newest first. Files that cannot be read are warned about on stderr."""
        from blogcli.ops.listing import post_json_text, select_posts

        ws = open_workspace()
        now = ws.now()
        for problem in ws.unreadable:
            warn(str(problem))
        for post in ws.posts:
            if post.problems:
                for problem in post.errors:
                    warn(str(problem))
        chosen = None
        if series is not None:
            from blogcli.model.series import SeriesCatalogue

            chosen = SeriesCatalogue(ws.config.series, ws.posts).resolve(series)
        posts = select_posts(ws.posts, now, status, chosen, tag)
        if as_json:
            emit_json_array([post_json_text(p, now) for p in posts])
            return
        if not posts:
            typer.echo("no posts match" if (status or series or tag) else 'no posts yet: blog new "My first post"', err=True)
            return
        from rich.table import Table

        table = Table(title=ws.config.title, title_justify="left", expand=False)
        for column in ("Status", "Slug", "Title", "Series", "Date", "Words"):
            wraps = column in ("Title", "Series")
            table.add_column(column, justify="right" if column == "Words" else "left", no_wrap=not wraps, overflow="fold")
        for p in posts:
            state = p.status(now)
            when = p.date or p.updated or p.created
            table.add_row(
                f"[{STATUS_STYLE[state]}]{state}[/]",
                p.slug,
                p.display_title,
                f"{p.series} #{p.part}" if p.series and p.part else (p.series or ""),
                when.strftime("%Y-%m-%d") if when else "",
                str(p.words),
            )
        console().print(table)
