"""`blog preview`: read a post as its readers will, in the terminal."""

import os
from typing import Annotated, Optional

import typer

from blogcli.cli.common import EXIT_INTERRUPTED, BlogTyper, console, open_workspace, rich_output
from blogcli.cli.completion import complete_ref


def register(app: BlogTyper) -> None:
    @app.command("preview")
    def preview(
        ref: Annotated[
            Optional[str],
            typer.Argument(metavar="REF", autocompletion=complete_ref, help="Slug, unique slug prefix or path (default: the draft changed last)."),
        ] = None,
        width: Annotated[
            Optional[int], typer.Option("--width", "-w", min=20, metavar="N", help="Page width in columns (default: the terminal's, at most 100).")
        ] = None,
        pager: Annotated[bool, typer.Option("--pager", help="Page the output (uses $PAGER).")] = False,
        watch: Annotated[bool, typer.Option("--watch", help="Render again whenever the file is saved, until Ctrl-C.")] = False,
        no_color: Annotated[bool, typer.Option("--no-color", help="Plain text, no colour or styles (also with NO_COLOR or when piped).")] = False,
    ) -> None:
        """Show a post in the terminal as readers will read it.

        The header (title, status, date, series part, tags, reading time), warnings a reader
        would trip over, the body in the site's Markdown dialect with teasers marked, and the
        series' previous and next parts.

        \b
        Examples:
          blog preview                        # the draft you changed last
          blog preview who-rides --width 80 --pager
          blog preview --watch                # again on every save; Ctrl-C stops
        """
        from blogcli.ops.preview import prepare_preview
        from blogcli.render.terminal import render_preview

        ws = open_workspace()
        out = console(no_color=no_color, width=width)
        page = prepare_preview(ws, ref)
        if pager:
            coloured = out.color_system is not None
            if coloured:
                os.environ.setdefault("LESS", "-R")  # less shows colour codes as colour, not as text
            with rich_output(), out.pager(styles=coloured):
                render_preview(page, out, width)
        else:
            render_preview(page, out, width)
        if watch:
            _watch(ws, page.post.rel, out, width)


def _watch(ws, rel: str, out, width: int | None) -> None:
    """Re-render on every save of the post's file; Ctrl-C ends it on a fresh line, exit 130 (as
    any command a user interrupts).

    The folder is watched, not the file: editors often save by writing a new file and renaming it.
    """
    import time

    from watchfiles import watch

    from blogcli.errors import BlogError
    from blogcli.ops.preview import reload_preview
    from blogcli.render.terminal import render_preview

    path = ws.path_of(rel)
    status = f"watching {rel} for changes (Ctrl-C to stop)"
    try:  # from the moment it says "Ctrl-C to stop", Ctrl-C stops it this way
        out.print(status, style="dim", markup=False)
        out.file.flush()
        for _ in watch(path.parent, watch_filter=lambda change, changed: changed == str(path), debounce=400, step=50):
            if not path.exists():
                continue
            if out.is_terminal:
                out.clear()
            else:
                out.rule(f"changed at {time.strftime('%H:%M:%S')}", style="dim")
            try:
                render_preview(reload_preview(ws, rel), out, width)
            except BlogError as exc:
                out.print(f"error: {exc.message}", style="red", markup=False)
            out.print(status, style="dim", markup=False)
            out.file.flush()
    except KeyboardInterrupt:
        out.file.write("\n")  # the shell's prompt starts on its own line, not after ^C
        out.file.flush()
        raise typer.Exit(EXIT_INTERRUPTED) from None
