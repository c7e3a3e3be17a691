"""Pages kept as the last build made them when the site's structure is as it was (site/shape.py).

Each change below is made between two builds; the incremental build must leave exactly the site a
full build from nothing makes, whether or not the structure was found unchanged, and when it was,
work out the keys of only what can have changed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blogcli.site.builder import build_site
from blogcli.site.emitter import Outputs
from blogcli.site.manifest import Manifest
from blogcli.workspace.store import Workspace
from tests.test_build import corpus, tree  # noqa: F401 - corpus is a fixture

NOW = "2026-11-20T12:00:00+00:00"


def build(root: Path, **options):
    return build_site(Workspace.open(root), **options)


@pytest.fixture
def keyed(monkeypatch) -> list[str]:
    """The outputs whose key a build works out (`Outputs.kept`), in order."""
    seen: list[str] = []
    kept = Outputs.kept

    def counting(self, output, key):
        seen.append(output)
        return kept(self, output, key)

    monkeypatch.setattr(Outputs, "kept", counting)
    return seen


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_an_edit_of_one_body_works_out_the_keys_of_only_what_shows_it(corpus, keyed, tmp_path, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    ws = Workspace.open(corpus)
    first = build_site(ws)
    assert first.rendered_posts > 48
    loner = next(p for p in ws.posts if p.folder == "published" and not p.series and p.date)
    append(corpus / loner.rel, "\nOne more sentence at the very end.\n")
    keyed.clear()
    result = build(corpus)
    assert result.rendered_posts == 1
    # its page is rendered (its file changed: no key to compare); of the ~130 other pages and
    # feeds, only the home or numbered page listing it is keyed (static files are keyed by their stat)
    pages = [output for output in keyed if output.endswith((".html", ".xml"))]
    assert len(pages) == 1 and (pages[0] == "index.html" or pages[0].startswith("page/")), pages
    fresh = build(corpus, out=tmp_path / "fresh")
    assert tree(tmp_path / "fresh") == tree(corpus / "site")


def test_a_build_with_nothing_changed_works_out_no_key(sample, keyed, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    build(sample)
    keyed.clear()
    result = build(sample)
    assert result.written == 0 and result.rendered_posts == 0
    assert not [output for output in keyed if output.endswith((".html", ".xml"))]


def _series_part_promises_something_else(root: Path) -> None:
    path = root / "published/who-rides-after-midnight.md"
    path.write_text(path.read_text().replace("so next week\nlet's see how the timetable was drawn in the first place.",
                                             "so next week\nI'll look at the night buses' drivers."))


def _a_later_part_no_longer_keeps_a_promise(root: Path) -> None:
    """Part 1's page shows its promise kept by part 2 (which says so in its body): an edit of part
    2's body alone changes part 1's page, through the series' promise ledger."""
    (root / "published/alpha.md").write_text(
        "---\ntitle: Alpha\ndate: 2026-11-01T09:00:00+00:00\nseries: Tiny Series\npart: 1\n---\n\n"
        "A start. So next week I'll look at the harbour cranes.\n")
    (root / "published/beta.md").write_text(
        "---\ntitle: Second Thoughts\ndate: 2026-11-08T09:00:00+00:00\nseries: Tiny Series\npart: 2\n---\n\n"
        "Last week I said I'd look at the harbour cranes, and I did.\n\nMore text.\n")
    build(root)
    assert "Promised next, and kept" in (root / "site/alpha/index.html").read_text()
    (root / "published/beta.md").write_text((root / "published/beta.md").read_text().replace(
        "Last week I said I'd look at the harbour cranes, and I did.", "Something else entirely."))


def _draft_part_grows(root: Path) -> None:
    append(root / "drafts/drawing-the-timetable.md", "\nA new paragraph in the draft.\n")


def _planned_part_gets_a_body(root: Path) -> None:
    (root / "drafts/drawing-the-timetable.md").write_text(
        "---\ntitle: Drawing the Timetable\nseries: The Night Bus Notebook\npart: 3\n---\n")
    build(root)
    _draft_part_grows(root)


def _comments_added(root: Path) -> None:
    (root / "published/about-this-notebook.comments.yaml").write_text(
        "- id: c1\n  author: Jo\n  date: 2026-11-02T10:00:00+00:00\n  body: First!\n")


