"""`blog stats`: golden screens at 80 and 120 columns, JSON, errors and colour.

The expected screens are text files in tests/screens/, checked in and reviewed like code. After
a deliberate change to a screen, rewrite them (as the golden site) and read the diff:

    .venv/bin/python -m pytest tests/test_stats_cli.py --regen-golden && git diff tests/screens
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from test_screens import check_golden

SCREENS = Path(__file__).parent / "screens"
WIDTHS = (80, 120)
ANSI = re.compile(r"\x1b\[")
STYLE = re.compile(r"\x1b\[[0-9;]*m")


def screen(cli, monkeypatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli("stats", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def assert_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert len(line) <= width, f"wider than {width}: {line!r}"
        assert line == line.rstrip(), f"trailing spaces: {line!r}"


@pytest.fixture
def year_blog(empty_blog) -> Path:
    return write_year_blog(empty_blog)


def write_year_blog(root: Path) -> Path:
    """A year of a weekly series (Monday 09:00, a few weeks skipped, one part two days late, its
    promises kept on time, late or not at all), a series with no cadence (Thursdays 18:00,
    inferred), posts outside any series and drafts of different ages, in the workspace `root`
    (made by `blog init`). Now: 25 Nov 2026."""
    config_text = (root / "blog.toml").read_text(encoding="utf-8").replace('title = "Empty"', 'title = "Walking the City"')
    (root / "blog.toml").write_text(config_text, encoding="utf-8")
    with open(root / "blog.toml", "a", encoding="utf-8") as config:
        config.write('\n[series.city-walks]\ntitle = "City Walks"\ncadence = "weekly on Monday 09:00"\n')
    monday = dt.datetime(2025, 12, 1, 9, tzinfo=dt.timezone.utc)
    skipped = {6, 7, 19, 33, 34, 35, 50}
    part = 0
    for week in range(52):
        if week in skipped:
            continue
        part += 1
        when = monday + dt.timedelta(weeks=week, days=2 if week == 12 else 0)
        words = 300 + (week * 137) % 900
        teaser = f"Next week I'll look at walk number {part + 1}." if part % 4 else "Stay tuned!"
        keeps = f"fulfils: walk-{part - 1}\n" if part > 1 and part % 5 == 0 else ""
        body = " ".join(["step"] * words)
        (root / "published" / f"walk-{part}.md").write_text(
            f"---\ntitle: Walk {part}\ndate: {when.isoformat()}\nseries: City Walks\npart: {part}\n{keeps}---\n\n"
            f"Walk number {part}. {body}\n\n{teaser}\n", encoding="utf-8")
    for n, day in enumerate((dt.date(2026, 6, 4), dt.date(2026, 6, 11), dt.date(2026, 6, 18), dt.date(2026, 7, 2)), start=1):
        (root / "published" / f"market-{n}.md").write_text(
            f"---\ntitle: Night Market {n}\ndate: {day.isoformat()}T18:00:00+00:00\nseries: Night Markets\npart: {n}\n---\n\n"
            + " ".join(["stall"] * (200 * n)) + "\n", encoding="utf-8")
    for slug, day, words in (("on-maps", "2026-02-14T20:00:00+00:00", 1400), ("a-note", "2026-11-22T10:00:00+00:00", 90)):
        (root / "published" / f"{slug}.md").write_text(f"---\ntitle: {slug}\ndate: {day}\n---\n\n" + " ".join(["word"] * words) + "\n",
                                                       encoding="utf-8")
    for slug, title, created in (("the-harbour", "The Harbour at Dawn", "2026-09-01T10:00:00+00:00"),
                                 ("bridges", "Bridges", "2026-11-20T10:00:00+00:00")):
        (root / "drafts" / f"{slug}.md").write_text(f"---\ntitle: {title}\ncreated: {created}\nseries: City Walks\n---\n\nSoon.\n",
                                                    encoding="utf-8")
    (root / "drafts" / "someday.md").write_text("---\ntitle: Someday\n---\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sample_blogs_screens(cli, sample, monkeypatch, regen_golden, width):
    for name, args in ((f"stats-sample-{width}", ()), (f"stats-series-{width}", ("The Night Bus Notebook",))):
        text = screen(cli, monkeypatch, width, *args)
        assert_fits(text, width)
        check_golden(name, text, regen_golden)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_years_screens(cli, year_blog, monkeypatch, regen_golden, width):
    text = screen(cli, monkeypatch, width)
    assert_fits(text, width)
    check_golden(f"stats-year-{width}", text, regen_golden)


@pytest.mark.parametrize("scope", [(), ("night-markets",)])
def test_the_pictures_draw_the_weeks_of_the_json(cli, year_blog, monkeypatch, scope):
    """The heat map shades each day by its words (a quarter of the busiest day a shade), and each
    week's bar is its words in eighths of six rows, the busiest week full: read back from the
    plain screen, they are the numbers `--json` gives (the blog's, or the series')."""
    from blogcli.model.stats import shade, shade_bounds

    weeks = json.loads(screen(cli, monkeypatch, 80, *scope, "--json"))["weeks"]
    lines = screen(cli, monkeypatch, 80, *scope).splitlines()
    bounds = shade_bounds(max(max(week["days"]) for week in weeks))
    for day, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        row = next(line for line in lines if line.startswith(f"{name} "))[4:]
        expected = "".join("·░▒▓█"[shade(week["days"][day], bounds)] for week in weeks)
        assert row == expected[:len(row)] and len(row) >= 51, name  # the current week: up to today
    start = lines.index("Words a week") + 1
    rows = [line.split("┤" if "┤" in line else "│", 1)[1] for line in lines[start:start + 6]]
    drawn = [sum(" ▁▂▃▄▅▆▇█".index(row[i]) if i < len(row) else 0 for row in rows) for i in range(52)]
    highest = max(week["words"] for week in weeks)
    assert drawn == [-(-week["words"] * 48 // highest) for week in weeks]
    assert sum(1 for height in drawn if height) == sum(1 for week in weeks if week["words"]) == (46 if not scope else 4)


def test_the_screen_says_what_the_json_says(cli, sample, monkeypatch):
    data = json.loads(screen(cli, monkeypatch, 80, "--json"))
    totals = data["totals"]
    assert (totals["posts"], totals["words"]["total"]) == (3, 445)
    assert totals["promises"] == {"made": 2, "kept_on_time": 1, "kept_late": 0, "owed": 1, "planned": 0, "average_days_to_keep": 7.0}
    assert (totals["streak"]["longest"], totals["streak"]["current"]) == (3, 0)
    assert [item["slug"] for item in totals["drafts"]["items"]] == ["drawing-the-timetable"]
    assert [s["slug"] for s in data["series"]] == ["night-bus-notebook"]
    assert len(data["weeks"]) == 52 and data["weeks"][-1]["start"] == "2026-11-23"
    text = screen(cli, monkeypatch, 80)
    assert "3 posts, 445 words" in text
    assert "2 made: 1 kept on time, 0 kept late, 1 still owed; kept in 7.0 days" in " ".join(text.split())


def test_series_by_any_name_and_a_typo_refused_with_the_candidate(cli, sample, monkeypatch):
    by_slug = json.loads(screen(cli, monkeypatch, 80, "night-bus-notebook", "--json"))
    by_title = json.loads(screen(cli, monkeypatch, 80, "--series", "the night bus notebook", "--json"))
    assert by_slug == by_title and by_slug["scope"] == "night-bus-notebook"
    assert by_slug["totals"]["streak"]["unit"] == "slot"
    result = cli("stats", "nigth-bus-notebook")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "error: no series named 'nigth-bus-notebook'"
    assert "The Night Bus Notebook  (night-bus-notebook)" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_different_series_are_a_usage_error(cli, sample):
    result = cli("stats", "night-bus-notebook", "--series", "other")
    assert result.exit_code == 2
    assert cli("stats", "night-bus-notebook", "--series", "night-bus-notebook").exit_code == 0


@pytest.mark.parametrize(("args", "message"), [
    (("--since", "2026-12-01", "--until", "2026-11-01"), "error: --since 2026-12-01 is after --until 2026-11-01"),
    (("--since", "last tuesday"), "error: --since: not a date: 'last tuesday'"),
    (("--until", "2026-13-01"), "error: --until: not a date: '2026-13-01'"),
])
def test_bad_dates_are_one_line_errors(cli, sample, args, message):
    result = cli("stats", *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == message and result.stderr.splitlines()[1].startswith("hint: ")
    as_json = cli("stats", *args, "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stderr)["error"]["message"] == message.removeprefix("error: ")


def test_since_and_until_choose_what_counts(cli, sample, monkeypatch):
    data = json.loads(screen(cli, monkeypatch, 80, "--since", "2026-11-02", "--until", "2026-11-08", "--json"))
    assert data["totals"]["posts"] == 1
    assert data["window"] == {"start": "2026-11-02T00:00:00+00:00", "end": "2026-11-08T23:59:59+00:00", "weeks": 1}
    assert data["totals"]["promises"]["made"] == 1


def test_colour_only_on_a_terminal_or_when_forced(cli, sample, monkeypatch):
    plain = screen(cli, monkeypatch, 80)
    assert not ANSI.search(plain)  # NO_COLOR (the suite's default)
    monkeypatch.delenv("NO_COLOR")
    assert screen(cli, monkeypatch, 80) == plain  # not a terminal: the same plain text
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = screen(cli, monkeypatch, 80)
    assert ANSI.search(coloured)
    # colour only adds to the marks: without it, the same screen (but for the padding of lines)
    assert [line.rstrip() for line in STYLE.sub("", coloured).splitlines()] == plain.splitlines()


def test_colour_on_a_real_terminal_unless_no_color(sample):
    from conftest import blog_bin
    from test_preview import run_in_pty, terminal_env

    command = [blog_bin(), "stats"]
    coloured = run_in_pty(command, terminal_env(sample))
    assert "Words a week" in coloured and ANSI.search(coloured)
    plain = run_in_pty(command, terminal_env(sample, NO_COLOR="1"))
    assert "Words a week" in plain and not ANSI.search(plain)


def test_a_one_part_series(cli, sample, monkeypatch):
    """Its screens fit, its streak is one slot, its one promise still owed."""
    (sample / "published" / "only-walk.md").write_text(
        "---\ntitle: The Only Walk\nseries: Lone Walks\npart: 1\ndate: 2026-11-23T09:00:00+00:00\n---\n\n"
        "One walk. Next week I will look at the harbour lights.\n", encoding="utf-8")
    for width in WIDTHS:
        text = screen(cli, monkeypatch, width, "Lone Walks")
        assert_fits(text, width)
        assert "longest 1 slot in a row, current 1 (1 of 1 slot kept)" in " ".join(text.split())
        assert "Lone Walks" in screen(cli, monkeypatch, width).split("Writing, by series")[1]
    data = json.loads(screen(cli, monkeypatch, 80, "lone-walks", "--json"))
    assert data["totals"]["posts"] == 1 and data["window"]["weeks"] == 1
    assert {k: data["totals"]["streak"][k] for k in ("longest", "current", "slots")} == {"longest": 1, "current": 1, "slots": 1}
    assert (data["totals"]["promises"]["made"], data["totals"]["promises"]["owed"]) == (1, 1)


def test_an_empty_blog(cli, empty_blog, monkeypatch):
    text = screen(cli, monkeypatch, 80)
    assert_fits(text, 80)
    assert "no post yet" in text and "Nothing published from" in text
    data = json.loads(screen(cli, monkeypatch, 80, "--json"))
    assert data["totals"]["posts"] == 0 and data["series"] == [] and data["window"]["start"] is None


def test_help_has_an_example(cli):
    result = cli("stats", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "blog stats --since" in result.stdout


def test_the_readme_shows_the_sample_blogs_screen():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert (SCREENS / "stats-sample-80.txt").read_text(encoding="utf-8") in readme
