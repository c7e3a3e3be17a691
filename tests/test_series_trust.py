"""A series an author can trust: every command names a series the same way, references survive a
rename, the ledger never hides a debt. One test per case of issue 11 (each failed before)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from blogcli.model.document import Document

TITLE = "The Night Bus Notebook"


def write(root: Path, rel: str, meta: str, body: str = "Some words.\n") -> Path:
    path = root / rel
    path.write_text(f"---\n{meta.strip()}\n---\n\n{body}", encoding="utf-8")
    return path


def meta_of(path: Path) -> dict:
    return Document.from_bytes(path.read_bytes()).parse()


def files(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but the cache, to prove a refusal wrote nothing."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".blog" not in p.parts}


@pytest.fixture
def made(empty_blog) -> Path:
    """`[series.night-bus]` titled "The Night Bus Notebook", its parts spelling it two ways."""
    root = empty_blog
    with open(root / "blog.toml", "a", encoding="utf-8") as config:
        config.write(f'\n[series.night-bus]\ntitle = "{TITLE}"\ncadence = "weekly on Monday 09:00"\n')
    write(root, "published/one.md", "title: One\nseries: night-bus\npart: 1\ndate: 2026-11-02T09:00:00Z",
          "Buses at night.\n\nNext week I'll look at who rides the night bus.\n")
    write(root, "published/riders.md", f"title: Who Rides the Night Bus\nseries: {TITLE}\npart: 2\ndate: 2026-11-09T09:00:00Z",
          "Nurses and bakers.\n\nNext week I'll look at the timetable and its history.\n")
    write(root, "drafts/timetable.md", f"title: The Timetable\nseries: {TITLE}\npart: 3\ncreated: 2026-11-18T10:00:00Z",
          "A spreadsheet from 1998.\n")
    return root


# -- 1. Every command names a series the same way -------------------------------------------------

# (workspace, spelling, the series' slug or None when the name must be refused as close to it)
SPELLINGS = [
    ("made", "night-bus", "night-bus"),
    ("made", TITLE, "night-bus"),
    ("made", "the-night-bus-notebook", "night-bus"),
    ("made", "night", None),  # a prefix of night-bus
    ("made", "Night Bus Notbook", None),  # a typo of the title
    ("sample", "night-bus-notebook", "night-bus-notebook"),
    ("sample", TITLE, "night-bus-notebook"),
    ("sample", "the-night-bus-notebook", "night-bus-notebook"),
    ("sample", "night-bus", None),  # a prefix of the section's slug
    ("sample", "Night Bus Notbook", None),
]


@pytest.mark.parametrize("where, spelling, slug", SPELLINGS, ids=[f"{w}:{s}" for w, s, _ in SPELLINGS])
def test_every_command_agrees_on_what_a_spelling_names(request, cli, where, spelling, slug):
    root = request.getfixturevalue(where)
    parts = {"made": ["one", "riders", "timetable"], "sample": ["why-the-night-bus", "who-rides-after-midnight", "drawing-the-timetable"]}[where]
    before = files(root)
    listed = cli("list", "--series", spelling, "--json")
    shown = cli("series", "show", spelling, "--json")
    ledger = cli("series", "promises", spelling, "--json")
    searched = cli("search", "bus", "--series", spelling, "--json")
    new = cli("new", "Part Four", "--series", spelling, "--no-edit")
    if slug is None:
        for result in (listed, shown, ledger, searched, new):
            assert result.exit_code == 1, result.stdout
            assert "night-bus" in result.stderr and "Traceback" not in result.stderr
        assert "--new-series" in new.stderr
        assert files(root) == before, "a refused name writes nothing"
        return
    assert listed.exit_code == shown.exit_code == ledger.exit_code == searched.exit_code == new.exit_code == 0, new.stderr
    assert {hit["path"] for hit in json.loads(searched.stdout)} <= {p["path"] for p in json.loads(listed.stdout)}
    assert sorted(p["slug"] for p in json.loads(listed.stdout)) == sorted(parts)
    assert [r["slug"] for r in json.loads(shown.stdout)] == parts
    assert [p["from"] for p in json.loads(ledger.stdout)] == parts[:2]
    assert (root / "blog.toml").read_bytes() == before["blog.toml"], "a known series starts nothing"
    written = meta_of(root / "drafts" / "part-four.md")
    assert written["part"] == 4
    assert cli("list", "--series", slug, "--json").stdout.count('"slug"') == 4
    assert "part-taken" not in cli("check", "--json").stdout
    # The fourth part goes out in the series' next free slot, whichever spelling it was filed under.
    (root / "drafts" / parts[2]).with_suffix(".md").unlink()
    published = cli("publish", "part-four", "--at", "next", "--force")
    assert published.exit_code == 0, published.stderr
    assert "(scheduled 2026-11-30T09:00:00+00:00)" in published.stderr
    # The site (built by publish) has one page for the series, at its one slug.
    assert sorted(p.parent.name for p in (root / "site" / "series").glob("*/index.html")) == [slug]


def test_the_sample_lists_its_series_by_its_slug(sample, cli):
    result = cli("list", "--series", "night-bus-notebook", "--json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3


def test_new_in_a_series_spelt_by_its_title_takes_the_next_part(made, cli):
    result = cli("new", "Two", "--series", TITLE, "--no-edit")
    assert result.exit_code == 0, result.stderr
    assert meta_of(made / "drafts" / "two.md")["part"] == 4
    assert meta_of(made / "drafts" / "two.md")["series"] == TITLE  # the spelling its parts use most


def test_show_and_check_agree_on_a_part_used_twice(made, cli):
    write(made, "drafts/again.md", "title: Again\nseries: night-bus\npart: 2")
    assert "part 2 is used twice" in cli("series", "show", "night-bus").stdout
    checked = cli("check")
    assert checked.exit_code == 1
    assert "drafts/again.md:4: error: part 2 of 'The Night Bus Notebook' is already published/riders.md" in checked.stdout


# -- 2. Names close to a series are refused; new ones start a series -----------------------------


def test_a_typo_is_refused_with_the_series_it_resembles(empty_blog, cli):
    assert cli("new", "Creaks", "--series", "Floorboard Diaries", "--no-edit").exit_code == 0
    before = files(empty_blog)
    typo = cli("new", "Joists", "--series", "Floorbord Diaries", "--no-edit")
    assert typo.exit_code == 1
    assert "no series named 'Floorbord Diaries'; did you mean 'Floorboard Diaries' (floorboard-diaries)?" in typo.stderr
    assert "--new-series" in typo.stderr
    assert files(empty_blog) == before
    write(empty_blog, "drafts/loose.md", "title: Loose")
    added = cli("series", "add", "loose", "Floorbord Diaries")
    assert added.exit_code == 1 and "floorboard-diaries" in added.stderr
    assert cli("series", "plan", "Floorbord", "Beams").exit_code == 1  # a prefix, too


def test_a_name_close_to_none_starts_a_series_and_writes_its_section(empty_blog, cli):
    config = empty_blog / "blog.toml"
    before = config.read_text()
    result = cli("new", "Creaks", "--series", "Floorboard Diaries", "--no-edit")
    assert result.exit_code == 0, result.stderr
    assert "started a new series 'Floorboard Diaries' ([series.floorboard-diaries] added to blog.toml)" in result.stderr
    after = config.read_text()
    assert after.startswith(before), "blog.toml's comments and layout are kept"
    assert after[len(before):].strip() == '[series.floorboard-diaries]\ntitle = "Floorboard Diaries"'
    again = cli("new", "Joists", "--series", "floorboard-diaries", "--no-edit")
    assert again.exit_code == 0 and "started" not in again.stderr
    assert meta_of(empty_blog / "drafts" / "joists.md")["part"] == 2


def test_new_series_starts_one_even_when_the_name_is_close(empty_blog, cli):
    cli("new", "Creaks", "--series", "Floorboard Diaries", "--no-edit")
    result = cli("new", "Roof", "--series", "Floorboard Diary", "--new-series", "--no-edit")
    assert result.exit_code == 0, result.stderr
    assert "[series.floorboard-diary]" in (empty_blog / "blog.toml").read_text()
    assert meta_of(empty_blog / "drafts" / "roof.md")["part"] == 1


def test_a_taken_part_number_is_refused_naming_the_post_unless_forced(made, cli):
    before = files(made)
    taken = cli("new", "Another Two", "--series", "night-bus", "--part", "2", "--no-edit")
    assert taken.exit_code == 1
    assert "part 2 of 'The Night Bus Notebook' is already published/riders.md" in taken.stderr
    assert files(made) == before
    forced = cli("new", "Another Two", "--series", "night-bus", "--part", "2", "--force", "--no-edit")
    assert forced.exit_code == 0, forced.stderr
    blamed = [p["path"] for p in json.loads(cli("check", "--json").stdout) if p["code"] == "part-taken"]
    assert blamed == ["drafts/another-two.md"], "the published part keeps its number"


# -- 3. References survive a rename ---------------------------------------------------------------


@pytest.fixture
def linked(made) -> Path:
    """Part 2 keeps part 1's promise by `fulfils`, and links to part 1's file with a fragment."""
    path = made / "published" / "riders.md"
    doc = Document.from_bytes(path.read_bytes())
    doc.set("fulfils", "one")
    doc.body = doc.body.replace("Nurses and bakers.", "As [part one](one.md#the-route) said, nurses and bakers.")
    path.write_bytes(doc.to_bytes())
    return made


def test_rename_rewrites_links_and_fulfils_in_the_same_change(linked, cli):
    result = cli("rename", "one", "Why Night Buses")
    assert result.exit_code == 0, result.stderr
    riders = (linked / "published" / "riders.md").read_text()
    assert "fulfils: why-night-buses" in riders and "[part one](why-night-buses.md#the-route)" in riders
    checked = cli("check", "--json")
    assert checked.exit_code == 0, checked.stdout
    [kept, _] = json.loads(cli("series", "promises", "night-bus", "--json").stdout)
    assert (kept["from"], kept["fulfilled_by"], kept["repeated"]) == ("why-night-buses", "riders", False)


def test_renaming_back_never_puts_a_post_in_its_own_aliases(linked, cli):
    cli("rename", "one", "Why Night Buses")
    assert meta_of(linked / "published" / "why-night-buses.md")["aliases"] == ["one"]
    cli("rename", "why-night-buses", "One")
    assert meta_of(linked / "published" / "one.md")["aliases"] == ["why-night-buses"]
    build = cli("build")
    assert build.exit_code == 0 and "alias" not in build.stderr


def test_an_old_slug_written_elsewhere_still_resolves(linked, cli):
    cli("rename", "one", "Why Night Buses")
    # A draft restored from the trash (or edited elsewhere) still names the old slug.
    write(linked, "drafts/old-notes.md", "title: Old Notes\nseries: night-bus\npart: 4\nfulfils: one", "See [part one](one.md).\n")
    riders = linked / "published" / "riders.md"
    riders.write_text(riders.read_text().replace("fulfils: why-night-buses", "fulfils: one"))
    checked = cli("check", "--json")
    assert checked.exit_code == 0, checked.stdout
    assert {p["code"] for p in json.loads(checked.stdout) if p["path"] == "drafts/old-notes.md"} >= {"renamed-target"}
    [kept, _] = json.loads(cli("series", "promises", "night-bus", "--json").stdout)
    assert kept["fulfilled_by"] == "riders" and kept["repeated"] is False


# -- 4. The ledger tells the truth ----------------------------------------------------------------


@pytest.mark.parametrize("now", ["2026-11-30T10:00:00+00:00", "2027-03-01T10:00:00+00:00"])
def test_a_planned_part_not_out_in_time_is_late(made, cli, monkeypatch, now):
    monkeypatch.setenv("BLOG_NOW", now)
    write(made, "drafts/timetable.md", f"title: The Timetable\nseries: {TITLE}\npart: 3\ncreated: 2026-11-18T10:00:00Z\nfulfils: riders", "")
    [_, late] = json.loads(cli("series", "promises", "night-bus", "--json").stdout)
    assert (late["status"], late["fulfilled_by"], late["due"]) == ("late", "timetable", "2026-11-16T09:00:00+00:00")
    people = cli("series", "promises", "night-bus").stdout
    assert "1 promise still owed" in people and "late: due since 2026-11-16" in people
    shown = " ".join(cli("series", "show", "night-bus").stdout.split())
    assert "Still owed “the timetable and its history” (part 2), late: planned" in shown and "due since 2026-11-16" in shown
    checked = json.loads(cli("check", "--json").stdout)
    assert [(p["path"], p["code"], p["severity"]) for p in checked] == [("published/riders.md", "late-promise", "warning")]


def test_a_promise_kept_by_a_part_that_is_not_the_next_is_flagged(made, cli):
    timetable = made / "drafts" / "timetable.md"
    timetable.write_text(timetable.read_text().replace("part: 3", "part: 4\nfulfils: riders"))
    write(made, "drafts/fares.md", f"title: Fares\nseries: {TITLE}\npart: 3", "Fares.\n")
    [_, moved] = json.loads(cli("series", "promises", "night-bus", "--json").stdout)
    assert (moved["fulfilled_by"], moved["out_of_order"]) == ("timetable", True)
    assert "not the next part (part 3)" in " ".join(cli("series", "promises", "night-bus").stdout.split())
    assert any(p["code"] == "promise-out-of-order" for p in json.loads(cli("check", "--json").stdout))


def test_next_takes_the_promise_made_last_and_names_the_others(empty_blog, cli, seed_text):
    write(empty_blog, "published/seeds.md", "title: Seeds of Change\nseries: North Korea Online\npart: 1\ndate: 2026-11-16T09:00:00Z", seed_text)
    result = cli("new", "--series", "North Korea Online", "--next", "--no-edit")
    assert result.exit_code == 0, result.stderr
    made = meta_of(empty_blog / "drafts" / "where-these-seeds-are-being-planted.md")
    assert made["title"] == "Where these ‘seeds’ are being planted" and made["fulfils"] == "seeds"
    assert "also still owed: part 1's “the illegal consumption of information and technology in North Korea”" in result.stderr


# -- 5. Gaps and order --------------------------------------------------------------------------


def test_publishing_past_an_unpublished_part_is_refused_unless_forced(made, cli, monkeypatch):
    write(made, "drafts/depot.md", f"title: The Depot\nseries: {TITLE}\npart: 4", "The depot.\n")
    before = files(made)
    refused = cli("publish", "depot")
    assert refused.exit_code == 1
    assert "drafts/depot.md is part 4 of 'The Night Bus Notebook', but part 3 (drafts/timetable.md) would not be out" in refused.stderr
    assert files(made) == before
    forced = cli("publish", "depot", "--force")
    assert forced.exit_code == 0, forced.stderr
    gaps = [p for p in json.loads(cli("check", "--json").stdout) if p["code"] == "series-gap"]
    assert [(p["path"], p["severity"]) for p in gaps] == [("published/depot.md", "warning")]
    preview = cli("preview", "depot", "--width", "100").stdout
    assert "Part 4 of 4 · The Night Bus Notebook" in preview
    page = (made / "site" / "series" / "night-bus" / "index.html").read_text()
    assert "A series in 4 parts so far" in page
    # Part 3 is not out: announced for the next slot, without a link to the draft.
    assert '<li class="coming"><span class="number">Part 3</span> – coming <time datetime="2026-11-30T09:00:00+00:00">30 Nov 2026</time></li>' in page
    assert "timetable" not in page.split('class="parts"', 1)[1].split("</ol>", 1)[0].lower()
    assert "Part 4 of 4" in (made / "site" / "depot" / "index.html").read_text()


# -- 6. Cadence -----------------------------------------------------------------------------------


def test_without_a_cadence_one_odd_publish_does_not_move_the_slot(made, cli):
    config = made / "blog.toml"
    config.write_text(config.read_text().replace('cadence = "weekly on Monday 09:00"\n', ""))
    write(made, "published/odd.md", f"title: Odd\nseries: {TITLE}\npart: 3\ndate: 2026-11-18T13:23:00Z", "Odd.\n")
    (made / "drafts" / "timetable.md").unlink()
    write(made, "drafts/four.md", f"title: Four\nseries: {TITLE}\npart: 4", "Four.\n")
    shown = cli("series", "show", "night-bus").stdout
    assert "weekly on Monday 09:00 (inferred from its parts)" in shown
    published = cli("publish", "four", "--at", "next")
    assert published.exit_code == 0, published.stderr
    assert "(scheduled 2026-11-30T09:00:00+00:00)" in published.stderr


def test_series_cadence_sets_it_keeping_blog_toml_as_written(made, cli):
    config = made / "blog.toml"
    before = config.read_text()
    result = cli("series", "cadence", TITLE, "every 2 weeks on Friday 18:00")
    assert result.exit_code == 0, result.stderr
    after = config.read_text()
    head, _, tail = before.rpartition('cadence = "weekly on Monday 09:00"')  # not the template's comment
    assert after == head + 'cadence = "every 2 weeks on Friday 18:00"' + tail
    assert "every 2 weeks on Friday 18:00 (set in blog.toml)" in cli("series", "show", "night-bus").stdout
    assert "(set in blog.toml)" in cli("series", "cadence", "night-bus").stdout


@pytest.mark.parametrize("cadence", ["every 999999 weeks", "FREQ=WEEKLY;INTERVAL=99999999", "every 99999999999999999 days"])
def test_a_huge_interval_is_a_one_line_error(made, cli, cadence):
    before = files(made)
    refused = cli("series", "cadence", "night-bus", cadence)
    assert refused.exit_code == 1 and refused.stderr.startswith("error: ") and "Traceback" not in refused.stderr
    assert files(made) == before
    config = made / "blog.toml"
    config.write_text(config.read_text().replace("weekly on Monday 09:00", cadence))
    for args in (["series", "show", "night-bus"], ["series", "promises"], ["series", "list"], ["check"]):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("error: blog.toml [series.night-bus]: cadence") and "Traceback" not in result.stderr


# -- 7. Teasers -----------------------------------------------------------------------------------


def test_a_teaser_without_a_topic_is_never_a_title(made, cli):
    write(made, "drafts/timetable.md", f"title: The Timetable\nseries: {TITLE}\npart: 3", "A spreadsheet from 1998.\n\nStay tuned!\n")
    before = files(made)
    refused = cli("publish", "timetable", "--plan-next")
    assert refused.exit_code == 1 and "names no topic" in refused.stderr
    assert files(made) == before, "refused before anything moved"
    assert cli("publish", "timetable").exit_code == 0
    [*_, untitled] = json.loads(cli("series", "promises", "night-bus", "--json").stdout)
    assert (untitled["from"], untitled["text"]) == ("timetable", "")
    assert "a teaser without a topic (“Stay tuned!”)" in " ".join(cli("series", "promises", "night-bus").stdout.split())
    nxt = cli("new", "--series", "night-bus", "--next", "--no-edit")
    assert nxt.exit_code == 1 and "names no topic" in nxt.stderr
    assert not (made / "drafts" / "stay-tuned.md").exists()


def test_preview_and_site_agree_on_reading_time_and_part_numbers(made, cli):
    words = " ".join(["word"] * 300)
    write(made, "published/riders.md", f"title: Who Rides the Night Bus\nseries: {TITLE}\npart: 2\ndate: 2026-11-09T09:00:00Z", words + "\n")
    assert cli("build").exit_code == 0
    page = (made / "site" / "riders" / "index.html").read_text()
    preview = cli("preview", "riders", "--width", "100").stdout
    assert "300 words · 1 min read" in preview and "1 min read" in page  # rounded, not ceil'd, in both
    assert "Part 2 of 2 · The Night Bus Notebook" in preview and "Part 2 of 2" in page  # the draft part 3 is not counted


# -- the screen ---------------------------------------------------------------------------------


def test_no_none_or_question_mark_on_screen(made, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    write(made, "published/loose.md", f"title: Loose\nseries: {TITLE}\ndate: 2026-11-10T09:00:00Z", "Next week I'll look at the depot.\n")
    for args in (["series", "show", "night-bus"], ["series", "promises"]):
        out = cli(*args).stdout
        assert "None" not in out and not re.search(r"(?<![\w“])\?(?!”)", out), out


def test_the_ledger_never_wraps_inside_a_line_number(sample, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("series", "promises").stdout
    assert any("published/who-rides-after-midnight.md:34" in line for line in out.splitlines()), out


def test_on_a_terminal_plan_next_asks_for_a_title_when_the_teaser_names_none(made, cli, monkeypatch):
    import blogcli.cli.publishing as publishing

    monkeypatch.setattr(publishing, "_interactive", lambda: True)
    write(made, "drafts/timetable.md", f"title: The Timetable\nseries: {TITLE}\npart: 3", "A spreadsheet from 1998.\n\nStay tuned!\n")
    result = cli("publish", "timetable", "--plan-next", input="The Depot at Dawn\n")
    assert result.exit_code == 0, result.stderr
    assert "Title of the planned next part" in result.stderr
    planned = meta_of(made / "drafts" / "the-depot-at-dawn.md")
    assert (planned["part"], planned["series"]) == (4, TITLE)
    assert "the next part is planned: drafts/the-depot-at-dawn.md" in result.stderr


def test_on_a_terminal_a_close_name_may_start_a_new_series(empty_blog, cli, monkeypatch):
    monkeypatch.setattr("blogcli.cli.common.interactive", lambda: True)
    cli("new", "Creaks", "--series", "Floorboard Diaries", "--no-edit")
    declined = cli("new", "Roof", "--series", "Floorboard Diary", "--no-edit", input="n\n")
    assert declined.exit_code == 1 and "Start a new series 'Floorboard Diary'?" in declined.stderr
    accepted = cli("new", "Roof", "--series", "Floorboard Diary", "--no-edit", input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert "[series.floorboard-diary]" in (empty_blog / "blog.toml").read_text()


# -- where issue 13 (the everyday screens) changed the same commands ------------------------------


def test_new_refuses_a_taken_slug_before_it_starts_a_series(made, cli):
    """A title whose slug another post has is refused (issue 13) before a new series' section
    is written (issue 11): nothing changes; with its own --slug the draft starts the series."""
    before = files(made)
    refused = cli("new", "One", "--series", "Brand New Series", "--no-edit")
    assert refused.exit_code == 1 and "published/one.md" in refused.stderr and "--slug" in refused.stderr
    assert files(made) == before
    made_it = cli("new", "One", "--slug", "one-again", "--series", "Brand New Series", "--no-edit")
    assert made_it.exit_code == 0, made_it.stderr
    assert meta_of(made / "drafts" / "one-again.md")["series"] == "Brand New Series"
    assert "[series.brand-new-series]" in (made / "blog.toml").read_text()


def test_new_with_its_own_slug_still_refuses_a_taken_part_unless_forced(made, cli):
    before = files(made)
    refused = cli("new", "Another Take", "--slug", "another", "--series", "night-bus", "--part", "2", "--no-edit")
    assert refused.exit_code == 1 and "published/riders.md" in refused.stderr and files(made) == before
    forced = cli("new", "Another Take", "--slug", "another", "--series", "night-bus", "--part", "2", "--force", "--no-edit")
    assert forced.exit_code == 0, forced.stderr
    assert meta_of(made / "drafts" / "another.md")["part"] == 2


def test_sorting_by_part_keeps_every_spelling_of_a_series_together(made, cli):
    """`blog list --sort part` groups posts by their series' one slug, not by how each spells it."""
    write(made, "published/other.md", "title: Other\nseries: Other Stories\npart: 1\ndate: 2026-11-20T09:00:00Z")
    order = [p["slug"] for p in json.loads(cli("list", "--sort", "part", "--json").stdout)]
    assert order == ["one", "riders", "timetable", "other"]  # night-bus, its parts spelt two ways; then other-stories
    assert [p["slug"] for p in json.loads(cli("list", "--series", TITLE, "--reverse", "-n", "2", "--json").stdout)] == ["timetable", "riders"]


def test_rename_by_slug_alone_keeps_the_title_and_rewrites_references(linked, cli):
    result = cli("rename", "one", "--slug", "night-one")
    assert result.exit_code == 0, result.stderr
    renamed = meta_of(linked / "published" / "night-one.md")
    assert (renamed["title"], renamed["aliases"]) == ("One", ["one"])
    riders = (linked / "published" / "riders.md").read_text()
    assert "fulfils: night-one" in riders and "[part one](night-one.md#the-route)" in riders
