"""Slugs of hostile titles are safe, bounded and unique; letters of every script are kept."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blogcli.model.slug import MAX_SLUG_BYTES, MAX_SLUG_LENGTH, is_safe_slug, slug_of_file, slug_problem, slugify, unique_slug


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Hello, World!", "hello-world"),
        ("Café crème", "café-crème"),
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


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Привет мир", "привет-мир"),
        ("東京の夜", "東京の夜"),
        ("Über Straße", "über-straße"),
        ("Ελληνικά", "ελληνικά"),
        ("नमस्ते दुनिया", "नमस्ते-दुनिया"),  # combining vowel signs stay with their letters
        ("ＡＢＣ ﬁle", "abc-file"),  # NFKC: full-width letters and ligatures become plain ones
        ("U\u0308ber", "über"),  # decomposed input gives the composed (NFC) slug
        ("Привет, мир! 🚌", "привет-мир"),
    ],
)
def test_letters_of_every_script_are_kept(title, slug):
    assert slugify(title) == slug


@pytest.mark.parametrize("title", ["Hello, World!", "Why the Night Bus?", "Don't stop", "a/b\\c", "CON", "2026: a year", "x" * 90])
def test_ascii_titles_give_the_slugs_they_always_gave(title):
    import re

    old = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")  # the rule before Unicode slugs
    assert slugify(title) in (old, old + "-post", old[:60])


def test_long_scripts_are_bounded_in_bytes_too():
    slug = slugify("東" * 100)
    assert len(slug) == 60 and len(slug.encode()) == 180
    devanagari = slugify("नमस्ते" * 30)
    assert len(devanagari.encode()) <= MAX_SLUG_BYTES and unicodedata.category(devanagari[0])[0] == "L"


@given(st.text())
def test_any_title_gives_a_safe_slug(title):
    slug = slugify(title)
    assert is_safe_slug(slug)
    assert slugify(slug) == slug  # a slug is its own slug
    assert "/" not in slug and "\\" not in slug and ".." not in slug and not slug.startswith(("-", "."))
    assert slug == unicodedata.normalize("NFC", slug) and len(slug.encode()) <= MAX_SLUG_BYTES
    assert all(unicodedata.category(c)[0] in "LMN" or c == "-" for c in slug)


@pytest.mark.parametrize("text", ["Foo Bar", "foo--bar", "-foo", "con", "", "a" * 61, "FOO", "foo/bar", "foo.md"])
def test_typed_slugs_that_are_not_slugs_say_why(text):
    assert not is_safe_slug(text)
    assert slug_problem(text)


@pytest.mark.parametrize("text", ["foo-bar", "привет-мир", "東京の夜", "über-straße", "my-post-2"])
def test_typed_slugs_that_are_slugs_pass(text):
    assert is_safe_slug(text) and slug_problem(text) is None


def test_file_names_from_macos_are_read_as_nfc():
    assert slug_of_file(unicodedata.normalize("NFD", "über-straße.md")) == "über-straße"
    assert slug_of_file("plain.md") == "plain"


@given(st.lists(st.text(max_size=80), max_size=30))
def test_unique_slugs_stay_unique_and_bounded(titles):
    taken: set[str] = set()
    for title in titles:
        slug = unique_slug(slugify(title), taken)
        assert slug not in taken and len(slug) <= MAX_SLUG_LENGTH
        taken.add(slug)
