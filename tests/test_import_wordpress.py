"""`blog import wordpress`: a small export written for these tests (tests/fixtures/import/wordpress/
blog.xml) holds every case the WordPress theme unit test data shows, in a few posts."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from blogcli.model.comments import parse_comments
from blogcli.model.document import Document
from blogcli.model.slug import slugify

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "wordpress" / "blog.xml"
UTC = __import__("datetime").timezone.utc
SHORTCODE = re.compile(r"\[/?(?:caption|gallery|audio|video|embed)[\s\]=]")


def files(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but its caches, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".blog/cache" not in p.as_posix() and not p.name == "lock"
    }


def meta(root: Path, rel: str) -> dict:
    return Document.from_bytes((root / rel).read_bytes(), rel).parse(rel)


def body(root: Path, rel: str) -> str:
    return Document.from_bytes((root / rel).read_bytes(), rel).body


def imported(cli, *args, source: Path = FIXTURE):
    result = cli("import", "wordpress", str(source), *args)
    assert result.exit_code == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def blog(empty_blog, cli):
    imported(cli)
    return empty_blog


def test_statuses_land_where_this_tool_keeps_them(blog, cli):
    listed = {p["slug"]: p for p in json.loads(cli("list", "--json").stdout)}
    assert listed["fish-and-chips"]["status"] == "published"
    assert listed["coming-in-2030"]["status"] == "scheduled" and listed["coming-in-2030"]["path"].startswith("published/")
    for slug in ("a-draft-idea", "awaiting-review", "just-for-me", "members-only"):
        assert listed[slug]["status"] == "draft", slug
    assert "thrown-away" not in str(listed) and "auto-draft" not in listed
    first = meta(blog, "published/fish-and-chips.md")
    assert str(first["date"]) == "2016-05-02 09:00:00+00:00"  # the GMT date, not the site's local one
    assert meta(blog, "drafts/a-draft-idea.md")["created"].isoformat().startswith("2016-07-01T10:00")
    assert "date" not in meta(blog, "drafts/a-draft-idea.md")
    assert meta(blog, "drafts/just-for-me.md")["import_notes"] == ["private at the source (only its author could read it)"]
    assert "password-protected" in meta(blog, "drafts/members-only.md")["import_notes"][0]
    assert "import_notes" not in meta(blog, "drafts/awaiting-review.md")
    assert all(b"hunter2secret" not in data for data in files(blog).values())


def test_front_matter_keeps_what_wordpress_knew(blog):
    first = meta(blog, "published/fish-and-chips.md")
    assert first["title"] == "Fish & Chips Tonight"  # entities and markup in titles made text
    assert first["tags"] == ["harbour", "Food"] and first["categories"] == ["Food"]  # Uncategorized dropped
    assert first["summary"] == "A night of fish & chips."
    assert first["author"] == "Kim Lee" and first["sticky"] is True
    assert first["image"] == "https://seeds.example.org/wp-content/uploads/2016/05/harbour.jpg"
    assert first["series"] == "Seeds of Change" and first["part"] == 1  # PublishPress Series, no flag needed
    assert meta(blog, "published/second-part.md")["part"] == 2
    assert first["aliases"] == ["2016/05/02/fish-and-chips"]
    assert first["source"] == "wordpress:seeds.example.org/?p=10" and re.fullmatch(r"[0-9a-f]{16}", first["import_digest"])
    assert meta(blog, "drafts/a-draft-idea.md")["title"] == "A Draft Idea"  # empty slug: made from the title
    greek = f"published/{slugify('ελληνικά')}.md"  # percent-decoded before slugify
    assert meta(blog, greek)["title"] == "Ελληνικά"
    assert "title" not in meta(blog, "published/untitled-thoughts.md")
    assert meta(blog, "published/fish-and-chips-2.md")["title"] == "Fish and Chips Again"


def test_content_becomes_markdown(blog):
    text = body(blog, "published/fish-and-chips.md")
    assert "The first paragraph of a classic post.\\\nA second line in the same paragraph.\n\n<!--more-->\n" in text
    assert ("[![The harbour](https://seeds.example.org/wp-content/uploads/2016/05/harbour-300x200.jpg)]"
            "(https://seeds.example.org/wp-content/uploads/2016/05/harbour.jpg)\n*The harbour at dawn*") in text
    assert "[![Boats](https://seeds.example.org/wp-content/uploads/2016/05/boats.jpg)]" in text  # the gallery's images
    assert "<https://www.youtube.com/watch?v=abc123>" in text  # a bare oEmbed URL: a link
    assert "[Audio: interview.mp3](https://seeds.example.org/wp-content/uploads/2016/05/interview.mp3)" in text
    assert '[contact-form to="hello@seeds.example.org" subject="Hi"]' in text  # unknown: kept as text
    assert '```python\ndef greet(name):\n    return f"hello {name} <3"\n```' in text
    assert "Read [the second part](second-part.md) next." in text  # links between imported posts
    assert "\n---\n\nPage two of the post, with **bold** and *snake_case* words." in text
    assert meta(blog, "published/fish-and-chips.md")["import_notes"] == [
        "WordPress page breaks (<!--nextpage-->) became horizontal rules"]
    blocks = body(blog, "published/second-part.md")
    assert "back to [the first part](fish-and-chips.md)." in blocks
    assert "![Boats](https://seeds.example.org/wp-content/uploads/2016/05/boats.jpg)\n*Boats in the rain*" in blocks
    assert "<https://vimeo.com/12345>" in blocks and "<!--more-->" in blocks and "- one\n- two" in blocks
    for rel, data in files(blog).items():
        assert b"<!-- wp:" not in data and not SHORTCODE.search(data.decode("utf-8", "replace")), rel


def test_pages_land_in_pages_with_their_hierarchy_flattened(blog):
    assert meta(blog, "pages/about.md")["title"] == "About"
    contact = meta(blog, "pages/contact.md")
    assert contact["title"] == "Contact Me" and contact["aliases"] == ["about/contact"]
    comments = parse_comments((blog / "pages/contact.comments.yaml").read_bytes(), "c", UTC)
    assert [c.author for c in comments] == ["Page Visitor"]


def test_comments_are_kept_threaded_and_no_address_is_written(blog, cli):
    comments = parse_comments((blog / "published/fish-and-chips.comments.yaml").read_bytes(), "c", UTC)
    by_id = {c.id: c for c in comments}
    assert list(by_id) == ["wp-101", "wp-102", "wp-105", "wp-106", "wp-107"]  # spam, unapproved, trash left out
    assert by_id["wp-101"].body == "Great read!\\\nWhy *chips* though?\n"
    assert by_id["wp-102"].parent == "wp-101" and by_id["wp-102"].by_author
    assert by_id["wp-105"].parent is None  # its parent was never approved
    assert (by_id["wp-106"].kind, by_id["wp-106"].author) == ("pingback", "Another Blog « Notes")
    assert by_id["wp-107"].kind == "trackback"
    source = FIXTURE.read_text(encoding="utf-8")
    addresses = set(re.findall(r"<wp:(?:comment_)?author_email><!\[CDATA\[([^\]]+)\]\]>", source))
    ips = set(re.findall(r"<wp:comment_author_IP><!\[CDATA\[([^\]]+)\]\]>", source))
    assert len(addresses) == 7 and len(ips) == 9
    for rel, data in files(blog).items():
        text = data.decode("utf-8", "replace")
        assert not any(a in text for a in addresses | ips), rel


def test_the_summary_counts_what_was_imported_and_skipped(empty_blog, cli):
    out = " ".join(imported(cli).stdout.split())
    assert "imported from WordPress" in out
    assert "6 posts, 4 drafts, 1 scheduled, 2 pages, 6 comments" in out
    assert "comments not imported: 1 spam, 1 trash, 1 unapproved" in out
    assert "post 25 'Thrown Away': in WordPress's trash" in out
    assert "an auto-draft" in out and "2 attachment items" in out and "1 nav_menu_item item" in out
    assert "the slug 'fish-and-chips' is taken (by published/fish-and-chips.md); written as 'fish-and-chips-2'" in out


def test_json_output_lists_every_change(empty_blog, cli):
    result = imported(cli, "--json")
    report = json.loads(result.stdout)
    assert report["counts"]["posts"] == 6 and report["counts"]["pages"] == 2 and report["counts"]["comments"] == 6
    assert report["comments_not_imported"] == {"spam": 1, "trash": 1, "unapproved": 1}
    created = {c["path"] for c in report["changes"] if c["action"] == "create"}
    assert "published/fish-and-chips.comments.yaml" in created and "pages/contact.md" in created


def test_a_category_can_be_made_a_series(empty_blog, cli):
    imported(cli, "--series-category", "weekly notes")
    assert (meta(empty_blog, "published/fish-and-chips-2.md")["series"], meta(empty_blog, "published/fish-and-chips-2.md")["part"]) == ("Weekly Notes", 1)
    assert meta(empty_blog, "published/weekly-later.md")["part"] == 2
    assert "categories" not in meta(empty_blog, "published/weekly-later.md")


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_wxr_version_and_namespace_spelling(empty_blog, cli, tmp_path, version, scheme):
    text = FIXTURE.read_text(encoding="utf-8").replace("http://wordpress.org/export/1.2/", f"{scheme}://wordpress.org/export/{version}/")
    source = tmp_path / "export.xml"
    source.write_text(text, encoding="utf-8")
    imported(cli, source=source)
    assert meta(empty_blog, "published/fish-and-chips.md")["summary"] == "A night of fish & chips."
    assert (empty_blog / "published/fish-and-chips.comments.yaml").is_file()


def test_a_second_import_changes_nothing(blog, cli):
    before = files(blog)
    out = imported(cli).stdout
    assert "nothing new" in out and "already here: 13 unchanged" in out
    assert files(blog) == before


def test_dry_run_shows_the_plan_and_writes_nothing(empty_blog, cli):
    before = files(empty_blog)
    result = imported(cli, "--dry-run")
    assert files(empty_blog) == before
    lines = " ".join(result.stdout.split())
    assert "would import from WordPress" in lines and "create │ published/fish-and-chips.md" in lines.replace("│ published", "│ published")
    assert "skip" in result.stdout and "in WordPress's trash" in lines


def test_drafts_only_imports_the_drafts(empty_blog, cli):
    out = " ".join(imported(cli, "--drafts-only").stdout.split())
    assert sorted(p.name for p in (empty_blog / "drafts").glob("*.md")) == [
        "a-draft-idea.md", "awaiting-review.md", "just-for-me.md", "members-only.md"]
    assert not list((empty_blog / "published").glob("*.md")) and not (empty_blog / "pages").exists()
    assert "not a draft at the source (--drafts-only)" in out


def _changed_source(tmp_path: Path, **swaps: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    for old, new in swaps.items():
        assert old in text
        text = text.replace(old, new)
    source = tmp_path / "changed.xml"
    source.write_text(text, encoding="utf-8")
    return source


def test_a_changed_source_updates_unedited_posts_and_leaves_edited_ones(blog, cli, tmp_path):
    edited = blog / "published/second-part.md"
    edited.write_bytes(edited.read_bytes() + b"\nMy own addition.\n")
    unchanged_here = (blog / "published/weekly-later.md").read_bytes()
    source = _changed_source(
        tmp_path,
        **{"The second of the weekly notes.": "The second of the weekly notes, revised.",
           "A block-editor post, back to": "A revised block-editor post, back to",
           "<wp:status><![CDATA[draft]]></wp:status>": "<wp:status><![CDATA[publish]]></wp:status>",
           "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>": "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>"},
    )
    dry = imported(cli, "--dry-run", source=source).stdout
    assert "conflict" in dry and "published/second-part.md" in dry and files(blog)["published/weekly-later.md"] == unchanged_here
    out = imported(cli, source=source).stdout
    assert "revised" in body(blog, "published/weekly-later.md")
    assert edited.read_bytes().endswith(b"My own addition.\n") and b"revised" not in edited.read_bytes()
    assert "conflicts (changed at the source and edited here; left as they are):" in out and "published/second-part.md" in out
    assert (blog / "published/a-draft-idea.md").is_file() and not (blog / "drafts/a-draft-idea.md").exists()  # moved
    comments = parse_comments((blog / "published/fish-and-chips.comments.yaml").read_bytes(), "c", UTC)
    waiting = [c for c in comments if c.id == "wp-104"]
    assert waiting and [c.parent for c in comments if c.id == "wp-105"] == [None]  # merged, never rewritten
    again = imported(cli, source=source).stdout
    assert "already here" in again and "conflict" in again  # still edited here: still a conflict, still untouched


def test_an_edited_post_is_kept_when_the_source_did_not_change(blog, cli):
    post = blog / "published/weekly-later.md"
    post.write_bytes(post.read_bytes().replace(b"The second", b"My second"))
    out = imported(cli).stdout
    assert "1 kept (edited here)" in out and b"My second" in post.read_bytes()


def test_a_post_deleted_here_is_not_brought_back(blog, cli):
    assert cli("delete", "weekly-later", "--force").exit_code == 0
    out = imported(cli).stdout
    assert not (blog / "published/weekly-later.md").exists()
    assert "deleted here (it is in .blog/trash)" in " ".join(out.split())


def test_check_and_build_find_only_what_the_source_had(blog, cli):
    result = cli("check", "--json")
    problems = json.loads(result.stdout)
    errors = [(p["path"], p["code"]) for p in problems if p["severity"] == "error"]
    assert errors == [("published/untitled-thoughts.md", "missing-title")]  # untitled at the source too
    warnings = [p["code"] for p in problems if p["severity"] == "warning"]
    assert warnings == ["unconverted-shortcode"]
    built = cli("build")
    assert built.exit_code == 0, built.stderr
    assert (blog / "site/fish-and-chips/index.html").is_file()
    page = (blog / "site/fish-and-chips/index.html").read_text(encoding="utf-8")
    assert "Fish &amp; Chips Tonight" in page and "<!-- wp:" not in page


def test_pages_do_not_disturb_the_other_commands(blog, cli):
    for args in (("list",), ("list", "--json"), ("series", "list"), ("preview", "fish-and-chips"), ("trash",)):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "pages/" not in result.stdout


# -- bad input ----------------------------------------------------------------------------------


def _refused(cli, root: Path, source: Path, *needles: str) -> str:
    before = files(root)
    result = cli("import", "wordpress", str(source))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert files(root) == before and not (root / ".blog/staging").exists()
    return result.stderr


def test_a_truncated_export_is_refused_with_its_line_and_nothing_written(empty_blog, cli, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    source = tmp_path / "cut.xml"
    source.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    stderr = _refused(cli, empty_blog, source, "not well-formed XML", "nothing was imported")
    line = int(re.search(r"cut\.xml:(\d+):", stderr).group(1))
    assert line == text[: len(text) * 2 // 3].count("\n") + 1


def test_xml_that_is_not_a_wordpress_export_is_refused(empty_blog, cli, tmp_path):
    page = tmp_path / "page.xml"
    page.write_text("<html><body><p>hi</p></body></html>")
    _refused(cli, empty_blog, page, "not a WordPress export", "<html>")
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title></item></channel></rss>')
    _refused(cli, empty_blog, feed, "not a WordPress export", "RSS feed")
    _refused(cli, empty_blog, tmp_path / "missing.xml", "no such file")


@pytest.mark.parametrize("doctype, what", [
    ('<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', "declares XML entities"),
    ('<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "declares XML entities"),
])
def test_entity_bombs_and_external_entities_are_refused(empty_blog, cli, tmp_path, doctype, what):
    text = FIXTURE.read_text(encoding="utf-8").replace("<rss version", doctype + "\n<rss version", 1)
    text = text.replace("<title>Seeds of Change</title>", "<title>&b;</title>" if "ENTITY b" in doctype else "<title>&e;</title>")
    source = tmp_path / "hostile.xml"
    source.write_text(text, encoding="utf-8")
    _refused(cli, empty_blog, source, "refused", what, "nothing was imported")


# -- media ------------------------------------------------------------------------------------


@pytest.fixture
def media_server(tmp_path):
    """A local HTTP server (127.0.0.1, a free port, its own process group) serving two uploads."""
    root = tmp_path / "served"
    uploads = root / "wp-content/uploads/2016/05"
    uploads.mkdir(parents=True)
    (uploads / "harbour.jpg").write_bytes(b"JPEG harbour")
    (uploads / "harbour-300x200.jpg").write_bytes(b"JPEG small harbour")
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1", "0"], cwd=root,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )
    try:
        line = server.stdout.readline()
        port = int(re.search(r"port (\d+)", line).group(1))
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def test_download_media_fetches_the_blogs_files_and_links_them_locally(empty_blog, cli, tmp_path, media_server):
    source = _changed_source(tmp_path, **{"https://seeds.example.org": media_server})
    out = imported(cli, "--download-media", source=source).stdout
    assert (empty_blog / "static/media/2016/05/harbour.jpg").read_bytes() == b"JPEG harbour"
    assert (empty_blog / "static/media/2016/05/harbour-300x200.jpg").read_bytes() == b"JPEG small harbour"
    text = body(empty_blog, "published/fish-and-chips.md")
    assert "[![The harbour](/media/2016/05/harbour-300x200.jpg)](/media/2016/05/harbour.jpg)" in text
    assert meta(empty_blog, "published/fish-and-chips.md")["image"] == "/media/2016/05/harbour.jpg"
    assert f"{media_server}/wp-content/uploads/2016/05/boats.jpg" in text  # not served: its URL is kept
    assert "HTTP 404" in out and "the link is kept as it was" in " ".join(out.split())
    assert not (empty_blog / "static/media/2016/05/boats.jpg").exists()


def test_downloaded_media_are_not_fetched_again(empty_blog, cli, tmp_path, media_server):
    source = _changed_source(tmp_path, **{"https://seeds.example.org": media_server})
    imported(cli, "--download-media", source=source)
    before = files(empty_blog)
    out = imported(cli, "--download-media", source=source).stdout
    assert files(empty_blog) == before and "nothing new" in out


# -- the all-or-nothing write -------------------------------------------------------------------


@pytest.mark.parametrize("point, landed", [("journal:staged#5", False), ("journal:before-commit", False), ("journal:committed", True),
                                           ("journal:applied#7", True)])
def test_a_killed_import_lands_whole_or_not_at_all(empty_blog, point, landed):
    env = {**os.environ, "BLOG_CRASH_AT": point}
    killed = subprocess.run([sys.executable, "-m", "blogcli", "import", "wordpress", str(FIXTURE)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    env.pop("BLOG_CRASH_AT")
    after = subprocess.run([sys.executable, "-m", "blogcli", "list", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert after.returncode == 0, after.stderr
    slugs = {p["slug"] for p in json.loads(after.stdout)}
    assert (len(slugs) == 11) if landed else (slugs == set()), slugs
    assert not (empty_blog / ".blog/journal.json").exists()
    changed = subprocess.run([sys.executable, "-m", "blogcli", "new", "Next", "--no-edit"], env=env, capture_output=True, timeout=120)
    assert changed.returncode == 0 and not (empty_blog / ".blog/staging").exists()  # a killed import's staged files: gone
    assert (empty_blog / "pages/contact.md").exists() == landed


def test_the_theme_unit_test_data_end_to_end(empty_blog, cli):
    """Run when the public theme test data is at $BLOG_THEME_TEST_DATA (not shipped: licence unclear)."""
    path = os.environ.get("BLOG_THEME_TEST_DATA")
    if not path or not Path(path).is_file():
        pytest.skip("set BLOG_THEME_TEST_DATA to themeunittestdata.wordpress.xml to run this")
    imported(cli, source=Path(path))
    listed = json.loads(cli("list", "--json").stdout)
    assert len(listed) == 58 and len(list((empty_blog / "pages").glob("*.md"))) == 21
    problems = json.loads(cli("check", "--json").stdout)
    assert sorted(p["code"] for p in problems if p["severity"] == "error") == ["empty-body", "missing-title"]
    assert cli("build").exit_code == 0
    again = files(empty_blog)
    imported(cli, source=Path(path))
    assert files(empty_blog) == again


def test_a_second_import_does_not_convert_what_the_source_says_again(blog, cli, monkeypatch):
    import blogcli.importers.wp_markup as markup

    def broken(*args, **kwargs):
        raise RuntimeError("converted again")

    monkeypatch.setattr(markup, "content_to_markdown", broken)
    before = files(blog)
    out = " ".join(imported(cli).stdout.split())
    assert "already here: 13 unchanged" in out and "converted again" not in out and files(blog) == before
    shutil.rmtree(blog / ".blog/cache")  # without the cache, every post is converted again (here: fails)
    assert "could not be converted (RuntimeError: converted again)" in " ".join(imported(cli).stdout.split())
    assert files(blog) == {**before, **{k: v for k, v in files(blog).items() if k.startswith(".blog/")}}


def test_many_posts_are_converted_on_worker_processes_exactly_as_in_this_one(tmp_path, cli, monkeypatch):
    from benchmarks import wxr

    from blogcli.importers import parallel

    enough = parallel.MIN_ITEMS
    source = wxr.generate(tmp_path / "many.xml", enough + 30, seed=3)
    roots = []
    for name, minimum in (("workers", enough), ("here", 10**9)):
        root = tmp_path / name
        assert cli("init", str(root), "--title", "Many").exit_code == 0
        monkeypatch.setenv("BLOG_ROOT", str(root))
        monkeypatch.setattr(parallel, "MIN_ITEMS", minimum)
        imported(cli, source=source)
        roots.append(root)
    made = [{k: v for k, v in files(root).items() if not k.startswith(".blog/")} for root in roots]
    assert len(made[0]) > enough and made[0] == made[1]
    import blogcli.site.pool

    def no_workers(*args):
        raise AssertionError("workers started for an import that converts nothing")

    monkeypatch.setattr(parallel, "MIN_ITEMS", enough)
    monkeypatch.setattr(blogcli.site.pool, "spawn_executor", no_workers)
    assert "nothing new" in imported(cli, source=source).stdout  # every post fresh: no worker started


def _seed_export(seed: str) -> str:
    """A one-post WordPress export around the real seed post and its two reader comments."""
    from xml.sax.saxutils import escape

    title, rest = seed.split("\n", 1)
    text, _, tail = rest.partition("\n  1. ")
    first, _, second = tail.partition("\n  2. ")
    first = first.split("Liked by")[0].strip()
    second = second.split("Leave a Reply")[0].strip()
    comments = "".join(
        f"""<wp:comment><wp:comment_id>{n}</wp:comment_id><wp:comment_author>{escape(name)}</wp:comment_author>
        <wp:comment_author_email>reader{n}@mail.example.com</wp:comment_author_email><wp:comment_author_IP>192.0.2.{n}</wp:comment_author_IP>
        <wp:comment_date_gmt>2016-05-0{n + 3} 10:00:00</wp:comment_date_gmt><wp:comment_content>{escape(body)}</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent>
        <wp:comment_user_id>0</wp:comment_user_id></wp:comment>"""
        for n, (name, body) in enumerate((("Devil's Advocate", first), ("Fellow Student", second)), start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title>North Korea, Connected</title><link>https://seeds.wordpress.com</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://seeds.wordpress.com</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>student</wp:author_login><wp:author_email>student@mail.example.com</wp:author_email><wp:author_display_name>The Student</wp:author_display_name></wp:author>
<item><title>{escape(title.strip())}</title><link>https://seeds.wordpress.com/2016/05/03/seeds-of-change/</link>
<dc:creator>student</dc:creator><content:encoded>{escape(text.strip())}</content:encoded><excerpt:encoded></excerpt:encoded>
<wp:post_id>42</wp:post_id><wp:post_date_gmt>2016-05-03 09:00:00</wp:post_date_gmt><wp:post_name>seeds-of-change</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
<category domain="series" nicename="north-korea"><![CDATA[North Korea, Connected]]></category>
<wp:postmeta><wp:meta_key>_series_part</wp:meta_key><wp:meta_value>3</wp:meta_value></wp:postmeta>
{comments}</item></channel></rss>"""


