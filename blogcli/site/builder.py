"""`blog build`: the static site, brought up to date exactly as far as its inputs changed.

The builder only orchestrates; each step lives in its own module of this package:

    output folder claimed (output) → manifest of the last build loaded (manifest)
    → the index gives every post's metadata, no bodies → the site model: visible posts, series,
      tags, archive (model, series) → series' promise ledgers (series, in the workers when many)
    → post pages handed to the worker processes (post_pages, pool) → standalone pages (pages)
      and, while the workers render, the list pages made from the index alone (list_pages: tags,
      archive, the series list, the sitemap) → the post pages' results → the list pages that
      show what rendering found (home and series pages, feeds) → static files copied
    → outputs that no longer exist removed → under the workspace lock: the steps again for
      what a command changed meanwhile (usually nothing) → the new manifest saved.

Incremental by construction: the manifest maps every output to the key of exactly the inputs it
is made from (the post file's bytes, its series neighbours, the listed posts' titles, config,
templates, engine version) and the size and mtime the file had when written. An output is
rendered only when that key changed or the file is not as we left it, and written (by temp file
and rename) only when its bytes differ. Deleting the manifest just means a full build; a full
build and an incremental one give the same bytes, which is also why the catch-up pass under the
lock leaves exactly the site of the posts as they are then.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from blogcli.errors import WriteFailed
from blogcli.model.post import DRAFTS, PUBLISHED, Post
from blogcli.site import output
from blogcli.site.comments import comments_stats
from blogcli.site.emitter import BuildState, Outputs
from blogcli.site.list_pages import ListPages
from blogcli.site.manifest import Manifest, SiteShape, discard_manifest, instant, key_of, manifest_path
from blogcli.site.pages import declare_pages
from blogcli.site.model import SiteModel, visible_posts, without_clashes
from blogcli.site.pool import WORKERS, Chunk, WorkerPool, spawn_executor
from blogcli.site.post_pages import PostResult, PostTask, post_key, prepare_worker, read_post_files, render_post, render_posts
from blogcli.site.series import plan_ledgers, series_ledgers, series_promises
from blogcli.site.settings import build_settings
from blogcli.site.shape import Unchanged, file_entries, unchanged_structure, with_new_posts
from blogcli.site.theme import refused_templates
from blogcli.site.urls import FAVICON, STYLESHEET, post_output
from blogcli.workspace.atomic import crashpoint
from blogcli.workspace.author_files import files_inside
from blogcli.workspace.config import CONFIG_NAME
from blogcli.workspace.index import file_changes, read_fields
from blogcli.workspace.paths import open_regular
from blogcli.workspace.store import Workspace
from blogcli.workspace.watch import FolderWatch

POOL_THRESHOLD = 48  # fewer pages than this render faster in-process than by starting workers
CHUNK = 250  # most posts per worker task; the last tasks are smaller, so both workers finish together
LEDGER_CHUNK = 8  # series per worker task
_NO_PLACE = (None,)  # a post in no series' place (SiteSeries.position)

Progress = Callable[[int, int], None]


@dataclass
class BuildResult:
    out: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered_posts: int = 0
    elapsed: float = 0.0
    next_due: dt.datetime | None = None  # when the next scheduled post comes due (serve rebuilds then)
    warnings: list[str] = field(default_factory=list)
    caught_up: bool = False  # posts changed while the build read them: a second pass under the lock followed

    def followed_by(self, later: "BuildResult") -> "BuildResult":
        """This pass and a later one over the same folder as one build: the later pass's view of
        the site (its warnings, the next due post), the work of both."""
        later.written += self.written
        later.unchanged = max(0, later.unchanged - self.written)  # written here, found unchanged there
        later.removed += self.removed
        later.rendered_posts += self.rendered_posts
        later.caught_up = True
        return later

    def as_dict(self) -> dict:
        return {
            "out": str(self.out),
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "rendered_posts": self.rendered_posts,
            "elapsed": round(self.elapsed, 3),
            "warnings": self.warnings,
            "caught_up": self.caught_up,
        }


def build_site(
    ws: Workspace,
    out: Path | None = None,
    include_drafts: bool = False,
    clean: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build (or bring up to date) the site in `out` (default `<root>/site/`).

    The posts are read without the workspace lock, so a long build never keeps `blog new` waiting.
    At the end the build takes the lock and compares every post file (and blog.toml) with what it
    saw before it read them: if a command changed any meanwhile, what depends on them is made
    again while the lock is held (an incremental pass: usually a few pages). The site a build
    leaves, and its manifest, are then those of one state of the files, never half of a change.
    A caller holding both locks (`Workspace.build_lock`, then `Workspace.lock`: a publish) gets
    the whole build under them, and its end takes no lock again.

    An interrupted or failed build stops its workers at once and removes its temp files.
    Big builds render in spawned worker processes: a script calling this needs the usual
    `if __name__ == "__main__":` guard of multiprocessing code (the CLI has it)."""
    started = time.perf_counter()
    _LAST_BUILD.clear()
    out = output.claim(ws, out)
    saved_at = manifest_path(ws.cache_dir, out, output.default_out(ws))
    with ws.build_lock():
        running = ws.cache_dir / "build.running"  # there while a build runs: after a kill, tidy up
        if os.path.lexists(running):
            output.remove_temp_files(ws.cache_dir, out)
        _touch(running)
        try:
            if clean:
                output.empty(out)
                discard_manifest(saved_at)
            config_stat = _config_stat(ws.root)  # before the build reads blog.toml
            loaded = Manifest.load(saved_at)
            builder = Builder(ws, out, include_drafts, loaded, progress)
            result = builder.run()
            seen = files_read(ws, config_stat)
            read = ws.posts  # the lock's refresh forgets them: kept to the next build, as the builder is (_LAST_BUILD)
            crashpoint("build:built")
            with ws.lock():
                crashpoint("build:locked")
                if changed_since(ws.root, seen):  # a command changed posts meanwhile: catch up
                    again = Builder(Workspace(ws.root, notify=ws.notify), out, include_drafts, builder.manifest, progress)
                    result = result.followed_by(again.run())
                    builder = again
                builder.manifest.save(saved_at, loaded)  # the rows that differ from those loaded: none if nothing changed
        except BaseException:
            output.remove_temp_files(ws.cache_dir, out)  # a Ctrl-C or an error: the workers are gone by now
            raise
        running.unlink()
    _LAST_BUILD.extend((builder, read, seen))
    result.elapsed = time.perf_counter() - started
    return result


