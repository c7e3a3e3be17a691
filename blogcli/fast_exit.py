"""A finished `blog` command ends its process at once, without the interpreter's teardown.

After `main()` returns, CPython frees every object one by one before the process ends: the
modules and, in a big blog, tens of thousands of posts, pages and manifest rows. At 10,000 posts
that was 0.04-0.06 s of a 0.73 s `blog build` after one edit, for memory the kernel takes back
whole anyway. `leave(code)` does what of that teardown matters, then ends the process with
`os._exit(code)`:

- the output: stdout and stderr are flushed. A reader that closed the pipe before this last
  flush is exit 141, quietly, as entry.py's `main` answers a closed pipe (the usual exit printed
  "Exception ignored … BrokenPipeError" and exited 120); one closed while the command wrote is
  Click's to answer, as before (exit 1, quietly);
- the atexit handlers run (`atexit._run_exitfuncs`). On the build and publish paths there are
  none or one: logging's `shutdown` (logging comes with concurrent.futures, behind the journal's
  fsync threads; no handler is configured, nothing to flush). Others that could come: a
  `weakref.finalize` (tempfile's TemporaryDirectory), multiprocessing's, coverage.py's save;
- with another non-daemon thread alive (the usual exit waits for it, and concurrent.futures'
  exit hook joins its workers) or a child process alive or not waited for (a process pool's
  workers or multiprocessing's resource tracker, a pager), it is the usual exit instead: nothing
  is cut short. Children are asked of the kernel (`os.waitid`, reaping none); where Python has no
  `os.waitid` (macOS, Windows) it is the usual exit too.

What is skipped is objects' `__del__`: the kernel closes their descriptors. Every file blogcli
writes is closed by its `with` and renamed into place (workspace/atomic.py); a committed SQLite
transaction is in the database file or its WAL (played back by the next open), an uncommitted
one is rolled back either way; the inotify watch (workspace/watch.py) is closed by the kernel.

Only for the installed `blog` script (`entry.script`): a test or `python -m blogcli` calling
`main()` keeps the usual exit. `BLOG_FULL_EXIT=1` switches it off (a tool that inspects the
interpreter at its end, a leak checker). Internals: `atexit._run_exitfuncs` (CPython's, what the
interpreter calls at exit; present in every CPython 3); without it, the usual exit.

Measured on the 10,000-post corpus (shared 2-core VM, runs with and without taken in turns, medians),
from `main()`'s return to the process's end as its parent sees it: `blog build` after one edit
(10 runs each) 8 ms instead of 43; `blog publish` (6 each) 12 ms instead of 59. A full build that
started its worker processes keeps the usual exit (multiprocessing's resource tracker, a child,
is alive until then): 40 ms are nothing there.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

SWITCH_OFF = "BLOG_FULL_EXIT"
EXIT_CLOSED_PIPE = 141


def leave(code: int) -> None:
    """End the process with `code` now, if nothing the usual exit does is still to do; else return."""
    if os.environ.get(SWITCH_OFF) or not _alone():
        return
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None:
        return
    run_handlers()
    try:
        _flush(sys.stdout, sys.__stdout__)
    except BrokenPipeError:
        code = EXIT_CLOSED_PIPE  # what is still buffered goes nowhere
    except (OSError, ValueError):
        return  # the usual exit reports it (exit 120)
    try:
        _flush(sys.stderr, sys.__stderr__)
    except (OSError, ValueError):
        return
    os._exit(code)


def _flush(stream, original) -> None:
    """The stream, and the one Python started with if it was replaced."""
    for each in (stream, original) if original is not stream else (stream,):
        if each is not None:
            each.flush()


def _alone() -> bool:
    """No other non-daemon thread alive, and no child process alive or waiting to be reaped."""
    main = threading.main_thread()
    if any(thread is not main and not thread.daemon and thread.is_alive() for thread in threading.enumerate()):
        return False
    waitid = getattr(os, "waitid", None)
    if waitid is None:
        return False
    try:
        waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)  # WNOWAIT: reaps none
    except ChildProcessError:
        return True
    return False
