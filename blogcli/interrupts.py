"""Ctrl-C, answered where blogcli can answer it cleanly: never half-way through a change.

`blog` starts with Ctrl-C deferred (`defer()`, called by entry.py before anything heavy is
imported): SIGINT only sets a flag, so an interrupt while Python loads Typer and Rich is not a
traceback. The error boundary around each command lets it through (`delivered()`): a pending or
new Ctrl-C raises KeyboardInterrupt in the command, which says "interrupted" and exits 130.
`held()` defers it again around a commit, so a change lands whole or not at all, and `ignored()`
leaves it to the editor while one runs (it is the editor's key, as git does).

Only the main thread can set signal handlers; elsewhere each of these does nothing.
"""

from __future__ import annotations

import signal
import threading

_pending = False


def _note(signum, frame) -> None:
    global _pending
    _pending = True


def _swallow(signum, frame) -> None:
    pass


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def defer() -> None:
    """From now on a Ctrl-C only sets a flag (read by `pending()` and `delivered()`)."""
    if _main_thread():
        signal.signal(signal.SIGINT, _note)


def pending() -> bool:
    """Whether a Ctrl-C came while it was deferred and has not been delivered yet."""
    return _pending


class delivered:
    """Within the block Ctrl-C raises KeyboardInterrupt, at once if one is pending. Only while
    `defer()` is in force (the `blog` process); anywhere else (tests) it changes nothing."""

    def __enter__(self) -> None:
        global _pending
        self.active = _main_thread() and signal.getsignal(signal.SIGINT) is _note
        if not self.active:
            return
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if _pending:
            _pending = False
            signal.signal(signal.SIGINT, _note)
            self.active = False
            raise KeyboardInterrupt

    def __exit__(self, *exc) -> None:
        if self.active:
            signal.signal(signal.SIGINT, _note)


class held:
    """Ctrl-C waits for the end of the block, then raises KeyboardInterrupt (unless the block
    itself failed): what the block does is done whole."""

    def __enter__(self) -> None:
        self.previous = signal.getsignal(signal.SIGINT) if _main_thread() else None
        self.received = False
        if self.previous is None or self.previous is _note or isinstance(getattr(self.previous, "__self__", None), held):
            self.previous = None  # deferred already (by `defer()` or an enclosing `held`)
            return
        signal.signal(signal.SIGINT, self._receive)

    def _receive(self, signum, frame) -> None:
        self.received = True

    def __exit__(self, kind, value, traceback) -> None:
        if self.previous is None:
            return
        signal.signal(signal.SIGINT, self.previous)
        if self.received and kind is None and self.previous is signal.default_int_handler:
            raise KeyboardInterrupt


class ignored:
    """Ctrl-C does nothing here (while the author's editor runs, it is the editor's key). A handler,
    not SIG_IGN, so the editor itself starts with the default."""

    def __enter__(self) -> None:
        self.previous = signal.getsignal(signal.SIGINT) if _main_thread() else None
        if self.previous is not None:
            signal.signal(signal.SIGINT, _swallow)

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
