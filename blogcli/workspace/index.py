"""A cache of every post's front matter, so listing 10,000 posts does not parse 10,000 headers.

SQLite under `.blog/cache/`, one row per file keyed by path, size, mtime and inode: a row whose
file changed (or vanished) is re-read on the spot, so the cache can be deleted at any time and
never answers with stale data. A file modified in the last seconds is not cached at all (a second
same-size edit within the filesystem's timestamp granularity would look unchanged: git's "racy
clean" problem). A row is served only if it validates (a CRC32 of its fields, and their types):
the database runs with synchronous=off, and a power cut can garble a page while the file's key
stays the same. A cache that cannot be opened is rebuilt; one that cannot be written is skipped,
and the files are read instead.
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import sqlite3
import stat
import sys
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from blogcli.errors import FileError
from blogcli.model.post import Post, Problem, load_post
from blogcli.model.slug import slug_of_file
from blogcli.workspace.cachedb import clear_unsafe, discard
from blogcli.workspace.config import is_settled
from blogcli.workspace.paths import is_inside
from blogcli.workspace.watch import WATCH_FROM, FolderWatch, watch_folders

INDEX_VERSION = "7"
# marshal's format belongs to the Python version: a new one starts the cache afresh.
_FORMAT = f"{INDEX_VERSION} marshal-{marshal.version} python-{sys.version_info[0]}.{sys.version_info[1]}"


def post_summary(post: Post, dates: tuple[str | None, str | None, str | None] | None = None) -> dict:
    """A post's metadata as scripts see it (`blog list --json`, without the clock-dependent status).
    `dates`: its `_iso_dates`, when already made."""
    date, created, updated = dates or _iso_dates(post)
    return {
        "slug": post.slug,
        "title": post.title,
        "path": post.rel,
        "series": post.series,
        "part": post.part,
        "tags": post.tags,
        "date": date,
        "created": created,
        "updated": updated,
        "words": post.words,
        "summary": post.summary,
        "next": post.next,
    }


def _iso_dates(post: Post) -> tuple[str | None, str | None, str | None]:
    """The post's date, created and updated as ISO text (None where not set)."""
    return tuple(None if value is None else value.isoformat() for value in (post.date, post.created, post.updated))


def summary_json(post: Post, dates: tuple[str | None, str | None, str | None] | None = None) -> str:
    """`post_summary` as JSON text; kept in the index so listing 10,000 posts encodes nothing."""
    cached = getattr(post, "summary_json", None)
    return cached if cached is not None else _JSON.encode(post_summary(post, dates))


_JSON = json.JSONEncoder(ensure_ascii=False)  # `json.dumps(…, ensure_ascii=False)`, made once, not per post


@dataclass
class IndexedPost(Post):
    """A post read from the index: no body, and its summary already encoded (when the scan took
    it: `summary_json` makes it otherwise; it follows from the other fields, so equality leaves it out)."""

    summary_json: str | None = field(default=None, compare=False)


def post_fields(post: Post, encoded: bool = True) -> bytes:
    """The post's fields as `read_fields` hands them over: one marshalled tuple (dates as ISO
    text), decoded in C, the JSON of `summary_json` last (`encoded=False` leaves it out, for a
    cache that never lists posts). The index keeps that JSON in a column of its own (`_row`)."""
    dates = _iso_dates(post)
    return marshal.dumps((*_field_values(post, dates), summary_json(post, dates) if encoded else None))


def _field_values(post: Post, dates: tuple[str | None, str | None, str | None]) -> tuple:
    """What every scan reads of a post, in the order `post_fields` and the index's rows keep it."""
    return (post.title, *dates, post.tags, post.series, post.part, post.summary, post.next, post.fulfils, post.words,
            post.has_body, [p.as_dict() for p in post.problems])


def post_from_fields(rel: str, fields: bytes, folder: str | None = None, slug: str | None = None) -> IndexedPost:
    """The post `post_fields` stored (`folder` and `slug` come from `rel` unless given). Arguments
    by position, in the dataclass's field order (a third faster than by name over 10,000 posts;
    tests/test_index.py checks the round trip)."""
    title, date, created, updated, tags, series, part, summary, next_, fulfils, words, has_body, problems, encoded = (
        marshal.loads(fields)
    )
    if folder is None or slug is None:
        folder, name = rel.split("/", 1)
        slug = slug_of_file(name)
    return IndexedPost(
        rel, folder, slug, None, {}, [Problem(**p) for p in problems] if problems else [], title,
        _from_iso(date) if date else None, _from_iso(created) if created else None, _from_iso(updated) if updated else None,
        tags, series, part, summary, next_, fulfils, words, has_body, encoded,
    )


