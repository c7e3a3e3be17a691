"""`blog publish` in a big blog: the whole-blog passes it makes, each once.

Publishing one post reads every post's metadata once (from the index) and hands that workspace
to the site update: the build neither scans the posts again nor catches up with a change of its
own publish. The rules that need every post (series order, part clashes, slug uniqueness) share
one series catalogue. These count passes, never time (no timing in tests).
"""

import re

import pytest

import blogcli.model.series as series_model
import blogcli.workspace.store as store
from blogcli.errors import CheckFailed
from blogcli.model.document import Document
from blogcli.ops.publish import publish, unpublish
from blogcli.site.builder import build_site
from blogcli.workspace.store import Workspace

NOTE = "drafts/a-note.md"
PAGE = "site/drawing-the-timetable/index.html"


@pytest.fixture
def counted(monkeypatch):
    """How often the posts are scanned and a series catalogue is made, and each build's result."""
    counts = {"scans": 0, "catalogues": 0, "builds": []}
    scan_posts, catalogue_init = store.scan_posts, series_model.SeriesCatalogue.__init__

    def counting_scan(*args, **kwargs):
        counts["scans"] += 1
        return scan_posts(*args, **kwargs)

    def counting_catalogue(self, *args, **kwargs):
        counts["catalogues"] += 1
        catalogue_init(self, *args, **kwargs)

    def recording_build(*args, **kwargs):
        result = build_site(*args, **kwargs)
        counts["builds"].append(result)
        return result

    monkeypatch.setattr(store, "scan_posts", counting_scan)
    monkeypatch.setattr(series_model.SeriesCatalogue, "__init__", counting_catalogue)
    monkeypatch.setattr("blogcli.site.builder.build_site", recording_build)
    return counts


def test_publishing_a_post_in_no_series_makes_no_series_catalogue(sample, counted):
    (sample / NOTE).write_text("---\ntitle: A Note\ntags: [transport]\n---\n\nNo series, some text.\n", encoding="utf-8")

    result = publish(Workspace.open(sample), "a-note", rebuild_site=False)

    assert result.status == "published" and result.rel == "published/a-note.md"
    assert counted["scans"] == 1
    assert counted["catalogues"] == 0  # the series rules have nothing to ask of every post


def test_publishing_a_series_post_makes_one_catalogue_for_its_rules_and_its_checks(sample, counted):
    result = publish(Workspace.open(sample), "drawing-the-timetable", rebuild_site=False)

    assert result.status == "published" and result.teaser == "what changed after the 2011 cut"
    assert counted["scans"] == 1
    # publish's own, handed to its checks; and the ledger's, made after the move for its teaser
    assert counted["catalogues"] == 2


def test_a_series_post_is_checked_against_the_catalogue_publish_made(sample, counted):
    """A part clash is found with publish's catalogue (the ledger of its teaser, read after the
    move, makes its own from the posts as they are then)."""
    (sample / NOTE).write_text("---\ntitle: A Note\nseries: The Night Bus Notebook\npart: 2\n---\n\nText.\n", encoding="utf-8")

    with pytest.raises(CheckFailed, match="part 2"):
        publish(Workspace.open(sample), "a-note", rebuild_site=False)

    assert counted["catalogues"] == 1


def test_the_site_update_reuses_the_scan_of_the_publish(sample, counted):
    build_site(Workspace.open(sample))  # the built site a publish updates
    counted.update(scans=0, builds=[])

    result = publish(Workspace.open(sample), "drawing-the-timetable")

    assert result.site_error is None and result.page == PAGE and (sample / PAGE).is_file()
    assert counted["scans"] == 1  # the build read the posts from publish's workspace
    (build,) = counted["builds"]
    assert not build.caught_up  # its own publish is no change "made meanwhile": no second pass
    assert build.rendered_posts >= 1