def _comments_removed(root: Path) -> None:
    _comments_added(root)
    build(root)
    (root / "published/about-this-notebook.comments.yaml").unlink()


def _static_file_takes_a_tag_page(root: Path) -> None:
    (root / "static/tags/fieldwork").mkdir(parents=True)
    (root / "static/tags/fieldwork/index.html").write_text("<p>mine</p>")


def _tag_page_and_post_page_edited_by_hand(root: Path) -> None:
    (root / "site/tags/fieldwork/index.html").write_text("broken")
    (root / "site/about-this-notebook/index.html").unlink()
    (root / "site/sitemap.xml").unlink()


def _pages_of_the_post_lists_edited_by_hand(root: Path) -> None:
    """Pages kept without their key are still checked against their file: one the same size with
    another mtime, one grown, one deleted."""
    import os

    page = root / "site/who-rides-after-midnight/index.html"
    page.write_bytes(b"x" * page.stat().st_size)
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000_000))
    append(root / "site/index.html", "<p>mine</p>")
    (root / "site/series/night-bus-notebook/feed.xml").unlink()


def _next_day(root: Path) -> None:
    import os

    os.environ["BLOG_NOW"] = "2026-11-21T12:00:00+00:00"  # monkeypatch undoes it (set in the test)


def _the_cadence_hour_passes(root: Path) -> None:
    """The draft part 3 is "coming" in the next free slot of the series' cadence (Mondays 09:00)
    after now: at 09:00 on a Monday that slot moves a week on, with no file changed, the same day."""
    import os

    os.environ["BLOG_NOW"] = "2026-11-23T08:00:00+00:00"
    build(root)
    assert "23 Nov 2026" in (root / "site/series/night-bus-notebook/index.html").read_text()
    os.environ["BLOG_NOW"] = "2026-11-23T10:00:00+00:00"


def _scheduled_post_comes_due(root: Path) -> None:
    import os

    (root / "published/later.md").write_text("---\ntitle: Later\ndate: 2026-11-20T15:00:00+00:00\ntags: [fieldwork]\n---\n\nSoon.\n")
    build(root)
    os.environ["BLOG_NOW"] = "2026-11-20T16:00:00+00:00"


def _first_paragraph_changes(root: Path) -> None:
    path = root / "published/about-this-notebook.md"
    head, _, body = path.read_text().partition("\n---\n")
    path.write_text(f"{head}\n---\nA new first paragraph.\n\n{body}")


def _alias_added(root: Path) -> None:
    path = root / "published/about-this-notebook.md"
    path.write_text(path.read_text().replace("title:", "aliases: [old-about]\ntitle:", 1))


def _title_changes(root: Path) -> None:
    path = root / "published/why-the-night-bus.md"
    path.write_text(path.read_text().replace("title: Why the Night Bus?", "title: Why the N29?"))


def _page_added(root: Path) -> None:
    (root / "pages").mkdir(exist_ok=True)
    (root / "pages/colophon.md").write_text("---\ntitle: Colophon\n---\n\nSet in type.\n")  # in the menu: every page changes


def _page_added_off_the_menu(root: Path) -> None:
    (root / "pages").mkdir(exist_ok=True)
    (root / "pages/colophon.md").write_text("---\ntitle: Colophon\nmenu: false\n---\n\nSet in type.\n")  # the sitemap changes


def _post_published(root: Path) -> None:
    """A publish: a new post outside any series, with tags the site has; its draft gone."""
    (root / "drafts/a-note.md").write_text("---\ntitle: A Note\ntags: [fieldwork]\n---\n\nJust a note.\n")
    build(root)
    (root / "drafts/a-note.md").unlink()
    (root / "published/a-note.md").write_text(
        "---\ntitle: A Note\ndate: 2026-11-20T11:00:00+00:00\ntags: [fieldwork]\n---\n\nJust a note.\n")


def _post_published_with_a_new_tag(root: Path) -> None:
    (root / "published/a-note.md").write_text(
        "---\ntitle: A Note\ndate: 2026-11-20T11:00:00+00:00\ntags: [fieldwork, brand-new]\n---\n\nJust a note.\n")


def _post_published_into_the_series(root: Path) -> None:
    path = root / "drafts/drawing-the-timetable.md"
    text = path.read_text().replace("created:", "date: 2026-11-16T09:00:00+00:00\ncreated:", 1)
    path.unlink()
    (root / "published/drawing-the-timetable.md").write_text(text)


