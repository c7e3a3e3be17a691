"""Reader comments under a post (or page) on the site, read-only: conversations threaded as
`blog comments` threads them (model/comments.py), pingbacks and trackbacks apart.

What is shown of a comment: its author (a link only to an http(s) `author_url`, marked
`rel="nofollow ugc"`), its date, whether it is the blog author's, and its text as escaped
paragraphs: a reader's text is never HTML on the page, whatever it holds. The comments file has no
place for an e-mail address, and none is shown. Each comment has its anchor (`#comment-12` for
`wp-12`, `comment_anchor`), so links to a WordPress comment still land.

Only a regular file inside the workspace is read: the build lists the comments files with
`comments_stats` (a symlink is skipped) and reads one with O_NOFOLLOW. A file that does not parse
leaves the comments out (`blog comments` names the problem); the page is still built.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path
from typing import Callable

from blogcli.model.comments import PINGS, SUFFIX, CommentsError, comment_anchor, comments_rel, parse_comments, threaded

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
MAX_DEPTH = 5  # replies nest this deep, deeper ones stand beside their parent (WordPress's default)


def comments_stats(root: Path, folders: tuple[str, ...],
                   listed: Callable[[str], list[str] | None] | None = None) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of each comments file, by the rel of the post it belongs to: part of the
    post page's key, so a changed comments file renders its page again. `listed(folder)`: the
    folder's names as a walk just listed them (`Workspace.listed_names`), else None: it is listed
    here (published/ of 10,000 posts: ~4 ms of CPU)."""
    found: dict[str, tuple[int, int]] = {}
    for folder in folders:
        names = listed(folder) if listed is not None else None
        if names is None:
            try:
                names = os.listdir(root / folder)  # names alone: a DirEntry for each of 10,000 posts was ~2 ms more
            except (FileNotFoundError, NotADirectoryError):
                continue
        for name in [name for name in names if name.endswith(SUFFIX) and not name.startswith(".")]:
            try:
                st = os.lstat(root / folder / name)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found[f"{folder}/{name[: -len(SUFFIX)]}.md"] = (st.st_size, st.st_mtime_ns)
    return found


def read_comments(root: str | Path, post_rel: str) -> bytes | None:
    """The bytes of a post's comments file, if it is a regular file (never through a symlink)."""
    try:
        descriptor = os.open(Path(root) / comments_rel(post_rel), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        return file.read()


def comments_view(data: bytes | None, post_rel: str, tz: dt.tzinfo) -> dict | None:
    """What post.html and page.html show under the text: `threads` (each comment with its
    `replies`), `pings`, `count`; None when there is nothing to show."""
    from blogcli.site.views import date_text, iso_time

    if not data:
        return None
    try:
        comments = parse_comments(data, comments_rel(post_rel), tz)
    except CommentsError:
        return None
    if not comments:
        return None

    def view(comment) -> dict:
        url = comment.author_url if comment.author_url and comment.author_url.lower().startswith(("http://", "https://")) else None
        return {
            "anchor": comment_anchor(comment), "author": comment.author, "url": url, "by_author": comment.by_author,
            "date": iso_time(comment.date, tz), "date_text": date_text(comment.date, tz),
            "paragraphs": [part.strip() for part in _PARAGRAPH_BREAK.split(comment.body.strip()) if part.strip()],
            "replies": [],
        }

    conversation = [c for c in comments if c.kind not in PINGS]
    threads: list[dict] = []
    open_at: list[dict] = []  # the latest comment at each depth: a reply goes under the one above it
    for comment, depth in threaded(conversation):
        shown = view(comment)
        del open_at[min(depth, MAX_DEPTH - 1):]
        (open_at[-1]["replies"] if open_at else threads).append(shown)
        open_at.append(shown)
    pings = [view(c) for c in comments if c.kind in PINGS]
    return {"threads": threads, "pings": pings, "count": len(conversation)}
