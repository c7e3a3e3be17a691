import datetime as dt

import pytest

from blogcli.errors import ConfigError, InvalidValue
from blogcli.model.dates import format_datetime, now, parse_datetime, zone

LONDON = zone("Europe/London")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-04 09:00", "2024-03-04T09:00:00+00:00"),
        ("2024-07-04 09:00", "2024-07-04T09:00:00+01:00"),
        ("2024-03-04T09:00:30Z", "2024-03-04T09:00:30+00:00"),
        ("2024-03-04T09:00+05:30", "2024-03-04T03:30:00+00:00"),
        ("2024-03-04", "2024-03-04T00:00:00+00:00"),
        (dt.date(2024, 3, 4), "2024-03-04T00:00:00+00:00"),
        (dt.datetime(2024, 3, 4, 9), "2024-03-04T09:00:00+00:00"),
    ],
)
def test_any_iso_form_is_read_in_the_blog_zone(value, expected):
    assert format_datetime(parse_datetime(value, LONDON), LONDON) == dt.datetime.fromisoformat(expected).astimezone(LONDON).isoformat()


def test_written_as_rfc3339_with_the_blog_offset():
    moment = parse_datetime("2024-07-04T08:00:00Z", dt.timezone.utc)
    assert format_datetime(moment, LONDON) == "2024-07-04T09:00:00+01:00"


@pytest.mark.parametrize("value", ["next tuesday", "2024-13-01", 12, None, ["2024-01-01"]])
def test_bad_dates_are_invalid(value):
    with pytest.raises(InvalidValue):
        parse_datetime(value, LONDON)


def test_blog_now_freezes_the_clock(monkeypatch):
    monkeypatch.setenv("BLOG_NOW", "2030-01-01 12:00")
    assert now(LONDON).isoformat() == "2030-01-01T12:00:00+00:00"
    monkeypatch.setenv("BLOG_NOW", "soon")
    with pytest.raises(ConfigError, match="BLOG_NOW"):
        now(LONDON)


def test_unknown_timezone_is_a_config_error():
    with pytest.raises(ConfigError, match="timezone"):
        zone("Mars/Olympus")


def test_written_to_the_second_with_or_without_microseconds():
    with_micro = dt.datetime(2024, 7, 4, 8, 0, 5, 999_999, tzinfo=dt.timezone.utc)
    assert format_datetime(with_micro, LONDON) == "2024-07-04T09:00:05+01:00"
    assert format_datetime(with_micro.replace(microsecond=0), dt.timezone.utc) == "2024-07-04T08:00:05+00:00"


def test_the_site_writes_dates_as_format_datetime_does():
    from blogcli.site.views import iso_time

    moment = dt.datetime(2024, 7, 4, 8, 0, 5, 12, tzinfo=dt.timezone.utc)
    assert iso_time(moment, LONDON) == format_datetime(moment, LONDON) and iso_time(None, LONDON) is None
