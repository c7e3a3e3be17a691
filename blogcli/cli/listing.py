"""`blog list`."""

from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, emit_json_array, open_workspace, warn
from blogcli.cli.completion import complete_series, complete_sort, complete_status, complete_tag, statuses_callback

STATUS_STYLE = {"draft": "yellow", "planned": "cyan", "scheduled": "blue", "published": "green"}
DEFAULT_COLUMNS = ("status", "slug", "title", "series", "date", "words")
SERIES_COLUMNS = ("part", "status", "slug", "title", "date", "words")  # with --series: in part order, no Series column
ALL_COLUMNS = ("status", "part", "slug", "title", "series", "date", "updated", "words", "tags", "path")


def _columns():
    """Every column `blog list` can show; how each yields when the terminal is narrow."""
    from blogcli.cli.tables import Column

    return {
        "status": Column("Status"),
        "part": Column("Part", justify="right"),
        "slug": Column("Slug", shorten=True, min_width=12, drop=1, grow=4, room=12),
        "title": Column("Title", wrap=True, min_width=24, grow=1),
        "series": Column("Series", wrap=True, min_width=12, grow=2, room=24),
        "date": Column("Date", wrap=True, grow=3),
        "updated": Column("Updated"),
        "words": Column("Words", justify="right"),
        "tags": Column("Tags", wrap=True, grow=5),
        "path": Column("Path", shorten=True, min_width=16, drop=2, grow=6),
    }


def _parse_columns(value: str) -> list[str]:
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in ALL_COLUMNS]
    if unknown or not names:
        raise typer.BadParameter(f"unknown column {unknown[0]!r}; choose from: {', '.join(ALL_COLUMNS)}" if unknown
                                 else f"name at least one column: {', '.join(ALL_COLUMNS)}", param_hint="--columns")
    return names


def _day(moment, tz) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d") if moment else ""


def _cell(name: str, post, now, tz, with_status: bool):
    """One cell of the table. The Date cell names its date unless the Status column already does
    (`published`, `scheduled`): a draft's date reads `created …` or `updated …`."""
    from blogcli.ops.listing import shown_date

    if name == "status":
        state = post.status(now)
        return (state, STATUS_STYLE[state])
    if name == "date":
        kind, moment = shown_date(post, now)
        if moment is None:
            return ""
        return _day(moment, tz) if with_status and kind in ("published", "scheduled") else f"{kind} {_day(moment, tz)}"
    if name == "series":
        return f"{post.series}\u00a0#{post.part}" if post.series and post.part else (post.series or "")  # "#3" wraps with a word
    if name == "part":
        return "" if post.part is None else str(post.part)
    if name == "title":
        return post.display_title
    if name == "updated":
        return _day(post.updated or post.created, tz)
    if name == "words":
        return str(post.words)
    if name == "tags":
        return ", ".join(post.tags)
    if name == "path":
        return post.rel
    return post.slug


def _slug_of_series(catalogue):
    """A post's series, by its one slug (so `--sort part` groups every spelling of a series)."""

    def slug_of(post):
        found = catalogue.of(post)
        return found.slug if found else None

    return slug_of


