"""A tag's pages, split as the home pages are (site/list_pages.py `numbered_pages`): the newest
TAG_PAGE_SIZE posts at `tags/<slug>/`, the older ones on pages numbered from the oldest, so a
publish into a big tag keys and renders its front page and the pages the new post moves, not a
page listing every post of the tag; an incremental build still leaves what a full build makes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blogcli.site import list_pages
from blogcli.site.builder import build_site
from blogcli.workspace.store import Workspace
from tests.test_build import tree
from tests.test_build_shape import keyed  # noqa: F401 - a fixture

NOW = "2026-11-20T12:00:00+00:00"


def build(root: Path, **options):
    return build_site(Workspace.open(root), **options)


def tagged(root: Path, count: int, tag: str = "many") -> None:
    """`count` published posts tagged `tag`, `many-000` the oldest, an hour apart in 2025 (older
    than the sample's posts, none of which has the tag)."""
    for n in range(count):
        (root / f"published/many-{n:03}.md").write_text(
            f"---\ntitle: Many {n}\ndate: 2025-01-{1 + n // 24:02}T{n % 24:02}:00:00+00:00\ntags: [{tag}, work]\n---\n\n"
            f"Post {n}.\n")


def listed(page: Path) -> list[int]:
    """The numbers of the `many-NNN` posts a page lists, in its order."""
    return [int(n) for n in re.findall(r'<a href="/many-(\d+)/">', page.read_text())]


def pager(page: Path) -> tuple[str | None, str | None]:
    """A page's "newer" and "older" links."""
    text = page.read_text()
    newer = re.search(r'<a rel="prev" href="([^"]*)">← Newer posts</a>', text)
    older = re.search(r'<a rel="next" href="([^"]*)">Older posts →</a>', text)
    return newer and newer[1], older and older[1]


def test_a_tag_of_120_posts_shows_its_newest_50_and_numbers_the_older_pages_from_the_oldest(sample, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    assert list_pages.TAG_PAGE_SIZE == 50
    tagged(sample, 120)
    build(sample)
    site = sample / "site/tags/many"
    assert listed(site / "index.html") == list(range(119, 69, -1))
    assert listed(site / "page/1/index.html") == list(range(49, -1, -1))
    assert listed(site / "page/2/index.html") == list(range(69, 49, -1))
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")) == [
        "index.html", "page/1/index.html", "page/2/index.html"]
    assert pager(site / "index.html") == (None, "/tags/many/page/2/")
    assert pager(site / "page/2/index.html") == ("/tags/many/", "/tags/many/page/1/")
    assert pager(site / "page/1/index.html") == ("/tags/many/page/2/", None)
    front, second = (site / "index.html").read_text(), (site / "page/2/index.html").read_text()
    assert "<title>Tagged “many” · Notes" in front and "120 posts ·" in front
    assert "<title>Tagged “many” · page 2 · Notes" in second and "posts ·" not in second  # no count: it would change every page
    assert '<a href="/tags/many/">Latest posts tagged “many”</a>' in second
    sitemap = (sample / "site/sitemap.xml").read_text()
    for path in ("tags/many/", "tags/many/page/1/", "tags/many/page/2/"):
        assert f"<loc>https://example.org/{path}</loc>" in sitemap
    # the sample's own tags are small: one page each, as before
    assert not (sample / "site/tags/fieldwork/page").exists()
    assert '<a href="/tags/many/">many</a> <span class="count">120</span>' in (sample / "site/tags/index.html").read_text()


def test_a_tag_of_at_most_one_page_has_no_pager(sample, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    tagged(sample, 50)
    build(sample)
    page = sample / "site/tags/many/index.html"
    assert listed(page) == list(range(49, -1, -1)) and pager(page) == (None, None)
    assert 'class="pager"' not in page.read_text() and not (sample / "site/tags/many/page").exists()


def _publish(root: Path, date: str = "2026-11-20T11:00:00+00:00", name: str = "a-note") -> None:
    (root / f"published/{name}.md").write_text(f"---\ntitle: A Note\ndate: {date}\ntags: [many]\n---\n\nNew.\n")


# (posts tagged before, the new post's date, the tag's pages whose key the publish works out)
PUBLISHES = {
    "newest": (120, "2026-11-20T11:00:00+00:00", {"index.html", "page/2/index.html"}),
    "newest, opening a page": (100, "2026-11-20T11:00:00+00:00", {"index.html", "page/1/index.html", "page/2/index.html"}),
    "among the others": (170, "2025-01-03T12:30:00+00:00", {"index.html", "page/2/index.html", "page/3/index.html"}),
    "older than all": (170, "2024-06-01T12:00:00+00:00", {"index.html", "page/1/index.html", "page/2/index.html",
                                                         "page/3/index.html"}),
}


@pytest.mark.parametrize("case", PUBLISHES, ids=list(PUBLISHES))
def test_a_publish_into_a_big_tag_keys_only_its_front_page_and_the_pages_it_moves(sample, keyed, case, tmp_path,
                                                                                 monkeypatch):
    """The numbered pages older than where the new post goes in list and link what they did: their
    keys are not worked out (nor their posts' entries); the site is what a full build makes."""
    monkeypatch.setenv("BLOG_NOW", NOW)
    before, date, moved = PUBLISHES[case]
    tagged(sample, before)
    build(sample)
    _publish(sample, date)
    keyed.clear()
    build(sample)
    assert {output.removeprefix("tags/many/") for output in keyed if output.startswith("tags/many/")} == moved
    assert "tags/index.html" in keyed  # its count of the tag
    build(sample, out=tmp_path / "fresh")
    assert tree(tmp_path / "fresh") == tree(sample / "site")


def _edit_body(root: Path) -> None:
    path = root / "published/many-010.md"
    path.write_text(path.read_text() + "\nOne more line.\n")


def _retitle(root: Path) -> None:
    path = root / "published/many-010.md"
    path.write_text(path.read_text().replace("title: Many 10", "title: Many Ten"))


def _remove_newest(root: Path) -> None:
    (root / "published/many-119.md").unlink()


def _remove_oldest(root: Path) -> None:
    (root / "published/many-000.md").unlink()


def _untag(root: Path) -> None:
    path = root / "published/many-060.md"
    path.write_text(path.read_text().replace("tags: [many, work]", "tags: [work]"))


def _tag_shrinks_to_one_page(root: Path) -> None:
    for n in range(50, 120):
        (root / f"published/many-{n:03}.md").unlink()


def _publish_twice(root: Path) -> None:
    _publish(root)
    build(root)
    _publish(root, "2026-11-20T11:30:00+00:00", "another-note")


def _two_posts_at_once(root: Path) -> None:
    _publish(root)
    _publish(root, "2025-01-03T12:30:00+00:00", "an-old-note")


def _publish_flipping_the_tags_spelling(root: Path) -> None:
    """`Many` on 60 posts, `many` on 60: the tag shows as `Many` (the first in sorted order on a
    tie) until a new post spelling it `many` makes that the spelling most posts use, and every page
    of the tag, the numbered pages the new post does not move included, shows the new name."""
    for n in range(60):
        path = root / f"published/many-{n:03}.md"
        path.write_text(path.read_text().replace("tags: [many, work]", "tags: [Many, work]"))
    build(root)
    assert "Tagged “Many” · page 1" in (root / "site/tags/many/page/1/index.html").read_text()
    _publish(root)


def _page_deleted_by_hand(root: Path) -> None:
    (root / "site/tags/many/page/1/index.html").unlink()


CHANGES = [_edit_body, _retitle, _remove_newest, _remove_oldest, _untag, _tag_shrinks_to_one_page, _publish_twice,
           _two_posts_at_once, _publish_flipping_the_tags_spelling, _page_deleted_by_hand]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
def test_after_a_change_to_a_big_tag_the_site_is_what_a_full_build_makes(sample, change, tmp_path, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    tagged(sample, 120)
    build(sample)
    change(sample)
    build(sample)
    build(sample, out=tmp_path / "fresh")
    assert tree(tmp_path / "fresh") == tree(sample / "site")


def test_an_edit_of_a_body_keys_no_tag_page(sample, keyed, monkeypatch):
    """A tag page's entries show no body: an edit of one keys none of its tag's pages."""
    monkeypatch.setenv("BLOG_NOW", NOW)
    tagged(sample, 120)
    build(sample)
    _edit_body(sample)
    keyed.clear()
    build(sample)
    assert not [output for output in keyed if output.startswith("tags/")], keyed


def test_a_retitled_post_changes_only_the_tag_pages_listing_it(sample, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", NOW)
    tagged(sample, 120)
    build(sample)
    before = tree(sample / "site")
    _retitle(sample)  # many-010: on page 1 of `many`, and on `work`'s page 1
    build(sample)
    after = tree(sample / "site")
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert {rel for rel in changed if rel.startswith("tags/")} == {"tags/many/page/1/index.html",
                                                                   "tags/work/page/1/index.html"}
