"""Series: parts in order, their schedule by cadence, and the renumbering commands.

A post is in a series by its front matter `series` (the name as the author writes it) and `part`.
Every command that renumbers keeps the parts 1..N with no gap or duplicate, changes all the files
involved in one transaction, and refuses to renumber a published part without `force`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from blogcli.errors import BlogError, FrontMatterError, InvalidValue, NotFound
from blogcli.model.cadence import Cadence, next_free_slot, parse_cadence
from blogcli.model.post import Post
from blogcli.model.series import in_series, series_key
from blogcli.workspace.store import Workspace

_NO_PART = 10**9
_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def _order_key(post: Post) -> tuple:
    return (post.part or _NO_PART, post.date or post.created or _EPOCH, post.slug)


def series_parts(posts: list[Post], name: "str | SeriesRef") -> list[Post]:
    """The series' posts ordered by part, then date (posts without a part come last). Given a
    SeriesRef, posts that name the series by its blog.toml slug or title count too."""
    if isinstance(name, SeriesRef):
        return sorted((p for p in posts if name.has(p)), key=_order_key)
    return sorted((p for p in posts if in_series(p, name)), key=_order_key)


def neighbours(posts: list[Post], post: Post) -> tuple[Post | None, Post | None]:
    """The previous and next part of `post` in its series (drafts and planned parts included)."""
    if not post.series:
        return None, None
    parts = series_parts(posts, post.series)
    index = next((i for i, p in enumerate(parts) if p.rel == post.rel), None)
    if index is None:
        return None, None
    return (parts[index - 1] if index > 0 else None), (parts[index + 1] if index + 1 < len(parts) else None)


def _section(config, name: str) -> tuple[str, dict] | None:
    """The `[series.<slug>]` table of blog.toml naming this series by its slug or its title."""
    section = _section_names(config.series).get(series_key(name))
    return (series_key(section), config.series[section]) if section is not None else None


_SECTION_NAMES: dict[int, tuple[dict, dict[str, str]]] = {}


def _section_names(sections: dict[str, dict]) -> dict[str, str]:
    """Series slug → the first section naming it by its slug or title, as a scan in order finds it.

    Built once per blog.toml read (cached by the identity of its `series` table, which the cache
    holds so the identity stays unique; blog.toml is read into a new table each time and nothing
    edits one in place), so asking once per series of a blog with hundreds costs one pass."""
    cached = _SECTION_NAMES.get(id(sections))
    if cached is not None and cached[0] is sections:
        return cached[1]
    names: dict[str, str] = {}
    for section, settings in sections.items():
        title = settings.get("title")
        names.setdefault(series_key(section), section)
        if isinstance(title, str):
            names.setdefault(series_key(title), section)
    if len(_SECTION_NAMES) >= 8:
        _SECTION_NAMES.clear()
    _SECTION_NAMES[id(sections)] = (sections, names)
    return names


def series_settings(config, name: str) -> dict:
    found = _section(config, name)
    return found[1] if found else {}


def series_title(config, name: str) -> str:
    """The title from blog.toml, else the name as written."""
    title = series_settings(config, name).get("title")
    return title if isinstance(title, str) and title.strip() else name


@dataclass(frozen=True)
class SeriesRef:
    """A series: `slug` is its blog.toml section (else the slug of its name); `name` is how its
    posts write it (the most common spelling), which is what membership is tested against."""

    slug: str
    name: str
    title: str
    aliases: frozenset[str] = frozenset()  # every slug its posts or blog.toml call it by

    @cached_property
    def keys(self) -> frozenset[str]:
        """Every slug a post may name this series by."""
        return frozenset({self.slug, series_key(self.name), series_key(self.title)}) | self.aliases

    def has(self, post: Post) -> bool:
        return bool(post.series) and series_key(post.series) in self.keys


def series_catalogue(ws: Workspace) -> list[SeriesRef]:
    """Every series the posts or blog.toml know, by title."""
    spellings: dict[str, Counter] = {}
    for post in ws.posts:
        if post.series:
            spellings.setdefault(series_key(post.series), Counter())[post.series] += 1
    grouped: dict[str, Counter] = {}
    for key, counts in spellings.items():
        found = _section(ws.config, key)
        grouped.setdefault(found[0] if found else key, Counter()).update(counts)
    refs: dict[str, SeriesRef] = {}
    for slug, counts in grouped.items():
        name = counts.most_common(1)[0][0]
        refs[slug] = SeriesRef(slug, name, series_title(ws.config, name), frozenset(series_key(n) for n in counts))
    for section, settings in ws.config.series.items():
        slug = series_key(section)
        if slug not in refs:
            title = settings.get("title")
            name = title if isinstance(title, str) and title.strip() else section
            refs[slug] = SeriesRef(slug, name, name)
    return sorted(refs.values(), key=lambda ref: ref.title.lower())


def resolve_series(ws: Workspace, name: str) -> SeriesRef:
    """A known series by its name, title or slug; an unknown name lists the close ones."""
    key = series_key(name)
    catalogue = series_catalogue(ws)
    for ref in catalogue:
        if name.strip() and key in (ref.slug, series_key(ref.name), series_key(ref.title)):
            return ref
    import difflib

    close = difflib.get_close_matches(key, [ref.slug for ref in catalogue], n=3, cutoff=0.4)
    raise NotFound(
        f"no series named {name!r}",
        hint="`blog series list` shows every series" if catalogue else 'start one: blog new "Part one" --series "My series"',
        candidates=[f"{ref.title}  ({ref.slug})" for ref in catalogue if ref.slug in close],
    )


def series_cadence(ws: Workspace, ref: SeriesRef, parts: list[Post] | None = None) -> Cadence:
    """The cadence from blog.toml; without one, weekly on the weekday and time of the last dated part."""
    settings = series_settings(ws.config, ref.name)
    dated = [p.date for p in parts or [] if p.date]
    weekday, time = 0, (9, 0)
    if dated:
        last = max(dated).astimezone(ws.tz)
        weekday, time = last.weekday(), (last.hour, last.minute)
    return parse_cadence(settings.get("cadence"), default_weekday=weekday, default_time=time, where=f"blog.toml [series.{ref.slug}]")


def next_slot(ws: Workspace, ref: SeriesRef, parts: list[Post], cadence: Cadence | None = None) -> dt.datetime | None:
    """The next moment by the cadence, after now and after the last dated part, that no part takes."""
    cadence = cadence or series_cadence(ws, ref, parts)
    dated = [p.date for p in parts if p.date]
    after = max([ws.now(), *dated])
    return next_free_slot(cadence, after, dated, ws.tz, anchor=min(dated) if dated else None)


# -- looking at a series ----------------------------------------------------------------------


@dataclass
class SeriesSummary:
    key: str
    title: str
    name: str
    cadence: str
    counts: dict[str, int]
    last_published: dt.datetime | None
    next_slot: dt.datetime | None

    def as_dict(self) -> dict:
        return {
            "slug": self.key,
            "title": self.title,
            "name": self.name,
            "cadence": self.cadence,
            "parts": sum(self.counts.values()),
            **self.counts,
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "next_slot": self.next_slot.isoformat() if self.next_slot else None,
        }


def list_series(ws: Workspace) -> list[SeriesSummary]:
    now = ws.now()
    found = []
    for ref in series_catalogue(ws):
        parts = series_parts(ws.posts, ref)
        counts = {status: 0 for status in ("published", "scheduled", "draft", "planned")}
        for post in parts:
            counts[post.status(now)] += 1
        published = [p.date for p in parts if p.date and p.status(now) == "published"]
        cadence = series_cadence(ws, ref, parts)
        found.append(
            SeriesSummary(
                key=ref.slug,
                title=ref.title,
                name=ref.name,
                cadence=cadence.describe(),
                counts=counts,
                last_published=max(published) if published else None,
                next_slot=next_slot(ws, ref, parts, cadence),
            )
        )
    return found


@dataclass
class PartRow:
    part: int | None
    slug: str
    title: str
    status: str
    date: dt.datetime | None
    teaser: str | None
    rel: str
    fulfils: str | None = None
    flag: str | None = None  # "duplicate" or "no part number"

    def as_dict(self) -> dict:
        return {
            "part": self.part,
            "slug": self.slug,
            "title": self.title,
            "status": self.status,
            "date": self.date.isoformat() if self.date else None,
            "teaser": self.teaser,
        }


@dataclass
class SeriesView:
    key: str
    title: str
    description: str
    cadence: Cadence
    rows: list[PartRow]
    gaps: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    unnumbered: list[str] = field(default_factory=list)
    next_slot: dt.datetime | None = None

    @property
    def upcoming(self) -> list[PartRow]:
        return [row for row in self.rows if row.status == "scheduled"]


def show_series(ws: Workspace, name: str) -> SeriesView:
    """The parts in order with their teasers, the problems of numbering, the schedule."""
    from blogcli.model.teasers import post_teaser

    ref = resolve_series(ws, name)
    now = ws.now()
    parts = series_parts(ws.posts, ref)
    counts = Counter(p.part for p in parts if p.part)
    rows = []
    for post in parts:
        teaser = None
        try:
            teaser = post_teaser(post.next, ws.load(post.rel).body) if post.has_body or post.next else None
        except BlogError:
            teaser = post.next
        flag = "no part number" if post.part is None else ("duplicate" if counts[post.part] > 1 else None)
        rows.append(PartRow(post.part, post.slug, post.display_title, post.status(now), post.date, teaser, post.rel, post.fulfils, flag))
    highest = max(counts, default=0)
    settings = series_settings(ws.config, ref.name)
    cadence = series_cadence(ws, ref, parts)
    return SeriesView(
        key=ref.slug,
        title=ref.title,
        description=settings.get("description", "") if isinstance(settings.get("description"), str) else "",
        cadence=cadence,
        rows=rows,
        gaps=[n for n in range(1, highest) if n not in counts],
        duplicates=sorted(n for n, c in counts.items() if c > 1),
        unnumbered=[p.slug for p in parts if p.part is None],
        next_slot=next_slot(ws, ref, parts, cadence),
    )


# -- changing the order -----------------------------------------------------------------------


@dataclass(frozen=True)
class Renumbered:
    slug: str
    title: str
    old: int | None  # None: joined the series
    new: int | None  # None: left the series


_REMOVE = object()


def _published_renumbering(order: list[Post], now: dt.datetime) -> list[str]:
    return [
        f"{p.slug} (part {p.part} → {i})"
        for i, p in enumerate(order, 1)
        if p.status(now) == "published" and p.part is not None and p.part != i
    ]


def _commit(ws: Workspace, changes: dict[str, dict[str, object]]) -> None:
    """Apply header changes to several posts in one transaction (call under the lock)."""
    tx = ws.transaction()
    for rel, keys in changes.items():
        full = ws.load(rel)
        if full.errors:
            first = full.errors[0]
            raise FrontMatterError(first.message, path=rel, line=first.line, hint="fix its front matter first (blog check)")
        for key, value in keys.items():
            if value is _REMOVE:
                full.doc.remove(key)
            else:
                full.doc.set(key, value)
        tx.write(rel, full.doc.to_bytes())
    tx.commit()
    ws.refresh()


def _renumber(ws: Workspace, order: list[Post], force: bool, *, extra: dict[str, dict[str, object]] | None = None) -> list[Renumbered]:
    """Give `order` the parts 1..N; refuse to change a published part's number without force."""
    now = ws.now()
    blocked = _published_renumbering(order, now)
    if blocked and not force:
        raise BlogError(
            "this renumbers published parts: " + ", ".join(blocked),
            hint="readers may have linked to them by part; pass --force to renumber anyway",
        )
    changes = {rel: dict(keys) for rel, keys in (extra or {}).items()}
    report = []
    for i, post in enumerate(order, 1):
        if post.part != i:
            changes.setdefault(post.rel, {})["part"] = i
            report.append(Renumbered(post.slug, post.display_title, post.part, i))
    _commit(ws, changes)
    return report


