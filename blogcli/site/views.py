"""What templates show: the site-wide values (`site` in every template) and a post as a dict.

A view is made from the post as the index read it, its excerpt and the build settings only, so
the same file and settings always give the same view (list pages rely on it: see list_pages).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Mapping
from urllib.parse import urlsplit

from blogcli.model.dates import format_datetime
from blogcli.model.post import DRAFTS, Post
from blogcli.model.reading import reading_minutes
from blogcli.render.html_text import html_words
from blogcli.site.urls import FAVICON, STYLESHEET, link_rewriter, tag_url, url_for
from blogcli.workspace.config import Config

# Characters no page or feed may hold: the control characters HTML reports (C0 but tab, line feed
# and carriage return, with form feed, which XML forbids; DEL and C1), the noncharacters, and lone
# surrogates (which cannot be written as UTF-8 at all).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                          + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)) + "]")
# For `printable`'s quick test on UTF-8: the one-byte characters of the set, and the lead bytes
# of everything else in it (C1 is \xc2\x80-\xc2\x9f, U+FDD0-U+FFFF start with \xef, the other
# planes with \xf0-\xf4; each plane's xFFFE and xFFFF end in \xbf\xbe or \xbf\xbf).
_ONE_BYTE = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_SUSPECT = _ONE_BYTE + b"\xef\xf0\xf1\xf2\xf3\xf4"


def site_context(config: Config, base: str, menu: list[dict] | None = None) -> dict:
    """The `site` every template receives: the blog's title, author, language, main URLs and the
    pages the menu links (site/pages.py)."""
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": config.language or "en",
        "locale": (config.language or "en").replace("-", "_"),  # OpenGraph's form: en_GB
        "base_url": config.base_url,
        "prefix": base,
        "home_url": base,
        "feed_url": base + "feed.xml",
        "css_url": base + STYLESHEET,
        "favicon_url": base + FAVICON,
        "series_url": base + "series/",
        "tags_url": base + "tags/",
        "archive_url": base + "archive/",
        "menu": menu or [],
        "stats_url": base + "stats/" if config.stats_page else None,  # [site] stats = true
    }


def post_view(post: Post, excerpt: str, base: str, words_per_minute: int, tz: dt.tzinfo,
              tag_slugs: Mapping[str, str]) -> dict:
    """What templates show of a post, in lists and on its page; `tag_slugs` names the page of each
    of its tags (site.model.SiteModel.tag_slug_of)."""
    later_update = post.updated and post.date and post.updated > post.date
    return {
        "slug": post.slug,
        **brief_view(post, base, tz),
        "updated": iso_time(post.updated, tz) if later_update else None,
        "updated_text": date_text(post.updated, tz) if later_update else "",
        "summary": post.summary or excerpt or "",
        "tags": [{"name": tag, "url": tag_url(base, tag_slugs[tag])} for tag in post.tags],
        "minutes": reading_minutes(post.words, words_per_minute),
        "words": post.words,
        "series": post.series,
        "part": post.part,
    }


def brief_view(post: Post, base: str, tz: dt.tzinfo) -> dict:
    """What a one-line entry (tag pages, the archive, the list of series) shows of a post: a part
    of its `post_view`, made alone (a publish makes ~2,000 of them at 10,000 posts; the whole
    view took 12 µs a post, its reading time and tags the most)."""
    return {"url": url_for(post, base), "title": post.display_title, "date": iso_time(post.date, tz),
            "date_text": date_text(post.date, tz), "draft": post.folder == DRAFTS}


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
    """`model.dates.format_datetime` (None without a date)."""
    return format_datetime(moment, tz) if moment else None


def printable(text: str) -> str:
    """`text` without the characters no page or feed may hold (see _UNPRINTABLE): the one filter
    for both (feeds; pages through `printable_utf8`)."""
    try:
        return text if _surely_printable(text.encode("utf-8")) else _UNPRINTABLE.sub("", text)
    except UnicodeEncodeError:  # a lone surrogate
        return _UNPRINTABLE.sub("", text)


def printable_utf8(text: str) -> bytes:
    """`printable(text)` as UTF-8: a whole page (theme.render_page), encoded once."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return _UNPRINTABLE.sub("", text).encode("utf-8")
    return data if _surely_printable(data) else _UNPRINTABLE.sub("", text).encode("utf-8")


