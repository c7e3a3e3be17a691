"""Process entry point.

Ctrl-C is deferred first of all (blogcli/interrupts.py): an interrupt while Python loads Typer and
Rich is answered like any other, "interrupted" and exit 130, not with a traceback. Standard output
and error print what their encoding cannot hold as escapes (`Caf\\xe9` on an ASCII terminal)
rather than fail. `blog --version` is answered here, before Typer (and pydantic behind it) is
imported, so the cheapest question costs the least. Everything else goes to the Typer app, once
dataclasses compile their methods on first call (blogcli/fast_dataclasses.py, a trick) and the
modules Typer imports for rare paths run on first use (blogcli/lazy_imports.py).
The installed `blog` script (`script`) then ends the process without the interpreter's teardown
(blogcli/fast_exit.py).
"""

import gc
import os
import sys

from blogcli import interrupts

EXIT_INTERRUPTED = 130
# The cycle collector runs every 700 new objects by default, each time rescanning the young ones:
# a command reading 10,000 posts (mostly acyclic objects) spent ~7 % of its run there. Every
# 100,000 still cost a build after one edit at 10,000 posts one pass over ~100,000 young objects
# (~16 ms of its ~0.45 s of CPU); every 500,000, none (its main process's peak memory in a full
# build: 124 MB either way). Cycles are still collected, less often; long-running commands
# (serve, --watch) keep doing so.
COLLECT_EVERY = 500_000


def main(argv: list[str] | None = None) -> int:
    interrupts.defer()
    try:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
        gc.set_threshold(COLLECT_EVERY, 20, 20)
        args = sys.argv[1:] if argv is None else argv
        if args in (["--version"], ["-V"]):
            from blogcli import __version__

            sys.stdout.write(f"blogcli {__version__}\n")
            return 0
        from blogcli import fast_dataclasses, lazy_imports

        lazy_imports.defer()
        fast_dataclasses.install()
        from blogcli.cli.app import run

        return run(args)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`blog list | head`, `blog --version | true`): quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that flushing what is still buffered fails no more
        from blogcli.fast_exit import EXIT_CLOSED_PIPE

        return EXIT_CLOSED_PIPE


def script() -> None:
    """The installed `blog` script: `main()`, then the process ends at once where that is safe
    (blogcli/fast_exit.py). `python -m blogcli` and callers of `main` keep the usual exit."""
    code = main()
    from blogcli import fast_exit

    fast_exit.leave(code)
    sys.exit(code)
