"""A WordPress export (WXR 1.0, 1.1, 1.2; either namespace spelling) read into posts and pages.

The file is read twice, incrementally (iterparse, one item in memory at a time), with
defusedxml: entity declarations (billion laughs) and external references are refused, and a
file that is not well-formed XML is refused with its line before anything is converted. The
first pass gathers what every post needs to know about the others (authors, attachments, where
each post lands, series); the second converts each post as it comes.

What maps to what (README, "Coming from WordPress"): `publish` → published/ with the GMT date;
`future` → published/ with its date (scheduled, as blogcli schedules); `draft`, `pending`,
`private` and password-protected → drafts/ (the last two with a note); pages → pages/<slug>.md
(their hierarchy flattened to their own slugs, the old address kept in `aliases`); approved
comments → the comments file beside the post; e-mail addresses, IPs and passwords are never
written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator
from urllib.parse import unquote, urlsplit

from blogcli.errors import BlogError, FileError, NotFound
from blogcli.importers.parallel import ordered_map
from blogcli.importers.items import (
    DRAFT, PAGE, POST, PUBLISHED, SCHEDULED, Entry, Fresh, Item, Media, Placement, Progress, Scan, Skipped,
    number_parts, source_digest, wished_slug,
)
from blogcli.model.comments import Comment
from blogcli.render.html_text import html_to_text

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.(?:org|com)/export/\d+\.\d+/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.(?:org|com)/export/\d+\.\d+/excerpt/$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
_ZERO_DATE = "0000-00-00 00:00:00"
_MEDIA_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|avif|heic|mp3|m4a|ogg|oga|wav|flac|mp4|m4v|mov|webm|ogv|pdf|zip)$", re.I)
_LINK_TARGET = re.compile(r"\]\((\S+?)(?=[\s)])")  # every Markdown link's or image's target
_IMAGE_TARGET = re.compile(r"!\[[^\]]*\]\((\S+?)(?=[\s)])")
_UNSAFE_PATH_CHARACTER = re.compile(r"[^A-Za-z0-9._-]+")
# Post types that are not writing: what the export holds besides posts and pages.
_NOT_WRITING = {
    "attachment": "media library entries: their files stay at their URLs (--download-media copies those the posts show)",
    "nav_menu_item": "menu entries are not imported ([site] menu in blog.toml orders the pages)",
    "revision": "earlier revisions are not imported",
}


UNTITLED = "untitled at the source"


class NotWXR(BlogError):
    code = "not-wxr"


class UnsafeXML(BlogError):
    code = "unsafe-xml"


@dataclass
class _Author:
    name: str
    id: str = ""
    email: str = ""  # compared with commenters' to find the author's own replies; never written


@dataclass
class _Attachment:
    url: str
    title: str = ""
    parent: str = "0"
    order: int = 0


@dataclass
class _Found:
    """Pass one's notes on one post or page, kept for pass two."""

    entry: Entry
    notes: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


class _CountingReader:
    """A binary file that counts the bytes read from it (for the progress bar)."""

    def __init__(self, handle: IO[bytes], report):
        self.handle, self.report, self.done = handle, report, 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.done += len(data)
        if self.report:
            self.report(self.done)
        return data


