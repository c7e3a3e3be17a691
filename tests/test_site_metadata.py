"""What the site's pages say about themselves and their series (issue 13, the site's part): the
series feed in a post's <head>, OpenGraph, Twitter card and schema.org JSON-LD (as jekyll-seo-tag
and Hugo's internal templates give them), a real favicon, the series and part in tag and archive
lists, and a promise box that says each thing once and can wrap."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from blogcli.site.builder import build_site
from blogcli.site.theme import PACKAGE_STATIC
from blogcli.workspace.store import Workspace


class Head(HTMLParser):
    """The <meta>, <link> and JSON-LD of a page, and the text of every element with a class."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in_json = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), []).append(attrs["content"])
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]


def build(root: Path) -> Path:
    build_site(Workspace.open(root))
    return root / "site"


def set_header(post: Path, key: str, value: str) -> None:
    text = post.read_text(encoding="utf-8")
    text = re.sub(rf"^{key}: .*\n", "", text, flags=re.M)
    post.write_text(text.replace("---\n", f"---\n{key}: {value}\n", 1), encoding="utf-8")


def test_a_post_in_a_series_links_the_series_feed_from_its_head(sample):
    site = build(sample)
    for page in ("who-rides-after-midnight/index.html", "why-the-night-bus/index.html",
                 "series/night-bus-notebook/index.html"):
        feeds = [link for link in Head((site / page).read_text()).links if link.get("rel") == "alternate"]
        assert {"type": "application/atom+xml", "title": "The Night Bus Notebook",
                "href": "/series/night-bus-notebook/feed.xml", "rel": "alternate"} in feeds, page
        assert any(link["href"] == "/feed.xml" for link in feeds), page  # the blog's own feed stays
    outside = Head((site / "about-this-notebook/index.html").read_text()).links
    assert [link["href"] for link in outside if link.get("rel") == "alternate"] == ["/feed.xml"]


def test_a_post_page_has_opengraph_twitter_and_json_ld(sample):
    site = build(sample)
    head = Head((site / "who-rides-after-midnight/index.html").read_text())
    url = "https://example.org/who-rides-after-midnight/"
    summary = "Three nights of counting, and the people behind the numbers."
    assert head.one("og:type") == "article"
    assert head.one("og:title") == "Who Rides After Midnight"
    assert head.one("og:url") == url
    assert head.one("og:description") == summary
    assert head.one("og:site_name") == "Notes from the Last Stop"
    assert head.one("og:locale") == "en"
    assert head.one("article:published_time") == "2026-11-09T09:00:00+00:00"
    assert "article:modified_time" not in head.meta  # its `updated` is before its date: no later change
    assert head.meta["article:tag"] == ["transport", "fieldwork", "work"]
    assert "og:image" not in head.meta  # the post has no `image:`
    assert head.one("twitter:card") == "summary"
    assert head.one("twitter:title") == "Who Rides After Midnight"
    assert head.one("twitter:description") == summary

    [data] = head.json_ld
    posting = json.loads(data)
    assert posting == {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": "Who Rides After Midnight",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": "2026-11-09T09:00:00+00:00",
        "dateModified": "2026-11-09T09:00:00+00:00",
        "author": {"@type": "Person", "name": "Robin Okafor"},
        "description": summary,
        "inLanguage": "en",
        "keywords": ["transport", "fieldwork", "work"],
        "wordCount": posting["wordCount"],
        "isPartOf": {"@type": "CreativeWorkSeries", "name": "The Night Bus Notebook",
                     "url": "https://example.org/series/night-bus-notebook/"},
        "position": 2,
    }
    assert posting["wordCount"] > 100


def test_a_post_with_an_image_names_it_for_cards_and_an_update_is_the_modified_time(sample):
    post = sample / "published/why-the-night-bus.md"
    set_header(post, "image", "images/n29-tally.svg")
    set_header(post, "updated", "2026-11-20T08:00:00+00:00")
    (sample / "blog.toml").write_text((sample / "blog.toml").read_text().replace(
        'base_url = "https://example.org/"', 'base_url = "https://example.org/notes/"'))
    site = build(sample)
    head = Head((site / "why-the-night-bus/index.html").read_text())
    image = "https://example.org/notes/images/n29-tally.svg"
    assert head.one("og:image") == image
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:image") == image
    assert head.one("og:url") == "https://example.org/notes/why-the-night-bus/"
    assert head.one("article:modified_time") == "2026-11-20T08:00:00+00:00"
    posting = json.loads(head.json_ld[0])
    assert posting["image"] == image
    assert posting["dateModified"] == "2026-11-20T08:00:00+00:00"
    assert posting["isPartOf"]["url"] == "https://example.org/notes/series/night-bus-notebook/"
    assert posting["position"] == 1


