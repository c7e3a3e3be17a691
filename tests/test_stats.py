"""`model.stats`: each figure of `blog stats` on small hand-made series.

Every case builds posts in memory (as the index gives them: words counted, no body) and the
series' ledger with the real `build_ledger` over the parts' texts. Now is Wednesday
2026-11-25 10:00 UTC unless a test says otherwise; the weekly slots are Mondays 09:00.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from blogcli.model.cadence import parse_cadence
from blogcli.model.dates import DateRange, date_range
from blogcli.model.ledger import PartText, build_ledger
from blogcli.model.post import DRAFTS, PUBLISHED, Post
from blogcli.model.series import SeriesCatalogue, series_schedule
from blogcli.model.stats import (
    activity,
    blog_stats,
    cadence_slots,
    drafts_waiting,
    figures,
    month_starts,
    shade,
    shade_bounds,
    streak,
    week_slots,
    word_figures,
)

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 25, 10, tzinfo=UTC)  # a Wednesday
WEEKLY = {"notebook": {"title": "Notebook", "cadence": "weekly on Monday 09:00"}}


def at(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def post(slug: str, date: str | None = None, *, words: int = 100, series: str | None = "Notebook", part: int | None = None,
         folder: str = PUBLISHED, created: str | None = None, updated: str | None = None, fulfils: str | None = None,
         body: bool = True) -> Post:
    return Post(rel=f"{folder}/{slug}.md", folder=folder, slug=slug, doc=None, title=slug.replace("-", " ").title(),
                date=at(date) if date else None, created=at(created) if created else None,
                updated=at(updated) if updated else None, series=series, part=part, words=words,
                fulfils=fulfils, has_body=body)


def series_stats(parts: list[tuple[Post, str]], sections=WEEKLY, now=NOW, dates=DateRange(), tz=UTC):
    """The one series' figures, its ledger built from `parts` (each post with its body text)."""
    posts = [p for p, _ in parts]
    bodies = {p.rel: body for p, body in parts}
    catalogue = SeriesCatalogue(sections, posts)
    (series,) = catalogue.all

    def ledger_of(found, members):
        period = series_schedule(found, members, tz).cadence.period
        return build_ledger(found.title, found.slug, [PartText(p, bodies[p.rel]) for p in members], period, now)

    return blog_stats(posts, catalogue, ledger_of, dates, now, tz, only=series)


PROMISE_TIMETABLE = "Buses at night.\n\nNext week I'll look at how the timetable was drawn.\n"


# -- promises -----------------------------------------------------------------------------------


def test_a_promise_kept_by_the_next_part_on_its_due_day_is_kept_on_time():
    report = series_stats([
        (post("buses", "2026-11-02T09:00", part=1), PROMISE_TIMETABLE),
        (post("timetable", "2026-11-09T09:00", part=2, fulfils="buses"), "How the timetable was drawn.\n"),
    ])
    promises = report.totals.promises
    assert (promises.made, promises.kept_on_time, promises.kept_late, promises.owed, promises.planned) == (1, 1, 0, 0, 0)
    assert promises.average_days == 7.0


def test_a_promise_kept_after_it_was_due_is_kept_late():
    report = series_stats([
        (post("buses", "2026-11-02T09:00", part=1), PROMISE_TIMETABLE),
        (post("timetable", "2026-11-12T18:00", part=2, fulfils="buses"), "How the timetable was drawn.\n"),
    ])
    promises = report.totals.promises
    assert (promises.made, promises.kept_on_time, promises.kept_late) == (1, 0, 1)
    assert promises.average_days == 10.4  # 2 Nov 09:00 to 12 Nov 18:00


def test_a_promise_kept_two_parts_later_counts_the_days_to_that_part():
    report = series_stats([
        (post("buses", "2026-11-02T09:00", part=1), PROMISE_TIMETABLE),
        (post("drivers", "2026-11-09T09:00", part=2), "The drivers talk.\n"),
        (post("timetable", "2026-11-16T09:00", part=3, fulfils="buses"), "The timetable, at last.\n"),
    ])
    promises = report.totals.promises
    assert (promises.made, promises.kept_on_time, promises.kept_late, promises.owed) == (1, 0, 1, 0)
    assert promises.average_days == 14.0


