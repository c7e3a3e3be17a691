"""Atom feeds and the sitemap: declared for the build, and written as XML text by hand.

Not templates: a feed must stay valid XML whatever a title holds (markup, control characters),
so every text goes through `_text()` and no override can break the structure. Entry ids are
fixed at first publish: the front-matter `id` when the post has one, else a `tag:` URI from the
domain, the first publish day and the slug the post had then (its first alias after a rename).

A feed's key holds its entries' paths and source digests, so it is written again only when one
of them changed, by `make_feed` in the worker processes; the HTML of its entries is kept by the
post pages (`keep_body`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from blogcli.model.post import Post
from blogcli.site.manifest import instant
from blogcli.site.urls import url_for, url_path
from blogcli.site.views import printable
from blogcli.workspace.cachefiles import read_cache_file, write_cache_file
from blogcli.workspace.paths import real_folder
from blogcli.workspace.store import CACHE_DIR

if TYPE_CHECKING:
    from blogcli.site.emitter import BuildState, Emitter
    from blogcli.site.settings import BuildSettings

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


class FeedItem(NamedTuple):
    """What a feed's file is made from (`make_feed`, in the worker processes when they run)."""

    title: str
    subtitle: str
    author: str
    language: str
    site_url: str
    feed_url: str
    entries: list[tuple[FeedEntry, str, str | None]]  # each entry without its content, its post's path and body key


def declare_feed(emit: Emitter, state: BuildState, output: str, title: str, subtitle: str, site_path: str,
                 entries: list[Post]) -> None:
    """An Atom feed of full posts with absolute URLs, written only when one of its entries changed."""
    ws, sources = state.ws, state.sources
    base = ws.config.base_url
    inputs = [title, subtitle, site_path, [[p.rel, sources[p.rel].digest] for p in entries if p.rel in sources]]

    def item() -> FeedItem:
        feed_entries = []
        for post in entries:
            first = post.date or post.created
            last = post.updated if post.updated and first and post.updated > first else first
            source = sources.get(post.rel)
            entry = FeedEntry(
                title=post.display_title,
                url=url_for(post, base),
                id=(source.extract.feed_id if source else None) or post.slug,
                published=ws.format_date(first) if first else _EPOCH,
                updated=ws.format_date(last) if last else _EPOCH,
                summary=post.summary,
                tags=post.tags,
            )
            feed_entries.append((entry, post.rel, body_key(state.settings, source.digest) if source else None))
        site_url = base + url_path(site_path)
        return FeedItem(title, subtitle, ws.config.author, ws.config.language, site_url, base + url_path(output),
                        feed_entries)

    emit.file_job(output, inputs, make_feed, item)


def make_feed(settings: BuildSettings, item: FeedItem) -> bytes:
    """A feed's file: its entries' bodies as the post pages kept them (`kept_body`), else rendered
    from the post file and kept (a publish renders one body, not twenty, and loads no Pygments
    lexer for code in the other nineteen)."""
    entries = []
    for entry, rel, key in item.entries:
        html = kept_body(settings, rel, key) if key else None
        if html is None:
            from blogcli.model.document import Document

            html = settings.body_html(Document.from_bytes((Path(settings.root) / rel).read_bytes(), rel).body)
            if key:
                keep_body(settings, rel, key, html)
        entries.append(replace(entry, content_html=absolute_urls(html, settings.base, settings.config.base_url)))
    return atom_feed(title=item.title, subtitle=item.subtitle, author=item.author, language=item.language,
                     site_url=item.site_url, feed_url=item.feed_url, feed_id=item.site_url,
                     entries=entries).encode("utf-8")


def forget_bodies_but(settings: BuildSettings, rels: set[str]) -> None:
    """Remove the kept bodies of posts no feed lists now (a name is a hash: no path is trusted)."""
    folder = _body_folder(settings)
    wanted = {body_file_name(rel) for rel in rels}
    try:
        names = os.listdir(folder) if real_folder(folder) else []
    except OSError:
        return
    for name in names:
        if name.endswith(".html") and name not in wanted:
            try:
                os.unlink(folder / name)
            except OSError:
                pass


