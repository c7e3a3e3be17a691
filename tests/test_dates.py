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
