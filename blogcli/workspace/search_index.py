"""The full-text index behind `blog search`: SQLite FTS5 in `.blog/cache/search.sqlite`.

It follows the files with the listing index's own freshness check (`index.file_changes`: size,
mtime and inode; a file written in the last seconds is indexed but not trusted next time): each
search re-indexes exactly the files that changed since the last one, drops those that are gone, and
serves only files that this very search found on disk. It can be deleted at any time; a file that
is not a database, or not this version's, is discarded and made again; where it cannot be written
(read-only disk), the files are indexed in memory for the one search.

One row of `docs` per thing found: a post or page (its front matter's fields, as the listing
index stores them) or one reader comment (which post it belongs to, by whom). The FTS5 table
`text` holds their words (rowid = docs.id), in columns weighted for BM25: a title match counts
ten times a body match.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from blogcli.errors import BlogError, FileError
from blogcli.model.comments import SUFFIX as COMMENTS_SUFFIX
from blogcli.model.comments import parse_comments
from blogcli.model.post import Problem, post_from_bytes
from blogcli.model.search_text import cjk_spaced, plain_text
from blogcli.workspace.cachedb import SIDE_SUFFIXES, discard
from blogcli.workspace.config import is_settled
from blogcli.workspace.fts_tuning import raise_hash_size
from blogcli.workspace.store import POST_FOLDERS
from blogcli.workspace.index import (
    INDEX_VERSION,
    FileChanges,
    IndexedPost,
    file_changes,
    is_post_name,
    post_fields,
    post_from_fields,
)

SEARCH_VERSION = "2"
PAGES = "pages"
# The FTS5 module: a name, so tests can ask for one this SQLite lacks.
FTS_MODULE = "fts5"
COLUMNS = ("title", "summary", "tags", "series", "body", "author")
# BM25 weight of a match in each column, in COLUMNS order.
WEIGHTS = (10.0, 3.0, 4.0, 4.0, 1.0, 2.0)
CHUNK_FILES = 200  # files read, then indexed, at a time
_FORMAT = (
    f"search-{SEARCH_VERSION} index-{INDEX_VERSION} sqlite-{sqlite3.sqlite_version} "
    f"marshal-{marshal.version} python-{sys.version_info[0]}.{sys.version_info[1]}"
)
# SQLite's answers that mean "this file is not a usable index": it is discarded and made again.
_BROKEN = ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_ERROR", "SQLITE_SCHEMA", "SQLITE_MISMATCH", "SQLITE_CONSTRAINT")


class SearchUnavailable(BlogError):
    code = "no-fts5"


def check_fts5() -> None:
    """Raise SearchUnavailable, saying why, when this Python's SQLite has no FTS5."""
    try:
        db = sqlite3.connect(":memory:")
        try:
            db.execute(f"create virtual table probe using {FTS_MODULE}(x)")
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise SearchUnavailable(
            f"blog search needs SQLite's full-text search (FTS5), which the SQLite {sqlite3.sqlite_version} "
            f"of this Python ({sys.executable}) was built without ({exc})",
            hint="use a Python whose sqlite3 has FTS5 (python.org's and most Linux distributions' builds do)",
        ) from None


@dataclass
class Scope:
    """Which files a search looks at: posts always; pages and comments when asked."""

    pages: bool = False
    comments: bool = False

    @property
    def folders(self) -> tuple[str, ...]:
        return (*POST_FOLDERS, PAGES) if self.pages else POST_FOLDERS

    @property
    def wants(self) -> Callable[[str], bool]:
        """Whether a file name in those folders is looked at."""
        if not self.comments:
            return is_post_name
        return lambda name: is_post_name(name) or (name.endswith(COMMENTS_SUFFIX) and not name.startswith("."))

    @property
    def file_kinds(self) -> tuple[str, ...]:
        """The kinds of file (`file_kind`) looked at."""
        kinds = ["post"] + ["page"] * self.pages + ["post comments"] * self.comments
        return (*kinds, "page comments") if self.pages and self.comments else tuple(kinds)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of hit."""
        return ("post",) + (("page",) if self.pages else ()) + (("comment",) if self.comments else ())


def file_kind(rel: str) -> str:
    """post, page, post comments or page comments."""
    kind = "page" if rel.startswith(PAGES + "/") else "post"
    return f"{kind} comments" if rel.endswith(COMMENTS_SUFFIX) else kind


@dataclass
class Row:
    """One hit as the index has it, best first."""

    file: str  # the file the words are in
    kind: str  # post, page or comment
    post: IndexedPost  # the post (or page) they are in, or the comment is on
    comment: tuple | None  # (id, author, date ISO or None, number in its file) for a comment
    score: float  # BM25, higher is better


# -- reading files ----------------------------------------------------------------------------


def read_for_index(rel: str, path: str, tz: dt.tzinfo) -> tuple | Problem:
    """(rel, [(kind, post rel, fields, comment, column texts)]) for one file, or its problem."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        if rel.endswith(COMMENTS_SUFFIX):
            post_rel = rel[: -len(COMMENTS_SUFFIX)] + ".md"
            docs = []
            for number, comment in enumerate(parse_comments(data, rel, tz)):
                meta = (comment.id, comment.author, comment.date.isoformat() if comment.date else None, number)
                texts = ("", "", "", "", cjk_spaced(plain_text(comment.body)), cjk_spaced(comment.author))
                docs.append(("comment", post_rel, None, meta, texts))
            return rel, docs
        post = post_from_bytes(data, rel, tz, words=False)
    except FileError as exc:
        return Problem(rel, exc.line, exc.code, exc.detail)
    except OSError as exc:
        return Problem(rel, None, "unreadable", f"cannot read ({exc.strerror})")
    kind = "page" if post.folder == PAGES else "post"
    texts = tuple(
        cjk_spaced(text)
        for text in (post.title or "", post.summary or "", " ".join(post.tags), post.series or "", plain_text(post.body), "")
    )
    return rel, [(kind, rel, post_fields(post, encoded=False), None, texts)]


