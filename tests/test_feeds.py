"""Atom feeds: valid for a real parser, absolute URLs, ids that never change once published."""

from __future__ import annotations

import datetime as dt
import types

import feedparser
from hypothesis import given
from hypothesis import strategies as st
import pytest

from blogcli.site.builder import build_site
from blogcli.site.feeds import entry_id
from blogcli.workspace.store import Workspace

BASE = "https://example.org/"


def built(root):
    build_site(Workspace.open(root))
    return root / "site"


def parse(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_blog_feed_is_valid_atom_with_absolute_urls(sample):
    feed = parse(built(sample) / "feed.xml")
    assert feed.feed.title == "Notes from the Last Stop"
    assert feed.feed.link == BASE
    assert any(link.rel == "self" and link.href == BASE + "feed.xml" for link in feed.feed.links)
    assert [e.link for e in feed.entries] == [BASE + "who-rides-after-midnight/", BASE + "why-the-night-bus/", BASE + "about-this-notebook/"]
    newest = feed.entries[0]
    assert newest.title == "Who Rides After Midnight"
    assert newest.published == "2026-11-09T09:00:00+00:00"
    assert newest.updated == "2026-11-09T09:00:00+00:00"  # edited before it went out: no later update
    assert [t.term for t in newest.tags] == ["transport", "fieldwork", "work"]
    html = newest.content[0].value
    assert f'src="{BASE}images/n29-tally.svg"' in html and f'href="{BASE}why-the-night-bus/"' in html
    for entry in feed.entries:
        assert entry.id.startswith("tag:example.org,2026-")
    assert feed.feed.updated == "2026-11-09T09:00:00+00:00"


def test_series_feed(sample):
    feed = parse(built(sample) / "series/night-bus-notebook/feed.xml")
    assert feed.feed.title == "The Night Bus Notebook · Notes from the Last Stop"
    assert feed.feed.link == BASE + "series/night-bus-notebook/"
    assert [e.title for e in feed.entries] == ["Who Rides After Midnight", "Why the Night Bus?"]


def test_entry_ids_are_stable_across_renames_and_rebuilds(sample, cli):
    site = built(sample)
    ids = {e.link: e.id for e in parse(site / "feed.xml").entries}
    original = ids[BASE + "about-this-notebook/"]
    assert original == "tag:example.org,2026-10-26:/about-this-notebook/"
    assert cli("rename", "about-this-notebook", "Who writes here").exit_code == 0
    renamed = {e.link: e.id for e in parse(built(sample) / "feed.xml").entries}
    assert renamed[BASE + "who-writes-here/"] == original
    assert renamed[BASE + "why-the-night-bus/"] == ids[BASE + "why-the-night-bus/"]


def test_front_matter_id_wins():
    post = types.SimpleNamespace(meta={"id": "urn:uuid:1234"}, slug="x", date=None, created=None)
    assert entry_id(post, types.SimpleNamespace(base_url=BASE)) == "urn:uuid:1234"


@pytest.mark.parametrize("title", ["Control\x01char & <b>bold</b>", "Ünïcode — “quotes”", "]]> CDATA end"])
def test_awkward_titles_keep_the_feed_valid(sample, title):
    import json

    (sample / "published/awkward.md").write_text(
        f"---\ntitle: {json.dumps(title)}\ndate: 2026-11-20T09:00:00+00:00\n---\n\nText with a [link](why-the-night-bus.md).\n"
    )
    feed = parse(built(sample) / "feed.xml")
    assert feed.entries[0].title == title.replace("\x01", "")


def test_sitemap_lists_public_pages_only(sample):
    import xml.etree.ElementTree as ET

    site = built(sample)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    locs = [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)]
    assert BASE in locs and BASE + "why-the-night-bus/" in locs and BASE + "series/night-bus-notebook/" in locs
    assert all(loc.startswith(BASE) for loc in locs)
    assert not any("drawing-the-timetable" in loc for loc in locs)


@given(st.text())
def test_feed_text_is_escaped_exactly_as_the_standard_library_escapes_it(text):
    from xml.sax.saxutils import escape, quoteattr

    from blogcli.site.feeds import _attr, _text
    from blogcli.site.views import printable

    assert _text(text) == escape(printable(text))
    assert _attr(text) == quoteattr(printable(text))


