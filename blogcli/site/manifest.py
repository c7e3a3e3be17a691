"""The build manifest: what the last build made, from what, so the next one redoes only that.

`.blog/cache/build.sqlite` (`build-<hash of the folder>.sqlite` for another --out folder) is SQLite:
one table per kind of entry, its entries in chunks (up to CHUNKS of them). A chunk is one row: the
names of its entries and each of their fields as lists, one a column (a nested NamedTuple's fields
flattened, `extract_feed_id`; an int column as 8 bytes a value, `_int64s`), marshalled, and the
CRC32 of those bytes:

    sources (chunk, crc, data)  -- rel, size, mtime_ns, digest, extract_feed_id, extract_aliases, extract_excerpt
    outputs (chunk, crc, data)  -- path, key, size, mtime_ns
    ledgers (chunk, crc, data)  -- series, key, promises: [{"text": str, "made_in": [slug, ...], "keeper": slug | None,
                                --   "keeper_rel": path | None, "made_on": date | None, "due": date | None}, ...]
    files (chunk, crc, data)    -- rel, size, mtime_ns, inode, facts, quiet
    shape (chunk, crc, data)    -- "", settings_key, day, next_due, static_key, comments_key, page_paths,
                                --   index_pages, coming_until: one entry (named ""), or none
    meta (format, generation)   -- one row: FORMAT and the tables' columns (`_format`), a count of the saves

- a source is a post file as the last build read it: its size and mtime then, the `digest` of its
  bytes, and what its page's rendering extracted for other pages (`PostExtract`);
- an output is a file the last build wrote: the `key` of everything it was made from, and the
  size and mtime it had when written (a file changed since is made again);
- a ledger is one series' promise ledger, under the `key` of its parts' paths, stats and statuses
  (site.series.series_promises: every promise, dates as RFC 3339 text);
- a file is every post file the last build's walk found, drafts too, with the `facts` other pages
  show of it (site.shape.shown_facts), and the shape is what else the site's structure was made
  from (site.shape.SiteShape): together they let the next build keep, without working out their
  keys again, the pages that cannot have changed (site/shape.py). A manifest without them (no
  files, no shape) means every key is worked out.

The columns are made from the NamedTuples (`_columns`): a field added to one is a column, stored,
read and type-checked like the others, and a new format (`_format`), so an older file means one
full build. A table is one `_Table` line in `_TABLES` beside the Manifest's attribute of the same
name: a dict of entries by name, or, for a record of the whole build, one entry or None
(`_Table(name, None, Entry)`). Keys and digests are 32 hex digits of BLAKE2b.

Why chunks of columns: loading reads every entry (the builder compares every key), and 30,000
rows of one SQLite column a field cost 48 ms to fetch (a Python object made per value by the
sqlite3 module) and 36 ms more to check; the same entries as 5.8 MB of marshalled lists are read
by one marshal call per chunk, and each column's types checked in one call in C
(`set(map(type, column))`). Saving writes, in one transaction, only the chunks holding an entry
that differs from what was loaded (an entry the builder kept is the very object loaded: `is`
tells, without comparing its fields; the builder names the entries it did not keep, `touched`, and
only those are looked up), or every chunk if the file is not the one loaded (its count
of saves differs): one edited post rewrites a few chunks of ~50 KB at 10,000 posts. An entry new
since the load goes to the chunk of its name (`_chunk_of`); one loaded stays in the chunk it came
from. At 10,000 posts, one edit, in a build's process (CPU time, 6 runs in turns with the rows
this replaced): a load 0.095-0.122 s then, 0.054-0.062 s now; a save 0.018-0.026 s then,
0.012-0.014 s, most of it `_changes`' 30,000 look-ups; with the builder's `touched` names, a
publish's save ~5 ms instead of ~12 (4 runs in turns, medians).

The file is a cache, and distrusted: one that is missing, not a regular file (a link is never
followed, a FIFO never opened), not a database, of another schema (an extra table, index,
trigger or view included) or format, with a chunk that does not match its CRC or does not
unmarshal to its names and a column per field as long, with a value of the wrong type anywhere,
with an entry named twice, or naming an output outside the output folder (`is_output_path`) is
discarded whole, and the build is a full one.

A killed build leaves the last saved manifest or the new one, never half of one (SQLite's rollback
journal). Nothing is fsynced, as the JSON file this replaced was not: synchronous=normal made every
save flush the pages the build had just written too (44-119 ms a save on a busy machine, against
14-50 ms). A power cut may then leave some database pages old and some new: a chunk garbled so
fails its CRC and the manifest is discarded; a chunk whole but old describes its files as they
were when written (size and mtime, digest or key), so it only makes its sources be read or its
outputs be made again; but this is not the old-or-new a killed build gets (the shape's page lists
are not checked against files). (Pages are SQLite's default 4 KiB, one sector on most disks:
each written whole or not at all.)
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import marshal
import os
import sqlite3
import sys
import typing
import zlib
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import is_not, itemgetter
from pathlib import Path
from typing import Annotated, Callable, Iterable, Iterator, NamedTuple, Sequence

from blogcli.errors import WriteFailed
from blogcli.workspace import cachedb
from blogcli.workspace.atomic import crashpoint

# marshal's format belongs to the Python version (as the index's does), an int column's bytes to the
# machine's byte order: a new one is a full build.
FORMAT = f"5 marshal-{marshal.version} python-{sys.version_info[0]}.{sys.version_info[1]} {sys.byteorder}"
CHUNKS = 64  # a table's chunks: ~140 entries, ~50 KB each at 10,000 posts
# SQLite's page cache while loading, in KiB: each page is read once, so a cache is only memory for
# the process to fault in. SQLite's default 2 MiB was ~500 of a load's ~5,500 page faults at
# 10,000 posts (~3 ms of CPU on the 2-core VM, where a fault costs several µs).
LOAD_CACHE_KB = 64


class PostExtract(NamedTuple):
    """What rendering a post's page found that other pages show."""

    feed_id: str  # the Atom entry id (feeds.entry_id)
    aliases: list[str]  # old URLs of the post (front matter `aliases`): redirects
    excerpt: str  # the first paragraph as text: lists show it when there is no summary


