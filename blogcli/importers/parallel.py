"""Converting many items on the build's worker processes, in order.

HTML → Markdown is pure Python and most of an import's time, so a large import hands its items
in batches to the worker pool `blog build` uses (site/pool.py: spawned workers, the one owner of
`multiprocessing`; a worker that dies has its batches done in this process) while this process
reads on and writes what comes back, in the order it went out. The converting function is a
picklable object, sent to each worker once as its settings. Small imports convert in-process.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")
BATCH = 16
MIN_ITEMS = 200  # below this, starting workers costs more than it saves


def _convert_batch(function: Callable, items: list) -> list:
    """A pool job (module-level, so it pickles by name): the worker's settings are the function."""
    return [function(item) for item in items]


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def ordered_map(function: Callable[[T], R], items: Iterable[T], expected: int,
                light: Callable[[T], bool] | None = None) -> Iterator[R]:
    """`function(item)` for each item, in order: on the worker processes when `expected` is large.
    Items `light` says are cheap are done here, in their turn; the workers start only when the
    first batch of the others is ready (a re-import that converts nothing starts none)."""
    if expected < MIN_ITEMS:
        yield from map(function, items)
        return
    from blogcli.site.pool import WORKERS, WorkerPool, spawn_executor

    pool: WorkerPool | None = None
    pending: deque = deque()  # in input order: a list of results already made, or a chunk of the pool's
    batch: list = []

    def submit() -> None:
        nonlocal pool, batch
        if pool is None:
            pool = WorkerPool(function, [], spawn_executor(function))
        pending.append(pool.submit(_convert_batch, batch))
        batch = []

    def drained(limit: int) -> Iterator[R]:
        while len(pending) > limit:
            head = pending.popleft()
            yield from head if isinstance(head, list) else next(pool.results([head]))

    try:
        for item in items:
            if light is not None and light(item):
                if batch:
                    submit()
                pending.append([function(item)])
            else:
                batch.append(item)
                if len(batch) == BATCH:
                    submit()
            yield from drained(2 * WORKERS)
        if batch:
            submit()
        yield from drained(0)
    finally:
        if pool is not None:
            pool.close()
