"""A speed trick for the search index: FTS5's undocumented `hashsize` setting.

FTS5 gathers the terms of new rows in an in-memory hash and writes them out as a new segment
whenever the hash passes `hashsize` bytes: 1 MB unless set (FTS5_DEFAULT_HASHSIZE in SQLite's
fts5_config.c). The first index of 10,000 posts (~60 MB of text) is then written as ~60 small
segments that FTS5 keeps merging; at 64 MB it is written about once.

Measured gain (SQLite 3.40.1, the shared 2-CPU VM, CPU time so that other jobs weigh less):
FTS5 inserts alone of 4,000 benchmark posts, 0.48 s → 0.39 s (-19 %, twice alike); the first
`blog search` of 10,000 posts, the indexing process, 2.68 s → 2.35 s (-12 %, medians of 6 runs
each), though an earlier set of 7 runs each, at a heavier load, saw no difference (2.68 s vs
2.65 s). A search of an index that is up to date does not change; the memory is only used
while rows are pending.

`hashsize` is read by `sqlite3Fts5ConfigSetValue` beside the documented `pgsz` and `automerge`,
but it is not among FTS5's documented options. So it is set only on the SQLite versions it was
measured and tested on (TESTED), and a SQLite that refuses it keeps its default: slower, the same
index. (tests/test_search.py::test_the_hash_size_is_raised_only_where_tested_and_a_refusal_is_harmless)
"""

from __future__ import annotations

import sqlite3

HASH_SIZE = 64 << 20
TESTED = ((3, 40, 0), (3, 41, 0))  # SQLite versions: from, up to (not included)


def raise_hash_size(db: sqlite3.Connection, table: str) -> bool:
    """Set FTS5 table `table`'s hash size where this SQLite is known to take it; whether it was set."""
    if not TESTED[0] <= sqlite3.sqlite_version_info < TESTED[1]:
        return False
    try:
        db.execute(f"insert into {table}({table}, rank) values ('hashsize', ?)", (HASH_SIZE,))
    except sqlite3.Error:
        return False
    return True
