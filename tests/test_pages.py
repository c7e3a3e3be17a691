"""Standalone pages (`pages/*.md`): built at `/<slug>/`, linked from the site's menu in the order
`[site] menu` gives (else by `weight:`, then title), never in lists or feeds; `blog list --pages`
and `blog check` cover them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from blogcli.errors import ConfigError
from blogcli.model.pages import menu_pages
from blogcli.model.post import post_from_bytes
from blogcli.ops.check import check_posts
from blogcli.site.builder import build_site
from blogcli.workspace.store import Workspace

UTC = __import__("datetime").timezone.utc


def write(root: Path, rel: str, header: str, body: str = "Some text.\n") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{header.strip()}\n---\n\n{body}", encoding="utf-8")


def set_menu(root: Path, line: str) -> None:
    with open(root / "blog.toml", "a", encoding="utf-8") as config:
        config.write(f"\n[site]\nmenu = {line}\n")


def nav(html: str) -> list[str]:
    """The hrefs of the site navigation, in order."""
    start = html.index('<nav class="site-nav"')
    block = html[start : html.index("</nav>", start)]
    return [part.split('"', 1)[0] for part in block.split('href="')[1:]]


@pytest.fixture
def blog(empty_blog):
    write(empty_blog, "published/hello.md", "title: Hello\ndate: 2026-11-01T09:00:00+00:00")
    write(empty_blog, "pages/about.md", "title: About me\nweight: 2", "Read [my post](hello.md) & more.\n")
    write(empty_blog, "pages/now.md", "title: Now\nweight: 1", "What I do now.\n")
    write(empty_blog, "pages/contact.md", "title: Contact", "Write to me.\n")
    write(empty_blog, "pages/secret.md", "title: Secret\ndraft: true", "Not yet.\n")
    return empty_blog


def page(rel: str, header: str):
    return post_from_bytes(f"---\n{header}\n---\n\nx\n".encode(), rel, UTC)


def test_the_menu_order_is_blog_toml_s_else_weight_then_title():
    pages = [page("pages/b.md", "title: Beta"), page("pages/a.md", "title: alpha"), page("pages/w.md", "title: Zed\nweight: 1"),
             page("pages/h.md", "title: Hidden\nmenu: false")]
    assert [p.slug for p in menu_pages(pages, None)] == ["w", "a", "b"]
    assert [p.slug for p in menu_pages(pages, ["b", "nope", "h", "b"])] == ["b", "h"]
    assert menu_pages(pages, []) == []


def test_pages_are_built_at_their_slug_and_linked_from_every_page_s_menu(blog):
    out = blog / "site"
    build_site(Workspace.open(blog))
    about = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert "<h1>About me</h1>" in about and 'href="/hello/"' in about and "&amp; more" in about
    assert not (out / "secret").exists()  # draft: true
    for html_file in ("index.html", "hello/index.html", "about/index.html", "tags/index.html"):
        assert nav((out / html_file).read_text(encoding="utf-8"))[:3] == ["/now/", "/about/", "/contact/"]
    # never in lists or feeds
    for listing in ("index.html", "feed.xml", "archive/index.html"):
        assert "About me" not in nav_free(out / listing)


def nav_free(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if '<nav class="site-nav"' in text:
        start = text.index('<nav class="site-nav"')
        text = text[:start] + text[text.index("</nav>", start) :]
    return text


def test_blog_toml_menu_orders_the_links_and_a_change_rebuilds_every_page(blog):
    out = blog / "site"
    build_site(Workspace.open(blog))
    set_menu(blog, '["contact", "about"]')
    result = build_site(Workspace.open(blog))
    assert nav((out / "hello" / "index.html").read_text(encoding="utf-8"))[:2] == ["/contact/", "/about/"]
    assert "/now/" not in nav((out / "index.html").read_text(encoding="utf-8"))
    assert (out / "now" / "index.html").is_file()  # left out of the menu, still built
    assert result.written >= 5


def test_an_edited_page_is_rebuilt_and_an_unchanged_one_is_not(blog):
    out = blog / "site"
    build_site(Workspace.open(blog))
    before = (out / "contact" / "index.html").stat().st_mtime_ns
    write(blog, "pages/now.md", "title: Now\nweight: 1", "Something else now.\n")
    build_site(Workspace.open(blog))
    assert "Something else now." in (out / "now" / "index.html").read_text(encoding="utf-8")
    assert (out / "contact" / "index.html").stat().st_mtime_ns == before


def test_drafts_build_draft_pages(blog):
    out = blog / "with-drafts"
    build_site(Workspace.open(blog), out=out, include_drafts=True)
    assert "Not yet." in (out / "secret" / "index.html").read_text(encoding="utf-8")
    assert "/secret/" in nav((out / "index.html").read_text(encoding="utf-8"))


def test_a_post_keeps_its_address_over_a_page_with_its_slug(blog):
    write(blog, "pages/hello.md", "title: Hello page", "The page.\n")
    result = build_site(Workspace.open(blog))
    assert "The page." not in (blog / "site" / "hello" / "index.html").read_text(encoding="utf-8")
    assert any("pages/hello.md" in w for w in result.warnings)
    assert any(p.code == "page-slug-taken" and p.path == "pages/hello.md" for p in check_posts(Workspace.open(blog)))


def test_check_covers_pages_and_the_menu(blog):
    write(blog, "pages/now.md", "title: Now", "A [dead](gone.md) link, an ![image](/missing.png) and a TODO.\n")
    write(blog, "pages/untitled.md", "weight: 3", "Text.\n")
    write(blog, "published/links.md", "title: Links\ndate: 2026-11-02T09:00:00+00:00", "See [about](about.md).\n")
    set_menu(blog, '["about", "gone"]')
    found = {(p.path, p.code) for p in check_posts(Workspace.open(blog))}
    assert {("pages/now.md", "broken-link"), ("pages/now.md", "missing-image"), ("pages/now.md", "todo"),
            ("pages/untitled.md", "missing-title"), ("blog.toml", "menu-not-a-page")} <= found
    assert ("published/links.md", "broken-link") not in found  # a link to a page is a good link
    assert not any(path == "pages/secret.md" for path, _ in found)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this system")
def test_a_page_that_leads_outside_the_workspace_is_never_read(blog, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Stolen\n---\n\nsecret words\n", encoding="utf-8")
    (blog / "pages" / "stolen.md").symlink_to(outside)
    ws = Workspace.open(blog)
    assert [p.slug for p in ws.pages] == ["about", "contact", "now", "secret"]
    assert [p.path for p in ws.unreadable_pages] == ["pages/stolen.md"]
    build_site(ws)
    assert not (blog / "site" / "stolen").exists()
    assert "pages/stolen.md" in {p.path for p in check_posts(Workspace.open(blog))}


def test_a_bad_menu_setting_is_a_clear_error(blog):
    set_menu(blog, '"about"')
    with pytest.raises(ConfigError, match=r"\[site\] menu must be a list"):
        Workspace.open(blog).config


def test_list_pages(blog, cli):
    set_menu(blog, '["contact", "about"]')
    result = cli("list", "--pages", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["slug"], r["menu"], r["draft"]) for r in rows] == [
        ("about", 2, False), ("contact", 1, False), ("now", None, False), ("secret", None, True)]
    assert rows[0]["title"] == "About me" and rows[0]["path"] == "pages/about.md"
    table = cli("list", "--pages")
    assert table.exit_code == 0 and "About me" in table.stdout and "Hello" not in table.stdout
    assert cli("list", "--pages", "--tag", "x").exit_code == 2


def test_new_page_writes_pages_slug_md_with_a_free_slug(blog, cli):
    result = cli("new", "--page", "Colophon", "--no-edit")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("pages/colophon.md")
    text = (blog / "pages" / "colophon.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Colophon\ncreated: ")
    assert not (blog / "drafts" / "colophon.md").exists()
    assert cli("new", "--page", "Now", "--no-edit").exit_code == 1  # a page has the slug: refused, as for posts
    assert cli("new", "--page", "Hello", "--no-edit").exit_code == 1  # a post has it
    made = cli("new", "--page", "Now", "--slug", "now-page", "--no-edit")
    assert made.exit_code == 0 and (blog / "pages" / "now-page.md").is_file()
    assert cli("new", "--page", "X", "--series", "S", "--no-edit").exit_code == 2
    assert cli("new", "--page", "--no-edit").exit_code == 2  # no title


def test_preview_shows_a_page_by_slug_or_path(blog, cli):
    write(blog, "pages/about.md", "title: About me\nweight: 2", "Read [gone](nope.md).\n")
    by_slug = cli("preview", "about", "--no-color", "--width", "100")
    assert by_slug.exit_code == 0, by_slug.output
    assert "page /about/, link 2 of the site's menu" in by_slug.stdout
    assert "link to 'nope.md': no post has the slug 'nope'" in by_slug.stdout
    by_path = cli("preview", "pages/secret.md", "--no-color", "--width", "100")
    assert by_path.exit_code == 0 and "draft (draft: true): not on the site" in by_path.stdout
    write(blog, "pages/hello.md", "title: Hello page", "The page.\n")
    assert "The page." not in cli("preview", "hello", "--no-color").stdout  # the post's slug wins
    assert cli("preview", "nothing", "--no-color").exit_code == 1


def test_built_pages_are_in_the_sitemap(blog):
    build_site(Workspace.open(blog))
    sitemap = (blog / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>http://localhost:8000/about/</loc>" in sitemap and "/secret/" not in sitemap


def test_rename_a_page_moves_it_with_its_comments_keeps_its_old_address_and_fixes_links(blog, cli):
    write(blog, "published/links.md", "title: Links\ndate: 2026-11-02T09:00:00+00:00", "See [about](about.md).\n")
    (blog / "pages" / "about.comments.yaml").write_text("- id: wp-1\n  author: Jo\n  body: Hi.\n", encoding="utf-8")
    result = cli("rename", "about", "Who I am")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "pages/about.md -> pages/who-i-am.md"
    assert not (blog / "pages" / "about.md").exists() and (blog / "pages" / "who-i-am.comments.yaml").is_file()
    text = (blog / "pages" / "who-i-am.md").read_text(encoding="utf-8")
    assert "title: Who I am" in text and "aliases: [about]" in text and "weight: 2" in text
    assert "[about](who-i-am.md)" in (blog / "published" / "links.md").read_text(encoding="utf-8")
    build_site(Workspace.open(blog))
    assert 'url=/who-i-am/"' in (blog / "site" / "about" / "index.html").read_text(encoding="utf-8")
    taken = cli("rename", "contact", "Now")  # now.md is a page: refused, as for posts
    assert taken.exit_code == 1 and (blog / "pages" / "contact.md").exists()


def test_delete_and_restore_a_page_with_its_comments(blog, cli):
    (blog / "pages" / "now.comments.yaml").write_text("- id: wp-1\n  author: Jo\n  body: Hi.\n", encoding="utf-8")
    before = (blog / "pages" / "now.md").read_bytes()
    assert cli("delete", "pages/now.md").exit_code == 1  # on the site: not without --force off a terminal
    deleted = cli("delete", "pages/now.md", "--force")
    assert deleted.exit_code == 0, deleted.output
    assert not (blog / "pages" / "now.md").exists() and not (blog / "pages" / "now.comments.yaml").exists()
    assert cli("restore", "now").exit_code == 0
    assert (blog / "pages" / "now.md").read_bytes() == before and (blog / "pages" / "now.comments.yaml").is_file()
    assert cli("delete", "secret").exit_code == 0  # a draft page: no --force needed
    assert cli("delete", "hello", "--force").exit_code == 0 and not (blog / "published" / "hello.md").exists()  # posts as before


def test_serve_rebuilds_when_a_page_is_saved(blog):
    """`blog serve` watches pages/ as it watches drafts/ and published/."""
    import threading

    from blogcli.ops.serve import watch_changes

    stop = threading.Event()
    changes = watch_changes(blog, stop, tick_ms=50)
    try:
        next(changes)  # the watcher runs
        write(blog, "pages/now.md", "title: Now", "Saved again.\n")
        seen: set = set()
        for _ in range(400):  # ticks, not seconds: ends as soon as the change is reported
            seen |= {path for _, path in next(changes)}
            if any(path.endswith("now.md") for path in seen):
                break
        assert any(path.endswith("pages/now.md") or path.endswith("pages" + os.sep + "now.md") for path in seen)
    finally:
        stop.set()
        for _ in changes:
            pass
