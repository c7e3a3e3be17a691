"""Atom feeds and the sitemap: declared for the build, and written as XML text by hand.

Not templates: a feed must stay valid XML whatever a title holds (markup, control characters),
so every text goes through `_text()` and no override can break the structure (the sitemap's
URLs, percent-encoded to ASCII but for the base URL, need only their `&` escaped: see
`make_sitemap`). Entry ids are fixed at first publish: the front-matter `id` when the post has
one, else a `tag:` URI from the domain, the first publish day and the slug the post had then
(its first alias after a rename).

A feed's key holds its entries' paths and source digests, so it is written again only when one
of them changed, by `make_feed` in the worker processes; the HTML of its entries is kept by the
post pages (`keep_bodies`, in `.blog/cache/feed-bodies.sqlite`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple
from urllib.parse import urlsplit

from blogcli.model.post import Post
from blogcli.site.manifest import instant
from blogcli.site.urls import url_for, url_path
from blogcli.site.views import printable
from blogcli.workspace import cachedb
from blogcli.workspace.paths import real_folder
from blogcli.workspace.store import CACHE_DIR

if TYPE_CHECKING:
    import sqlite3

    from blogcli.site.emitter import BuildState, Emitter
    from blogcli.site.settings import BuildSettings

ATOM_NS = "http://www.w3.org/2005/Atom"
_EPOCH = "1970-01-01T00:00:00Z"


def entry_id(post, config) -> str:
    """The post's permanent Atom id: `id` from its front matter, else derived so it survives renames."""
    given = post.meta.get("id") if post.meta else None
    if isinstance(given, str) and given.strip():
        return given.strip()
    aliases = post.meta.get("aliases") if post.meta else None
    if isinstance(aliases, str):
        aliases = [aliases]
    first_slug = str(aliases[0]).strip("/") if isinstance(aliases, list) and aliases else post.slug
    host = urlsplit(config.base_url).hostname or "localhost"
    when = post.date or post.created
    day = when.date().isoformat() if when else "2000-01-01"
    return f"tag:{host},{day}:/{first_slug}/"


