"""Slugs of hostile titles are safe, bounded and unique."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blogcli.model.slug import MAX_SLUG_LENGTH, is_safe_slug, slugify, unique_slug


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Hello, World!", "hello-world"),
        ("Café crème", "cafe-creme"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-post"),
        ("lpt1", "lpt1-post"),
        ("🚌🌙", "untitled"),
        ("", "untitled"),
        ("   ", "untitled"),
        ("a/b\\c", "a-b-c"),
    ],
)
def test_hostile_titles(title, slug):
    assert slugify(title) == slug


def test_long_titles_are_bounded_at_a_word():
    slug = slugify("word " * 100)
    assert len(slug) <= MAX_SLUG_LENGTH and not slug.endswith("-")
    assert len(slugify("x" * 500)) == MAX_SLUG_LENGTH


@given(st.text())
def test_any_title_gives_a_safe_slug(title):
    slug = slugify(title)
    assert is_safe_slug(slug)
    assert "/" not in slug and ".." not in slug and slug.isascii()


@given(st.lists(st.text(max_size=80), max_size=30))
def test_unique_slugs_stay_unique_and_bounded(titles):
    taken: set[str] = set()
    for title in titles:
        slug = unique_slug(slugify(title), taken)
        assert slug not in taken and len(slug) <= MAX_SLUG_LENGTH
        taken.add(slug)
