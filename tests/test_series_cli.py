"""`blog series …` and `blog new --next` through the CLI: exit codes, JSON, and what people read."""

from __future__ import annotations

import json
import re

import pytest

from blogcli.model.document import Document


def test_show_json(sample, cli):
    result = cli("series", "show", "night-bus-notebook", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [list(r) for r in rows] == [["part", "slug", "title", "status", "date", "teaser"]] * 3
    assert [(r["part"], r["slug"], r["status"]) for r in rows] == [
        (1, "why-the-night-bus", "published"),
        (2, "who-rides-after-midnight", "published"),
        (3, "drawing-the-timetable", "draft"),
    ]
    assert rows[0]["teaser"] == "who actually rides after midnight"
    assert rows[1]["teaser"] == "how the timetable was drawn in the first place"
    assert rows[0]["date"] == "2026-11-02T09:00:00+00:00" and rows[2]["date"] is None


def test_show_accepts_the_name_as_written(sample, cli):
    by_name = cli("series", "show", "The Night Bus Notebook", "--json")
    assert by_name.exit_code == 0 and by_name.stdout == cli("series", "show", "night-bus-notebook", "--json").stdout


@pytest.mark.parametrize("width", ["80", "120"])
def test_show_for_people(sample, cli, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", width)
    result = cli("series", "show", "night-bus-notebook")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert all(len(line) <= int(width) for line in out.splitlines())
    assert "The Night Bus Notebook" in out and "weekly on Monday 09:00" in out
    assert "kept in part 2" in out and "planned in part 3" in out
    assert re.search(r"Next slot +Mon 30 Nov 2026 09:00 \(in 5 days\)", out)
    # Part 2 promised the timetable for 16 Nov; part 3 is drafted but not out on 25 Nov: late.
    words = " ".join(out.split())
    assert "late: planned in part 3" in words and "due since 2026-11-16 (9 days ago)" in words
    assert "(set in blog.toml)" in out


def test_show_flags_a_gap(sample, cli):
    path = sample / "drafts" / "drawing-the-timetable.md"
    path.write_text(path.read_text().replace("part: 3", "part: 5"))
    out = cli("series", "show", "night-bus-notebook").stdout
    assert "(missing)" in out and "part 4 is missing" in out


def test_unknown_series_exits_1_with_candidates(sample, cli):
    result = cli("series", "show", "night-bus-notbook")
    assert result.exit_code == 1
    assert "error: no series named 'night-bus-notbook'" in result.stderr
    assert "night-bus-notebook" in result.stderr
    as_json = cli("series", "show", "nope", "--json")
    assert json.loads(as_json.stderr)["error"]["code"] == "not-found"


def test_list(sample, cli):
    result = cli("series", "list", "--json")
    assert result.exit_code == 0, result.stderr
    [series] = json.loads(result.stdout)
    assert series["slug"] == "night-bus-notebook" and series["title"] == "The Night Bus Notebook"
    assert (series["published"], series["scheduled"], series["draft"], series["planned"]) == (2, 0, 1, 0)
    assert series["last_published"] == "2026-11-09T09:00:00+00:00"
    assert series["next_slot"] == "2026-11-30T09:00:00+00:00"
    people = cli("series", "list").stdout
    assert "The Night Bus Notebook" in people and "2 published" in people and "1 draft" in people
    assert "Mon 30 Nov 2026 09:00" in people and "(in 5 days)" in people and "weekly on Monday 09:00" in people


def test_promises(sample, cli):
    result = cli("series", "promises", "--json")
    assert result.exit_code == 0, result.stderr
    promises = json.loads(result.stdout)
    assert promises == [
        {
            "series": "The Night Bus Notebook",
            "from": "why-the-night-bus",
            "part": 1,
            "text": "who actually rides after midnight",
            "status": "fulfilled",
            "repeated": False,
            "fulfilled_by": "who-rides-after-midnight",
            "made_in": ["why-the-night-bus"],
            "due": "2026-11-09T09:00:00+00:00",
            "out_of_order": False,
        },
        {
            "series": "The Night Bus Notebook",
            "from": "who-rides-after-midnight",
            "part": 2,
            "text": "how the timetable was drawn in the first place",
            "status": "late",
            "repeated": False,
            "fulfilled_by": "drawing-the-timetable",
            "made_in": ["who-rides-after-midnight"],
            "due": "2026-11-16T09:00:00+00:00",
            "out_of_order": False,
        },
    ]
    people = cli("series", "promises", "night-bus-notebook").stdout
    assert "planned in part 3, 7 days ago" in " ".join(people.split()) and "drafts/drawing-the-timetable.md" in people
    assert "kept in part 2" in people and "published/who-rides-after-midnight.md:34" in people
    assert "late: due since 2026-11-16" in people and "1 promise still owed" in people


def test_promises_show_what_is_overdue(sample, cli, monkeypatch):
    (sample / "drafts" / "drawing-the-timetable.md").unlink()
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("series", "promises").stdout
    assert "overdue since 2026-11-16" in out
    assert "1 promise still owed" in out and "blog new --series night-bus-notebook --next" in out


def test_move_add_remove(sample, cli):
    refused = cli("series", "move", "drawing-the-timetable", "--to", "1")
    assert refused.exit_code == 1 and "--force" in refused.stderr
    moved = cli("series", "move", "drawing-the-timetable", "--to", "1", "--force")
    assert moved.exit_code == 0, moved.stderr
    assert "drawing-the-timetable: part 3 → part 1" in moved.stdout
    assert "why-the-night-bus: part 1 → part 2" in moved.stdout
    removed = cli("series", "remove", "drawing-the-timetable", "--force")
    assert removed.exit_code == 0, removed.stderr
    assert "drawing-the-timetable: part 1 → out of the series" in removed.stdout
    added = cli("series", "add", "drawing-the-timetable", "night-bus-notebook")
    assert added.exit_code == 0, added.stderr
    rows = json.loads(cli("series", "show", "night-bus-notebook", "--json").stdout)
    assert [(r["part"], r["slug"]) for r in rows] == [(1, "why-the-night-bus"), (2, "who-rides-after-midnight"), (3, "drawing-the-timetable")]


def test_plan(sample, cli):
    (sample / "drafts" / "drawing-the-timetable.md").unlink()
    result = cli("series", "plan", "night-bus-notebook", "How the timetable got drawn")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("drafts/how-the-timetable-got-drawn.md")
    assert "fulfils: who-rides-after-midnight" in result.stderr
    text = (sample / "drafts" / "how-the-timetable-got-drawn.md").read_text()
    assert "fulfils: who-rides-after-midnight" in text and text.endswith("---\n\n")


def test_new_next_on_the_sample(sample, cli):
    resumed = cli("new", "--series", "The Night Bus Notebook", "--next", "--no-edit")
    assert resumed.exit_code == 0, resumed.stderr
    assert resumed.stdout.strip().endswith("drafts/drawing-the-timetable.md")
    assert "already planned" in resumed.stderr
    (sample / "drafts" / "drawing-the-timetable.md").unlink()
    started = cli("new", "--series", "The Night Bus Notebook", "--next", "--no-edit")
    assert started.exit_code == 0, started.stderr
    path = sample / "drafts" / "how-the-timetable-was-drawn-in-the-first-place.md"
    assert started.stdout.strip().endswith(path.name)
    meta = Document.from_bytes(path.read_bytes()).parse()
    assert meta["title"] == "How the timetable was drawn in the first place"
    assert (meta["series"], meta["part"], meta["fulfils"]) == ("The Night Bus Notebook", 3, "who-rides-after-midnight")


def test_new_next_needs_a_series(sample, cli):
    result = cli("new", "--next", "--no-edit")
    assert result.exit_code == 2
    assert "--series" in result.stderr


def test_new_next_with_a_title(sample, cli):
    result = cli("new", "Night Fares", "--series", "night-bus-notebook", "--next", "--no-edit")
    assert result.exit_code == 0, result.stderr
    meta = Document.from_bytes((sample / "drafts" / "night-fares.md").read_bytes()).parse()
    assert meta["part"] == 4 and "fulfils" not in meta


@pytest.mark.parametrize("command", ["list", "show", "add", "remove", "move", "plan", "promises"])
def test_every_command_has_help(cli, command):
    result = cli("series", command, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.stdout and len(result.stdout.split("\n\n")[1].strip()) > 20


def test_series_without_a_command_shows_help(cli):
    result = cli("series")
    assert "promises" in result.stdout + result.stderr


def test_square_brackets_in_titles_are_shown_as_written(sample, cli):
    path = sample / "published" / "why-the-night-bus.md"
    path.write_text(path.read_text().replace("title: Why the Night Bus?", 'title: "Why the [bold]Night[/] Bus?"'))
    out = cli("series", "show", "night-bus-notebook").stdout
    assert "Why the [bold]Night[/] Bus?" in out
