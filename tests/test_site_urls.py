"""Where the site's links go: local links kept exactly as written (query, fragment, percent-encoding),
one decoding rule for check and the site, tags that slug alike kept apart, non-ASCII slugs
percent-encoded in every URL while folders keep the Unicode name."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from blogcli.model.links import static_path
from blogcli.ops.check import check_posts
from blogcli.site.builder import build_site
from blogcli.site.urls import link_rewriter, url_for
try:
    from blogcli.site.urls import tag_slugs
except ImportError:
    tag_slugs = None
from blogcli.workspace.store import Workspace

BASE_URL = "https://example.org/"


def post(root: Path, slug: str, header: str, body: str = "Some text.\n", folder: str = "published") -> None:
    (root / folder / f"{slug}.md").write_text(f"---\n{header.strip()}\n---\n\n{body}", encoding="utf-8")


def set_base_url(root: Path, url: str) -> None:
    toml = root / "blog.toml"
    toml.write_text(re.sub(r'^(?:# )?base_url = "[^"]*".*$', f'base_url = "{url}"', toml.read_text(), count=1, flags=re.M))


def urls_in(html: str) -> list[str]:
    """Every href and src in `html`, in document order, as a browser reads them (entities decoded)."""
    found: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(value for key, value in attrs if key in ("href", "src") and value is not None)

    Collect().feed(html)
    return found


def in_order(page: str) -> list[str]:
    """The URLs of a post page's body."""
    return urls_in(page.split('<div class="content">', 1)[1].split("</div>", 1)[0])


LINKS = (
    "[q](/search?q=a%20b&x=1#frag) [f](files/report.pdf#page=2) [s](my%20file.pdf) ![i](images/a%23b.png)\n"
    "[o](other.md#part-2) [o2](../published/other.md?x=1#top) [sp](<my file.pdf>) [st](static/images/a%20b.png)\n"
)
EXPECTED = ["/search?q=a%20b&x=1#frag", "/files/report.pdf#page=2", "/my%20file.pdf", "/images/a%23b.png",
            "/other/#part-2", "/other/?x=1#top", "/my%20file.pdf", "/images/a%20b.png"]


@pytest.fixture
def linked(empty_blog) -> Path:
    set_base_url(empty_blog, BASE_URL)
    post(empty_blog, "other", "title: Other\ndate: 2026-11-01T09:00:00+00:00")
    post(empty_blog, "links", "title: Links\ndate: 2026-11-02T09:00:00+00:00", LINKS)
    return empty_blog


def test_local_links_keep_their_query_fragment_and_encoding_on_the_page(linked):
    build_site(Workspace.open(linked))
    assert in_order((linked / "site/links/index.html").read_text()) == EXPECTED


def test_the_feed_carries_the_same_links_made_absolute(linked):
    build_site(Workspace.open(linked))
    feed = feedparser.parse((linked / "site/feed.xml").read_bytes())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.title == "Links")
    assert urls_in(entry.content[0].value) == ["https://example.org" + url for url in EXPECTED]


def test_a_base_path_goes_in_front_of_every_local_link(linked):
    set_base_url(linked, "https://example.org/blog/")
    build_site(Workspace.open(linked))
    assert in_order((linked / "site/links/index.html").read_text()) == ["/blog" + url for url in EXPECTED]


@pytest.mark.parametrize(("written", "expected"), [
    ("https://example.org/a?b#c", "https://example.org/a?b#c"),
    ("//cdn.example.org/x.js", "//cdn.example.org/x.js"),
    ("#notes", "#notes"),
    ("mailto:a@example.org", "mailto:a@example.org"),
    ("other.md", "/blog/other/"),
    ("./other.md#x", "/blog/other/#x"),
    ("%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82.md", "/blog/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/"),
    ("images/a.png", "/blog/images/a.png"),
    ("/images/a.png?v=2", "/blog/images/a.png?v=2"),
    ("static/images/a%2Bb.png", "/blog/images/a%2Bb.png"),
    ("../../images/a.png", "/blog/images/a.png"),
    ("images/../../secret", "images/../../secret"),  # leaves static/: left as written
    ("?page=2", "?page=2"),
])
def test_the_rewriter_changes_only_where_a_local_link_points(written, expected):
    assert link_rewriter("/blog/")(written) == expected


