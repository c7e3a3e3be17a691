"""Where a post stands in its series, for the box WordPress shows: the one door to the series rules.

Everything the box needs from blogcli's series rules (which posts are parts, their order, "Part N
of M", what a part promises and which part keeps it) comes through `series_place`, so that the
rules have one owner and a change of owner is a change here only. Today they come from
`ops.series.series_parts`, `ops.promises.promise_ledger` and `model.teasers.post_teaser`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from blogcli.errors import BlogError
from blogcli.model.post import PUBLISHED, Post
from blogcli.workspace.store import Workspace

OUT = ("published", "scheduled")


@dataclass
class SeriesPlace:
    name: str  # the series as the post writes it
    title: str  # its title (blog.toml's, else the name)
    key: str  # its slug
    parts: list[Post]  # the parts readers can have: published and scheduled, in order
    number: int  # N of "Part N of M"
    count: int  # M: published and scheduled parts (or the highest part number, if higher)
    teaser: str | None  # what the post promises comes next
    keeper: Post | None  # the part that keeps that promise, if any is out or scheduled


def series_place(ws: Workspace, post: Post, *, as_published: Post | None = None) -> SeriesPlace | None:
    """`post`'s place in its series (None outside one). `as_published` stands for `post` as it will
    be once published (a draft about to go out): the count and the order include it."""
    if not post.series:
        return None
    from blogcli.model.series import series_key
    from blogcli.ops.series import series_parts, series_title

    now = ws.now()
    stand_in = as_published or post
    posts = [stand_in if p.rel == post.rel else p for p in ws.posts]
    parts = [p for p in series_parts(posts, post.series) if p.rel == post.rel or p.status(now) in OUT]
    index = next((i for i, p in enumerate(parts) if p.rel == post.rel), None)
    if index is None:  # a draft asked about without as_published: not out, so in no box
        return None
    count = max(len(parts), max((p.part or 0) for p in parts))
    teaser, keeper = _promise(ws, post, as_published is not None, {p.slug: p for p in parts})
    return SeriesPlace(
        name=post.series,
        title=series_title(ws.config, post.series),
        key=series_key(post.series),
        parts=parts,
        number=stand_in.part or index + 1,
        count=count,
        teaser=teaser,
        keeper=keeper,
    )


def _promise(ws: Workspace, post: Post, before_publishing: bool, out: dict[str, Post]) -> tuple[str | None, Post | None]:
    """What the post promises, and the part keeping it. The ledger counts only parts that are out,
    so a draft about to go out reads its own teaser (nothing can keep it yet that is out)."""
    if before_publishing:
        from blogcli.model.teasers import post_teaser

        try:
            full = ws.load(post.rel)
        except BlogError:
            return None, None
        return post_teaser(full.next, full.body), None
    from blogcli.ops.promises import promise_ledger

    made = [p for p in promise_ledger(ws, post.series) if post.slug in p.made_in or p.origin == post.slug]
    if not made:
        return None, None
    promise = made[-1]
    return promise.text, out.get(promise.fulfilled_by) if promise.fulfilled_by else None


def published_copy(post: Post, date, part: int | None) -> Post:
    """`post` as it will read once published at `date` (for `series_place(as_published=…)`); its
    `rel` stays the draft's, which is how `series_place` knows it."""
    return replace(post, folder=PUBLISHED, date=date, part=part or post.part)
