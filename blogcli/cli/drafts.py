"""`blog init / new / edit / rename / delete / restore / trash`."""

import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, emit_json, open_workspace, show_path, warn
from blogcli.cli.completion import complete_ref, complete_series, complete_tag, complete_trash
from blogcli.model.words import plural
from blogcli.errors import FrontMatterError


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _stdin_text() -> str:
    """Standard input as UTF-8 text (posts are UTF-8 whatever the terminal's encoding)."""
    from blogcli.errors import InvalidValue

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return sys.stdin.read()
    try:
        return stream.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidValue(f"standard input is not UTF-8 text (byte {exc.object[exc.start]:#04x})") from None


def edit_until_valid(ws, rel: str) -> bool:
    """Open the editor on a post (at the first line of its text) and check the header when it closes.

    The lock is not held while the editor runs; the post is marked as open in it instead, and
    other commands leave it alone until the editor closes (ops.drafts.begin_edit). An invalid
    header is reported as `file:line`, the file stays exactly as the author left it, and on a
    terminal the author may reopen it (at that line). Returns whether the file changed.
    """
    from blogcli.editor import open_in_editor
    from blogcli.ops.drafts import begin_edit, end_edit, finish_edit, first_body_line, parse_check

    path = ws.path_of(rel)
    before = begin_edit(ws, rel)
    line = first_body_line(before)
    try:
        while True:
            open_in_editor(path, line)
            problems = parse_check(path.read_bytes(), rel, ws.tz)
            if not problems:
                return finish_edit(ws, rel, before)
            for problem in problems[1:]:
                sys.stderr.write(f"error: {problem}\n")
            if _interactive() and typer.confirm(f"{problems[0]}\nReopen the editor to fix it?", default=True, err=True):
                line = problems[0].line or line
                continue
            first = problems[0]
            raise FrontMatterError(
                first.message, path=first.path, line=first.line, hint="the file is kept exactly as you left it; fix it and run `blog edit` again"
            )
    finally:
        end_edit(ws, rel)


def _editor_found() -> None:
    """Before a draft is made for it: the editor must exist, or nothing is made."""
    import shutil

    from blogcli.editor import editor_command
    from blogcli.errors import EditorError

    command = editor_command()
    if shutil.which(command[0]) is None:
        raise EditorError(f"editor not found: {command[0]!r}; no draft was made",
                          hint="check $VISUAL / $EDITOR, or pass --no-edit to make the draft without opening it")


def _slug_option(value):  # unannotated: Typer reads a callback's signature each time it builds the command
    """`--slug` checked as a usage error (exit 2), saying what would do."""
    if value is None:
        return None
    from blogcli.model.slug import slug_problem, slugify

    problem = slug_problem(value)
    if problem:
        raise typer.BadParameter(f"{problem} (for example: --slug {slugify(value)})")
    return value


def _made_in(promise) -> str:
    """`part 2's`, or the post's slug for a part without a number."""
    return f"part {promise.part}'s" if promise.part is not None else f"{promise.origin}'s"


def _topic(promise) -> str:
    return f"“{promise.text}”" if promise.has_topic else f"(a teaser without a topic: “{promise.sentence}”)"


