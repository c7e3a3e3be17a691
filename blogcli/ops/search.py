"""`blog search`: full-text search over posts (and pages and comments), best match first.

The index (workspace/search_index.py) answers which files match and how well; this module
reads the query, applies the filters `blog list` has (plus dates), and finds in each hit's file
the line that matches best, for `path:line` and the snippet.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from blogcli.errors import BlogError
from blogcli.model.dates import date_range
from blogcli.model.document import Document
from blogcli.model.post import Post, Problem
from blogcli.model.search_text import Located, Query, locate, match_expression, parse_query, plain_text, readable
from blogcli.ops.listing import post_filter, sort_key
from blogcli.workspace.search_index import Row, Scope, search_rows

SEARCH_CACHE = "search.sqlite"


@dataclass
class Hit:
    kind: str  # post, page or comment
    post: Post  # the post (or page) the words are in, or the comment is on
    path: str  # the file the best match is in
    line: int  # its line there
    score: float  # BM25: higher is better
    found: Located | None  # the line's text and the matched words in it (None: the file changed since)
    comment: dict | None = None  # id, author, date of a comment

    def as_json(self, now: dt.datetime, snippet: str) -> dict:
        post = self.post
        return {
            "kind": self.kind,
            "slug": post.slug,
            "title": post.display_title,
            "status": post.status(now),
            "date": post.date.isoformat() if post.date else None,
            "series": post.series,
            "tags": post.tags,
            "post": post.rel,
            "path": self.path,
            "line": self.line,
            "score": float(f"{self.score:.4g}"),
            "snippet": snippet,
            "comment": self.comment,
        }


@dataclass
class SearchResult:
    hits: list[Hit]
    problems: list[Problem]  # files that could not be read (not searched)


def search(
    ws,
    text: str,
    *,
    statuses: list[str] | None = None,
    series: str | None = None,
    tag: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    pages: bool = False,
    comments: bool = False,
) -> SearchResult:
    """The best `limit` hits for `text` (all with None or 0) among the posts the filters select."""
    query = parse_query(text)
    now = ws.now()
    chosen = None
    if series is not None:  # any of the series' names, resolved as every command does
        from blogcli.model.series import SeriesCatalogue

        chosen = SeriesCatalogue(ws.config.series, ws.posts).resolve(series)
    accept_post = post_filter(now, statuses, chosen, tag)
    dates = date_range(since, until, ws.tz)

    def accept(row: Row) -> bool:  # (not called at all when no filter is given)
        post = row.post
        return accept_post(post) and sort_key(post)[0] in dates

    filtered = bool(statuses or series is not None or tag is not None or since or until)
    rows, problems = search_rows(
        ws.cache_dir / SEARCH_CACHE, ws.tz, ws.root, Scope(pages, comments), match_expression(query),
        accept if filtered else None, limit or None,
    )
    return SearchResult([_hit(ws, row, query) for row in rows], problems)


# -- where in the file ---------------------------------------------------------------------------


def _hit(ws, row: Row, query: Query) -> Hit:
    post = row.post
    try:
        data = ws.path_of(row.file).read_bytes()
    except OSError:  # gone since this search indexed it
        data = b""
    if row.kind == "comment":
        comment_id, author, date, number = row.comment
        candidates = _comment_lines(data, number)
        comment = {"id": comment_id, "author": author, "date": date}
    else:
        candidates = _post_lines(data, post)
        comment = None
    found = locate(candidates, query)
    if found is None:  # a phrase broken over two lines: look at each line with the next one
        pairs = [(a[0], f"{a[1].rstrip()} {b[1].lstrip()}") for a, b in zip(candidates, candidates[1:]) if b[0] == a[0] + 1]
        found = locate(pairs, query)
    if found is not None:
        line = found.line
    else:  # the file has changed since this search indexed it: its first line of text
        line = next((number for number, text in candidates if text.strip()), 1)
    return Hit(row.kind, post, row.file, line, row.score, found, comment)


def _post_lines(data: bytes, post: Post) -> list[tuple[int, str]]:
    """(file line, searchable text) of a post: the front matter's title, summary, tags and
    series, then each line of the body as indexed."""
    try:
        doc = Document.from_bytes(data)
    except BlogError:  # the file has just become unreadable
        return []
    lines: list[tuple[int, str]] = []
    for key, value in (("title", post.title), ("summary", post.summary), ("tags", ", ".join(post.tags)), ("series", post.series)):
        number = doc.key_line(key) if value else None
        if number:
            lines.append((number, value))
    first = len(doc.header) + 3 if doc.header is not None else 1
    lines.extend((number, readable(text)) for number, text in enumerate(plain_text(doc.body).split("\n"), start=first))
    return lines


_ITEM_START = re.compile(r"-(?:[ \t]|\r?$)")
_OTHER_KEYS = re.compile(r"-?[ \t]*(?:id|parent|author_url|date|kind|by_author):")
_TEXT_KEY = re.compile(r"-?[ \t]*(?:author|body):[ \t]*(?:[|>][-+0-9]*)?")


def _comment_lines(data: bytes, number: int) -> list[tuple[int, str]]:
    """(file line, text) of the `number`th comment (from 0) of a comments file: the author and
    body lines of its item in the YAML list (the whole file if items cannot be told apart)."""
    lines = data.decode("utf-8", "replace").split("\n")
    starts = [i for i, line in enumerate(lines) if _ITEM_START.match(line)]
    first, last = 0, len(lines)
    if number < len(starts):
        first = starts[number]
        last = starts[number + 1] if number + 1 < len(starts) else len(lines)
    out = []
    for i in range(first, last):
        line = lines[i]
        if _OTHER_KEYS.match(line):
            continue
        key = _TEXT_KEY.match(line)
        out.append((i + 1, readable(plain_text(line[key.end() :] if key else line))))
    return out