def test_owed_and_planned_promises_and_made_adds_up():
    report = series_stats([
        (post("buses", "2026-11-02T09:00", part=1), PROMISE_TIMETABLE),  # kept late by a draft: owed ("late")
        (post("drivers", "2026-11-23T09:00", part=2), "Next week I'll look at the depot strike.\n"),  # a draft keeps it, not due
        (post("timetable", part=3, folder=DRAFTS, fulfils="buses", created="2026-11-20T09:00"), "The timetable.\n"),
        (post("strike", part=4, folder=DRAFTS, fulfils="drivers", created="2026-11-24T09:00"), "The strike.\n"),
    ])
    promises = report.totals.promises
    assert (promises.made, promises.kept_on_time, promises.kept_late, promises.owed, promises.planned) == (2, 0, 0, 1, 1)
    assert promises.made == promises.kept + promises.owed + promises.planned
    assert promises.average_days is None


def test_only_promises_made_in_the_window_count():
    parts = [
        (post("buses", "2026-11-02T09:00", part=1), PROMISE_TIMETABLE),
        (post("timetable", "2026-11-09T09:00", part=2, fulfils="buses"), "Next week I'll look at the depot strike.\n"),
    ]
    assert series_stats(parts, dates=date_range("2026-11-05", None, UTC)).totals.promises.made == 1
    until = series_stats(parts, dates=date_range(None, "2026-11-02", UTC)).totals.promises
    assert (until.made, until.kept_on_time) == (1, 1)  # made in the window, kept after it: kept


# -- streaks --------------------------------------------------------------------------------------


def weekly_parts(*dates: str) -> list[tuple[Post, str]]:
    return [(post(f"part-{n}", date, part=n), "Text.\n") for n, date in enumerate(dates, start=1)]


def test_a_skipped_week_breaks_the_streak():
    report = series_stats(weekly_parts("2026-10-26T09:00", "2026-11-02T09:00", "2026-11-09T09:00", "2026-11-23T09:00"))
    run = report.totals.streak
    assert (run.unit, run.longest, run.current, run.slots, run.kept, run.skipped) == ("slot", 3, 1, 5, 4, 1)
    assert run.last_skipped == at("2026-11-16T09:00")


def test_a_part_counts_for_the_slot_nearest_its_date():
    """A day early or two days late is in its slot; nearer the next slot, it is the next one's."""
    report = series_stats(weekly_parts("2026-11-01T20:00", "2026-11-11T18:00", "2026-11-16T09:00", "2026-11-23T09:00"))
    assert (report.totals.streak.longest, report.totals.streak.current) == (4, 4)
    late = series_stats(weekly_parts("2026-11-02T09:00", "2026-11-13T09:00", "2026-11-23T09:00"))
    # Friday 13 Nov is nearer 16 Nov than 9 Nov: the slot of 9 Nov is skipped
    assert (late.totals.streak.kept, late.totals.streak.skipped, late.totals.streak.longest) == (3, 1, 2)


def test_two_parts_in_one_slot_keep_that_slot_only():
    report = series_stats(weekly_parts("2026-11-02T09:00", "2026-11-03T09:00", "2026-11-16T09:00", "2026-11-23T09:00"))
    run = report.totals.streak
    assert (run.longest, run.current, run.kept, run.skipped) == (2, 2, 3, 1)


def test_the_slot_under_way_does_not_break_the_streak_until_it_is_over():
    parts = weekly_parts("2026-11-09T09:00", "2026-11-16T09:00")
    tuesday = series_stats(parts, now=at("2026-11-24T10:00"))  # the slot of 23 Nov runs to Thursday 21:00
    assert (tuesday.totals.streak.current, tuesday.totals.streak.skipped) == (2, 0)
    assert tuesday.totals.streak.missed_since is None
    friday = series_stats(parts, now=at("2026-11-27T10:00")).totals.streak
    assert (friday.current, friday.longest, friday.slots, friday.skipped) == (0, 2, 2, 0)
    assert friday.missed_since == at("2026-11-23T09:00")


