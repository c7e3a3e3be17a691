"""Listing posts: filters, order, and the JSON shape scripts rely on."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from blogcli.errors import InvalidValue
from blogcli.model.post import STATUSES, Post
from blogcli.model.series import Series
from blogcli.workspace.index import summary_json

_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def sort_key(post: Post) -> tuple:
    """Newest first: the publish date, else when the draft was last touched or made."""
    return (post.date or post.updated or post.created or _EPOCH, post.slug)


def post_filter(
    now: dt.datetime, statuses: list[str] | None = None, series: Series | None = None, tag: str | None = None
) -> Callable[[Post], bool]:
    """Whether a post has one of `statuses`, is in `series` and has `tag` (each when given):
    the filters of `blog list` and `blog search`. `series` comes from `SeriesCatalogue.resolve`,
    so any of its names (slug, title, a spelling its posts use) selects all of its parts."""
    for status in statuses or []:
        if status not in STATUSES:
            raise InvalidValue(f"unknown status {status!r}", hint="choose from: " + ", ".join(STATUSES))
    wanted_tag = tag.lower() if tag is not None else None

    def accept(p: Post) -> bool:
        return (
            (not statuses or p.status(now) in statuses)
            and (series is None or series.has(p))
            and (wanted_tag is None or wanted_tag in (t.lower() for t in p.tags))
        )

    return accept


def select_posts(
    posts: list[Post], now: dt.datetime, statuses: list[str] | None = None, series: Series | None = None, tag: str | None = None
) -> list[Post]:
    accept = post_filter(now, statuses, series, tag)
    chosen = [p for p in posts if accept(p)]
    chosen.sort(key=sort_key, reverse=True)
    return chosen


def post_json_text(post: Post, now: dt.datetime) -> str:
    """The stable JSON shape of `blog list --json`, encoded: the status, then `post_summary`
    (from the index's ready-made text when the post came from there)."""
    return f'{{"status": "{post.status(now)}", {summary_json(post)[1:]}'
