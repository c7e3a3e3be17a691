"""The site model: which posts the site shows, and how they group into feeds, tags, the archive
and series (site/series.py). Built from the index alone: no post file is read here."""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple

from blogcli.model.post import PUBLISHED, Post
from blogcli.model.reserved import none_clash, site_name_clash
from blogcli.site.series import SiteSeries
from blogcli.site.urls import tag_key, tag_slugs
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
    if none_clash([post.slug for post in posts], static_names):  # the usual case: no call per post
        return list(posts)
    kept = []
    for post in posts:
        clash = site_name_clash(post.slug, static_names)
        if clash:
            warnings.append(f"{post.rel}: the slug {clash}; the post is left out (rename it)")
        else:
            kept.append(post)
    return kept


class Tag(NamedTuple):
    name: str  # the spelling most of its posts use (the first in sorted order on a tie)
    slug: str  # its page's name (urls.tag_slugs)
    posts: list[Post]
    spellings: int = 1  # how many spellings its posts use: with several, a new post may change `name`


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
        # each series' feed: its newest published parts (list_pages makes the feeds from these)
        self.series_feeds = {key: [p for p in reversed(parts) if p.folder == PUBLISHED][:FEED_ENTRIES]
                             for key, parts in self.series.parts.items()}
        self.in_feeds = {p.rel for p in self.public[:FEED_ENTRIES]}
        for listed in self.series_feeds.values():
            self.in_feeds.update(p.rel for p in listed)

    def tags(self) -> list[Tag]:
        """Every tag with its posts, newest first, in order of first use: spellings with one
        `urls.tag_key` are one tag, shown as most of its posts spell it; each has a page of its own."""
        by_name: dict[str, list[Post]] = {}
        for post in self.posts:
            for name in post.tags:
                tagged = by_name.setdefault(name, [])
                if not tagged or tagged[-1] is not post:  # a post that names a tag twice
                    tagged.append(post)
        spellings: dict[str, list[str]] = {}  # a tag's page name → its spellings
        for name in by_name:
            spellings.setdefault(self.tag_slug_of[name], []).append(name)
        tags = []
        for slug, names in spellings.items():
            if len(names) == 1:
                tagged = by_name[names[0]]
            else:
                members = {id(post) for name in names for post in by_name[name]}
                tagged = [post for post in self.posts if id(post) in members]
            tags.append(Tag(min(names, key=lambda name: (-len(by_name[name]), name)), slug, tagged, len(names)))
        return tags

    @functools.cached_property
    def tag_slug_of(self) -> dict[str, str]:
        """Every spelling of a tag the visible posts use → its tag's page name (urls.tag_slugs)."""
        names = {name for post in self.posts for name in post.tags}
        slugs = tag_slugs(names)
        return {name: slugs[tag_key(name)] for name in names}

    def post_context(self, post: Post) -> dict:
        """What a post page shows of other posts: its series place and promise (series.SiteSeries)
        and its tags' page names, which depend on every other tag of the site."""
        context = self.series.post_context(post)
        if post.tags:
            slug_of = self.tag_slug_of
            context["tags"] = {name: slug_of[name] for name in post.tags}
        return context

    def archive(self, tz: dt.tzinfo) -> dict[str, list[Month]]:
        """The published posts with a date by year ("2026") and month, newest first."""
        years: dict[str, list[Month]] = {}
        month, listed = None, []  # the last post's (year, month), and that month's posts
        for post in self.public:
            if not post.date:
                continue
            local = post.date.astimezone(tz)
            if (local.year, local.month) != month:  # (a year's key made once a month, not once a post)
                month = (local.year, local.month)
                months = years.setdefault(archive_year(local, tz), [])
                if not months or (months[-1].year, months[-1].month) != month:
                    months.append(Month(local.year, local.month, []))
                listed = months[-1].posts
            listed.append(post)
        return years


def archive_year(moment: dt.datetime, tz: dt.tzinfo) -> str:
    """The archive's year of a post dated `moment` ("2026"), in the blog's timezone."""
    return f"{moment.astimezone(tz).year:04}"
