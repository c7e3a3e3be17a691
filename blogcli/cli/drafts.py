"""`blog init / new / edit / rename / delete / restore / trash`."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json, open_workspace, show_path
from blogcli.errors import FrontMatterError


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def edit_until_valid(ws, rel: str) -> bool:
    """Open the editor on a post and check the header when it closes.

    The lock is not held while the editor runs. An invalid header is reported as `file:line`,
    the file stays exactly as the author left it, and on a terminal the author may reopen it.
    Returns whether the file changed.
    """
    from blogcli.editor import open_in_editor
    from blogcli.ops.drafts import finish_edit, parse_check

    path = ws.path_of(rel)
    before = path.read_bytes()
    while True:
        open_in_editor(path)
        problems = parse_check(path.read_bytes(), rel, ws.tz)
        if not problems:
            return finish_edit(ws, rel, before)
        for problem in problems[1:]:
            sys.stderr.write(f"error: {problem}\n")
        if _interactive() and typer.confirm(f"{problems[0]}\nReopen the editor to fix it?", default=True, err=True):
            continue
        first = problems[0]
        raise FrontMatterError(
            first.message, path=first.path, line=first.line, hint="the file is kept exactly as you left it; fix it and run `blog edit` again"
        )


def _made_in(promise) -> str:
    """`part 2's`, or the post's slug for a part without a number."""
    return f"part {promise.part}'s" if promise.part is not None else f"{promise.origin}'s"


def _topic(promise) -> str:
    return f"“{promise.text}”" if promise.has_topic else f"(a teaser without a topic: “{promise.sentence}”)"


