"""The static site: structure, escaping, scheduling, incremental builds, unpublish, redirects, --out."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blogcli.site.builder import build_site
from blogcli.site.output import MARKER
from blogcli.model.slug import slugify
from blogcli.site.urls import page_path, url_for
from blogcli.workspace.store import Workspace

HOSTILE = "<script>alert(1)</script>"


def build(root: Path, **options):
    return build_site(Workspace.open(root), **options)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site (but the marker) by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def stamps(folder: Path) -> dict[str, int]:
    return {rel: (folder / rel).stat().st_mtime_ns for rel in tree(folder)}


def write_post(root: Path, rel: str, header: str, body: str = "A paragraph of text.\n") -> Path:
    path = root / rel
    path.write_text(f"---\n{header.strip()}\n---\n\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    """A generated blog of 80 posts (series, tags, code, links): enough for the worker processes."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent))
    from benchmarks.corpus import generate

    generate(tmp_path / "corpus", 80, seed=7)
    return tmp_path / "corpus" / "blog"



def test_a_first_build_reads_the_files_in_its_workers_and_sees_what_this_process_would(corpus, tmp_path):
    """A first build of a big blog hands the reading of its post files to the workers: the posts,
    the problems and the index it leaves are those of a scan in one process, and so is the site."""
    (corpus / "drafts" / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    (corpus / "drafts" / "bad-bytes.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe\n")
    old = 1_700_000_000  # settled files are cached
    for path in corpus.glob("*/*.md"):
        os.utime(path, (old, old))
    ws = Workspace.open(corpus)
    build_site(ws)
    in_workers = sorted(ws.posts, key=lambda p: p.rel), sorted(map(str, ws.unreadable))
    assert (corpus / ".blog/cache/index.sqlite").exists()
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for name in ("blog.toml", "drafts", "published"):
        (corpus / name).rename(fresh / name)
    here = Workspace.open(fresh)
    assert (sorted(here.posts, key=lambda p: p.rel), sorted(map(str, here.unreadable))) == in_workers
    assert len(in_workers[0]) >= 80 and any("bad-bytes" in problem for problem in in_workers[1])

def test_the_sitemap_is_made_in_the_workers_as_this_process_makes_it(corpus, tmp_path, monkeypatch):
    """The sitemap (every post's URL and date) goes to the workers with the feeds: 10,000 of them
    are ~0.1 s of work. Same bytes as when this process makes it."""
    from blogcli.site import builder
    from blogcli.site.emitter import make_files
    from blogcli.site.pool import WorkerPool

    sent = []
    submit = WorkerPool.submit
    monkeypatch.setattr(WorkerPool, "submit", lambda pool, job, items: sent.append((job, items)) or submit(pool, job, items))
    build_site(Workspace.open(corpus))
    assert any(job is make_files and any(item.output == "sitemap.xml" for item in items) for job, items in sent)
    monkeypatch.setattr(builder, "POOL_THRESHOLD", 10**9)
    here = build_site(Workspace.open(corpus), out=tmp_path / "here")
    assert (here.out / "sitemap.xml").read_bytes() == (corpus / "site/sitemap.xml").read_bytes()


def test_pages_showing_only_the_index_are_declared_while_the_workers_render_the_posts(corpus, monkeypatch):
    """Tags, archive, the series list and the sitemap need nothing that rendering a post finds:
    they are declared before the build waits for the post pages (a full build of 10,000 posts
    spent ~0.6 s declaring every list page at its end, the workers idle); home pages, which show
    excerpts, after."""
    from blogcli.site.emitter import Outputs
    from blogcli.site.pool import WorkerPool
    from blogcli.site.post_pages import render_posts

    events = []
    page, file_job, results = Outputs.page, Outputs.file_job, WorkerPool.results
    monkeypatch.setattr(Outputs, "page", lambda outputs, output, *a, **k: events.append(output) or page(outputs, output, *a, **k))
    monkeypatch.setattr(Outputs, "file_job", lambda outputs, output, *a: events.append(output) or file_job(outputs, output, *a))
    monkeypatch.setattr(WorkerPool, "results", lambda pool, chunks: events.append(
        "post pages awaited" if chunks and chunks[0].job is render_posts else "other work awaited") or results(pool, chunks))
    build_site(Workspace.open(corpus))
    waited = events.index("post pages awaited")
    for output in ("tags/index.html", "archive/index.html", "series/index.html", "sitemap.xml", "404.html"):
        assert events.index(output) < waited, output
    for output in ("index.html", "feed.xml"):
        assert events.index(output) > waited, output


# --- structure ------------------------------------------------------------------------------------


def test_sample_site_structure(sample):
    result = build(sample)
    site = sample / "site"
    assert result.out == site
    for rel in (
        "index.html", "404.html", "feed.xml", "sitemap.xml", "assets/style.css", "archive/index.html",
        "why-the-night-bus/index.html", "who-rides-after-midnight/index.html", "about-this-notebook/index.html",
        "series/index.html", "series/night-bus-notebook/index.html", "series/night-bus-notebook/feed.xml",
        "tags/index.html", "tags/transport/index.html", "tags/meta/index.html", "images/n29-tally.svg", MARKER,
    ):
        assert (site / rel).is_file(), rel
    assert not (site / "drawing-the-timetable").exists(), "a draft was published"
    assert (site / "images/n29-tally.svg").read_bytes() == (sample / "static/images/n29-tally.svg").read_bytes()

    home = (site / "index.html").read_text()
    # newest first
    assert home.index("Who Rides After Midnight") < home.index("Why the Night Bus?") < home.index("About this notebook")

    part1 = (site / "why-the-night-bus/index.html").read_text()
    part2 = (site / "who-rides-after-midnight/index.html").read_text()
    assert "Part 1 of 2" in part1 and "Part 2 of 2" in part2
    assert 'rel="next" href="/who-rides-after-midnight/"' in part1 and 'rel="prev"' not in part1.split("<main")[1]
    assert 'rel="prev" href="/why-the-night-bus/"' in part2
    # the latest part announces what comes next; the earlier one links to the post that kept its promise
    assert "Coming next" in part2 and "How the timetable was drawn in the first place" in part2
    assert "Promised next" in part1 and 'class="kept" href="/who-rides-after-midnight/"' in part1
    # Markdown: a table, a footnote, smart quotes, an image from static/, a link to another post's file
    assert "<table>" in part2 and 'class="footnotes"' in part2 and "“walk, or quit.”" in part2
    assert 'src="/images/n29-tally.svg"' in part2 and 'href="/why-the-night-bus/"' in part2
    assert 'id="what-i-want-to-find-out"' in part1

    series = (site / "series/night-bus-notebook/index.html").read_text()
    assert series.index("Why the Night Bus?") < series.index("Who Rides After Midnight")
    assert "Who keeps a city running after midnight" in series and "Coming next" in series
    archive = (site / "archive/index.html").read_text()
    assert "November 2026" in archive and "October 2026" in archive
    assert url_for("why-the-night-bus", "https://example.org/") == "https://example.org/why-the-night-bus/"
    assert url_for("x") == "/x/" and page_path(site, "x") == site / "x" / "index.html"


def test_drafts_only_when_asked(sample, cli):
    result = cli("build", "--drafts", "--out", str(sample / "with-drafts"))
    assert result.exit_code == 0, result.stderr
    page = (sample / "with-drafts/drawing-the-timetable/index.html").read_text()
    assert "Draft" in page and "Part 3 of 3" in page
    assert "drawing-the-timetable" not in (sample / "with-drafts/feed.xml").read_text()
    assert "drawing-the-timetable" not in (sample / "with-drafts/sitemap.xml").read_text()
    assert cli("build").exit_code == 0
    assert not (sample / "site/drawing-the-timetable").exists()


def list_pages(site: Path) -> list[str]:
    """The list pages found by walking "Older posts" from the home page, with the posts each shows."""
    import re

    walked, url = [], "/"
    while url:
        assert url not in [u for u, _ in walked], f"the pager loops back to {url}"
        html = (site / url.lstrip("/") / "index.html").read_text()
        walked.append((url, re.findall(r'<h2><a href="([^"]+)"', html)))
        older = re.search(r'<a rel="next" href="([^"]+)">Older posts', html)
        url = older.group(1) if older else None
    return walked


def published_urls_newest_first(root: Path) -> list[str]:
    from blogcli.ops.listing import sort_key

    posts = [p for p in Workspace.open(root).posts if p.folder == "published"]
    return [f"/{p.slug}/" for p in sorted(posts, key=sort_key, reverse=True)]


def test_paged_home(sample):
    """Pages are numbered from the oldest: the home page shows the newest ten, page/1/ the oldest."""
    for n in range(12):
        write_post(sample, f"published/filler-{n:02}.md", f"title: Filler {n:02}\ndate: 2026-09-{n + 1:02}T09:00:00+00:00")
    build(sample)
    site = sample / "site"
    walked = list_pages(site)
    assert [url for url, _ in walked] == ["/", "/page/1/"]
    assert [len(items) for _, items in walked] == [10, 5]
    assert [item for _, items in walked for item in items] == published_urls_newest_first(sample)
    oldest = (site / "page/1/index.html").read_text()
    assert "<title>Page 1 · " in oldest and '<a rel="prev" href="/">← Newer posts' in oldest
    assert "Older posts" not in oldest and not (site / "page/2").exists()


def add_fillers(root: Path, count: int) -> None:
    """`count` published posts a fortnight apart from January 2024, all older than the sample's own."""
    import datetime as dt

    for n in range(count):
        date = dt.datetime(2024, 1, 1, 9, tzinfo=dt.timezone.utc) + dt.timedelta(days=14 * n)
        write_post(root, f"published/filler-{n:02}.md", f"title: Filler {n:02}\ndate: {date.isoformat()}")


def sitemap_urls(site: Path) -> set[str]:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)}