def test_the_seed_post_and_its_two_comments_come_in_and_wait_for_an_answer(empty_blog, cli, tmp_path, seed_text):
    source = tmp_path / "seed.xml"
    source.write_text(_seed_export(seed_text), encoding="utf-8")
    out = " ".join(imported(cli, source=source).stdout.split())
    assert "1 post, 2 comments" in out
    post = meta(empty_blog, "published/seeds-of-change.md")
    assert post["title"] == "Information and Technology: Seeds of Change in North Korea"
    assert (post["series"], post["part"]) == ("North Korea, Connected", 3)
    text = body(empty_blog, "published/seeds-of-change.md")
    assert "Kwangmyong" in text and "so next week let’s see where these ‘seeds’ are being planted." in text
    assert text.count("\n\n") >= 5  # its paragraphs kept apart
    comments = parse_comments((empty_blog / "published/seeds-of-change.comments.yaml").read_bytes(), "c", UTC)
    assert [c.author for c in comments] == ["Devil's Advocate", "Fellow Student"]
    assert "devil’s advocate" in comments[0].body and "autoethnographically" in comments[0].body
    assert all("@" not in data.decode("utf-8", "replace") for data in files(empty_blog).values())
    waiting = json.loads(cli("comments", "--unanswered", "--json").stdout)
    assert [c["author"] for c in waiting] == ["Devil's Advocate", "Fellow Student"]
    (empty_blog / "drafts/part-four.md").write_text(
        "---\ntitle: Seeds, Planted\nseries: North Korea, Connected\npart: 4\n---\n\n"
        "Devil's Advocate asked why I assume progress needs planting from outside.\n", encoding="utf-8")
    assert [c["author"] for c in json.loads(cli("comments", "--unanswered", "--json").stdout)] == ["Fellow Student"]