def test_a_one_part_series():
    """One part, its cadence inferred from it: a streak of one slot, current while the slot after
    it is not over, then missed since that slot; its promise owed, never kept."""
    fresh = series_stats([(post("only", "2026-11-23T09:00", part=1, words=420), PROMISE_TIMETABLE)], sections={})
    assert fresh.scope.schedule.describe() == "weekly on Monday 09:00"
    totals = fresh.totals
    assert (totals.posts, totals.weeks, totals.words.total, totals.words.per_week, totals.words.median) == (1, 1, 420, 420.0, 420.0)
    assert (totals.streak.longest, totals.streak.current, totals.streak.slots, totals.streak.skipped) == (1, 1, 1, 0)
    assert totals.streak.missed_since is None
    promises = totals.promises
    assert (promises.made, promises.kept, promises.owed, promises.planned, promises.average_days) == (1, 0, 1, 0, None)
    old = series_stats([(post("only", "2026-06-01T09:00", part=1, words=420), "Text.\n")], sections={}).totals
    assert (old.weeks, old.streak.longest, old.streak.current, old.streak.slots) == (26, 1, 0, 1)
    assert old.streak.missed_since == at("2026-06-08T09:00")
    assert (old.promises.made, old.words.median) == (0, 420.0)


def test_a_series_with_no_cadence_keeps_the_slot_its_parts_went_out_in():
    """No cadence in blog.toml: inferred as weekly on Tuesday 18:00 from the parts; a part on
    Thursday is two days late, in its slot."""
    parts = weekly_parts("2026-11-03T18:00", "2026-11-10T18:00", "2026-11-19T18:00", "2026-11-24T18:00")
    report = series_stats(parts, sections={})
    assert report.scope.schedule.origin == "inferred"
    assert report.scope.schedule.describe() == "weekly on Tuesday 18:00"
    assert (report.totals.streak.longest, report.totals.streak.current, report.totals.streak.skipped) == (4, 4, 0)


def test_slots_keep_their_local_time_across_a_change_of_clocks():
    """London leaves summer time on 25 Oct 2026: the Monday 09:00 slots move by an hour in UTC,
    and so do the parts; every part stays in its own slot."""
    london = ZoneInfo("Europe/London")
    parts = weekly_parts("2026-10-12T08:00", "2026-10-19T08:00", "2026-10-26T09:00", "2026-11-02T09:00")
    slots = cadence_slots(parse_cadence("weekly on Monday 09:00"), at("2026-10-12T08:00"), at("2026-10-12T08:00"),
                          at("2026-11-02T09:00"), london)
    assert [dt.datetime.fromtimestamp(m, UTC).isoformat() for m in slots.moments] == [  # and the slot after the last
        "2026-10-12T08:00:00+00:00", "2026-10-19T08:00:00+00:00", "2026-10-26T09:00:00+00:00", "2026-11-02T09:00:00+00:00",
        "2026-11-09T09:00:00+00:00",
    ]
    assert slots.ends[:-1] == slots.begins[1:]
    assert slots.begins[2] == at("2026-10-22T20:30").timestamp()  # halfway between 19 Oct 08:00 and 26 Oct 09:00 UTC
    report = series_stats(parts, now=at("2026-11-03T10:00"), tz=london)
    assert (report.totals.streak.longest, report.totals.streak.skipped) == (4, 0)


def test_a_cadence_on_two_days_a_week_has_two_slots_a_week():
    sections = {"notebook": {"title": "Notebook", "cadence": "weekly on Mon, Thu 09:00"}}
    parts = weekly_parts("2026-11-02T09:00", "2026-11-05T09:00", "2026-11-09T09:00", "2026-11-16T09:00", "2026-11-19T09:00")
    saturday = at("2026-11-21T10:00")  # the slot of Thursday 19 Nov runs to Saturday 21:00
    run = series_stats(parts, sections=sections, now=saturday).totals.streak
    assert (run.longest, run.current, run.skipped, run.last_skipped) == (3, 2, 1, at("2026-11-12T09:00"))
    # Monday 23 Nov's slot is over on Tuesday 21:00, halfway to Thursday
    assert series_stats(parts, sections=sections).totals.streak.current == 0


