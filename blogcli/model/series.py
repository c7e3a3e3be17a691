"""Series: the one owner of every series rule, as pure functions over posts and blog.toml's sections.

Identity. A series is named by its `[series.<slug>]` section of blog.toml (the section's slug and
its `title`), and by every spelling its posts write in `series:`. Two spellings are the same
series when they slug alike (`The Night Bus Notebook`, `the-night-bus-notebook`), or when one
slugs to a section's slug or title. A series' `slug` is its section's (else the slug of its
posts' spelling); that slug is its URL, its key in JSON and its blog.toml section.

Names typed by the author (`--series`, `blog series show NAME`) are resolved by
`SeriesCatalogue.resolve` (reading: the name must exist) or `.resolve_for_writing` (a name close
to none starts a new series; one close to a known series — a typo, a prefix — is refused with
that series as the candidate, unless the author asks for a new one).

Parts. A post's place is its `part:`; parts are ordered by part number, then date, then slug
(posts without a number last). "Part N of M" counts the parts that are out or scheduled
(`part_of`); planned and draft parts are "coming" (`coming_parts`), not counted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from blogcli.errors import NotFound
from blogcli.model.cadence import Cadence, infer_cadence, next_free_slot, parse_cadence
from blogcli.model.post import PUBLISHED, Post
from blogcli.model.slug import slugify

OUT = ("published", "scheduled")  # the statuses that count as parts of a series
_NO_PART = 10**9
_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
CLOSE_RATIO = 0.8  # SequenceMatcher ratio of two slugs from which a name is a likely typo
SUGGEST_RATIO = 0.5  # looser: which series to list when a name matches nothing
PREFIX_TYPO_LENGTH = 5  # from this length, a name is also compared with the start of each slug


@lru_cache(maxsize=4096)
def series_key(name: str) -> str:
    """The slug of one spelling: `The Phone Diaries` and `the-phone-diaries` slug alike.

    Cached: grouping 10,000 posts into series asks this for a few names, over and over."""
    return slugify(name)


@dataclass(frozen=True)
class Series:
    """One series. `name` is what new parts write in `series:` (the spelling its posts use most,
    else the title); `keys` every slug that names it; `settings` its blog.toml section ({} if
    none, `section` None then)."""

    slug: str
    title: str
    name: str
    keys: frozenset[str] = frozenset()
    settings: Mapping = field(default_factory=dict, compare=False, hash=False)
    section: str | None = None

    def has(self, post: Post) -> bool:
        return bool(post.series) and series_key(post.series) in self.keys

    @property
    def description(self) -> str:
        text = self.settings.get("description")
        return text if isinstance(text, str) else ""


class CloseSeriesName(NotFound):
    """A name that matches no series but is close to one: probably a typo of `candidate`."""

    def __init__(self, name: str, candidate: Series):
        super().__init__(
            f"no series named {name!r}; did you mean {candidate.title!r} ({candidate.slug})?",
            hint=f"to start a new series named {name.strip()!r}, pass --new-series",
            candidates=[f"{candidate.title}  ({candidate.slug})"],
        )
        self.name = name
        self.candidate = candidate


@dataclass(frozen=True)
class Resolved:
    """A name resolved for a command that writes: the series, and whether it starts with this command."""

    series: Series
    new: bool = False


class SeriesCatalogue:
    """Every series of a blog, from blog.toml's `[series.*]` sections and the posts' `series:`."""

    def __init__(self, sections: Mapping[str, Mapping], posts: Iterable[Post]):
        owner: dict[str, str] = {}  # any slug naming a section → that section's slug
        settings: dict[str, tuple[str, Mapping]] = {}
        for section, values in sections.items():
            if not isinstance(values, Mapping):
                continue
            slug = series_key(section)
            if slug in settings or owner.get(slug, slug) != slug:
                continue  # a second section naming the same series: the first one rules
            settings[slug] = (section, values)
            title = values.get("title")
            for key in (slug, series_key(title) if isinstance(title, str) and title.strip() else None):
                if key is not None:
                    owner.setdefault(key, slug)
        by_spelling: dict[str, list[Post]] = {}  # one pass over the posts; slugs made per spelling
        for post in posts:
            if post.series:
                found = by_spelling.get(post.series)
                if found is None:
                    by_spelling[post.series] = found = []
                found.append(post)
        spellings: dict[str, dict[str, int]] = {}  # a series' slug → its posts' spellings → how many posts
        members: dict[str, list[Post]] = {}
        for spelling, spelt in by_spelling.items():
            key = series_key(spelling)
            slug = owner.get(key, key)
            counts = spellings.get(slug)
            if counts is None:
                spellings[slug] = counts = {}
                members[slug] = list(spelt)
            else:
                members[slug].extend(spelt)
            counts[spelling] = len(spelt)  # one entry per spelling: by_spelling's keys are distinct
        self._by_slug: dict[str, Series] = {}
        no_spellings: dict[str, int] = {}
        for slug in dict.fromkeys([*settings, *spellings]):
            section, values = settings.get(slug, (None, {}))
            counts = spellings.get(slug, no_spellings)
            title = values.get("title")
            title = title.strip() if isinstance(title, str) and title.strip() else None
            # the spelling most posts use, the first seen on a tie (as Counter.most_common(1) gives it)
            name = max(counts, key=counts.__getitem__) if counts else (title or section or slug)
            keys = {slug, *(series_key(spelling) for spelling in counts)}
            if title:
                keys.add(series_key(title))
            self._by_slug[slug] = Series(slug, title or name, name, frozenset(keys), values, section)
        self._owner = {key: series.slug for series in self._by_slug.values() for key in series.keys}
        self._members = {slug: sorted(posts, key=part_order_key) for slug, posts in members.items()}

    @property
    def all(self) -> list[Series]:
        """Every series, by title."""
        return sorted(self._by_slug.values(), key=lambda s: (s.title.lower(), s.slug))

    def find(self, name: str | None) -> Series | None:
        """The series this exact spelling names (by slug), or None."""
        if not name or not name.strip():
            return None
        slug = self._owner.get(series_key(name))
        return self._by_slug.get(slug) if slug else None

    def of(self, post: Post) -> Series | None:
        """The series `post` belongs to."""
        return self.find(post.series)

    def parts(self, series: Series) -> list[Post]:
        """The series' posts in part order (every status)."""
        return list(self._members.get(series.slug, ()))

    def close_to(self, name: str, ratio: float = CLOSE_RATIO) -> list[Series]:
        """Series whose slugs this name is likely a typo or a prefix of, the closest first: a
        prefix word for word (`night` of `night-bus`), a typo of the whole slug or of its start
        (`floorbord` of `floorboard-diaries`), by difflib's ratio."""
        import difflib

        key = series_key(name)
        scored = []
        for series in self._by_slug.values():
            best = 0.0
            for other in series.keys:
                if other.startswith(key + "-") or key.startswith(other + "-"):
                    best = max(best, 0.95)  # a prefix, word for word
                    continue
                best = max(best, difflib.SequenceMatcher(None, key, other).ratio())
                if len(key) >= PREFIX_TYPO_LENGTH and len(other) > len(key):  # a prefix with a typo in it
                    best = max(best, difflib.SequenceMatcher(None, key, other[: len(key)]).ratio() - 0.05)
            if best >= ratio:
                scored.append((-best, series.title.lower(), series))
        return [series for *_, series in sorted(scored, key=lambda item: item[:2])]

    def resolve(self, name: str) -> Series:
        """The series a name, title or slug names, for commands that read one; else NotFound
        listing the close ones."""
        found = self.find(name)
        if found is not None:
            return found
        close = self.close_to(name, SUGGEST_RATIO) if name.strip() else []
        raise NotFound(
            f"no series named {name!r}",
            hint="`blog series list` shows every series" if self._by_slug else 'start one: blog new "Part one" --series "My series"',
            candidates=[f"{s.title}  ({s.slug})" for s in close[:3]],
        )

    def resolve_for_writing(self, name: str, new_series: bool = False) -> Resolved:
        """The series for a command that adds to one: a known name is that series; a name close to
        a known one is refused (CloseSeriesName) unless `new_series`; any other name starts one."""
        if not name or not name.strip():
            from blogcli.errors import InvalidValue

            raise InvalidValue("the series name is empty", hint='--series "The name of the series"')
        found = self.find(name)
        if found is not None:
            return Resolved(found)
        if not new_series:
            close = self.close_to(name)
            if close:
                raise CloseSeriesName(name, close[0])
        return Resolved(new_series_named(name), new=True)