# -- the database ---------------------------------------------------------------------------------


class SearchIndex:
    """One open index. `path` None: in memory, for this search only."""

    def __init__(self, path: Path | None, tz: dt.tzinfo):
        self.path = path
        self.tz = tz
        self.db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            db = sqlite3.connect(":memory:", isolation_level=None)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if any(os.path.islink(f"{self.path}{suffix}") for suffix in SIDE_SUFFIXES):
                raise OSError(f"{self.path}: a symlink, not followed")  # SQLite would write where it points
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            # A rollback journal, not WAL: a first index of 10,000 posts written once, not twice
            # (~10 % of its time); a search beside it waits for it to finish.
            db.execute("pragma journal_mode=delete")
            db.execute("pragma synchronous=off")
            stamp = f"{_FORMAT} {self.tz}"
            row = None
            try:
                row = db.execute("select value from meta where key = 'stamp'").fetchone()
            except sqlite3.OperationalError:
                pass  # no meta table: a new file
            if not row or row[0] != stamp:
                self._create(db, stamp)
        except BaseException:
            db.close()
            raise
        return db

    def _create(self, db: sqlite3.Connection, stamp: str) -> None:
        db.execute("begin immediate")
        try:
            made = db.execute("select value from meta where key = 'stamp'").fetchone()
        except sqlite3.OperationalError:
            made = None
        if made and made[0] == stamp:  # a search beside this one has just made it
            db.execute("commit")
            return
        for table in ("meta", "files", "docs", "text"):
            db.execute(f"drop table if exists {table}")
        db.execute("create table meta (key text primary key, value text)")
        db.execute("create table files (rel text primary key, size int, mtime int, ino int, kind text)")
        db.execute(
            "create table docs (id integer primary key, file text not null, kind text not null, "
            "post text not null, fields blob, comment blob)"
        )
        db.execute("create index docs_file on docs(file)")
        db.execute(
            f"create virtual table text using {FTS_MODULE}({', '.join(COLUMNS)}, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        db.execute("insert into text(text, rank) values ('rank', ?)", (f"bm25({', '.join(map(str, WEIGHTS))})",))
        raise_hash_size(db, "text")
        db.execute("insert into meta values ('stamp', ?)", (stamp,))
        db.execute("commit")

    def close(self) -> None:
        self.db.close()

    # -- following the files -------------------------------------------------------------------

    def refresh(self, root: Path, scope: Scope) -> tuple[set[str], list[Problem]]:
        """Index what changed in `scope` since the last search; return the files there are now
        (the only ones a hit may come from) and the problems of those that could not be read."""
        changes, _ = self._changes(root, scope)
        read: set[str] = set()
        if changes.stale or changes.gone:
            db = self.db
            db.execute("begin immediate")
            try:
                # Again under the write lock: a search running beside this one may have just
                # indexed the same files.
                changes, known = self._changes(root, scope)
                outdated = [(rel,) for rel in [*changes.gone, *(rel for rel, _, _ in changes.stale if rel in known)]]
                db.executemany("delete from text where rowid in (select id from docs where file = ?)", outdated)
                db.executemany("delete from docs where file = ?", outdated)
                db.executemany("delete from files where rel = ?", outdated)
                next_id = db.execute("select coalesce(max(id), 0) + 1 from docs").fetchone()[0]
                keys = {rel: key for rel, _, key in changes.stale}
                for results in _read_chunks([(rel, path) for rel, path, _ in changes.stale], self.tz):
                    next_id = self._store(results, keys, next_id, read, changes.problems)
                db.execute("commit")
            except BaseException:
                if db.in_transaction:
                    db.execute("rollback")
                raise
        return {row[0] for row, _, _ in changes.unchanged} | read, changes.problems

    def _changes(self, root: Path, scope: Scope) -> tuple[FileChanges, set[str]]:
        """What changed in `scope`, and which files the index had."""
        kinds = scope.file_kinds
        marks = ", ".join("?" * len(kinds))
        cached = {row[0]: row for row in self.db.execute(f"select rel, size, mtime, ino from files where kind in ({marks})", kinds)}
        known = set(cached)
        return file_changes(root, scope.folders, cached, scope.wants), known

    def _store(self, results: list, keys: dict, next_id: int, read: set[str], problems: list[Problem]) -> int:
        """Put one chunk of files read into the index; returns the next free doc id."""
        files, docs, texts = [], [], []
        for result in results:
            if isinstance(result, Problem):
                problems.append(result)  # not in `files`: read again next time
                continue
            rel, found = result
            read.add(rel)
            size, mtime, ino = keys[rel]
            # A file written in the last seconds may change again unseen (same size and mtime):
            # its row is kept from matching, so the next search reads it again.
            files.append((rel, size if is_settled(mtime) else -1, mtime, ino, file_kind(rel)))
            for kind, post_rel, fields, comment, columns in found:
                docs.append((next_id, rel, kind, post_rel, fields, None if comment is None else marshal.dumps(comment)))
                texts.append((next_id, *columns))
                next_id += 1
        self.db.executemany("insert into files values (?, ?, ?, ?, ?)", files)
        self.db.executemany("insert into docs values (?, ?, ?, ?, ?, ?)", docs)
        self.db.executemany(f"insert into text (rowid, {', '.join(COLUMNS)}) values (?, ?, ?, ?, ?, ?, ?)", texts)
        return next_id

    # -- asking ----------------------------------------------------------------------------------

    def rows(self, match: str, kinds: tuple[str, ...]) -> Iterator[Row]:
        """Every document matching `match` (an FTS5 expression), best first; comments carry the
        fields of their post (and are left out when their post is not indexed)."""
        marks = ", ".join("?" for _ in kinds)
        cursor = self.db.execute(
            "select d.file, d.kind, d.post, coalesce(d.fields, p.fields), d.comment, text.rank "
            "from text join docs d on d.id = text.rowid "
            "left join docs p on d.kind = 'comment' and p.file = d.post "
            f"where text match ? and d.kind in ({marks}) "
            "order by text.rank, d.file, d.id",
            (match, *kinds),
        )
        for file, kind, post, fields, comment, rank in cursor:
            if fields is None:
                continue
            if comment is not None:
                comment = marshal.loads(comment)
                if not (isinstance(comment, tuple) and len(comment) == 4):
                    raise ValueError(f"not a comment's row: {comment!r}")
            yield Row(file, kind, post_from_fields(post, fields), comment, -rank)


def _read_chunks(stale: list[tuple[str, str]], tz: dt.tzinfo) -> Iterator[list[tuple | Problem]]:
    """The files read, a chunk at a time: a first index of 10,000 posts never holds all their
    text at once. In this process: a forked reader gained nothing measurable on the shared
    2-core machine (nor did the listing index's), and process pools belong to site/pool.py."""
    for start in range(0, len(stale), CHUNK_FILES):
        yield [read_for_index(rel, path, tz) for rel, path in stale[start : start + CHUNK_FILES]]


# -- opening, with every failure of the cache handled ---------------------------------------------


def search_rows(
    cache: Path, tz: dt.tzinfo, root: Path, scope: Scope, match: str, accept: Callable[[Row], bool] | None, limit: int | None
) -> tuple[list[Row], list[Problem]]:
    """The first `limit` rows (all if None) that `accept` takes (all if None), best first, from the index brought
    up to date first; and the problems of the files that could not be read.

    A broken index file is deleted and made again; one that cannot be written or is held by
    another process for too long is replaced by an index in memory for this search."""
    check_fts5()
    real_root = os.path.realpath(root)
    inside = os.path.realpath(cache.parent).startswith(real_root + os.sep)
    where: Path | None = cache if inside else None  # a cache folder linked out of the workspace is not written
    discarded = False
    while True:
        index = None
        try:
            index = SearchIndex(where, tz)
            present, problems = index.refresh(root, scope)
            found: list[Row] = []
            for row in index.rows(match, scope.kinds):
                if row.file in present and (accept is None or accept(row)):  # never a file this search did not see
                    found.append(row)
                    if limit and len(found) >= limit:
                        break
            return found, problems
        except (sqlite3.Error, OSError, ValueError, EOFError, TypeError) as exc:  # the last three: marshal's, on a tampered row
            if where is None:
                raise BlogError(f"search failed: {exc}") from None
            broken = not isinstance(exc, (sqlite3.Error, OSError)) or getattr(exc, "sqlite_errorname", "") in _BROKEN
            if broken and not discarded:
                discard(where)
                discarded = True
            else:
                where = None
        finally:
            if index is not None:
                index.close()



