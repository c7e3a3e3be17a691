"""A series' cadence: when its parts go live, and the next free slot.

Written in blog.toml as `cadence = "weekly on Monday 09:00"`, `"every 2 weeks on Friday 18:00"`,
`"weekly on Mon, Thu 07:30"`, `"daily 07:30"`, or an iCal rule such as
`"FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"`. Intervals go up to ten years (`MAX_DAYS`): a longer
one is an error, never a date past the calendar's end. A series without a cadence has one
inferred from its parts (`infer_cadence`), else weekly on Monday 09:00.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from blogcli.errors import ConfigError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_DAYS = 3653  # the longest interval a cadence may have: ten years
_SEARCH_PERIODS = 3 * 366  # how many of its periods a cadence is searched for a free slot
_TEXT = (  # compiled on first use (~0.7 ms): only commands that read a written cadence need it
    r"^(?:(?P<daily>daily|every\s+day)|(?P<weekly>weekly|every\s+week)|(?P<fortnightly>fortnightly)|every\s+(?P<n>\d{1,9})\s+(?P<unit>days|weeks))"
    r"(?:\s+on\s+(?P<days>[a-z,\s]+?))?(?:\s+at)?(?:\s+(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?)?$"
)


@dataclass(frozen=True)
class Cadence:
    unit: str = "week"  # "day" or "week"
    interval: int = 1
    weekdays: tuple[int, ...] = (0,)  # Monday is 0; only for weekly cadences
    hour: int = 9
    minute: int = 0
    text: str = "weekly on Monday 09:00"

    @property
    def period(self) -> dt.timedelta:
        return dt.timedelta(days=self.interval * (7 if self.unit == "week" else 1))

    def describe(self) -> str:
        time = f"{self.hour:02d}:{self.minute:02d}"
        if self.unit == "day":
            return f"daily {time}" if self.interval == 1 else f"every {self.interval} days {time}"
        days = ", ".join(WEEKDAYS[d].title() for d in self.weekdays)
        every = "weekly" if self.interval == 1 else f"every {self.interval} weeks"
        return f"{every} on {days} {time}"


def _bad(text: str, why: str, where: str = "blog.toml") -> ConfigError:
    return ConfigError(
        f"{where}: cadence {text!r}: {why}",
        hint='write e.g. "weekly on Monday 09:00", "every 2 weeks on Friday 18:00", "daily 07:30" or "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"',
    )


def parse_cadence(
    text: object, *, default_weekday: int = 0, default_time: tuple[int, int] = (9, 0), where: str = "blog.toml"
) -> Cadence:
    """Read a cadence; None or "" means weekly. Anything unreadable is a ConfigError naming `where`."""
    try:
        return _parse(text, default_weekday, default_time)
    except ConfigError as exc:
        if where == "blog.toml":
            raise
        raise ConfigError(exc.message.replace("blog.toml", where, 1), hint=exc.hint) from None


def _parse(text: object, default_weekday: int, default_time: tuple[int, int]) -> Cadence:
    hour, minute = default_time
    if text is None or (isinstance(text, str) and not text.strip()):
        return Cadence(weekdays=(default_weekday,), hour=hour, minute=minute, text="")
    if not isinstance(text, str):
        raise _bad(str(text), "must be text")
    spec = " ".join(text.split())
    if "FREQ=" in spec.upper():
        return _parse_rrule(spec, default_weekday, default_time)
    found = re.match(_TEXT, spec, re.I)
    if not found:
        raise _bad(text, "not a cadence blogcli understands")
    if found["daily"]:
        unit, interval = "day", 1
    elif found["weekly"]:
        unit, interval = "week", 1
    elif found["fortnightly"]:
        unit, interval = "week", 2
    else:
        unit, interval = found["unit"].lower()[:-1], int(found["n"])
    _check_interval(interval, unit, text)
    weekdays: tuple[int, ...] = (default_weekday,)
    if found["days"]:
        if unit == "day":
            raise _bad(text, "a daily cadence has no weekday")
        names = [name for name in re.split(r"[,\s]+", found["days"]) if name and name.lower() != "and"]
        weekdays = tuple(sorted({_weekday(name, text) for name in names}))
    if found["hour"] is not None:
        hour, minute = int(found["hour"]), int(found["minute"] or 0)
    _check_time(hour, minute, text)
    return Cadence(unit, interval, weekdays if unit == "week" else (), hour, minute, text)


def _weekday(name: str, text: str) -> int:
    name = name.strip().lower()
    for i, day in enumerate(WEEKDAYS):
        if len(name) >= 2 and day.startswith(name):
            return i
    raise _bad(text, f"{name!r} is not a weekday")


def _check_interval(interval: int, unit: str, text: str) -> None:
    if interval < 1:
        raise _bad(text, "the interval must be 1 or more")
    if interval * (7 if unit == "week" else 1) > MAX_DAYS:
        raise _bad(text, f"an interval of {interval} {unit}s is longer than ten years")


def _check_time(hour: int, minute: int, text: str) -> None:
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _bad(text, f"{hour:02d}:{minute:02d} is not a time of day")


def _parse_rrule(spec: str, default_weekday: int, default_time: tuple[int, int]) -> Cadence:
    parts = {}
    for item in spec.upper().removeprefix("RRULE:").split(";"):
        key, sep, value = item.strip().partition("=")
        if not sep or not value:
            raise _bad(spec, f"{item!r} is not KEY=VALUE")
        parts[key] = value
    freq = parts.pop("FREQ", "")
    if freq not in ("DAILY", "WEEKLY"):
        raise _bad(spec, f"FREQ={freq} is not supported (DAILY or WEEKLY)")
    try:
        interval = int(parts.pop("INTERVAL", "1"))
        hour = int(parts.pop("BYHOUR", default_time[0]))
        minute = int(parts.pop("BYMINUTE", default_time[1]))
    except ValueError:
        raise _bad(spec, "INTERVAL, BYHOUR and BYMINUTE must be numbers") from None
    unit = "day" if freq == "DAILY" else "week"
    _check_interval(interval, unit, spec)
    _check_time(hour, minute, spec)
    weekdays: tuple[int, ...] = (default_weekday,)
    if "BYDAY" in parts:
        try:
            weekdays = tuple(sorted({_ICAL_DAYS.index(day.strip()) for day in parts.pop("BYDAY").split(",")}))
        except ValueError:
            raise _bad(spec, "BYDAY takes MO, TU, WE, TH, FR, SA, SU") from None
    parts.pop("WKST", None)
    if parts:
        raise _bad(spec, "unsupported parts: " + ", ".join(sorted(parts)))
    return Cadence(unit, interval, weekdays if unit == "week" else (), hour, minute, spec)


def slots(cadence: Cadence, after: dt.datetime, tz: dt.tzinfo, anchor: dt.datetime | None = None):
    """The cadence's moments strictly after `after`, in order (at most `_SEARCH_PERIODS` periods'
    worth, and never past the calendar's end). `anchor` fixes which weeks (or days) an every-N
    cadence falls on: those of the series' first part."""
    start = after.astimezone(tz).date()
    base = (anchor or after).astimezone(tz).date()
    step = cadence.interval * (7 if cadence.unit == "week" else 1)
    if cadence.unit == "week":
        base -= dt.timedelta(days=base.weekday())
        start -= dt.timedelta(days=start.weekday())
    offsets = sorted(cadence.weekdays) if cadence.unit == "week" else [0]
    first = base + dt.timedelta(days=((start - base).days // step) * step)  # the period holding `start`
    try:
        for period in range(_SEARCH_PERIODS + 1):
            begins = first + dt.timedelta(days=period * step)
            for offset in offsets:
                day = begins + dt.timedelta(days=offset)
                moment = dt.datetime(day.year, day.month, day.day, cadence.hour, cadence.minute, tzinfo=tz)
                if moment > after:
                    yield moment
    except OverflowError:  # past year 9999: no more slots
        return


def next_free_slot(
    cadence: Cadence, after: dt.datetime, taken: list[dt.datetime], tz: dt.tzinfo, anchor: dt.datetime | None = None
) -> dt.datetime | None:
    """The first slot after `after` on a day (in the blog's timezone) that no post already takes."""
    busy = {moment.astimezone(tz).date() for moment in taken}
    for moment in slots(cadence, after, tz, anchor):
        if moment.date() not in busy:
            return moment
    return None


def infer_cadence(dates: list[dt.datetime], tz: dt.tzinfo) -> Cadence | None:
    """Weekly at the weekday and time (in the blog's timezone) that most of `dates` share; on a
    tie, the one used first. One odd publish never moves it: it has one vote. None without dates."""
    if not dates:
        return None
    votes: dict[tuple[int, int, int], int] = {}
    for moment in sorted(dates):
        local = moment.astimezone(tz)
        slot = (local.weekday(), local.hour, local.minute)
        votes[slot] = votes.get(slot, 0) + 1
    weekday, hour, minute = max(votes, key=votes.__getitem__)  # the first of equals: dicts keep order
    return Cadence("week", 1, (weekday,), hour, minute, text="")