def _plain_sitemap(base_url: str, list_pages: int, posts: list, other_paths: list[str], tz) -> str:
    """The sitemap as the standard library would write it: each absolute URL escaped whole."""
    from urllib.parse import quote
    from xml.sax.saxutils import escape

    from blogcli.model.dates import format_datetime
    from blogcli.site.views import printable

    safe = "/!$&'()*+,;=:@~"
    urls = [(base_url, None)] + [(f"{base_url}page/{n}/", None) for n in range(1, list_pages + 1)]
    urls += [(f"{base_url}{quote(slug, safe=safe)}/", format_datetime(moment, tz) if moment else None) for slug, moment in posts]
    urls += [(base_url + quote(path, safe=safe), None) for path in other_paths]
    lines = [f"  <url><loc>{escape(printable(loc))}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"
             for loc, lastmod in urls]
    return "\n".join(['<?xml version="1.0" encoding="utf-8"?>',
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', *lines, "</urlset>"]) + "\n"


_MOMENTS = st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(9000, 1, 1),
                        timezones=st.just(dt.timezone(dt.timedelta(hours=-3))))


@given(base_url=st.sampled_from(["https://example.org/", "https://example.org/a&b <c>/", "http://x/\x01ü&amp;/"]),
       posts=st.lists(st.tuples(st.text(min_size=1), st.none() | _MOMENTS), max_size=8),
       other_paths=st.lists(st.text(), max_size=4), list_pages=st.integers(0, 3),
       timezone=st.sampled_from(["UTC", "Europe/London", "Asia/Kolkata"]))
def test_the_sitemap_escapes_every_url_as_the_standard_library_would(base_url, posts, other_paths, list_pages, timezone):
    """The sitemap escapes the base URL once and each post's encoded path for what it can hold
    (only `&`): the file is the one escaping each URL whole would make."""
    from blogcli.model.dates import zone
    from blogcli.site.feeds import SitemapItem, make_sitemap

    settings = types.SimpleNamespace(config=types.SimpleNamespace(timezone=timezone))
    made = make_sitemap(settings, SitemapItem(base_url, list_pages, posts, other_paths))
    assert made == _plain_sitemap(base_url, list_pages, posts, other_paths, zone(timezone)).encode("utf-8")


# -- the sitemap's kept chunks (.blog/cache/sitemap-posts) ----------------------------------------


def _dated_posts(count: int) -> list:
    """(slug, last change) of `count` posts, newest first; every seventh has no date."""
    start = dt.datetime(2020, 1, 1, 9, tzinfo=dt.timezone.utc)
    return [(f"post-{n}", start + dt.timedelta(days=n) if n % 7 else None) for n in range(count, 0, -1)]


@pytest.fixture
def chunked(tmp_path, monkeypatch):
    """make_sitemap of a blog in chunks of three posts, and the sitemap it must give."""
    from blogcli.model.dates import zone
    from blogcli.site import feeds

    monkeypatch.setattr(feeds, "SITEMAP_CHUNK", 3)
    settings = types.SimpleNamespace(root=str(tmp_path), config=types.SimpleNamespace(timezone="Europe/London"))

    def made(posts):
        return feeds.make_sitemap(settings, feeds.SitemapItem(BASE, 2, posts, ["tags/", "archive/"]))

    def plain(posts):
        return _plain_sitemap(BASE, 2, posts, ["tags/", "archive/"], zone("Europe/London")).encode("utf-8")

    return made, plain, tmp_path / ".blog/cache/sitemap-posts"


def _formatted(monkeypatch) -> list:
    """The moments the sitemap formats from now on (its posts' lines made, not kept)."""
    from blogcli.model import dates

    seen, real = [], dates.format_datetime
    monkeypatch.setattr(dates, "format_datetime", lambda moment, tz: seen.append(moment) or real(moment, tz))
    return seen


def test_a_big_blogs_sitemap_keeps_its_posts_lines_and_a_new_post_remakes_the_newest_chunk_only(chunked, monkeypatch):
    made, plain, cache = chunked
    posts = _dated_posts(10)
    newer = [("post-11", dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc))] + posts
    edited = [(slug, moment + dt.timedelta(hours=1) if slug == "post-2" else moment) for slug, moment in newer]
    expected = {id(version): plain(version) for version in (posts, newer, edited)}
    assert made(posts) == expected[id(posts)] and cache.is_file()
    formatted = _formatted(monkeypatch)  # (from here on)
    assert made(posts) == expected[id(posts)] and formatted == []  # every chunk kept
    assert made(newer) == expected[id(newer)]
    assert formatted == [newer[0][1], newer[1][1]]  # the newest chunk: the new post and the one before it
    formatted.clear()
    assert made(edited) == expected[id(edited)] and len(formatted) == 3  # the chunk of the post changed
    assert made(posts[:2]) == plain(posts[:2])  # a blog of one chunk: no file needed


def _rewritten(cache, change) -> None:
    """The cache file with each chunk's text changed by `change`, its CRC32 and length made right."""
    import zlib

    data, records, at = cache.read_bytes(), [], 0
    while at < len(data):
        end = data.index(b"\n", at)
        key, _crc, size = data[at:end].split(b" ")
        body = change(data[end + 1 : end + 1 + int(size)])
        records.append(b"%s %08x %d\n%s" % (key, zlib.crc32(body), len(body), body))
        at = end + 1 + int(size)
    cache.write_bytes(b"".join(records))