def _surely_printable(data: bytes) -> bool:
    """True when UTF-8 `data` holds none of _UNPRINTABLE's characters (False: it may).

    Scans that run at memory speed: ~13 µs for a 16 KB page, where the expression over every
    character takes ~80. Only a text that may hold one goes through the expression."""
    if len(data.translate(None, _SUSPECT)) != len(data):  # a control, U+F000-U+FFFF, or beyond the BMP
        if len(data.translate(None, _ONE_BYTE)) != len(data) or b"\xef" in data or b"\xbf\xbe" in data \
                or b"\xbf\xbf" in data:
            return False
    at = data.find(b"\xc2")
    while at >= 0:
        if data[at + 1] < 0xA0:  # U+0080-U+009F
            return False
        at = data.find(b"\xc2", at + 2)
    return True


def excerpt(body_html: str, limit: int = 40) -> str:
    """The first paragraph as plain text, cut at about `limit` words: for lists without a summary.

    The paragraph is found as `<p>(.*?)</p>` would find it, by two `find`s (~4x quicker)."""
    start = body_html.find("<p>")
    end = body_html.find("</p>", start + 3) if start >= 0 else -1
    if end < 0:
        return ""
    words = html_words(body_html[start + 3 : end])
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


# --- what a post page tells machines: link previews and search engines ------------------------


def site_url(base_url: str, base: str, path: str) -> str:
    """A site path (`/blog/x/`) as an absolute URL under base_url (`https://example.org/blog/x/`)."""
    return base_url + path[len(base) :] if path.startswith(base) else path


def card_image(value: object, base: str, base_url: str) -> str | None:
    """The absolute URL of a post's `image:` for link previews: a web URL as given, a path in
    static/ under base_url (as a link in the body resolves it); anything else (javascript:,
    data:, a path outside the site, not text) names no image."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    scheme = urlsplit(value).scheme.lower()
    if scheme in ("http", "https"):
        return value
    if scheme or value.startswith("//"):
        return None
    path = link_rewriter(base)(value)
    return site_url(base_url, base, path) if path.startswith(base) else None


def blog_posting(view: dict, site: dict, url: str, series: dict | None) -> dict:
    """The post as a schema.org BlogPosting (JSON-LD), with the properties jekyll-seo-tag and
    Hugo's internal schema template give, and its series as a CreativeWorkSeries with the part as
    its `position`. Templates get it as `post.json_ld` and, written out, as `post.json_ld_html`
    (`json_ld_html`)."""
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": view["title"],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": site["language"],
        "wordCount": view["words"],
    }
    if view["date"]:
        posting["datePublished"] = view["date"]
        posting["dateModified"] = view["updated"] or view["date"]
    if site["author"]:
        posting["author"] = {"@type": "Person", "name": site["author"]}
    if view["summary"]:
        posting["description"] = view["summary"]
    if view.get("image"):
        posting["image"] = view["image"]
    if view["tags"]:
        posting["keywords"] = [tag["name"] for tag in view["tags"]]
    if series:
        posting["isPartOf"] = {"@type": "CreativeWorkSeries", "name": series["title"],
                               "url": site_url(site["base_url"], site["prefix"], series["url"])}
        posting["position"] = series["part"]
    return posting


def json_ld_html(posting: dict):
    """`posting` as JSON for a `<script>`, exactly as Jinja's `tojson` writes it (Jinja's own
    htmlsafe_json_dumps, keys sorted as its default policy): <, >, & and ' escaped, so no title
    can end the script. Made here with one reused encoder: the filter in the template builds an
    encoder for every page (a theme's `post.json_ld | tojson` gives the same bytes)."""
    from jinja2.utils import htmlsafe_json_dumps

    return htmlsafe_json_dumps(posting, dumps=_json_encoder().encode)


@functools.cache
def _json_encoder():
    import json

    return json.JSONEncoder(sort_keys=True)
