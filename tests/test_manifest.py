"""The build manifest in SQLite (site/manifest.py): it reads back what it wrote, a save writes only
the chunks holding an entry that differs from those loaded, a kill during a save leaves a manifest
that can be used, and a file that is not exactly one of its own (crafted, garbled, a link, a FIFO)
means a full build."""

from __future__ import annotations

import marshal
import os
import signal
import sqlite3
import subprocess
import sys
import zlib
from array import array
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

from blogcli.site.builder import build_site
from blogcli.site.manifest import (
    FileEntry,
    LedgerEntry,
    Manifest,
    OutputEntry,
    PostExtract,
    SiteShape,
    SourceEntry,
    _TABLES,
    _chunk_of,
    _column_values,
    _columns,
    _entries,
    _entries_of,
    are_output_paths,
    is_output_path,
)
from blogcli.site.output import MARKER
from blogcli.workspace.store import Workspace

WAIT = 60  # seconds: the longest a command run here may take

PROMISE = {"text": "more on the N29", "made_in": ["a", "b"], "keeper": None, "keeper_rel": None,
           "made_on": "2026-11-02T09:00:00+00:00", "due": "2026-11-09T09:00:00+00:00"}


def sample_manifest(outputs: int = 3) -> Manifest:
    return Manifest(
        sources={"published/a.md": SourceEntry(10, 1_796_068_416_327_070_103, "d" * 32,
                                               PostExtract("tag:x,2026:/a/", ["old-a", "ü/ñ"], "Words, “quoted”.")),
                 "published/b.md": SourceEntry(0, 0, "e" * 32, PostExtract("tag:x,2026:/b/", [], ""))},
        outputs={f"p{n}/index.html": OutputEntry("k" * 32, 300 + n, 400 + n) for n in range(outputs)},
        ledgers={"s": LedgerEntry("l" * 32, [PROMISE, {**PROMISE, "keeper": "c", "keeper_rel": "published/c.md", "due": None}]),
                 "t": LedgerEntry("m" * 32, [])},
        files={"drafts/y.md": FileEntry(1, 2, 3, "f" * 32, True), "published/a.md": FileEntry(10, 20, 30, "", False)},
        shape=SiteShape("s" * 32, "2026-11-30", 1_796_000_000.5, "t" * 32, "c" * 32, ["about/"], ["index.html", "tags/index.html"], 1_796_100_000.0),
    )


def build(root: Path, **options):
    return build_site(Workspace.open(root), **options)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MARKER}


def saved(root: Path) -> Path:
    return root / ".blog/cache/build.sqlite"


