"""`blog preview`: everything the terminal page shows about a post, gathered without printing.

The page itself is drawn by `blogcli.render.terminal`; this module decides which post, what its
header says (status, series place, reading time), what a reader would trip over (the checks
`blog publish` runs, as if the post went out now), its teasers, and its series neighbours.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from blogcli.errors import NotFound
from blogcli.model.post import DRAFTS, PUBLISHED, Post, Problem
from blogcli.model.teasers import Teaser
from blogcli.workspace.cachefiles import CacheFolder
from blogcli.workspace.store import Workspace


@dataclass
class SeriesPlace:
    title: str
    part: int | None
    total: int  # every part, planned ones included
    previous: Post | None
    next: Post | None


@dataclass
class Preview:
    post: Post  # loaded from its file: `post.body` is available
    status: str  # draft, planned, scheduled, published
    status_text: str  # "published 9 Nov 2026", "scheduled for …", "not yet published"
    words: int
    words_per_minute: int
    series: SeriesPlace | None
    problems: list[Problem] = field(default_factory=list)
    teasers: list[Teaser] = field(default_factory=list)
    now: dt.datetime | None = None
    highlight_cache: CacheFolder | None = None  # where highlighted code is kept between previews

    @property
    def minutes(self) -> int:
        return math.ceil(self.words / self.words_per_minute) if self.words else 0

    def status_of(self, post: Post) -> str:
        return post.status(self.now)


def default_post(ws: Workspace) -> Post:
    """The most recently modified draft: the one the author is most likely writing."""
    drafts = [p for p in ws.posts if p.folder == DRAFTS]
    if not drafts:
        raise NotFound("there are no drafts to preview", hint="name a post: blog preview SLUG (`blog list` shows them)")
    return max(drafts, key=lambda p: (ws.path_of(p.rel).stat().st_mtime_ns, p.rel))


def prepare_preview(ws: Workspace, ref: str | None = None) -> Preview:
    """The preview of the post `ref` names (default: the most recently modified draft)."""
    from blogcli.model.teasers import detect_teasers
    from blogcli.ops.check import check_publication

    indexed = ws.resolve(ref) if ref else default_post(ws)
    post = ws.load(indexed.rel)
    now = ws.now()
    status = post.status(now)
    when = post.date if post.folder == PUBLISHED and post.date else now
    problems = [p for p in check_publication(ws, post, when) if p.path == post.rel]
    return Preview(
        post=post,
        status=status,
        status_text=_status_text(ws, post, status),
        words=post.words,
        words_per_minute=ws.config.words_per_minute,
        series=_series_place(ws, post),
        problems=problems,
        teasers=detect_teasers(post.body),
        now=now,
        highlight_cache=CacheFolder(ws.cache_dir / "highlight"),
    )


def reload_preview(ws: Workspace, rel: str) -> Preview:
    """The preview again after the file changed (for --watch): the index is read afresh."""
    ws.refresh()
    return prepare_preview(ws, rel)


def format_day(ws: Workspace, moment: dt.datetime) -> str:
    """`9 Nov 2026`, in the blog's timezone."""
    local = moment.astimezone(ws.tz)
    return f"{local.day} {local:%b %Y}"


def _status_text(ws: Workspace, post: Post, status: str) -> str:
    if status == "published":
        return f"published {format_day(ws, post.date)}" if post.date else "published"
    if status == "scheduled":
        local = post.date.astimezone(ws.tz)
        return f"scheduled for {local:%a} {format_day(ws, local)} at {local:%H:%M}"
    if status == "planned":
        return "planned (no text yet), not yet published"
    return "draft, not yet published"


def _series_place(ws: Workspace, post: Post) -> SeriesPlace | None:
    from blogcli.ops.series import neighbours, series_parts, series_title

    if not post.series:
        return None
    parts = series_parts(ws.posts, post.series)
    previous, following = neighbours(parts, post)  # its parts, not the whole blog: one scan, not two
    return SeriesPlace(
        title=series_title(ws.config, post.series),
        part=post.part,
        total=max(len(parts), 1),
        previous=previous,
        next=following,
    )
