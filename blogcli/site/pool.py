"""The build's worker processes: the one module that touches `multiprocessing` and
`concurrent.futures.process` (tests/test_layers.py holds every other module to that).

Spawned, not forked: a forked worker's resident memory counts every page it shares with this
process (10,000 posts' metadata), and forking a process that runs threads (`blog serve`) is
unsafe. Two workers, started once, never replaced (they do not grow: see render/cmark_native.py).

Workers never outlive the build. Each one has a thread blocked on the pipe that links it to its
parent (`multiprocessing.parent_process().sentinel`, which the parent holds open): when the
parent dies, however (SIGKILL, the OOM killer), the pipe closes and the worker kills itself at
once, and the resource tracker, whose last users they were, ends too. The thread costs nothing
while it waits (blocked in the kernel, no polling); PR_SET_PDEATHSIG would need ctypes and is
Linux-only. A Ctrl-C or an error in the build kills the workers (`abort`) rather than waiting for
their chunks. Ctrl-C is the parent's alone: SIGINT is blocked while a worker is spawned, so the
worker inherits it blocked, and ignores it before unblocking it (a Ctrl-C while a worker is still
importing would otherwise print its traceback); CPython starts its resource tracker the same way.

Work goes out in chunks: a `Job` (a module-level function `job(settings, items) -> results`, so
that it pickles by name) and its items. The executor is passed in (`spawn_executor` makes the
real one), so tests drive the pool with a stand-in.

Never waits on a dead worker: results are awaited a moment at a time, checking that the workers
are alive; if one died (killed, out of memory) the pool is given up, with a warning, and the
chunks it had not finished are done in this process.

The trick here: a worker's death is read from `ProcessPoolExecutor._processes`, a private
attribute (there in every CPython since 3.2; checked on 3.11, the oldest requires-python allows).
The executor itself notices a dead worker only through its management thread, which under heavy
load was seen never to fail the pending futures: without the check the build waited forever. If
the attribute is missing, the pool relies on `BrokenProcessPool` alone, as it would without the
trick (tests/test_build.py runs both paths). `abort` kills the workers it lists the same way;
without the attribute it shuts the executor down, waiting for the chunks under way. Having
killed them, `abort` and a given-up pool wait a bounded time for the management thread
(`_executor_manager_thread`, private too) to end before shutting the executor down, which
avoids a CPython race that prints the thread's traceback.
"""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:  # multiprocessing and concurrent.futures are imported when a pool starts (~10 ms)
    from concurrent.futures import Executor, Future, ProcessPoolExecutor

from blogcli.workspace.atomic import crashpoint

WORKERS = 2
POLL_SECONDS = 0.5  # how often a wait for the workers checks that they are still alive
JOIN_SECONDS = 10  # the longest wait for a killed worker to be gone (it is at once, but for a loaded machine)

Job = Callable[[Any, list], list]


@dataclass
class Chunk:
    """Work handed to the pool, and the future of its result (None: to be done in this process)."""

    job: Job
    items: list
    future: Future | None = None


def spawn_executor(settings: Any, warm_up: Callable[[Any], None] | None = None) -> ProcessPoolExecutor:
    """The workers: spawned, each started with `warm_up(settings)` (while the main process still
    reads the posts, so the first chunks do not pay for imports and compiling)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(WORKERS, multiprocessing.get_context("spawn"), _start_worker, (settings, warm_up))


_worker_settings: Any = None


def _start_worker(settings: Any, warm_up: Callable[[Any], None] | None) -> None:
    global _worker_settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked since the spawn (`_spawning`)
    threading.Thread(target=_die_with_parent, name="die-with-parent", daemon=True).start()
    _worker_settings = settings
    if warm_up is not None:
        warm_up(settings)


def _die_with_parent() -> None:
    """Wait, blocked, for the parent to end; then end this worker at once (it may be mid-chunk)."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os.kill(os.getpid(), signal.SIGKILL)


class _spawning:
    """SIGINT blocked in this thread for the block, so that a worker spawned in it starts with
    SIGINT blocked (a signal mask survives fork and exec); a Ctrl-C meanwhile is delivered after."""

    def __enter__(self) -> None:
        self.blocked = threading.current_thread() is threading.main_thread()
        if self.blocked:
            self.mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

    def __exit__(self, *exc) -> None:
        if self.blocked:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.mask)


def _run_chunk(job: Job, items: list) -> list:
    """What a worker process runs for each chunk."""
    crashpoint("build:worker-chunk")
    return job(_worker_settings, items)