def _old_post_published(root: Path) -> None:
    """A new post dated before others: it lands inside the numbered pages and an earlier year."""
    (root / "published/an-old-note.md").write_text(
        "---\ntitle: An Old Note\ndate: 2019-03-01T11:00:00+00:00\ntags: [work]\n---\n\nFrom the archive.\n")


def _earlier_years(root: Path) -> None:
    """Posts in 2019 and 2020 beside the sample's 2026 ones: the archive has a page per year."""
    for year in (2019, 2020):
        (root / f"published/note-{year}.md").write_text(
            f"---\ntitle: A Note of {year}\ndate: {year}-03-01T11:00:00+00:00\ntags: [work]\n---\n\nOld.\n")
    build(root)


def _post_published_into_an_earlier_year(root: Path) -> None:
    """A new post in a year the archive has (not the newest): that year's page changes, no other."""
    _earlier_years(root)
    (root / "published/another-old-note.md").write_text(
        "---\ntitle: Another Old Note\ndate: 2019-05-01T11:00:00+00:00\ntags: [work]\n---\n\nOlder.\n")


def _post_published_beside_earlier_years(root: Path) -> None:
    _earlier_years(root)
    _post_published(root)


def _post_published_in_a_year_of_its_own(root: Path) -> None:
    """A new post in a year no post had: every year's page links it."""
    _earlier_years(root)
    (root / "published/a-2022-note.md").write_text(
        "---\ntitle: A 2022 Note\ndate: 2022-03-01T11:00:00+00:00\ntags: [work]\n---\n\nBetween.\n")


def _draft_added_and_one_removed(root: Path) -> None:
    (root / "drafts/a-note.md").write_text("---\ntitle: A Note\ntags: [fieldwork]\n---\n\nJust a note.\n")
    build(root)
    (root / "drafts/a-note.md").unlink()
    (root / "drafts/another.md").write_text("---\ntitle: Another\n---\n\nMore.\n")


def _post_published_under_a_static_name(root: Path) -> None:
    (root / "published/images.md").write_text(
        "---\ntitle: Images\ndate: 2026-11-20T11:00:00+00:00\ntags: [work]\n---\n\nA clash with static/images.\n")


def _post_removed(root: Path) -> None:
    (root / "published/about-this-notebook.md").unlink()


# each change, and whether the build after it finds the site's structure unchanged
CHANGES = [(_series_part_promises_something_else, True), (_a_later_part_no_longer_keeps_a_promise, True), (_draft_part_grows, True), (_planned_part_gets_a_body, False),
           (_comments_added, False), (_comments_removed, False), (_static_file_takes_a_tag_page, False),
           (_tag_page_and_post_page_edited_by_hand, True), (_pages_of_the_post_lists_edited_by_hand, True),
           (_next_day, False), (_the_cadence_hour_passes, False), (_scheduled_post_comes_due, False),
           (_first_paragraph_changes, True), (_alias_added, True), (_title_changes, False), (_page_added, False),
           (_page_added_off_the_menu, True),
           (_post_published, True), (_post_published_with_a_new_tag, False), (_post_published_into_the_series, False),
           (_old_post_published, True), (_post_published_into_an_earlier_year, True),
           (_post_published_beside_earlier_years, True), (_post_published_in_a_year_of_its_own, True),
           (_draft_added_and_one_removed, True), (_post_published_under_a_static_name, False),
           (_post_removed, False)]


@pytest.mark.parametrize("change, unchanged", CHANGES, ids=[change.__name__.strip("_") for change, _ in CHANGES])
def test_after_any_change_the_site_is_what_a_full_build_makes(sample, change, unchanged, tmp_path, monkeypatch):
    from blogcli.site import builder

    found = []
    decide = builder.with_new_posts  # the last word on whether the structure is unchanged
    monkeypatch.setattr(builder, "with_new_posts", lambda *args: found.append(decide(*args)) or found[-1])
    monkeypatch.setenv("BLOG_NOW", NOW)
    (sample / "blog.toml").write_text((sample / "blog.toml").read_text().replace("[site]", "[site]\nstats = true", 1)
                                      if "[site]" in (sample / "blog.toml").read_text()
                                      else (sample / "blog.toml").read_text() + "\n[site]\nstats = true\n")
    build(sample)
    change(sample)
    found.clear()
    build(sample)
    assert (found[0] is not None) is unchanged
    build(sample, out=tmp_path / "fresh")
    assert tree(tmp_path / "fresh") == tree(sample / "site")