def new_series_named(name: str) -> Series:
    """A series that does not exist yet, as its first part will start it."""
    title = " ".join(name.split())
    slug = series_key(title)
    return Series(slug, title, title, frozenset({slug}), {}, None)


# -- parts ------------------------------------------------------------------------------------


def part_order_key(post: Post) -> tuple:
    """Parts in order: by number, then date, then slug; posts without a number last."""
    return (post.part or _NO_PART, post.date or post.created or _EPOCH, post.slug)


def neighbours(parts: Sequence[Post], post: Post) -> tuple[Post | None, Post | None]:
    """The parts before and after `post` among `parts` (already in order; the caller chooses
    which: every part for the preview, the visible ones for a site)."""
    index = next((i for i, p in enumerate(parts) if p.rel == post.rel), None)
    if index is None:
        return None, None
    return around(parts, index)


def around(parts: Sequence[Post], index: int) -> tuple[Post | None, Post | None]:
    """The parts before and after the one at `index` (`neighbours`, for a caller that knows where it is)."""
    return (parts[index - 1] if index > 0 else None), (parts[index + 1] if index + 1 < len(parts) else None)


def is_out(post: Post, now: dt.datetime) -> bool:
    """Published or scheduled: a part readers have or are promised a date for."""
    return post.status(now) in OUT