_from_iso = dt.datetime.fromisoformat
_TEXT = {str, type(None)}
_STR = {str}
_PART = (int, type(None))
_GARBLED = (ValueError, TypeError, EOFError, KeyError, AttributeError)  # what a garbled row's fields raise


def cached_posts(entries: list[tuple[tuple, str, str]]) -> tuple[list[IndexedPost], list[tuple[tuple, str, str]]]:
    """The posts that `file_changes`' unchanged entries `(row, folder, name)` hold, and the entries
    whose row does not validate: a page garbled by a power cut (the index runs with synchronous=off;
    the CRC32 of the fields catches it) or a hand edit (the types of the fields every command relies
    on). Their files are read instead. Dates are checked by being parsed. A row fetched with its
    listing (`Index.rows(listing=True)`) gives the post its `summary_json` when that checks too
    (else it is encoded again when asked for: it follows from the fields).

    `post_from_fields` and the checks, inlined in one loop: two calls less per row, and the types
    checked on the decoded tuple before any post is made (~4 ms less CPU over 10,000 rows, of
    ~40; best of 15 on a busy 2-core machine). Checking a column at a time, with `map` over
    `zip(*rows)`, was slower: each pass goes through 10,000 posts' objects again."""
    posts: list[IndexedPost] = []
    invalid = []
    add, crc32, loads, make, text = posts.append, zlib.crc32, marshal.loads, IndexedPost, _TEXT
    for entry in entries:
        row, folder, name = entry
        fields = row[4]
        if type(fields) is bytes and crc32(fields) == row[5]:
            try:
                title, date, created, updated, tags, series, part, summary, next_, fulfils, words, has_body, problems = (
                    loads(fields)
                )
                if (
                    {type(title), type(series), type(summary), type(next_), type(fulfils)} <= text
                    and type(tags) is list and set(map(type, tags)) <= _STR
                    and type(part) in _PART and type(words) is int and type(has_body) is bool
                ):
                    encoded = None
                    if len(row) > 6:
                        listing = row[6]
                        if type(listing) is bytes and crc32(listing) == row[7]:
                            encoded = listing.decode()
                    add(make(
                        row[0], folder, name[:-3] if name.isascii() else slug_of_file(name), None, {},
                        [Problem(**p) for p in problems] if problems else [], title, _from_iso(date) if date else None,
                        _from_iso(created) if created else None, _from_iso(updated) if updated else None,
                        tags, series, part, summary, next_, fulfils, words, has_body, encoded,
                    ))
                    continue
            except _GARBLED:
                pass
        invalid.append(entry)
    return posts, invalid


class Index:
    """The SQLite file; every failure degrades to "nothing cached", never to an error."""

    def __init__(self, path: Path, tz: dt.tzinfo):
        self.path = path
        self.db: sqlite3.Connection | None = None
        # Dates without an offset are read in the blog's timezone: a new timezone invalidates them.
        stamp = f"{_FORMAT} {tz}"
        for _attempt in range(2):
            try:
                self.db = self._open(stamp)
                return
            except sqlite3.DatabaseError:
                discard(self.path)  # not a database (corrupt, truncated): start afresh
            except (sqlite3.Error, OSError):
                return

    def _open(self, stamp: str) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        clear_unsafe(self.path)  # SQLite would follow a symlink, block on a FIFO
        db = sqlite3.connect(self.path, timeout=2, isolation_level=None)
        try:
            db.execute("pragma journal_mode=wal")
            db.execute("pragma synchronous=off")
            db.execute("create table if not exists meta (key text primary key, value text)")
            row = db.execute("select value from meta where key='stamp'").fetchone()
            if not row or row[0] != stamp:
                db.execute("drop table if exists posts")
                db.execute("insert or replace into meta values ('stamp', ?)", (stamp,))
            db.execute("create table if not exists posts (rel text primary key, size int, mtime int, ino int, fields blob, crc int,"
                       " listing blob, listing_crc int)")
        except BaseException:
            db.close()
            raise
        return db

    def rows(self, listing: bool = False) -> dict[str, tuple]:
        """rel → (rel, size, mtime, ino, fields, crc) of every cached file, and (listing,
        listing_crc) with `listing`: the JSON of `summary_json`, kept apart from the fields so
        that a scan with no use for it (a build) neither fetches nor checks it (-7 ms at 10,000
        posts, best of 11: it is two thirds of a row's bytes)."""
        if self.db is None:
            return {}
        query = f"select rel, size, mtime, ino, fields, crc{', listing, listing_crc' if listing else ''} from posts"
        try:
            return {row[0]: row for row in self.db.execute(query)}
        except sqlite3.Error:
            return {}

    def update(self, fresh: list[tuple], gone: list[str]) -> None:
        if self.db is None or not (fresh or gone):
            return
        try:
            with self.db:
                self.db.execute("begin")
                self.db.executemany("insert or replace into posts values (?, ?, ?, ?, ?, ?, ?, ?)", fresh)
                self.db.executemany("delete from posts where rel = ?", [(rel,) for rel in gone])
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def read_post(path: str | Path, rel: str, tz: dt.tzinfo) -> Post | Problem:
    """The post in a file, or the problem that keeps it from being read."""
    try:
        return load_post(path, rel, tz)
    except FileError as exc:
        return Problem(rel, exc.line, exc.code, exc.detail)


