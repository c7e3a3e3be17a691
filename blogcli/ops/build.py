"""`blog build`: the static site, rebuilt exactly as far as its inputs changed.

The pipeline reads as the data flows: the index gives every post's metadata (no bodies) → the site
model (visible posts, series, tags, pages) → post pages rendered in worker processes (each reads its
own file) → lists, series pages, feeds, sitemap and redirects rendered here → static files copied →
outputs that no longer exist removed.

Incremental by construction: `.blog/cache/build.json` maps every output file to a hash of exactly
the inputs it is made from (the post file's bytes, its series neighbours, the listed posts' titles,
config, templates, engine version) and the size and mtime the file had when written. An output is
rendered only when that hash changed or the file is not as we left it, and written (by temp file
and rename) only when its bytes differ. Deleting the manifest just means a full build; a full build
and an incremental one give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import marshal
import multiprocessing
import os
import re
import signal
import sys
import shutil
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Callable
from urllib.parse import urlsplit

from blogcli import __version__
from blogcli.errors import BlogError, InvalidValue
from blogcli.model.links import is_external, linked_slug, static_path
from blogcli.model.post import DRAFTS, PUBLISHED, Post
from blogcli.model.slug import slugify
from blogcli.workspace.atomic import atomic_write, crashpoint
from blogcli.workspace.config import Config
from blogcli.workspace.lock import workspace_lock
from blogcli.workspace.store import Workspace

BUILD_FORMAT = "1"  # bump when the builder's output changes in a way templates don't show
MARKER = ".blogcli-site"
SITE_DIR = "site"
STATIC_DIR = "static"
STYLESHEET = "assets/style.css"
SECTIONS = ("page", "tags", "series", "archive", "assets")  # top-level folders a post slug may not take
POOL_THRESHOLD = 48  # fewer pages than this render faster in-process than by starting workers
WORKERS = 2
CHUNK = 250  # most posts per worker task; the last tasks are smaller, so both workers finish together
PAGE_CHUNK = 24  # queued pages per worker task
POLL_SECONDS = 0.5  # how often a wait for the workers checks that they are still alive
_EXTRA_KEYS = re.compile(r"\b(?:id|aliases)\b")  # header keys a post page needs that the index does not keep

Progress = Callable[[int, int], None]


@dataclass
class BuildResult:
    out: Path
    base_url: str = "/"
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered_posts: int = 0
    elapsed: float = 0.0
    next_due: dt.datetime | None = None  # when the next scheduled post comes due (serve rebuilds then)
    warnings: list[str] = field(default_factory=list)

    def url_for(self, post: Post | str) -> str:
        """The post's absolute URL on the published site."""
        return url_for(post, self.base_url)

    def page_path(self, post: Post | str) -> Path:
        return page_path(self.out, post)

    def as_dict(self) -> dict:
        return {
            "out": str(self.out),
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "rendered_posts": self.rendered_posts,
            "elapsed": round(self.elapsed, 3),
            "warnings": self.warnings,
        }


def _slug_of(post: Post | str) -> str:
    return post if isinstance(post, str) else post.slug


def url_for(post: Post | str, base_url: str = "/") -> str:
    """A post's URL: `/<slug>/` by default, absolute when given the site's base_url."""
    return f"{base_url}{_slug_of(post)}/"


def page_path(out: Path, post: Post | str) -> Path:
    """The file that holds a post's page: `<out>/<slug>/index.html`."""
    return out / _slug_of(post) / "index.html"


def default_out(ws: Workspace) -> Path:
    return ws.root / SITE_DIR


def site_prefix(base_url: str) -> str:
    """The site's path on its host (`/`, or `/blog/` for https://example.org/blog/): every link starts with it."""
    return urlsplit(base_url).path or "/"


