"""`blog status --to wordpress`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, emit_json, open_workspace

STATE_STYLE = {
    "in sync": "green",
    "changed locally": "yellow",
    "changed on WordPress": "red",
    "changed on both": "bold red",
    "local only": "dim",
    "not pushed from here": "cyan",
    "not on WordPress": "magenta",
}


def register(app: BlogTyper) -> None:
    @app.command("status")
    def status(
        to: Annotated[
            Optional[list[str]],
            typer.Option("--to", metavar="TARGET", help="The target to compare with: wordpress (default: [publish] targets)."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array for scripts.")] = False,
    ) -> None:
        """Compare each published post with its copy on WordPress.

        Each post is local only, in sync, changed locally, changed on WordPress, changed on
        both, or not pushed from here (imported from the site, or linked by hand).

        \b
        Examples:
          blog status --to wordpress
          blog status --to wordpress --json
        """
        from blogcli.errors import InvalidValue
        from blogcli.publishing import REMOTE_TARGETS, remote_targets

        for target in to or []:
            if target not in REMOTE_TARGETS:
                raise typer.BadParameter(f"{target!r} is not a publishing target to compare with; choose wordpress", param_hint="--to")
        ws = open_workspace()
        if not remote_targets(ws.config, to):
            raise InvalidValue(
                "no publishing target to compare with", hint="blog status --to wordpress, or [publish] targets in blog.toml"
            )
        from blogcli.publishing.wordpress.status import status as wordpress_status

        states = wordpress_status(ws)
        if as_json:
            emit_json([s.as_dict() for s in states])
            return
        if not states:
            typer.echo("nothing is published yet", err=True)
            return
        from blogcli.cli.tables import Column, emit, render_table, table_width, use_color

        columns = [
            Column("State", min_width=8, wrap=True, grow=2),
            Column("Post", shorten=True, min_width=16, grow=0),  # the path: whole where it can be
            Column("On WordPress", wrap=True, drop=1, grow=1),
        ]
        rows = []
        for state in states:
            there = f"{state.remote_status or 'gone'} #{state.id}" if state.id is not None else ""
            if state.remote_modified and state.state in ("changed on WordPress", "changed on both"):
                there += f" {state.remote_modified.replace('T', ' ')[:16]}"
            rows.append([(state.state, STATE_STYLE.get(state.state)), state.rel, there])
        emit(render_table(columns, rows, width=table_width(), color=use_color(), title="WordPress"), page=True)
