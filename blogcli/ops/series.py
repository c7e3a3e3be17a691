"""Series commands: looking at a series, renumbering its parts, planning the next one, its cadence.

The rules (what a series is, part order, "Part N of M", cadence, next slot) are in
`blogcli.model.series`; the ledger's in `blogcli.model.ledger`. Every command that renumbers keeps
the parts 1..N with no gap or duplicate, changes all the files involved in one transaction, and
refuses to renumber a published part without `force`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from blogcli.errors import BlogError, FrontMatterError, InvalidValue
from blogcli.model.cadence import parse_cadence
from blogcli.model.ledger import Promise, build_ledger, latest_promise
from blogcli.model.post import Post
from blogcli.model.series import (
    Schedule,
    Series,
    SeriesCatalogue,
    next_part_number,
    next_slot,
    numbering,
    series_schedule,
)
from blogcli.model.words import plural
from blogcli.ops.promises import part_texts, series_ledger
from blogcli.workspace.config import CONFIG_NAME
from blogcli.workspace.store import Workspace


def catalogue(ws: Workspace) -> SeriesCatalogue:
    """Every series of the workspace: blog.toml's sections and the spellings its posts use."""
    return SeriesCatalogue(ws.config.series, ws.posts)


def resolve_series(ws: Workspace, name: str) -> Series:
    """A known series by any of its names (for commands that read one); NotFound lists close ones."""
    return catalogue(ws).resolve(name)


# -- looking at a series ----------------------------------------------------------------------


@dataclass
class SeriesSummary:
    key: str
    title: str
    name: str
    schedule: Schedule
    counts: dict[str, int]
    last_published: dt.datetime | None
    next_slot: dt.datetime | None

    @property
    def cadence(self) -> str:
        return self.schedule.describe()

    def as_dict(self) -> dict:
        return {
            "slug": self.key,
            "title": self.title,
            "name": self.name,
            "cadence": self.cadence,
            "cadence_origin": self.schedule.origin,
            "parts": sum(self.counts.values()),
            **self.counts,
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "next_slot": self.next_slot.isoformat() if self.next_slot else None,
        }


