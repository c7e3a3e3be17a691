"""Standalone pages (`pages/*.md`: About, Now, Contact): which of them the site's navigation
links, and in what order. The one owner of that rule, for the site and `blog check`.

- `[site] menu = ["about", "now"]` in blog.toml: exactly those pages, in that order (as Jekyll's
  `header_pages` and Hugo's `menus.main` list them); a name that is no page is reported by check.
- No `menu` setting: every page, by its `weight:` (Hugo's key: lower first, pages without one
  after), then by title — as Jekyll's minima theme links every page, and Hugo orders by weight.
  `menu: false` in a page's front matter leaves it out (it is still built at `/<slug>/`).
"""

from __future__ import annotations

from blogcli.model.post import Post


def menu_pages(pages: list[Post], menu: list[str] | None) -> list[Post]:
    """The pages the navigation links, in order (see the module docstring)."""
    by_slug = {page.slug: page for page in pages}
    if menu is not None:
        return [by_slug[name] for name in dict.fromkeys(menu) if name in by_slug]
    shown = [page for page in pages if page.meta.get("menu") is not False]
    return sorted(shown, key=lambda page: (_weight(page) is None, _weight(page) or 0, (page.title or page.slug).casefold(), page.slug))


def missing_from_pages(pages: list[Post], menu: list[str] | None) -> list[str]:
    """Names in `[site] menu` that are no page."""
    slugs = {page.slug for page in pages}
    return [name for name in dict.fromkeys(menu or []) if name not in slugs]


def _weight(page: Post) -> int | None:
    weight = page.meta.get("weight")
    return weight if isinstance(weight, int) and not isinstance(weight, bool) else None


def is_draft_page(page: Post) -> bool:
    """A page marked `draft: true` (as imports mark a draft page): built only with --drafts."""
    return page.meta.get("draft") is True


def site_pages(pages: list[Post], include_drafts: bool) -> list[Post]:
    """The pages a build writes."""
    return [page for page in pages if include_drafts or not is_draft_page(page)]
