"""Series membership: a post joins a series by its front matter `series` (name) and `part`."""

from __future__ import annotations

from functools import lru_cache

from blogcli.model.slug import slugify


@lru_cache(maxsize=4096)
def series_key(name: str) -> str:
    """The series' slug: `The Phone Diaries` and `the-phone-diaries` name the same series.

    Cached: grouping 10,000 posts into series asks this millions of times for a few names."""
    return slugify(name)


def in_series(post, name: str) -> bool:
    return bool(post.series) and series_key(post.series) == series_key(name)


def next_part(posts, name: str) -> int:
    """One past the highest part number the series has (1 for a new series)."""
    return max((p.part or 0 for p in posts if in_series(p, name)), default=0) + 1
