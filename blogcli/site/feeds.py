"""Atom feeds and the sitemap: declared for the build, and written as XML text by hand.

Not templates: a feed must stay valid XML whatever a title holds (markup, control characters),
so every text goes through `_text()` and no override can break the structure. Entry ids are
fixed at first publish: the front-matter `id` when the post has one, else a `tag:` URI from the
domain, the first publish day and the slug the post had then (its first alias after a rename).

A feed's key holds its entries' paths and source digests, so it is written again only when one
of them changed; the HTML of its entries comes from `FeedBodies`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from blogcli.model.post import Post
from blogcli.site.manifest import instant
from blogcli.site.urls import url_for, url_path
from blogcli.site.views import printable

if TYPE_CHECKING:
    from blogcli.site.emitter import BuildState, Emitter

ATOM_NS = "http://www.w3.org/2005/Atom"
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
    """Character data, escaped as xml.sax.saxutils.escape does (that module imports urllib.request,
    http.client, email and ssl: ~50 ms of every build's start)."""
    return printable(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _attr(value: str) -> str:
    """A quoted attribute value, as xml.sax.saxutils.quoteattr writes it."""
    text = _text(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'



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


# --- in the build --------------------------------------------------------------------------------


def declare_feed(emit: Emitter, state: BuildState, bodies: FeedBodies, output: str, title: str, subtitle: str,
                 site_path: str, entries: list[Post]) -> None:
    """An Atom feed of full posts with absolute URLs, written only when one of its entries changed."""
    ws, sources = state.ws, state.sources
    base = ws.config.base_url
    inputs = [title, subtitle, site_path, [[p.rel, sources[p.rel].digest] for p in entries if p.rel in sources]]

    def produce() -> bytes:
        feed_entries = []
        for post, html in zip(entries, bodies.of(output, entries)):
            first = post.date or post.created
            last = post.updated if post.updated and first and post.updated > first else first
            source = sources.get(post.rel)
            feed_entries.append(FeedEntry(
                title=post.display_title,
                url=url_for(post, base),
                id=(source.extract.feed_id if source else None) or post.slug,
                published=ws.format_date(first) if first else _EPOCH,
                updated=ws.format_date(last) if last else _EPOCH,
                summary=post.summary,
                content_html=absolute_urls(html, state.settings.base, base),
                tags=post.tags,
            ))
        site_url = base + url_path(site_path)
        return atom_feed(title=title, subtitle=subtitle, author=ws.config.author, language=ws.config.language,
                         site_url=site_url, feed_url=base + url_path(output), feed_id=site_url,
                         entries=feed_entries).encode("utf-8")

    emit.file(output, inputs, produce)


class FeedBodies:
    """The HTML of the posts a feed shows: handed over by the post workers (pages just rendered),
    kept from the last time that feed was written, or read and rendered here. A publish then
    renders one body for the feed, not twenty (and loads no Pygments lexer for code in the other
    nineteen).

    Each feed keeps its entries' bodies in a cache file of its own,
    `.blog/cache/feed-bodies/<hash of the feed's path>.json` = `{path: [key, html]}` (the key: the
    build settings and the source digest), so a publish reads the twenty bodies of the feeds it
    changes, not the ~30 MB of every feed's. The files are JSON, not marshal (whose reader is not
    meant for crafted bytes), and distrusted: one that is not a regular file in a real folder, or
    not exactly of that shape, counts as none."""

    def __init__(self, state: BuildState):
        from blogcli.workspace.cachefiles import CacheFolder

        self._state = state
        self._cache = CacheFolder(state.ws.cache_dir / "feed-bodies")

    def of(self, feed: str, posts: list[Post]) -> list[str]:
        """The bodies of a feed's entries, and that feed's cache file brought up to date."""
        state = self._state
        name = body_cache_name(feed)
        kept = self._load(name)
        used: dict[str, tuple[str, str]] = {}
        bodies = []
        for post in posts:
            source = state.sources.get(post.rel)
            key = f"{state.settings.key} {source.digest}" if source else None
            html = state.html.get(post.rel)
            if html is None:
                entry = kept.get(post.rel)
                html = entry[1] if entry and key and entry[0] == key else self._render(post)
            if key:
                used[post.rel] = (key, html)
            bodies.append(html)
        if used != kept:
            self._cache.write(name, json.dumps(used, separators=(",", ":")).encode())
        return bodies

    def _load(self, name: str) -> dict[str, tuple[str, str]]:
        try:
            data = json.loads(self._cache.read(name) or b"{}")
            return {rel: (key, html) for rel, (key, html) in data.items()
                    if type(rel) is str and type(key) is str and type(html) is str}
        except (ValueError, TypeError, AttributeError, RecursionError):
            return {}

    def _render(self, post: Post) -> str:
        state = self._state
        return state.settings.body_html(state.ws.load(post.rel).body)


def body_cache_name(feed: str) -> str:
    """The name of a feed's file in `.blog/cache/feed-bodies/` (`feed` is its path in the site)."""
    return f"{hashlib.blake2b(feed.encode(), digest_size=8).hexdigest()}.json"


# A link's or image's URL that is a path on this host. Anchored at the tag's `<`: looking for
# `href=` at every character cost ~60 µs a post, and a full build writes ~7,000 feed entries.
_SITE_URL = re.compile(r'<(?:a|img)\s(?:[^>]*?\s)?(?:href|src)="(?=/(?!/))')


def absolute_urls(body_html: str, base: str, base_url: str) -> str:
    """Feed readers show posts away from the site: site paths (`/slug/`) become full URLs."""
    origin = base_url[: len(base_url) - len(base)] if base_url.endswith(base) else base_url.rstrip("/")
    return _SITE_URL.sub(lambda m: m.group(0) + origin, body_html)


def declare_sitemap(emit: Emitter, state: BuildState, list_pages: int, other_paths: list[str]) -> None:
    """Every page's address: the home and list pages, the posts (with their last change), the rest."""
    ws = state.ws
    base = ws.config.base_url
    changed = [(p.slug, p.updated if p.updated and p.date and p.updated > p.date else p.date) for p in state.model.public]

    def produce() -> bytes:
        urls = [(base, None)] + [(f"{base}page/{n}/", None) for n in range(1, list_pages + 1)]
        urls += [(url_for(slug, base), ws.format_date(moment) if moment else None) for slug, moment in changed]
        urls += [(base + url_path(path), None) for path in other_paths]
        return sitemap(urls).encode("utf-8")

    emit.file("sitemap.xml", [list_pages, [(slug, instant(moment)) for slug, moment in changed], other_paths], produce)