def changes_made(path: Path, statement: str, *params) -> int:
    """Run one SQL statement on the manifest at `path` (as a hand or a crafted file would); the rows it changed."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute(statement, params)
        return db.total_changes
    finally:
        db.close()


def chunks_differing(before: Manifest, after: Manifest) -> int:
    """The chunks a save of `after` over `before` rewrites or deletes, where each entry is in the
    chunk of its name (a manifest saved whole, as a first build's is)."""
    count = 0
    for table in _TABLES:
        old, new = _entries_of(before, table), _entries_of(after, table)
        count += len({_chunk_of(name) for name in old.keys() | new.keys() if old.get(name) != new.get(name)})
    return count


def stored_chunks(path: Path, table: str) -> dict[int, bytes]:
    """Each chunk of `table` in the manifest at `path`, as its bytes."""
    db = sqlite3.connect(path)
    try:
        return dict(db.execute(f"select chunk, data from {table}"))
    finally:
        db.close()


def craft(path: Path, table: str, edit: Callable[[list[list]], object]) -> None:
    """Change `table` of the manifest at `path` as a crafted file would: its entries, as rows
    ([name, *column values]), are changed in place by `edit`, then stored as one chunk (the
    columns of the rows) with a CRC that matches."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        chunks = [marshal.loads(data) for (data,) in db.execute(f"select data from {table}")]
        rows = [list(row) for columns in chunks  # an int column's 8 bytes a value as a list (as a list it is read too)
                for row in zip(*(array("q", column).tolist() if type(column) is bytes else column for column in columns))]
        edit(rows)
        data = marshal.dumps([list(column) for column in zip(*rows)])
        db.execute(f"delete from {table}")
        db.execute(f"insert into {table} values (0, ?, ?)", (zlib.crc32(data), data))
    finally:
        db.close()


def setting(table: str, column: str, value: object) -> tuple[str, Callable]:
    """A crafted edit: `column` of every entry of `table` set to `value`."""
    entry = next(t.entry for t in _TABLES if t.name == table)
    n = 1 + [name for name, _kind in _columns(entry)].index(column)

    def edit(rows):
        for row in rows:
            row[n] = value
    return table, edit


def adding(table: str, *row: object) -> tuple[str, Callable]:
    """A crafted edit: an entry `row` ([name, *column values]) added to `table`."""
    return table, lambda rows: rows.append(list(row))


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    """The rows (`total_changes`) each connection to a build manifest inserted, replaced or deleted."""
    counts: list[int] = []

    class Counting(sqlite3.Connection):
        def close(self):
            counts.append(self.total_changes)
            super().close()

    connect = sqlite3.connect

    def counting_connect(path, *args, **kwargs):
        if Path(path).name.startswith("build"):
            kwargs["factory"] = Counting
        return connect(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", counting_connect)
    return counts


class Shape(NamedTuple):  # a record of the kinds of field the lead's whole-build record has
    key: str
    next_due: float | None
    pages: list[str]


class Entry(NamedTuple):
    size: int
    shape: Shape
    note: str | None


# -- what it reads back ---------------------------------------------------------------------------


def test_the_manifest_reads_back_what_it_wrote(tmp_path):
    manifest = sample_manifest()
    manifest.save(tmp_path / "build.sqlite", None)
    loaded = Manifest.load(tmp_path / "build.sqlite")
    assert loaded == manifest
    changed = sample_manifest()
    changed.sources["published/a.md"] = changed.sources["published/a.md"]._replace(
        extract=PostExtract("tag:x,2026:/a/", [], "Other words."))
    del changed.ledgers["t"]
    changed.outputs["new/index.html"] = OutputEntry("n" * 32, 1, 2)
    changed.save(tmp_path / "build.sqlite", loaded)
    assert Manifest.load(tmp_path / "build.sqlite") == changed
    assert sorted(os.listdir(tmp_path)) == ["build.sqlite"]  # no journal left behind once saved


def test_a_field_added_to_an_entry_is_a_column_stored_and_checked_like_the_others():
    """The columns are made from the NamedTuples: a new field of a kind the manifest knows (here a
    nested record with an optional float and a list) needs nothing but the field."""
    assert [name for name, _kind in _columns(Entry)] == ["size", "shape_key", "shape_next_due", "shape_pages", "note"]
    entries = [Entry(1, Shape("k", 1.5, ["a", "b"]), None), Entry(2, Shape("l", None, []), "n")]
    columns = _column_values(Entry, entries)
    assert columns == [array("q", [1, 2]).tobytes(), ["k", "l"], [1.5, None], [["a", "b"], []], [None, "n"]]
    assert list(_entries(Entry, iter(columns), 2)) == entries
    assert list(_entries(Entry, iter(_column_values(Entry, [])), 0)) == []
    columns[3][1] = [1]  # a list of a number where the field is a list of text
    with pytest.raises(ValueError):
        list(_entries(Entry, iter(columns), 2))


def test_the_record_of_the_whole_build_is_a_table_of_one_entry(tmp_path, counted):
    path = tmp_path / "build.sqlite"
    first = sample_manifest()
    first.save(path, None)
    loaded = Manifest.load(path)
    assert loaded == first
    second = sample_manifest()
    second.shape = second.shape._replace(next_due=None, page_paths=[])
    counted.clear()
    second.save(path, loaded)
    assert counted == [1 + 2]  # its chunk replaced, and the meta row (deleted, inserted)
    assert Manifest.load(path) == second
    third = sample_manifest()
    third.shape = None
    third.save(path, Manifest.load(path))
    assert Manifest.load(path) == third and stored_chunks(path, "shape") == {}
    second.save(path, Manifest.load(path))
    craft(path, "shape", lambda rows: rows.append(list(rows[0])))
    assert Manifest.load(path) is None  # a record of two entries


def test_output_paths_are_checked_all_at_once_by_the_one_rule():
    """`are_output_paths` (every output of a manifest in one check) says what `is_output_path`
    says of each (test_build_safety tests that one against reading a path segment by segment)."""
    import itertools

    paths = ["a", "a/b", "", ".", "..", "/a", "a/", "a//b", "./a", "a/..", "...", ".a", "a\0b", "\0", "é/x"]
    for length in range(0, 4):
        for combo in itertools.product(paths, repeat=length):
            assert are_output_paths(combo) == all(map(is_output_path, combo)), repr(combo)
    assert not are_output_paths(["a", 3]) and not is_output_path(None)


# -- what a save writes ---------------------------------------------------------------------------


def test_a_save_writes_only_the_chunks_holding_an_entry_that_differs(tmp_path, counted):
    path = tmp_path / "build.sqlite"
    sample_manifest(outputs=1000).save(path, None)
    written = list(counted)
    assert written == [sum(len(stored_chunks(path, table.name)) for table in _TABLES) + 1]  # every chunk, and the meta row
    before = stored_chunks(path, "outputs")
    loaded = Manifest.load(path)
    changed = sample_manifest(outputs=1000)
    changed.outputs["p1/index.html"] = OutputEntry("j" * 32, 1, 2)  # replaced
    del changed.outputs["p2/index.html"]  # deleted
    changed.outputs["new/index.html"] = OutputEntry("n" * 32, 3, 4)  # inserted
    touched = {_chunk_of(name) for name in ("p1/index.html", "p2/index.html", "new/index.html")}
    counted.clear()
    changed.save(path, loaded)
    assert counted == [len(touched) + 2]  # those chunks, and the meta row (deleted, inserted) with the count of saves
    after = stored_chunks(path, "outputs")
    assert {chunk for chunk in before.keys() | after.keys() if before.get(chunk) != after.get(chunk)} == touched
    assert Manifest.load(path) == changed
    counted.clear()
    changed.save(path, Manifest.load(path))
    assert counted == [0]  # loading opens the file; a save with nothing to write does not


def test_an_entry_stays_in_the_chunk_it_was_loaded_from(tmp_path):
    """Where a file's chunks are not those of the names (a crafted file, one chunk here), a save
    rewrites the chunk an entry came from: never a second copy of it in another."""
    path = tmp_path / "build.sqlite"
    sample_manifest(outputs=200).save(path, None)
    craft(path, "outputs", lambda rows: None)  # every output in chunk 0
    loaded = Manifest.load(path)
    changed = sample_manifest(outputs=200)
    changed.outputs["p7/index.html"] = OutputEntry("j" * 32, 1, 2)
    del changed.outputs["p9/index.html"]
    changed.save(path, loaded)
    assert list(stored_chunks(path, "outputs")) == [0]
    assert Manifest.load(path) == changed
    changed.outputs["p8/index.html"] = OutputEntry("i" * 32, 1, 2)
    changed.outputs["new/index.html"] = OutputEntry("n" * 32, 3, 4)  # an entry new to the file: the chunk of its name
    changed.save(path, Manifest.load(path))
    assert sorted(stored_chunks(path, "outputs")) == sorted({0, _chunk_of("new/index.html")})
    assert Manifest.load(path) == changed


def test_an_entry_the_builder_kept_is_not_compared(tmp_path):
    """The entries a build kept are the objects loaded: a save tells them unchanged by `is`, and
    compares the fields of the others only."""
    compared = []

    class Watched(OutputEntry):
        def __ne__(self, other):
            compared.append(self)
            return super().__ne__(other)

    path = tmp_path / "build.sqlite"
    sample_manifest(outputs=50).save(path, None)
    loaded = Manifest.load(path)
    loaded.outputs = {name: Watched(*entry) for name, entry in loaded.outputs.items()}
    new = Manifest(dict(loaded.sources), dict(loaded.outputs), dict(loaded.ledgers), dict(loaded.files), loaded.shape)
    new.outputs["p3/index.html"] = OutputEntry(*loaded.outputs["p3/index.html"])  # equal, another object
    new.outputs["p4/index.html"] = OutputEntry("j" * 32, 1, 2)
    new.save(path, loaded)
    assert sorted(compared) == sorted([loaded.outputs["p3/index.html"], loaded.outputs["p4/index.html"]])
    assert Manifest.load(path) == new


def test_a_save_over_a_file_that_changed_since_it_was_loaded_writes_every_row(tmp_path):
    """The diff is against what was loaded: if the file is not that one any more (another save
    came between), the save writes the manifest whole rather than a diff against the wrong rows."""
    path = tmp_path / "build.sqlite"
    sample_manifest().save(path, None)
    loaded = Manifest.load(path)
    meanwhile = sample_manifest()
    meanwhile.outputs["other/index.html"] = OutputEntry("o" * 32, 1, 1)
    meanwhile.save(path, Manifest.load(path))
    mine = sample_manifest()
    mine.outputs["mine/index.html"] = OutputEntry("x" * 32, 1, 1)
    mine.save(path, loaded)
    assert Manifest.load(path) == mine  # not `mine` plus the other save's row


def test_a_build_after_one_edit_rewrites_only_the_chunks_that_changed(sample, counted):
    build(sample)
    before = Manifest.load(saved(sample))
    every = sum(len(stored_chunks(saved(sample), table.name)) for table in _TABLES)
    assert every > 6  # more chunks than tables
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    counted.clear()
    build(sample)
    connections = list(counted)  # the load's, then the save's
    after = Manifest.load(saved(sample))
    differing = chunks_differing(before, after)
    assert 0 < differing < every // 2
    assert connections == [0, differing + 2]  # the save: those chunks and the meta row replaced, not the others
    assert "published/about-this-notebook.md" in after.sources and after != before


def test_a_build_that_changes_nothing_writes_no_row(sample, counted):
    build(sample)
    counted.clear()
    build(sample)
    assert counted == [0]  # the load's connection; the save opened none


def test_a_build_json_an_older_blogcli_left_is_removed(sample):
    build(sample)
    legacy = sample / ".blog/cache/build.json"
    legacy.write_text('{"format": "3", "sources": {}, "outputs": {}, "ledgers": {}}')
    assert build(sample).rendered_posts == 0  # the SQLite manifest is the one read
    assert not legacy.exists()


# -- a kill during a save -------------------------------------------------------------------------


def blog(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    variables = {k: v for k, v in os.environ.items() if not k.startswith(("BLOG_", "VISUAL", "EDITOR"))}
    variables.update(BLOG_ROOT=str(root), BLOG_NOW=os.environ["BLOG_NOW"], NO_COLOR="1", **env)
    return subprocess.run([sys.executable, "-m", "blogcli", *args], env=variables, cwd=root, capture_output=True,
                          text=True, timeout=WAIT)


@pytest.mark.parametrize("point", ["manifest:written", "manifest:committed"])
def test_a_kill_during_the_save_leaves_the_old_manifest_or_the_new(point, sample, tmp_path):
    """Killed once the rows are written but not committed (the rollback journal still there), the
    manifest is the one before; killed once committed, the new one. Either way the next build
    leaves the site a full build makes."""
    build(sample)
    old = Manifest.load(saved(sample))
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    killed = blog(sample, "build", BLOG_CRASH_AT=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after_kill = Manifest.load(saved(sample))
    assert after_kill is not None
    if point == "manifest:written":
        assert after_kill == old
    else:
        assert after_kill != old and build(sample).rendered_posts == 0
    build(sample)
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)
    assert build(sample).rendered_posts == 0


def test_a_kill_while_every_chunk_is_rewritten_leaves_the_old_manifest(tmp_path):
    """A save that rewrites a big manifest whole writes more pages than SQLite's cache holds, so
    some reach the file before the commit: the journal beside it restores the old chunks when the
    file is next opened."""
    path = tmp_path / "build.sqlite"
    sample_manifest(outputs=100_000).save(path, None)
    old, old_bytes = Manifest.load(path), path.read_bytes()
    script = (
        "import sys; from pathlib import Path; from blogcli.site.manifest import Manifest, OutputEntry, key_of\n"
        "path = Path(sys.argv[1]); loaded = Manifest.load(path)\n"
        "new = Manifest(loaded.sources, {p: OutputEntry(key_of(p), 1, 2) for p in loaded.outputs}, loaded.ledgers)\n"
        "new.save(path, None)\n"
    )
    env = {**os.environ, "BLOG_CRASH_AT": "manifest:written"}
    killed = subprocess.run([sys.executable, "-c", script, str(path)], env=env, capture_output=True, text=True, timeout=WAIT)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert path.read_bytes() != old_bytes and Path(f"{path}-journal").exists()  # half written, and a hot journal
    assert Manifest.load(path) == old


# -- distrusted: anything not exactly a manifest of this format is a full build --------------------


def promise(**fields) -> list[dict]:
    """A ledger's promises of one promise: PROMISE with `fields` changed (None: left out)."""
    return [{key: value for key, value in {**PROMISE, **fields}.items() if value is not None or key not in fields}]


CRAFTED = {  # what a hand or a crafted file could make of a manifest of the right schema
    "size as text": setting("sources", "size", "ten"),
    "a digest missing": setting("sources", "digest", None),
    "a feed id as bytes": setting("sources", "extract_feed_id", b"3"),
    "an excerpt as bytes": setting("sources", "extract_excerpt", b"\x00\xff"),
    "an alias a number": setting("sources", "extract_aliases", [3]),
    "aliases a dict": setting("sources", "extract_aliases", {}),
    "aliases a tuple": setting("sources", "extract_aliases", ("a",)),
    "aliases text": setting("sources", "extract_aliases", "not a list"),
    "aliases missing": setting("sources", "extract_aliases", None),
    "a key missing": setting("outputs", "key", None),
    "an mtime a float": setting("outputs", "mtime_ns", 1.5),
    "a size a bool": setting("outputs", "size", True),
    "an output up and out": adding("outputs", "../outside/secret.md", "k", 1, 2),
    "an output absolute": adding("outputs", "/etc/secret.md", "k", 1, 2),
    "an output with an empty segment": adding("outputs", "tags//index.html", "k", 1, 2),
    "an output named by bytes": adding("outputs", b"3", "k", 1, 2),
    "an output named twice": ("outputs", lambda rows: rows.append(list(rows[0]))),
    "a promise's text a number": setting("ledgers", "promises", promise(text=1)),
    "made_in text": setting("ledgers", "promises", promise(made_in="ab")),
    "a keeper a number": setting("ledgers", "promises", promise(keeper=3)),
    "a promise without its dates": setting("ledgers", "promises", promise(made_on=None, due=None)),
    "a promise with a key more": setting("ledgers", "promises", [{**PROMISE, "more": b"x"}]),
    "promises missing": setting("ledgers", "promises", None),
    "quiet a number": setting("files", "quiet", 2),
    "an inode as text": setting("files", "inode", "x"),
    "facts missing": setting("files", "facts", None),
    "next due as text": setting("shape", "next_due", "soon"),
    "an index page up and out": setting("shape", "index_pages", ["../outside/secret.md"]),
    "a page path a number": setting("shape", "page_paths", [3]),
    "the record twice": ("shape", lambda rows: rows.append(list(rows[0]))),
    "the record named": ("shape", lambda rows: rows[0].__setitem__(0, "x")),
    "a chunk of another CRC": "update sources set crc = crc + 1",
    "a chunk that is not marshal": "update outputs set data = x'ff00', crc = 3539857293",  # the CRC of those bytes
    "a chunk missing": "update files set data = null",
    "a chunk of one column less": ("outputs", lambda rows: [row.pop() for row in rows]),
    "every output in two chunks": "insert into outputs select chunk + 1000, crc, data from outputs",
    "another format": "update meta set format = '4'",
    "a generation as text": "update meta set generation = 'x'",
    "two meta rows": "insert into meta values ('4', 1)",
    "no meta row": "delete from meta",
    "a table more": "create table extra (x)",
    "an index more": "create index by_crc on outputs (crc)",
    "a view more": "create view everything as select * from outputs",
    "a trigger more": "create trigger forget after insert on outputs begin delete from sources; end",
    "a table less": "drop table ledgers",
    "a column more": "alter table outputs add column extra text",
}


@pytest.mark.parametrize("crafted", CRAFTED.values(), ids=CRAFTED.keys())
def test_a_crafted_manifest_means_a_full_build(crafted, sample):
    build(sample)
    before = tree(sample / "site")
    if isinstance(crafted, str):
        assert changes_made(saved(sample), crafted) or crafted.startswith(("create", "drop", "alter"))
    else:
        craft(saved(sample), *crafted)
    result = build(sample)
    assert result.rendered_posts == 3 and result.written == 0
    assert tree(sample / "site") == before
    assert build(sample).rendered_posts == 0  # and the manifest it wrote is read back


def test_a_chunk_of_another_layout_means_a_full_build(tmp_path):
    """The check of the chunks themselves: a list of the names and one column per field, each as
    long as the names; an int column a list of ints or 8 bytes an int."""
    path = tmp_path / "build.sqlite"
    sample_manifest().save(path, None)

    def loaded_with_outputs(*columns) -> Manifest | None:
        data = marshal.dumps(list(columns))
        changes_made(path, "delete from outputs")
        changes_made(path, "insert into outputs values (0, ?, ?)", zlib.crc32(data), data)
        return Manifest.load(path)

    int64s = array("q", [1, 2]).tobytes()
    loaded = loaded_with_outputs(["a", "b"], ["k", "l"], [3, 4], int64s)
    assert loaded is not None and loaded.outputs == {"a": OutputEntry("k", 3, 1), "b": OutputEntry("l", 4, 2)}
    for columns in ([{"a": 1}], [["a", "b"], ["k", "l"], [3, 4]], [["a", "b", "c"], ["k", "l"], [3, 4], int64s],
                    [["a", "b"], ["k", "l"], (3, 4), int64s], [["a", "b"], ["k", "l"], [3, 4], int64s[:-1]],
                    [["a", "b"], ["k", "l"], [3, 4], int64s * 2], [["a", "b"], [b"k", "l"], [3, 4], int64s],
                    [["a", "b"], b"k" * 16, [3, 4], int64s], [("a", "b"), ["k", "l"], [3, 4], int64s]):
        assert loaded_with_outputs(*columns) is None, columns
    changes_made(path, "update outputs set data = x'ff00', crc = 3539857293")  # the CRC of bytes that are not marshal
    assert Manifest.load(path) is None


def test_an_int_beyond_64_bits_is_stored_too(tmp_path):
    """An int column is stored as 8 bytes a value where every value fits, else as a list."""
    manifest = sample_manifest()
    manifest.files["drafts/y.md"] = FileEntry(1, -2, 2**64 - 1, "f" * 32, True)  # an inode of some file systems
    manifest.save(tmp_path / "build.sqlite", None)
    assert Manifest.load(tmp_path / "build.sqlite") == manifest


def test_a_crafted_edit_that_keeps_the_types_is_read(sample):
    """The crafting above changes only what each case says: the same edit with the right types reads back."""
    build(sample)
    craft(saved(sample), *setting("sources", "size", 10))
    craft(saved(sample), "outputs", lambda rows: None)
    loaded = Manifest.load(saved(sample))
    assert loaded is not None and {entry.size for entry in loaded.sources.values()} == {10}


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000,
                                     b'{"format": "3", "sources": {}, "outputs": {}, "ledgers": {}}', "truncated"])