def list_series(ws: Workspace) -> list[SeriesSummary]:
    now = ws.now()
    known = catalogue(ws)
    found = []
    for series in known.all:
        parts = known.parts(series)
        counts = {status: 0 for status in ("published", "scheduled", "draft", "planned")}
        for post in parts:
            counts[post.status(now)] += 1
        published = [p.date for p in parts if p.date and p.status(now) == "published"]
        schedule = series_schedule(series, parts, ws.tz)
        found.append(
            SeriesSummary(
                key=series.slug,
                title=series.title,
                name=series.name,
                schedule=schedule,
                counts=counts,
                last_published=max(published) if published else None,
                next_slot=next_slot(schedule.cadence, parts, now, ws.tz),
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
    teaser: str | None  # the topic it promises ("" for a teaser without one), None if it promises nothing
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
    schedule: Schedule
    rows: list[PartRow]
    promises: list[Promise] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    unnumbered: list[str] = field(default_factory=list)
    next_slot: dt.datetime | None = None

    @property
    def cadence(self):
        return self.schedule.cadence

    @property
    def upcoming(self) -> list[PartRow]:
        return [row for row in self.rows if row.status == "scheduled"]


def show_series(ws: Workspace, name: str) -> SeriesView:
    """The parts in order with their teasers and promises, the problems of numbering, the schedule."""
    from blogcli.model.teasers import post_teaser

    known = catalogue(ws)
    series = known.resolve(name)
    now = ws.now()
    parts = known.parts(series)
    schedule = series_schedule(series, parts, ws.tz)
    texts = part_texts(ws, parts)
    promises = build_ledger(series.title, series.slug, texts, schedule.cadence.period, now)
    gaps, duplicates, unnumbered = numbering(parts)
    rows = []
    for post, text in zip(parts, texts):
        teaser = post_teaser(post.next, text.body) if post.has_body or post.next else None
        flag = "no part number" if post.part is None else ("duplicate" if post.part in duplicates else None)
        rows.append(PartRow(post.part, post.slug, post.display_title, post.status(now), post.date, teaser, post.rel, post.fulfils, flag))
    return SeriesView(
        key=series.slug,
        title=series.title,
        description=series.description,
        schedule=schedule,
        rows=rows,
        promises=promises,
        gaps=gaps,
        duplicates=duplicates,
        unnumbered=[p.slug for p in unnumbered],
        next_slot=next_slot(schedule.cadence, parts, now, ws.tz),
    )


# -- cadence ----------------------------------------------------------------------------------


def set_cadence(ws: Workspace, name: str, text: str) -> tuple[Series, Schedule]:
    """Write `cadence = "…"` into the series' blog.toml section (made if missing), keeping the
    rest of the file as it is. The text is checked first: nothing is written if it does not parse."""
    from blogcli.ops.settings import reload_config, series_section_bytes

    with ws.lock():
        series = resolve_series(ws, name)
        cadence = parse_cadence(" ".join(text.split()), where="blog series cadence")
        tx = ws.transaction()
        tx.write(CONFIG_NAME, series_section_bytes(ws, series, cadence=cadence.text))
        tx.commit()
        reload_config(ws)
    return series, Schedule(cadence, "set")


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


def _commit(ws: Workspace, changes: dict[str, dict[str, object]], config: bytes | None = None) -> None:
    """Apply header changes to several posts (and blog.toml's new bytes) in one transaction
    (call under the lock)."""
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
    if config is not None:
        tx.write(CONFIG_NAME, config)
    tx.commit()
    ws.refresh()
    if config is not None:
        from blogcli.ops.settings import reload_config

        reload_config(ws)


def _renumber(
    ws: Workspace, order: list[Post], force: bool, *, extra: dict[str, dict[str, object]] | None = None, config: bytes | None = None
) -> list[Renumbered]:
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
    _commit(ws, changes, config)
    return report


@dataclass
class Added:
    changes: list[Renumbered]
    series: Series
    new: bool = False  # the series starts with this part (its blog.toml section was written)


def add_to_series(ws: Workspace, ref: str, name: str, part: int | None = None, force: bool = False, new_series: bool = False) -> Added:
    """Put a post into a series at `part` (default: the end); later parts move up by one. A name
    close to a known series is refused unless `new_series` (see `SeriesCatalogue.resolve_for_writing`)."""
    from blogcli.ops.settings import series_section_bytes

    with ws.lock():
        post = ws.resolve(ref)
        known = catalogue(ws)
        resolved = known.resolve_for_writing(name, new_series)
        series = resolved.series
        current = known.of(post)
        if current is not None and current.slug != series.slug:
            raise BlogError(
                f"{post.slug} is {_place(post)} of {current.title!r}",
                hint=f"take it out first: blog series remove {post.slug}",
            )
        if current is not None:
            if part is None:
                raise InvalidValue(f"{post.slug} is already {_place(post)} of {current.title!r}", hint=f"move it: blog series move {post.slug} --to N")
            return Added(_move(ws, known, post, part, force), current)
        others = known.parts(series)
        position = len(others) + 1 if part is None else part
        if not 1 <= position <= len(others) + 1:
            raise InvalidValue(
                f"part {part} would leave a gap: {series.title} has {plural(len(others), 'part')}",
                hint=f"choose a part from 1 to {len(others) + 1}",
            )
        order = others[: position - 1] + [post] + others[position - 1 :]
        config = series_section_bytes(ws, series) if resolved.new else None
        changes = _renumber(ws, order, force, extra={post.rel: {"series": series.name}}, config=config)
        return Added(changes, series, resolved.new)


def _place(post: Post) -> str:
    return f"part {post.part}" if post.part is not None else "an unnumbered part"


def remove_from_series(ws: Workspace, ref: str, force: bool = False) -> list[Renumbered]:
    """Take a post out of its series; the parts after it move down by one."""
    with ws.lock():
        post = ws.resolve(ref)
        known = catalogue(ws)
        series = known.of(post)
        if series is None:
            raise InvalidValue(f"{post.slug} is not in a series")
        if post.status(ws.now()) == "published" and not force:
            raise BlogError(
                f"{post.slug} is published as {_place(post)} of {series.title!r}",
                hint="readers may have found it by its part; pass --force to take it out anyway",
            )
        order = [p for p in known.parts(series) if p.rel != post.rel]
        report = _renumber(ws, order, force, extra={post.rel: {"series": _REMOVE, "part": _REMOVE}})
    return [Renumbered(post.slug, post.display_title, post.part, None), *report]


def move_part(ws: Workspace, ref: str, to: int, force: bool = False) -> list[Renumbered]:
    """Move a part to position `to`; the parts in between shift by one."""
    with ws.lock():
        post = ws.resolve(ref)
        known = catalogue(ws)
        if known.of(post) is None:
            raise InvalidValue(f"{post.slug} is not in a series", hint=f"add it first: blog series add {post.slug} NAME")
        return _move(ws, known, post, to, force)


def _move(ws: Workspace, known: SeriesCatalogue, post: Post, to: int, force: bool) -> list[Renumbered]:
    parts = known.parts(known.of(post))
    if not 1 <= to <= len(parts):
        raise InvalidValue(f"--to {to} is outside the series: it has parts 1 to {len(parts)}")
    order = [p for p in parts if p.rel != post.rel]
    order.insert(to - 1, post)
    return _renumber(ws, order, force)


# -- new parts --------------------------------------------------------------------------------


def plan_part(ws: Workspace, name: str, topic: str, new_series: bool = False) -> tuple[Post, Promise | None]:
    """A planned part (front matter only) on `topic`; it declares `fulfils` when it answers the
    series' latest open promise. Returns the new post and that promise (or None)."""
    from blogcli.model.ledger import matches
    from blogcli.ops.drafts import NewPost, create_draft

    if not topic.strip():
        raise InvalidValue("the topic is empty", hint='blog series plan NAME "what the part is about"')
    known = catalogue(ws)
    resolved = known.resolve_for_writing(name, new_series)
    promise = None
    if not resolved.new:
        promise = latest_promise(series_ledger(ws, resolved.series, known.parts(resolved.series)))
        if promise is not None and not (matches(promise.text, topic) or matches(topic, promise.text)):
            promise = None
    extra = (("fulfils", promise.origin),) if promise else ()
    post = create_draft(ws, NewPost(title=topic.strip(), series=name, new_series=new_series, extra=extra))
    return post, promise


@dataclass
class NextPart:
    post: Post
    promise: Promise | None  # the promise it keeps
    created: bool  # False: the promised part was already drafted, and this is it
    others: list[Promise] = field(default_factory=list)  # other promises still owed


def create_next_part(ws: Workspace, name: str, title: str | None = None, tags: tuple[str, ...] = (), body: str = "") -> NextPart:
    """`blog new --series NAME --next`: part last+1, titled after the promise made last (by part,
    then by its place in the text), with `fulfils` recorded. With no title, no body and nothing
    open, the part already drafted for the latest promise is the answer (`created` False) rather
    than a second draft for the same topic. A promise without a topic ("Stay tuned!") gives no
    title: one must be given."""
    from blogcli.ops.drafts import NewPost, create_draft

    known = catalogue(ws)
    series = known.resolve(name)
    parts = known.parts(series)
    ledger = series_ledger(ws, series, parts)
    promise = latest_promise(ledger)
    others = [p for p in ledger if p.owed and p is not promise]
    if promise is None and not (title or "").strip():
        planned = latest_promise(ledger, ("planned", "late"))
        if planned is not None and planned.keeper_rel and not body:
            return NextPart(ws.load(planned.keeper_rel), planned, created=False, others=others)
        raise InvalidValue(
            f"{series.title} has no open promise to title the next part after",
            hint=f'give a title: blog new "Title" --series {series.slug} --next',
        )
    if not (title or "").strip():
        if not promise.has_topic:
            raise InvalidValue(
                f"part {promise.part}'s teaser ({promise.sentence!r}) names no topic to title the next part after",
                hint=f'give a title: blog new "Title" --series {series.slug} --next',
            )
        title = promise.text[:1].upper() + promise.text[1:]
    extra = (("fulfils", promise.origin),) if promise else ()
    post = create_draft(ws, NewPost(title=title, series=series.name, part=next_part_number(parts), tags=tags, body=body, extra=extra))
    return NextPart(post, promise, created=True, others=others)