def test_the_pages_kept_as_before_are_checked_in_a_few_batches(corpus, tmp_path, monkeypatch):
    """After an edit of one body, the pages kept without their key (every post page, the home and
    numbered pages, the series' pages and feeds) are checked against their files in a few batches
    (a stat each, the output folder opened once a batch), not a call per page; each page once."""
    monkeypatch.setenv("BLOG_NOW", NOW)
    ws = Workspace.open(corpus)
    build_site(ws)
    loner = next(p for p in ws.posts if p.folder == "published" and not p.series and p.date)
    append(corpus / loner.rel, "\nOne more sentence at the very end.\n")
    batches: list[list[str]] = []
    checked = Outputs.not_kept_as_before

    def counting(self, outputs):
        batches.append(list(outputs))
        return checked(self, batches[-1])

    monkeypatch.setattr(Outputs, "not_kept_as_before", counting)
    result = build(corpus)
    assert result.rendered_posts == 1
    every = [output for batch in batches for output in batch]
    assert len(every) == len(set(every))
    assert {f"{post.slug}/index.html" for post in ws.posts if post.folder == "published" and post is not loner} <= set(every)
    assert "index.html" in every or any(output.startswith("page/") for output in every)
    assert any(output.startswith("series/") for output in every)
    # the posts outside any series, the parts, the lists (and the pages made from the index, in one if they like)
    assert len(batches) <= 4, [len(batch) for batch in batches]


def test_an_output_is_kept_as_before_only_while_its_file_is_as_recorded(tmp_path):
    """`Outputs.not_kept_as_before`: a page whose file has the size and mtime recorded is kept (its
    entry, the very one loaded, recorded); one touched, rewritten at the same size, deleted or never
    made is not; one static/ takes or a post page claimed is nobody's to keep; with no output
    folder to open, none is kept."""
    import os

    from blogcli.site.manifest import OutputEntry

    out = tmp_path / "site"
    old = {}
    for name in ("same", "touched", "rewritten", "deleted", "taken"):
        (out / name).mkdir(parents=True)
        page = out / name / "index.html"
        page.write_text(f"<p>{name}</p>")
        old[f"{name}/index.html"] = OutputEntry("key", page.stat().st_size, page.stat().st_mtime_ns)
    touched = out / "touched/index.html"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1_000_000_000))
    rewritten = out / "rewritten/index.html"
    rewritten.write_bytes(b"x" * rewritten.stat().st_size)
    os.utime(rewritten, ns=(rewritten.stat().st_atime_ns, old["rewritten/index.html"].mtime_ns + 1))
    (out / "deleted/index.html").unlink()
    outputs = Outputs(None, out, old, {"static/index.html"}, [], lambda count: None)
    outputs.claim("taken/index.html")
    asked = ["same/index.html", "touched/index.html", "rewritten/index.html", "deleted/index.html", "new/index.html",
             "static/index.html", "taken/index.html"]
    assert outputs.not_kept_as_before(asked) == ["touched/index.html", "rewritten/index.html", "deleted/index.html",
                                                 "new/index.html"]
    assert outputs.entries["same/index.html"] is old["same/index.html"] and outputs.counts.unchanged == 1
    assert outputs.kept_as_before("same/index.html") and not outputs.kept_as_before("touched/index.html")
    nowhere = Outputs(None, tmp_path / "nowhere", old, set(), [], lambda count: None)
    assert nowhere.not_kept_as_before(["same/index.html"]) == ["same/index.html"] and not nowhere.entries
    twice = Outputs(None, out, old, set(), [], lambda count: None)  # an output asked for twice counts once
    assert twice.not_kept_as_before(["same/index.html", "new/index.html", "same/index.html", "new/index.html"]) == [
        "new/index.html"]
    assert twice.counts.unchanged == 1 and list(twice.entries) == ["same/index.html"]