def test_a_change_made_by_another_command_during_the_site_update_is_still_caught_up(sample, counted, monkeypatch):
    """Handing the build publish's workspace keeps the build's guarantee: a post changed after
    publish let go of the lock is seen under the build's lock, and its pages follow."""
    build_site(Workspace.open(sample))
    other = sample / "published" / "who-rides-after-midnight.md"
    run = __import__("blogcli.site.builder", fromlist=["Builder"]).Builder.run
    edited = []

    def run_then_edit(self):
        result = run(self)
        if not edited:  # the first pass read the posts; now another command edits one
            edited.append(True)
            other.write_bytes(other.read_bytes().replace(b"\n\n", b"\n\nA late line.\n\n", 1))
        return result

    monkeypatch.setattr("blogcli.site.builder.Builder.run", run_then_edit)
    counted.update(scans=0, builds=[])

    publish(Workspace.open(sample), "drawing-the-timetable")

    (build,) = counted["builds"]
    assert build.caught_up
    assert "A late line." in (sample / "site/who-rides-after-midnight/index.html").read_text(encoding="utf-8")


def test_unpublish_names_the_published_posts_that_link_to_it(sample, cli):
    """Only a real link from a published post counts: not a draft's, not the name in code."""
    for rel, text in (("published/about-this-notebook.md", "\nThe file is `why-the-night-bus.md`.\n"),
                      ("drafts/drawing-the-timetable.md", "\nSee [where it began](why-the-night-bus.md).\n")):
        add_to_body(sample / rel, text)

    result = unpublish(Workspace.open(sample), "why-the-night-bus", rebuild_site=False)

    assert result.linked_from == ["published/who-rides-after-midnight.md"]


def test_unpublish_warns_of_each_link_left_pointing_at_a_draft(sample, cli):
    add_to_body(sample / "published/about-this-notebook.md", "\nAnd [the first](./why-the-night-bus.md#top).\n")

    result = cli("unpublish", "why-the-night-bus")

    assert result.exit_code == 0, result.stderr
    for rel in ("published/about-this-notebook.md", "published/who-rides-after-midnight.md"):
        assert f"warning: {rel} links to it, and now links to a draft (blog check reports it)" in result.stderr


def add_to_body(path, text: str) -> None:
    path.write_bytes(path.read_bytes() + text.encode())


def test_the_first_publish_with_a_real_base_url_stamps_every_pending_id_that_is_still_published(empty_blog, cli):
    for title in ("One", "Two", "Three", "Four"):
        cli("new", title, "--body-file", "-", input=f"Text of {title}.\n")
    for slug in ("one", "two", "three"):
        assert cli("publish", slug).exit_code == 0
    assert cli("unpublish", "two").exit_code == 0  # pending, but a draft again: no id yet
    assert (empty_blog / ".blog/pending-feed-ids").read_text() == "one\nthree\ntwo\n"
    config = empty_blog / "blog.toml"
    config.write_text(re.sub(r"(?m)^# base_url = .*$", 'base_url = "https://notes.example.net/"', config.read_text()))

    result = cli("publish", "four")

    assert result.exit_code == 0, result.stderr
    assert "stamped the feed id of 2 earlier posts published before base_url was set: one, three" in result.stderr
    for slug in ("one", "three", "four"):
        assert header(empty_blog / "published" / f"{slug}.md")["id"] == f"tag:notes.example.net,2026-11-25:/{slug}/"
    assert "id" not in header(empty_blog / "drafts" / "two.md")
    assert not (empty_blog / ".blog/pending-feed-ids").exists()


def header(path) -> dict:
    return Document.from_bytes(path.read_bytes()).parse()


def test_publish_follows_a_link_by_an_old_slug_and_refuses_one_to_no_post(sample, cli):
    """The old slugs are read from every post's file on the first link no current slug answers."""
    assert cli("rename", "why-the-night-bus", "Why Night Buses").exit_code == 0
    add_to_body(sample / "drafts/drawing-the-timetable.md", "\nSee [why](why-the-night-bus.md).\n")

    published = cli("publish", "drawing-the-timetable")

    assert published.exit_code == 0, published.stderr
    said = " ".join(published.stderr.split())  # the warning wraps at the terminal's width
    assert "'why-the-night-bus' is an old slug of published/why-night-buses.md (renamed-target)" in said
    (sample / NOTE).write_text("---\ntitle: A Note\n---\n\nSee [this](no-such-post.md).\n", encoding="utf-8")
    refused = cli("publish", "a-note")
    assert refused.exit_code == 1 and "no post has the slug 'no-such-post'" in " ".join(refused.stderr.split())
