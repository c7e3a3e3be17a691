"""Listing posts: filters, order, what the Date column means, and the JSON shape scripts rely on."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from blogcli.errors import InvalidValue
from blogcli.model.post import PUBLISHED, STATUSES, Post
from blogcli.model.series import Series, part_order_key, series_key
from blogcli.workspace.index import summary_json

_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
# `blog list --sort`: each order's natural direction (newest, A→Z, part 1 first, longest); --reverse flips it.
SORTS = ("date", "title", "part", "words", "updated")


def sort_key(post: Post) -> tuple:
    """Newest first: the publish date, else when the draft was last touched or made."""
    return (post.date or post.updated or post.created or _EPOCH, post.slug)


def shown_date(post: Post, now: dt.datetime) -> tuple[str, dt.datetime | None]:
    """The date `sort_key` orders a post by, and what that date is: `published`, `scheduled`
    (in published/), else `dated` (a draft with a date), `updated` or `created`."""
    if post.date is not None:
        if post.folder == PUBLISHED:
            return ("scheduled" if post.date > now else "published"), post.date
        return "dated", post.date
    if post.updated is not None:
        return "updated", post.updated
    return "created", post.created


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
    posts: list[Post], now: dt.datetime, statuses: list[str] | None = None, series: Series | None = None,
    tag: str | None = None, sort: str | None = None, reverse: bool = False, limit: int | None = None,
    series_of: Callable[[Post], str | None] | None = None,
) -> list[Post]:
    """The posts `post_filter` accepts, in `sort` order (default: by part within a series, else
    newest first), at most `limit` of them. `series_of` as for `sort_posts`."""
    accept = post_filter(now, statuses, series, tag)
    chosen = [p for p in posts if accept(p)]
    sort_posts(chosen, sort or ("part" if series else "date"), reverse, series_of)
    return chosen if limit is None else chosen[:limit]


def sort_posts(
    posts: list[Post], sort: str, reverse: bool = False, series_of: Callable[[Post], str | None] | None = None
) -> None:
    """Sort in place by one of SORTS, in its natural direction (flipped by `reverse`). By part,
    posts are grouped by series: `series_of` names a post's series (its slug from
    `SeriesCatalogue.of`, so every spelling of one series groups together; without it, the slug
    of the spelling), and each series' parts are in `part_order_key` order."""
    if sort == "date":
        posts.sort(key=sort_key, reverse=not reverse)
    elif sort == "updated":
        posts.sort(key=lambda p: (p.updated or p.date or p.created or _EPOCH, p.slug), reverse=not reverse)
    elif sort == "title":
        posts.sort(key=lambda p: (p.display_title.casefold(), p.slug), reverse=reverse)
    elif sort == "words":
        posts.sort(key=lambda p: (p.words, p.slug), reverse=not reverse)
    elif sort == "part":  # each series' parts in order; posts in no series after them
        name_of = series_of or (lambda p: series_key(p.series) if p.series else None)

        def by_part(p: Post) -> tuple:
            name = name_of(p)
            return (name is None, name or "", part_order_key(p))

        posts.sort(key=by_part, reverse=reverse)
    else:
        raise InvalidValue(f"unknown sort {sort!r}", hint="choose from: " + ", ".join(SORTS))


def post_json_text(post: Post, now: dt.datetime) -> str:
    """The stable JSON shape of `blog list --json`, encoded: the status, then `post_summary`
    (from the index's ready-made text when the post came from there)."""
    return f'{{"status": "{post.status(now)}", {summary_json(post)[1:]}'