def test_every_two_weeks_from_the_first_part():
    sections = {"notebook": {"title": "Notebook", "cadence": "every 2 weeks on Monday 09:00"}}
    parts = weekly_parts("2026-10-05T09:00", "2026-10-19T09:00", "2026-11-16T09:00")
    run = series_stats(parts, sections=sections).totals.streak
    assert (run.longest, run.current, run.slots, run.skipped) == (2, 1, 4, 1)  # 5 Oct, 19 Oct, 2 Nov skipped, 16 Nov


def test_the_blogs_streak_counts_calendar_weeks_with_a_post():
    runs = [at(d) for d in ("2026-10-05T12:00", "2026-10-16T12:00", "2026-10-18T23:00", "2026-11-02T07:00", "2026-11-10T12:00",
                            "2026-11-23T12:00")]
    weeks = week_slots(runs[0], runs[-1], UTC)
    assert [dt.datetime.fromtimestamp(b, UTC).isoformat() for b in weeks.begins[:3]] == [
        "2026-10-05T00:00:00+00:00", "2026-10-12T00:00:00+00:00", "2026-10-19T00:00:00+00:00"]
    assert len(weeks) == 9 and weeks.ends[-1] == at("2026-12-07T00:00").timestamp()  # and the week after the last
    run = streak("week", weeks, runs, NOW)
    # weeks of 5 and 12 Oct kept, 19 and 26 Oct skipped, 2, 9, 16 (skipped) Nov, 23 Nov kept and under way
    assert (run.longest, run.current, run.kept, run.skipped, run.missed_since) == (2, 1, 5, 3, None)
    quiet = streak("week", week_slots(runs[0], runs[4], UTC), runs[:5], NOW)  # nothing after Tuesday 10 Nov
    assert (quiet.longest, quiet.current, quiet.slots, quiet.kept) == (2, 0, 6, 4)
    assert quiet.missed_since == at("2026-11-16T00:00")


def test_the_whole_blog_and_its_series():
    posts = [post("about", "2026-10-26T12:00", series=None, words=50),
             post("buses", "2026-11-02T09:00", part=1, words=200), post("riders", "2026-11-09T09:00", part=2, words=300),
             post("draft", series=None, folder=DRAFTS, created="2026-11-01T09:00")]
    catalogue = SeriesCatalogue(WEEKLY, posts)
    report = blog_stats(posts, catalogue, lambda series, parts: [], DateRange(), NOW, UTC)
    assert report.scope is None
    assert (report.totals.posts, report.totals.words.total, report.totals.weeks) == (3, 550, 5)
    assert (report.totals.streak.unit, report.totals.streak.longest, report.totals.streak.current) == ("week", 3, 0)
    assert [d.slug for d in report.totals.drafts] == ["draft"]
    (notebook,) = report.series
    assert (notebook.figures.posts, notebook.figures.words.total, notebook.figures.drafts) == (2, 500, [])


# -- words, drafts, the window ----------------------------------------------------------------------


def test_words_total_per_week_and_median():
    posts = [post("a", "2026-11-02T09:00", words=100), post("b", "2026-11-09T09:00", words=300),
             post("c", "2026-11-10T09:00", words=250), post("d", "2026-11-16T09:00", words=1000)]
    words = word_figures(posts, 4)
    assert (words.total, words.per_week, words.median) == (1650, 412.5, 275.0)
    assert word_figures(posts[:3], 3).median == 250.0
    assert word_figures([], 0) == word_figures([], 3)


def test_the_window_runs_from_the_first_post_or_since_to_now_or_until():
    parts = weekly_parts("2026-10-26T09:00", "2026-11-02T09:00", "2026-11-09T09:00", "2026-11-23T09:00")
    whole = series_stats(parts).totals
    assert (whole.start, whole.weeks, whole.posts) == (at("2026-10-26T09:00"), 5, 4)
    since = series_stats(parts, dates=date_range("2026-11-02", None, UTC)).totals
    assert (since.start, since.weeks, since.posts) == (at("2026-11-02T00:00"), 4, 3)
    assert (since.streak.slots, since.streak.kept) == (4, 3)  # from the slot of the first part counted
    before = series_stats(parts, dates=date_range("2026-01-01", "2026-11-02", UTC))
    assert (before.totals.start, before.totals.posts, before.as_of) == (at("2026-10-26T09:00"), 2, at("2026-11-02T23:59:59"))
    assert (before.totals.streak.longest, before.totals.streak.current) == (2, 2)


