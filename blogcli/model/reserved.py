"""Names a post cannot have: the top-level names of what the site makes besides post pages.

A post's page is `<slug>/index.html` and a redirect's `<alias>/index.html`, so a slug or an
alias's first segment equal to one of these would clash with the site's own pages or files
(`tags/`, `feed.xml`…). `blog new` and `blog rename` refuse such a slug, `blog check` reports
it, and `blog build` leaves such a post or alias out with a warning. The workspace's static/
files take top-level names too (`images/`), which vary: `site_name_clash` is handed them.
Hidden names (`.git`, the site's marker) are reserved as well: a build never writes or cleans
hidden top-level entries. Compared without case, so a site copied to a case-insensitive disk
has no clash either.
"""

from __future__ import annotations

from itertools import repeat
from typing import Collection

# Every top-level output of a build but the posts' pages and static/ (tests/test_build_safety.py
# builds a site and holds this list to what it makes).
SITE_NAMES = frozenset({
    "index.html", "404.html", "feed.xml", "sitemap.xml",  # files
    "page", "tags", "series", "archive", "assets",  # folders
})


def is_reserved(name: str) -> bool:
    """Whether a slug (or the first segment of an alias) is one of the site's own names."""
    return name.casefold() in SITE_NAMES or name.startswith(".")


def site_name_clash(name: str, static_names: set[str]) -> str | None:
    """Why a slug (or an alias's first segment) cannot name a page of the site, or None.
    `static_names`: the top-level names static/ takes on the site, casefolded."""
    if is_reserved(name):
        return f"{name!r} is one of the site's own names"
    if name.casefold() in static_names:
        return f"{name!r} is taken by a file or folder of static/"
    return None


def none_clash(names: Collection[str], static_names: set[str]) -> bool:
    """Whether no name of `names` has a `site_name_clash`, settled for all of them at once: a
    clash needs a leading dot, or a casefolded name among the site's names or static/'s (checked
    in C loops: a build's 10,000 slugs in ~1 ms, where a call per slug takes ~6)."""
    if any(map(str.startswith, names, repeat("."))):
        return False
    return (SITE_NAMES | static_names).isdisjoint(map(str.casefold, names))
