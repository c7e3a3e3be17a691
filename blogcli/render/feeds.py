"""Atom feeds and the sitemap, written as XML text by hand.

Not templates: a feed must stay valid XML whatever a title holds (markup, control characters),
so every text goes through `_text()` and no override can break the structure. Entry ids are
fixed at first publish: the front-matter `id` when the post has one, else a `tag:` URI from the
domain, the first publish day and the slug the post had then (its first alias after a rename).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 forbids even when escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = "1970-01-01T00:00:00Z"


def entry_id(post, config) -> str:
    """The post's permanent Atom id: `id` from its front matter, else derived so it survives renames."""
    given = post.meta.get("id") if post.meta else None
    if isinstance(given, str) and given.strip():
        return given.strip()
    aliases = post.meta.get("aliases") if post.meta else None
    if isinstance(aliases, str):
        aliases = [aliases]
    first_slug = str(aliases[0]).strip("/") if isinstance(aliases, list) and aliases else post.slug
    host = urlsplit(config.base_url).hostname or "localhost"
    when = post.date or post.created
    day = when.date().isoformat() if when else "2000-01-01"
    return f"tag:{host},{day}:/{first_slug}/"


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


@dataclass
class FeedEntry:
    title: str
    url: str
    id: str
    published: str
    updated: str
    summary: str | None = None
    content_html: str | None = None
    tags: list[str] = field(default_factory=list)


def atom_feed(*, title: str, subtitle: str, author: str, language: str, site_url: str, feed_url: str, feed_id: str,
              entries: list[FeedEntry]) -> str:
    """A complete Atom 1.0 document; `updated` is the newest entry's, so a rebuild gives the same bytes."""
    updated = max((e.updated for e in entries), default=_EPOCH)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang={_attr(language or "en")}>',
        f"  <title>{_text(title)}</title>",
    ]
    if subtitle:
        lines.append(f"  <subtitle>{_text(subtitle)}</subtitle>")
    lines += [
        f'  <link href={_attr(site_url)} rel="alternate" type="text/html"/>',
        f'  <link href={_attr(feed_url)} rel="self" type="application/atom+xml"/>',
        f"  <id>{_text(feed_id)}</id>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{_text(author or title)}</name></author>",
        '  <generator uri="https://pypi.org/project/blogcli/">blogcli</generator>',
    ]
    for entry in entries:
        lines += [
            "  <entry>",
            f'    <title type="text">{_text(entry.title)}</title>',
            f'    <link href={_attr(entry.url)} rel="alternate" type="text/html"/>',
            f"    <id>{_text(entry.id)}</id>",
            f"    <published>{entry.published}</published>",
            f"    <updated>{entry.updated}</updated>",
        ]
        lines += [f"    <category term={_attr(tag)}/>" for tag in entry.tags]
        if entry.summary:
            lines.append(f'    <summary type="text">{_text(entry.summary)}</summary>')
        if entry.content_html is not None:
            lines.append(f'    <content type="html">{_text(entry.content_html)}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(urls: list[tuple[str, str | None]]) -> str:
    """sitemaps.org XML for (absolute URL, last modification or None) pairs."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in urls:
        stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{_text(loc)}</loc>{stamp}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
