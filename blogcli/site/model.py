"""The site model: which posts the site shows, and how they group into feeds, tags, the archive
and series (site/series.py). Built from the index alone: no post file is read here."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from blogcli.model.post import PUBLISHED, Post
from blogcli.model.reserved import site_name_clash
from blogcli.site.series import SiteSeries
from blogcli.site.urls import tag_slug
from blogcli.workspace.config import Config

FEED_ENTRIES = 20  # newest posts in the blog's feed and in each series' feed


def visible_posts(posts: list[Post], now: dt.datetime, include_drafts: bool) -> tuple[list[Post], dt.datetime | None]:
    """Published posts whose time has come, newest first (and drafts with --drafts), and when the
    next scheduled post comes due (`blog serve` rebuilds then)."""
    from blogcli.ops.listing import sort_key

    chosen: dict[str, Post] = {}
    due: list[dt.datetime] = []
    for post in posts:
        state = post.status(now)
        if state == "scheduled":
            due.append(post.date)
        if state == "published" or (include_drafts and state == "draft" and post.slug not in chosen):
            chosen[post.slug] = post
    return sorted(chosen.values(), key=sort_key, reverse=True), min(due, default=None)


def without_clashes(posts: list[Post], static_names: set[str], warnings: list[str]) -> list[Post]:
    """The posts whose page can be written: a slug that is one of the site's own names
    (model/reserved.py: `tags`, `feed.xml`…) or a top-level name of static/ (`static_names`,
    casefolded) is left out with a warning: static/ files win over generated pages, so a post
    there would be half hidden."""
    kept = []
    for post in posts:
        clash = site_name_clash(post.slug, static_names)
        if clash:
            warnings.append(f"{post.rel}: the slug {clash}; the post is left out (rename it)")
        else:
            kept.append(post)
    return kept


class Tag(NamedTuple):
    name: str  # as the first post that has it spells it
    slug: str
    posts: list[Post]


class Month(NamedTuple):
    year: int
    month: int
    posts: list[Post]

    @property
    def id(self) -> str:
        return f"{self.year:04}-{self.month:02}"


class SiteModel:
    """The visible posts, newest first, and their groups."""

    def __init__(self, posts: list[Post], config: Config, base: str, every: list[Post], now: dt.datetime, tz: dt.tzinfo):
        self.posts = posts
        self.public = [p for p in posts if p.folder == PUBLISHED]
        self.series = SiteSeries(posts, config, base, every, now, tz)
        self.in_feeds = {p.rel for p in self.public[:FEED_ENTRIES]}
        for parts in self.series.parts.values():
            self.in_feeds.update(p.rel for p in [p for p in reversed(parts) if p.folder == PUBLISHED][:FEED_ENTRIES])

    def tags(self) -> list[Tag]:
        """Every tag in order of first use (tags differing only in case or punctuation are one tag)."""
        tags: dict[str, Tag] = {}
        for post in self.posts:
            for name in post.tags:
                slug = tag_slug(name)
                tag = tags.setdefault(slug, Tag(name, slug, []))
                if not tag.posts or tag.posts[-1] is not post:  # two names, one tag
                    tag.posts.append(post)
        return list(tags.values())

    def archive(self, tz: dt.tzinfo) -> dict[str, list[Month]]:
        """The published posts with a date by year ("2026") and month, newest first."""
        years: dict[str, list[Month]] = {}
        for post in self.public:
            if not post.date:
                continue
            local = post.date.astimezone(tz)
            months = years.setdefault(f"{local.year:04}", [])
            if not months or (months[-1].year, months[-1].month) != (local.year, local.month):
                months.append(Month(local.year, local.month, []))
            months[-1].posts.append(post)
        return years