@given(st.lists(st.sampled_from(["images", "a b", "a%20b", "a%23b", "%C3%A9t%C3%A9", "x.png", "static", "..", "%2E%2E",
                                 "q?x=1", "f#y", "é"]), min_size=1, max_size=4))
def test_check_and_the_site_decode_a_path_alike(segments):
    written = "/".join(segments)
    rewritten = link_rewriter("/")(written)
    looked_for = static_path(written)
    if looked_for is None:
        assert rewritten == written
    else:
        assert unquote(urlsplit(rewritten).path) == "/" + looked_for


def test_check_finds_files_by_the_decoded_path(empty_blog):
    images = empty_blog / "static" / "images"
    images.mkdir(parents=True)
    (images / "a b.png").write_bytes(b"png")
    (images / "a#b.png").write_bytes(b"png")
    post(empty_blog, "pics", "title: Pics\ndate: 2026-11-01T09:00:00+00:00",
         "![s](images/a%20b.png) ![h](images/a%23b.png) ![q](images/a%20b.png?v=1#x)\n\n![m](images/c%20d.png)\n")
    found = check_posts(Workspace.open(empty_blog))
    assert [(p.code, p.line) for p in found] == [("missing-image", 8)]
    assert "static/images/c d.png" in found[0].message


# --- tags -------------------------------------------------------------------------------------------


TAGS = ["C", "C++", "C#", "привет мир", "東京の夜", "Python", "python", "c-2"]


@pytest.fixture
def tagged(empty_blog) -> Path:
    set_base_url(empty_blog, BASE_URL)
    for n, tag in enumerate(TAGS):
        post(empty_blog, f"post-{n}", f'title: Post {n}\ndate: 2026-11-{n + 1:02}T09:00:00+00:00\ntags: ["{tag}"]')
    return empty_blog


def test_tags_that_slug_alike_get_pages_of_their_own(tagged):
    build_site(Workspace.open(tagged))
    site = tagged / "site"
    listing = (site / "tags/index.html").read_text()
    urls = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', listing)
    names = [name for _, name in urls]
    assert sorted(names) == sorted(["C", "C++", "C#", "привет мир", "東京の夜", "Python", "c-2"])  # Python = python
    assert len({url for url, _ in urls}) == len(urls)
    for url, name in urls:
        assert url.isascii(), url  # non-ASCII slugs are percent-encoded in links
        folder = unquote(url)  # ...and the folder keeps the Unicode name
        page = (site / folder.lstrip("/") / "index.html").read_text()
        assert f"<h1 class=\"page-title\">Tagged “{name}”</h1>" in page
    python = dict((name, url) for url, name in urls)["Python"]
    page = (site / unquote(python).lstrip("/") / "index.html").read_text()
    assert "Post 5" in page and "Post 6" in page  # one tag, however it is capitalised


def test_a_post_links_to_its_own_tag_page(tagged):
    build_site(Workspace.open(tagged))
    site = tagged / "site"
    for n, tag in enumerate(TAGS):
        page = (site / f"post-{n}/index.html").read_text()
        (href,) = re.findall(r'<ul class="tags" aria-label="Tags">\s*<li><a href="([^"]+)">', page)
        target = (site / unquote(href).lstrip("/") / "index.html").read_text()
        shown = re.search(r'<h1 class="page-title">Tagged “([^”]+)”</h1>', target).group(1)
        assert shown.lower() == tag.lower() and f"Post {n}</a>" in target, (tag, href)


def test_colliding_tags_are_numbered_in_sorted_order_whatever_the_post_order():
    expected = tag_slugs(["C", "C#", "C++", "c-2"])
    assert tag_slugs(["c-2", "C++", "C#", "C"]) == expected
    assert tag_slugs(["C#", "c-2", "C", "C++"]) == expected
    assert expected == {"c": "c", "c#": "c-3", "c++": "c-4", "c-2": "c-2"}  # "c-2" is a tag's own slug: skipped