def register(app: BlogTyper) -> None:
    @app.command("init")
    def init(
        path: Annotated[Path, typer.Argument(help="Folder for the new blog (default: here).")] = Path("."),
        title: Annotated[Optional[str], typer.Option("--title", help="The blog's title.")] = None,
        author: Annotated[Optional[str], typer.Option("--author", help="Your name, as readers see it.")] = None,
    ) -> None:
        """Make a new blog workspace: blog.toml, drafts/, published/, static/."""
        from blogcli.ops.drafts import init_workspace

        config = init_workspace(path, title, author)
        typer.echo(f"created {show_path(config)}")
        typer.echo(f'next: blog new "My first post"', err=True)

    @app.command("new")
    def new(
        title: Annotated[Optional[str], typer.Argument(help="The post's title (a slug is made from it).")] = None,
        series: Annotated[Optional[str], typer.Option("--series", "-s", help="Add the post to this series.")] = None,
        part: Annotated[Optional[int], typer.Option("--part", "-p", min=1, help="Part number (default: the next one).")] = None,
        tags: Annotated[Optional[list[str]], typer.Option("--tag", "-t", help="A tag; repeat for more.")] = None,
        body_file: Annotated[
            Optional[str], typer.Option("--body-file", "-b", metavar="FILE|-", help="Take the body from a file, or - for stdin.")
        ] = None,
        no_edit: Annotated[bool, typer.Option("--no-edit", help="Do not open the editor.")] = False,
        next_part: Annotated[
            bool,
            typer.Option("--next", help="The series' next part, titled after its latest open promise and recording `fulfils` (TITLE optional)."),
        ] = False,
        new_series: Annotated[
            bool, typer.Option("--new-series", help="Start a new series even though the name is close to an existing one.")
        ] = False,
        force: Annotated[bool, typer.Option("--force", help="Take the --part number even if another post has it.")] = False,
    ) -> None:
        """Create a draft in drafts/ and open it in $VISUAL/$EDITOR; prints the file's path."""
        from blogcli.ops.drafts import NewPost, create_draft, read_body_file

        if next_part and not series:
            raise typer.BadParameter("--next needs --series NAME (the series to continue)", param_hint="--next")
        if next_part and part is not None:
            raise typer.BadParameter("--next picks the part number itself; leave out --part", param_hint="--part")
        body = ""
        if body_file is not None:
            body = read_body_file(body_file, sys.stdin.read() if body_file == "-" else None)
        ws = open_workspace()
        if next_part:
            from blogcli.ops.series import create_next_part

            made = create_next_part(ws, series, title, tuple(tags or ()), body)
            post, promise = made.post, made.promise
            if not made.created:
                typer.echo(f"{_made_in(promise)} promise {_topic(promise)} is already planned in {post.rel}: that is the next part", err=True)
            elif promise is not None:
                typer.echo(f"part {post.part}, keeping {_made_in(promise)} promise {_topic(promise)} (fulfils: {promise.origin})", err=True)
            for other in made.others:
                typer.echo(f"also still owed: {_made_in(other)} {_topic(other)}, {other.status}", err=True)
        else:
            from blogcli.cli.common import confirm_new_series

            spec = NewPost(title=title, series=series, part=part, tags=tuple(tags or ()), body=body, force=force)
            post = confirm_new_series(lambda new: create_draft(ws, replace(spec, new_series=new)), new_series)
        if not no_edit and _interactive() and body_file != "-":
            edit_until_valid(ws, post.rel)
        typer.echo(show_path(ws.path_of(post.rel)))

    @app.command("edit")
    def edit(ref: Annotated[str, typer.Argument(help="Slug, unique slug prefix, or path.")]) -> None:
        """Open a post in $VISUAL/$EDITOR; check its front matter when the editor closes."""
        ws = open_workspace()
        post = ws.resolve(ref)
        changed = edit_until_valid(ws, post.rel)
        typer.echo(f"{'saved' if changed else 'unchanged'}: {show_path(ws.path_of(post.rel))}", err=True)

    @app.command("rename")
    def rename(
        ref: Annotated[str, typer.Argument(help="Slug, unique slug prefix, or path.")],
        new_title: Annotated[str, typer.Argument(help="The new title; the slug and file name follow it.")],
    ) -> None:
        """Give a post a new title and slug; the file is renamed, its other content unchanged."""
        from blogcli.ops.drafts import rename_post

        ws = open_workspace()
        old, new = rename_post(ws, ref, new_title)
        typer.echo(f"{old.rel} -> {new.rel}")

    @app.command("delete")
    def delete(ref: Annotated[str, typer.Argument(help="Slug, unique slug prefix, or path.")]) -> None:
        """Move a post to the trash (.blog/trash); `blog restore` brings it back."""
        from blogcli.ops.drafts import delete_post

        entry = delete_post(open_workspace(), ref)
        typer.echo(f"moved {entry.origin} to the trash (blog restore {entry.slug})")

    @app.command("restore")
    def restore(ref: Annotated[str, typer.Argument(help="Slug (or trash entry name) of a deleted post.")]) -> None:
        """Bring a deleted post back from the trash to where it was."""
        from blogcli.ops.drafts import restore_post

        entry = restore_post(open_workspace(), ref)
        typer.echo(f"restored {entry.origin}")

    @app.command("trash")
    def trash(
        empty: Annotated[bool, typer.Option("--empty", help="Delete everything in the trash for good (asks first).")] = False,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before emptying.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    ) -> None:
        """List the posts in the trash, or empty it."""
        from blogcli.ops.drafts import empty_trash, trash_entries

        ws = open_workspace()
        entries = trash_entries(ws)
        if empty:
            if not entries:
                typer.echo("the trash is empty", err=True)
                return
            if not yes:
                if not _interactive():
                    from blogcli.errors import BlogError

                    raise BlogError("refusing to empty the trash without asking", hint="pass --yes to confirm")
                typer.confirm(f"Delete {len(entries)} post(s) in the trash for good?", abort=True, err=True)
            typer.echo(f"deleted {empty_trash(ws)} post(s) for good", err=True)
            return
        if as_json:
            emit_json([e.as_dict() for e in entries])
            return
        if not entries:
            typer.echo("the trash is empty", err=True)
            return
        from rich.table import Table

        table = Table("Slug", "Was at", "Deleted", "Title", title="Trash", title_justify="left")
        for e in entries:
            table.add_row(e.slug, e.origin, e.deleted, e.title or "")
        console().print(table)
