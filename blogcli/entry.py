"""Process entry point.

`blog --version` is answered here, before Typer (and pydantic behind it) is imported,
so the cheapest question costs the least. Everything else goes to the Typer app.
"""

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from blogcli import __version__

        sys.stdout.write(f"blogcli {__version__}\n")
        return 0
    from blogcli.cli.app import run

    return run(args)