def _text(value: str) -> str:
    """Character data, escaped as xml.sax.saxutils.escape does (that module imports urllib.request,
    http.client, email and ssl: ~50 ms of every build's start)."""
    return printable(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _attr(value: str) -> str:
    """A quoted attribute value, as xml.sax.saxutils.quoteattr writes it."""
    text = _text(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'



@dataclass
class FeedEntry:
    title: str
    url: str
    id: str
    published: str
    updated: str
    summary: str | None = None
    content_html: str | None = None
    tags: list[str] = field(default_factory=list)


def atom_feed(*, title: str, subtitle: str, author: str, language: str, site_url: str, feed_url: str, feed_id: str,
              entries: list[FeedEntry]) -> str:
    """A complete Atom 1.0 document; `updated` is the newest entry's, so a rebuild gives the same bytes."""
    updated = max((e.updated for e in entries), default=_EPOCH)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang={_attr(language or "en")}>',
        f"  <title>{_text(title)}</title>",
    ]
    if subtitle:
        lines.append(f"  <subtitle>{_text(subtitle)}</subtitle>")
    lines += [
        f'  <link href={_attr(site_url)} rel="alternate" type="text/html"/>',
        f'  <link href={_attr(feed_url)} rel="self" type="application/atom+xml"/>',
        f"  <id>{_text(feed_id)}</id>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{_text(author or title)}</name></author>",
        '  <generator uri="https://pypi.org/project/blogcli/">blogcli</generator>',
    ]
    for entry in entries:
        lines += [
            "  <entry>",
            f'    <title type="text">{_text(entry.title)}</title>',
            f'    <link href={_attr(entry.url)} rel="alternate" type="text/html"/>',
            f"    <id>{_text(entry.id)}</id>",
            f"    <published>{entry.published}</published>",
            f"    <updated>{entry.updated}</updated>",
        ]
        lines += [f"    <category term={_attr(tag)}/>" for tag in entry.tags]
        if entry.summary:
            lines.append(f'    <summary type="text">{_text(entry.summary)}</summary>')
        if entry.content_html is not None:
            lines.append(f'    <content type="html">{_text(entry.content_html)}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


# --- in the build --------------------------------------------------------------------------------


class FeedItem(NamedTuple):
    """What a feed's file is made from (`make_feed`, in the worker processes when they run)."""

    title: str
    subtitle: str
    author: str
    language: str
    site_url: str
    feed_url: str
    entries: list[tuple[FeedEntry, str, str | None]]  # each entry without its content, its post's path and body key


def declare_feed(emit: Emitter, state: BuildState, output: str, title: str, subtitle: str, site_path: str,
                 entries: list[Post]) -> None:
    """An Atom feed of full posts with absolute URLs, written only when one of its entries changed."""
    ws, sources = state.ws, state.sources
    base = ws.config.base_url
    inputs = [title, subtitle, site_path, [[p.rel, sources[p.rel].digest] for p in entries if p.rel in sources]]

    def item() -> FeedItem:
        feed_entries = []
        for post in entries:
            first = post.date or post.created
            last = post.updated if post.updated and first and post.updated > first else first
            source = sources.get(post.rel)
            entry = FeedEntry(
                title=post.display_title,
                url=url_for(post, base),
                id=(source.extract.feed_id if source else None) or post.slug,
                published=ws.format_date(first) if first else _EPOCH,
                updated=ws.format_date(last) if last else _EPOCH,
                summary=post.summary,
                tags=post.tags,
            )
            feed_entries.append((entry, post.rel, body_key(state.settings, source.digest) if source else None))
        site_url = base + url_path(site_path)
        return FeedItem(title, subtitle, ws.config.author, ws.config.language, site_url, base + url_path(output),
                        feed_entries)

    emit.file_job(output, inputs, make_feed, item)


def make_feed(settings: BuildSettings, item: FeedItem) -> bytes:
    """A feed's file: its entries' bodies as the post pages kept them (`kept_bodies`), else rendered
    from the post file and kept (a publish renders one body, not twenty, and loads no Pygments
    lexer for code in the other nineteen)."""
    kept = kept_bodies(settings, [(rel, key) for _entry, rel, key in item.entries if key])
    entries, made = [], []
    for entry, rel, key in item.entries:
        html = kept.get(rel) if key else None
        if html is None:
            from blogcli.model.document import Document

            html = settings.body_html(Document.from_bytes((Path(settings.root) / rel).read_bytes(), rel).body)
            if key:
                made.append((rel, key, html))
        entries.append(replace(entry, content_html=absolute_urls(html, settings.base, settings.config.base_url)))
    keep_bodies(settings, made)
    return atom_feed(title=item.title, subtitle=item.subtitle, author=item.author, language=item.language,
                     site_url=item.site_url, feed_url=item.feed_url, feed_id=item.site_url,
                     entries=entries).encode("utf-8")


def body_key(settings: BuildSettings, digest: str) -> str:
    """What a post's body HTML in a feed is made from: the build settings and the post file's bytes."""
    return f"{settings.key} {digest}"


# -- the kept bodies ------------------------------------------------------------------------------
#
# One SQLite file, `.blog/cache/feed-bodies.sqlite`: a row per post a feed lists (its path, the
# key it was made under, a CRC32 of the HTML, the HTML as UTF-8). The two post workers write it at
# once (WAL; each waits for the other's transaction), one transaction per chunk of posts. A file
# per body (~3,600 at 10,000 posts) cost a full build 1.8-2.9 s of CPU, where the store costs
# 0.53-0.59 s (three full builds each, timed in-process); a transaction per body would cost about
# as much as the files. A cache like any other: the file is opened only when it and its WAL files
# are regular files in a real folder (never through a link, never a FIFO), a row is used only
# under its exact key with its CRC32 right (synchronous=off: a power cut may garble a page), and
# any SQLite error is "no body". A store that is not a database (or not ours) is removed by the
# build's main process (`forget_bodies_but`), and made afresh.

BODY_STORE = "feed-bodies.sqlite"
_BUSY_SECONDS = 5  # the longest a worker waits for the other's transaction (a chunk's is ~10-50 ms)
_OLD_BODY_FOLDER = "feed-bodies"  # the file-per-body cache of earlier versions, removed when found
# A store that stayed locked (by another program) for _BUSY_SECONDS is not tried again by this
# process while its files are as they were then: each try would wait as long.
_locked: dict[str, tuple] = {}
# Stores this process found not ours (not a database, garbled, other tables): the main process
# removes them (`forget_bodies_but`), the workers only report what they find by failing.
_not_ours: set[str] = set()
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_NOT_OURS = {1, 11, 26}  # SQLITE_ERROR (no such table or column), SQLITE_CORRUPT, SQLITE_NOTADB


def _store_path(settings: BuildSettings) -> Path:
    return Path(settings.root) / CACHE_DIR / BODY_STORE


def _store_state(path: Path) -> tuple | None:
    """The identities (inode, size, mtime) of the store and its journals, or None when one of its
    files is not a regular file (a symlink, a FIFO, a folder...): such a store is never opened.
    (Not the `-shm` file's: a reader changes it.)"""
    state = []
    for suffix in cachedb.SIDE_SUFFIXES:
        try:
            st = os.lstat(f"{path}{suffix}")
        except FileNotFoundError:
            state.append(None)
            continue
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        state.append(None if suffix == "-shm" else (st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(state)


@contextmanager
def _body_store(settings: BuildSettings, create: bool, repair: bool = False) -> Iterator[sqlite3.Connection | None]:
    """A connection to the store, or None when there is none to use. An SQLite error inside the
    block is swallowed (the store is a cache); with `repair`, a store that is not ours is removed."""
    import sqlite3

    path = _store_path(settings)
    if not real_folder(path.parent):
        if not create:
            yield None
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        if not real_folder(path.parent):
            yield None
            return
    state = _store_state(path)
    if state is None or (state[0] is None and not create) or _locked.get(str(path)) == state:
        yield None
        return
    db = None
    try:
        db = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None)
        _set_up(db, create)
    except sqlite3.Error as exc:
        _failed(path, db, exc, repair)
        yield None
        return
    try:
        yield db
    except sqlite3.Error as exc:
        _failed(path, db, exc, repair)
    finally:
        db.close()  # a transaction left open (an error in it) is rolled back


def _set_up(db: sqlite3.Connection, create: bool) -> None:
    """WAL mode and the table. Two workers making the store at once: one of them gets SQLITE_BUSY
    at once, without the busy timeout (SQLite's answer to two readers that would both write), so
    it tries again until the busy timeout has passed."""
    import sqlite3
    import time

    deadline = time.monotonic() + _BUSY_SECONDS
    while True:
        try:
            db.execute("pragma journal_mode=wal")
            db.execute("pragma synchronous=off")
            if create:
                db.execute("create table if not exists bodies (rel text primary key, key text, crc int, body blob)")
            return
        except sqlite3.OperationalError as exc:
            if (exc.sqlite_errorcode or 0) & 0xFF not in _BUSY or time.monotonic() > deadline:
                raise
        time.sleep(0.01)


def _failed(path: Path, db: sqlite3.Connection | None, exc: sqlite3.Error, repair: bool) -> None:
    """After an SQLite error: a store locked for _BUSY_SECONDS is remembered as such; one that is
    not ours is removed with `repair`, else remembered for `forget_bodies_but` to remove."""
    if db is not None:
        db.close()
    code = (exc.sqlite_errorcode or 0) & 0xFF  # the primary result code
    if code in _BUSY:
        _locked[str(path)] = _store_state(path)
    elif code in _NOT_OURS:
        if repair:
            _remove_store(path)
        else:
            _not_ours.add(str(path))


def _remove_store(path: Path) -> None:
    _not_ours.discard(str(path))
    cachedb.discard(path)


def keep_bodies(settings: BuildSettings, bodies: list[tuple[str, str, str]]) -> None:
    """Keep posts' body HTML for the feeds, `(path, key, html)` each, in one transaction (the post
    workers do, for each chunk of posts, of the pages a feed lists). The build's main process
    then never holds the ~30 MB of them all."""
    if not bodies:
        return
    rows = [(rel, key, zlib.crc32(data), data) for rel, key, html in bodies for data in (html.encode("utf-8"),)]
    with _body_store(settings, create=True) as db:
        if db is not None:
            db.execute("begin immediate")
            db.executemany("insert or replace into bodies values (?, ?, ?, ?)", rows)
            db.execute("commit")


def kept_bodies(settings: BuildSettings, wanted: list[tuple[str, str]]) -> dict[str, str]:
    """The bodies `keep_bodies` kept of `(path, key)` pairs, by path: only one kept under that very
    key, its CRC32 right and UTF-8 (the store is distrusted: a body is escaped as text in the feed)."""
    found: dict[str, str] = {}
    if not wanted:
        return found
    keys = dict(wanted)
    with _body_store(settings, create=False) as db:
        if db is None:
            return found
        marks = ", ".join("?" * len(keys))
        rows = db.execute(f"select rel, key, crc, body from bodies where rel in ({marks})", list(keys))
        for rel, key, crc, body in rows:
            if keys.get(rel) == key and type(body) is bytes and zlib.crc32(body) == crc:
                try:
                    found[rel] = body.decode("utf-8")
                except UnicodeDecodeError:
                    pass
    return found


def forget_bodies_but(settings: BuildSettings, rels: set[str]) -> None:
    """Remove the kept bodies of posts no feed lists now (in the build's main process, each build):
    their paths from the table's index (~2 ms at 10,000 posts, where a `delete ... not in` the
    listed paths read every row: ~16 ms), then the few stale rows in one transaction. A store
    that is not a database (garbage bytes, a garbled page) or holds other tables is removed
    instead, and made afresh."""
    old = Path(settings.root) / CACHE_DIR / _OLD_BODY_FOLDER
    if real_folder(old):
        import shutil

        shutil.rmtree(old, ignore_errors=True)
    if str(_store_path(settings)) in _not_ours:  # found so by this process's feeds or post pages
        _remove_store(_store_path(settings))
        return
    with _body_store(settings, create=False, repair=True) as db:
        if db is not None:
            stale = [(rel,) for (rel,) in db.execute("select rel from bodies") if rel not in rels]
            if stale:
                db.execute("begin immediate")
                db.executemany("delete from bodies where rel = ?", stale)
                db.execute("commit")


# A link's or image's URL that is a path on this host. Anchored at the tag's `<`: looking for
# `href=` at every character cost ~60 µs a post, and a full build writes ~7,000 feed entries.
_SITE_URL = re.compile(r'<(?:a|img)\s(?:[^>]*?\s)?(?:href|src)="(?=/(?!/))')


def absolute_urls(body_html: str, base: str, base_url: str) -> str:
    """Feed readers show posts away from the site: site paths (`/slug/`) become full URLs."""
    origin = base_url[: len(base_url) - len(base)] if base_url.endswith(base) else base_url.rstrip("/")
    return _SITE_URL.sub(lambda m: m.group(0) + origin, body_html)


class SitemapItem(NamedTuple):
    """What the sitemap is made from (`make_sitemap`, in the worker processes when they run)."""

    base_url: str
    list_pages: int  # numbered list pages beside the home page
    posts: list[tuple[str, dt.datetime | None]]  # each public post's slug and last change
    other_paths: list[str]  # tags, series, archive, /stats/ and standalone pages, as site paths
    stamps: list[tuple[str, float | None]] | None = None  # the posts as key material (slug, instant), when known


def declare_sitemap(emit: Emitter, state: BuildState, list_pages: int, other_paths: list[str]) -> None:
    """Every page's address: the home and list pages, the posts (with their last change), the
    rest. Made in a worker when they run (`make_sitemap`)."""
    changed = [(p.slug, p.updated if p.updated and p.date and p.updated > p.date else p.date) for p in state.model.public]
    stamps = [(slug, instant(moment)) for slug, moment in changed]
    emit.file_job("sitemap.xml", [list_pages, stamps, other_paths], make_sitemap,
                  lambda: SitemapItem(state.ws.config.base_url, list_pages, changed, other_paths, stamps))


def make_sitemap(settings: BuildSettings, item: SitemapItem) -> bytes:
    """The sitemaps.org XML of every page (a `file_job`: module-level, so it goes to the workers
    by name). A URL is escaped as character data in two parts: the base URL once, and its path,
    which `url_path` has percent-encoded to ASCII where only `&` needs escaping (escaping the
    whole URL, as `_text` does, was a third of the time a URL takes). The posts' lines of a big
    blog come in chunks, kept for the next build (`_post_chunks`)."""
    from blogcli.model.dates import format_datetime, zone

    tz, base = zone(settings.config.timezone), _text(item.base_url)

    def loc(encoded: str) -> str:  # an absolute URL, from its path under the base URL
        return base + (encoded.replace("&", "&amp;") if "&" in encoded else encoded)

    def post_lines(posts: list[tuple[str, dt.datetime | None]]) -> str:
        return "\n".join(f"  <url><loc>{loc(url_for(slug, ''))}</loc><lastmod>{format_datetime(moment, tz)}</lastmod></url>"
                         if moment else f"  <url><loc>{loc(url_for(slug, ''))}</loc></url>" for slug, moment in posts)

    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             f"  <url><loc>{base}</loc></url>"]
    lines += [f"  <url><loc>{base}page/{n}/</loc></url>" for n in range(1, item.list_pages + 1)]
    lines += _post_chunks(settings, item.posts, item.stamps, base, post_lines)
    lines += [f"  <url><loc>{loc(url_path(path))}</loc></url>" for path in item.other_paths]
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


# -- the sitemap's kept chunks --------------------------------------------------------------------
#
# `.blog/cache/sitemap-posts`: the sitemap's post lines of a blog of more than SITEMAP_CHUNK posts,
# in chunks of SITEMAP_CHUNK posts counted from the oldest (so a new post changes the newest chunk
# alone), each under the key of all it is made from (the escaped base URL, the timezone, its
# posts' slugs and last changes), with a CRC32 and its length: `<key> <crc32 hex> <bytes>\n`, then
# the lines. Making 10,000 URLs and dates was ~20 ms of every publish (reading the kept chunks is
# ~5). A cache like any other (workspace/cachefiles: read and written only as a regular file in a
# real folder): a chunk is used only under its exact key, whole, with its CRC32 right, as UTF-8,
# with a line for each of its posts and nothing but sitemap lines (a crafted file cannot put
# markup into the sitemap); anything else is made again, and the file written afresh.

SITEMAP_CACHE = "sitemap-posts"
SITEMAP_CHUNK = 500
_CHUNK_FORMAT = "sitemap-posts 1"  # part of every chunk's key: a new way of writing the lines starts afresh
_SITEMAP_LINES = re.compile(r"(?:  <url><loc>[^<>&\n]*(?:&(?:amp|lt|gt);[^<>&\n]*)*</loc>"
                            r"(?:<lastmod>[0-9T:+.-]+</lastmod>)?</url>\n)*")


def _post_chunks(settings: BuildSettings, posts: list[tuple[str, dt.datetime | None]],
                 stamps: list[tuple[str, float | None]] | None, base: str,
                 make: Callable[[list[tuple[str, dt.datetime | None]]], str]) -> list[str]:
    """The posts' lines, newest first, as chunks of text made by `make` or kept from the last
    build; `stamps`: the posts' slugs and instants (declare_sitemap's key material), if known."""
    if len(posts) <= SITEMAP_CHUNK:
        return [make(posts)] if posts else []
    from blogcli.site.manifest import key_of
    from blogcli.workspace.cachefiles import write_cache_file

    if stamps is None or len(stamps) != len(posts):
        stamps = [(slug, instant(moment)) for slug, moment in posts]
    path = Path(settings.root) / CACHE_DIR / SITEMAP_CACHE
    kept = _kept_chunks(path)
    chunks, made = [], False
    for end in range(len(posts), 0, -SITEMAP_CHUNK):  # from the oldest
        start = max(0, end - SITEMAP_CHUNK)
        part = posts[start:end]
        key = key_of(_CHUNK_FORMAT, base, settings.config.timezone or "", stamps[start:end])
        text = kept.get(key)
        if text is None or text.count("\n") != len(part) - 1:
            text, made = make(part), True
        chunks.append((key, text))
    if made or len(kept) != len(chunks):
        records = [(key, text.encode("utf-8")) for key, text in chunks]
        write_cache_file(path, b"".join(b"%s %08x %d\n%s" % (key.encode("ascii"), zlib.crc32(data), len(data), data)
                                        for key, data in records))
    return [text for _key, text in reversed(chunks)]


def _kept_chunks(path: Path) -> dict[str, str]:
    """The chunks the file holds, by key: each whole, its CRC32 right, UTF-8 and sitemap lines only."""
    from blogcli.workspace.cachefiles import read_cache_file

    data = read_cache_file(path) or b""
    found: dict[str, str] = {}
    at = 0
    while at < len(data):
        end = data.find(b"\n", at)
        try:
            key, crc, size = data[at:end].split(b" ") if end >= 0 else ()
            key, crc, size = key.decode("ascii"), int(crc, 16), int(size)
        except (ValueError, UnicodeDecodeError):
            break  # not a chunk's first line: nothing after it can be found
        if size < 0:
            break
        body, at = data[end + 1 : end + 1 + size], end + 1 + size
        if len(body) != size or zlib.crc32(body) != crc:
            continue
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _SITEMAP_LINES.fullmatch(text + "\n"):
            found[key] = text
    return found