class SourceEntry(NamedTuple):
    size: int
    mtime_ns: int
    digest: str  # of the file's bytes
    extract: PostExtract


class OutputEntry(NamedTuple):
    key: str  # of everything the output was made from
    size: int
    mtime_ns: int


class LedgerEntry(NamedTuple):
    key: str  # of the series' parts: paths, sizes, mtimes, statuses
    promises: list[dict] | None  # None until computed in this build (a manifest saved has them all)


class FileEntry(NamedTuple):
    size: int
    mtime_ns: int
    inode: int
    facts: str  # the key of what other pages show of the post (site.shape.shown_facts); "" for an unreadable file
    quiet: bool  # a draft outside any series in a build without drafts: no page shows it (site.shape.is_quiet)


OutputPaths = Annotated[list[str], "paths inside the output folder"]  # each checked by are_output_paths when read


class SiteShape(NamedTuple):
    """What a build's site structure was made from besides the post files (site/shape.py)."""

    settings_key: str  # BuildSettings.key
    day: str  # the local date of the build (counted, to be safe: site/shape.py)
    next_due: float | None  # when the next scheduled post comes due (an instant)
    static_key: str  # of static/'s site paths (a static file wins over a page)
    comments_key: str  # of every comments file's size and mtime (a post page shows its comments)
    page_paths: list[str]  # the standalone pages built (in the sitemap)
    index_pages: OutputPaths  # the outputs made from the index alone (ListPages.declare_index_pages)
    coming_until: float | None  # the first cadence slot a series' draft part is "coming" in: its date moves on then


class _Table(NamedTuple):
    """A table of entries: the Manifest's attribute `name` is a dict of `entry`s by name, or, where
    `key` is None, one `entry` or None (stored as the one entry named "", or none)."""

    name: str  # the table, and the Manifest's attribute
    key: str | None  # what the entries' names are (a post file's path, an output's…); None: a record
    entry: type  # the NamedTuple of the entries
    valid_names: Callable[[Sequence[str]], bool] | None = None  # what the entries' names must pass


def is_output_path(path: str) -> bool:
    """Whether `path` names a file inside the output folder: relative, each segment a name (no
    `..`, `.` or empty segment, no NUL). The next build removes outputs that are gone, so a
    manifest naming `../../x` would otherwise delete a file outside the site."""
    return are_output_paths((path,))


def are_output_paths(paths: Sequence[str]) -> bool:
    """Whether each of `paths` is an output path (`is_output_path`), checked over them all at once
    (in C: a call per path was a third of loading a manifest): joined by NULs, as many as the joins
    (so none in a path), each segment between slashes found by its slashes."""
    if not paths:
        return True
    if not _types(paths) <= _TEXT:
        return False
    joined = "\0".join(paths)
    if joined.count("\0") != len(paths) - 1:
        return False
    segments = f"/{joined.replace(chr(0), '/')}/"  # a leading `/` makes an empty segment
    return "//" not in segments and "/./" not in segments and "/../" not in segments