def has_last_build(ws: Workspace) -> bool:
    """Whether the default site is there with the manifest of its last build: a build now is an
    incremental one (a publish's: a few pages), short enough to run under a command's own lock."""
    site = output.default_out(ws)
    return site.is_dir() and os.path.isfile(manifest_path(ws.cache_dir, site, site))


# The last finished build (its manifests, model and pages, the posts it read and their stamps),
# freed when the next build starts, not when build_site returns: ~10 ms of freeing objects at
# 10,000 posts that a command, ending without the interpreter's teardown (fast_exit.py), never
# pays; the posts, which the workspace lock's refresh forgets, ~4.5 ms more (a build after one
# edit). A process that builds again (`blog serve`) holds one build's worth at most, as during a build.
_LAST_BUILD: list[object] = []


@dataclass
class FilesRead:
    """What a build read its posts and settings from, to tell later whether they are still so."""

    stamps: dict[str, tuple[int, int, int]]  # each post file's (size, mtime_ns, inode) as the walk found it
    config: tuple | None  # blog.toml's stat before it was read
    watch: FolderWatch | None  # on the post folders since before that walk, if the scan set one


def files_read(ws: Workspace, config_stat: tuple | None) -> FilesRead:
    """Each post file as the walk that read the posts found it (`Workspace.file_stamps`: no second
    walk), the watch set before that walk, and blog.toml's stat before it was read: the same
    later (`changed_since`) means no command changed a post since (every change renames a file
    into place), even one that changed it after a command's workspace read the posts."""
    return FilesRead(ws.file_stamps, config_stat, ws.posts_watch)