def test_list_pages_walk_every_post_once_and_the_sitemap_lists_them(sample):
    add_fillers(sample, 57)
    build(sample)
    site = sample / "site"
    walked = list_pages(site)
    # 60 posts, ten a page: the home page, then page/5/ (the newest numbered page) down to page/1/
    assert [url for url, _ in walked] == ["/", "/page/5/", "/page/4/", "/page/3/", "/page/2/", "/page/1/"]
    assert [item for _, items in walked for item in items] == published_urls_newest_first(sample)
    for (newer, _), (older, _) in zip(walked, walked[1:]):  # "Newer posts" walks back the same way
        assert f'<a rel="prev" href="{newer}">' in (site / older.lstrip("/") / "index.html").read_text()

    listed = sitemap_urls(site)
    for url in listed:  # every address listed is a page of the site
        assert (site / url.removeprefix("https://example.org/") / "index.html").is_file(), url
    list_urls = {url for url in listed if url == "https://example.org/" or "/page/" in url}
    assert list_urls == {"https://example.org" + url for url, _ in walked}
    assert sorted(p.parent.name for p in (site / "page").glob("*/index.html")) == ["1", "2", "3", "4", "5"]
    archives = {p.parent.relative_to(site).as_posix() + "/" for p in (site / "archive").rglob("index.html")}
    assert archives == {"archive/", "archive/2024/", "archive/2025/"}
    assert {url for url in listed if "/archive/" in url} == {"https://example.org/" + path for path in archives}


