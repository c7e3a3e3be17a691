"""Converting many items on every core, in order.

HTML → Markdown is pure Python and most of an import's time, so a large import hands its items
in batches to worker processes while this process reads on and writes what comes back, in the
order it went out. The workers are started by a fork server (a small clean process), not forked
from this one: a process holding a 10,000-post workspace would have each worker counted at its
size. The converting function (a picklable object) is sent to each worker once. Small imports,
and platforms without process pools, convert in-process; a worker that dies has its batches
converted in-process instead.
"""

from __future__ import annotations

import os
from collections import deque
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")
BATCH = 16
MIN_ITEMS = 200  # below this, starting workers costs more than it saves
PRELOAD = ["blogcli.importers.wp_markup", "markdownify"]  # what every worker needs, imported once by the server

_function: Callable | None = None  # the worker's function, installed when the worker starts


def _install(function: Callable) -> None:
    """In each worker: keep the function; leave Ctrl-C to the importing process, which stops the
    pool (a worker would otherwise print its own traceback)."""
    import signal

    global _function
    _function = function
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_batch(batch: list) -> list:
    return [_function(item) for item in batch]


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def ordered_map(function: Callable[[T], R], items: Iterable[T], expected: int) -> Iterator[R]:
    """`function(item)` for each item, in order: in worker processes when `expected` is large."""
    import multiprocessing

    workers = min(os.cpu_count() or 1, 4)
    methods = multiprocessing.get_all_start_methods()
    if expected < MIN_ITEMS or workers < 2 or not {"forkserver", "spawn"} & set(methods):
        yield from map(function, items)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    pending: deque = deque()
    broken = False
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_install, initargs=(function,))
    try:
        for batch in _batches(items, BATCH):
            pending.append((pool.submit(_run_batch, batch) if not broken else None, batch))
            while len(pending) > 2 * workers or (pending and broken):
                results, broken = _results(pending.popleft(), function, broken, BrokenProcessPool)
                yield from results
        while pending:
            results, broken = _results(pending.popleft(), function, broken, BrokenProcessPool)
            yield from results
    finally:
        pool.shutdown(wait=not broken, cancel_futures=True)


def _results(entry: tuple, function: Callable, broken: bool, broken_error: type) -> tuple[list, bool]:
    future, batch = entry
    if future is not None and not broken:
        try:
            return future.result(), False
        except (broken_error, OSError):
            broken = True
    return [function(item) for item in batch], broken