@dataclass(frozen=True)
class PartOf:
    """"Part `number` of `total`"."""

    number: int
    total: int

    def __str__(self) -> str:
        return f"Part {self.number} of {self.total}"


def part_total(parts: Sequence[Post], now: dt.datetime, extra: Post | None = None) -> int:
    """How many parts the series has: the published and scheduled ones (with `extra`, a part about
    to go out), or the highest number among them if a gap makes that more."""
    counted = [p for p in parts if is_out(p, now) and (extra is None or p.rel != extra.rel)]
    if extra is not None:
        counted.append(extra)
    return max(len(counted), max((p.part or 0 for p in counted), default=0))


def part_of(parts: Sequence[Post], post: Post, now: dt.datetime) -> PartOf | None:
    """"Part N of M" for `post` (None without a part number). M counts the published and scheduled
    parts; a part not yet out (a draft in the preview) is counted as it will be once published."""
    if post.part is None:
        return None
    return PartOf(post.part, part_total(parts, now, extra=None if is_out(post, now) else post))


def next_part_number(parts: Sequence[Post]) -> int:
    """One past the highest part number the series has, drafts included (1 for a new series)."""
    return max((p.part or 0 for p in parts), default=0) + 1


def part_holder(parts: Sequence[Post], number: int, excluding: str | None = None) -> Post | None:
    """The post (other than the one at `excluding`) that already has part `number`."""
    return next((p for p in parts if p.part == number and p.rel != excluding), None)


def numbering(parts: Sequence[Post]) -> tuple[list[int], list[int], list[Post]]:
    """Numbers missing below the highest one, numbers used twice, and posts without a number."""
    counts = Counter(p.part for p in parts if p.part)
    highest = max(counts, default=0)
    return (
        [n for n in range(1, highest) if n not in counts],
        sorted(n for n, c in counts.items() if c > 1),
        [p for p in parts if p.part is None],
    )


