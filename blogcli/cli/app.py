"""The `blog` app: the top-level options and the command groups, each from its own module."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Optional

import typer

from blogcli import __version__
from blogcli.cli.common import BlogTyper, State

# One module per command group; each has `register(app)`.
COMMAND_MODULES = ("drafts", "listing", "publishing", "series", "preview", "site")

app = BlogTyper(
    name="blog",
    help="Write a blog series from the terminal: drafts, series and their promises, previews, publishing.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"blogcli {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    root: Annotated[
        Optional[str],
        typer.Option("--root", metavar="PATH", help="The blog workspace (default: $BLOG_ROOT, else the nearest folder with blog.toml)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    State.root = root


for _name in COMMAND_MODULES:
    importlib.import_module(f"blogcli.cli.{_name}").register(app)


def run(args: list[str]) -> int:
    """Run the app and return its exit code; a closed stdout pipe (`blog list | head`) is quiet."""
    try:
        app(args=args, prog_name="blog")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return 0
