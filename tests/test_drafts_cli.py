"""The draft lifecycle through the CLI: init, new, list, rename, delete, restore, trash."""

import json
from pathlib import Path

import pytest

from blogcli.model.document import Document


def listed(cli, *args):
    result = cli("list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {p["slug"]: p for p in json.loads(result.stdout)}


def test_init_creates_a_workspace_and_refuses_to_overwrite(tmp_path, cli):
    target = tmp_path / "new blog"
    result = cli("init", str(target), "--title", "Night Notes", "--author", "Ada")
    assert result.exit_code == 0, result.stderr
    config = (target / "blog.toml").read_text()
    assert 'title = "Night Notes"' in config and 'author = "Ada"' in config
    assert (target / "drafts").is_dir() and (target / "published").is_dir()
    again = cli("init", str(target))
    assert again.exit_code == 1
    assert again.stderr.startswith("error: ") and "blog.toml already exists" in again.stderr
    assert (target / "blog.toml").read_text() == config


def test_outside_a_workspace_says_how_to_make_one(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("list")
    assert result.exit_code == 1
    assert "not inside a blog workspace" in result.stderr and "blog init" in result.stderr


def test_workspace_found_by_walking_up(sample, cli, monkeypatch):
    monkeypatch.delenv("BLOG_ROOT")
    monkeypatch.chdir(sample / "drafts")
    assert "why-the-night-bus" in listed(cli)
    other = sample.parent / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)
    assert cli("--root", str(sample), "list", "--json").exit_code == 0


def test_new_writes_front_matter_and_prints_the_path(empty_blog, cli):
    result = cli("new", "Hello: World", "--tag", "a", "--tag", "b c", "--series", "Phone Diaries", "--no-edit")
    assert result.exit_code == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.name == "hello-world.md" and path.exists()
    meta = Document.from_bytes(path.read_bytes()).parse()
    assert meta["title"] == "Hello: World"
    assert meta["tags"] == ["a", "b c"]
    assert meta["series"] == "Phone Diaries" and meta["part"] == 1
    assert str(meta["created"]) .startswith("2026-11-25")
    post = listed(cli)["hello-world"]
    assert post["status"] == "planned" and post["path"] == "drafts/hello-world.md"


def test_new_never_overwrites_and_numbers_parts(empty_blog, cli):
    first = cli("new", "Same", "--series", "S", "--no-edit")
    assert Path(first.stdout.strip()).name == "same.md"
    second = cli("new", "Same", "--series", "S", "--no-edit")
    assert second.exit_code == 1 and second.stdout == ""
    assert "drafts/same.md ('Same') already has the slug 'same'" in second.stderr and "--slug" in second.stderr
    third = cli("new", "Same", "--series", "S", "--slug", "same-again", "--no-edit")
    assert Path(third.stdout.strip()).name == "same-again.md"
    posts = listed(cli)
    assert (posts["same"]["part"], posts["same-again"]["part"]) == (1, 2)


def test_new_body_from_stdin_and_file(empty_blog, cli, tmp_path):
    result = cli("new", "From stdin", "--body-file", "-", input="Words from a pipe.\n")
    assert result.exit_code == 0, result.stderr
    assert Path(result.stdout.strip()).read_text().endswith("\nWords from a pipe.\n")
    body = tmp_path / "body.md"
    body.write_text("Body *file*.\n")
    result = cli("new", "From file", "--body-file", str(body), "--no-edit")
    assert listed(cli)["from-file"]["status"] == "draft"
    missing = cli("new", "Nope", "--body-file", str(tmp_path / "missing.md"), "--no-edit")
    assert missing.exit_code == 1 and "missing.md" in missing.stderr


def test_new_without_title_is_a_usage_error(empty_blog, cli):
    result = cli("new", "--no-edit")
    assert result.exit_code == 2 and "needs a title" in result.stderr
    assert cli("new", "   ", "--no-edit").exit_code == 2


def test_list_filters_and_statuses(sample, cli):
    (sample / "published" / "future.md").write_text("---\ntitle: Future\ndate: 2027-01-01\n---\nSoon.\n")
    (sample / "drafts" / "idea.md").write_text("---\ntitle: Idea\n---\n\n")
    statuses = {slug: p["status"] for slug, p in listed(cli).items()}
    assert statuses["future"] == "scheduled" and statuses["idea"] == "planned"
    assert statuses["drawing-the-timetable"] == "draft" and statuses["why-the-night-bus"] == "published"
    assert set(listed(cli, "--status", "scheduled")) == {"future"}
    assert set(listed(cli, "--status", "draft", "--status", "planned")) == {"idea", "drawing-the-timetable"}
    assert set(listed(cli, "--series", "the night bus notebook")) == {"why-the-night-bus", "who-rides-after-midnight", "drawing-the-timetable"}
    assert set(listed(cli, "--tag", "META")) == {"about-this-notebook"}
    bad = cli("list", "--status", "done")
    assert bad.exit_code == 2 and "'done' is not one of: draft, planned, scheduled, published" in bad.stderr


def test_list_json_keys(sample, cli):
    post = listed(cli)["who-rides-after-midnight"]
    for key in ("slug", "title", "status", "path", "series", "part", "tags", "date", "words"):
        assert key in post
    assert post["path"] == "published/who-rides-after-midnight.md"
    assert post["date"] == "2026-11-09T09:00:00+00:00" and post["part"] == 2 and post["words"] > 100


def test_list_table_for_people(sample, cli):
    result = cli("list")
    assert result.exit_code == 0
    assert "Notes from the Last Stop" in result.stdout and "Who Rides After Midnight" in result.stdout
    assert "\x1b[" not in result.stdout


def test_malformed_file_warns_and_the_rest_still_list(sample, cli):
    (sample / "drafts" / "broken.md").write_text("---\ntitle: ok\ntags: [oops\n---\nBody stays.\n")
    (sample / "drafts" / "latin.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    result = cli("list", "--json")
    assert result.exit_code == 0
    assert "drafts/broken.md:" in result.stderr and "not valid YAML" in result.stderr
    assert "drafts/latin.md:2: not UTF-8" in result.stderr
    slugs = {p["slug"] for p in json.loads(result.stdout)}
    assert {"broken", "why-the-night-bus", "drawing-the-timetable"} <= slugs and "latin" not in slugs


def test_rename_changes_title_and_slug_only(sample, cli):
    before = (sample / "drafts" / "drawing-the-timetable.md").read_text()
    result = cli("rename", "drawing", "Who Drew the Timetable?")
    assert result.exit_code == 0, result.stderr
    after = (sample / "drafts" / "who-drew-the-timetable.md").read_text()
    assert not (sample / "drafts" / "drawing-the-timetable.md").exists()
    assert after == before.replace("title: Drawing the Timetable", 'title: Who Drew the Timetable?')


def test_rename_of_a_published_post_keeps_an_alias(sample, cli):
    assert cli("rename", "why-the-night-bus", "Why Night Buses").exit_code == 0
    meta = Document.from_bytes((sample / "published" / "why-night-buses.md").read_bytes()).parse()
    assert meta["aliases"] == ["why-the-night-bus"]


def test_delete_restore_and_trash(sample, cli):
    original = (sample / "drafts" / "drawing-the-timetable.md").read_bytes()
    assert cli("delete", "drawing-the-timetable").exit_code == 0
    assert "drawing-the-timetable" not in listed(cli)
    trash = cli("trash", "--json")
    entries = json.loads(trash.stdout)
    assert [e["path"] for e in entries] == ["drafts/drawing-the-timetable.md"]
    assert cli("restore", "drawing").exit_code == 0
    assert (sample / "drafts" / "drawing-the-timetable.md").read_bytes() == original
    assert json.loads(cli("trash", "--json").stdout) == []


def test_restore_refuses_to_overwrite(sample, cli):
    cli("delete", "drawing-the-timetable")
    cli("new", "Drawing the Timetable", "--no-edit")
    result = cli("restore", "drawing-the-timetable")
    assert result.exit_code == 1 and "exists" in result.stderr
    assert len(json.loads(cli("trash", "--json").stdout)) == 1


def test_empty_trash_asks_first(sample, cli):
    assert cli("delete", "drawing-the-timetable").exit_code == 0
    refused = cli("trash", "--empty")
    assert refused.exit_code == 1 and "--yes" in refused.stderr
    assert cli("trash", "--empty", "--yes").exit_code == 0
    assert json.loads(cli("trash", "--json").stdout) == []


@pytest.mark.parametrize("ref", ["w", "wh"])
def test_ambiguous_prefix_lists_candidates_and_changes_nothing(sample, cli, ref):
    result = cli("delete", ref)
    assert result.exit_code == 1
    assert "why-the-night-bus" in result.stderr and "who-rides-after-midnight" in result.stderr
    assert (sample / "published" / "why-the-night-bus.md").exists()


def test_exact_slug_beats_prefix_and_paths_work(sample, cli):
    (sample / "drafts" / "why.md").write_text("---\ntitle: Why\n---\nx\n")
    assert cli("delete", "why").exit_code == 0
    assert (sample / "published" / "why-the-night-bus.md").exists()
    assert cli("delete", "published/about-this-notebook.md", "--force").exit_code == 0
    assert not (sample / "published" / "about-this-notebook.md").exists()


@pytest.mark.parametrize("ref", ["../../etc/passwd", "/etc/passwd", "drafts/../../x.md", "blog.toml"])
def test_refs_never_leave_the_workspace(sample, cli, ref):
    result = cli("delete", ref)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr


def test_not_found_suggests(sample, cli):
    result = cli("delete", "who-ride-after")
    assert result.exit_code == 1
    assert "no post matches" in result.stderr


def test_json_errors_are_json(sample, cli):
    (sample / "blog.toml").write_text("title = [\n")
    result = cli("list", "--json")
    assert result.exit_code == 1
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "bad-config" and "blog.toml:" in error["message"]


def test_usage_errors_exit_2(sample, cli):
    assert cli("list", "--bogus").exit_code == 2
    assert cli("rename").exit_code == 2


def test_rename_to_a_taken_title_or_slug_is_refused(sample, cli):
    result = cli("rename", "drawing", "Why the Night Bus?")
    assert result.exit_code == 1 and "published/why-the-night-bus.md" in result.stderr and "--slug" in result.stderr
    assert cli("rename", "drawing", "--slug", "why-the-night-bus").exit_code == 1
    moved = cli("rename", "drawing", "--slug", "timetable")
    assert moved.exit_code == 0, moved.stderr
    assert Document.from_bytes((sample / "drafts" / "timetable.md").read_bytes()).parse()["title"] == "Drawing the Timetable"
    both = cli("rename", "timetable", "Why the Night Bus?", "--slug", "why-again")
    assert both.exit_code == 0 and (sample / "drafts" / "why-again.md").exists()
