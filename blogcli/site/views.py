"""What templates show: the site-wide values (`site` in every template) and a post as a dict.

A view is made from the post as the index read it, its excerpt and the build settings only, so
the same file and settings always give the same view (list pages rely on it: see list_pages).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re

from blogcli.model.post import DRAFTS, Post
from blogcli.model.reading import reading_minutes
from blogcli.site.urls import STYLESHEET, tag_url
from blogcli.workspace.config import Config

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def site_context(config: Config, base: str) -> dict:
    """The `site` every template receives: the blog's title, author, language and main URLs."""
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": config.language or "en",
        "base_url": config.base_url,
        "prefix": base,
        "home_url": base,
        "feed_url": base + "feed.xml",
        "css_url": base + STYLESHEET,
        "series_url": base + "series/",
        "tags_url": base + "tags/",
        "archive_url": base + "archive/",
    }


def post_view(post: Post, excerpt: str, base: str, words_per_minute: int, tz: dt.tzinfo) -> dict:
    """What templates show of a post, in lists and on its page."""
    later_update = post.updated and post.date and post.updated > post.date
    return {
        "slug": post.slug,
        "url": f"{base}{post.slug}/",
        "title": post.display_title,
        "date": iso_time(post.date, tz),
        "date_text": date_text(post.date, tz),
        "updated": iso_time(post.updated, tz) if later_update else None,
        "updated_text": date_text(post.updated, tz) if later_update else "",
        "summary": post.summary or excerpt or "",
        "tags": [{"name": tag, "url": tag_url(base, tag)} for tag in post.tags],
        "minutes": reading_minutes(post.words, words_per_minute),
        "words": post.words,
        "draft": post.folder == DRAFTS,
        "series": post.series,
        "part": post.part,
    }


def date_text(moment: dt.datetime | None, tz: dt.tzinfo) -> str:
    """"9 November 2026" in the blog's timezone ("" without a date)."""
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{local.day} {month_label(local.year, local.month)}"


@functools.lru_cache(maxsize=4096)
def month_label(year: int, month: int) -> str:
    """"November 2026": strftime is the slow part of a date's text, and 10,000 posts share a few hundred months."""
    return f"{dt.date(year, month, 1):%B %Y}"


def iso_time(moment: dt.datetime | None, tz: dt.tzinfo) -> str | None:
    return moment.astimezone(tz).replace(microsecond=0).isoformat() if moment else None


def excerpt(body_html: str, limit: int = 40) -> str:
    """The first paragraph as plain text, cut at about `limit` words: for lists without a summary."""
    match = _PARAGRAPH.search(body_html)
    if not match:
        return ""
    words = html.unescape(_TAG.sub("", match.group(1))).split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")