def test_archive_shows_the_newest_year_and_a_page_for_each_earlier_one(sample):
    import re

    add_fillers(sample, 57)
    build(sample)
    site = sample / "site"
    newest = (site / "archive/index.html").read_text()
    assert "<h1 class=\"page-title\">Archive</h1>" in newest and "November 2026" in newest and "December 2025" not in newest
    assert '<strong>2026</strong> · <a href="/archive/2025/">2025</a> · <a href="/archive/2024/">2024</a>' in newest
    year = (site / "archive/2025/index.html").read_text()
    assert "<title>Archive 2025 · " in year and "December 2025" in year and "2026" not in year.split("<main")[1].split("</p>", 1)[1]
    listed = [url for rel in ("archive", "archive/2025", "archive/2024")
              for url in re.findall(r'</time>\s*<div class="brief">\s*<a href="([^"]+)"', (site / rel / "index.html").read_text())]
    assert listed == published_urls_newest_first(sample)  # every post once, newest first


# --- escaping -------------------------------------------------------------------------------------


def test_hostile_title_and_tag_are_escaped_everywhere(sample):
    write_post(
        sample, "published/hostile.md",
        f'title: "{HOSTILE}"\ndate: 2026-11-20T09:00:00+00:00\ntags: ["{HOSTILE}"]\nseries: "{HOSTILE}"\npart: 1\n'
        f'summary: "{HOSTILE}"',
        f"Body with a raw {HOSTILE} inside.\n",
    )
    build(sample)
    site = sample / "site"
    files = tree(site)
    for rel, data in files.items():
        assert b"<script>alert(1)</script>" not in data, f"unescaped in {rel}"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    page = (site / "hostile/index.html").read_text()
    assert f"<h1>{escaped}</h1>" in page and f"<title>{escaped} · " in page
    assert escaped in (site / "index.html").read_text()
    tag_pages = [rel for rel in files if rel.startswith("tags/script")]
    assert tag_pages and escaped in files[tag_pages[0]].decode()
    assert escaped in (site / "series/index.html").read_text()
    for rel in ("feed.xml", "sitemap.xml", "series/script-alert-1-script/feed.xml"):
        ET.fromstring(files[rel])  # still well-formed XML
    feed = ET.fromstring(files["feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert HOSTILE in titles  # the text survives, as text
    assert [c.get("term") for c in feed.findall("a:entry/a:category", ns)].count(HOSTILE) == 1


# --- scheduling -----------------------------------------------------------------------------------


def test_scheduled_post_stays_off_until_its_time(sample, monkeypatch):
    write_post(sample, "published/future-post.md", "title: Future Post\ndate: 2026-12-01T09:00:00+00:00\ntags: [later]")
    result = build(sample)
    site = sample / "site"
    assert result.next_due is not None and result.next_due.isoformat() == "2026-12-01T09:00:00+00:00"
    assert not (site / "future-post").exists() and not (site / "tags/later").exists()
    for rel, data in tree(site).items():
        assert b"future-post" not in data and b"Future Post" not in data, rel

    monkeypatch.setenv("BLOG_NOW", "2026-12-01T09:00:01+00:00")
    result = build(sample)
    assert result.next_due is None
    assert (site / "future-post/index.html").is_file() and (site / "tags/later/index.html").is_file()
    assert "Future Post" in (site / "index.html").read_text()
    assert "future-post" in (site / "feed.xml").read_text() and "future-post" in (site / "sitemap.xml").read_text()


# --- incremental ----------------------------------------------------------------------------------


def test_progress_reports_every_post_rendered(corpus):
    calls = []
    result = build_site(Workspace.open(corpus), progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, result.rendered_posts) and calls[-1] == (result.rendered_posts, result.rendered_posts)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_second_build_writes_nothing(sample):
    build(sample)
    before = stamps(sample / "site")
    result = build(sample)
    assert result.written == 0 and result.removed == 0 and result.rendered_posts == 0
    assert stamps(sample / "site") == before


def test_incremental_build_touches_only_what_depends_on_the_edit(corpus, tmp_path):
    root = corpus
    ws = Workspace.open(root)
    first = build_site(ws)
    assert first.rendered_posts > 48  # rendered by the worker processes
    site = root / "site"
    before_bytes, before_stamps = tree(site), stamps(site)

    loner = next(p for p in ws.posts if p.folder == "published" and not p.series and p.date)
    path = root / loner.rel
    path.write_bytes(path.read_bytes() + b"\nOne more sentence at the very end.\n")
    result = build_site(Workspace.open(root))
    assert result.rendered_posts == 1
    after_bytes, after_stamps = tree(site), stamps(site)
    changed = {rel for rel in after_bytes if after_bytes[rel] != before_bytes.get(rel)}
    assert f"{loner.slug}/index.html" in changed
    assert changed <= {f"{loner.slug}/index.html", "feed.xml"}
    for rel in after_bytes:
        if rel not in changed:
            assert after_stamps[rel] == before_stamps[rel], f"{rel} was rewritten with the same bytes"

    # the incremental result is byte-identical to a full build from nothing
    fresh = build_site(Workspace.open(root), out=tmp_path / "fresh")
    assert fresh.rendered_posts == first.rendered_posts
    assert tree(tmp_path / "fresh") == after_bytes


def test_list_pages_follow_edits_to_what_they_show(corpus, tmp_path):
    """List pages are keyed by the listed posts' source digests, not their views: a new title, summary
    or date still reaches every page that shows it, as a full build would make it."""
    from blogcli.model.document import Document

    build_site(Workspace.open(corpus))
    posts = [p for p in Workspace.open(corpus).posts if p.folder == "published" and p.tags]
    retitled, summarised, redated = posts[0], next(p for p in posts if p.series), posts[-1]
    for post, key, value in ((retitled, "title", "A Brand New Title"), (summarised, "summary", "A summary of its own."),
                             (redated, "date", "2019-02-03T09:00:00+00:00")):
        doc = Document.from_bytes((corpus / post.rel).read_bytes())
        doc.set(key, value)
        (corpus / post.rel).write_bytes(doc.to_bytes())
    build_site(Workspace.open(corpus))
    site = corpus / "site"
    assert "A Brand New Title" in (site / "tags" / slugify(retitled.tags[0]) / "index.html").read_text()
    fresh = build_site(Workspace.open(corpus), out=tmp_path / "fresh")
    assert fresh.rendered_posts > 48
    assert tree(tmp_path / "fresh") == tree(site)


def test_editing_a_part_updates_its_neighbours_and_series(sample):
    build(sample)
    site = sample / "site"
    before = tree(site)
    path = sample / "published/why-the-night-bus.md"
    path.write_text(path.read_text().replace("title: Why the Night Bus?", "title: Why the N29?"))
    result = build(sample)
    changed = {rel for rel, data in tree(site).items() if data != before.get(rel)}
    assert {"why-the-night-bus/index.html", "who-rides-after-midnight/index.html",
            "series/night-bus-notebook/index.html", "index.html"} <= changed
    assert "about-this-notebook/index.html" not in changed
    assert result.rendered_posts == 2
    assert "Why the N29?" in (site / "who-rides-after-midnight/index.html").read_text()


def test_deleted_cache_means_a_full_build_with_the_same_output(sample):
    build(sample)
    before = tree(sample / "site")
    (sample / ".blog/cache/build.json").unlink()
    (sample / "site/stale-leftover.html").write_text("old")
    result = build(sample)
    assert result.rendered_posts == 3 and result.written == 0
    assert tree(sample / "site") == before


@pytest.mark.parametrize("manifest", [
    '{"format": "1", "sources": {}, "outputs": {}, "series": {}}',  # the old positional layout
    '{"format": "2", "sources": {}, "outputs": {}, "ledgers": {"s": ["k", [{"text": "t", "made_in": [], "keeper": null}]]}}',
    '{"format": "3", "sources": {"published/why-the-night-bus.md": [1, 2]}, "outputs": {}, "ledgers": {}}',
    '{"format": "3", "sources": [], "outputs": {}, "ledgers": {}}',
    '{"format": "3", "sources": {}, "outputs": {"index.html": ["key", "12", 3]}, "ledgers": {}}',
    '{"format": "3", "sources": {}, "outputs": {}, "ledgers": {"s": ["key", [{"text": 1}]]}}',
    '{"format": "3", "sources": {}, "outputs": {}, "ledgers": {"s": ["k", [{"text": "t", "made_in": [], "keeper": null}]]}}',
    "not json at all",
])
def test_a_manifest_of_another_format_or_shape_means_a_full_build(sample, manifest):
    build(sample)
    before = tree(sample / "site")
    (sample / ".blog/cache/build.json").write_text(manifest)
    result = build(sample)
    assert result.rendered_posts == 3 and result.written == 0
    assert tree(sample / "site") == before
    assert build(sample).rendered_posts == 0  # and the manifest it wrote is read back


def test_the_manifest_reads_back_what_it_wrote(tmp_path):
    from blogcli.site.manifest import LedgerEntry, Manifest, OutputEntry, PostExtract, SourceEntry

    manifest = Manifest(
        sources={"published/a.md": SourceEntry(10, 20, "d" * 32, PostExtract("tag:x,2026:/a/", ["old-a"], "Words."))},
        outputs={"a/index.html": OutputEntry("k" * 32, 300, 400)},
        ledgers={"s": LedgerEntry("l" * 32, [{"text": "more", "made_in": ["a"], "keeper": None, "keeper_rel": None,
                                               "made_on": "2026-11-02T09:00:00+00:00", "due": "2026-11-09T09:00:00+00:00"}])},
    )
    manifest.save(tmp_path / "build.json")
    assert Manifest.load(tmp_path / "build.json") == manifest


def test_tampered_output_is_repaired(sample):
    build(sample)
    page = sample / "site/why-the-night-bus/index.html"
    good = page.read_bytes()
    page.write_text("broken")
    (sample / "site/about-this-notebook/index.html").unlink()
    build(sample)
    assert page.read_bytes() == good
    assert (sample / "site/about-this-notebook/index.html").is_file()


def test_unpublish_removes_its_pages(sample):
    build(sample)
    site = sample / "site"
    os.replace(sample / "published/about-this-notebook.md", sample / "drafts/about-this-notebook.md")
    result = build(sample)
    assert result.removed >= 2  # its page and its only tag's page
    assert not (site / "about-this-notebook").exists() and not (site / "tags/meta").exists()
    for rel, data in tree(site).items():
        assert b"about-this-notebook" not in data, rel


def test_clean_rebuilds_but_keeps_hidden_entries(sample, cli):
    build(sample)
    (sample / "site/.git").mkdir()
    (sample / "site/junk.txt").write_text("x")
    result = cli("build", "--clean")
    assert result.exit_code == 0, result.stderr
    assert (sample / "site/.git").is_dir() and not (sample / "site/junk.txt").exists()
    assert (sample / "site/index.html").is_file()


# --- redirects, templates, --out ------------------------------------------------------------------


def test_aliases_redirect_to_the_new_url(sample, cli):
    assert cli("rename", "about-this-notebook", "About me").exit_code == 0
    build(sample)
    old = (sample / "site/about-this-notebook/index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=/about-me/"' in old
    assert '<link rel="canonical" href="https://example.org/about-me/">' in old
    assert (sample / "site/about-me/index.html").is_file()


def test_workspace_templates_override_the_package(sample):
    (sample / "templates").mkdir()
    (sample / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}<p>Lost, {{ "<b>" }}</p>{% endblock %}\n')
    build(sample)
    page = (sample / "site/404.html").read_text()
    assert "<p>Lost, &lt;b&gt;</p>" in page  # autoescaped in the author's template too
    assert "Page not found" not in page.split("<main")[1]


def test_out_must_be_empty_new_or_ours(sample, tmp_path, cli):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep me")
    result = cli("build", "--out", str(theirs))
    assert result.exit_code == 1
    assert "not empty and was not built by blogcli" in result.stderr
    assert sorted(p.name for p in theirs.iterdir()) == ["notes.txt"]

    assert cli("build", "--out", str(sample / "published")).exit_code == 1
    assert cli("build", "--out", str(sample)).exit_code == 1

    fresh = tmp_path / "fresh" / "site"
    result = cli("build", "--out", str(fresh))
    assert result.exit_code == 0, result.stderr
    assert (fresh / "index.html").is_file() and (fresh / MARKER).is_file()
    assert cli("build", "--out", str(fresh)).exit_code == 0  # ours now: building again is fine
    assert not (sample / "site").exists()


def test_build_json_and_help(sample, cli):
    import json

    result = cli("build", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["written"] > 0 and data["removed"] == 0 and data["out"] == str(sample / "site")
    assert "--drafts" in cli("build", "--help").stdout
    assert "--port" in cli("serve", "--help").stdout


def test_base_url_with_a_path(sample):
    toml = sample / "blog.toml"
    toml.write_text(toml.read_text().replace('base_url = "https://example.org/"', 'base_url = "https://example.org/blog/"'))
    build(sample)
    page = (sample / "site/who-rides-after-midnight/index.html").read_text()
    assert 'href="/blog/why-the-night-bus/"' in page and 'src="/blog/images/n29-tally.svg"' in page
    assert 'href="/blog/assets/style.css"' in page
    feed = (sample / "site/feed.xml").read_text()
    assert "https://example.org/blog/images/n29-tally.svg" in feed


# --- done when: the next part goes out --------------------------------------------------------------


def test_publishing_the_next_part_updates_navigation_and_teasers(sample, cli, monkeypatch):
    build(sample)
    assert "Next week I'll look at what changed after the 2011 cut." in (sample / "drafts/drawing-the-timetable.md").read_text()
    monkeypatch.setenv("BLOG_NOW", "2026-11-30T09:00:00+00:00")
    result = cli("publish", "drawing-the-timetable")
    assert result.exit_code == 0, result.stderr
    site = sample / "site"
    part2 = (site / "who-rides-after-midnight/index.html").read_text()
    part3 = (site / "drawing-the-timetable/index.html").read_text()
    assert "Part 2 of 3" in part2 and 'rel="next" href="/drawing-the-timetable/"' in part2
    assert "Promised next" in part2 and 'class="kept" href="/drawing-the-timetable/"' in part2  # backfill
    assert "Part 3 of 3" in part3 and 'rel="prev" href="/who-rides-after-midnight/"' in part3
    assert "Coming next" in part3 and "What changed after the 2011 cut" in part3
    series = (site / "series/night-bus-notebook/index.html").read_text()
    assert "Drawing the Timetable" in series and "What changed after the 2011 cut" in series
    assert "drawing-the-timetable" in (site / "feed.xml").read_text()


def test_static_file_wins_over_generated_page(sample):
    (sample / "static/404.html").write_text("<p>my own 404</p>")
    result = build(sample)
    assert (sample / "site/404.html").read_text() == "<p>my own 404</p>"
    assert not result.warnings


def test_post_slug_taken_by_a_site_folder_is_left_out_with_a_warning(sample):
    write_post(sample, "published/tags.md", "title: Tags\ndate: 2026-11-01T09:00:00+00:00")
    result = build(sample)
    assert any("published/tags.md" in w for w in result.warnings)
    assert "Tags" in (sample / "site/tags/index.html").read_text()


def test_build_after_a_killed_build_removes_its_temp_files(sample):
    build(sample)
    stray = [sample / "site/why-the-night-bus/.index.html.999.abcdef.tmp", sample / ".blog/cache/.build.json.999.abcdef.tmp"]
    for path in stray:
        path.write_text("half")
    (sample / ".blog/cache/build.running").touch()  # as a build killed midway leaves it
    build(sample)
    assert not any(path.exists() for path in stray)
    assert not (sample / ".blog/cache/build.running").exists()


# --- worker processes -----------------------------------------------------------------------------


def test_a_killed_worker_does_not_stop_the_build(corpus, tmp_path):
    """Workers SIGKILLed mid-build (as the OOM killer would): the build ends, says so, and its
    site is the same as a build whose workers lived."""
    import subprocess
    import sys

    expected = build_site(Workspace.open(corpus), out=tmp_path / "expected")
    assert expected.rendered_posts > 48 and not expected.warnings
    env = {**os.environ, "BLOG_ROOT": str(corpus), "BLOG_CRASH_AT": "build:worker-chunk#3"}
    done = subprocess.run([sys.executable, "-m", "blogcli", "build"], env=env, cwd=corpus,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "warning: a worker process stopped (" in done.stderr
    assert tree(corpus / "site") == tree(tmp_path / "expected")


def double(settings, items):
    """A pool job for the tests below (module-level, as every job is)."""
    return [item * 2 for item in items]


class StuckExecutor:
    """An executor whose futures never complete, as seen under heavy load once a worker died."""

    def __init__(self, processes=None):
        if processes is not None:
            self._processes = processes

    def submit(self, *args):
        from concurrent.futures import Future

        return Future()

    def shutdown(self, wait=True, cancel_futures=False):
        pass


class DeadProcess:
    exitcode = -9

    def kill(self):
        pass


def test_a_dead_worker_the_pool_missed_is_not_waited_for():
    """A worker gone while its chunk's future never completes: the wait notices within a poll
    (through the executor's private `_processes`) and does the chunks here."""
    from blogcli.site.pool import WorkerPool

    warnings: list[str] = []
    pool = WorkerPool(None, warnings, StuckExecutor({1: DeadProcess()}))
    chunks = [pool.submit(double, [1, 2]), pool.submit(double, [3])]
    assert sorted(x for result in pool.results(chunks) for x in result) == [2, 4, 6]
    assert pool.broken and warnings == [
        "a worker process stopped (killed by signal 9); the rest of the site was rendered in the main process"
    ]
    assert pool.submit(double, [4]).future is None  # later work stays in this process


def test_without_the_private_attribute_a_broken_pool_is_still_noticed():
    """The fallback when `_processes` is missing: a dead worker is known by BrokenProcessPool alone."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from blogcli.site.pool import WorkerPool

    class BreakingExecutor(StuckExecutor):
        def submit(self, *args):
            future = Future()
            future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
            return future

    warnings: list[str] = []
    pool = WorkerPool(None, warnings, BreakingExecutor())
    assert pool._dead_worker() is None  # nothing to read without the attribute
    chunks = [pool.submit(double, [1, 2]), pool.submit(double, [3])]
    assert sorted(x for result in pool.results(chunks) for x in result) == [2, 4, 6]
    assert pool.broken and warnings == [
        "a worker process stopped (its pool broke); the rest of the site was rendered in the main process"
    ]


def test_work_no_worker_has_started_is_done_here_and_the_rest_by_the_workers():
    """`shared_results`: while the workers start, this process takes every chunk none of them has
    begun (the executor's pending futures, cancelled there), from the last one back; a chunk a
    worker runs is left to it, and no chunk is done twice."""
    from concurrent.futures import Future

    from blogcli.site.pool import WorkerPool

    class StartingExecutor(StuckExecutor):
        """Its first chunk is already with a worker (running), the rest still queued."""

        def __init__(self):
            self.futures = []

        def submit(self, fn, job, items):
            future = Future()
            if not self.futures:
                future.set_running_or_notify_cancel()
            self.futures.append((future, items))
            return future

    executor = StartingExecutor()
    pool = WorkerPool(None, [], executor)
    chunks = [pool.submit(double, [n]) for n in range(4)]
    results = pool.shared_results(chunks)
    assert next(results) == [6] and next(results) == [4] and next(results) == [2]
    started, items = executor.futures[0]
    assert not started.cancelled() and all(future.cancelled() for future, _ in executor.futures[1:])
    started.set_result(double(None, items))  # the worker finishes its chunk
    assert list(results) == [[0]]


def test_a_build_that_changes_nothing_rewrites_no_file(sample):
    """Not even its manifest: a second build with nothing changed leaves every file's mtime."""
    build_site(Workspace.open(sample))
    manifest = sample / ".blog/cache/build.json"
    stamps = {path: path.stat().st_mtime_ns for path in [manifest, *(sample / "site").rglob("*")] if path.is_file()}
    result = build_site(Workspace.open(sample))
    assert result.written == 0 and result.removed == 0
    assert {path: path.stat().st_mtime_ns for path in stamps} == stamps


def test_another_pygments_release_makes_every_page_again(sample, monkeypatch):
    """Pygments colours code blocks, and its releases differ in bytes (2.19 writes `'` as `&#39;`):
    its version is part of every page's key, as the Markdown engine's is."""
    import pygments

    build(sample)
    assert build(sample).rendered_posts == 0
    monkeypatch.setattr(pygments, "__version__", "99.0")
    assert build(sample).rendered_posts == 3