def test_drafts_of_different_ages_oldest_first():
    drafts = drafts_waiting([
        post("week-old", folder=DRAFTS, created="2026-11-18T09:00"),
        post("month-old", folder=DRAFTS, created="2026-10-20T09:00", updated="2026-11-24T09:00"),
        post("touched", folder=DRAFTS, updated="2026-11-15T09:00"),
        post("today", folder=DRAFTS, created="2026-11-25T08:00", body=False),
        post("no-date", folder=DRAFTS),
        post("out", "2026-11-02T09:00"),
    ], NOW)
    assert [(d.slug, d.age_days, d.status) for d in drafts] == [
        ("month-old", 36, "draft"), ("touched", 10, "draft"), ("week-old", 7, "draft"), ("today", 0, "planned"),
        ("no-date", None, "draft"),
    ]


# -- the pictures -----------------------------------------------------------------------------------


def test_activity_puts_each_post_on_its_local_day_in_the_last_52_weeks():
    london = ZoneInfo("Europe/London")
    posts = [post("summer-night", "2026-07-06T23:30", words=120),  # 00:30 on Tuesday 7 July in London
             post("monday", "2026-11-23T09:00", words=80), post("too-old", "2025-11-30T09:00", words=5)]
    weeks = activity(posts, NOW, london)
    assert len(weeks) == 52 and weeks[-1].start == dt.date(2026, 11, 23) and weeks[0].start == dt.date(2025, 12, 1)
    july = next(w for w in weeks if w.start == dt.date(2026, 7, 6))
    assert (july.days, july.posts, july.words) == ((0, 120, 0, 0, 0, 0, 0), 1, 120)
    assert weeks[-1].days[0] == 80
    assert sum(w.words for w in weeks) == 200
    assert [day.isoformat() for _, day in month_starts(weeks)][:2] == ["2025-12-01", "2026-01-01"]


@pytest.mark.parametrize(("highest", "bounds"), [(202, [50, 101, 151, 202]), (4, [1, 2, 3, 4]), (2, [0, 1, 1, 2]), (0, [0, 0, 0, 0])])
def test_shades_split_the_highest_value_in_quarters(highest, bounds):
    assert shade_bounds(highest) == bounds
    assert shade(0, bounds) == 0
    if highest:
        assert shade(highest, bounds) == 4
        assert shade(1, bounds) == next(k for k, b in enumerate(bounds, start=1) if b >= 1)


def test_the_json_keys_are_stable():
    report = series_stats([(post("buses", "2026-11-02T09:00", part=1), PROMISE_TIMETABLE)])
    data = report.as_dict()
    assert list(data) == ["now", "window", "scope", "totals", "series", "weeks"]
    assert list(data["window"]) == ["start", "end", "weeks"]
    assert list(data["totals"]) == ["posts", "words", "streak", "promises", "drafts"]
    assert list(data["totals"]["words"]) == ["total", "per_week", "median_per_post"]
    assert list(data["totals"]["streak"]) == ["unit", "longest", "current", "slots", "kept", "skipped", "last_skipped",
                                              "missed_since"]
    assert list(data["totals"]["promises"]) == ["made", "kept_on_time", "kept_late", "owed", "planned", "average_days_to_keep"]
    assert list(data["totals"]["drafts"]) == ["waiting", "planned", "oldest_days", "items"]
    assert list(data["series"][0]) == ["slug", "title", "cadence", "cadence_origin", "posts", "words", "streak", "promises", "drafts"]
    assert list(data["weeks"][0]) == ["start", "posts", "words", "days"]
    assert data["scope"] == "notebook"


def test_figures_of_a_scope_with_nothing_published():
    empty = figures([post("idea", folder=DRAFTS, body=False)], [], {}, DateRange(), NOW, UTC)
    assert (empty.posts, empty.weeks, empty.start, empty.words.total, empty.streak.slots) == (0, 0, None, 0, 0)
    assert [d.status for d in empty.drafts] == ["planned"]