def test_the_sitemap_and_the_feeds_carry_encoded_urls(empty_blog):
    set_base_url(empty_blog, BASE_URL)
    slug = "café-night"  # a file named by hand: its slug is not ASCII, whatever slugify makes of titles
    post(empty_blog, slug, 'title: Night\ndate: 2026-11-01T09:00:00+00:00\ntags: ["東京の夜"]')
    build_site(Workspace.open(empty_blog))
    site = empty_blog / "site"
    assert (site / slug / "index.html").is_file()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [u.findtext("s:loc", namespaces=ns) for u in ET.fromstring((site / "sitemap.xml").read_bytes()).findall("s:url", ns)]
    assert all(loc.isascii() for loc in locs), locs
    assert BASE_URL + url_for(slug).lstrip("/") in locs
    tag_locs = [loc for loc in locs if "/tags/" in loc and loc != BASE_URL + "tags/"]
    assert len(tag_locs) == 1 and (site / unquote(urlsplit(tag_locs[0]).path).lstrip("/") / "index.html").is_file()
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.entries[0].link == BASE_URL + url_for(slug).lstrip("/") and feed.entries[0].link.isascii()
    page = (site / slug / "index.html").read_text()
    assert re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1) == feed.entries[0].link


def test_url_for_percent_encodes_what_a_url_cannot_hold():
    assert url_for("plain-slug") == "/plain-slug/"
    assert url_for("привет") == "/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/"
    assert url_for("a b#c", "/blog/") == "/blog/a%20b%23c/"


def test_a_new_colliding_tag_renames_pages_and_the_build_after_it_equals_a_full_build(empty_blog, tmp_path):
    set_base_url(empty_blog, BASE_URL)
    post(empty_blog, "cpp", 'title: Templates\ndate: 2026-10-01T09:00:00+00:00\ntags: ["C++"]')
    for n in range(10):  # the home page shows ten posts: "cpp" is alone on page/1/
        post(empty_blog, f"later-{n}", f"title: Later {n}\ndate: 2026-11-{n + 1:02}T09:00:00+00:00")
    build_site(Workspace.open(empty_blog))
    assert '<a href="/tags/c/">C++</a>' in (empty_blog / "site/page/1/index.html").read_text()
    post(empty_blog, "later-9", 'title: Later 9\ndate: 2026-11-10T09:00:00+00:00\ntags: ["C"]')
    build_site(Workspace.open(empty_blog))
    incremental = {p.relative_to(empty_blog / "site").as_posix(): p.read_bytes()
                   for p in sorted((empty_blog / "site").rglob("*")) if p.is_file()}
    assert '<a href="/tags/c-2/">C++</a>' in incremental["cpp/index.html"].decode()
    assert '<a href="/tags/c-2/">C++</a>' in incremental["page/1/index.html"].decode()
    build_site(Workspace.open(empty_blog), out=tmp_path / "full")
    full = {p.relative_to(tmp_path / "full").as_posix(): p.read_bytes()
            for p in sorted((tmp_path / "full").rglob("*")) if p.is_file()}
    assert incremental == full


def test_a_non_latin_tag_has_a_page_named_by_its_letters(empty_blog):
    set_base_url(empty_blog, BASE_URL)
    post(empty_blog, "night", 'title: Night\ndate: 2026-11-01T09:00:00+00:00\ntags: ["東京の夜", "Привет"]')
    build_site(Workspace.open(empty_blog))
    site = empty_blog / "site"
    assert (site / "tags/東京の夜/index.html").is_file() and (site / "tags/привет/index.html").is_file()
    page = (site / "night/index.html").read_text()
    assert "/tags/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/" in page


@given(st.text() | st.text(alphabet="abz09-_.~/!$&'()*+,;=:@% #?<>\"é"))
def test_an_output_path_is_percent_encoded_as_quote_encodes_it(path):
    """url_path hands a path that needs no encoding (a slug) back as it is, without quote()."""
    from urllib.parse import quote

    from blogcli.site.urls import url_path

    assert url_path(path) == quote(path, safe="/!$&'()*+,;=:@~")