def build_site(
    ws: Workspace,
    out: Path | None = None,
    include_drafts: bool = False,
    clean: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build (or bring up to date) the site in `out` (default `<root>/site/`).

    Big builds render in spawned worker processes: a script calling this needs the usual
    `if __name__ == "__main__":` guard of multiprocessing code (the CLI has it)."""
    started = time.perf_counter()
    out = Path(os.path.abspath(out if out is not None else default_out(ws)))
    _claim(ws, out)
    manifest_path = _manifest_path(ws, out)
    with workspace_lock(ws.cache_dir / "build.lock", ws.notify):
        running = ws.cache_dir / "build.running"  # there while a build runs: after a kill, tidy up
        if running.exists():
            _remove_temp_files(ws.cache_dir, out)
        running.touch()
        if clean:
            _empty_site(out)
            manifest_path.unlink(missing_ok=True)
        old = _load_manifest(manifest_path)
        builder = _Builder(ws, out, include_drafts, old, progress)
        result = builder.run()
        if not (out / MARKER).exists():
            (out / MARKER).write_text("This folder is a site built by blogcli; `blog build` may replace its files.\n")
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(manifest_path, json.dumps(builder.manifest, separators=(",", ":")).encode(), durable=False)
        running.unlink()
    result.elapsed = time.perf_counter() - started
    return result


# --- the output folder ---------------------------------------------------------------------------


def _claim(ws: Workspace, out: Path) -> None:
    """Refuse to build into a folder we would damage: one with the author's files, or someone else's."""
    for folder in (DRAFTS, PUBLISHED, STATIC_DIR, "templates", ".blog"):
        source = ws.root / folder
        if (out == source or source in out.parents) and ws.cache_dir not in out.parents:  # serve --drafts builds in the cache
            raise InvalidValue(f"{out}: cannot build the site inside the workspace's {folder}/ folder")
    if out == ws.root or out in ws.root.parents:
        raise InvalidValue(f"{out}: cannot build the site into the workspace itself or a folder above it")
    if out.exists():
        if not out.is_dir():
            raise InvalidValue(f"{out}: exists and is not a folder")
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise InvalidValue(
                f"{out}: this folder is not empty and was not built by blogcli; refusing to write into it",
                hint="choose an empty or new folder for --out",
            )
    out.mkdir(parents=True, exist_ok=True)


def _empty_site(out: Path) -> None:
    """`--clean`: remove what a build made; hidden entries (a deploy's .git, the marker) stay."""
    for entry in out.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _remove_temp_files(cache_dir: Path, out: Path) -> None:
    """The temp files (`.name.<pid>.<hex>.tmp`) a killed build left in the cache and the site.

    Only called under the build lock, so no live build owns any of them."""
    for path in [*cache_dir.glob(".*.tmp"), *out.rglob(".*.tmp")]:
        if path.is_file():
            path.unlink(missing_ok=True)


def _manifest_path(ws: Workspace, out: Path) -> Path:
    if out == default_out(ws):
        return ws.cache_dir / "build.json"
    tag = hashlib.blake2b(str(out).encode(), digest_size=6).hexdigest()
    return ws.cache_dir / f"build-{tag}.json"


def _load_manifest(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != BUILD_FORMAT:
        return None
    return data


def _hash(*parts: object) -> str:
    """A digest of plain data. marshal version 2 writes no back-references, so equal data gives
    equal bytes (and is 2-3x faster than JSON); anything it cannot write goes through JSON."""
    try:
        data = marshal.dumps(parts, 2)
    except ValueError:
        data = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_if_changed(path: Path, data: bytes) -> tuple[bool, os.stat_result]:
    """Write by temp file + rename unless the file already holds exactly these bytes."""
    try:
        st = path.stat()
        if st.st_size == len(data) and path.read_bytes() == data:
            return False, st
    except (FileNotFoundError, NotADirectoryError):
        path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data, durable=False)
    return True, path.stat()


# --- what every page needs -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Setup:
    """Everything a worker process needs to render post pages (picklable, no workspace object)."""

    root: str
    out: str
    dirs: tuple[Path, ...]
    config: Config
    prefix: str  # the site's path on its host: "/" or "/blog/"
    common: str  # hash of config, templates and engine: part of every output's key
    site: dict


def _site_context(config: Config, prefix: str) -> dict:
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": config.language or "en",
        "base_url": config.base_url,
        "prefix": prefix,
        "home_url": prefix,
        "feed_url": prefix + "feed.xml",
        "css_url": prefix + STYLESHEET,
        "series_url": prefix + "series/",
        "tags_url": prefix + "tags/",
        "archive_url": prefix + "archive/",
    }


def make_rewriter(base: str) -> Callable[[str], str]:
    """Links to post files (`other.md#x`) become page URLs; local paths resolve against static/."""

    def rewrite(url: str) -> str:
        if not url or is_external(url):
            return url
        slug = linked_slug(url)
        if slug:
            fragment = urlsplit(url).fragment
            return f"{base}{slug}/" + (f"#{fragment}" if fragment else "")
        path = static_path(url)
        return base + path if path is not None else url

    return rewrite


def _date_text(moment: dt.datetime | None, tz: dt.tzinfo) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{local.day} {_month_text(local.year, local.month)}"


@functools.lru_cache(maxsize=4096)
def _month_text(year: int, month: int) -> str:
    """"November 2026": strftime is the slow part of a date's text, and 10,000 posts share a few hundred months."""
    return f"{dt.date(year, month, 1):%B %Y}"


def _iso(moment: dt.datetime | None, tz: dt.tzinfo) -> str | None:
    return moment.astimezone(tz).replace(microsecond=0).isoformat() if moment else None


def _minutes(words: int, per_minute: int) -> int:
    return max(1, round(words / per_minute))


@functools.lru_cache(maxsize=4096)
def tag_slug(tag: str) -> str:
    """A tag's page name; cached, as thousands of posts share a few dozen tags."""
    return slugify(tag)


def _tag_view(tag: str, prefix: str) -> dict:
    return {"name": tag, "url": f"{prefix}tags/{tag_slug(tag)}/"}


def _excerpt(html_text: str, limit: int = 40) -> str:
    """The first paragraph as plain text, cut at about `limit` words: for lists without a summary."""
    import html
    import re

    match = re.search(r"<p>(.*?)</p>", html_text, re.DOTALL)
    if not match:
        return ""
    words = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


# --- post pages (run in worker processes) ----------------------------------------------------------

_worker_setup: _Setup | None = None


def _init_worker(setup: _Setup) -> None:
    """A worker's start: while the main process still reads the posts, import and compile what
    rendering needs, so the first pages handed over do not pay for it."""
    global _worker_setup
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_setup = setup
    from blogcli.render.markdown import markdown_to_html, pygments_css
    from blogcli.render.site import environment

    markdown_to_html("", setup.config.markdown_engine)
    pygments_css()
    try:
        environment(setup.dirs).get_template("post.html")
    except Exception:  # noqa: BLE001 - a broken template is reported by the render that needs it
        pass


def _in_worker(job: str, items: list) -> list:
    """What a worker process runs: one chunk of post pages, queued pages or series ledgers."""
    crashpoint("build:worker-chunk")
    return _JOBS[job](_worker_setup, items)


def _render_posts(setup: _Setup, tasks: list[tuple]) -> list[tuple]:
    return [render_post_task(setup, task) for task in tasks]


def _header_keys(doc, rel: str) -> dict:
    """The header, parsed only when it may hold a key the index does not keep (`id`, `aliases`):
    few headers do, and parsing every header a second time was ~8 % of a full build."""
    if doc.header is None or not _EXTRA_KEYS.search(doc.header_text):
        return {}
    try:
        return doc.parse(rel)
    except BlogError:  # the index has flagged it; the page still shows the body
        return {}


def render_post_task(setup: _Setup, task: tuple) -> tuple:
    """Read one post file, render its page if its key changed, write it if its bytes changed.

    `indexed` is the post as the index read it from these bytes (typed fields, word count): the
    file is only split, and its header parsed again only for the keys the index does not keep.
    Returns (rel, source entry, output entry, wrote?, rendered?, body HTML if wanted for a feed).
    """
    from dataclasses import replace

    from blogcli.model.dates import zone
    from blogcli.model.document import Document
    from blogcli.render.feeds import entry_id
    from blogcli.render.markdown import markdown_to_html

    indexed, out_rel, ctx, src_stat, old_src, old_out, want_html = task
    rel = indexed.rel
    data = (Path(setup.root) / rel).read_bytes()
    sha = hashlib.blake2b(data, digest_size=16).hexdigest()
    key = _hash(setup.common, "post", sha, ctx)
    target = Path(setup.out) / out_rel
    known = old_src[3] if old_src and old_src[2] == sha else None
    if known is not None and old_out and old_out[0] == key and _stat_matches(target, old_out):
        return rel, [*src_stat, sha, known], old_out, False, False, None
    tz = zone(setup.config.timezone)
    doc = Document.from_bytes(data, rel)
    post = replace(indexed, doc=doc, meta=_header_keys(doc, rel))
    body_html = markdown_to_html(post.body, setup.config.markdown_engine, rewrite_url=make_rewriter(setup.prefix))
    extracted = {
        "id": entry_id(post, setup.config),
        "aliases": _aliases(post.meta.get("aliases")),
        "excerpt": _excerpt(body_html),
    }
    view = post_view(post, extracted, setup, tz)
    view["html"] = body_html
    from blogcli.render.site import render_page

    page = render_page(setup.dirs, "post.html", site=setup.site, post=view, series=ctx.get("series"),
                       teaser=ctx.get("teaser"), page_title=view["title"],
                       canonical=setup.config.base_url + out_rel.removesuffix("index.html"),
                       description=view["summary"])
    wrote, st = write_if_changed(target, page)
    return rel, [*src_stat, sha, extracted], [key, st.st_size, st.st_mtime_ns], wrote, True, body_html if want_html else None


def render_page_job(setup: _Setup, job: tuple) -> tuple:
    """Render one queued page (home, tag, series, archive…) and write it if its bytes changed."""
    from blogcli.render.site import render_page

    out_rel, template, inputs, key = job
    canonical = setup.config.base_url + out_rel.removesuffix("index.html")
    page = render_page(setup.dirs, template, site=setup.site, canonical=canonical, **inputs)
    wrote, st = write_if_changed(Path(setup.out) / out_rel, page)
    return out_rel, [key, st.st_size, st.st_mtime_ns], wrote


def _render_pages(setup: _Setup, jobs: list[tuple]) -> list[tuple]:
    return [render_page_job(setup, job) for job in jobs]


def _stat_matches(path: Path | str, entry: list) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return st.st_size == entry[1] and st.st_mtime_ns == entry[2]


def _aliases(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [str(item).strip().strip("/") for item in items if item is not None and str(item).strip().strip("/")]


def post_view(post: Post, extracted: dict, setup: _Setup, tz: dt.tzinfo) -> dict:
    """What templates show of a post, in lists and on its page."""
    prefix = setup.prefix
    return {
        "slug": post.slug,
        "url": f"{prefix}{post.slug}/",
        "title": post.display_title,
        "date": _iso(post.date, tz),
        "date_text": _date_text(post.date, tz),
        "updated": _iso(post.updated, tz) if post.updated and post.date and post.updated > post.date else None,
        "updated_text": _date_text(post.updated, tz) if post.updated and post.date and post.updated > post.date else "",
        "summary": post.summary or extracted.get("excerpt") or "",
        "tags": [_tag_view(t, prefix) for t in post.tags],
        "minutes": _minutes(post.words, setup.config.words_per_minute),
        "words": post.words,
        "draft": post.folder == DRAFTS,
        "series": post.series,
        "part": post.part,
    }


# --- the worker processes --------------------------------------------------------------------------


@dataclass
class _Chunk:
    """Work handed to the pool: a job name of `_JOBS`, its items, and the future of its result
    (None when it is to be done in this process)."""

    job: str
    items: list
    future: Future | None = None


class _Pool:
    """The build's worker processes, started once (they never grow: see markdown._cmark).

    Spawned, not forked: a forked worker's resident memory counts every page it shares with this
    process (10,000 posts' metadata), and forking a process that runs threads (`blog serve`) is
    unsafe. Never waits on a dead worker: results are awaited a moment at a time, checking that the
    workers are alive; if one died (killed, out of memory) the pool is given up, with a warning,
    and the chunks it had not finished are done in this process.
    """

    def __init__(self, setup: _Setup, warnings: list[str]):
        self.setup = setup
        self.warnings = warnings
        self.broken = False
        self.executor = ProcessPoolExecutor(WORKERS, multiprocessing.get_context("spawn"), _init_worker, (setup,))

    def start(self) -> None:
        """Spawn every worker now (the executor spawns them one submission at a time)."""
        for _ in range(WORKERS):
            self.submit("pages", [])

    def submit(self, job: str, items: list) -> _Chunk:
        chunk = _Chunk(job, items)
        if not self.broken:
            try:
                chunk.future = self.executor.submit(_in_worker, job, items)
            except BrokenProcessPool:
                self._give_up(self._dead_worker() or "its pool broke")
            except OSError as exc:  # a worker could not be started
                self._give_up(f"could not start it: {exc}")
        return chunk

    def results(self, chunks: list[_Chunk]):
        """Each chunk's result, as the chunks finish; chunks a dead pool left are done here."""
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
                yield _JOBS[chunk.job](self.setup, chunk.items)

    def _dead_worker(self) -> str | None:
        """How a worker process ended, if one did (a live pool's workers never exit). The executor
        terminates the others once one died: the first to die is the one not ended by SIGTERM."""
        codes = [process.exitcode for process in list((getattr(self.executor, "_processes", None) or {}).values())]
        code = min((c for c in codes if c is not None), key=lambda c: c == -signal.SIGTERM, default=None)
        if code is None:
            return None
        return f"killed by signal {-code}" if code < 0 else f"exit code {code}"

    def _give_up(self, reason: str) -> None:
        if self.broken:
            return
        self.broken = True
        self.warnings.append(f"a worker process stopped ({reason}); the rest of the site was rendered in the main process")
        for process in list((getattr(self.executor, "_processes", None) or {}).values()):
            if process.exitcode is None:
                process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if not self.broken:
            self.executor.shutdown(wait=True, cancel_futures=True)


# --- the builder -----------------------------------------------------------------------------------


class _Builder:
    def __init__(self, ws: Workspace, out: Path, include_drafts: bool, old: dict | None, progress: Progress | None):
        from blogcli.render.site import template_dirs, templates_fingerprint

        self.ws = ws
        self.out = out
        self.include_drafts = include_drafts
        self.old_sources: dict = (old or {}).get("sources", {})
        self.old_outputs: dict = (old or {}).get("outputs", {})
        self.had_manifest = old is not None
        with os.scandir(out) as entries:  # nothing of ours in it yet: no stale file to look for at the end
            self.out_was_empty = not any(not entry.name.startswith(".") for entry in entries)
        self.progress = progress
        config = ws.config
        self.prefix = site_prefix(config.base_url)
        dirs = template_dirs(ws.root)
        common = _hash(BUILD_FORMAT, __version__, sys.version_info[:2], _engine_version(config.markdown_engine), config.raw,
                       config.base_url, templates_fingerprint(dirs), include_drafts)
        self.setup = _Setup(str(ws.root), str(out), tuple(dirs), config, self.prefix, common,
                            _site_context(config, self.prefix))
        self.old_series: dict = (old or {}).get("series", {})
        self.sources: dict[str, list] = {}
        self.outputs: dict[str, list] = {}
        self.series_cache: dict[str, list] = {}
        self.stats: dict[str, list[int] | None] = {}
        self.queued: list[tuple] = []  # pages to render: (path, template, inputs, key)
        self.body_html: dict[str, str] = {}  # post pages' HTML, kept for the feeds that list them
        self.pool: _Pool | None = None
        self.page_chunks: list[_Chunk] = []  # queued pages already handed to the workers
        self.result = BuildResult(out=out, base_url=config.base_url)

    @property
    def manifest(self) -> dict:
        return {"format": BUILD_FORMAT, "sources": self.sources, "outputs": self.outputs, "series": self.series_cache}

    def run(self) -> BuildResult:
        try:
            if not self.old_outputs and self._post_files() >= POOL_THRESHOLD:
                self._use_pool(POOL_THRESHOLD)  # a full build: the workers start while the index is read
            now = self.ws.now()
            posts = self._visible(now)
            static_files = self._static_files()
            self.static_paths = set(static_files)
            posts = self._drop_clashes(posts, static_files)
            self.site = _SiteModel(posts, self.ws.config, self.prefix)
            ledgers = self._promises(now)
            self._post_pages(posts, ledgers)
            self._derived_pages(posts)
            self._render_queued()
        finally:
            if self.pool is not None:
                self.pool.close()
        self._static(static_files)
        self._remove_stale()
        return self.result

    def _source_stat(self, rel: str) -> list[int] | None:
        """[size, mtime_ns] of a post file, taken once per build."""
        if rel not in self.stats:
            try:
                st = os.stat(f"{self.ws.root}/{rel}")
                self.stats[rel] = [st.st_size, st.st_mtime_ns]
            except OSError:
                self.stats[rel] = None
        return self.stats[rel]

    def _post_files(self) -> int:
        count = 0
        for folder in (PUBLISHED, DRAFTS):
            try:
                count += len(os.listdir(self.ws.root / folder))
            except OSError:
                pass
        return count

    def _use_pool(self, count: int) -> bool:
        """Whether `count` items go to the worker processes: yes once they run (unless they died),
        else when there are enough of them to pay for starting the workers."""
        if self.pool is None and count >= POOL_THRESHOLD and (os.cpu_count() or 1) >= 2:
            self.pool = _Pool(self.setup, self.result.warnings)
            self.pool.start()
        return self.pool is not None and not self.pool.broken

    def _hand_out(self, job: str, items: list) -> list[_Chunk]:
        """Items to the workers in chunks that shrink towards the end, so that both workers finish
        at about the same time."""
        chunks, start = [], 0
        while start < len(items):
            size = max(8, min(CHUNK, (len(items) - start) // (WORKERS * 4)))
            chunks.append(self.pool.submit(job, items[start : start + size]))
            start += size
        return chunks

    def _promises(self, now: dt.datetime) -> list[_Chunk]:
        """Each series' promise ledger, recomputed only for series whose files or statuses changed:
        in this process when few, else handed to the workers (`_ledgers` collects them)."""
        from blogcli.model.series import series_key

        groups: dict[str, list[Post]] = {}
        for post in self.ws.posts:  # every status: drafts and scheduled parts can keep promises
            if post.series:
                groups.setdefault(series_key(post.series), []).append(post)
        jobs = []
        for key, parts in groups.items():
            stamp = []
            for post in parts:
                st = self._source_stat(post.rel)
                if st is None:
                    continue
                stamp.append([post.rel, *st, post.status(now)])
            fingerprint = _hash(self.setup.common, sorted(stamp))
            cached = self.old_series.get(key)
            if cached and cached[0] == fingerprint:
                self.series_cache[key] = cached
            else:
                self.series_cache[key] = [fingerprint, None]
                jobs.append((key, parts[0].series, parts))
        if self._use_pool(sum(len(job[2]) for job in jobs)):
            return [self.pool.submit("ledgers", jobs[i : i + 8]) for i in range(0, len(jobs), 8)]
        for key, name, parts in jobs:
            self.series_cache[key][1] = series_promises(self.ws, name, parts)
        return []

    def _ledgers(self, chunks: list[_Chunk]) -> dict[str, list[dict]]:
        for result in self.pool.results(chunks) if chunks else ():
            for key, ledger in result:
                self.series_cache[key][1] = ledger
        return {key: entry[1] for key, entry in self.series_cache.items()}

    # -- which posts ------------------------------------------------------------------------------

    def _visible(self, now: dt.datetime) -> list[Post]:
        """Published posts whose time has come, newest first (and drafts with --drafts)."""
        from blogcli.ops.listing import sort_key

        chosen: dict[str, Post] = {}
        due: list[dt.datetime] = []
        for post in self.ws.posts:
            state = post.status(now)
            if state == "scheduled":
                due.append(post.date)
            if state == "published" or (self.include_drafts and state == "draft" and post.slug not in chosen):
                chosen[post.slug] = post
        self.result.next_due = min(due, default=None)
        return sorted(chosen.values(), key=sort_key, reverse=True)

    def _static_files(self) -> dict[str, Path]:
        folder = self.ws.root / STATIC_DIR
        found: dict[str, Path] = {}
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.endswith(".tmp"):
                    found[path.relative_to(folder).as_posix()] = path
        return found

    def _drop_clashes(self, posts: list[Post], static_files: dict[str, Path]) -> list[Post]:
        taken = set(SECTIONS) | {name.split("/", 1)[0] for name in static_files}
        kept = []
        for post in posts:
            if post.slug in taken:
                self.result.warnings.append(
                    f"{post.rel}: the slug {post.slug!r} is a site folder ({post.slug}/); the post is left out (rename it)"
                )
            else:
                kept.append(post)
        return kept

    # -- post pages -------------------------------------------------------------------------------

    def _post_pages(self, posts: list[Post], ledgers: list[_Chunk]) -> None:
        """Every post page, rendered where its inputs changed. Pages outside any series need no
        promise ledger: they go to the workers first, while the ledgers are still being made."""
        kept = []
        for post in posts:
            if f"{post.slug}/index.html" in self.static_paths:
                self.result.warnings.append(f"{post.rel}: static/{post.slug}/index.html takes the place of this post's page")
            else:
                kept.append(post)
        early = self._post_tasks([post for post in kept if not post.series])
        chunks = self._hand_out("posts", early) if self._use_pool(len(early)) else None
        self.site.keep_promises(self._ledgers(ledgers))
        late = self._post_tasks([post for post in kept if post.series])
        if chunks is None and self._use_pool(len(early) + len(late)):
            chunks = self._hand_out("posts", early)
        if chunks is not None:
            chunks += self._hand_out("posts", late)
        for rel, src, out_entry, wrote, rendered, body_html in self._run(early + late, chunks):
            if body_html is not None:
                self.body_html[rel] = body_html
            self.sources[rel] = src
            self.outputs[f"{rel.split('/', 1)[1][:-3]}/index.html"] = out_entry
            self.result.written += wrote
            self.result.unchanged += not wrote
            self.result.rendered_posts += rendered

    def _post_tasks(self, posts: list[Post]) -> list[tuple]:
        """What `render_post_task` needs for each post whose page is not up to date."""
        tasks = []
        for post in posts:
            out_rel = f"{post.slug}/index.html"
            ctx = self.site.post_context(post)
            src_stat = self._source_stat(post.rel)
            if src_stat is None:
                continue
            old_src = self.old_sources.get(post.rel)
            old_out = self.old_outputs.get(out_rel)
            if old_src and old_src[:2] == src_stat and old_out:
                key = _hash(self.setup.common, "post", old_src[2], ctx)
                if old_out[0] == key and _stat_matches(f"{self.out}/{out_rel}", old_out):
                    self.sources[post.rel] = old_src
                    self.outputs[out_rel] = old_out
                    self.result.unchanged += 1
                    continue
            tasks.append((post, out_rel, ctx, src_stat, old_src, old_out, post.rel in self.site.in_feeds))
        return tasks

    def _run(self, tasks: list[tuple], chunks: list[_Chunk] | None):
        """The results of the post tasks, from the workers' `chunks` or rendered here."""
        total = len(tasks)
        if self.progress:
            self.progress(0, total)
        if chunks is None:
            for done, task in enumerate(tasks, start=1):
                yield render_post_task(self.setup, task)
                if self.progress:
                    self.progress(done, total)
            return
        done = 0
        for results in self.pool.results(chunks):
            yield from results
            done += len(results)
            if self.progress:
                self.progress(done, total)

    # -- everything else --------------------------------------------------------------------------

    def _kept(self, out_rel: str, key: str) -> bool:
        """True (and recorded as unchanged) when the last build made this output from the same
        inputs and its file is still as that build left it."""
        old = self.old_outputs.get(out_rel)
        if old and old[0] == key and _stat_matches(f"{self.out}/{out_rel}", old):
            self.outputs[out_rel] = old
            self.result.unchanged += 1
            return True
        return False

    def emit(self, out_rel: str, inputs: object, produce: Callable[[], bytes], *, static: bool = False) -> None:
        """One output: rendered only if its inputs changed or its file is not as we left it.

        The first claim on a path wins (post pages come first), except that a file of the
        workspace's static/ folder always wins over a generated page.
        """
        if out_rel in self.outputs or (out_rel in self.static_paths and not static):
            return
        key = _hash(self.setup.common, out_rel, inputs)
        if self._kept(out_rel, key):
            return
        wrote, st = write_if_changed(self.out / out_rel, produce())
        self.outputs[out_rel] = [key, st.st_size, st.st_mtime_ns]
        self.result.written += wrote
        self.result.unchanged += not wrote

    def page(self, out_rel: str, template: str, inputs: dict | Callable[[], dict], identity: object = None) -> None:
        """A page from a template and exactly the data it shows; queued if it must be rendered.

        `identity`, when given, stands for that data in the key (cheaper to hash: the listed posts'
        source digests rather than their views), and `inputs` may then be a function, called here
        only if the page must be rendered."""
        if out_rel in self.outputs or out_rel in self.static_paths:
            return
        key = _hash(self.setup.common, out_rel, inputs if identity is None else identity)
        if self._kept(out_rel, key):
            return
        self.outputs[out_rel] = []  # claimed; `_render_queued` fills in the entry
        self.queued.append((out_rel, template, inputs() if callable(inputs) else inputs, key))
        if len(self.queued) >= PAGE_CHUNK and self.pool is not None and not self.pool.broken:
            self.page_chunks.append(self.pool.submit("pages", self.queued))  # rendered while more are declared
            self.queued = []

    def _render_queued(self) -> None:
        """Render the queued pages: in the worker processes when they run or there are many."""
        jobs, self.queued = self.queued, []
        chunks, self.page_chunks = self.page_chunks, []
        if chunks or self._use_pool(len(jobs)):
            chunks += [self.pool.submit("pages", jobs[i : i + PAGE_CHUNK]) for i in range(0, len(jobs), PAGE_CHUNK)]
            results = (result for chunk_results in self.pool.results(chunks) for result in chunk_results)
        else:
            results = (render_page_job(self.setup, job) for job in jobs)
        for out_rel, entry, wrote in results:
            self.outputs[out_rel] = entry
            self.result.written += wrote
            self.result.unchanged += not wrote

    def _derived_pages(self, posts: list[Post]) -> None:
        from blogcli.ops.build_pages import write_derived_pages

        extracted = {p.rel: self.sources[p.rel][3] for p in posts if p.rel in self.sources}
        write_derived_pages(self, posts, extracted)

    def _static(self, static_files: dict[str, Path]) -> None:
        from blogcli.render.site import stylesheet

        for out_rel, path in static_files.items():
            st = path.stat()
            self.emit(out_rel, ["static", st.st_size, st.st_mtime_ns], path.read_bytes, static=True)
        self.emit(STYLESHEET, "stylesheet", stylesheet)

    def _remove_stale(self) -> None:
        stale = [rel for rel in self.old_outputs if rel not in self.outputs]
        if not self.had_manifest and not self.out_was_empty:
            stale = [rel for rel in _site_files(self.out) if rel not in self.outputs]
        folders = set()
        for rel in stale:
            path = self.out / rel
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except IsADirectoryError:
                continue
            self.result.removed += 1
            folders.add(path.parent)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            while folder != self.out and self.out in folder.parents:
                try:
                    folder.rmdir()
                except OSError:
                    break
                folder = folder.parent


def _site_files(out: Path) -> list[str]:
    """Every file in a built site but hidden top-level entries (the marker, a deploy's .git)."""
    found = []
    for folder, dirs, files in os.walk(out):
        if Path(folder) == out:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            files = [f for f in files if not f.startswith(".")]
        for name in files:
            found.append(Path(folder, name).relative_to(out).as_posix())
    return found


def _engine_version(engine: str) -> str:
    module = "cmarkgfm" if engine == "cmark" else "markdown"
    try:
        return f"{engine} {__import__(module).__version__}"
    except (ImportError, AttributeError):
        return engine


class _SeriesScope:
    """The workspace as the promise ledger sees it, narrowed to one series' posts.

    The ledger looks series up by scanning `ws.posts`; handing it only the series' own posts keeps
    each series' ledger proportional to its length rather than to the whole blog.
    """

    def __init__(self, ws: Workspace, posts: list[Post]):
        self._ws = ws
        self.posts = posts
        self._indexed = {post.rel: post for post in posts}

    def __getattr__(self, name: str):
        return getattr(self._ws, name)

    def load(self, rel: str) -> Post:
        """The indexed post with its file's text: the ledger reads bodies, and the index already
        holds the header's fields, so the header is not parsed again."""
        from dataclasses import replace

        from blogcli.errors import UnreadableFile
        from blogcli.model.document import Document

        try:
            data = self._ws.path_of(rel).read_bytes()
        except OSError as exc:
            raise UnreadableFile(f"cannot read ({exc.strerror})", path=rel) from None
        return replace(self._indexed[rel], doc=Document.from_bytes(data, rel))


def series_promises(ws: Workspace, name: str, posts: list[Post]) -> list[dict]:
    """The series' promises as the site shows them: the text, the posts that made it, who keeps it."""
    from blogcli.ops.promises import promise_ledger

    return [
        {"text": p.text, "made_in": list(p.made_in), "keeper": p.fulfilled_by}
        for p in promise_ledger(_SeriesScope(ws, posts), name)
    ]


def _series_ledgers(setup: _Setup, jobs: list[tuple[str, str, list[Post]]]) -> list[tuple[str, list[dict]]]:
    ws = Workspace(Path(setup.root), setup.config)
    return [(key, series_promises(ws, name, posts)) for key, name, posts in jobs]


_JOBS = {"posts": _render_posts, "pages": _render_pages, "ledgers": _series_ledgers}  # what `_in_worker` runs


class _SiteModel:
    """Series (parts in order, neighbours among the visible parts) and their promises."""

    def __init__(self, posts: list[Post], config: Config, prefix: str):
        from blogcli.model.series import series_key
        from blogcli.ops.build_pages import FEED_ENTRIES
        from blogcli.ops.series import series_parts

        self.prefix = prefix
        self.config = config
        self.visible = {p.slug: p for p in posts}
        groups: dict[str, list[Post]] = {}
        for post in posts:
            if post.series:
                groups.setdefault(series_key(post.series), []).append(post)
        self.series = {key: series_parts(parts, parts[0].series) for key, parts in groups.items()}
        self.position = {p.rel: (key, i) for key, parts in self.series.items() for i, p in enumerate(parts)}
        self.counts = {key: max(len(parts), max((p.part or 0) for p in parts)) for key, parts in self.series.items()}
        self.titles: dict[str, str] = {}
        self.sections: dict[str, dict] | None = None
        self.in_feeds = {p.rel for p in [p for p in posts if p.folder == PUBLISHED][:FEED_ENTRIES]}
        for parts in self.series.values():
            self.in_feeds.update(p.rel for p in [p for p in reversed(parts) if p.folder == PUBLISHED][:FEED_ENTRIES])
        self.promise_of: dict[str, dict] = {}  # slug → the last promise that post made or repeated

    def keep_promises(self, promises: dict[str, list[dict]]) -> None:
        """The series' ledgers (they come after the model: pages outside series do not wait for them)."""
        for ledger in promises.values():
            for promise in ledger:
                for slug in promise["made_in"]:
                    self.promise_of[slug] = promise

    def _config_for(self, key: str):
        """blog.toml narrowed to the sections that can name this series (matched by slug or title),
        so ops.series' lookups cost one section, not one per series of the blog."""
        if self.sections is None:
            from blogcli.model.series import series_key

            self.sections = {}
            for section, settings in self.config.series.items():
                title = settings.get("title") if isinstance(settings, dict) else None
                for slug in {series_key(section), series_key(title) if isinstance(title, str) else None} - {None}:
                    self.sections.setdefault(slug, {})[section] = settings
        return SimpleNamespace(series=self.sections.get(key, {}))

    def series_title(self, key: str) -> str:
        from blogcli.ops.series import series_title

        if key not in self.titles:
            self.titles[key] = series_title(self._config_for(key), self.series[key][0].series)
        return self.titles[key]

    def series_settings(self, key: str) -> dict:
        from blogcli.ops.series import series_settings

        return series_settings(self._config_for(key), self.series[key][0].series)

    def series_url(self, key: str) -> str:
        return f"{self.prefix}series/{key}/"

    def link(self, post: Post | None) -> dict | None:
        return {"title": post.display_title, "url": f"{self.prefix}{post.slug}/"} if post else None

    def promise(self, post: Post) -> dict | None:
        """What `post` promised comes next, with a link once a post on the site keeps it."""
        promise = self.promise_of.get(post.slug)
        if promise is None:
            return None
        keeper = self.visible.get(promise["keeper"]) if promise["keeper"] else None
        return {"text": promise["text"], "kept_by": self.link(keeper)}

    def post_context(self, post: Post) -> dict:
        """What a post page shows of other posts: its place in the series and what it promised.

        Neighbours are the visible parts around it (not ops.series.neighbours, which counts
        drafts and planned parts a reader cannot open).
        """
        if not post.series:
            return {}
        key, index = self.position[post.rel]
        parts = self.series[key]
        latest = index == len(parts) - 1
        promise = self.promise(post)
        return {
            "series": {
                "title": self.series_title(key),
                "url": self.series_url(key),
                "part": post.part or index + 1,
                "count": self.counts[key],
                "prev": self.link(parts[index - 1]) if index > 0 else None,
                "next": self.link(parts[index + 1]) if not latest else None,
                "latest": latest,
            },
            # "Coming next" on the latest part; a link to the keeper once it is published
            "teaser": promise if promise and (promise["kept_by"] or latest) else None,
        }
