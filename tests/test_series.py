"""Series ordering: parts stay 1..N, published parts need force, every change is all-or-nothing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import blog_bin

from blogcli.errors import BlogError, ConfigError, InvalidValue, NotFound
from blogcli.model.cadence import next_free_slot, parse_cadence
from blogcli.model.document import Document
from blogcli.model.series import SeriesCatalogue, neighbours
from blogcli.ops.series import (
    add_to_series,
    list_series,
    move_part,
    remove_from_series,
    resolve_series,
    show_series,
)
from blogcli.workspace.store import Workspace

SERIES = "The Night Bus Notebook"


def write_post(root: Path, rel: str, meta: str, body: str = "Some words.\n") -> None:
    (root / rel).write_text(f"---\n{meta.strip()}\n---\n\n{body}", encoding="utf-8")


def parts_on_disk(root: Path) -> dict[str, int | None]:
    """slug → part, read straight from the files."""
    found = {}
    for folder in ("drafts", "published"):
        for path in sorted((root / folder).glob("*.md")):
            meta = Document.from_bytes(path.read_bytes()).parse()
            if meta.get("series"):
                found[path.stem] = meta.get("part")
    return found


def workspace(root: Path) -> Workspace:
    return Workspace.open(root)


@pytest.fixture
def five(sample) -> Path:
    """The sample series with two more drafts: parts 1, 2 published; 3, 4, 5 drafts."""
    write_post(sample, "drafts/the-2011-cut.md", f"title: The 2011 Cut\nseries: {SERIES}\npart: 4\ncreated: 2026-11-20T10:00:00Z")
    write_post(sample, "drafts/what-next.md", f"title: What Next\nseries: {SERIES}\npart: 5\ncreated: 2026-11-21T10:00:00Z", "")
    return sample


# -- reading ----------------------------------------------------------------------------------


def test_parts_in_order_and_neighbours(five):
    ws = workspace(five)
    known = SeriesCatalogue(ws.config.series, ws.posts)
    parts = known.parts(known.resolve("night-bus-notebook"))
    assert parts == known.parts(known.resolve(SERIES))
    assert [p.slug for p in parts] == ["why-the-night-bus", "who-rides-after-midnight", "drawing-the-timetable", "the-2011-cut", "what-next"]
    before, after = neighbours(parts, parts[2])
    assert (before.slug, after.slug) == ("who-rides-after-midnight", "the-2011-cut")
    assert neighbours(parts, parts[0])[0] is None
    assert neighbours(parts, parts[-1])[1] is None


def test_name_or_slug_names_the_series(sample):
    ws = workspace(sample)
    by_slug = resolve_series(ws, "night-bus-notebook")
    assert by_slug == resolve_series(ws, SERIES) == resolve_series(ws, "the-night-bus-notebook")
    assert by_slug.title == SERIES and by_slug.slug == "night-bus-notebook"


def test_unknown_series_lists_close_names(sample):
    with pytest.raises(NotFound) as caught:
        resolve_series(workspace(sample), "night-bus-notbook")
    assert any("night-bus-notebook" in c for c in caught.value.candidates)


def test_list_counts_and_next_slot(five):
    [summary] = list_series(workspace(five))
    assert summary.counts == {"published": 2, "scheduled": 0, "draft": 2, "planned": 1}
    assert summary.last_published == dt.datetime(2026, 11, 9, 9, tzinfo=dt.timezone.utc)
    # Frozen now is Wednesday 2026-11-25; the cadence is weekly on Monday 09:00 (London = UTC in winter).
    assert summary.next_slot.isoformat() == "2026-11-30T09:00:00+00:00"


def test_scheduled_parts_take_their_slot(five):
    path = five / "published" / "the-2011-cut.md"
    (five / "drafts" / "the-2011-cut.md").rename(path)
    doc = Document.from_bytes(path.read_bytes())
    doc.set("date", dt.datetime(2026, 11, 30, 9, tzinfo=dt.timezone.utc))
    path.write_bytes(doc.to_bytes())
    view = show_series(workspace(five), SERIES)
    assert [r.slug for r in view.upcoming] == ["the-2011-cut"]
    assert view.next_slot.isoformat() == "2026-12-07T09:00:00+00:00"


def test_show_flags_gaps_and_duplicates_made_by_hand(five):
    write_post(five, "drafts/the-2011-cut.md", f"title: The 2011 Cut\nseries: {SERIES}\npart: 7")
    write_post(five, "drafts/another.md", f"title: Another\nseries: {SERIES}\npart: 2")
    write_post(five, "drafts/loose.md", f"title: Loose\nseries: {SERIES}")
    view = show_series(workspace(five), SERIES)
    assert view.gaps == [4, 6]
    assert view.duplicates == [2]
    assert view.unnumbered == ["loose"]
    flags = {r.slug: r.flag for r in view.rows}
    assert flags["another"] == "duplicate" and flags["loose"] == "no part number" and flags["why-the-night-bus"] is None


# -- changing the order -----------------------------------------------------------------------


def test_move_keeps_parts_contiguous(five):
    ws = workspace(five)
    changes = move_part(ws, "what-next", 3)
    assert parts_on_disk(five) == {
        "why-the-night-bus": 1,
        "who-rides-after-midnight": 2,
        "what-next": 3,
        "drawing-the-timetable": 4,
        "the-2011-cut": 5,
    }
    assert {(c.slug, c.old, c.new) for c in changes} == {("what-next", 5, 3), ("drawing-the-timetable", 3, 4), ("the-2011-cut", 4, 5)}


def test_move_changes_only_the_part_line(five):
    before = (five / "drafts" / "drawing-the-timetable.md").read_bytes()
    move_part(workspace(five), "drawing-the-timetable", 4)
    after = (five / "drafts" / "drawing-the-timetable.md").read_bytes()
    assert after == before.replace(b"part: 3\n", b"part: 4\n")


def test_renumbering_a_published_part_needs_force(five):
    ws = workspace(five)
    with pytest.raises(BlogError) as caught:
        move_part(ws, "the-2011-cut", 1)
    assert "--force" in caught.value.hint
    assert "why-the-night-bus (part 1 → 2)" in caught.value.message
    assert parts_on_disk(five)["why-the-night-bus"] == 1, "nothing changed"
    move_part(ws, "the-2011-cut", 1, force=True)
    assert parts_on_disk(five) == {
        "the-2011-cut": 1,
        "why-the-night-bus": 2,
        "who-rides-after-midnight": 3,
        "drawing-the-timetable": 4,
        "what-next": 5,
    }


def test_move_outside_the_series_is_refused(five):
    with pytest.raises(InvalidValue):
        move_part(workspace(five), "what-next", 6)
    with pytest.raises(InvalidValue):
        move_part(workspace(five), "about-this-notebook", 1)


def test_add_at_the_end_and_in_the_middle(five):
    ws = workspace(five)
    write_post(five, "drafts/fares.md", "title: Fares")
    write_post(five, "drafts/depots.md", "title: Depots")
    add_to_series(ws, "fares", "night-bus-notebook")
    meta = Document.from_bytes((five / "drafts" / "fares.md").read_bytes()).parse()
    assert meta["series"] == SERIES and meta["part"] == 6
    add_to_series(ws, "depots", SERIES, part=4)
    parts = parts_on_disk(five)
    assert sorted(parts.values()) == list(range(1, 8))
    assert parts["depots"] == 4 and parts["the-2011-cut"] == 5 and parts["fares"] == 7


def test_add_refuses_to_make_a_gap(five):
    write_post(five, "drafts/fares.md", "title: Fares")
    with pytest.raises(InvalidValue) as caught:
        add_to_series(workspace(five), "fares", SERIES, part=9)
    assert "gap" in caught.value.message


def test_add_before_published_parts_needs_force(five):
    write_post(five, "drafts/fares.md", "title: Fares")
    with pytest.raises(BlogError, match="published"):
        add_to_series(workspace(five), "fares", SERIES, part=1)


def test_a_new_series_starts_at_part_one(five):
    added = add_to_series(workspace(five), "about-this-notebook", "Meta Notes")
    assert added.new and added.series.slug == "meta-notes"
    assert '[series.meta-notes]\ntitle = "Meta Notes"' in (five / "blog.toml").read_text()
    meta = Document.from_bytes((five / "published" / "about-this-notebook.md").read_bytes()).parse()
    assert meta["series"] == "Meta Notes" and meta["part"] == 1


def test_remove_closes_the_gap(five):
    remove_from_series(workspace(five), "drawing-the-timetable")
    parts = parts_on_disk(five)
    assert "drawing-the-timetable" not in parts
    assert parts == {"why-the-night-bus": 1, "who-rides-after-midnight": 2, "the-2011-cut": 3, "what-next": 4}
    text = (five / "drafts" / "drawing-the-timetable.md").read_text()
    assert "series:" not in text and "part:" not in text and "fulfils: who-rides-after-midnight" in text


def test_removing_a_published_part_needs_force(five):
    with pytest.raises(BlogError, match="published"):
        remove_from_series(workspace(five), "why-the-night-bus")
    remove_from_series(workspace(five), "why-the-night-bus", force=True)
    assert parts_on_disk(five)["who-rides-after-midnight"] == 1


# -- crashes ----------------------------------------------------------------------------------


OLD = {"why-the-night-bus": 1, "who-rides-after-midnight": 2, "drawing-the-timetable": 3, "the-2011-cut": 4, "what-next": 5}
NEW = {"what-next": 1, "why-the-night-bus": 2, "who-rides-after-midnight": 3, "drawing-the-timetable": 4, "the-2011-cut": 5}


def run_blog(root: Path, *args: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "BLOG_ROOT": str(root)}
    env.pop("BLOG_CRASH_AT", None)
    if crash_at:
        env["BLOG_CRASH_AT"] = crash_at
    return subprocess.run([blog_bin(), *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "crash_at, expected",
    [
        ("journal:staged", OLD),  # before the commit point: the old order
        ("journal:before-commit", OLD),
        ("journal:applied", NEW),  # after it: the next command finishes the change
        ("journal:applied#3", NEW),
    ],
)
def test_a_killed_move_leaves_the_old_order_or_the_new(five, crash_at, expected):
    killed = run_blog(five, "series", "move", "what-next", "--to", "1", "--force", crash_at=crash_at)
    assert killed.returncode == -9, killed.stderr
    if crash_at.startswith("journal:applied"):
        mixed = parts_on_disk(five)
        assert mixed != OLD and mixed != NEW, "the crash landed between two files"
    after = run_blog(five, "series", "show", "night-bus-notebook", "--json")
    assert after.returncode == 0, after.stderr
    assert parts_on_disk(five) == expected
    assert not (five / ".blog" / "journal.json").exists()
    # Staged copies of a change that never committed are hidden files, swept by the next write.
    visible = sorted(p.name for folder in ("drafts", "published") for p in (five / folder).iterdir() if not p.name.startswith("."))
    assert visible == sorted(f"{slug}.md" for slug in [*OLD, "about-this-notebook"])


# -- cadence ----------------------------------------------------------------------------------

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    "text, unit, interval, weekdays, hour, minute",
    [
        ("weekly on Monday 09:00", "week", 1, (0,), 9, 0),
        ("every 2 weeks on Friday 18:00", "week", 2, (4,), 18, 0),
        ("daily 07:30", "day", 1, (), 7, 30),
        ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", "week", 1, (0,), 9, 0),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;BYHOUR=20", "week", 2, (1, 3), 20, 0),
        ("weekly on Mon and Thu at 7:05", "week", 1, (0, 3), 7, 5),
        (None, "week", 1, (0,), 9, 0),
    ],
)
def test_cadences(text, unit, interval, weekdays, hour, minute):
    cadence = parse_cadence(text)
    assert (cadence.unit, cadence.interval, cadence.weekdays, cadence.hour, cadence.minute) == (unit, interval, weekdays, hour, minute)


@pytest.mark.parametrize("text", ["hourly", "weekly on Funday", "FREQ=MONTHLY", "daily 25:00", "every 0 weeks", "FREQ=WEEKLY;BYDAY=XX"])
def test_bad_cadence_names_blog_toml(text):
    with pytest.raises(ConfigError, match="blog.toml"):
        parse_cadence(text)


def test_bad_cadence_in_blog_toml_is_reported(sample, cli):
    config = sample / "blog.toml"
    config.write_text(config.read_text().replace("weekly on Monday 09:00", "every full moon"))
    result = cli("series", "show", "night-bus-notebook")
    assert result.exit_code == 1
    assert "blog.toml [series.night-bus-notebook]: cadence 'every full moon'" in result.stderr


def test_next_free_slot_skips_taken_days():
    weekly = parse_cadence("weekly on Monday 09:00")
    wednesday = dt.datetime(2026, 11, 25, 10, tzinfo=UTC)
    assert next_free_slot(weekly, wednesday, [], UTC) == dt.datetime(2026, 11, 30, 9, tzinfo=UTC)
    taken = [dt.datetime(2026, 11, 30, 12, tzinfo=UTC)]
    assert next_free_slot(weekly, wednesday, taken, UTC) == dt.datetime(2026, 12, 7, 9, tzinfo=UTC)
    fortnightly = parse_cadence("every 2 weeks on Friday 18:00")
    anchor = dt.datetime(2026, 11, 20, 18, tzinfo=UTC)  # a Friday
    assert next_free_slot(fortnightly, wednesday, [anchor], UTC, anchor=anchor) == dt.datetime(2026, 12, 4, 18, tzinfo=UTC)
    daily = parse_cadence("daily 07:30")
    assert next_free_slot(daily, wednesday, [], UTC) == dt.datetime(2026, 11, 26, 7, 30, tzinfo=UTC)


def test_slot_is_in_the_blogs_timezone():
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    weekly = parse_cadence("weekly on Monday 09:00")
    summer = dt.datetime(2026, 6, 3, 12, tzinfo=UTC)
    slot = next_free_slot(weekly, summer, [], london)
    assert slot.isoformat() == "2026-06-08T09:00:00+01:00"


def test_posts_may_name_the_series_by_its_blog_toml_slug(five):
    path = five / "drafts" / "the-2011-cut.md"
    path.write_text(path.read_text().replace(f"series: {SERIES}", "series: night-bus-notebook"))
    ws = workspace(five)
    [summary] = list_series(ws)
    assert summary.name == SERIES and sum(summary.counts.values()) == 5
    assert [r.slug for r in show_series(ws, "night-bus-notebook").rows][3] == "the-2011-cut"
    move_part(ws, "the-2011-cut", 5)
    assert parts_on_disk(five)["the-2011-cut"] == 5 and parts_on_disk(five)["what-next"] == 4


@settings(max_examples=200, deadline=None)
@given(
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    interval=st.integers(1, 4),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    after=st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    taken_days=st.lists(st.integers(0, 60), max_size=8),
)
def test_next_free_slot_is_a_free_cadence_moment_after(weekdays, interval, hour, minute, after, taken_days):
    days = ",".join(("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d] for d in sorted(weekdays))
    cadence = parse_cadence(f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={days};BYHOUR={hour};BYMINUTE={minute}")
    after = after.replace(tzinfo=UTC)
    taken = [after + dt.timedelta(days=n) for n in taken_days]
    slot = next_free_slot(cadence, after, taken, UTC, anchor=after)
    assert slot > after
    assert slot.weekday() in weekdays and (slot.hour, slot.minute) == (hour, minute)
    assert slot.date() not in {t.date() for t in taken}
    assert slot - after <= dt.timedelta(weeks=interval * 10)