def _is_record_name(names: Sequence[str]) -> bool:
    """Whether a record's chunk holds its one entry, named ""."""
    return list(names) == [""]


_TABLES = (
    _Table("sources", "rel", SourceEntry),
    _Table("outputs", "path", OutputEntry, are_output_paths),
    _Table("ledgers", "series", LedgerEntry),
    _Table("files", "rel", FileEntry),
    _Table("shape", None, SiteShape, _is_record_name),
)


@dataclass
class Manifest:
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    outputs: dict[str, OutputEntry] = field(default_factory=dict)
    ledgers: dict[str, LedgerEntry] = field(default_factory=dict)
    files: dict[str, FileEntry] = field(default_factory=dict)
    shape: SiteShape | None = None
    generation: int = field(default=0, compare=False, repr=False)  # of the file it was loaded from (saves count)
    # the names in each chunk of the file it was loaded from, by table; None: not loaded from a file
    chunks: dict[str, dict[int, list[str]]] | None = field(default=None, compare=False, repr=False)
    # What its maker vouches for (site/builder.py): in each table named in `touched`, every entry but
    # those of the names listed there is the very object `kept_from` holds under its name; a save
    # against that manifest then looks only at those names (`_changes`).
    kept_from: Manifest | None = field(default=None, compare=False, repr=False)
    touched: dict[str, set[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, path: Path) -> Manifest | None:
        """The manifest at `path`, or None when there is none usable (a full build follows)."""
        try:
            if not cachedb.is_plain(path):  # a FIFO or a link there is no manifest (and hangs nothing)
                return None
            db = sqlite3.connect(path, timeout=2, isolation_level=None)
        except (OSError, sqlite3.Error):
            return None
        try:
            db.execute(f"pragma cache_size=-{LOAD_CACHE_KB}")
            generation = _stored_generation(db)
            if generation is None:
                return None
            tables, chunks = {}, {}
            with _collector_paused():
                for table in _TABLES:
                    entries, chunks[table.name] = _read(db, table)
                    tables[table.name] = entries if table.key is not None else entries.get("")
        except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError, EOFError, RecursionError, MemoryError):
            return None
        finally:
            db.close()
        return cls(**tables, generation=generation, chunks=chunks)

    def save(self, path: Path, loaded: Manifest | None) -> None:
        """Write this manifest at `path`, where `loaded` is what `load` read there (None: nothing
        usable): only the chunks holding an entry that differs from it, in one transaction;
        nothing if none do."""
        changes = None
        if loaded is not None and loaded.chunks is not None:
            touched = self.touched if self.kept_from is loaded else {}
            changes = [_changes(_entries_of(self, table), _entries_of(loaded, table), touched.get(table.name))
                       for table in _TABLES]
        legacy = path.with_suffix(".json")  # an older blogcli's manifest
        if changes is not None and not any(map(len, chain.from_iterable(changes))) and not os.path.lexists(legacy):
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._write(path, loaded, changes)
            except sqlite3.OperationalError:  # locked, a full disk, a folder that cannot be written…
                raise
            except (sqlite3.DatabaseError, _NotOurs):  # not a database, a garbled one, or not one of ours
                cachedb.discard(path)
                self._write(path, None, None)
            if os.path.lexists(legacy):
                os.unlink(legacy)
        except (OSError, sqlite3.Error) as exc:
            raise WriteFailed(f"{path}: could not write the build manifest ({exc})",
                              hint="delete it (it is a cache) or fix the folder's permissions, then build again") from None

    def _write(self, path: Path, loaded: Manifest | None, changes: list | None) -> None:
        cachedb.clear_unsafe(path)
        db = sqlite3.connect(path, timeout=2, isolation_level=None)
        try:
            db.execute("pragma journal_mode=delete")
            db.execute("pragma synchronous=off")
            db.execute("begin immediate")
            generation = _stored_generation(db)
            if generation is None:
                if _objects(db):  # another schema or format
                    raise _NotOurs
                for statement in _schema():
                    db.execute(statement)
                generation = 0
            whole = loaded is None or loaded.chunks is None or changes is None or generation != loaded.generation
            for n, table in enumerate(_TABLES):
                entries = _entries_of(self, table)
                if whole:  # not the file loaded: every chunk
                    db.execute(f"delete from {table.name}")
                    chunks = _chunks_of(entries)
                else:
                    chunks = _chunks_to_write(loaded.chunks[table.name], *changes[n])
                _write_chunks(db, table, entries, chunks)
            db.execute("delete from meta")
            db.execute("insert into meta values (?, ?)", (_format(), generation + 1))
            crashpoint("manifest:written")
            db.execute("commit")
            crashpoint("manifest:committed")
        finally:
            db.close()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a load makes its ~50,000 containers (none in
    a cycle): each 700 made would start a collection of the young ones, ~80 in a load, where paused
    there is one after it. A one-edit build at 10,000 posts then spends 10-20 ms less CPU time in
    collections (152 of them, not 230: best of 4, in turns)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _entries_of(manifest: Manifest, table: _Table) -> dict:
    """The manifest's entries of `table` by name (a record's under "", if there is one)."""
    value = getattr(manifest, table.name)
    return value if table.key is not None else {} if value is None else {"": value}


