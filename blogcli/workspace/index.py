"""A cache of every post's front matter, so listing 10,000 posts does not parse 10,000 headers.

SQLite under `.blog/cache/`, one row per file keyed by path, size and mtime: a row whose file
changed (or vanished) is re-read on the spot, so the cache can be deleted at any time and never
answers with stale data. Any trouble with the cache itself falls back to reading the files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

from blogcli.errors import FileError
from blogcli.model.post import Post, Problem, load_post

INDEX_VERSION = "1"
_FIELDS = ("title", "created", "updated", "date", "tags", "series", "part", "summary", "next", "fulfils")


def post_to_record(post: Post) -> str:
    data = {key: getattr(post, key) for key in _FIELDS}
    for key in ("date", "created", "updated"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    data["words"] = post.words
    data["has_body"] = post.has_body
    data["problems"] = [p.as_dict() for p in post.problems]
    return json.dumps(data, ensure_ascii=False)


def post_from_record(rel: str, record: str) -> Post:
    data = json.loads(record)
    for key in ("date", "created", "updated"):
        if data[key] is not None:
            data[key] = dt.datetime.fromisoformat(data[key])
    problems = [Problem(**p) for p in data.pop("problems")]
    folder, name = rel.split("/", 1)
    return Post(rel=rel, folder=folder, slug=name[:-3], doc=None, problems=problems, **data)


class Index:
    def __init__(self, path: Path):
        self.path = path
        self.db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=2, isolation_level=None)
            self.db.execute("pragma journal_mode=wal")
            self.db.execute("pragma synchronous=off")
            self.db.execute("create table if not exists meta (key text primary key, value text)")
            row = self.db.execute("select value from meta where key='version'").fetchone()
            if not row or row[0] != INDEX_VERSION:
                self.db.execute("drop table if exists posts")
                self.db.execute("insert or replace into meta values ('version', ?)", (INDEX_VERSION,))
            self.db.execute(
                "create table if not exists posts (rel text primary key, size int, mtime int, record text)"
            )
        except (sqlite3.Error, OSError):
            self.db = None

    def rows(self) -> dict[str, tuple[int, int, str]]:
        if self.db is None:
            return {}
        try:
            return {rel: (size, mtime, record) for rel, size, mtime, record in self.db.execute("select * from posts")}
        except sqlite3.Error:
            return {}

    def update(self, fresh: list[tuple[str, int, int, str]], gone: list[str]) -> None:
        if self.db is None or not (fresh or gone):
            return
        try:
            with self.db:
                self.db.execute("begin")
                self.db.executemany("insert or replace into posts values (?, ?, ?, ?)", fresh)
                self.db.executemany("delete from posts where rel = ?", [(rel,) for rel in gone])
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def scan_posts(root: Path, folders: tuple[str, ...], tz: dt.tzinfo, cache: Path | None) -> tuple[list[Post], list[Problem]]:
    """Every readable post in `folders` (from the cache where fresh) and a problem per unreadable file."""
    index = Index(cache) if cache is not None else None
    known = index.rows() if index else {}
    posts: list[Post] = []
    problems: list[Problem] = []
    fresh: list[tuple[str, int, int, str]] = []
    seen: set[str] = set()
    real_root = os.path.realpath(root)
    for folder in folders:
        try:
            entries = list(os.scandir(root / folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            name = entry.name
            if not name.endswith(".md") or name.startswith("."):
                continue
            rel = f"{folder}/{name}"
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not real.startswith(real_root + os.sep):
                    problems.append(Problem(rel, None, "unsafe-path", "symlink points outside the workspace; not read"))
                    continue
            try:
                st = entry.stat()
            except OSError as exc:
                problems.append(Problem(rel, None, "unreadable", f"cannot read ({exc.strerror})"))
                continue
            if not entry.is_file():
                continue
            seen.add(rel)
            cached = known.get(rel)
            if cached and cached[0] == st.st_size and cached[1] == st.st_mtime_ns:
                posts.append(post_from_record(rel, cached[2]))
                continue
            try:
                post = load_post(Path(entry.path), rel, tz)
            except FileError as exc:
                problems.append(Problem(rel, exc.line, exc.code, exc.detail))
                continue
            posts.append(post)
            fresh.append((rel, st.st_size, st.st_mtime_ns, post_to_record(post)))
    if index:
        index.update(fresh, [rel for rel in known if rel not in seen])
        index.close()
    return posts, problems
