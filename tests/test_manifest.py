"""The build manifest in SQLite (site/manifest.py): it reads back what it wrote, a save writes only
the rows that differ from those loaded, a kill during a save leaves a manifest that can be used, and
a file that is not exactly one of its own (crafted, garbled, a link, a FIFO) means a full build."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

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
    _columns,
    _entries,
    _entries_of,
    _row,
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


def rows_differing(before: Manifest, after: Manifest) -> int:
    """The rows a save of `after` over `before` inserts, replaces or deletes (a record's one row
    is deleted and inserted)."""
    count = 0
    for table in _TABLES:
        old, new = _entries_of(before, table), _entries_of(after, table)
        changed = len(old.keys() ^ new.keys()) + sum(1 for name, entry in new.items() if old.get(name) not in (None, entry))
        count += changed if table.key is not None else (len(old) + len(new)) * bool(changed)
    return count


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
    """The tables are made from the NamedTuples: a new field of a kind the manifest knows (here a
    nested record with an optional float and a list) needs nothing but the field."""
    assert [name for name, _kind in _columns(Entry)] == ["size", "shape_key", "shape_next_due", "shape_pages", "note"]
    entries = [Entry(1, Shape("k", 1.5, ["a", "b"]), None), Entry(2, Shape("l", None, []), "n")]
    rows = [_row(Entry, entry) for entry in entries]
    assert rows[0] == [1, "k", 1.5, '["a","b"]', None]
    assert list(_entries(Entry, iter(zip(*rows)))) == entries
    rows[1][3] = "[1]"  # a list of a number where the field is a list of text
    with pytest.raises(ValueError):
        list(_entries(Entry, iter(zip(*rows))))


def test_the_record_of_the_whole_build_is_a_table_of_one_row(tmp_path, counted):
    path = tmp_path / "build.sqlite"
    first = sample_manifest()
    first.save(path, None)
    loaded = Manifest.load(path)
    assert loaded == first
    second = sample_manifest()
    second.shape = second.shape._replace(next_due=None, page_paths=[])
    counted.clear()
    second.save(path, loaded)
    assert counted == [2 + 2]  # its row and the meta row, each replaced
    assert Manifest.load(path) == second
    third = sample_manifest()
    third.shape = None
    third.save(path, Manifest.load(path))
    assert Manifest.load(path) == third
    changes_made(path, "insert into shape values ('a', 'b', null, 'c', 'd', '[]', '[]', null), ('e', 'f', null, 'g', 'h', '[]', '[]', null)")
    assert Manifest.load(path) is None  # a record of two rows


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


def test_a_save_writes_only_the_rows_that_differ_from_those_loaded(tmp_path, counted):
    path = tmp_path / "build.sqlite"
    sample_manifest(outputs=100).save(path, None)
    assert counted == [2 + 100 + 2 + 2 + 1 + 1]  # every row, and the meta row
    loaded = Manifest.load(path)
    changed = sample_manifest(outputs=100)
    changed.outputs["p1/index.html"] = OutputEntry("j" * 32, 1, 2)  # replaced
    del changed.outputs["p2/index.html"]  # deleted
    changed.outputs["new/index.html"] = OutputEntry("n" * 32, 3, 4)  # inserted
    counted.clear()
    changed.save(path, loaded)
    assert counted == [3 + 2]  # three rows, and the meta row replaced (deleted, inserted) with the count of saves
    assert Manifest.load(path) == changed
    counted.clear()
    changed.save(path, Manifest.load(path))
    assert counted == [0]  # loading opens the file; a save with nothing to write does not


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


def test_a_build_after_one_edit_rewrites_only_the_rows_that_changed(sample, counted):
    build(sample)
    before = Manifest.load(saved(sample))
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    counted.clear()
    build(sample)
    connections = list(counted)  # the load's, then the save's
    after = Manifest.load(saved(sample))
    differing = rows_differing(before, after)
    assert 0 < differing < len(after.outputs) // 2
    assert connections == [0, differing + 2]  # the save: those rows and the meta row replaced, not the others
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


def test_a_kill_while_every_row_is_rewritten_leaves_the_old_manifest(tmp_path):
    """A save that rewrites a big manifest whole writes more pages than SQLite's cache holds, so
    some reach the file before the commit: the journal beside it restores the old rows when the
    file is next opened."""
    path = tmp_path / "build.sqlite"
    sample_manifest(outputs=30_000).save(path, None)
    old, old_bytes = Manifest.load(path), path.read_bytes()
    script = (
        "import sys; from pathlib import Path; from blogcli.site.manifest import Manifest, OutputEntry\n"
        "path = Path(sys.argv[1]); loaded = Manifest.load(path)\n"
        "new = Manifest(loaded.sources, {p: OutputEntry('x' * 32, 1, 2) for p in loaded.outputs}, loaded.ledgers)\n"
        "new.save(path, None)\n"
    )
    env = {**os.environ, "BLOG_CRASH_AT": "manifest:written"}
    killed = subprocess.run([sys.executable, "-c", script, str(path)], env=env, capture_output=True, text=True, timeout=WAIT)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert path.read_bytes() != old_bytes and Path(f"{path}-journal").exists()  # half written, and a hot journal
    assert Manifest.load(path) == old


# -- distrusted: anything not exactly a manifest of this format is a full build --------------------


CRAFTED_ROWS = [  # (a number in a text column is stored as text: a blob or a null is the wrong type there)
    "update sources set size = 'ten'",
    "update sources set digest = null",
    "update sources set extract_feed_id = x'33'",
    "update sources set extract_excerpt = x'00ff'",
    "update sources set extract_aliases = '[3]'",
    "update sources set extract_aliases = '{}'",
    "update sources set extract_aliases = 'not json'",
    "update sources set extract_aliases = '[\"a\"],[\"b\"]'",  # two values in a row
    "update sources set extract_aliases = null",
    "update outputs set key = null",
    "update outputs set mtime_ns = 1.5",
    "insert into outputs values ('../outside/secret.md', 'k', 1, 2)",
    "insert into outputs values ('/etc/secret.md', 'k', 1, 2)",
    "insert into outputs values ('tags//index.html', 'k', 1, 2)",
    "insert into outputs values (x'33', 'k', 1, 2)",
    "update ledgers set promises = '[{\"text\": 1}]'",
    "update ledgers set promises = '[{\"text\": \"t\", \"made_in\": \"ab\", \"keeper\": null, \"keeper_rel\": null, \"made_on\": null, \"due\": null}]'",
    "update ledgers set promises = '[{\"text\": \"t\", \"made_in\": [], \"keeper\": 3, \"keeper_rel\": null, \"made_on\": null, \"due\": null}]'",
    "update ledgers set promises = '[{\"text\": \"t\", \"made_in\": [], \"keeper\": null}]'",
    "update ledgers set promises = 'null'",
    "update files set quiet = 2",
    "update files set inode = 'x'",
    "update files set facts = null",
    "update shape set next_due = 'soon'",
    "update shape set index_pages = '[\"../outside/secret.md\"]'",
    "update shape set page_paths = '[3]'",
    "insert into shape select * from shape",
    "update meta set format = '3'",
    "update meta set generation = 'x'",
    "insert into meta values ('4', 1)",
    "delete from meta",
    "create table extra (x)",
    "create index by_key on outputs (key)",
    "create view everything as select * from outputs",
    "create trigger forget after insert on outputs begin delete from sources; end",
    "drop table ledgers",
    "alter table outputs add column extra text",
]


@pytest.mark.parametrize("statement", CRAFTED_ROWS)
def test_a_crafted_manifest_means_a_full_build(statement, sample):
    build(sample)
    before = tree(sample / "site")
    assert changes_made(saved(sample), statement) or statement.startswith(("create", "drop", "alter"))
    result = build(sample)
    assert result.rendered_posts == 3 and result.written == 0
    assert tree(sample / "site") == before
    assert build(sample).rendered_posts == 0  # and the manifest it wrote is read back


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