@dataclass(frozen=True)
class Missing:
    """An earlier part that is not out when a later one is: `post` None when no post has the number."""

    number: int
    post: Post | None = None

    def __str__(self) -> str:
        return f"part {self.number} ({self.post.rel})" if self.post is not None else f"part {self.number} (no post has it)"


def missing_before(parts: Sequence[Post], number: int, when: dt.datetime, excluding: str | None = None) -> list[Missing]:
    """The parts before `number` that will not be out by `when` (drafts, planned, scheduled later),
    and the numbers no post has: publishing part `number` at `when` would leave them as gaps."""
    found = []
    for n in range(1, number):
        holders = [p for p in parts if p.part == n and p.rel != excluding]
        if not holders:
            found.append(Missing(n))
        elif not any(p.date is not None and p.folder == PUBLISHED and p.date <= when for p in holders):
            found.append(Missing(n, holders[0]))
    return found


def published_gaps(parts: Sequence[Post], now: dt.datetime) -> list[Missing]:
    """Gaps in the order readers get: parts not out while a later part is."""
    out = [p.part for p in parts if p.part and is_out(p, now)]
    if not out:
        return []
    highest = max(out)
    when = max([now, *(p.date for p in parts if p.part == highest and p.date)])
    return missing_before(parts, highest, when)


# -- schedule ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """A series' cadence and where it comes from: "set" (blog.toml), "inferred" (the slot most of
    its parts went out in) or "default" (weekly on Monday 09:00: nothing to infer from)."""

    cadence: Cadence
    origin: str

    def describe(self) -> str:
        return self.cadence.describe()


def series_schedule(series: Series, parts: Sequence[Post], tz: dt.tzinfo) -> Schedule:
    """The cadence from blog.toml; else inferred from the parts in published/ (see
    `model.cadence.infer_cadence`): one odd publish never moves it."""
    text = series.settings.get("cadence")
    if text is not None and not (isinstance(text, str) and not text.strip()):
        where = f"blog.toml [series.{series.section or series.slug}]"
        return Schedule(parse_cadence(text, where=where), "set")
    inferred = infer_cadence([p.date for p in parts if p.date and p.folder == PUBLISHED], tz)
    if inferred is not None:
        return Schedule(inferred, "inferred")
    return Schedule(parse_cadence(None), "default")


def slot_anchor(parts: Sequence[Post]) -> dt.datetime | None:
    """What fixes the weeks (or days) an every-N cadence falls on: the first part in published/."""
    return min((p.date for p in parts if p.date and p.folder == PUBLISHED), default=None)


def next_slot(cadence: Cadence, parts: Sequence[Post], now: dt.datetime, tz: dt.tzinfo) -> dt.datetime | None:
    """The next moment by the cadence, after now and after the last dated part, on a day no part takes."""
    dated = [p.date for p in parts if p.date and p.folder == PUBLISHED]
    after = max([now, *dated])
    return next_free_slot(cadence, after, dated, tz, anchor=slot_anchor(parts))


@dataclass(frozen=True)
class Coming:
    """A part not out yet, as a series page announces it: "Part 4 – coming 30 Nov 2026"."""

    number: int
    post: Post
    date: dt.datetime | None  # its scheduled date, else the slot the cadence gives it


def coming_parts(parts: Sequence[Post], cadence: Cadence, now: dt.datetime, tz: dt.tzinfo) -> list[Coming]:
    """Numbered parts that are not out yet (scheduled, drafts and planned parts), in order, each
    with its date: a scheduled part's own, else the next free slot after the parts before it."""
    dated = [p.date for p in parts if p.date and p.folder == PUBLISHED]
    taken = list(dated)
    after = max([now, *dated])
    anchor = slot_anchor(parts)
    found = []
    for post in parts:
        if post.part is None or post.status(now) == "published":
            continue
        if post.status(now) == "scheduled":
            found.append(Coming(post.part, post, post.date))
            continue
        slot = next_free_slot(cadence, after, taken, tz, anchor=anchor)
        if slot is not None:
            taken.append(slot)
            after = slot
        found.append(Coming(post.part, post, slot))
    return found