def test_only_web_images_are_named_for_cards(sample):
    post = sample / "published/about-this-notebook.md"
    for image in ("javascript:alert(1)", "data:image/png;base64,AAAA", ""):
        set_header(post, "image", json.dumps(image))
        head = Head((build(sample) / "about-this-notebook/index.html").read_text())
        assert "og:image" not in head.meta and "image" not in json.loads(head.json_ld[0]), image
    set_header(post, "image", "https://cdn.example.com/a.png?w=1200&h=630")
    head = Head((build(sample) / "about-this-notebook/index.html").read_text())
    assert head.one("og:image") == "https://cdn.example.com/a.png?w=1200&h=630"


def test_json_ld_is_safe_against_a_title_that_closes_the_script(sample):
    post = sample / "published/about-this-notebook.md"
    title = "</script><script>alert('x')</script> & <!-- \u2028"
    set_header(post, "title", json.dumps(title))
    page = (build(sample) / "about-this-notebook/index.html").read_text()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert not set("<>&") & set(script), "the JSON-LD holds a character that can end or change the script"
    assert json.loads(script)["headline"] == title
    assert page.count("<script") == 1  # the title made no script of its own


def test_every_page_has_an_opengraph_card(sample):
    site = build(sample)
    head = Head((site / "series/night-bus-notebook/index.html").read_text())
    assert head.one("og:type") == "website"
    assert head.one("og:title") == "The Night Bus Notebook"
    assert head.one("og:url") == "https://example.org/series/night-bus-notebook/"
    assert head.one("og:site_name") == "Notes from the Last Stop"
    assert head.json_ld == []  # only posts are BlogPostings
    home = Head((site / "index.html").read_text())
    assert home.one("og:title") == "Notes from the Last Stop"
    assert home.one("og:url") == "https://example.org/"


def test_the_site_has_a_real_favicon(sample):
    icon = PACKAGE_STATIC / "favicon.svg"
    assert icon.is_file() and icon.stat().st_size > 0
    import xml.etree.ElementTree as ET

    assert ET.parse(icon).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    site = build(sample)
    assert (site / "assets/favicon.svg").read_bytes() == icon.read_bytes()
    for page in ("index.html", "who-rides-after-midnight/index.html", "404.html", "tags/index.html"):
        icons = [link for link in Head((site / page).read_text()).links if link.get("rel") == "icon"]
        assert icons == [{"rel": "icon", "href": "/assets/favicon.svg", "type": "image/svg+xml"}], page


def test_a_favicon_of_the_blog_s_own_wins(sample):
    (sample / "static/assets").mkdir(parents=True)
    (sample / "static/assets/favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert (build(sample) / "assets/favicon.svg").read_text() == '<svg xmlns="http://www.w3.org/2000/svg"/>'


def brief_texts(page: str) -> dict[str, str]:
    """Each listed post's line in a tag or archive page, by its title, as text."""
    found = {}
    for item in re.findall(r"<li>(.*?)</li>", page.split('class="briefs"', 1)[1], re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", item).split())
        title = re.search(r'<a href="[^"]*/">([^<]*)</a>', item).group(1)
        found[title] = text
    return found


def test_tag_and_archive_lists_say_which_series_and_part(sample):
    site = build(sample)
    for page in ("tags/transport/index.html", "archive/index.html"):
        html = (site / page).read_text()
        texts = brief_texts(html)
        assert "Part 1 of The Night Bus Notebook" in texts["Why the Night Bus?"], page
        assert "Part 2 of The Night Bus Notebook" in texts["Who Rides After Midnight"], page
        assert '<a href="/series/night-bus-notebook/">The Night Bus Notebook</a>' in html
    about = brief_texts((site / "archive/index.html").read_text())["About this notebook"]
    assert "Part" not in about


def test_a_part_moved_in_its_series_updates_the_tag_page(sample):
    site = build(sample)
    post = sample / "published/who-rides-after-midnight.md"
    post.write_text(post.read_text().replace("part: 2", "part: 3"))
    build(sample)
    assert "Part 3 of The Night Bus Notebook" in brief_texts((site / "tags/work/index.html").read_text())["Who Rides After Midnight"]


def test_the_promise_box_says_each_thing_once_and_may_wrap(sample):
    page = (build(sample) / "why-the-night-bus/index.html").read_text()
    box = re.search(r'<aside class="teaser".*?</aside>', page, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", box).split())
    assert text.count("Who Rides After Midnight") + text.lower().count("who actually rides after midnight") == 1, text
    assert re.search(r'<a class="kept" href="/who-rides-after-midnight/">', box)
    css = (PACKAGE_STATIC / "style.css").read_text()
    assert not re.search(r"\.teaser[^{]*\{[^}]*nowrap", css), "a promise box that cannot wrap overflows a phone"


def test_a_part_without_a_number_is_listed_as_its_page_numbers_it(sample):
    for name in ("why-the-night-bus", "who-rides-after-midnight"):
        post = sample / f"published/{name}.md"
        post.write_text(re.sub(r"^part: \d+\n", "", post.read_text(), flags=re.M))
    site = build(sample)
    page = (site / "who-rides-after-midnight/index.html").read_text()
    number = int(re.search(r'<span class="part">Part (\d+) of', page).group(1))
    assert f"Part {number} of The Night Bus Notebook" in brief_texts((site / "tags/work/index.html").read_text())["Who Rides After Midnight"]
