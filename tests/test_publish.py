"""`blog publish / unpublish`: one atomic move, a stamped header, the checks, the site updated."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from blogcli.errors import AlreadyExists, CheckFailed, FrontMatterError, InvalidValue
from blogcli.model.document import Document
from blogcli.site.builder import build_site
from blogcli.ops.publish import publish, unpublish
from blogcli.workspace.store import Workspace
from conftest import blog_bin

DRAFT = "drafts/drawing-the-timetable.md"
PUBLISHED = "published/drawing-the-timetable.md"
PAGE = "site/drawing-the-timetable/index.html"


def ws(root) -> Workspace:
    return Workspace.open(root)


def header(path: Path) -> dict:
    return Document.from_bytes(path.read_bytes()).parse()


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` and its bytes (the site included; not the cache or the lock file)."""
    files = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
    return {rel: p.read_bytes() for rel, p in files.items() if not rel.startswith((".blog/cache/", ".blog/lock"))}


def add_to_body(path: Path, text: str) -> None:
    path.write_bytes(path.read_bytes() + text.encode())


def test_publish_moves_the_file_keeping_body_bytes_and_unknown_keys(sample):
    draft = sample / DRAFT
    doc = Document.from_bytes(draft.read_bytes())
    doc.header.insert(2, "mood: hopeful   # my own key, with a comment\n")
    original = doc.to_bytes()
    draft.write_bytes(original)

    result = publish(ws(sample), "drawing-the-timetable")

    assert not draft.exists()
    moved = (sample / PUBLISHED).read_bytes()
    after = Document.from_bytes(moved)
    assert after.body == doc.body
    assert moved.endswith(doc.body.encode())
    assert "mood: hopeful   # my own key, with a comment\n" in after.header
    meta = after.parse()
    assert meta["date"].isoformat() == "2026-11-25T10:00:00+00:00"
    assert meta["updated"] == meta["date"]
    assert meta["part"] == 3 and meta["fulfils"] == "who-rides-after-midnight"
    assert meta["id"] == "tag:example.org,2026-11-25:/drawing-the-timetable/"
    old_lines = [line for line in doc.header]
    assert [line for line in after.header if line in old_lines] == old_lines  # nothing else rewritten
    assert (result.rel, result.status, result.url) == (PUBLISHED, "published", "https://example.org/drawing-the-timetable/")
    assert result.page == PAGE and (sample / PAGE).is_file()
    assert not (sample / ".blog" / "journal.json").exists()
    assert not [p for p in (sample / "published").iterdir() if p.name.startswith(".")]


def test_publish_assigns_the_next_part_and_uses_the_given_date(sample):
    draft = sample / DRAFT
    doc = Document.from_bytes(draft.read_bytes())
    doc.remove("part")
    draft.write_bytes(doc.to_bytes())
    result = publish(ws(sample), "drawing", date="2026-11-23 09:00")
    meta = header(sample / PUBLISHED)
    assert meta["part"] == 3 and result.changes["part"] == 3
    assert meta["date"].isoformat() == "2026-11-23T09:00:00+00:00"
    assert meta["updated"].isoformat() == "2026-11-25T10:00:00+00:00"  # the file changed now
    assert result.status == "published"


def test_the_built_site_shows_the_new_part_with_series_navigation(sample, cli):
    result = cli("publish", "drawing-the-timetable")
    assert result.exit_code == 0, result.stderr
    page_path, url = result.stdout.splitlines()
    assert Path(page_path) == sample / PAGE or page_path.endswith(PAGE)
    assert url == "https://example.org/drawing-the-timetable/"
    page = (sample / PAGE).read_text()
    assert "Part 3 of 3" in page
    assert 'href="/who-rides-after-midnight/"' in page
    assert "Part 2 of 3" in (sample / "site/who-rides-after-midnight/index.html").read_text()
    assert "published drafts/drawing-the-timetable.md -> published/drawing-the-timetable.md" in result.stderr


