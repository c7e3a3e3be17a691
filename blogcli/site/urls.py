"""Where things are on the site: post URLs and output paths, tag pages, and links inside posts.

The site lives under its base path: `/`, or `/blog/` for a base_url of https://example.org/blog/.
Every link a page holds starts with it; feeds and the sitemap use the absolute base_url instead.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from blogcli.model.links import is_external, linked_slug, static_path
from blogcli.model.post import Post
from blogcli.model.slug import slugify

STYLESHEET = "assets/style.css"


def base_path(base_url: str) -> str:
    """The site's path on its host (`/`, or `/blog/` for https://example.org/blog/)."""
    return urlsplit(base_url).path or "/"


def _slug_of(post: Post | str) -> str:
    return post if isinstance(post, str) else post.slug


def url_for(post: Post | str, base: str = "/") -> str:
    """A post's URL: `/<slug>/` by default, absolute when given the site's base_url."""
    return f"{base}{_slug_of(post)}/"


def post_output(post: Post | str) -> str:
    """The output path of a post's page, relative to the output folder: `<slug>/index.html`."""
    return f"{_slug_of(post)}/index.html"


def page_path(out: Path, post: Post | str) -> Path:
    """The file that holds a post's page: `<out>/<slug>/index.html`."""
    return out / post_output(post)


def canonical_url(base_url: str, output: str) -> str:
    """The absolute URL of the page written at `output` (`tags/x/index.html` → `<base_url>tags/x/`)."""
    return base_url + output.removesuffix("index.html")


@functools.lru_cache(maxsize=4096)
def tag_slug(tag: str) -> str:
    """A tag's page name; cached, as thousands of posts share a few dozen tags."""
    return slugify(tag)


def tag_url(base: str, tag: str) -> str:
    return f"{base}tags/{tag_slug(tag)}/"


def series_url(base: str, key: str) -> str:
    return f"{base}series/{key}/"


def link_rewriter(base: str) -> Callable[[str], str]:
    """Links to post files (`other.md#x`) become page URLs; local paths resolve against static/."""

    def rewrite(url: str) -> str:
        if not url or is_external(url):
            return url
        slug = linked_slug(url)
        if slug:
            fragment = urlsplit(url).fragment
            return f"{base}{slug}/" + (f"#{fragment}" if fragment else "")
        path = static_path(url)
        return base + path if path is not None else url

    return rewrite
