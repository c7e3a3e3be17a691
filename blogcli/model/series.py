"""Series membership: a post joins a series by its front matter `series` (name) and `part`."""

from __future__ import annotations

from blogcli.model.slug import slugify


def series_key(name: str) -> str:
    """The series' slug: `The Phone Diaries` and `the-phone-diaries` name the same series."""
    return slugify(name)


def in_series(post, name: str) -> bool:
    return bool(post.series) and series_key(post.series) == series_key(name)


def next_part(posts, name: str) -> int:
    """One past the highest part number the series has (1 for a new series)."""
    return max((p.part or 0 for p in posts if in_series(p, name)), default=0) + 1