def test_a_build_carries_the_kept_entries_over_as_the_objects_loaded(corpus, monkeypatch):
    """What a build keeps, its new manifest holds as the very entries the old one loaded (a save
    then compares them by identity first, and keeps no second copy of 10,000 rows)."""
    from blogcli.site.builder import Builder
    from blogcli.site.manifest import manifest_path
    from blogcli.site.output import default_out

    monkeypatch.setenv("BLOG_NOW", NOW)
    ws = Workspace.open(corpus)
    build_site(ws)
    loner = next(p for p in ws.posts if p.folder == "published" and not p.series and p.date)
    append(corpus / loner.rel, "\nOne more sentence at the very end.\n")
    ws = Workspace.open(corpus)
    loaded = Manifest.load(manifest_path(ws.cache_dir, corpus / "site", default_out(ws)))
    builder = Builder(ws, corpus / "site", False, loaded, None)
    builder.run()
    new = builder.manifest
    assert new.sources[loner.rel] is not loaded.sources[loner.rel]
    assert all(entry is loaded.sources[rel] for rel, entry in new.sources.items() if rel != loner.rel)
    assert new.files[loner.rel] != loaded.files[loner.rel]
    assert all(entry is loaded.files[rel] for rel, entry in new.files.items() if rel != loner.rel)
    kept = [path for path, entry in new.outputs.items() if entry == loaded.outputs.get(path)]
    assert len(kept) > 100 and all(new.outputs[path] is loaded.outputs[path] for path in kept)