def test_a_manifest_that_is_not_a_database_of_ours_means_a_full_build(content, sample):
    build(sample)
    before = tree(sample / "site")
    path = saved(sample)
    path.write_bytes(path.read_bytes()[:20_000] if content == "truncated" else content)
    result = build(sample)
    assert result.rendered_posts == 3 and result.written == 0
    assert tree(sample / "site") == before
    assert build(sample).rendered_posts == 0


@pytest.mark.parametrize("suffix", ["", "-wal", "-journal"])
def test_a_link_at_the_manifest_or_beside_it_is_never_followed(suffix, sample, tmp_path):
    """Not read (a full build), not written through: the file it points to keeps its bytes."""
    build(sample)
    target = tmp_path / "elsewhere.sqlite"
    target.write_bytes(saved(sample).read_bytes())  # a valid manifest, outside the workspace
    before = target.read_bytes()
    link = Path(f"{saved(sample)}{suffix}")
    if not suffix:
        saved(sample).unlink()
    link.symlink_to(target)
    result = build(sample)
    assert result.rendered_posts == 3
    assert target.read_bytes() == before and not link.is_symlink()
    assert build(sample).rendered_posts == 0


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_a_fifo_at_the_manifest_or_beside_it_hangs_nothing(suffix, sample):
    build(sample)
    fifo = Path(f"{saved(sample)}{suffix}")
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    result = blog(sample, "build", "--json")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert build(sample).rendered_posts == 0


def test_a_deleted_manifest_means_a_full_build_with_the_same_output(sample):
    build(sample)
    before = tree(sample / "site")
    saved(sample).unlink()
    (sample / "site/stale-leftover.html").write_text("old")
    result = build(sample)
    assert result.rendered_posts == 3 and result.written == 0
    assert tree(sample / "site") == before
