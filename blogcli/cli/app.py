"""The `blog` app: the top-level options and the command groups, each from its own module."""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Optional

import typer

from blogcli import __version__
from blogcli.cli.common import EXIT_INTERRUPTED, BlogTyper, State

# One module per command group, each with `register(app)`, and the commands it registers
# (tests/test_startup.py holds this list to what the modules really register).
COMMAND_MODULES = {
    "drafts": ("init", "new", "edit", "rename", "delete", "restore", "trash"),
    "listing": ("list",),
    "publishing": ("check", "publish", "unpublish"),
    "series": ("series",),
    "preview": ("preview",),
    "site": ("build", "serve"),
    "import_": ("import",),
    "comments": ("comments",),
    "search": ("search",),
    "status": ("status",),
    "stats": ("stats",),
}
# How `blog --help` groups the commands; a command in none of these is listed under "Other commands".
COMMAND_GROUPS = (
    ("Writing", ("init", "import", "new", "edit", "list", "search", "stats", "preview", "rename", "delete", "restore", "trash")),
    ("Series", ("series", "comments")),
    ("Publishing", ("check", "publish", "unpublish", "status")),
    ("Site", ("build", "serve")),
)
HELP = """Write a blog series from the terminal: drafts, series and their promises, previews, publishing.

A post is named by REF: its slug, a unique prefix of it, or its path. `blog COMMAND --help`
says more about each command.

\b
Examples:
  blog init ~/notebook --title "Notes from the Last Stop" && cd ~/notebook
  blog new "Who Rides After Midnight" --series "The Night Bus Notebook"
  blog list
  blog preview who-rides
  blog publish who-rides
"""
_MODULE_OF = {command: module for module, commands in COMMAND_MODULES.items() for command in commands}


def make_app(args: list[str] | None = None) -> BlogTyper:
    """The `blog` app. For a command line naming a command, only that command's module is
    loaded and converted for Click (`blog list` skips building the other 20 commands); help,
    completion and unknown commands get them all."""
    from blogcli.cli.help import BlogGroup

    app = BlogTyper(
        cls=type("BlogApp", (BlogGroup,), {"sections": COMMAND_GROUPS}),
        name="blog",
        help=HELP,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(main_options)
    module = _MODULE_OF.get(_command_word(args or []))
    for name in [module] if module else COMMAND_MODULES:
        importlib.import_module(f"blogcli.cli.{name}").register(app)
    return app


def _command_word(args: list[str]) -> str | None:
    """The command a command line names: its first word after the top-level options."""
    words = iter(args)
    for word in words:
        if word == "--root":
            next(words, None)
        elif word in ("-h", "--help"):
            return None
        elif not word.startswith("-"):
            return word
    return None


def __getattr__(name: str):
    """`app`, with every command, for those who import it (the tests' CliRunner)."""
    if name == "app":
        return make_app()
    raise AttributeError(name)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"blogcli {__version__}\n")
        raise typer.Exit()


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


def run(args: list[str]) -> int:
    """Run the app and return its exit code (a closed stdout pipe raises BrokenPipeError: entry.py
    answers it). A Ctrl-C that came while no command was running (see blogcli/interrupts.py) ends it here:
    "interrupted", exit 130."""
    from blogcli import interrupts

    code = 0
    try:
        make_app(args)(args=args, prog_name="blog")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if interrupts.pending():
        sys.stderr.write("interrupted\n")
        return EXIT_INTERRUPTED
    return code
