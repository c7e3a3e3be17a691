"""Listing posts: filters, order, what the Date column means, and the JSON shape scripts rely on."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from blogcli.errors import InvalidValue
from blogcli.model.post import PUBLISHED, STATUSES, Post
from blogcli.model.series import in_series, series_key
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
    now: dt.datetime, statuses: list[str] | None = None, series: "str | Callable[[Post], bool] | None" = None,
    tag: str | None = None,
) -> Callable[[Post], bool]:
    """Whether a post has one of `statuses`, is in `series` and has `tag` (each when given):
    the filters of `blog list` and `blog search`. `series` is a name as front matter writes it,
    or a membership test (`resolve_series(ws, name).has`, which also knows the series by its
    blog.toml slug and title)."""
    for status in statuses or []:
        if status not in STATUSES:
            raise InvalidValue(f"unknown status {status!r}", hint="choose from: " + ", ".join(STATUSES))
    wanted_tag = tag.lower() if tag is not None else None
    member = (lambda p: in_series(p, series)) if isinstance(series, str) else series

    def accept(p: Post) -> bool:
        return (
            (not statuses or p.status(now) in statuses)
            and (member is None or member(p))
            and (wanted_tag is None or wanted_tag in (t.lower() for t in p.tags))
        )

    return accept


def select_posts(
    posts: list[Post], now: dt.datetime, statuses: list[str] | None = None, series: "str | Callable[[Post], bool] | None" = None,
    tag: str | None = None, sort: str | None = None, reverse: bool = False, limit: int | None = None,
) -> list[Post]:
    """The posts `post_filter` accepts, in `sort` order (default: by part within a series, else
    newest first), at most `limit` of them."""
    accept = post_filter(now, statuses, series, tag)
    chosen = [p for p in posts if accept(p)]
    sort_posts(chosen, sort or ("part" if series else "date"), reverse)
    return chosen if limit is None else chosen[:limit]


def sort_posts(posts: list[Post], sort: str, reverse: bool = False) -> None:
    """Sort in place by one of SORTS, in its natural direction (flipped by `reverse`)."""
    if sort == "date":
        posts.sort(key=sort_key, reverse=not reverse)
    elif sort == "updated":
        posts.sort(key=lambda p: (p.updated or p.date or p.created or _EPOCH, p.slug), reverse=not reverse)
    elif sort == "title":
        posts.sort(key=lambda p: (p.display_title.casefold(), p.slug), reverse=reverse)
    elif sort == "words":
        posts.sort(key=lambda p: (p.words, p.slug), reverse=not reverse)
    elif sort == "part":  # each series' parts in order; posts in no series (or with no number) after them
        posts.sort(key=lambda p: (p.series is None, series_key(p.series or ""), p.part is None, p.part or 0, p.slug), reverse=reverse)
    else:
        raise InvalidValue(f"unknown sort {sort!r}", hint="choose from: " + ", ".join(SORTS))


def post_json_text(post: Post, now: dt.datetime) -> str:
    """The stable JSON shape of `blog list --json`, encoded: the status, then `post_summary`
    (from the index's ready-made text when the post came from there)."""
    return f'{{"status": "{post.status(now)}", {summary_json(post)[1:]}'