class _NotOurs(Exception):
    """The database holds something else than a manifest of this schema and format."""


def _changes(new: dict, old: dict, touched: set[str] | None = None) -> tuple[list, list, set]:
    """The names whose entry in `new` differs from the one in `old`, those `new` has that `old` has
    not, and those `old` has that `new` has not. An entry kept from `old` is the same object, so
    `is` tells (in C, over 10,000 entries) before a comparison of fields. `touched`: the only names
    of `new` whose entry may not be `old`'s very object (Manifest.touched), the only ones looked
    up: the look-ups of every name, scattered over a build's memory, were ~8 ms of a publish's
    save at 10,000 posts."""
    if touched is None:
        differing = list(compress(new, map(is_not, map(old.get, new), new.values())))
    else:
        differing = [name for name in touched if name in new and new[name] is not old.get(name)]
    changed = [name for name in differing if name in old and old[name] != new[name]]
    added = [name for name in differing if name not in old]
    gone = set() if len(new) - len(added) == len(old) else old.keys() - new.keys()
    return changed, added, gone


def _chunk_of(name: str) -> int:
    """The chunk an entry new to the file goes to."""
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % CHUNKS


def _chunks_of(entries: dict) -> dict[int, list[str]]:
    """The names of `entries` by the chunk each goes to (a file written whole)."""
    chunks: dict[int, list[str]] = {}
    for name in entries:
        chunks.setdefault(_chunk_of(name), []).append(name)
    return chunks


def _chunks_to_write(loaded: dict[int, list[str]], changed: list, added: list, gone: set) -> dict[int, list[str]]:
    """The chunks a save rewrites, each with the names it then holds: those holding an entry that
    changed or is gone (as they were loaded, less the gone), and those an added entry goes to."""
    touched = set(changed).union(gone)
    chunks = {}
    if touched:
        chunks = {chunk: [name for name in names if name not in gone] for chunk, names in loaded.items()
                  if not touched.isdisjoint(names)}
    for name in added:
        chunk = _chunk_of(name)
        if chunk not in chunks:
            chunks[chunk] = list(loaded.get(chunk, ()))
        chunks[chunk].append(name)
    return chunks


def _write_chunks(db: sqlite3.Connection, table: _Table, entries: dict, chunks: dict[int, list[str]]) -> None:
    """Write each of `chunks` (its entries of `entries` by name) in `table`; one with none is deleted."""
    rows = []
    for chunk, names in chunks.items():
        if names:
            data = marshal.dumps([names, *_column_values(table.entry, [entries[name] for name in names])])
            rows.append((chunk, zlib.crc32(data), data))
    emptied = [(chunk,) for chunk, names in chunks.items() if not names]
    db.executemany(f"delete from {table.name} where chunk = ?", emptied)
    db.executemany(f"insert or replace into {table.name} values (?, ?, ?)", rows)


def _check(ok: bool) -> None:
    if not ok:
        raise ValueError("not a manifest entry")


# -- the columns, made from the NamedTuples ------------------------------------------------------


class _Kind(NamedTuple):
    """How a field of a given type is a column: the Python types its values may have, what else
    the column must pass (the items of lists), and whether it is stored as 64-bit integers."""

    types: frozenset
    check: Callable[[list], bool] | None = None
    packed: bool = False  # an int column: `_int64s`