class WorkerPool:
    def __init__(self, settings: Any, warnings: list[str], executor: Executor):
        self.settings = settings
        self.warnings = warnings
        self.broken = False
        self.executor = executor

    def start(self) -> None:
        """Start every worker now (the executor starts them one submission at a time)."""
        for _ in range(WORKERS):
            self.submit(_nothing, [])

    def submit(self, job: Job, items: list) -> Chunk:
        from concurrent.futures.process import BrokenProcessPool

        chunk = Chunk(job, items)
        if not self.broken:
            try:
                with _spawning():  # the executor spawns a worker in `submit` when it has fewer than WORKERS
                    chunk.future = self.executor.submit(_run_chunk, job, items)
            except BrokenProcessPool:
                self._give_up(self._dead_worker() or "its pool broke")
            except OSError as exc:  # a worker could not be started
                self._give_up(f"could not start it: {exc}")
        return chunk

    def results(self, chunks: list[Chunk]) -> Iterator[list]:
        """Each chunk's result, as the chunks finish; chunks a dead pool left are done here."""
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        pending = {chunk.future: chunk for chunk in chunks if chunk.future is not None}
        left = [chunk for chunk in chunks if chunk.future is None]
        while pending and not self.broken:
            finished, _ = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in finished:
                chunk = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    self._give_up(self._dead_worker() or "its pool broke")
                    left.append(chunk)
                    continue
                yield result
            if not finished and self._dead_worker():  # and the pool has not noticed: don't wait forever
                self._give_up(self._dead_worker())
        for chunk in [*pending.values(), *left]:
            future = chunk.future
            if future is not None and future.done() and not future.cancelled() and future.exception() is None:
                yield future.result()
            else:
                yield chunk.job(self.settings, chunk.items)

    def shared_results(self, chunks: list[Chunk]) -> Iterator[list]:
        """Each chunk's result, as `results` gives them, with this process doing its share: it
        takes every chunk no worker has started (cancelling it in the executor), from the last
        one back, while the workers take them from the first: work handed out while they are
        still starting does not wait for them, and they do not race this process for a chunk."""
        theirs = []
        for chunk in reversed(chunks):
            if chunk.future is None or chunk.future.cancel():
                yield chunk.job(self.settings, chunk.items)
            else:
                theirs.append(chunk)
        yield from self.results(theirs)

    def _processes(self) -> list:
        """The executor's worker processes (none known without the private attribute)."""
        return list((getattr(self.executor, "_processes", None) or {}).values())

    def _dead_worker(self) -> str | None:
        """How a worker process ended, if one did (a live pool's workers never exit). The executor
        terminates the others once one died: the first to die is the one not ended by SIGTERM."""
        codes = [process.exitcode for process in self._processes()]
        code = min((c for c in codes if c is not None), key=lambda c: c == -signal.SIGTERM, default=None)
        if code is None:
            return None
        return f"killed by signal {-code}" if code < 0 else f"exit code {code}"

    def _give_up(self, reason: str) -> None:
        if self.broken:
            return
        self.broken = True
        self.warnings.append(f"a worker process stopped ({reason}); the rest of the site was rendered in the main process")
        for process in self._processes():
            if process.exitcode is None:
                process.kill()
        self._let_the_executor_see_them_gone()
        self.executor.shutdown(wait=False, cancel_futures=True)

    def _let_the_executor_see_them_gone(self) -> None:
        """Wait (a bounded time) for the executor's own thread to find its workers dead and end,
        before `shutdown(wait=False)` resets the executor under it: in CPython 3.11 that race can
        print the thread's traceback, or one at exit from its half-closed wake-up pipe (gh-94440,
        gh-132969). The thread is `ProcessPoolExecutor._executor_manager_thread` (private, like
        `_processes`; without it the shutdown follows at once, as before)."""
        thread = getattr(self.executor, "_executor_manager_thread", None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(JOIN_SECONDS)

    def close(self) -> None:
        if not self.broken:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        """Stop now (Ctrl-C, or an error in the build): the workers are killed mid-chunk, and
        waited for, so none writes after this returns (their temp files are the caller's to remove)."""
        self.broken = True
        processes = self._processes()
        if not processes:  # without the private attribute: the executor's own (slower) stop
            self.executor.shutdown(wait=True, cancel_futures=True)
            return
        for process in processes:
            if process.exitcode is None:
                process.kill()
        for process in processes:
            process.join(JOIN_SECONDS)
        self._let_the_executor_see_them_gone()
        self.executor.shutdown(wait=False, cancel_futures=True)


def _nothing(settings: Any, items: list) -> list:
    return []
