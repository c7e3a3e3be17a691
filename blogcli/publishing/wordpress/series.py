"""Where a post stands in its series, for the box WordPress shows: the one door to the series rules.

Everything the box needs from blogcli's series rules (which posts are parts, their order, "Part N
of M", what a part promises and which part keeps it) comes through `series_place`, from the one
series model (`model.series`: identity, order, `part_of`; `model.ledger` through
`ops.promises.series_ledger`: the promises and their keepers), so the box and the site agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from blogcli.model.post import PUBLISHED, Post
from blogcli.workspace.store import Workspace


@dataclass
class SeriesPlace:
    title: str  # the series' title
    key: str  # its slug
    parts: list[Post]  # the parts readers can have: published and scheduled, in order
    number: int  # N of "Part N of M"
    count: int  # M: published and scheduled parts (or the highest part number, if higher)
    teaser: str | None  # what the post promises comes next ("" for a promise without a topic)
    keeper: Post | None  # the part that keeps that promise, if it is out or scheduled


def series_place(ws: Workspace, post: Post, *, as_published: Post | None = None) -> SeriesPlace | None:
    """`post`'s place in its series (None outside one, or while it is not out). `as_published`
    stands for `post` as it will be once published (a draft about to go out): the count, the
    order and the ledger include it."""
    from blogcli.model.series import SeriesCatalogue, is_out, part_of, part_total
    from blogcli.ops.promises import series_ledger

    now = ws.now()
    stand_in = as_published or post
    posts = [stand_in if p.rel == post.rel else p for p in ws.posts]
    known = SeriesCatalogue(ws.config.series, posts)
    series = known.of(stand_in)
    if series is None or not is_out(stand_in, now):
        return None
    every = known.parts(series)
    parts = [p for p in every if is_out(p, now)]
    place = part_of(every, stand_in, now)
    made = [p for p in series_ledger(ws, series, every, now) if post.slug in p.made_in or p.origin == post.slug]
    promise = made[-1] if made else None
    out = {p.slug: p for p in parts}
    return SeriesPlace(
        title=series.title,
        key=series.slug,
        parts=parts,
        number=place.number if place else next(i for i, p in enumerate(parts, start=1) if p.rel == post.rel),
        count=place.total if place else part_total(every, now),
        teaser=promise.text if promise else None,
        keeper=out.get(promise.fulfilled_by) if promise and promise.fulfilled_by else None,
    )


def series_members(ws: Workspace, post: Post) -> list[Post]:
    """Every part of `post`'s series, whatever its status, in order ([] outside a series)."""
    from blogcli.model.series import SeriesCatalogue

    known = SeriesCatalogue(ws.config.series, ws.posts)
    series = known.of(post)
    return known.parts(series) if series is not None else []


def published_copy(post: Post, date, part: int | None) -> Post:
    """`post` as it will read once published at `date` (for `series_place(as_published=…)`); its
    `rel` stays the draft's, which is how `series_place` knows it."""
    return replace(post, folder=PUBLISHED, date=date, part=part or post.part)