def _int64s(values: list) -> bytes | list:
    """An int column as 8 bytes a value, where each fits (else the list): `array` reads it back in
    C, each an int without a check, three times as fast as marshal reads a list of mtimes."""
    try:
        return array("q", values).tobytes()
    except (OverflowError, TypeError):  # beyond 64 bits (an inode of some file systems), or not an int
        return values


def _are_text_lists(lists: list) -> bool:
    return _types(chain.from_iterable(lists)) <= _TEXT


def _are_output_path_lists(lists: list) -> bool:
    return _are_text_lists(lists) and all(map(are_output_paths, lists))


_PROMISE = (("text", frozenset({str})), ("made_in", frozenset({list})), ("keeper", frozenset({str, type(None)})),
            ("keeper_rel", frozenset({str, type(None)})), ("made_on", frozenset({str, type(None)})),
            ("due", frozenset({str, type(None)})))


def _are_promise_lists(ledgers: list) -> bool:
    """Ledgers' promises, each as site.series.series_promises makes it: those keys (KeyError if one
    is missing), of those types."""
    promises = list(chain.from_iterable(ledgers))
    if not _types(promises) <= {dict} or not set(map(len, promises)) <= {len(_PROMISE)}:
        return False
    return (all(_types(map(itemgetter(name), promises)) <= types for name, types in _PROMISE)
            and _types(chain.from_iterable(map(itemgetter("made_in"), promises))) <= _TEXT)


def _types(values: Iterable) -> set[type]:
    return set(map(type, values))


_NONE = type(None)
_TEXT = frozenset({str})
_LIST = frozenset({list})
_KINDS: dict[object, _Kind] = {
    int: _Kind(frozenset({int}), packed=True),
    int | None: _Kind(frozenset({int, _NONE})),
    bool: _Kind(frozenset({bool})),
    float | None: _Kind(frozenset({float, _NONE})),
    str: _Kind(_TEXT),
    str | None: _Kind(frozenset({str, _NONE})),
    list[str]: _Kind(_LIST, _are_text_lists),
    OutputPaths: _Kind(_LIST, _are_output_path_lists),
    list[dict] | None: _Kind(_LIST, _are_promise_lists),  # ledgers' promises (a saved manifest has them all)
}


def _is_record(hint: object) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


@functools.cache
def _fields(entry: type) -> tuple[tuple[str, _Kind | type], ...]:
    """Each field of the NamedTuple `entry` with its `_Kind`, or with its own NamedTuple."""
    hints = typing.get_type_hints(entry, include_extras=True)
    fields = []
    for name in entry._fields:
        hint = hints[name]
        if not _is_record(hint) and hint not in _KINDS:
            raise NotImplementedError(f"{entry.__name__}.{name}: no column for a {hint} (add its kind to _KINDS)")
        fields.append((name, hint if _is_record(hint) else _KINDS[hint]))
    return tuple(fields)


@functools.cache
def _columns(entry: type) -> tuple[tuple[str, _Kind], ...]:
    """The columns of `entry`'s fields, a nested NamedTuple's flattened (`extract_feed_id`)."""
    columns: list[tuple[str, _Kind]] = []
    for name, kind in _fields(entry):
        if isinstance(kind, _Kind):
            columns.append((name, kind))
        else:
            columns += [(f"{name}_{inner}", inner_kind) for inner, inner_kind in _columns(kind)]
    return tuple(columns)


@functools.cache
def _schema() -> tuple[str, ...]:
    """The statements that make the tables; a file's own (`sqlite_master`) must be exactly these."""
    return (*(f"CREATE TABLE {table.name} (chunk integer primary key, crc integer, data blob)" for table in _TABLES),
            "CREATE TABLE meta (format text, generation integer)")


@functools.cache
def _format() -> str:
    """FORMAT and every table's columns: a field added, renamed or removed is another format."""
    return f"{FORMAT} {key_of([(table.name, [name for name, _kind in _columns(table.entry)]) for table in _TABLES])}"


def _objects(db: sqlite3.Connection) -> list[str]:
    """What the database holds (tables, indexes, triggers, views), as the SQL that made each."""
    return sorted(str(sql) for (sql,) in db.execute("select sql from sqlite_master"))


def _stored_generation(db: sqlite3.Connection) -> int | None:
    """The save count of the manifest in `db`, or None when it is not one of this schema and format
    (an extra table, index, trigger or view included)."""
    if _objects(db) != sorted(_schema()):
        return None
    rows = db.execute("select format, generation from meta").fetchall()
    if len(rows) != 1 or rows[0][0] != _format() or type(rows[0][1]) is not int:
        return None
    return rows[0][1]


