"""Where things are on the site: post URLs and output paths, tag pages, and links inside posts.

The site lives under its base path: `/`, or `/blog/` for a base_url of https://example.org/blog/.
Every link a page holds starts with it; feeds and the sitemap use the absolute base_url instead.

Output paths name files and folders as they are (`привет/index.html`); a URL carries the same
path percent-encoded (`/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/`): `url_path` is the one step
between the two.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import quote, unquote, urlsplit

from blogcli.model.links import linked_slug, local_target, static_relative
from blogcli.model.post import Post
from blogcli.model.reserved import site_name_clash
from blogcli.model.slug import slugify, unique_slug

STYLESHEET = "assets/style.css"
FAVICON = "assets/favicon.svg"
_ALIAS_PATH = re.compile(r"[\w.~-]+(?:/[\w.~-]+)*")  # \w: Unicode letters too (a decoded WordPress slug)


def base_path(base_url: str) -> str:
    """The site's path on its host (`/`, or `/blog/` for https://example.org/blog/)."""
    return urlsplit(base_url).path or "/"


def _slug_of(post: Post | str) -> str:
    return post if isinstance(post, str) else post.slug


# The characters `url_path` keeps as they are: quote()'s own (ASCII letters, digits, `_.-~`) and its `safe`.
_URL_PATH_SAFE = "/!$&'()*+,;=:@~"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.~/!$&'()*+,;=:@-]*")


@functools.lru_cache(maxsize=16384)
def url_path(path: str) -> str:
    """An output path as it goes into a URL: every character a URL path cannot hold as it is
    (non-ASCII, space, `#`, `?`, `%`…) percent-encoded as UTF-8; `/` kept. A path with none of
    them (a slug, nearly always) is handed back as it is: quote() took ~1.2 µs, the sitemap of
    10,000 posts asks for each post's."""
    return path if _PLAIN_PATH.fullmatch(path) else quote(path, safe=_URL_PATH_SAFE)


def url_for(post: Post | str, base: str = "/") -> str:
    """A post's URL: `/<slug>/` by default, absolute when given the site's base_url."""
    return f"{base}{url_path(_slug_of(post))}/"


def post_output(post: Post | str) -> str:
    """The output path of a post's page, relative to the output folder: `<slug>/index.html`.
    (`_slug_of` inlined: every build asks for every post's.)"""
    return f"{post if isinstance(post, str) else post.slug}/index.html"


def page_path(out: Path, post: Post | str) -> Path:
    """The file that holds a post's page: `<out>/<slug>/index.html`."""
    return out / post_output(post)


def canonical_url(base_url: str, output: str) -> str:
    """The absolute URL of the page written at `output` (`tags/x/index.html` → `<base_url>tags/x/`)."""
    return base_url + url_path(output.removesuffix("index.html"))


def tag_key(tag: str) -> str:
    """What makes two tags one: the same words, whatever their case and spacing (`Night Bus`,
    `night  bus`). `C`, `C++` and `C#` are three tags."""
    return " ".join(tag.split()).lower()


def tag_slugs(tags: Iterable[str]) -> dict[str, str]:
    """Each tag's page name, by `tag_key`: its slug, made distinct where several tags slug alike.

    The tags whose slugs collide (`C`, `C#`, `C++` → `c`) are sorted by key; the first keeps the
    slug and the others get the first free `-2`, `-3`… in that order (a slug another tag has as
    its own is never handed out). The result depends only on the set of tags, not on which post
    or build met a tag first; a new colliding tag that sorts earlier can renumber the later ones.
    """
    by_slug: dict[str, list[str]] = {}
    for key in sorted({tag_key(tag) for tag in tags}):
        by_slug.setdefault(slugify(key), []).append(key)
    taken = set(by_slug)
    slugs = {}
    for slug, keys in sorted(by_slug.items()):
        slugs[keys[0]] = slug
        for key in keys[1:]:
            slugs[key] = unique_slug(slug, taken)
            taken.add(slugs[key])
    return slugs


def tag_url(base: str, slug: str) -> str:
    """The URL of the tag page named `slug` (see `tag_slugs`)."""
    return f"{base}tags/{url_path(slug)}/"


def series_url(base: str, key: str) -> str:
    return f"{base}series/{url_path(key)}/"


@functools.lru_cache(maxsize=16)
def link_rewriter(base: str) -> Callable[[str], str]:
    """The one rewriter of links in posts, for pages and feeds alike: a link to a post file
    (`other.md#x`) becomes the post's URL (`/other/#x`); another local path resolves against
    static/ under the base path (`images/a%20b.png` → `/images/a%20b.png`). The query, the
    fragment and the path's percent-encoding stay exactly as written; links out of the blog,
    within the page, or out of static/ are left alone.

    A URL's rewriting depends on nothing but the URL and `base`, so each base has one rewriter,
    which remembers the URLs it met: a blog links the same images and pages from many posts."""

    @functools.lru_cache(maxsize=8192)
    def rewrite(url: str) -> str:
        local = local_target(url)
        if local is None:
            return url
        slug = linked_slug(url)
        if slug:
            return url_for(slug, base) + local.rest
        path = static_relative(local.path)
        return base + path + local.rest if path is not None else url

    return rewrite


def alias_output(alias: str, taken: set[str], static_names: set[str]) -> str | None:
    """Where the redirect for an old address (front matter `aliases`) is written:
    `<path>/index.html`, the path percent-decoded (`2016/06/01/%ce%b5…` is served from the file
    `2016/06/01/ε…/`); None when it is no plain site path, or its first folder is in `taken`, one
    of the site's own names or a top-level name of static/ (`site_name_clash`)."""
    path = unquote(alias).strip("/")
    parts = path.split("/")
    if (not _ALIAS_PATH.fullmatch(path) or any(part in (".", "..") for part in parts) or parts[0] in taken
            or site_name_clash(parts[0], static_names)):
        return None
    return f"{path}/index.html"