def add_to_series(ws: Workspace, ref: str, name: str, part: int | None = None, force: bool = False) -> list[Renumbered]:
    """Put a post into a series at `part` (default: the end); later parts move up by one."""
    if not name.strip():
        raise InvalidValue("the series name is empty")
    with ws.lock():
        post = ws.resolve(ref)
        try:
            series = resolve_series(ws, name)
        except NotFound:
            series = SeriesRef(series_key(name), name.strip(), series_title(ws.config, name.strip()))
        if post.series and not series.has(post):
            raise BlogError(
                f"{post.slug} is part {post.part or '?'} of {post.series!r}",
                hint=f"take it out first: blog series remove {post.slug}",
            )
        if post.series:
            if part is None:
                raise InvalidValue(f"{post.slug} is already part {post.part or '?'} of {post.series!r}", hint=f"move it: blog series move {post.slug} --to N")
            return _move(ws, post, part, force)
        others = series_parts(ws.posts, series)
        position = len(others) + 1 if part is None else part
        if not 1 <= position <= len(others) + 1:
            raise InvalidValue(
                f"part {part} would leave a gap: {series.title} has {len(others)} part(s)",
                hint=f"choose a part from 1 to {len(others) + 1}",
            )
        order = others[: position - 1] + [post] + others[position - 1 :]
        return _renumber(ws, order, force, extra={post.rel: {"series": series.name}})


