"""`blog preview`: everything the terminal page shows about a post, gathered without printing.

The page itself is drawn by `blogcli.render.terminal`; this module decides which post, what its
header says (status, series place, reading time), what a reader would trip over (the checks
`blog publish` runs, as if the post went out now), its teasers, and its series neighbours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from blogcli.errors import NotFound
from blogcli.model.post import DRAFTS, PUBLISHED, Post, Problem
from blogcli.model.reading import reading_minutes
from blogcli.model.series import PartOf
from blogcli.model.teasers import Teaser
from blogcli.workspace.cachefiles import CacheFolder
from blogcli.workspace.store import Workspace


@dataclass
class SeriesPlace:
    title: str
    place: PartOf | None  # "Part N of M" (None: the post has no part number)
    total: int  # the parts out or scheduled (this one counted as it will be once out)
    previous: Post | None  # neighbours among every part, drafts and planned ones included
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
        """The reading time the site shows too (blogcli.model.reading)."""
        return reading_minutes(self.words, self.words_per_minute)

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
    from blogcli.model.series import SeriesCatalogue, neighbours, part_of, part_total

    known = SeriesCatalogue(ws.config.series, ws.posts)
    series = known.of(post)
    if series is None:
        return None
    parts = known.parts(series)
    now = ws.now()
    previous, following = neighbours(parts, post)
    place = part_of(parts, post, now)
    return SeriesPlace(
        title=series.title,
        place=place,
        total=place.total if place else part_total(parts, now),
        previous=previous,
        next=following,
    )
