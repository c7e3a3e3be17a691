"""The series rules as pure functions: identity, "Part N of M", coming parts, gaps, cadence, reading time."""

from __future__ import annotations

import datetime as dt

import pytest

from blogcli.model.cadence import infer_cadence, parse_cadence
from blogcli.model.post import Post
from blogcli.model.reading import reading_minutes
from blogcli.model.series import (
    CloseSeriesName,
    SeriesCatalogue,
    coming_parts,
    missing_before,
    neighbours,
    part_of,
    published_gaps,
    series_schedule,
)

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 25, 10, tzinfo=UTC)


def post(slug: str, part: int | None, status: str, series: str = "Night Bus", date: dt.datetime | None = None) -> Post:
    folder = "published" if status in ("published", "scheduled") else "drafts"
    if date is None and status == "published":
        date = dt.datetime(2026, 11, 2, 9, tzinfo=UTC) + dt.timedelta(weeks=(part or 1) - 1)
    if date is None and status == "scheduled":
        date = dt.datetime(2026, 11, 30, 9, tzinfo=UTC)
    return Post(f"{folder}/{slug}.md", folder, slug, None, series=series, part=part, date=date, has_body=status != "planned")


SECTIONS = {"night-bus": {"title": "The Night Bus Notebook", "cadence": "weekly on Monday 09:00"}}


def test_every_spelling_names_one_series():
    posts = [post("a", 1, "published", "night-bus"), post("b", 2, "published", "The Night Bus Notebook"), post("c", 3, "draft", "the night bus notebook")]
    known = SeriesCatalogue(SECTIONS, posts)
    [series] = known.all
    assert (series.slug, series.title, series.section) == ("night-bus", "The Night Bus Notebook", "night-bus")
    assert [p.slug for p in known.parts(series)] == ["a", "b", "c"]
    for name in ("night-bus", "Night Bus", "The Night Bus Notebook", "THE-NIGHT-BUS-NOTEBOOK"):
        assert known.resolve(name) is series
    assert known.of(posts[2]) is series


def test_close_names_are_refused_for_writing_and_new_ones_start_a_series():
    known = SeriesCatalogue(SECTIONS, [post("a", 1, "published", "night-bus")])
    for close in ("night", "Night Bus Notbook", "nigth-bus"):
        with pytest.raises(CloseSeriesName) as caught:
            known.resolve_for_writing(close)
        assert caught.value.candidate.slug == "night-bus"
    assert known.resolve_for_writing("night", new_series=True).new
    fresh = known.resolve_for_writing("Floorboard Diaries")
    assert fresh.new and (fresh.series.slug, fresh.series.name) == ("floorboard-diaries", "Floorboard Diaries")


def test_part_n_of_m_counts_parts_out_or_scheduled():
    parts = [post("a", 1, "published"), post("b", 2, "published"), post("c", 3, "scheduled"), post("d", 4, "planned")]
    assert str(part_of(parts, parts[0], NOW)) == "Part 1 of 3"
    assert str(part_of(parts, parts[3], NOW)) == "Part 4 of 4", "a part not out counts itself, as it will be"
    gap = [post("a", 1, "published"), post("e", 5, "published")]
    assert str(part_of(gap, gap[1], NOW)) == "Part 5 of 5"
    assert part_of(parts, post("x", None, "draft"), NOW) is None


def test_neighbours_among_the_parts_given():
    parts = [post("a", 1, "published"), post("b", 2, "published"), post("c", 3, "draft")]
    assert neighbours(parts, parts[1]) == (parts[0], parts[2])
    assert neighbours(parts[:2], parts[1]) == (parts[0], None)


def test_coming_parts_have_their_date_or_the_cadences_next_slots():
    parts = [post("a", 1, "published"), post("b", 2, "published"), post("c", 3, "scheduled"), post("d", 4, "planned"), post("e", 5, "draft")]
    coming = coming_parts(parts, parse_cadence("weekly on Monday 09:00"), NOW, UTC)
    assert [(c.number, c.date.date().isoformat()) for c in coming] == [(3, "2026-11-30"), (4, "2026-12-07"), (5, "2026-12-14")]


