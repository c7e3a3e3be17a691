"""Reading dates in any ISO 8601 form and writing them as RFC 3339 in the blog's offset."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from blogcli.errors import ConfigError, InvalidValue


def zone(name: str | None) -> dt.tzinfo:
    """The blog's timezone; an empty name means UTC (without loading zoneinfo: ~1.5 ms with the
    sysconfig it reads its paths from)."""
    if not name or name.upper() == "UTC":
        return dt.timezone.utc
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"blog.toml: unknown timezone {name!r}", hint="use an IANA name such as Europe/London") from exc


# Python's datetime stops at years 1 and 9999: a moment within a day of either may not exist in
# another timezone (0001-01-01T00:00+05:00 in UTC is in year 0), and converting it for the site,
# a feed or a comparison would fail. Every date read is at least a day inside.
EARLIEST = dt.datetime(1, 1, 2, tzinfo=dt.timezone.utc)
LATEST = dt.datetime(9999, 12, 30, tzinfo=dt.timezone.utc)


def parse_datetime(value: object, tz: dt.tzinfo) -> dt.datetime:
    """Accept what YAML hands us (datetime, date or text) and return an aware datetime.

    PyYAML turns `2024-03-04T09:00:00` into a datetime but leaves `2024-03-04 09:00` as text,
    so both paths land here. Times without an offset are read in the blog's timezone.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("z", "Z")):
            text = text[:-1] + "+00:00"
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise InvalidValue(f"not a date: {value!r}", hint="write dates as 2024-03-04 or 2024-03-04T09:00+01:00") from None
    else:
        raise InvalidValue(f"not a date: {value!r}", hint="write dates as 2024-03-04 or 2024-03-04T09:00+01:00")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    try:
        within = EARLIEST <= moment <= LATEST and moment.utcoffset() is not None
    except (OverflowError, ValueError):
        within = False
    if not within:
        shown = value.isoformat() if isinstance(value, dt.date) else repr(value)
        raise InvalidValue(
            f"out of range: {shown} (a date must fall between {EARLIEST.date()} and {LATEST.date()})",
            hint="write dates as 2024-03-04 or 2024-03-04T09:00+01:00",
        )
    return moment


def format_datetime(moment: dt.datetime, tz: dt.tzinfo) -> str:
    """RFC 3339 with the blog's offset, to the second: `2024-03-04T09:00:00+01:00`. (Dates read
    from files have no microseconds: `replace` was half the cost, and the sitemap writes 10,000.)"""
    local = moment.astimezone(tz)
    return (local.replace(microsecond=0) if local.microsecond else local).isoformat()


def now(tz: dt.tzinfo) -> dt.datetime:
    """The current time, or BLOG_NOW when set (tests and scripts freeze the clock with it)."""
    frozen = os.environ.get("BLOG_NOW")
    if frozen:
        try:
            return parse_datetime(frozen, tz)
        except InvalidValue as exc:
            raise ConfigError(f"BLOG_NOW: {exc.message}", hint=exc.hint) from None
    return dt.datetime.now(tz).replace(microsecond=0)


@dataclass(frozen=True)
class DateRange:
    """`--since` and `--until` as every command reads them: from `start` on, up to `end` (None: no
    bound). `--until` with a date alone runs to the end of that day: `end` is then the next day's
    first moment, itself outside (`end_included` False)."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    end_included: bool = True

    def __contains__(self, moment: dt.datetime) -> bool:
        if self.start is not None and moment < self.start:
            return False
        if self.end is not None and (moment > self.end if self.end_included else moment >= self.end):
            return False
        return True

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_range(since: str | None, until: str | None, tz: dt.tzinfo) -> DateRange:
    """The range `--since SINCE --until UNTIL` select (dates read as `parse_datetime` reads them,
    in the blog's timezone); a usage mistake names its option."""
    start = _option_date(since, tz, "--since") if since else None
    if not until:
        return DateRange(start)
    end = _option_date(until, tz, "--until")
    whole_day = bool(_DATE_ONLY.fullmatch(until.strip()))
    if whole_day:
        end += dt.timedelta(days=1)
    if start is not None and (start >= end if whole_day else start > end):
        raise InvalidValue(f"--since {since} is after --until {until}", hint="give the earlier date to --since")
    return DateRange(start, end, not whole_day)


def _option_date(text: str, tz: dt.tzinfo, option: str) -> dt.datetime:
    try:
        return parse_datetime(text, tz)
    except InvalidValue as exc:
        raise InvalidValue(f"{option}: {exc.message}", hint=exc.hint) from None
