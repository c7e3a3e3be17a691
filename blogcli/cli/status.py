"""`blog status --to wordpress`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json, open_workspace

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
        from rich.table import Table

        table = Table(title="WordPress", title_justify="left", expand=False)
        table.add_column("State", no_wrap=True)
        table.add_column("Post", overflow="fold")
        table.add_column("On WordPress", no_wrap=True)
        for state in states:
            there = f"{state.remote_status or 'gone'} #{state.id}" if state.id is not None else ""
            if state.remote_modified and state.state in ("changed on WordPress", "changed on both"):
                there += f" {state.remote_modified.replace('T', ' ')[:16]}"
            table.add_row(f"[{STATE_STYLE.get(state.state, '')}]{state.state}[/]", state.rel, there)
        console().print(table)