def changed_since(root: Path, seen: FilesRead) -> bool:
    """Whether blog.toml changed since `seen`, or a post file was added, changed or removed: by the
    watch set before the walk, if there is one (workspace/watch.py: no walk; it also sees an
    in-place write within the walk's clock tick at the same size, which no stat does), else by
    the index's one freshness check (`file_changes`), file by file."""
    if _config_stat(root) != seen.config:
        return True
    if seen.watch is not None:
        return not seen.watch.unchanged()
    changes = file_changes(root, (PUBLISHED, DRAFTS), {rel: (rel, *stamp) for rel, stamp in seen.stamps.items()})
    return bool(changes.stale or changes.gone)


def _config_stat(root: Path) -> tuple | None:
    try:
        st = os.stat(root / CONFIG_NAME)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def _touch(path: Path) -> None:
    """Create `path` (a state file) unless it is there; never open a FIFO or follow a link there."""
    try:
        os.close(open_regular(path, os.O_WRONLY | os.O_CREAT))
    except OSError as exc:
        raise WriteFailed(f"{path}: cannot be written ({exc.strerror or exc})",
                          hint="remove it if it is not a plain file; it is only a marker of a running build") from None


class Builder:
    """One build: the steps of the module's docstring, in order, over one output folder."""

    def __init__(self, ws: Workspace, out: Path, include_drafts: bool, old: Manifest | None, progress: Progress | None):
        self.ws = ws
        self.out = out
        self.include_drafts = include_drafts
        self.old = old or Manifest()
        self.had_manifest = old is not None
        self.out_was_empty = output.is_empty(out)
        self.progress = progress
        self.settings = build_settings(ws, out, include_drafts)
        # what this build made, saved for the next one: every entry of its sources, outputs and files
        # is the very one of `old` but for the names in `touched` (Manifest.touched)
        self.manifest = Manifest(kept_from=self.old, touched={"sources": set()})
        self.pool: WorkerPool | None = None
        self.result = BuildResult(out=out)
        self.comments: dict[str, tuple[int, int]] = {}  # each comments file's stat, by its post (`run`)
        self.unchanged: Unchanged | None = None  # the structure is as the last build left it (site/shape.py)
        self.changed_series: frozenset[str] = frozenset()  # series whose promise ledger changed since
        self.ledgers_made: frozenset[str] = frozenset()  # series whose promise ledger is worked out again: it may change

    def run(self) -> BuildResult:
        try:
            if not self.old.outputs and self._post_files() >= POOL_THRESHOLD:
                self._pool_for(POOL_THRESHOLD)  # a full build: the workers start while the index is read
                self.ws.scan(self._read_files)  # and read the files the index has no row for
            now = self.ws.now()
            posts, self.result.next_due = visible_posts(self.ws.posts, now, self.include_drafts)
            self.comments = comments_stats(self.ws.root, (PUBLISHED, DRAFTS) if self.include_drafts else (PUBLISHED,),
                                           self.ws.listed_names)  # the folders as the scan just listed them
            self._unreadable_posts()
            static_files = self._static_files()
            outputs = Outputs(self.settings, self.out, self.old.outputs, set(static_files), self.result.warnings,
                              self._pool_for)
            posts = without_clashes(posts, output.static_names(self.ws.root), self.result.warnings)
            shape = SiteShape(self.settings.key, now.astimezone(self.ws.tz).date().isoformat(),
                              instant(self.result.next_due), key_of(sorted(static_files)),
                              key_of(sorted(self.comments.items())), [], [], None)
            self.manifest.files, fresh = file_entries(self.ws.file_stamps, self.ws.posts, self.old.files, self.include_drafts)
            self.manifest.touched["files"] = set(fresh)  # the others are old's entries (file_entries)
            model = SiteModel(posts, self.ws.config, self.settings.base, self.ws.posts, now, self.ws.tz)
            self.unchanged = with_new_posts(unchanged_structure(self.old, self.manifest.files, fresh, shape, now.timestamp()),
                                            model, self.ws.posts)
            ledger_chunks = self._ledgers(model, now)
            tasks, chunks = self._post_pages(outputs, model, posts, ledger_chunks)
            built = declare_pages(outputs, self.settings, self.ws.pages, self.include_drafts,
                                  model.series.visible.keys(),  # the visible posts' slugs, as SiteSeries keeps them
                                  output.static_names(self.ws.root))
            page_paths = [f"{page.slug}/" for page in built]
            lists = ListPages(outputs, BuildState(self.settings, self.ws, model, self.manifest.sources, tuple(page_paths)),
                              self.unchanged, self.changed_series)
            same_pages = self.unchanged is not None and self.unchanged.shape.page_paths == page_paths
            index_pages = lists.declare_index_pages(self.unchanged.shape.index_pages if same_pages else None)  # while the workers render the post pages
            self._record_post_pages(outputs, tasks, chunks)
            lists.declare_post_lists()
            # kept from the last build while the structure is as it was; else every series' page
            # was keyed just now, and found its coming parts
            coming_until = self.unchanged.shape.coming_until if self.unchanged else instant(model.series.coming_until)
            self.manifest.shape = shape._replace(page_paths=page_paths, index_pages=index_pages, coming_until=coming_until)
            outputs.render_queued()
        except BaseException:
            if self.pool is not None:
                self.pool.abort()  # Ctrl-C or an error: the workers stop now, not after their chunks
            raise
        if self.pool is not None:
            self.pool.close()
        self._static(outputs, static_files)
        self._remove_stale(outputs)
        entries = outputs.entries  # every one recorded by now (None: claimed, never made)
        if None in entries.values():
            entries = {path: entry for path, entry in entries.items() if entry is not None}
        self.manifest.outputs = entries
        self.manifest.touched["outputs"] = outputs.touched  # recorded anew; the others are old's (Outputs)
        self.result.written += outputs.counts.written
        self.result.unchanged += outputs.counts.unchanged
        return self.result

    # -- the worker pool --------------------------------------------------------------------------

    def _pool_for(self, count: int) -> WorkerPool | None:
        """The worker pool, started now when `count` items pay for starting it."""
        if self.pool is None and count >= POOL_THRESHOLD and (os.cpu_count() or 1) >= 2:
            self.pool = WorkerPool(self.settings, self.result.warnings, spawn_executor(self.settings, prepare_worker))
            self.pool.start()
        return self.pool

    def _use_pool(self, count: int) -> bool:
        """Whether `count` items go to the workers: yes once they run (unless they died), else when
        there are enough of them to pay for starting the workers."""
        pool = self._pool_for(count)
        return pool is not None and not pool.broken

    def _hand_out(self, job, items: list) -> list[Chunk]:
        """Items to the workers in chunks that shrink towards the end, so that both workers finish
        at about the same time."""
        chunks, start = [], 0
        while start < len(items):
            size = max(8, min(CHUNK, (len(items) - start) // (WORKERS * 4)))
            chunks.append(self.pool.submit(job, items[start : start + size]))
            start += size
        return chunks

    # -- inputs -----------------------------------------------------------------------------------

    def _read_files(self, files: list[tuple[str, str]]) -> list:
        """Post files read by the workers and this process together (index.read_fields), in order:
        a first scan of 10,000 posts took ~3 s in this process alone."""
        if not self._use_pool(len(files)):
            return read_fields(files, self.ws.tz)
        found = {}
        for results in self.pool.shared_results(self._hand_out(read_post_files, files)):
            found.update(results)
        return [found[rel] for rel, _path in files]

    def _source_stat(self, rel: str) -> tuple[int, int] | None:
        """(size, mtime_ns) of a post file as the walk that read its post found it."""
        stamp = self.ws.file_stamps.get(rel)
        return stamp[:2] if stamp else None

    def _post_files(self) -> int:
        count = 0
        for folder in (PUBLISHED, DRAFTS):
            try:
                count += len(os.listdir(self.ws.root / folder))
            except OSError:
                pass
        return count

    def _static_files(self) -> dict[str, Path]:
        """static/'s files by site path (what to read: links resolved), links out of the workspace
        left out with a warning; an editor's temp file (`*.tmp`) is no file of the site."""
        found = files_inside(self.ws.root, output.STATIC_DIR, skip=self.out)
        for refused in found.refused:
            self.result.warnings.append(f"{refused}; not published")
        return {path: source for path, source in found.files.items() if not path.endswith(".tmp")}

    def _unreadable_posts(self) -> None:
        """A warning for each post file the site should show and cannot (the index's problem with it)."""
        folders = (PUBLISHED, DRAFTS) if self.include_drafts else (PUBLISHED,)
        for problem in self.ws.unreadable:
            if problem.path.split("/", 1)[0] in folders:
                self.result.warnings.append(f"{problem}; left out of the site")
        for refused in refused_templates(self.ws.root):
            self.result.warnings.append(f"{refused}; not used (blogcli's own template of that name is)")

    # -- series' promise ledgers ------------------------------------------------------------------

    def _ledgers(self, model: SiteModel, now: dt.datetime) -> list[Chunk]:
        """Each series' promise ledger, recomputed only for series whose files or statuses changed:
        in this process when few, else handed to the workers (`_collect_ledgers` waits for them)."""
        self.manifest.ledgers, jobs = plan_ledgers(model.series.catalogue, self.ws.tz, now, self._source_stat,
                                                   self.settings.key, self.old.ledgers,
                                                   self.unchanged.files if self.unchanged else None)
        self.ledgers_made = frozenset(job.key for job in jobs)
        if self._use_pool(sum(len(job.parts) for job in jobs)):
            return [self.pool.submit(series_ledgers, jobs[i : i + LEDGER_CHUNK]) for i in range(0, len(jobs), LEDGER_CHUNK)]
        for job in jobs:
            self.manifest.ledgers[job.key] = self.manifest.ledgers[job.key]._replace(promises=series_promises(self.ws.root, job))
        return []

    def _collect_ledgers(self, chunks: list[Chunk]) -> dict[str, list[dict]]:
        for result in self.pool.results(chunks) if chunks else ():
            for key, promises in result:
                self.manifest.ledgers[key] = self.manifest.ledgers[key]._replace(promises=promises)
        self.changed_series = frozenset(key for key, entry in self.manifest.ledgers.items()
                                        if key not in self.old.ledgers or self.old.ledgers[key].promises != entry.promises)
        return {key: entry.promises for key, entry in self.manifest.ledgers.items()}

    # -- post pages -------------------------------------------------------------------------------

    def _post_pages(self, outputs: Outputs, model: SiteModel, posts: list[Post],
                    ledger_chunks: list[Chunk]) -> tuple[list[PostTask], list[Chunk] | None]:
        """A task for every post page whose inputs changed, handed to the workers when they pay
        (`_record_post_pages` collects them). Pages outside any series need no promise ledger:
        they go to the workers first, while the ledgers are still being made. Which pages are
        kept is found in one pass over every post, but the parts of the series whose ledger is
        being made, which wait for it."""
        rest, waiting = self._not_kept(outputs, model, posts, self.ledgers_made)
        early = self._post_tasks(outputs, model, [post for post in rest if not post.series])
        chunks = self._hand_out(render_posts, early) if self._use_pool(len(early)) else None
        model.series.keep_promises(self._collect_ledgers(ledger_chunks))
        parts, in_changed_series = self._not_kept(outputs, model, waiting, self.changed_series)
        late = self._post_tasks(outputs, model, [post for post in rest if post.series] + parts + in_changed_series)
        if chunks is None and self._use_pool(len(early) + len(late)):
            chunks = self._hand_out(render_posts, early)
        if chunks is not None:
            chunks += self._hand_out(render_posts, late)
        return early + late, chunks

    def _record_post_pages(self, outputs: Outputs, tasks: list[PostTask], chunks: list[Chunk] | None) -> None:
        for done in self._rendered(tasks, chunks):
            self.manifest.sources[done.rel] = done.source  # the only sources not old's very entries
            self.manifest.touched["sources"].add(done.rel)
            outputs.record(done.output, done.entry, done.wrote)
            self.result.rendered_posts += done.rendered

    def _post_tasks(self, outputs: Outputs, model: SiteModel, posts: list[Post]) -> list[PostTask]:
        """A task for each of `posts` (not kept as before) whose page is not up to date by its key
        (the others are recorded as they are)."""
        tasks = []
        for post in posts:
            path = post_output(post)
            context = model.post_context(post)
            if post.rel in self.comments:  # its comments file's (size, mtime): a new comment renders the page again
                context = {**context, "comments": self.comments[post.rel]}
            stat = self._source_stat(post.rel)
            if stat is None:
                continue
            old_source = self.old.sources.get(post.rel)
            old_output = self.old.outputs.get(path)
            if old_source and (old_source.size, old_source.mtime_ns) == stat and old_output:
                if outputs.kept(path, post_key(self.settings, old_source.digest, context)):
                    self.manifest.sources[post.rel] = old_source
                    continue
            outputs.claim(path)  # post pages come first: no page declared before it is rendered takes its path
            tasks.append(PostTask(post, path, context, stat, old_source, old_output, post.rel in model.in_feeds))
        return tasks

    def _not_kept(self, outputs: Outputs, model: SiteModel, posts: list[Post],
                  uncertain: frozenset[str]) -> tuple[list[Post], list[Post]]:
        """The posts whose page is not kept as the last build made it, and those of the series in
        `uncertain` (whose ledger changed, or may have) that would be. A page is kept (and recorded)
        without its key when the structure is as it was (site/shape.py), and the post file and its
        series' promise ledger too. One tight loop: it meets every post of the site."""
        if self.unchanged is None or not posts:
            return posts, []
        changed, position = self.unchanged.files, model.series.position
        old_sources, stamps = self.old.sources, self.ws.file_stamps
        rest, waiting, candidates, sources = [], [], {}, self.manifest.sources
        for post in posts:
            rel = post.rel
            source, stamp = old_sources.get(rel), stamps.get(rel)
            if source is None or stamp is None or rel in changed or source.size != stamp[0] or source.mtime_ns != stamp[1]:
                rest.append(post)
            elif uncertain and position.get(rel, _NO_PLACE)[0] in uncertain:
                waiting.append(post)
            else:
                candidates[post_output(post)] = post
                sources[rel] = source  # the very entry loaded: a save compares it by identity first
        for path in outputs.not_kept_as_before(candidates):  # its page file is not as the last build left it
            post = candidates[path]
            rest.append(post)
            del sources[post.rel]
        return rest, waiting

    def _rendered(self, tasks: list[PostTask], chunks: list[Chunk] | None) -> Iterator[PostResult]:
        """The results of the post tasks, from the workers' `chunks` or rendered here."""
        total = len(tasks)
        if self.progress:
            self.progress(0, total)
        if chunks is None:
            if tasks:  # Jinja2's first import here is views.json_ld_html's: its compiler deferred (site/lazy_compiler.py)
                from blogcli.site.lazy_compiler import import_jinja2

                import_jinja2()
            for done, task in enumerate(tasks, start=1):
                yield render_post(self.settings, task)
                if self.progress:
                    self.progress(done, total)
            return
        done = 0
        for results in self.pool.results(chunks):
            yield from results
            done += len(results)
            if self.progress:
                self.progress(done, total)

    # -- static files, stale files ----------------------------------------------------------------

    def _static(self, outputs: Outputs, static_files: dict[str, Path]) -> None:
        from blogcli.site.theme import favicon, stylesheet

        for path, source in static_files.items():
            st = source.stat()  # a real path inside the workspace (author_files)
            outputs.file(path, ["static", st.st_size, st.st_mtime_ns], source.read_bytes, static=True)
        outputs.file(STYLESHEET, "stylesheet", stylesheet)
        outputs.file(FAVICON, "favicon", favicon)

    def _remove_stale(self, outputs: Outputs) -> None:
        stale = outputs.stale()
        if not self.had_manifest and not self.out_was_empty:
            stale = [path for path in output.site_files(self.out) if path not in outputs.entries]
        self.result.removed += output.remove_files(self.out, stale)