def remove_from_series(ws: Workspace, ref: str, force: bool = False) -> list[Renumbered]:
    """Take a post out of its series; the parts after it move down by one."""
    with ws.lock():
        post = ws.resolve(ref)
        if not post.series:
            raise InvalidValue(f"{post.slug} is not in a series")
        if post.status(ws.now()) == "published" and not force:
            raise BlogError(
                f"{post.slug} is published as part {post.part} of {post.series!r}",
                hint="readers may have found it by its part; pass --force to take it out anyway",
            )
        order = [p for p in series_parts(ws.posts, resolve_series(ws, post.series)) if p.rel != post.rel]
        report = _renumber(ws, order, force, extra={post.rel: {"series": _REMOVE, "part": _REMOVE}})
    return [Renumbered(post.slug, post.display_title, post.part, None), *report]


def move_part(ws: Workspace, ref: str, to: int, force: bool = False) -> list[Renumbered]:
    """Move a part to position `to`; the parts in between shift by one."""
    with ws.lock():
        post = ws.resolve(ref)
        if not post.series:
            raise InvalidValue(f"{post.slug} is not in a series", hint=f"add it first: blog series add {post.slug} NAME")
        return _move(ws, post, to, force)


def _move(ws: Workspace, post: Post, to: int, force: bool) -> list[Renumbered]:
    parts = series_parts(ws.posts, resolve_series(ws, post.series))
    if not 1 <= to <= len(parts):
        raise InvalidValue(f"--to {to} is outside the series: it has parts 1 to {len(parts)}")
    order = [p for p in parts if p.rel != post.rel]
    order.insert(to - 1, post)
    return _renumber(ws, order, force)