def test_a_publish_works_out_the_keys_of_only_the_lists_it_joins(corpus, keyed, tmp_path, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    ws = Workspace.open(corpus)
    build_site(ws)
    tag = next(name for post in ws.posts if post.folder == "published" for name in post.tags)
    (corpus / "published/a-note.md").write_text(f"---\ntitle: A Note\ndate: 2026-11-20T11:00:00+00:00\ntags: [{tag}]\n---\n\nNew.\n")
    keyed.clear()
    build(corpus)
    pages = {output for output in keyed if output.endswith((".html", ".xml"))}
    assert pages, "a new post is listed somewhere"
    assert not [output for output in pages if output.startswith("series/") or output.count("/") == 1
                and not output.startswith(("page/", "tags/", "archive/"))], pages  # no series page, no post page
    assert len([output for output in pages if output.startswith("tags/")]) == 2  # its tag's page and the list of tags
    fresh = build(corpus, out=tmp_path / "fresh")
    assert tree(tmp_path / "fresh") == tree(corpus / "site")


def test_the_manifest_remembers_the_structure_it_was_made_with(sample, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    build(sample)
    manifest = Manifest.load(sample / ".blog/cache/build.sqlite")
    assert set(manifest.files) == {"published/about-this-notebook.md", "published/who-rides-after-midnight.md",
                                   "published/why-the-night-bus.md", "drafts/drawing-the-timetable.md"}
    assert manifest.shape.day == "2026-11-20" and "sitemap.xml" in manifest.shape.index_pages
    assert "tags/fieldwork/index.html" in manifest.shape.index_pages
    assert all(output in manifest.outputs for output in manifest.shape.index_pages)


@pytest.mark.parametrize("change, archive_pages", [
    (_post_published_beside_earlier_years, {"archive/index.html"}),
    (_post_published_into_an_earlier_year, {"archive/2019/index.html"}),
    (_post_published_in_a_year_of_its_own, {"archive/index.html", "archive/2019/index.html", "archive/2020/index.html",
                                            "archive/2022/index.html"}),
], ids=["this-year", "an-earlier-year", "a-year-of-its-own"])
def test_a_publish_works_out_the_key_of_only_its_years_archive_page(sample, keyed, change, archive_pages, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    build(sample)
    change(sample)
    keyed.clear()
    build(sample)
    assert {output for output in keyed if output.startswith("archive/")} == archive_pages
    build(sample, out=tmp_path / "fresh")
    assert tree(tmp_path / "fresh") == tree(sample / "site")


def test_publishes_keep_the_sitemaps_chunks_and_leave_the_sitemap_a_full_build_makes(corpus, tmp_path, monkeypatch):
    from blogcli.site import feeds

    monkeypatch.setenv("BLOG_NOW", NOW)
    monkeypatch.setattr(feeds, "SITEMAP_CHUNK", 16)  # in this process: the builds after the first make no workers
    build(corpus)
    tag = next(name for post in Workspace.open(corpus).posts if post.folder == "published" for name in post.tags)
    for n in (1, 2, 3):
        (corpus / f"published/note-{n}.md").write_text(
            f"---\ntitle: Note {n}\ndate: 2026-11-20T1{n}:00:00+00:00\ntags: [{tag}]\n---\n\nNew.\n")
        build(corpus)
        assert (corpus / ".blog/cache" / feeds.SITEMAP_CACHE).is_file()
    build(corpus, out=tmp_path / "fresh")
    assert (tmp_path / "fresh/sitemap.xml").read_bytes() == (corpus / "site/sitemap.xml").read_bytes()
    assert tree(tmp_path / "fresh") == tree(corpus / "site")


@pytest.mark.parametrize("dated", ["newest", "newest, opening a page", "among the others"])
def test_a_publish_works_out_the_keys_of_only_the_numbered_pages_from_its_place_on(corpus, keyed, dated, tmp_path,
                                                                                 monkeypatch):
    """Numbered from the oldest, the pages older than the place a new post goes in list and link
    what they did: their keys are not worked out; the site is still what a full build makes (the
    newest numbered page links to a page the new post opens)."""
    import re

    from blogcli.site.model import visible_posts

    monkeypatch.setenv("BLOG_NOW", NOW)
    config = corpus / "blog.toml"
    config.write_text(re.sub(r"posts_per_page = \d+", "posts_per_page = 4", config.read_text()))
    ws = Workspace.open(corpus)
    if dated == "newest, opening a page":  # every numbered page full: the post pushed off the home page opens one
        for n in range(-len(visible_posts(ws.posts, ws.now(), False)[0]) % 4):
            filler = corpus / f"published/filler-{n}.md"
            filler.write_text(f"---\ntitle: Filler {n}\ndate: 2001-01-0{n + 1}\n---\n\nOld.\n")
            os.utime(filler, (1_700_000_000, 1_700_000_000))  # settled: not new again to the next build
        ws = Workspace.open(corpus)
    build_site(ws)
    shown = sorted((p for p in ws.posts if p.folder == "published" and p.date), key=lambda p: p.date)
    pages = len(list((corpus / "site/page").iterdir()))
    assert pages > 8
    tag = next(name for post in shown for name in post.tags)
    date = "2026-11-20T11:00:00+00:00" if dated.startswith("newest") else shown[len(shown) // 2].date.isoformat()
    (corpus / "published/a-note.md").write_text(f"---\ntitle: A Note\ndate: {date}\ntags: [{tag}]\n---\n\nNew.\n")
    keyed.clear()
    build(corpus)
    numbered = {int(output.split("/")[1]) for output in keyed if output.startswith("page/")}
    if dated.startswith("newest"):
        assert numbered <= {pages - 1, pages, pages + 1}, numbered  # the newest page, the one before, a new one
    else:
        assert numbered and min(numbered) > 1 and max(numbered) >= pages - 1, numbered  # from its place on
        assert min(numbered) <= pages // 2 + 2, numbered
    fresh = build(corpus, out=tmp_path / "fresh")
    assert tree(tmp_path / "fresh") == tree(corpus / "site")


@pytest.mark.parametrize("change", [change for change, _ in CHANGES], ids=[change.__name__.strip("_") for change, _ in CHANGES])
def test_a_save_looks_only_at_the_entries_a_build_touched_and_finds_every_change(sample, change, monkeypatch):
    """The builder vouches that every entry of its sources, outputs and files but those it names
    (Manifest.touched) is the very one loaded: a save compares only those, and finds exactly the
    changes a comparison of every entry finds."""
    from blogcli.site import manifest

    compared = []
    full = manifest._changes

    def both(new, old, touched=None):
        found = full(new, old, touched)
        if touched is not None:
            every = full(new, old)
            assert (sorted(found[0]), sorted(found[1]), found[2]) == (sorted(every[0]), sorted(every[1]), every[2])
            compared.append(len(touched) < len(new) or not new)
        return found

    monkeypatch.setattr(manifest, "_changes", both)
    monkeypatch.setenv("BLOG_NOW", NOW)
    build(sample)
    change(sample)
    compared.clear()
    build(sample)
    assert len(compared) == 3 and any(compared)  # sources, outputs, files, each against the loaded manifest
