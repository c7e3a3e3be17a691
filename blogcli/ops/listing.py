"""Listing posts: filters, order, and the JSON shape scripts rely on."""

from __future__ import annotations

import datetime as dt

from blogcli.errors import InvalidValue
from blogcli.model.post import STATUSES, Post
from blogcli.model.series import in_series

_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def sort_key(post: Post) -> tuple:
    """Newest first: the publish date, else when the draft was last touched or made."""
    return (post.date or post.updated or post.created or _EPOCH, post.slug)


def select_posts(
    posts: list[Post], now: dt.datetime, statuses: list[str] | None = None, series: str | None = None, tag: str | None = None
) -> list[Post]:
    for status in statuses or []:
        if status not in STATUSES:
            raise InvalidValue(f"unknown status {status!r}", hint="choose from: " + ", ".join(STATUSES))
    chosen = [
        p
        for p in posts
        if (not statuses or p.status(now) in statuses)
        and (series is None or in_series(p, series))
        and (tag is None or tag.lower() in (t.lower() for t in p.tags))
    ]
    chosen.sort(key=sort_key, reverse=True)
    return chosen


def post_json(post: Post, now: dt.datetime) -> dict:
    return {
        "slug": post.slug,
        "title": post.title,
        "status": post.status(now),
        "path": post.rel,
        "series": post.series,
        "part": post.part,
        "tags": post.tags,
        "date": post.date.isoformat() if post.date else None,
        "created": post.created.isoformat() if post.created else None,
        "updated": post.updated.isoformat() if post.updated else None,
        "words": post.words,
        "summary": post.summary,
        "next": post.next,
    }