def register(app: BlogTyper) -> None:
    @app.command("init")
    def init(
        path: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for the new blog (default: here).")] = Path("."),
        title: Annotated[Optional[str], typer.Option("--title", metavar="TITLE", help="The blog's title.")] = None,
        author: Annotated[Optional[str], typer.Option("--author", metavar="NAME", help="Your name, as readers see it.")] = None,
        url: Annotated[
            Optional[str],
            typer.Option("--url", metavar="URL", help="Where the site will live (base_url); may be set later in blog.toml."),
        ] = None,
    ) -> None:
        """Make a new blog workspace here or in DIR.

        Writes blog.toml and makes drafts/, published/ and static/. Not inside another blog.

        \b
        Examples:
          blog init ~/notebook --title "Notes from the Last Stop" --author "Robin"
          blog init --url https://example.org/
        """
        from blogcli.ops.drafts import init_workspace

        config = init_workspace(path, title, author, url)
        typer.echo(f"created {show_path(config)}")
        folder = config.parent
        here = Path.cwd().resolve()
        move = "" if folder == here else f"cd {shlex.quote(show_path(folder))} && "
        typer.echo(f'next: {move}blog new "My first post"', err=True)
        if url is None:
            typer.echo("set base_url in blog.toml to the site's address before you publish", err=True)

    @app.command("new")
    def new(
        title: Annotated[Optional[str], typer.Argument(metavar="TITLE", help="The post's title (the slug is made from it).")] = None,
        series: Annotated[
            Optional[str], typer.Option("--series", "-s", metavar="SERIES", autocompletion=complete_series, help="Add the post to this series.")
        ] = None,
        part: Annotated[Optional[int], typer.Option("--part", "-p", min=1, metavar="N", help="Part number (default: the next one).")] = None,
        tags: Annotated[
            Optional[list[str]], typer.Option("--tag", "-t", metavar="TAG", autocompletion=complete_tag, help="A tag; repeat for more.")
        ] = None,
        slug: Annotated[
            Optional[str],
            typer.Option("--slug", metavar="SLUG", callback=_slug_option, help="The file and URL name (default: made from the title)."),
        ] = None,
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
        page: Annotated[bool, typer.Option("--page", help="A standalone page in pages/ (About, Now) instead of a post.")] = False,
    ) -> None:
        """Create a draft or page and open it in your editor.

        Writes drafts/<slug>.md (never over a file, never with a slug another post has) and opens
        $VISUAL or $EDITOR at its first line of text when on a terminal; prints the file's path.
        With --page it writes pages/<slug>.md, a standalone page (About, Now) instead.

        \b
        Examples:
          blog new "Who Rides After Midnight" --series night-bus-notebook -t fieldwork
          blog new "Привет мир"                         # slug: привет-мир
          blog new "Notes" --slug notes-2026 --no-edit
          echo "Text." | blog new "From a pipe" --body-file -
          blog new --series night-bus-notebook --next   # keeps the latest promise
          blog new --page "About"                       # pages/about.md
        """
        from blogcli.ops.drafts import NewPost, create_draft, read_body_file

        if page and (series or part is not None or tags or next_part or new_series or force):
            raise typer.BadParameter("a page has no series, part or tags", param_hint="--page")
        if next_part and not series:
            raise typer.BadParameter("--next needs --series NAME (the series to continue)", param_hint="--next")
        if next_part and part is not None:
            raise typer.BadParameter("--next picks the part number itself; leave out --part", param_hint="--part")
        if not next_part and not (title or "").strip():
            raise typer.BadParameter('a new post needs a title: blog new "My title"', param_hint="TITLE")
        editing = not no_edit and _interactive() and body_file != "-"
        if editing:
            _editor_found()
        body = ""
        if body_file is not None:
            body = read_body_file(body_file, _stdin_text() if body_file == "-" else None)
        ws = open_workspace()
        if page:
            from blogcli.ops.drafts import create_page

            post = create_page(ws, title, body, slug)
        elif next_part:
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

            spec = NewPost(title=title, slug=slug, series=series, part=part, tags=tuple(tags or ()), body=body, force=force)
            post = confirm_new_series(lambda new: create_draft(ws, replace(spec, new_series=new), number_if_taken=False), new_series)
        if editing:
            _edit_new(ws, post)
        typer.echo(show_path(ws.path_of(post.rel)))

    @app.command("edit")
    def edit(ref: Annotated[str, typer.Argument(metavar="REF", autocompletion=complete_ref, help="Slug, unique slug prefix, or path.")]) -> None:
        """Open a post in your editor; its front matter is checked after.

        Runs $VISUAL or $EDITOR (without a shell) at the first line of the text. If the front
        matter no longer parses, it says where, keeps the file as you left it and offers to
        reopen it; otherwise it stamps `updated` when the file changed.

        \b
        Examples:
          blog edit who-rides
          EDITOR="code --wait" blog edit drafts/drawing-the-timetable.md
        """
        ws = open_workspace()
        post = ws.resolve(ref)
        changed = edit_until_valid(ws, post.rel)
        typer.echo(f"{'saved' if changed else 'unchanged'}: {show_path(ws.path_of(post.rel))}", err=True)

    @app.command("rename")
    def rename(
        ref: Annotated[str, typer.Argument(metavar="REF", autocompletion=complete_ref, help="Slug, unique slug prefix, or path.")],
        new_title: Annotated[
            Optional[str], typer.Argument(metavar="TITLE", help="The new title; the slug and file name follow it unless --slug is given.")
        ] = None,
        slug: Annotated[
            Optional[str], typer.Option("--slug", metavar="SLUG", callback=_slug_option, help="The new slug (the title stays if no TITLE).")
        ] = None,
    ) -> None:
        """Give a post or page a new title or slug; its file follows.

        Only the title line and the file name change. A published post (or a page) keeps its old
        URL as an alias, so the site redirects from it.

        \b
        Examples:
          blog rename who-rides "Who Rides the N29"
          blog rename who-rides --slug n29-riders
        """
        from blogcli.ops.drafts import rename_post

        if new_title is None and slug is None:
            raise typer.BadParameter("give the new TITLE, a --slug, or both", param_hint="TITLE")
        ws = open_workspace()
        old, new = rename_post(ws, ref, new_title, slug)
        typer.echo(f"{old.rel} -> {new.rel}")

    @app.command("delete")
    def delete(
        ref: Annotated[str, typer.Argument(metavar="REF", autocompletion=complete_ref, help="Slug, unique slug prefix, or path.")],
        force: Annotated[bool, typer.Option("--force", "-f", help="Delete a published post (or a page) without asking.")] = False,
    ) -> None:
        """Move a post or page to the trash; `blog restore` brings it back.

        A published post is taken off the site at once; on a terminal you are asked first,
        elsewhere it needs --force. So is a page (but one marked `draft: true`).

        \b
        Examples:
          blog delete drawing-the-timetable
          blog delete why-the-night-bus --force
        """
        from blogcli.model.post import PAGES, PUBLISHED
        from blogcli.ops.drafts import delete_post

        ws = open_workspace()
        if not force and _interactive():
            post = ws.resolve_post_or_page(ref)
            if post.folder == PUBLISHED or (post.folder == PAGES and post.meta.get("draft") is not True):
                state = "published" if post.folder == PUBLISHED else "on the site"
                typer.confirm(f"{post.rel} is {state}. Delete it and take its page off the site?", abort=True, err=True)
                force = True
        entry = delete_post(ws, ref, allow_published=force)
        typer.echo(f"moved {entry.origin} to the trash (blog restore {entry.slug})")
        if entry.origin.startswith((f"{PUBLISHED}/", f"{PAGES}/")):
            _take_off_site(ws)

    @app.command("restore")
    def restore(
        ref: Annotated[
            str, typer.Argument(metavar="REF", autocompletion=complete_trash, help="Slug (or trash entry name) of a deleted post.")
        ],
    ) -> None:
        """Bring a deleted post back from the trash.

        It goes back where it was (the newest deletion of a slug wins).

        \b
        Examples:
          blog trash
          blog restore drawing-the-timetable
        """
        from blogcli.ops.drafts import restore_post

        entry = restore_post(open_workspace(), ref)
        typer.echo(f"restored {entry.origin}")

    @app.command("trash")
    def trash(
        empty: Annotated[bool, typer.Option("--empty", help="Delete everything in the trash for good (asks first).")] = False,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before emptying.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    ) -> None:
        """List the posts in the trash, or empty it.

        \b
        Examples:
          blog trash
          blog trash --empty --yes
        """
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
                typer.confirm(f"Delete {plural(len(entries), 'post')} in the trash for good?", abort=True, err=True)
            typer.echo(f"deleted {plural(empty_trash(ws), 'post')} for good", err=True)
            return
        if as_json:
            emit_json([e.as_dict() for e in entries])
            return
        if not entries:
            typer.echo("the trash is empty", err=True)
            return
        from blogcli.cli.tables import Column, emit, render_table, table_width, use_color

        columns = [
            Column("Slug", shorten=True, min_width=16, grow=0),  # what `blog restore` takes: whole where it can be
            Column("Was at", shorten=True, min_width=16, drop=1, grow=4),
            Column("Deleted"),
            Column("Title", wrap=True, min_width=20, grow=1),
        ]
        rows = [[e.slug, e.origin, _local_time(e.deleted, ws.tz), e.title or ""] for e in entries]
        emit(render_table(columns, rows, width=table_width(), color=use_color(), title="Trash"), page=True)


def _edit_new(ws, post) -> None:
    """The editor on a draft just made; if it fails, the draft is named (it stays, made)."""
    from blogcli.errors import EditorError

    try:
        edit_until_valid(ws, post.rel)
    except EditorError as exc:
        where = show_path(ws.path_of(post.rel))
        raise EditorError(f"{exc.message}; the draft was made: {where}", hint=f"open it with: blog edit {post.slug}") from None


def _take_off_site(ws) -> None:
    """After a published post went to the trash: its pages leave the built site at once."""
    from blogcli.cli.publishing import _site_failure
    from blogcli.cli.site import _progress_bar
    from blogcli.site.output import default_out
    from blogcli.ops.publish import update_site

    site = default_out(ws)
    if not site.is_dir():
        return
    with _progress_bar() as progress:
        error, warnings = update_site(ws, progress)
    for message in warnings:
        warn(message)
    if error is None:
        typer.echo(f"its page left the site ({show_path(site)}/)", err=True)
    _site_failure(error)


def _local_time(stamp: str, tz) -> str:
    """A trash note's RFC 3339 time as the blog's local `YYYY-MM-DD HH:MM` (as written if unreadable)."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return (moment.astimezone(tz) if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M")
