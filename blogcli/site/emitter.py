"""How the pages made from many posts are declared: the `Emitter` they write to, the
`BuildState` they read, and `Outputs`, the emitter the builder hands them.

A page is declared with exactly the data it shows (or `inputs` that change with that data, which
are cheaper to hash); the key of those inputs is its entry in the manifest, so an output is made
again only when what it shows changed or its file is not as the last build left it. The first
claim on a path wins (post pages come first), except that a file of the workspace's static/
folder always wins over a generated page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from itertools import chain, compress, filterfalse, repeat
from operator import is_
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Protocol

from blogcli.site.manifest import OutputEntry, SourceEntry, changed_files, key_of, unchanged_since
from blogcli.site.model import SiteModel
from blogcli.site.output import write_if_changed
from blogcli.site.pool import WorkerPool
from blogcli.site.settings import BuildSettings
from blogcli.site.urls import canonical_url
from blogcli.workspace.store import Workspace

PAGE_CHUNK = 24  # queued pages per worker task
FILE_CHUNK = 8  # queued files per worker task (a feed: twenty posts' HTML)


class Emitter(Protocol):
    def page(self, output: str, template: str, data: dict | Callable[[], dict], inputs: object = None) -> None:
        """A page rendered from `template` with `data`; `inputs`, when given, stand for that data
        in its key, and `data` may then be a function, called only if the page must be rendered."""

    def file(self, output: str, inputs: object, produce: Callable[[], bytes]) -> None:
        """A file made by `produce()` from exactly `inputs`."""

    def file_job(self, output: str, inputs: object, make: Callable[[BuildSettings, Any], bytes],
                 item: Callable[[], Any]) -> None:
        """A file that takes long to make (a feed): `make(settings, item())`, a module-level
        function (it goes to the worker processes by name), from exactly `inputs`."""

    def warn(self, message: str) -> None:
        """Something the author should know (the build goes on)."""

    def kept_as_before(self, output: str) -> bool:
        """Keep `output` as the last build made it, without its key (site/shape.py says when that
        is right): False when there is no such output or its file is not as that build left it."""

    def not_kept_as_before(self, outputs: Iterable[str]) -> list[str]:
        """`kept_as_before` of many outputs at once: those not kept."""


@dataclass(frozen=True)
class BuildState:
    """What the pages made from many posts are made from."""

    settings: BuildSettings
    ws: Workspace
    model: SiteModel
    sources: Mapping[str, SourceEntry]  # each post file read by this build: its digest and extract
    page_paths: tuple[str, ...] = ()  # the standalone pages built (`about/`): in the sitemap


class PageJob(NamedTuple):
    output: str
    template: str
    data: dict
    key: str


class FileJob(NamedTuple):
    output: str
    make: Callable[[BuildSettings, Any], bytes]
    item: Any
    key: str


def make_files(settings: BuildSettings, jobs: list[FileJob]) -> list[tuple[str, OutputEntry, bool]]:
    """A pool job: make queued files, each written only if its bytes changed."""
    results = []
    for job in jobs:
        wrote, st = write_if_changed(Path(settings.out) / job.output, job.make(settings, job.item))
        results.append((job.output, OutputEntry(job.key, st.st_size, st.st_mtime_ns), wrote))
    return results


def render_pages(settings: BuildSettings, jobs: list[PageJob]) -> list[tuple[str, OutputEntry, bool]]:
    """A pool job (see site/pool.py): render queued pages, each written only if its bytes changed."""
    return [render_page_job(settings, job) for job in jobs]


def render_page_job(settings: BuildSettings, job: PageJob) -> tuple[str, OutputEntry, bool]:
    from blogcli.site.theme import render_page

    page = render_page(settings.template_dirs, job.template, build_key=settings.key, site=settings.site,
                       canonical=canonical_url(settings.config.base_url, job.output), **job.data)
    wrote, st = write_if_changed(Path(settings.out) / job.output, page)
    return job.output, OutputEntry(job.key, st.st_size, st.st_mtime_ns), wrote


@dataclass
class Counts:
    written: int = 0
    unchanged: int = 0


@dataclass
class Outputs:
    """The build's outputs: each one claimed, kept or made, and recorded for the next manifest.

    `pool_for(n)` is the worker pool, started now if `n` pages pay for it (None: none started).
    """

    settings: BuildSettings
    out: Path
    old: dict[str, OutputEntry]
    static_paths: set[str]
    warnings: list[str]
    pool_for: Callable[[int], WorkerPool | None]
    counts: Counts = field(default_factory=Counts)
    entries: dict[str, OutputEntry | None] = field(default_factory=dict)  # None: claimed, queued to render
    _queued: list[PageJob] = field(default_factory=list, init=False)
    _file_jobs: list[FileJob] = field(default_factory=list, init=False)
    _sent: list = field(default_factory=list, init=False)  # chunks of queued pages already handed to the workers
    # the outputs recorded with an entry that is not the very one of `old` (Manifest.touched)
    touched: set[str] = field(default_factory=set, init=False)

    def record(self, output: str, entry: OutputEntry, wrote: bool) -> None:
        if entry is not self.old.get(output):
            self.touched.add(output)
        self.entries[output] = entry
        self.counts.written += wrote
        self.counts.unchanged += not wrote

    def claim(self, output: str) -> None:
        """Take `output` for a file recorded later (a post page the workers render)."""
        self.entries[output] = None

    def kept(self, output: str, key: str) -> bool:
        """True (and recorded as unchanged) when the last build made this output from the same
        inputs and its file is still as that build left it."""
        old = self.old.get(output)
        if old and old.key == key and unchanged_since(f"{self.out}/{output}", old):
            self.record(output, old, False)
            return True
        return False

    def kept_as_before(self, output: str) -> bool:
        if output in self.entries or output in self.static_paths:
            return True  # taken by a post page, or static/'s file wins: nothing of this page's to keep
        entry = self.old.get(output)
        if entry is not None and unchanged_since(f"{self.out}/{output}", entry):
            self.record(output, entry, False)
            return True
        return False

    def not_kept_as_before(self, outputs: Iterable[str]) -> list[str]:
        """`kept_as_before` of many outputs at once (every post page of a site): those not kept, in
        their order, each once. Each file is stat'ed by its path in the output folder, opened
        once; the look-ups and the recording are done in C, over all of them."""
        entries, static, old = self.entries, self.static_paths, self.old
        outputs = list(dict.fromkeys(filterfalse(static.__contains__, filterfalse(entries.__contains__, outputs))))
        known = list(map(old.get, outputs))
        missed = set()
        if None in known:  # new since the last build
            missed = set(compress(outputs, map(is_, known, repeat(None))))
            known = [entry for entry in known if entry is not None]
        present = list(filterfalse(missed.__contains__, outputs)) if missed else outputs
        try:
            folder, prefix = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY), ""
        except OSError:
            folder, prefix = None, f"{self.out}/"  # a folder that cannot be opened (not readable, say): by the whole path
        try:
            changed = changed_files(map(prefix.__add__, present) if prefix else present, known, folder)
        finally:
            if folder is not None:
                os.close(folder)
        entries.update(zip(present, known))
        for path in changed:
            del entries[path[len(prefix):]]
        missed.update(path[len(prefix):] for path in changed)
        self.counts.unchanged += len(present) - len(changed)
        return list(filter(missed.__contains__, outputs)) if missed else []

    def file(self, output: str, inputs: object, produce: Callable[[], bytes], *, static: bool = False) -> None:
        if output in self.entries or (output in self.static_paths and not static):
            return
        key = key_of(self.settings.key, output, inputs)
        if self.kept(output, key):
            return
        wrote, st = write_if_changed(self.out / output, produce())
        self.record(output, OutputEntry(key, st.st_size, st.st_mtime_ns), wrote)

    def page(self, output: str, template: str, data: dict | Callable[[], dict], inputs: object = None) -> None:
        if output in self.entries or output in self.static_paths:
            return
        key = key_of(self.settings.key, output, data if inputs is None else inputs)
        if self.kept(output, key):
            return
        self.entries[output] = None
        self._queued.append(PageJob(output, template, data() if callable(data) else data, key))
        pool = self.pool_for(0)
        if len(self._queued) >= PAGE_CHUNK and pool is not None and not pool.broken:
            self._sent.append(pool.submit(render_pages, self._queued))  # rendered while more are declared
            self._queued = []

    def file_job(self, output: str, inputs: object, make: Callable[[BuildSettings, Any], bytes],
                 item: Callable[[], Any]) -> None:
        if output in self.entries or output in self.static_paths:
            return
        key = key_of(self.settings.key, output, inputs)
        if self.kept(output, key):
            return
        self.entries[output] = None
        self._file_jobs.append(FileJob(output, make, item(), key))
        pool = self.pool_for(0)
        if len(self._file_jobs) >= FILE_CHUNK and pool is not None and not pool.broken:
            self._sent.append(pool.submit(make_files, self._file_jobs))  # made while more are declared
            self._file_jobs = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def render_queued(self) -> None:
        """Render the queued pages: in the worker processes when they run or there are many."""
        jobs, self._queued = self._queued, []
        files, self._file_jobs = self._file_jobs, []
        chunks, self._sent = self._sent, []
        pool = self.pool_for(len(jobs) + len(files))
        if chunks or (pool is not None and not pool.broken):
            chunks += [pool.submit(render_pages, jobs[i : i + PAGE_CHUNK]) for i in range(0, len(jobs), PAGE_CHUNK)]
            chunks += [pool.submit(make_files, files[i : i + FILE_CHUNK]) for i in range(0, len(files), FILE_CHUNK)]
            results = (result for chunk_results in pool.results(chunks) for result in chunk_results)
        else:
            results = chain((render_page_job(self.settings, job) for job in jobs), make_files(self.settings, files))
        for output, entry, wrote in results:
            self.record(output, entry, wrote)

    def stale(self) -> list[str]:
        """The last build's outputs that this one did not make."""
        return list(filterfalse(self.entries.__contains__, self.old))