def test_errors_refuse_the_publication_unless_forced(sample, cli):
    add_to_body(sample / DRAFT, "\nSee [part 9](part-nine.md) and ![map](/images/map.png).\n")
    before = tree(sample)
    with pytest.raises(CheckFailed) as refused:
        publish(ws(sample), "drawing-the-timetable")
    last_line = (sample / DRAFT).read_text().count("\n")
    assert [(p.code, p.line) for p in refused.value.problems] == [("broken-link", last_line), ("missing-image", last_line)]
    assert tree(sample) == before

    result = cli("publish", "drawing-the-timetable")
    assert result.exit_code == 1
    assert "error: drafts/drawing-the-timetable.md is not ready to publish (2 errors):" in result.stderr
    assert f"drafts/drawing-the-timetable.md:{last_line}: link to 'part-nine.md': no post has the slug 'part-nine'" in result.stderr
    assert "--force" in result.stderr
    assert tree(sample) == before

    forced = cli("publish", "drawing-the-timetable", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (sample / PUBLISHED).exists() and not (sample / DRAFT).exists()
    assert f"drafts/drawing-the-timetable.md:{last_line}: error: link to 'part-nine.md'" in forced.stderr


def test_dry_run_changes_nothing_and_says_what_would_happen(sample, cli):
    build_site(ws(sample))
    before = tree(sample)
    result = cli("publish", "drawing-the-timetable", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert tree(sample) == before
    lines = result.stdout.splitlines()
    assert lines[0] == "dry run: nothing was changed"
    assert "would publish drafts/drawing-the-timetable.md -> published/drawing-the-timetable.md" in result.stdout
    assert "date: 2026-11-25T10:00:00+00:00" in result.stdout
    assert lines[-2].startswith("its page would be ") and lines[-2].endswith("site/drawing-the-timetable/index.html")
    assert lines[-1] == "  at https://example.org/drawing-the-timetable/"
    real = cli("publish", "drawing-the-timetable")
    assert real.stdout != result.stdout and "dry run" not in real.stdout + real.stderr


def test_at_schedules_a_post_that_stays_off_the_site_until_its_time(sample, monkeypatch):
    result = publish(ws(sample), "drawing-the-timetable", at="2026-12-01T09:00")
    assert result.status == "scheduled" and result.page is None
    assert header(sample / PUBLISHED)["date"].isoformat() == "2026-12-01T09:00:00+00:00"
    feed = (sample / "site/feed.xml").read_text()
    assert not (sample / PAGE).exists() and "drawing-the-timetable" not in feed
    assert "drawing-the-timetable" not in (sample / "site/index.html").read_text()

    monkeypatch.setenv("BLOG_NOW", "2026-12-01T08:59:59+00:00")
    build_site(ws(sample))
    assert not (sample / PAGE).exists()
    monkeypatch.setenv("BLOG_NOW", "2026-12-01T09:00:00+00:00")
    build_site(ws(sample))
    assert (sample / PAGE).exists()
    assert "drawing-the-timetable" in (sample / "site/feed.xml").read_text()


def test_at_next_takes_the_series_next_free_slot(sample, cli):
    result = cli("publish", "drawing-the-timetable", "--at", "next")
    assert result.exit_code == 0, result.stderr
    assert "scheduled" in result.stderr and "2026-11-30T09:00:00+00:00" in result.stderr
    assert header(sample / PUBLISHED)["date"].isoformat() == "2026-11-30T09:00:00+00:00"
    listed = {p["slug"]: p for p in json.loads(cli("list", "--json").stdout)}
    assert listed["drawing-the-timetable"]["status"] == "scheduled"
    # A scheduled post may be moved: `--at next` does not count its own slot as taken.
    again = publish(ws(sample), "drawing-the-timetable", at="next")
    assert again.date.isoformat() == "2026-11-30T09:00:00+00:00"


def test_bad_times_and_bad_targets_are_refused(sample):
    with pytest.raises(InvalidValue, match="has passed"):
        publish(ws(sample), "drawing-the-timetable", at="2026-11-01T09:00")
    with pytest.raises(InvalidValue, match="either --date or --at"):
        publish(ws(sample), "drawing-the-timetable", at="next", date="2026-11-01")
    with pytest.raises(InvalidValue, match="needs a series"):
        (sample / "drafts/loose.md").write_text("---\ntitle: Loose\n---\n\nText.\n")
        publish(ws(sample), "loose", at="next")
    with pytest.raises(AlreadyExists, match="already published"):
        publish(ws(sample), "why-the-night-bus")
    (sample / "drafts/why-the-night-bus.md").write_text("---\ntitle: Again\n---\n\nText.\n")
    with pytest.raises(AlreadyExists, match="published/why-the-night-bus.md already exists"):
        publish(ws(sample), "drafts/why-the-night-bus.md")


TEASING = "\nSo next week I'll look at what happened after the 2011 cut.\n"


def test_plan_next_creates_the_teased_planned_draft_once(sample, cli):
    add_to_body(sample / DRAFT, TEASING)
    result = cli("publish", "drawing-the-timetable", "--plan-next")
    assert result.exit_code == 0, result.stderr
    planned = [p for p in (sample / "drafts").glob("*.md")]
    assert len(planned) == 1
    meta = header(planned[0])
    assert meta["series"] == "The Night Bus Notebook" and meta["part"] == 4
    assert meta["fulfils"] == "drawing-the-timetable"
    assert "2011 cut" in meta["title"]
    assert Document.from_bytes(planned[0].read_bytes()).body.strip() == ""
    assert "planned next week's topic" in result.stderr

    listed = {p["slug"]: p for p in json.loads(cli("list", "--json").stdout)}
    assert listed[planned[0].stem]["status"] == "planned"


def test_on_a_terminal_publish_offers_to_plan_the_teased_topic(sample, cli, monkeypatch):
    import blogcli.cli.publishing as publishing

    monkeypatch.setattr(publishing, "_interactive", lambda: True)
    add_to_body(sample / DRAFT, TEASING)
    result = cli("publish", "drawing-the-timetable", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "Create a planned draft for next week's topic 'what happened after the 2011 cut'?" in result.stderr
    assert len(list((sample / "drafts").glob("*.md"))) == 1


def test_without_a_terminal_nothing_is_planned_unasked(sample, cli):
    add_to_body(sample / DRAFT, TEASING)
    result = cli("publish", "drawing-the-timetable")
    assert result.exit_code == 0, result.stderr
    assert list((sample / "drafts").glob("*.md")) == []


def test_unpublish_returns_the_post_to_drafts_and_its_page_disappears(sample, cli):
    publish(ws(sample), "drawing-the-timetable")
    published = Document.from_bytes((sample / PUBLISHED).read_bytes())
    other_page = (sample / "site/about-this-notebook/index.html").read_bytes()
    assert (sample / PAGE).exists()

    result = cli("unpublish", "drawing-the-timetable")
    assert result.exit_code == 0, result.stderr
    assert "https://example.org/drawing-the-timetable/ is no longer on the site" in result.stderr
    assert result.stdout.strip().endswith(DRAFT)
    assert not (sample / PUBLISHED).exists()
    back = Document.from_bytes((sample / DRAFT).read_bytes())
    assert back.body == published.body
    meta = back.parse()
    assert "date" not in meta
    assert meta["id"] == "tag:example.org,2026-11-25:/drawing-the-timetable/" and meta["part"] == 3
    assert not (sample / PAGE).exists()
    assert "drawing-the-timetable" not in (sample / "site/feed.xml").read_text()
    assert (sample / "site/about-this-notebook/index.html").read_bytes() == other_page
    assert "Part 2 of 2" in (sample / "site/who-rides-after-midnight/index.html").read_text()
    listed = {p["slug"]: p for p in json.loads(cli("list", "--json").stdout)}
    assert listed["drawing-the-timetable"]["status"] == "draft"

    again = publish(ws(sample), "drawing-the-timetable", date="2026-11-26T09:00")
    assert header(sample / PUBLISHED)["id"] == meta["id"]  # feed readers see the same entry
    assert "id" not in again.changes


def test_unpublish_warns_about_posts_that_now_link_to_a_draft(sample, cli):
    result = cli("unpublish", "why-the-night-bus")
    assert result.exit_code == 0, result.stderr
    assert "warning: published/who-rides-after-midnight.md links to it" in result.stderr
    with pytest.raises(InvalidValue, match="is not published"):
        unpublish(ws(sample), "why-the-night-bus")


def test_a_publish_killed_mid_move_leaves_the_post_exactly_once(sample):
    env = {**os.environ, "BLOG_CRASH_AT": "journal:applied"}
    killed = subprocess.run([blog_bin(), "publish", "drawing-the-timetable"], env=env, capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9, killed.stderr
    assert (sample / PUBLISHED).exists() and (sample / DRAFT).exists()  # killed between the two halves

    env.pop("BLOG_CRASH_AT")
    listed = subprocess.run([blog_bin(), "list", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    posts = [p for p in json.loads(listed.stdout) if p["slug"] == "drawing-the-timetable"]
    assert [(p["path"], p["status"]) for p in posts] == [(PUBLISHED, "published")]
    assert not (sample / DRAFT).exists()
    assert header(sample / PUBLISHED)["part"] == 3


def test_front_matter_that_does_not_parse_is_never_published_even_with_force(sample):
    draft = sample / DRAFT
    draft.write_bytes(draft.read_bytes().replace(b"tags: [transport, history]", b"tags: [transport, history"))
    before = draft.read_bytes()
    with pytest.raises(FrontMatterError) as refused:
        publish(ws(sample), "drawing-the-timetable", force=True)
    assert refused.value.path == DRAFT and refused.value.line
    assert draft.read_bytes() == before and not (sample / PUBLISHED).exists()


def test_a_post_may_link_to_itself(sample):
    add_to_body(sample / DRAFT, "\nBack to [the top](drawing-the-timetable.md#top).\n")
    assert publish(ws(sample), "drawing-the-timetable").status == "published"


def test_when_the_site_cannot_be_updated_the_post_is_still_published_and_says_so(sample, cli):
    (sample / "site").mkdir()
    (sample / "site" / "someone-elses.html").write_text("not ours")
    result = cli("publish", "drawing-the-timetable")
    assert result.exit_code == 1
    assert (sample / PUBLISHED).exists() and not (sample / DRAFT).exists()
    assert "the post was moved, but the site was not updated" in result.stderr
    assert "not built by blogcli" in result.stderr and "blog build" in result.stderr
    assert result.stdout.strip() == "https://example.org/drawing-the-timetable/"


def test_publishing_into_a_big_site_redoes_only_the_newest_list_pages(sample, tmp_path):
    """Pages numbered from the oldest: a new post changes the home page and the newest numbered
    pages, not every page of the blog; the site is then what a full build makes."""
    from test_build import add_fillers, list_pages, published_urls_newest_first, sitemap_urls

    add_fillers(sample, 57)  # with the sample's three: 60 posts from 2024 on, ten a page, pages 1-5 full
    build_site(ws(sample))
    site = sample / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}

    publish(ws(sample), "drawing-the-timetable")

    redone = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if before.get(p) != p.stat().st_mtime_ns}
    lists = {rel for rel in redone if rel == "index.html" or rel.startswith(("page/", "archive/", "tags/"))}
    # the home page's oldest post moved to a new page 6; the archive's earlier years stay as they were
    assert lists == {"index.html", "page/5/index.html", "page/6/index.html", "archive/index.html",
                     "tags/index.html", "tags/transport/index.html", "tags/history/index.html"}
    walked = list_pages(site)
    assert [url for url, _ in walked] == ["/", "/page/6/", "/page/5/", "/page/4/", "/page/3/", "/page/2/", "/page/1/"]
    assert [item for _, items in walked for item in items] == published_urls_newest_first(sample)
    fresh = build_site(ws(sample), out=tmp_path / "fresh")
    assert fresh.rendered_posts == 61
    assert tree(tmp_path / "fresh") == {rel.removeprefix("site/"): data for rel, data in tree(sample).items() if rel.startswith("site/")}

    unpublish(ws(sample), "drawing-the-timetable")  # page 6 has no post left: it leaves the site and the sitemap
    assert not (site / "page/6").exists()
    assert [url for url, _ in list_pages(site)][:2] == ["/", "/page/5/"]
    assert "https://example.org/page/6/" not in sitemap_urls(site) and "https://example.org/page/5/" in sitemap_urls(site)


def test_publishing_renders_only_the_new_posts_body_for_the_feed(sample, tmp_path, monkeypatch):
    """The other entries of the feed come from the post workers' last build (kept by source digest),
    not from rendering nineteen bodies again; the feed is still what a full build writes."""
    import blogcli.render.markdown as markdown
    from test_build import add_fillers, write_post

    add_fillers(sample, 30)
    write_post(sample, "drafts/a-loner.md", "title: A Loner\ncreated: 2026-11-20T09:00:00+00:00", "Words of its own.\n")
    build_site(ws(sample))
    rendered = []
    real = markdown.markdown_to_html
    monkeypatch.setattr(markdown, "markdown_to_html", lambda text, *a, **k: rendered.append(text) or real(text, *a, **k))

    publish(ws(sample), "a-loner")

    assert [text.strip() for text in rendered] == ["Words of its own."]  # its page; the feed took the other bodies from the last build
    monkeypatch.undo()
    build_site(ws(sample), out=tmp_path / "fresh")
    assert (tmp_path / "fresh/feed.xml").read_bytes() == (sample / "site/feed.xml").read_bytes()
