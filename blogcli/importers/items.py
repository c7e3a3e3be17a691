"""What a reader hands to the import: entries (its first phase) and converted items (its second)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Protocol
from urllib.parse import unquote

from blogcli.model.comments import Comment
from blogcli.model.slug import slugify

POST = "post"
PAGE = "page"
PUBLISHED = "published"
SCHEDULED = "scheduled"
DRAFT = "draft"

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class Entry:
    """One post or page of the source, as far as its metadata goes."""

    source: str  # its identity, written as `source:` so a second import finds it again
    origin: str  # where it came from, for messages ("post 12 'Hello'", "_posts/2020-01-01-hi.md")
    kind: str  # POST or PAGE
    state: str  # PUBLISHED, SCHEDULED or DRAFT
    slug: str  # the slug it asks for, before collisions
    date: dt.datetime | None
    series: str | None = None
    part: int | None = None
    key: object = None  # the reader's own handle on the content, for `convert`


@dataclass
class Skipped:
    origin: str
    reason: str


@dataclass
class Media:
    """A file an item refers to that belongs in `static/`."""

    target: str  # path under static/, as the converted body links it (`/<target>`)
    url: str | None = None  # where to download it from (`--download-media`)
    path: Path | None = None  # or the source site's own file to copy


@dataclass
class Item:
    """An entry converted: its front matter (in the order written), body, comments and media."""

    entry: Entry
    meta: list[tuple[str, object]]
    body: str
    comments: list[Comment] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the author should know about this item
    source_digest: str | None = None  # of what the source said (see `Placement.fresh`)


@dataclass
class Fresh:
    """An entry whose source has not changed since its file was written: not converted again."""

    entry: Entry


@dataclass
class Scan:
    """Everything a reader found in the source, read and checked before any conversion."""

    entries: list[Entry]
    skipped: list[Skipped] = field(default_factory=list)
    comments_left: Counter = field(default_factory=Counter)  # comments not imported, by reason
    media_urls: dict[str, str] = field(default_factory=dict)  # URL → static/ target (--download-media)


class Placement(Protocol):
    """Where each entry lands, known before any item is converted."""

    def link(self, source: str) -> str | None:
        """How a body links to that entry (`slug.md` for a post, `/slug/` for a page), if imported
        and not a draft (a link to a draft would break on the site: the source's URL stays)."""

    def slug(self, source: str) -> str | None:
        """The slug the entry is written under."""

    def fresh(self, source: str, digest: str) -> bool:
        """Whether the entry's file was written from a source that said exactly this (digest)."""


class Reader(Protocol):
    name: str

    def scan(self, progress: Progress | None) -> Scan: ...

    def convert(self, scan: Scan, placement: Placement, progress: Progress | None) -> Iterator[Item | Fresh | Skipped]: ...


CONVERTER = "1"  # bump when a reader's output changes, so every source is converted again


def source_digest(*parts: object) -> str:
    """A digest of what a source said about an entry, and of the converter reading it."""
    import hashlib
    import json

    from blogcli import __version__

    text = json.dumps([CONVERTER, __version__, *parts], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def plain_text(markup: str) -> str:
    """Text of a little HTML (a title, an excerpt): tags dropped, entities decoded, spaces collapsed."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", markup or ""))).strip()


def wished_slug(name: str | None, title: str | None) -> str:
    """The slug a source asks for: its own (percent-decoded), else one made from the title."""
    name = unquote(name or "").strip()
    return slugify(name) if name else slugify(title or "")


def number_parts(entries: list[Entry], order: Callable[[Entry], tuple] | None = None) -> None:
    """Give the published and scheduled parts of each series without a part number the numbers
    after the series' given ones, in `order` (by date unless given). Drafts keep none: `blog
    publish` gives a draft the next part, as for any draft of a series."""
    from blogcli.model.series import series_key

    key = order or (lambda e: (e.date is None, e.date or dt.datetime.min.replace(tzinfo=dt.timezone.utc), e.origin))
    by_series: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.series:
            by_series.setdefault(series_key(entry.series), []).append(entry)
    for parts in by_series.values():
        used = {e.part for e in parts if e.part}
        number = 1
        for entry in sorted((e for e in parts if not e.part and e.state != DRAFT), key=key):
            while number in used:
                number += 1
            entry.part = number
            used.add(number)