def register(app: BlogTyper) -> None:
    @app.command("list")
    def list_posts(
        status: Annotated[
            Optional[list[str]],
            typer.Option("--status", metavar="STATUS", callback=statuses_callback, autocompletion=complete_status,
                         help="Only posts with this status: draft, planned, scheduled or published. Repeatable."),
        ] = None,
        series: Annotated[
            Optional[str],
            typer.Option("--series", "-s", metavar="SERIES", autocompletion=complete_series,
                         help="Only this series (name or slug), in part order, with a Part column."),
        ] = None,
        tag: Annotated[Optional[str], typer.Option("--tag", "-t", metavar="TAG", autocompletion=complete_tag, help="Only posts with this tag.")] = None,
        sort: Annotated[
            Optional[str],
            typer.Option("--sort", metavar="KEY", autocompletion=complete_sort,
                         help="date (newest first; the default), title, part (the default with --series), words or updated."),
        ] = None,
        reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
        limit: Annotated[Optional[int], typer.Option("--limit", "-n", metavar="N", min=1, help="Show the first N posts only.")] = None,
        columns: Annotated[
            Optional[str],
            typer.Option("--columns", "-c", metavar="LIST",
                         help="Comma-separated columns, shown whatever the width: " + ",".join(ALL_COLUMNS) + "."),
        ] = None,
        no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page (a long list goes through $PAGER on a terminal).")] = False,
        pages: Annotated[bool, typer.Option("--pages", help="List the standalone pages (pages/) instead of posts.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array for scripts (every field, whatever the columns).")] = False,
    ) -> None:
        """List posts, newest first, in a table that fits the terminal.

        A long title wraps at spaces; below about 100 columns the slug is shortened (…) or left
        out (it is always in --json and in --columns slug). Files that cannot be read are warned
        about on stderr.

        \b
        Examples:
          blog list --status draft --status planned
          blog list --series night-bus-notebook        # parts in order
          blog list --sort words -n 5
          blog list --columns slug,title | grep bus
          blog list --json | jq -r '.[].slug'
        """
        from blogcli.ops.listing import SORTS, post_json_text, select_posts

        if sort is not None and sort not in SORTS:
            raise typer.BadParameter(f"{sort!r} is not one of: {', '.join(SORTS)}", param_hint="--sort")
        chosen = _parse_columns(columns) if columns is not None else None
        ws = open_workspace()
        if pages:
            if status or series or tag:
                raise typer.BadParameter("--pages takes no --status, --series or --tag", param_hint="--pages")
            _list_pages(ws, as_json)
            return
        if as_json:
            ws.scan_listing()  # the posts' JSON from the index, not encoded again
        now = ws.now()
        for problem in ws.unreadable:
            warn(str(problem))
        for post in ws.posts:
            if post.problems:
                for problem in post.errors:
                    warn(str(problem))
        wanted, series_of = None, None
        if series is not None or sort == "part":  # any spelling of a series, as every command resolves it
            from blogcli.model.series import SeriesCatalogue

            catalogue = SeriesCatalogue(ws.config.series, ws.posts)
            wanted = catalogue.resolve(series) if series is not None else None
            series_of = _slug_of_series(catalogue)
        matching = select_posts(ws.posts, now, status, wanted, tag, sort=sort, reverse=reverse, series_of=series_of)
        posts = matching if limit is None else matching[:limit]
        if as_json:
            emit_json_array([post_json_text(p, now) for p in posts])
            return
        if not posts:
            typer.echo("no posts match" if (status or series or tag) else 'no posts yet: blog new "My first post"', err=True)
            return
        from dataclasses import replace

        from blogcli.cli.tables import emit, render_table, table_width, use_color

        available = _columns()
        names = chosen or list(SERIES_COLUMNS if series else DEFAULT_COLUMNS)
        spec = [available[n] if chosen is None else replace(available[n], drop=0, shorten=False) for n in names]
        with_status = "status" in names
        rows = [[_cell(name, post, now, ws.tz, with_status) for name in names] for post in posts]
        emit(render_table(spec, rows, width=table_width(), color=use_color(), title=ws.config.title), page=not no_pager)
        if len(posts) < len(matching):
            typer.echo(f"{len(posts)} of {len(matching)} posts shown (--limit)", err=True)


def _list_pages(ws, as_json: bool) -> None:
    from blogcli.cli.common import console
    from blogcli.ops.listing import page_summaries

    for problem in ws.unreadable_pages:
        warn(str(problem))
    rows = page_summaries(ws.pages, ws.config.menu)
    if as_json:
        import json

        emit_json_array([json.dumps(row, ensure_ascii=False) for row in rows])
        return
    if not rows:
        typer.echo("no pages yet: add pages/about.md (title in its front matter)", err=True)
        return
    from rich.table import Table

    table = Table(title=f"{ws.config.title}: pages", title_justify="left", expand=False)
    for column in ("Menu", "Slug", "Title", "Words"):
        table.add_column(column, justify="right" if column in ("Menu", "Words") else "left",
                         no_wrap=column != "Title", overflow="fold")
    for row in rows:
        menu = "draft" if row["draft"] else str(row["menu"] or "–")
        table.add_row(menu, row["slug"], row["title"], str(row["words"]))
    console().print(table)