def _name(tag: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 (a deliberate module-wide cache)
    """`{https://wordpress.org/export/1.2/}post_id` → `wp:post_id`, whatever the version or scheme."""
    known = cache.get(tag)
    if known is not None:
        return known
    name = tag
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        prefix = _PREFIXES.get(uri)
        if prefix is None:
            prefix = "wp" if _WP_NAMESPACE.match(uri) else "excerpt" if _EXCERPT_NAMESPACE.match(uri) else uri
        name = f"{prefix}:{local}"
    cache[tag] = name
    return name


def _fields(element) -> tuple[dict[str, str], list[tuple[str, str, str]], dict[str, str], list]:
    """An item's simple children (first of each name), categories, post meta and comments."""
    fields: dict[str, str] = {}
    categories, meta, comments = [], {}, []
    for child in element:
        name = _name(child.tag)
        if name == "category":
            categories.append((child.get("domain", ""), child.get("nicename", ""), child.text or ""))
        elif name == "wp:postmeta":
            pair = {_name(part.tag): part.text or "" for part in child}
            meta.setdefault(pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
        elif name == "wp:comment":
            comments.append({_name(part.tag): part.text or "" for part in child})
        else:
            fields.setdefault(name, child.text or "")
    return fields, categories, meta, comments


def _gmt(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value or value == _ZERO_DATE:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def _local(value: str, tz: dt.tzinfo) -> dt.datetime | None:
    moment = _gmt(value)
    return moment.replace(tzinfo=tz) if moment else None


def _url_key(url: str) -> str:
    """A URL as links to it are matched: no scheme, no `www.`, no trailing slash, host lowercased."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def site_key(url: str) -> str:
    """A WordPress site as imported posts name it in their `source:`: host and path, no scheme."""
    parts = urlsplit(url.strip())
    return parts.netloc.lower() + parts.path.rstrip("/")


def post_source(site: str, post_id: str | int) -> str:
    """The `source:` of a post imported from `site` (a site_key): `wordpress:<site>/?p=<id>`."""
    return f"wordpress:{site}/?p={post_id}"


def imported_post_id(source: object, url: str) -> int | None:
    """The WordPress id of a post imported from the site at `url` (its `source:`), else None:
    `--to wordpress` then updates that post rather than making a copy of it."""
    prefix = post_source(site_key(url), "")
    if isinstance(source, str) and source.startswith(prefix) and source[len(prefix):].isdigit():
        return int(source[len(prefix):])
    return None


class WordPressReader:
    """`scan()` then `convert()` over one WXR file."""

    name = "WordPress"

    def __init__(self, path: Path, tz: dt.tzinfo, now: dt.datetime, series_categories: tuple[str, ...] = ()):
        self.path = Path(path)
        self.tz = tz
        self.now = now
        self.series_categories = {name.lower(): name for name in series_categories}
        self.site = ""
        self.authors: dict[str, _Author] = {}
        self.attachments: dict[str, _Attachment] = {}
        self.found: dict[str, _Found] = {}
        self.links: dict[str, str] = {}  # URL key → source of the post at that URL
        self.blog_hosts: set[str] = set()
        self.attachment_urls: set[str] = set()

    # -- reading the XML -----------------------------------------------------------------------

    def _items(self, phase: str, progress: Progress | None) -> Iterator[tuple[str, object]]:
        """("channel", element) once the channel's header is read, then ("item", element) per item."""
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import ParseError, iterparse

        try:
            size = self.path.stat().st_size
            handle = self.path.open("rb")
        except FileNotFoundError:
            raise NotFound(f"{self.path}: no such file") from None
        except OSError as exc:
            raise FileError(f"cannot read ({exc.strerror})", path=str(self.path)) from None
        report = (lambda done: progress(phase, done, size)) if progress else None
        root = channel = None
        seen_item = False
        try:
            with handle:
                for event, element in iterparse(_CountingReader(handle, report), events=("start", "end")):
                    name = _name(element.tag)
                    if event == "start":
                        if root is None:
                            root = name
                            if name != "rss":
                                raise NotWXR(
                                    f"{self.path}: not a WordPress export (its root element is <{name}>, not <rss>)",
                                    hint="export one from WordPress: Tools → Export → All content",
                                )
                        elif name == "channel" and channel is None:
                            channel = element
                        elif name == "item" and not seen_item:
                            seen_item = True
                            yield "channel", channel
                    elif name == "item" and channel is not None:
                        yield "item", element
                        channel.clear()  # one item in memory at a time
                if not seen_item:
                    yield "channel", channel
        except ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise FileError(
                f"not well-formed XML ({str(exc).split(':')[0]}); nothing was imported",
                path=str(self.path),
                line=line,
                hint="a truncated or hand-edited export: export the site again",
            ) from None
        except DefusedXmlException as exc:
            kind = type(exc).__name__
            what = "declares XML entities" if "Entities" in kind else "refers to external files" if "External" in kind else "has a DTD"
            raise UnsafeXML(
                f"{self.path}: refused: the file {what} ({kind}), which WordPress exports never do and XML attacks do; "
                "nothing was imported",
            ) from None

    def _read_channel(self, channel) -> None:
        if channel is None:
            raise NotWXR(f"{self.path}: not a WordPress export (no <channel>)", hint="export one from WordPress: Tools → Export")
        fields: dict[str, str] = {}
        for child in channel:
            name = _name(child.tag)
            if name == "wp:author":
                author = {_name(part.tag): (part.text or "").strip() for part in child}
                login = author.get("wp:author_login", "")
                self.authors[login] = _Author(
                    name=html_to_text(author.get("wp:author_display_name", "")) or login,
                    id=author.get("wp:author_id", ""),
                    email=author.get("wp:author_email", "").lower(),
                )
            else:
                fields.setdefault(name, child.text or "")
        if "wp:wxr_version" not in fields and "wp:base_site_url" not in fields:
            raise NotWXR(
                f"{self.path}: not a WordPress export (an RSS feed without WordPress's export fields)",
                hint="export one from WordPress: Tools → Export → All content (a feed holds only the latest posts)",
            )
        blog = (fields.get("wp:base_blog_url") or fields.get("link") or "").strip()
        parts = urlsplit(blog)
        self.site = site_key(blog) or "wordpress"
        self.blog_hosts = {parts.netloc.lower().removeprefix("www.")} - {""}

    # -- phase one ---------------------------------------------------------------------------------

    def scan(self, progress: Progress | None = None) -> Scan:
        scan = Scan(entries=[])
        not_writing: Counter = Counter()
        for kind, element in self._items("reading", progress):
            if kind == "channel":
                self._read_channel(element)
                continue
            fields, categories, meta, _ = _fields(element)
            post_type = fields.get("wp:post_type", "post")
            post_id = fields.get("wp:post_id", "").strip()
            if post_type == "attachment":
                url = (fields.get("wp:attachment_url") or fields.get("guid") or "").strip()
                if url:
                    order = fields.get("wp:menu_order", "0").strip()
                    self.attachments[post_id] = _Attachment(
                        url, html_to_text(fields.get("title", "")), fields.get("wp:post_parent", "0").strip(),
                        int(order) if order.lstrip("-").isdigit() else 0,
                    )
            if post_type not in (POST, PAGE):
                not_writing[post_type] += 1
                continue
            found = self._entry(fields, categories, meta, scan)
            if found is None:
                continue
            if post_id in self.found:
                scan.skipped.append(Skipped(found.entry.origin, f"post id {post_id} appears twice in the export; the first was kept"))
                continue
            self.found[post_id] = found
            scan.entries.append(found.entry)
            for url in (fields.get("link", ""), fields.get("guid", "")):
                if url.strip():
                    self.links.setdefault(_url_key(url), found.entry.source)
        if not self.site:
            raise NotWXR(f"{self.path}: not a WordPress export (no <channel>)")
        for post_type, count in sorted(not_writing.items()):
            reason = _NOT_WRITING.get(post_type, "not a post or a page")
            scan.skipped.append(Skipped(f"{count} {post_type} item{'s' if count != 1 else ''}", reason))
        number_parts(scan.entries)
        self.attachment_urls = {a.url for a in self.attachments.values()}
        return scan

    def _entry(self, fields: dict, categories: list, meta: dict, scan: Scan) -> _Found | None:
        post_id = fields.get("wp:post_id", "").strip()
        title = html_to_text(fields.get("title", ""))
        post_type = fields.get("wp:post_type", "post")
        origin = f"{post_type} {post_id}" + (f" {title!r}" if title else " (untitled)")
        status = fields.get("wp:status", "publish").strip()
        protected = bool((fields.get("wp:post_password") or "").strip())
        notes = []
        if status in ("trash", "auto-draft", "inherit"):
            reasons = {"trash": "in WordPress's trash", "auto-draft": "an auto-draft WordPress saved, never written",
                       "inherit": "a revision"}
            scan.skipped.append(Skipped(origin, reasons[status]))
            return None
        if status == "publish" and not protected:
            state = PUBLISHED
        elif status == "future" and not protected:
            state = SCHEDULED
        else:
            state = DRAFT
            if status == "private":
                notes.append("private at the source (only its author could read it)")
            if protected:
                notes.append("password-protected at the source (the password is not imported)")
        date = _gmt(fields.get("wp:post_date_gmt", "")) or _local(fields.get("wp:post_date", ""), self.tz)
        if state == PUBLISHED and date is not None and date > self.now:
            state = SCHEDULED
        series = part = None
        tags, kept_categories = [], []
        for domain, nicename, text in categories:
            name = html_to_text(text)
            if domain == "series":
                series = series or name
            elif domain == "post_tag":
                tags.append(name)
            elif domain == "category":
                wanted = self.series_categories.get(name.lower()) or self.series_categories.get(nicename.lower())
                if wanted and not series:
                    series = name
                elif nicename != "uncategorized":
                    kept_categories.append(name)
        if series and meta.get("_series_part", "").strip().isdigit():
            part = int(meta["_series_part"].strip()) or None
        source = post_source(self.site, post_id)
        entry = Entry(
            source=source, origin=origin, kind=PAGE if post_type == PAGE else POST, state=state,
            slug=wished_slug(fields.get("wp:post_name"), title), date=date, series=series, part=part, key=post_id,
        )
        aliases = []
        link_path = urlsplit(fields.get("link", "").strip()).path.strip("/")
        if link_path and link_path != entry.slug and not urlsplit(fields.get("link", "")).query:
            aliases.append(link_path)
        if not title:
            notes.append(UNTITLED)
        return _Found(entry, notes, aliases, kept_categories, tags)

    # -- phase two --------------------------------------------------------------------------------

    def convert(self, scan: Scan, placement: Placement, progress: Progress | None = None) -> Iterator[Item | Skipped]:
        wanted = {entry.key for entry in scan.entries}
        targets = {key: link for key, link in ((key, placement.link(source)) for key, source in self.links.items()) if link}

        options = sorted(self.series_categories)

        def raw_items() -> Iterator[tuple]:
            for kind, element in self._items("converting", progress):
                if kind != "item":
                    continue
                fields, categories, meta, comments = _fields(element)
                post_id = fields.get("wp:post_id", "").strip()
                if post_id not in wanted or fields.get("wp:post_type") not in (POST, PAGE):
                    continue
                digest = source_digest(fields, categories, meta, comments, options)
                if placement.fresh(self.found[post_id].entry.source, digest):
                    left = Counter(_left_out(c) for c in comments if _left_out(c))
                    yield "fresh", post_id, left
                else:
                    yield "convert", post_id, fields, meta, comments, digest

        converter = _Converter(self, targets)
        for item, left in ordered_map(converter, raw_items(), expected=len(scan.entries), light=lambda raw: raw[0] == "fresh"):
            scan.comments_left.update(left)
            yield item

    def _item(self, found: _Found, fields: dict, meta: dict, comments: list, context, left: Counter) -> Item:
        from blogcli.importers.wp_markup import content_to_markdown

        entry = found.entry
        body, later = content_to_markdown(fields.get("content:encoded", ""), context)
        author = self.authors.get(fields.get("dc:creator", "").strip())
        title = html_to_text(fields.get("title", ""))
        tags = list(dict.fromkeys(found.tags + found.categories))
        image = None
        thumbnail = meta.get("_thumbnail_id", "").strip()
        if thumbnail in self.attachments:
            image = self.attachments[thumbnail].url
        notes = found.notes + later
        front: list[tuple[str, object]] = [
            ("title", title or None),
            ("date" if entry.state != DRAFT else "created", entry.date),
            ("tags", tags),
            ("categories", found.categories),
            ("series", entry.series),
            ("part", entry.part),
            ("summary", html_to_text(fields.get("excerpt:encoded", "")) or None),
            ("author", author.name if author else (fields.get("dc:creator") or "").strip() or None),
            ("sticky", True if fields.get("wp:is_sticky", "0").strip() == "1" else None),
            ("image", image),
            ("aliases", found.aliases),
        ]
        if entry.kind == PAGE and entry.state == DRAFT:
            front.append(("draft", True))
        front.append(("import_notes", [n for n in found.notes if n != UNTITLED] + later))  # what changed in meaning
        item = Item(entry, front, body, notes=notes)
        item.comments = self._comments(comments, author, left)
        item.media = self._media(body, image)
        return item

    def _comments(self, raw: list[dict], author: _Author | None, left: Counter) -> list[Comment]:
        """The approved comments, threaded; the others only counted in `left`, by reason."""
        from blogcli.importers.wp_markup import comment_to_markdown

        parents = {c.get("wp:comment_id", "").strip(): c.get("wp:comment_parent", "0").strip() for c in raw}
        kept: list[tuple[dict, str]] = []
        for comment in raw:
            reason = _left_out(comment)
            if reason:
                left[reason] += 1
                continue
            kept.append((comment, comment.get("wp:comment_id", "").strip()))
        approved_ids = {cid for _, cid in kept}
        result = []
        for comment, cid in kept:
            parent = parents.get(cid, "0")
            seen = set()
            while parent and parent != "0" and parent not in approved_ids and parent not in seen:
                seen.add(parent)
                parent = parents.get(parent, "0")  # its parent was not imported: hang it on the nearest that was
            kind = (comment.get("wp:comment_type") or "comment").strip() or "comment"
            email = comment.get("wp:comment_author_email", "").strip().lower()
            user = comment.get("wp:comment_user_id", "0").strip()
            by_author = bool(author) and ((user not in ("", "0") and user == author.id) or (bool(email) and email == author.email))
            result.append(Comment(
                id=f"wp-{cid}",
                parent=f"wp-{parent}" if parent and parent != "0" else None,
                author=html_to_text(comment.get("wp:comment_author", "")) or "Anonymous",
                author_url=(comment.get("wp:comment_author_url") or "").strip() or None,
                date=_gmt(comment.get("wp:comment_date_gmt", "")) or _local(comment.get("wp:comment_date", ""), self.tz),
                body=comment_to_markdown(comment.get("wp:comment_content", "")) or "(empty)",
                kind=kind if kind in ("pingback", "trackback") else "comment",
                by_author=by_author,
            ))
        return result

    # -- media -----------------------------------------------------------------------------------

    def _is_ours(self, url: str, image: bool) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        host = parts.netloc.lower().removeprefix("www.")
        ours = (
            host in self.blog_hosts or host.endswith(".files.wordpress.com") or "/wp-content/uploads/" in parts.path
            or url in self.attachment_urls
        )
        return ours and (image or bool(_MEDIA_FILE.search(parts.path)))

    def _media(self, body: str, image: str | None) -> list[Media]:
        """The files of the blog's own that the post shows or links to (for --download-media)."""
        images = set(_IMAGE_TARGET.findall(body))
        urls = [url for url in _LINK_TARGET.findall(body) if self._is_ours(url, image=url in images)]
        if image and self._is_ours(image, image=True):
            urls.append(image)
        return [Media(target=media_target(url), url=url) for url in dict.fromkeys(urls)]


def _left_out(comment: dict) -> str | None:
    """Why a comment is not imported (spam, trash, unapproved), or None for an approved one."""
    approved = comment.get("wp:comment_approved", "").strip()
    if approved == "1":
        return None
    return {"spam": "spam", "trash": "trash", "post-trashed": "trash"}.get(approved, "unapproved")


class _Converter:
    """One raw item → its Item (or a Skipped) and the comments it left out: picklable, so that
    worker processes can be handed it once (importers/parallel.py)."""

    def __init__(self, reader: WordPressReader, targets: dict[str, str]):
        from blogcli.importers.wp_markup import Attachment

        self.reader = reader
        self.targets = targets  # URL key of an imported post's old address → how a body links to it now
        self.attachments = {key: Attachment(a.url, a.title, a.parent, a.order) for key, a in reader.attachments.items()}
        self.children: dict[str, list] = {}
        for attachment in self.attachments.values():
            self.children.setdefault(attachment.parent, []).append(attachment)

    def rewrite(self, url: str) -> str:
        target = self.targets.get(_url_key(url))
        if target is None and url.startswith("/") and not url.startswith("//"):
            target = self.targets.get(_url_key(f"//{next(iter(self.reader.blog_hosts), '')}{url}"))
        return target or url

    def __call__(self, raw: tuple) -> tuple[Item | Fresh | Skipped, Counter]:
        from blogcli.importers.wp_markup import Context

        if raw[0] == "fresh":
            return Fresh(self.reader.found[raw[1]].entry), raw[2]
        _, post_id, fields, meta, comments, digest = raw
        found = self.reader.found[post_id]
        context = Context(post_id=post_id, attachments=self.attachments, rewrite_url=self.rewrite, children=self.children)
        left: Counter = Counter()
        try:
            item = self.reader._item(found, fields, meta, comments, context, left)
        except Exception as exc:  # a converter's bug must cost one post, not the import
            return Skipped(found.entry.origin, f"could not be converted ({type(exc).__name__}: {exc})"), left
        item.source_digest = digest
        return item, left


def media_target(url: str) -> str:
    """Where a downloaded file goes under static/: `media/` and its path in the uploads."""
    path = unquote(urlsplit(url).path)
    if "/wp-content/uploads/" in path:
        path = path.split("/wp-content/uploads/", 1)[1]
    parts = [_UNSAFE_PATH_CHARACTER.sub("-", part).strip("-.") for part in path.split("/")]
    return "media/" + "/".join(part for part in parts if part) if any(parts) else "media/file"