def body_key(settings: BuildSettings, digest: str) -> str:
    """What a post's body HTML in a feed is made from: the build settings and the post file's bytes."""
    return f"{settings.key} {digest}"


def _body_folder(settings: BuildSettings) -> Path:
    return Path(settings.root) / CACHE_DIR / "feed-bodies"


def body_file_name(rel: str) -> str:
    """The name of a post's kept body in `.blog/cache/feed-bodies/` (a hash of its path)."""
    return f"{hashlib.blake2b(rel.encode(), digest_size=12).hexdigest()}.html"


def keep_body(settings: BuildSettings, rel: str, key: str, html: str) -> None:
    """Keep a post's body HTML for the feeds (the post workers do, for each page a feed lists):
    `.blog/cache/feed-bodies/<hash of its path>.html`, its first line the key and the length of the
    HTML that follows (a file cut short by a kill is then no body). The build's main process
    then never holds the ~30 MB of them all."""
    data = html.encode("utf-8")
    write_cache_file(_body_folder(settings) / body_file_name(rel), f"{key} {len(data)}\n".encode() + data)


def kept_body(settings: BuildSettings, rel: str, key: str) -> str | None:
    """The body `keep_body` kept under `key`; None for none, another key's, one cut short or not
    UTF-8 (the file is distrusted: whatever it holds is escaped as text in the feed)."""
    data = read_cache_file(_body_folder(settings) / body_file_name(rel))
    if data is None:
        return None
    head, _, body = data.partition(b"\n")
    if head != f"{key} {len(body)}".encode():
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


# A link's or image's URL that is a path on this host. Anchored at the tag's `<`: looking for
# `href=` at every character cost ~60 µs a post, and a full build writes ~7,000 feed entries.
_SITE_URL = re.compile(r'<(?:a|img)\s(?:[^>]*?\s)?(?:href|src)="(?=/(?!/))')


def absolute_urls(body_html: str, base: str, base_url: str) -> str:
    """Feed readers show posts away from the site: site paths (`/slug/`) become full URLs."""
    origin = base_url[: len(base_url) - len(base)] if base_url.endswith(base) else base_url.rstrip("/")
    return _SITE_URL.sub(lambda m: m.group(0) + origin, body_html)


class SitemapItem(NamedTuple):
    """What the sitemap is made from (`make_sitemap`, in the worker processes when they run)."""

    base_url: str
    list_pages: int  # numbered list pages beside the home page
    posts: list[tuple[str, dt.datetime | None]]  # each public post's slug and last change
    other_paths: list[str]  # tags, series, archive, /stats/ and standalone pages, as site paths


def declare_sitemap(emit: Emitter, state: BuildState, list_pages: int, other_paths: list[str]) -> None:
    """Every page's address: the home and list pages, the posts (with their last change), the
    rest. Made in a worker (`make_sitemap`): 10,000 URLs and dates are ~0.1 s of work."""
    changed = [(p.slug, p.updated if p.updated and p.date and p.updated > p.date else p.date) for p in state.model.public]
    emit.file_job("sitemap.xml", [list_pages, [(slug, instant(moment)) for slug, moment in changed], other_paths],
                  make_sitemap, lambda: SitemapItem(state.ws.config.base_url, list_pages, changed, other_paths))


def make_sitemap(settings: BuildSettings, item: SitemapItem) -> bytes:
    """The sitemap's file (a `file_job`: module-level, so it goes to the workers by name)."""
    from blogcli.model.dates import format_datetime, zone

    tz, base = zone(settings.config.timezone), item.base_url
    urls = [(base, None)] + [(f"{base}page/{n}/", None) for n in range(1, item.list_pages + 1)]
    urls += [(url_for(slug, base), format_datetime(moment, tz) if moment else None) for slug, moment in item.posts]
    urls += [(base + url_path(path), None) for path in item.other_paths]
    return sitemap(urls).encode("utf-8")
