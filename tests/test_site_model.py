"""The site model's choice of posts: which slugs can have a page, settled at once for a big blog."""

from __future__ import annotations

import datetime as dt

import pytest

from blogcli.model.post import Post
from blogcli.model.reserved import none_clash, site_name_clash
from blogcli.site.model import without_clashes

UTC = dt.timezone.utc


def published(slug: str) -> Post:
    return Post(f"published/{slug}.md", "published", slug, None, date=dt.datetime(2026, 11, 2, 9, tzinfo=UTC))


@pytest.mark.parametrize("names", [
    [], ["night-bus", "tagsx", "feed"], ["night-bus", ".hidden"], ["TAGS"], ["index.html"], ["Images"], ["images2", "x"],
    ["über", "ﬁle"],
])
def test_none_clash_says_what_site_name_clash_says_of_every_name(names):
    statics = {"images", "file"}  # casefolded, as output.static_names gives them
    assert none_clash(names, statics) == all(site_name_clash(name, statics) is None for name in names)


def test_posts_whose_slug_clashes_are_left_out_with_a_warning_and_the_others_kept_in_order():
    posts = [published(slug) for slug in ("b-post", "Tags", "a-post", ".dot", "images")]
    warnings: list[str] = []
    kept = without_clashes(posts, {"images"}, warnings)
    assert [p.slug for p in kept] == ["b-post", "a-post"]
    assert len(warnings) == 3 and all("left out (rename it)" in warning for warning in warnings)
    clean = posts[::2][:2]
    assert without_clashes(clean, {"images"}, warnings) == clean and len(warnings) == 3