def test_gaps_in_what_readers_get():
    parts = [post("a", 1, "published"), post("b", 2, "draft"), post("c", 3, "published")]
    assert [str(m) for m in published_gaps(parts, NOW)] == ["part 2 (drafts/b.md)"]
    when = dt.datetime(2026, 12, 1, tzinfo=UTC)
    assert [m.number for m in missing_before(parts, 5, when)] == [2, 4]
    assert published_gaps(parts[:2], NOW) == []


def test_cadence_inferred_from_most_parts_and_ties_go_to_the_first_used():
    monday = dt.datetime(2026, 11, 2, 9, tzinfo=UTC)
    odd = dt.datetime(2026, 11, 18, 13, 23, tzinfo=UTC)
    assert infer_cadence([monday, monday + dt.timedelta(weeks=1), odd], UTC).describe() == "weekly on Monday 09:00"
    assert infer_cadence([odd, monday], UTC).describe() == "weekly on Monday 09:00", "the first used wins a tie"
    assert infer_cadence([], UTC) is None
    series = SeriesCatalogue({}, [post("a", 1, "published")]).all[0]
    assert series_schedule(series, [post("a", 1, "published", date=odd)], UTC).origin == "inferred"
    assert series_schedule(series, [], UTC).origin == "default"
    assert series_schedule(SeriesCatalogue(SECTIONS, []).all[0], [], UTC).origin == "set"


@pytest.mark.parametrize("words, minutes", [(0, 0), (1, 1), (114, 1), (300, 1), (344, 1), (345, 2), (575, 3), (2000, 9)])
def test_reading_time_rounds_half_up_with_a_minute_at_least(words, minutes):
    assert reading_minutes(words, 230) == minutes


def test_the_ledger_is_a_pure_function_of_parts_texts_period_and_now():
    from blogcli.model.ledger import PartText, build_ledger, latest_promise

    one, two, three = post("one", 1, "published"), post("two", 2, "published"), post("three", 3, "planned")
    three.fulfils = "old-two"  # an old slug of part 2, renamed since
    texts = [
        PartText(one, "Hello.\n\nNext week I'll look at the depot strike.\n", body_line=6),
        PartText(two, "I know I said I would be discussing the depot strike, and I will!\n\nStay tuned!\n", aliases=("old-two",)),
        PartText(three),
    ]
    week = dt.timedelta(weeks=1)
    ledger = build_ledger("Night Bus", "night-bus", texts, week, NOW)
    strike, untitled = ledger
    # Part 3 declares it keeps part 2's promises (by part 2's old slug): both of them, not out yet.
    assert (strike.text, strike.made_in, strike.status, strike.line) == ("the depot strike", ["one", "two"], "late", 9)
    assert (untitled.text, untitled.sentence, untitled.has_topic) == ("", "Stay tuned!", False)
    assert (untitled.fulfilled_by, untitled.status) == ("three", "late")
    assert latest_promise(ledger, ("open", "overdue", "late")) is untitled, "made last: later in the same part"
    early = build_ledger("Night Bus", "night-bus", texts, week, dt.datetime(2026, 11, 10, tzinfo=UTC))
    assert early[1].status == "planned"
    undeclared = build_ledger("Night Bus", "night-bus", [*texts[:2], PartText(post("three", 3, "planned"))], week, NOW)
    assert undeclared[1].fulfilled_by == "three", "a teaser without a topic is kept by whatever part comes next"
    assert undeclared[0].status == "overdue"


def test_a_series_is_named_by_the_spelling_most_of_its_posts_use_the_first_seen_on_a_tie():
    most = [post("a", 1, "published", "night bus"), post("b", 2, "published", "Night Bus"), post("c", 3, "draft", "Night Bus")]
    assert [s.name for s in SeriesCatalogue({}, most).all] == ["Night Bus"]
    tie = [post("a", 1, "published", "Night Bus"), post("b", 2, "published", "night-bus"), post("c", 1, "published", "Floor")]
    assert [(s.slug, s.name) for s in SeriesCatalogue(SECTIONS, tie).all] == [("floor", "Floor"), ("night-bus", "Night Bus")]
    assert [p.slug for p in SeriesCatalogue(SECTIONS, tie).parts(SeriesCatalogue(SECTIONS, tie).all[1])] == ["a", "b"]
    empty = SeriesCatalogue(SECTIONS, [])
    assert [(s.slug, s.name, s.title) for s in empty.all] == [("night-bus", "The Night Bus Notebook", "The Night Bus Notebook")]