@pytest.mark.parametrize("change", [
    lambda body: body.replace(b"</loc>", b"</loc><script>alert(1)</script>", 1),  # markup
    lambda body: body.replace(b"post-", b"evil-&-", 1),  # an ampersand that is no entity
    lambda body: body.split(b"\n", 1)[-1],  # a post's line missing
    lambda body: body[:-3] + "é".encode("latin-1"),  # not UTF-8
], ids=["markup", "bare-ampersand", "a-line-missing", "not-utf8"])
def test_a_crafted_chunk_is_made_again(chunked, change, monkeypatch):
    made, plain, cache = chunked
    posts = _dated_posts(10)
    expected = plain(posts)
    made(posts)
    _rewritten(cache, change)
    formatted = _formatted(monkeypatch)
    assert made(posts) == expected and formatted
    formatted.clear()
    assert made(posts) == expected and not formatted  # written afresh


def test_a_garbled_truncated_or_odd_cache_file_is_no_cache(chunked, tmp_path):
    import os

    made, plain, cache = chunked
    posts = _dated_posts(10)
    made(posts)
    whole = cache.read_bytes()
    for data in (whole[: len(whole) // 2], b"garbage\n" + whole, b"x 0 -5\n" + whole, b"\x00" * 100, whole[:40]):
        cache.write_bytes(data)
        assert made(posts) == plain(posts)
    cache.unlink()
    os.mkfifo(cache)  # never opened: a FIFO would block the read
    assert made(posts) == plain(posts)
    cache.unlink()
    outside = tmp_path / "outside.txt"
    outside.write_bytes(whole)
    cache.symlink_to(outside)  # neither read nor written through
    assert made(posts) == plain(posts) and outside.read_bytes() == whole and cache.is_symlink()


# -- the feed entries' kept bodies (.blog/cache/feed-bodies.sqlite) ------------------------------


def test_a_kept_body_is_used_under_its_exact_key_only(tmp_path):
    from blogcli.site.feeds import forget_bodies_but, keep_bodies, kept_bodies

    settings = types.SimpleNamespace(root=str(tmp_path))
    assert kept_bodies(settings, [("published/a.md", "k1")]) == {}
    assert not (tmp_path / ".blog").exists()  # reading makes no store
    keep_bodies(settings, [("published/a.md", "k1", "<p>a</p>"), ("published/b.md", "k1", "<p>b ü</p>")])
    keep_bodies(settings, [("published/a.md", "k2", "<p>a, again</p>")])
    wanted = [("published/a.md", "k1"), ("published/b.md", "k1"), ("published/c.md", "k1")]
    assert kept_bodies(settings, wanted) == {"published/b.md": "<p>b ü</p>"}
    assert kept_bodies(settings, [("published/a.md", "k2")]) == {"published/a.md": "<p>a, again</p>"}
    forget_bodies_but(settings, {"published/b.md"})
    assert kept_bodies(settings, [("published/a.md", "k2"), ("published/b.md", "k1")]) == {"published/b.md": "<p>b ü</p>"}


WRITER = """
import os, sys, time, types
from blogcli.site.feeds import keep_bodies
root, name, go = sys.argv[1], sys.argv[2], sys.argv[3]
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
for chunk in range(40):
    keep_bodies(types.SimpleNamespace(root=root),
                [(f"published/{name}-{chunk}-{n}.md", f"key {name}", f"<p>{name} {chunk} {n}</p>" + "x" * 8000)
                 for n in range(25)])
"""


def test_two_workers_keep_bodies_at_once(tmp_path):
    """The two post workers write the store at the same time, a transaction per chunk: each waits
    for the other's, and every body of both is kept."""
    import subprocess
    import sys

    from blogcli.site.feeds import kept_bodies

    go = tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name, str(go)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for name in ("one", "two")]
    try:
        for writer in writers:
            assert writer.stdout.readline() == "ready\n"
        go.touch()  # both start writing now
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0 and not err, err
    finally:
        for writer in writers:
            writer.kill()
    settings = types.SimpleNamespace(root=str(tmp_path))
    for name in ("one", "two"):
        wanted = [(f"published/{name}-{chunk}-{n}.md", f"key {name}") for chunk in range(40) for n in range(25)]
        kept = {}
        for start in range(0, len(wanted), 500):
            kept.update(kept_bodies(settings, wanted[start : start + 500]))
        assert kept == {rel: f"<p>{name} {rel.split('-')[1]} {rel.split('-')[2][:-3]}</p>" + "x" * 8000 for rel, _key in wanted}
