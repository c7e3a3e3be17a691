"""`blog comments [REF] [--unanswered] [--json] [--pull]`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json, open_workspace, warn

EXCERPT = 240  # characters of a comment shown in the listing (--json has them whole)
MAX_INDENT = 4


def register(app: BlogTyper) -> None:
    @app.command("comments")
    def comments(
        ref: Annotated[Optional[str], typer.Argument(help="Slug, unique slug prefix, or path of a post (default: every post).", show_default=False)] = None,
        unanswered: Annotated[
            bool, typer.Option("--unanswered", help="Comments on each series' latest part that no reply or later part answers yet.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
        pull: Annotated[
            bool, typer.Option("--pull", help="First bring in new approved comments from WordPress ([publish.wordpress]).")
        ] = False,
    ) -> None:
        """Reader comments beside the posts, threaded; pingbacks apart.

        With --unanswered: comments on each series' latest part that no reply of yours and no
        later part answers yet.

        \b
        Examples:
          blog comments who-rides            # one post's comments, threaded
          blog comments --unanswered         # what to answer in the next part
          blog comments --pull               # first fetch new ones from WordPress
          blog comments --json > comments.json
        """
        from blogcli.ops.comments import list_comments
        from blogcli.ops.comments import unanswered as find_unanswered

        ws = open_workspace()
        if pull:
            _pull(ws, ref)
        if unanswered:
            if ref:
                raise typer.BadParameter("--unanswered looks at every series: give no post with it")
            found, problems = find_unanswered(ws)
            for problem in problems:
                warn(str(problem))
            if as_json:
                emit_json([u.as_dict() for u in found])
            elif not found:
                typer.echo("no unanswered comments on the latest part of any series", err=True)
            else:
                _print_unanswered(found, ws.tz)
            return
        threads, problems = list_comments(ws, ref)
        for problem in problems:
            warn(str(problem))
        if as_json:
            emit_json([t.as_dict() for t in threads])
            return
        if not any(t.comments or t.pings for t in threads):
            typer.echo("no comments" + (f" on {threads[0].rel}" if ref and threads else ""), err=True)
            return
        _print_threads(threads, ws.tz)


def _pull(ws, ref: str | None) -> None:
    from blogcli.publishing.wordpress.comments import pull_comments

    pulled = pull_comments(ws, ref)
    for post in pulled.posts:
        if post.added:
            typer.echo(f"WordPress: {post.added} new comment{'s' if post.added != 1 else ''} in {post.comments_rel}", err=True)
    for message in pulled.skipped:
        warn(message)
    if not pulled.added:
        typer.echo("WordPress: no new comments", err=True)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _when(comment, tz) -> str:
    return comment.date.astimezone(tz).strftime("%Y-%m-%d %H:%M") if comment.date else "undated"


def _excerpt(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _print_comment(out, comment, depth: int, tz) -> None:
    from rich.padding import Padding
    from rich.text import Text

    from blogcli.render.controls import visible

    indent = 2 + 2 * min(depth, MAX_INDENT)  # deeper replies keep their arrow, not more space
    mark = "↳ " if depth else ""
    who = f"[bold]{_esc(visible(comment.author))}[/]" + (" [green](author)[/]" if comment.by_author else "")
    out.print(Padding(f"{mark}{who} · {_when(comment, tz)}", (0, 0, 0, indent), expand=False))
    out.print(Padding(Text(visible(_excerpt(comment.body), newlines=True)), (0, 0, 0, indent + (2 if depth else 0)), expand=False))


def _print_threads(threads, tz) -> None:
    from rich.padding import Padding
    from rich.text import Text

    from blogcli.render.controls import visible

    out = console()
    for thread in threads:
        if not (thread.comments or thread.pings):
            continue
        count = len(thread.comments)
        out.print(f"[bold]{_esc(thread.title)}[/] [dim]({_esc(thread.rel)}, {count} comment{'s' if count != 1 else ''})[/]")
        for comment, depth in thread.comments:
            _print_comment(out, comment, depth, tz)
        if thread.pings:
            out.print("  [dim]pingbacks and trackbacks:[/]")
            for ping in thread.pings:
                out.print(Padding(Text(visible(f"{ping.kind} · {ping.author} · {_when(ping, tz)}")), (0, 0, 0, 4), expand=False))
                if ping.author_url:
                    out.print(Padding(Text(visible(ping.author_url), style="dim"), (0, 0, 0, 6), expand=False))
        out.print("")


def _print_unanswered(found, tz) -> None:
    out = console()
    current = None
    for item in found:
        if item.thread.rel != current:
            current = item.thread.rel
            part = f"part {item.part} · " if item.part else ""
            out.print(f"[bold]{_esc(item.series)}[/] — {part}{_esc(item.thread.title)} [dim]({_esc(item.thread.rel)})[/]")
        _print_comment(out, item.comment, item.depth, tz)
    out.print(f"[dim]{len(found)} to answer: reply under them, or name the commenter in the next part[/]")