# -- new parts --------------------------------------------------------------------------------


def plan_part(ws: Workspace, name: str, topic: str):
    """A planned part (front matter only) on `topic`; it declares `fulfils` when it answers the
    series' latest open promise. Returns the new post and that promise (or None)."""
    from blogcli.ops.drafts import NewPost, create_draft
    from blogcli.ops.promises import latest_open_promise, matches

    if not topic.strip():
        raise InvalidValue("the topic is empty", hint='blog series plan NAME "what the part is about"')
    series = resolve_series(ws, name)
    promise = latest_open_promise(ws, series.slug)
    if promise is not None and not (matches(promise.text, topic) or matches(topic, promise.text)):
        promise = None
    extra = (("fulfils", promise.origin),) if promise else ()
    post = create_draft(ws, NewPost(title=topic.strip(), series=series.name, extra=extra))
    return post, promise


@dataclass
class NextPart:
    post: Post
    promise: object | None  # the Promise it keeps
    created: bool  # False: the promised part was already drafted, and this is it


def create_next_part(ws: Workspace, name: str, title: str | None = None, tags: tuple[str, ...] = (), body: str = "") -> NextPart:
    """`blog new --series NAME --next`: part last+1, titled after the latest open promise, with
    `fulfils` recorded. With no title, no body and nothing open, the part already drafted for the
    latest promise is the answer (`created` False) rather than a second draft for the same topic."""
    from blogcli.ops.drafts import NewPost, create_draft
    from blogcli.ops.promises import latest_open_promise, promise_ledger

    series = resolve_series(ws, name)
    promise = latest_open_promise(ws, series.slug)
    if promise is None and not (title or "").strip():
        planned = [p for p in promise_ledger(ws, series.slug) if p.status == "planned" and p.keeper_rel]
        if planned and not body:
            latest = planned[-1]
            return NextPart(ws.load(latest.keeper_rel), latest, created=False)
        raise InvalidValue(
            f"{series.title} has no open promise to title the next part after",
            hint=f'give a title: blog new "Title" --series {series.slug} --next',
        )
    if not (title or "").strip():
        title = promise.text[:1].upper() + promise.text[1:]
    extra = (("fulfils", promise.origin),) if promise else ()
    part = max((p.part or 0 for p in series_parts(ws.posts, series)), default=0) + 1
    post = create_draft(ws, NewPost(title=title, series=series.name, part=part, tags=tags, body=body, extra=extra))
    return NextPart(post, promise, created=True)