def _read(db: sqlite3.Connection, table: _Table) -> tuple[dict, dict[int, list[str]]]:
    """Every entry of `table` by name, every value's type checked (ValueError if one is wrong), and
    the names in each chunk. A chunk's columns are each checked, and its NamedTuples made, in one
    call over its values, not a loop."""
    width = 1 + len(_columns(table.entry))  # the names, then the fields
    entries: dict = {}
    chunks = {}
    for chunk, crc, data in db.execute(f"select chunk, crc, data from {table.name}"):
        _check(type(data) is bytes and zlib.crc32(data) == crc)
        columns = marshal.loads(data)
        _check(type(columns) is list and len(columns) == width and type(columns[0]) is list)
        names = chunks[chunk] = columns[0]
        _check(_types(names) <= _TEXT and (table.valid_names is None or table.valid_names(names)))
        entries.update(zip(names, _entries(table.entry, iter(columns[1:]), len(names))))
    _check(len(entries) == sum(map(len, chunks.values())))  # no name twice
    return entries, chunks


def _entries(entry: type, columns: Iterator[list | bytes], count: int) -> Iterable:
    """The `count` `entry`s the next columns hold (consumed in order, as `_columns` lists them),
    each column's length and types checked. Made as `entry._make` makes them, by `tuple.__new__`,
    without a Python call per entry."""
    fields = []
    for _name, kind in _fields(entry):
        if isinstance(kind, _Kind):
            values = next(columns)
            if kind.packed and type(values) is bytes:
                values = array("q", values).tolist()  # ValueError if not 8 bytes a value
            else:
                _check(type(values) is list and _types(values) <= kind.types
                       and (kind.check is None or kind.check(values)))
            _check(len(values) == count)
            fields.append(values)
        else:
            fields.append(_entries(kind, columns, count))
    return map(tuple.__new__, repeat(entry), zip(*fields))


def _column_values(entry: type, entries: list) -> list[list | bytes]:
    """The columns of `entries` (`_columns`' order), a nested NamedTuple's fields flattened, as
    they are stored (an int column as `_int64s`)."""
    fields = _fields(entry)
    values = [list(column) for column in zip(*entries)] if entries else [[] for _field in fields]
    columns: list[list | bytes] = []
    for (_name, kind), column in zip(fields, values):
        if isinstance(kind, _Kind):
            columns.append(_int64s(column) if kind.packed else column)
        else:
            columns += _column_values(kind, column)
    return columns


def manifest_path(cache_dir: Path, out: Path, default_out: Path) -> Path:
    if out == default_out:
        return cache_dir / "build.sqlite"
    tag = hashlib.blake2b(str(out).encode(), digest_size=6).hexdigest()
    return cache_dir / f"build-{tag}.sqlite"


def discard_manifest(path: Path) -> None:
    """Remove the manifest at `path`, and its side files (the next build is a full one)."""
    cachedb.discard(path)


def key_of(*parts: object) -> str:
    """The key of plain data. marshal version 2 writes no back-references, so equal data gives
    equal bytes (and is 2-3x faster than JSON); anything it cannot write goes through JSON."""
    try:
        data = marshal.dumps(parts, 2)
    except ValueError:
        data = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_of(data: bytes) -> str:
    """The digest of a source file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def instant(moment) -> float | None:
    """A date as key material: the instant it names, whatever its timezone."""
    return moment.timestamp() if moment else None


def unchanged_since(path: Path | str, entry: OutputEntry, dir_fd: int | None = None) -> bool:
    """True when the file at `path` still has the size and mtime the manifest recorded. `dir_fd`:
    the folder a relative `path` is in, opened (the kernel then walks only the path's own names:
    ~10 % of a stat of 10,000 pages)."""
    return not changed_files((path,), (entry,), dir_fd)


def changed_files(paths: Iterable[Path | str], entries: Iterable[OutputEntry], dir_fd: int | None = None) -> list:
    """Those of `paths` whose file no longer has the size and mtime of its entry in `entries`
    (`unchanged_since` of each, in one loop: a post page each, every build)."""
    changed, stat = [], os.stat
    for path, entry in zip(paths, entries):
        try:
            st = stat(path, dir_fd=dir_fd)
        except OSError:
            changed.append(path)
            continue
        if st.st_size != entry.size or st.st_mtime_ns != entry.mtime_ns:
            changed.append(path)
    return changed
