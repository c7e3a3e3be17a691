"""Stats: how much a blog (or one series) publishes, whether it keeps its rhythm, and its promises.

Pure functions over the posts as the index reads them (`Post.words`: no body is read here), the
series' promise ledgers (`model.ledger`, built by the caller), their cadences
(`model.series.series_schedule`, slots by `model.cadence.slots`) and the time now. `blog stats`
(ops.stats) and the site's /stats/ page (site.stats_page) both call `blog_stats`.

The rules, as the README states them:

- Window. `--since`/`--until` (a `DateRange`) choose what counts: the posts published in it and
  the promises made in it. It runs from `--since` (else the scope's first post) to `--until` or
  now, whichever is earlier (`as_of`). What is counted is judged as of now: a promise made in
  the window and kept after it counts as kept. Drafts are those waiting now, whatever the window.
- Posts published: in published/, dated, the date passed. A published post without a date is
  not counted (it has no place in any week).
- Words: the posts' `words` (model.post.count_words). Per week: their total over the calendar
  weeks of the window (Monday to Sunday in the blog's timezone, the first and the last
  included). Median: of the posts' words.
- A series' streak: the cadence's slots, anchored where `next_slot` anchors them. A part counts
  for the slot nearest its date: each slot owns the time from halfway after the slot before it
  to halfway to the next (for weekly on Monday 09:00, Thursday 21:00 to Thursday 21:00), so a
  part a day early or two days late is in its slot and a week late is in the next one. A slot
  with a part is kept, one without is skipped and ends the streak; two parts in one slot keep
  that slot only. The slots counted run from the first part's to the last part's (of those in
  the window): a series that ended does not pile up skipped slots. The current streak is the
  run of kept slots that ends with the last part's slot, and 0 once the slot after it is over
  with no part (`missed_since`); the slot under way, still empty, does not break it.
- The blog's streak: calendar weeks with at least one post published (any series or none), by
  the same rule (each week is a slot from Monday 00:00 to Monday 00:00 in the blog's timezone).
- Promises: made in the window (by the date of the post that first made them). Kept on time:
  `fulfilled` (a published part keeps it) and that part went out by the promise's due time
  (`Promise.due`, the ledger's); kept late: after it. Owed: the ledger's `open`, `overdue` and
  `late` (a part keeps it but is not out although it is due). Planned: a part not out yet keeps
  it and it is not due. made = kept on time + kept late + owed + planned. Days to keep: from the
  post that made it to the part that kept it, averaged over the kept promises.
- Drafts: every post in drafts/ (draft and planned); its age in whole days since `created`,
  else `updated` (unknown without either).
- Activity (the pictures): the last 52 calendar weeks up to `as_of`, words published each day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from blogcli.model.cadence import Cadence, slots
from blogcli.model.dates import DateRange
from blogcli.model.ledger import OWED, Promise
from blogcli.model.post import DRAFTS, Post
from blogcli.model.series import Schedule, Series, SeriesCatalogue, series_schedule, slot_anchor

WEEKS_SHOWN = 52  # the pictures' weeks
UTC = dt.timezone.utc

LedgerOf = Callable[[Series, list[Post]], list[Promise]]  # a series' promise ledger (parts in order)


def window_end(dates: DateRange, now: dt.datetime) -> dt.datetime:
    """Where the figures stop: now, or the end of `--until` if earlier (a day's last second)."""
    if dates.end is None:
        return now
    return min(now, dates.end if dates.end_included else dates.end - dt.timedelta(seconds=1))


# -- posts and words --------------------------------------------------------------------------


def published_in(posts: Sequence[Post], now: dt.datetime, dates: DateRange) -> list[Post]:
    """The posts out by now (published, dated) whose date is in `dates`, oldest first."""
    found = [p for p in posts if p.date is not None and p.status(now) == "published" and p.date in dates]
    return sorted(found, key=lambda p: (p.date, p.slug))


def week_start(moment: dt.datetime | dt.date, tz: dt.tzinfo) -> dt.date:
    """The Monday of the calendar week (in the blog's timezone) holding `moment`."""
    day = moment.astimezone(tz).date() if isinstance(moment, dt.datetime) else moment
    return day - dt.timedelta(days=day.weekday())


def calendar_weeks(start: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> int:
    """How many calendar weeks from the one holding `start` to the one holding `end`, both included."""
    if end < start:
        return 0
    return (week_start(end, tz) - week_start(start, tz)).days // 7 + 1


@dataclass(frozen=True)
class Words:
    total: int
    per_week: float
    median: float

    def as_dict(self) -> dict:
        return {"total": self.total, "per_week": self.per_week, "median_per_post": self.median}


def word_figures(posts: Sequence[Post], weeks: int) -> Words:
    """Words of `posts`: their total, that total over `weeks`, and the median post's."""
    counts = sorted(p.words for p in posts)
    total = sum(counts)
    middle = len(counts) // 2
    if not counts:
        median = 0.0
    elif len(counts) % 2:
        median = float(counts[middle])
    else:
        median = (counts[middle - 1] + counts[middle]) / 2
    return Words(total, round(total / weeks, 1) if weeks else 0.0, round(median, 1))


# -- streaks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slots:
    """A run of slots, in order: each one's moment by the cadence, and the time it owns, from
    `begins` to `ends`. POSIX timestamps: a series of ten years has 500 weekly slots, and a blog
    hundreds of series."""

    begins: list[float]
    moments: list[float]
    ends: list[float]

    def __len__(self) -> int:
        return len(self.moments)


NO_SLOTS = Slots([], [], [])


def cadence_slots(cadence: Cadence, anchor: dt.datetime | None, first: dt.datetime, last: dt.datetime, tz: dt.tzinfo) -> Slots:
    """The cadence's slots from the one nearest `first` to the one after the one nearest `last`,
    each owning the time halfway to its neighbours (the module docstring)."""
    period = cadence.period
    moments: list[float] = []
    after = _shifted(first, -2 * period)  # the slot nearest `first` and the one before it (its first boundary)
    enough = _shifted(last, 3 * period)  # the slot after the one nearest `last`, and the one after that
    while after <= enough:  # model.cadence.slots gives so many periods per call: go on from where it stopped
        before = len(moments)
        for moment in slots(cadence, after, tz, anchor=anchor):
            moments.append(moment.timestamp())
            after = moment
            if moment > enough:
                break
        if len(moments) == before:
            break
    start, stop = first.timestamp(), last.timestamp()
    found = Slots([], [], [])
    for before, moment, following in zip(moments, moments[1:], moments[2:]):
        begins, ends = (before + moment) / 2, (moment + following) / 2
        if ends <= start:
            continue
        found.begins.append(begins)
        found.moments.append(moment)
        found.ends.append(ends)
        if begins > stop:  # the slot after the last one's
            break
    return found


def _shifted(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """`moment + delta`, stopping at the calendar's ends."""
    try:
        return moment + delta
    except OverflowError:
        return (dt.datetime.min if delta < dt.timedelta(0) else dt.datetime.max).replace(tzinfo=UTC)


def week_slots(first: dt.datetime, last: dt.datetime, tz: dt.tzinfo) -> Slots:
    """The calendar weeks from the one holding `first` to the one after the one holding `last`,
    each a slot from its Monday 00:00 to the next (in the blog's timezone)."""
    monday = week_start(first, tz)
    end = week_start(last, tz) + dt.timedelta(days=14)
    mondays = []
    while monday <= end:
        mondays.append(dt.datetime.combine(monday, dt.time(), tzinfo=tz).timestamp())
        monday += dt.timedelta(days=7)
    return Slots(mondays[:-1], mondays[:-1], mondays[1:])


@dataclass(frozen=True)
class Streak:
    """Publishing on cadence, over the scope's run: from the slot of its first part (or post) to
    the slot of its last."""

    unit: str  # "slot" (a series' cadence) or "week" (the blog)
    longest: int
    current: int
    slots: int  # the slots of the run
    kept: int
    last_skipped: dt.datetime | None  # the moment of the last slot skipped in the run
    missed_since: dt.datetime | None  # the slot after the last part's, when it is over with no part

    @property
    def skipped(self) -> int:
        return self.slots - self.kept

    def as_dict(self, tz: dt.tzinfo) -> dict:
        return {
            "unit": self.unit,
            "longest": self.longest,
            "current": self.current,
            "slots": self.slots,
            "kept": self.kept,
            "skipped": self.skipped,
            "last_skipped": self.last_skipped.astimezone(tz).isoformat() if self.last_skipped else None,
            "missed_since": self.missed_since.astimezone(tz).isoformat() if self.missed_since else None,
        }


def streak(unit: str, windows: Slots, dates: Sequence[dt.datetime], as_of: dt.datetime) -> Streak:
    """The runs of kept slots among `windows` (a slot is kept when one of `dates` falls in it) up
    to the last kept one: the longest, and the current one, 0 once the slot after it is over."""
    begins, ends, moments = windows.begins, windows.ends, windows.moments
    kept = [False] * len(windows)
    for moment in dates:
        stamp = moment.timestamp()
        index = bisect_right(begins, stamp) - 1
        if 0 <= index < len(kept) and stamp < ends[index]:
            kept[index] = True
    if True not in kept:
        return Streak(unit, 0, 0, 0, 0, None, None)
    last = len(kept) - 1 - kept[::-1].index(True)
    longest = run = 0
    last_skipped = missed = None
    for index in range(last + 1):
        if kept[index]:
            run += 1
            longest = max(longest, run)
        else:
            run, last_skipped = 0, _moment(moments[index])
    if last + 1 < len(kept) and ends[last + 1] <= as_of.timestamp():
        run, missed = 0, _moment(moments[last + 1])
    return Streak(unit, longest, run, last + 1, kept.count(True), last_skipped, missed)


def _moment(stamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(stamp, UTC)


# -- promises ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Promises:
    made: int
    kept_on_time: int
    kept_late: int
    owed: int
    planned: int
    average_days: float | None  # from the promise to the part that kept it, over the kept ones

    @property
    def kept(self) -> int:
        return self.kept_on_time + self.kept_late

    def as_dict(self) -> dict:
        return {
            "made": self.made,
            "kept_on_time": self.kept_on_time,
            "kept_late": self.kept_late,
            "owed": self.owed,
            "planned": self.planned,
            "average_days_to_keep": self.average_days,
        }


def promise_figures(promises: Sequence[Promise], by_rel: Mapping[str, Post], dates: DateRange, as_of: dt.datetime) -> Promises:
    """The promises made in `dates` by `as_of`, by what became of them (the module docstring);
    `by_rel` finds the part that keeps one (its date)."""
    on_time = late = owed = planned = 0
    days: list[float] = []
    for promise in promises:
        made_on = promise.made_on
        if made_on is None:
            if dates.bounded:
                continue
        elif made_on > as_of or made_on not in dates:
            continue
        if promise.status == "fulfilled":
            keeper = by_rel.get(promise.keeper_rel or "")
            kept_on = keeper.date if keeper is not None else None
            if kept_on is not None and promise.due is not None and kept_on > promise.due:
                late += 1
            else:
                on_time += 1
            if kept_on is not None and made_on is not None:
                days.append((kept_on - made_on).total_seconds() / 86400)
        elif promise.status in OWED:
            owed += 1
        else:
            planned += 1
    average = round(sum(days) / len(days), 1) if days else None
    return Promises(on_time + late + owed + planned, on_time, late, owed, planned, average)


# -- drafts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    slug: str
    title: str
    rel: str
    status: str  # draft or planned
    age_days: int | None  # whole days since it was made (else last changed); None: unknown

    def as_dict(self) -> dict:
        return {"slug": self.slug, "title": self.title, "path": self.rel, "status": self.status, "age_days": self.age_days}


def drafts_waiting(posts: Sequence[Post], now: dt.datetime) -> list[Draft]:
    """Every post in drafts/, the oldest first (those of unknown age last)."""
    found = []
    for post in posts:
        if post.folder != DRAFTS:
            continue
        since = post.created or post.updated
        age = max(0, (now - since).days) if since is not None else None
        found.append(Draft(post.slug, post.display_title, post.rel, post.status(now), age))
    return sorted(found, key=lambda d: (d.age_days is None, -(d.age_days or 0), d.slug))


# -- the pictures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """One calendar week of the pictures: its Monday, and the words published each day."""

    start: dt.date
    posts: int
    days: tuple[int, ...]  # words published on Monday … Sunday

    @property
    def words(self) -> int:
        return sum(self.days)

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "posts": self.posts, "words": self.words, "days": list(self.days)}


def activity(posts: Sequence[Post], as_of: dt.datetime, tz: dt.tzinfo, weeks: int = WEEKS_SHOWN) -> list[Week]:
    """The `weeks` calendar weeks up to the one holding `as_of`, oldest first, with the words of
    `posts` (published ones, each on its day in the blog's timezone)."""
    last = week_start(as_of, tz)
    first = last - dt.timedelta(days=7 * (weeks - 1))
    words = [[0] * 7 for _ in range(weeks)]
    counts = [0] * weeks
    for post in posts:
        day = post.date.astimezone(tz).date()
        index = (day - first).days
        if 0 <= index < weeks * 7:
            words[index // 7][index % 7] += post.words
            counts[index // 7] += 1
    return [Week(first + dt.timedelta(days=7 * i), counts[i], tuple(words[i])) for i in range(weeks)]


# -- one scope, and the whole report ----------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Every figure of one scope (the blog, or one series) over one window."""

    start: dt.datetime | None  # where the window starts: --since, else the first post counted
    weeks: int  # calendar weeks in the window
    posts: int
    words: Words
    streak: Streak
    promises: Promises
    drafts: list[Draft]

    def as_dict(self, tz: dt.tzinfo) -> dict:
        return {
            "posts": self.posts,
            "words": self.words.as_dict(),
            "streak": self.streak.as_dict(tz),
            "promises": self.promises.as_dict(),
            "drafts": {
                "waiting": len(self.drafts),
                "planned": sum(d.status == "planned" for d in self.drafts),
                "oldest_days": max((d.age_days for d in self.drafts if d.age_days is not None), default=None),
                "items": [d.as_dict() for d in self.drafts],
            },
        }


def figures(
    posts: Sequence[Post],
    promises: Sequence[Promise],
    by_rel: Mapping[str, Post],
    dates: DateRange,
    now: dt.datetime,
    tz: dt.tzinfo,
    schedule: Schedule | None = None,
) -> Figures:
    """The figures of `posts` (every status) and their `promises`; the streak by `schedule`'s
    slots for a series, by calendar weeks without one (the blog)."""
    as_of = window_end(dates, now)
    ever = published_in(posts, now, DateRange())
    out = [p for p in ever if p.date in dates] if dates.bounded else ever
    start = ever[0].date if ever else None  # the window starts at --since, or where the scope did if later
    if dates.start is not None:
        start = max(start, dates.start) if start is not None else dates.start
    weeks = calendar_weeks(start, as_of, tz) if start is not None else 0
    if not out:
        windows = NO_SLOTS
    elif schedule is None:
        windows = week_slots(out[0].date, out[-1].date, tz)
    else:
        windows = cadence_slots(schedule.cadence, slot_anchor(posts), out[0].date, out[-1].date, tz)
    return Figures(
        start=start,
        weeks=weeks,
        posts=len(out),
        words=word_figures(out, weeks),
        streak=streak("week" if schedule is None else "slot", windows, [p.date for p in out], as_of),
        promises=promise_figures(promises, by_rel, dates, as_of),
        drafts=drafts_waiting(posts, now),
    )


@dataclass(frozen=True)
class SeriesStats:
    series: Series
    schedule: Schedule
    figures: Figures

    def as_dict(self, tz: dt.tzinfo) -> dict:
        return {
            "slug": self.series.slug,
            "title": self.series.title,
            "cadence": self.schedule.describe(),
            "cadence_origin": self.schedule.origin,
            **self.figures.as_dict(tz),
        }


@dataclass(frozen=True)
class Report:
    """`blog stats`: the figures of the scope (the blog, or the one series asked for), each
    series', and the weeks of the pictures."""

    now: dt.datetime
    as_of: dt.datetime
    dates: DateRange
    tz: dt.tzinfo
    scope: SeriesStats | None  # None: the whole blog
    totals: Figures
    series: list[SeriesStats]
    weeks: list[Week]

    def as_dict(self) -> dict:
        tz = self.tz
        start = self.totals.start
        return {
            "now": self.now.astimezone(tz).isoformat(),
            "window": {
                "start": start.astimezone(tz).isoformat() if start else None,
                "end": self.as_of.astimezone(tz).isoformat(),
                "weeks": self.totals.weeks,
            },
            "scope": self.scope.series.slug if self.scope else None,
            "totals": self.totals.as_dict(tz),
            "series": [s.as_dict(tz) for s in self.series],
            "weeks": [w.as_dict() for w in self.weeks],
        }


def blog_stats(
    posts: Sequence[Post],
    catalogue: SeriesCatalogue,
    ledger_of: LedgerOf,
    dates: DateRange,
    now: dt.datetime,
    tz: dt.tzinfo,
    only: Series | None = None,
) -> Report:
    """The stats of the whole blog (`posts`: every post), or of the series `only`. `ledger_of`
    gives a series' promise ledger (the caller reads its parts' texts)."""
    by_rel = {p.rel: p for p in posts}
    found = []
    for series in [only] if only is not None else catalogue.all:
        parts = catalogue.parts(series)
        schedule = series_schedule(series, parts, tz)
        promises = ledger_of(series, parts) if parts else []
        found.append((series, schedule, parts, promises))
    every_series = [SeriesStats(s, schedule, figures(parts, promises, by_rel, dates, now, tz, schedule))
                    for s, schedule, parts, promises in found]
    if only is not None:
        scope = every_series[0]
        totals, shown = scope.figures, catalogue.parts(only)
    else:
        scope = None
        ledger = [promise for *_, promises in found for promise in promises]
        totals, shown = figures(posts, ledger, by_rel, dates, now, tz), posts
    as_of = window_end(dates, now)
    return Report(now, as_of, dates, tz, scope, totals, every_series, activity(published_in(shown, now, dates), as_of, tz))


# -- what the pictures share ------------------------------------------------------------------

SHADES = 4  # the heat map's shades beside "none"


def shade_bounds(highest: int) -> list[int]:
    """The largest value each shade 1…4 stands for: a quarter of `highest` each, the last `highest`."""
    return [highest * k // SHADES for k in range(1, SHADES)] + [highest]


def shade(value: int, bounds: Sequence[int]) -> int:
    """0 for nothing, else the first shade whose bound holds `value`."""
    if value <= 0:
        return 0
    return next((k for k, bound in enumerate(bounds, start=1) if value <= bound), SHADES)


def month_starts(weeks: Sequence[Week]) -> list[tuple[int, dt.date]]:
    """(index of the week, first day of the month) for each week in which a month begins."""
    found = []
    for index, week in enumerate(weeks):
        for offset in range(7):
            day = week.start + dt.timedelta(days=offset)
            if day.day == 1:
                found.append((index, day))
    return found
