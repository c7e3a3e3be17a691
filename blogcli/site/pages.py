"""Standalone pages on the site: each page of `pages/` at `/<slug>/` (page.html), and the menu
every template shows (`site.menu`, made by `menu_links` for `BuildSettings`, so a change to the
menu redoes every page). Which pages the menu links is model/pages.py's rule.

A page never appears in lists, feeds, series or the ledger. Post pages are declared first, so a
post whose slug a page also has keeps the address (the page is left out, with a warning); so does
a site section or a top-level folder of static/. A page shows its comments as a post does
(site/comments.py), and each of its `aliases` redirects to it as a post's do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from blogcli.model.aliases import alias_list
from blogcli.model.pages import menu_pages, site_pages
from blogcli.model.post import Post
from blogcli.model.reserved import site_name_clash
from blogcli.site.comments import comments_view, read_comments
from blogcli.site.urls import alias_output, url_for

if TYPE_CHECKING:  # settings builds the menu with menu_links: no import back at run time
    from blogcli.site.emitter import Emitter
    from blogcli.site.settings import BuildSettings


def menu_links(pages: list[Post], menu: list[str] | None, base: str, include_drafts: bool) -> list[dict]:
    """`site.menu`: the title and URL of each page the navigation links."""
    return [{"title": page.display_title, "url": url_for(page, base)}
            for page in menu_pages(site_pages(pages, include_drafts), menu)]


def declare_pages(emit: Emitter, settings: BuildSettings, pages: list[Post], include_drafts: bool,
                  post_slugs: set[str], static_names: set[str]) -> list[Post]:
    """Declare each page's output, `<slug>/index.html`, made again only when its file changes;
    the pages built (the sitemap lists them). `static_names`: as for `site_name_clash`."""
    built = []
    for page in site_pages(pages, include_drafts):
        if page.slug in post_slugs:
            emit.warn(f"{page.rel}: the slug {page.slug!r} is taken by a post ({page.slug}/); the page is left out (rename it)")
            continue
        clash = site_name_clash(page.slug, static_names)
        if clash:
            emit.warn(f"{page.rel}: the slug {clash}; the page is left out (rename it)")
            continue
        source, comments = page.doc.to_bytes(), read_comments(settings.root, page.rel)
        emit.page(f"{page.slug}/index.html", "page.html", lambda page=page, comments=comments: _page_data(settings, page, comments),
                  inputs=(page.rel, source, comments))
        built.append(page)
    _redirects(emit, settings, built, post_slugs, {page.slug for page in built}, static_names)
    return built


def _redirects(emit: Emitter, settings: BuildSettings, pages: list[Post], taken: set[str], page_slugs: set[str],
               static_names: set[str]) -> None:
    """A redirect at each old address of a page (`aliases`, as imports write a WordPress page's
    old path: `about/contact`); inside another page's folder is fine, on a page or post is not."""
    for page in pages:
        for alias in alias_list(page.meta.get("aliases")):
            output = alias_output(alias, taken, static_names)
            if output is None or output.removesuffix("/index.html") in page_slugs:
                emit.warn(f"{page.rel}: alias {alias!r} is not a free site path; no redirect made")
                continue
            emit.page(output, "redirect.html", {"page_title": page.display_title, "target": url_for(page, settings.base),
                                                "target_absolute": url_for(page, settings.config.base_url)})


def _page_data(settings: BuildSettings, page: Post, comments: bytes | None) -> dict:
    from blogcli.model.dates import zone

    html = settings.body_html(page.body)
    view = {"slug": page.slug, "url": url_for(page, settings.base), "title": page.display_title, "html": html,
            "draft": page.meta.get("draft") is True}
    return {"page": view, "page_title": view["title"], "description": page.summary or "",
            "comments": comments_view(comments, page.rel, zone(settings.config.timezone))}