@contextmanager
def _listed(where: str) -> Iterator[tuple[int, list[str]]]:
    """A descriptor of the folder and its names (none if it is not there): files are then stat'ed
    relative to it, ~20 % cheaper than by path, and names cost less than `os.scandir`'s entries
    (`file_changes` over 10,000 posts: ~45 ms of CPU instead of ~49, best of 40)."""
    try:
        descriptor = os.open(where, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        yield -1, []
        return
    try:
        yield descriptor, os.listdir(descriptor)
    finally:
        os.close(descriptor)


_S_IFMT, _S_IFREG, _S_IFLNK = 0o170000, stat.S_IFREG, stat.S_IFLNK  # st_mode & _S_IFMT: the file's type (stat.S_IFMT)


def is_post_name(name: str) -> bool:
    return name.endswith(".md") and not name.startswith(".")


@dataclass
class FileChanges:
    """What a walk of some folders found, against a cache's rows `(rel, size, mtime_ns, inode, …)`."""

    unchanged: list[tuple[tuple, str, str]]  # (cached row, folder, name): same size, mtime and inode
    stale: list[tuple[str, str, tuple[int, int, int]]]  # (rel, path, key): new or changed since cached
    gone: list[str]  # cached files that are no longer there
    problems: list[Problem]  # files and folders not read (symlinks out of the workspace, stat errors)
    aliased: bool = False  # a wanted file is a symlink or has another name (a hard link): changed elsewhere
    listed: dict[str, list[str]] = field(default_factory=dict)  # each folder walked: every name in it, as listed


def file_changes(
    root: Path, folders: tuple[str, ...], cached: dict[str, tuple], wanted: Callable[[str], bool] = is_post_name
) -> FileChanges:
    """The one freshness check of every cache keyed by file: each `wanted` file of `folders` whose
    size, mtime and inode are those of its cached row is unchanged; any other is stale. Consumes
    `cached`. (A file written in the last seconds must not be trusted next time: `is_settled`.)"""
    changes = FileChanges([], [], [], [])
    problems, unchanged, stale, take, stat_at = changes.problems, changes.unchanged, changes.stale, cached.pop, os.stat
    posts_only = wanted is is_post_name  # then its test is inlined: no call per file
    for folder in folders:
        where = os.path.join(root, folder)
        if not is_inside(root, where) or os.path.realpath(where) == os.path.realpath(root):
            problems.append(Problem(f"{folder}/", None, "unsafe-path", "is a symlink to a folder outside the workspace; not read"))
            continue
        prefix = f"{folder}/"
        with _listed(where) as (descriptor, names):
            changes.listed[folder] = names
            for name in names:
                if not (name.endswith(".md") and not name.startswith(".") if posts_only else wanted(name)):
                    continue
                rel = prefix + name
                try:
                    st = stat_at(name, dir_fd=descriptor, follow_symlinks=False)
                    if st.st_mode & _S_IFMT == _S_IFLNK:
                        if not is_inside(root, os.path.join(where, name)):
                            problems.append(Problem(rel, None, "unsafe-path", "symlink points outside the workspace; not read"))
                            continue
                        changes.aliased = True
                        st = stat_at(name, dir_fd=descriptor)
                except OSError as exc:
                    problems.append(Problem(rel, None, "unreadable", f"cannot read ({exc.strerror})"))
                    continue
                if st.st_mode & _S_IFMT != _S_IFREG:
                    continue
                if st.st_nlink != 1:
                    changes.aliased = True
                row = take(rel, None)
                if row is not None and row[2] == st.st_mtime_ns and row[1] == st.st_size and row[3] == st.st_ino:
                    unchanged.append((row, folder, name))
                else:
                    stale.append((rel, os.path.join(where, name), (st.st_size, st.st_mtime_ns, st.st_ino)))
    changes.gone = list(cached)
    return changes


class Scan(NamedTuple):
    posts: list[Post]  # every readable post, as the index serves it (no body)
    problems: list[Problem]  # one per file not read
    stamps: dict[str, tuple[int, int, int]]  # every post file walked: (size, mtime_ns, inode) before it was read
    watch: FolderWatch | None = None  # set on the folders before that walk, when it sees every change (watch.py)
    listed: dict[str, list[str]] | None = None  # each folder walked: every name in it, as that walk listed it


def _row(rel: str, key: tuple[int, int, int], post: IndexedPost) -> tuple:
    """The index's row of a post read from its file: its fields without the JSON of its listing
    (`summary_json`), which has a column (and a CRC32) of its own."""
    dates = _iso_dates(post)
    fields = marshal.dumps(_field_values(post, dates))
    listing = summary_json(post, dates).encode()
    return (rel, *key, fields, zlib.crc32(fields), listing, zlib.crc32(listing))


FileReader = Callable[[list[tuple[str, str]]], list["bytes | Problem"]]


def read_fields(files: list[tuple[str, str]], tz: dt.tzinfo) -> list[bytes | Problem]:
    """For each `(rel, path)`, the post's fields as the index stores them, or why it is unreadable."""
    results: list[bytes | Problem] = []
    for rel, path in files:
        read = read_post(path, rel, tz)
        results.append(read if isinstance(read, Problem) else post_fields(read))
    return results


def scan_posts(root: Path, folders: tuple[str, ...], tz: dt.tzinfo, cache: Path | None,
               read: FileReader | None = None, listing: bool = False) -> Scan:
    """Every readable post in `folders` (from the cache where fresh), a problem per unreadable
    file, and each file's stamp as the walk found it (`stamps`: a later walk that finds the same
    says the posts are still as read). The files the cache cannot answer for are read by `read`
    (`read_fields` contract, results in order: the build hands a first scan to its workers),
    else here. A big blog's folders are watched from before the walk on (`watch`): a build can
    then tell that nothing changed since without a second walk. `listing`: the posts come with
    their `summary_json` (`blog list --json`), else it is made when asked for."""
    index = Index(cache, tz) if cache is not None else None
    cached = index.rows(listing) if index else {}
    watch = watch_folders(root, folders, is_post_name) if len(cached) >= WATCH_FROM else None
    changes = file_changes(root, folders, cached)
    if watch is not None and changes.aliased:  # a change through a file's other name is not seen there
        watch.close()
        watch = None
    problems = changes.problems
    keys = {rel: key for rel, _, key in changes.stale}  # rel → (size, mtime, inode) of files to read
    stamps = {row[0]: row[1:4] for row, _folder, _name in changes.unchanged}
    stamps.update(keys)
    stale = [(rel, path) for rel, path, _ in changes.stale]
    gone = changes.gone
    posts: list[Post]
    posts, invalid = cached_posts(changes.unchanged)
    for row, folder, name in invalid:  # a row that does not validate: its file is read again
        keys[row[0]] = (row[1], row[2], row[3])
        stale.append((row[0], os.path.join(root, folder, name)))

    fresh: list[tuple] = []
    results = read(stale) if read is not None and stale else read_fields(stale, tz)
    for (rel, _path), fields in zip(stale, results):
        if isinstance(fields, Problem):
            problems.append(fields)
            gone.append(fields.path)
            continue
        # Served as the index serves it, so no body is kept (a first scan of 10,000 posts kept ~60 MB)
        post = post_from_fields(rel, fields)
        posts.append(post)
        key = keys[rel]
        if is_settled(key[1]):
            fresh.append(_row(rel, key, post))
    if index:
        index.update(fresh, gone)
        index.close()
    return Scan(posts, problems, stamps, watch, changes.listed)
