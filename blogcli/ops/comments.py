"""`blog comments`: the reader comments kept beside the posts, threaded, and those still owed an
answer.

"Unanswered" (`--unanswered`) looks at the latest published part of each series: the part readers
are talking about while the next one is written. A comment there (not a pingback or trackback,
not the author's own) counts as answered when the author replied under it (a `by_author` reply
anywhere below it in its thread), or when a later part of the series, draft or scheduled or
published, names the commenter or links to the comment (`#comment-12` for comment `wp-12`) —
that is how a series answers its readers: in the next part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blogcli.errors import BlogError
from blogcli.model.comments import Comment, comments_rel, dump_comments, merge_comments, parse_comments
from blogcli.model.post import PAGES, PUBLISHED, Post, Problem, load_post
from blogcli.model.series import series_key
from blogcli.ops.listing import sort_key
from blogcli.workspace.journal import Transaction
from blogcli.workspace.store import Workspace

PINGS = ("pingback", "trackback")


@dataclass
class Thread:
    """One post's comments: conversations in reading order (each with its depth), pings apart."""

    rel: str
    slug: str
    title: str
    comments: list[tuple[Comment, int]] = field(default_factory=list)
    pings: list[Comment] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "post": self.slug, "path": self.rel, "title": self.title,
            "comments": [{**comment.as_dict(), "depth": depth} for comment, depth in self.comments],
            "pings": [comment.as_dict() for comment in self.pings],
        }


@dataclass
class Unanswered:
    series: str
    part: int | None
    thread: Thread
    comment: Comment
    depth: int

    def as_dict(self) -> dict:
        return {"series": self.series, "part": self.part, "post": self.thread.slug, "path": self.thread.rel,
                "title": self.thread.title, **self.comment.as_dict(), "depth": self.depth}


def threaded(comments: list[Comment]) -> list[tuple[Comment, int]]:
    """Conversations in reading order: each comment followed by its replies, oldest first; a
    reply whose parent is not in the file stands as a conversation of its own."""
    ids = {c.id for c in comments}
    children: dict[str | None, list[Comment]] = {}
    for comment in comments:  # the file is oldest first already
        parent = comment.parent if comment.parent in ids and comment.parent != comment.id else None
        children.setdefault(parent, []).append(comment)
    ordered: list[tuple[Comment, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for comment in children.get(parent, []):
            if comment.id in seen:  # a loop of parents: shown once
                continue
            seen.add(comment.id)
            ordered.append((comment, depth))
            walk(comment.id, depth + 1)

    walk(None, 0)
    ordered += [(c, 0) for c in comments if c.id not in seen]
    return ordered


def _thread(ws: Workspace, rel: str, slug: str, title: str) -> Thread | None:
    path = ws.root / comments_rel(rel)
    if not path.is_file():
        return None
    comments = parse_comments(ws.path_of(comments_rel(rel)).read_bytes(), comments_rel(rel), ws.tz)
    thread = Thread(rel, slug, title)
    thread.comments = [(c, d) for c, d in threaded([c for c in comments if c.kind not in PINGS])]
    thread.pings = [c for c in comments if c.kind in PINGS]
    return thread


def _pages(ws: Workspace) -> list[Post]:
    folder = ws.root / PAGES
    if not folder.is_dir():
        return []
    pages = []
    for path in sorted(folder.glob("*.md")):
        try:
            pages.append(load_post(ws.path_of(f"{PAGES}/{path.name}"), f"{PAGES}/{path.name}", ws.tz))
        except BlogError:
            continue
    return pages


def list_comments(ws: Workspace, ref: str | None = None) -> tuple[list[Thread], list[Problem]]:
    """The comments of the post `ref` names, or of every post and page that has any (newest post
    first), and a problem for each comments file that cannot be read."""
    posts = [ws.resolve(ref)] if ref else sorted(ws.posts, key=sort_key, reverse=True) + _pages(ws)
    threads, problems = [], []
    for post in posts:
        try:
            thread = _thread(ws, post.rel, post.slug, post.display_title)
        except BlogError as exc:
            problems.append(Problem(comments_rel(post.rel), getattr(exc, "line", None), exc.code, getattr(exc, "detail", exc.message)))
            continue
        if thread is not None:
            threads.append(thread)
        elif ref:
            threads.append(Thread(post.rel, post.slug, post.display_title))
    return threads, problems


_COMMENT_NUMBER = re.compile(r"(\d+)$")


def _answered_in(text: str, comment: Comment) -> bool:
    """Whether a later part names the commenter or links to the comment."""
    number = _COMMENT_NUMBER.search(comment.id)
    if number and re.search(rf"#comment-{number.group(1)}\b", text):
        return True
    name = comment.author.strip()
    return len(name) > 1 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I) is not None


def unanswered(ws: Workspace) -> tuple[list[Unanswered], list[Problem]]:
    """Comments on the latest published part of each series that neither a reply of the author's
    nor a later part answers (see the module's docstring)."""
    now = ws.now()
    by_series: dict[str, list[Post]] = {}
    for post in ws.posts:
        if post.series:
            by_series.setdefault(series_key(post.series), []).append(post)
    found, problems = [], []
    for parts in by_series.values():
        out = [p for p in parts if p.folder == PUBLISHED and p.status(now) == "published"]
        if not out:
            continue
        latest = max(out, key=lambda p: (p.part or 0, p.date))
        try:
            thread = _thread(ws, latest.rel, latest.slug, latest.display_title)
        except BlogError as exc:
            problems.append(Problem(comments_rel(latest.rel), getattr(exc, "line", None), exc.code, getattr(exc, "detail", exc.message)))
            continue
        if thread is None:
            continue
        later = [p for p in parts if p.rel != latest.rel and ((p.part or 0) > (latest.part or 0) or p.folder != PUBLISHED
                                                               or (p.date and latest.date and p.date > latest.date))]
        texts = []
        for part in later:
            try:
                texts.append(ws.load(part.rel).body)
            except BlogError:
                continue
        replied = _replied(thread)
        for comment, depth in thread.comments:
            if comment.by_author or comment.id in replied or any(_answered_in(text, comment) for text in texts):
                continue
            found.append(Unanswered(latest.series or "", latest.part, thread, comment, depth))
    return found, problems


def _replied(thread: Thread) -> set[str]:
    """Ids of comments with a reply of the author's somewhere below them."""
    parent = {comment.id: comment.parent for comment, _ in thread.comments}
    answered: set[str] = set()
    for comment, _ in thread.comments:
        if not comment.by_author:
            continue
        above, seen = comment.parent, set()
        while above and above not in seen:
            seen.add(above)
            answered.add(above)
            above = parent.get(above)
    return answered


def carry_comments(ws: Workspace, tx: Transaction, old_rel: str, new_rel: str) -> None:
    """Move a post's comments file along with the post, in the same transaction. A comments file
    already at the new place (left by a post that went) gets these comments merged in, by id:
    neither file's words are lost."""
    source, target = comments_rel(old_rel), comments_rel(new_rel)
    if source == target or not (ws.root / source).is_file():
        return
    data = ws.path_of(source).read_bytes()
    if (ws.root / target).exists():
        merged, _ = merge_comments(parse_comments(ws.path_of(target).read_bytes(), target, ws.tz),
                                   parse_comments(data, source, ws.tz))
        data = dump_comments(merged, ws.tz)
    tx.move(source, target, data)
