"""Atom feeds and the sitemap: declared for the build, and written as XML text by hand.

Not templates: a feed must stay valid XML whatever a title holds (markup, control characters),
so every text goes through `_text()` and no override can break the structure. Entry ids are
fixed at first publish: the front-matter `id` when the post has one, else a `tag:` URI from the
domain, the first publish day and the slug the post had then (its first alias after a rename).

A feed's key holds its entries' paths and source digests, so it is written again only when one
of them changed; the HTML of its entries comes from `FeedBodies`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from blogcli.model.post import Post
from blogcli.site.manifest import instant
from blogcli.site.urls import url_for, url_path
from blogcli.site.views import printable
from blogcli.workspace.atomic import atomic_write
from blogcli.workspace.paths import read_regular

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
        for post in entries:
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
                content_html=absolute_urls(bodies.html(post), state.settings.base, base),
                tags=post.tags,
            ))
        site_url = base + url_path(site_path)
        return atom_feed(title=title, subtitle=subtitle, author=ws.config.author, language=ws.config.language,
                         site_url=site_url, feed_url=base + url_path(output), feed_id=site_url,
                         entries=feed_entries).encode("utf-8")

    emit.file(output, inputs, produce)


class FeedBodies:
    """The HTML of the posts a feed shows: handed over by the post workers (pages just rendered),
    kept from the last feeds written (`.blog/cache/feed-bodies.json`, by source digest and build
    settings), or read and rendered here. A publish then renders one body for the feed, not twenty
    (and loads no Pygments lexer for code in the other nineteen). The cache is JSON, not marshal
    (whose reader is not meant for crafted bytes), and distrusted: a file that is not a regular
    file or not exactly `{path: [key, html]}` counts as none."""

    def __init__(self, state: BuildState, keep: set[str]):
        self._state = state
        self._path = state.ws.cache_dir / "feed-bodies.json"
        self._keep = keep  # the blog feed's entries: kept even when only a series feed is redone
        self._kept: dict[str, tuple[str, str]] | None = None
        self._used: dict[str, tuple[str, str]] = {}

    def html(self, post: Post) -> str:
        state = self._state
        source = state.sources.get(post.rel)
        key = f"{state.settings.key} {source.digest}" if source else None
        html = state.html.get(post.rel)
        if html is None:
            kept = self._load().get(post.rel)
            html = kept[1] if kept and key and kept[0] == key else self._render(post)
        if key:
            self._used[post.rel] = (key, html)
        return html

    def save(self) -> None:
        """Keep the bodies the feeds just showed, if a feed was written."""
        if not self._used:
            return
        kept = self._load()
        bodies = {rel: entry for rel, entry in kept.items() if rel in self._keep} | self._used
        if bodies != kept:  # written body by body: ~3,600 of them are ~30 MB, not copied twice more
            atomic_write(self._path, _json_pieces(bodies), durable=False)

    def _load(self) -> dict[str, tuple[str, str]]:
        if self._kept is None:
            try:
                data = json.loads(read_regular(self._path))  # a FIFO or a link there is no cache
                self._kept = {rel: (key, html) for rel, (key, html) in data.items()
                              if type(rel) is str and type(key) is str and type(html) is str}
            except (OSError, ValueError, TypeError, AttributeError, RecursionError):
                self._kept = {}
        return self._kept

    def _render(self, post: Post) -> str:
        state = self._state
        return state.settings.body_html(state.ws.load(post.rel).body)



def _json_pieces(bodies: dict[str, tuple[str, str]]) -> Iterator[bytes]:
    """`json.dumps(bodies, separators=(",", ":"))` as bytes, one entry at a time."""
    yield b"{"
    for number, (rel, entry) in enumerate(bodies.items()):
        yield f'{"," if number else ""}{json.dumps(rel)}:{json.dumps(entry, separators=(",", ":"))}'.encode()
    yield b"}"

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