def test_an_export_with_bytes_that_are_not_utf8_is_refused_with_its_line(empty_blog, cli, tmp_path):
    data = FIXTURE.read_bytes().replace("Καλημέρα.".encode(), b"Caf\xe9 au lait.")
    source = tmp_path / "latin1.xml"
    source.write_bytes(data)
    stderr = _refused(cli, empty_blog, source, "not well-formed XML")
    line = data[: data.index(b"Caf")].count(b"\n") + 1
    assert f"latin1.xml:{line}:" in stderr


def test_a_series_the_import_starts_gets_its_section_in_blog_toml(empty_blog, cli):
    import tomllib

    before = (empty_blog / "blog.toml").read_text(encoding="utf-8")
    dry = json.loads(imported(cli, "--series-category", "Weekly Notes", "--dry-run", "--json").stdout)
    assert {(c["kind"], c["path"], c["reason"]) for c in dry["changes"] if c["kind"] == "series"} == {
        ("series", "blog.toml", "[series.seeds-of-change] added"), ("series", "blog.toml", "[series.weekly-notes] added")}
    assert (empty_blog / "blog.toml").read_text(encoding="utf-8") == before
    imported(cli, "--series-category", "Weekly Notes")
    text = (empty_blog / "blog.toml").read_text(encoding="utf-8")
    assert text.startswith(before.rstrip("\n"))  # the author's own lines and comments kept
    series = tomllib.loads(text)["series"]
    assert series["seeds-of-change"]["title"] == "Seeds of Change" and series["weekly-notes"]["title"] == "Weekly Notes"
    imported(cli, "--series-category", "Weekly Notes")
    assert (empty_blog / "blog.toml").read_text(encoding="utf-8") == text  # once
