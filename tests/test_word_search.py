"""model/word_search.py: the one-pass search for the teasers' anchor words gives the places the
`str.find` loops give, with the package and without it (the fallback)."""

from __future__ import annotations

import builtins
import functools
import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blogcli.model import word_search
from blogcli.model.teasers import _ANCHOR_WORDS, _anchor_hits, _folded

WORDS = ("next", "'ll", "time", "follow-up", "ext", "é", "tt")


def _sorted(places):
    return sorted(places)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("next'l timefolw-upé\u2028\U0001F600t"), max_size=120))
def test_one_pass_finds_every_place_the_searches_find(text):
    assert _sorted(word_search.place_finder(WORDS)(text)) == _sorted(word_search.places_by_find(WORDS, text))


def test_overlapping_places_and_offsets_in_characters_not_bytes():
    text = "é\U0001F600nextt'll — next time"
    places = _sorted(word_search.place_finder(WORDS)(text))
    assert places == _sorted(word_search.places_by_find(WORDS, text))
    # "ext" inside "next", "tt" over its end; offsets in code points (é and the emoji are one each)
    assert {(0, 2), (4, 3), (6, 5), (1, 7), (0, 13), (4, 14), (2, 18), (5, 0)} == set(places)


def test_the_package_is_the_one_pass():
    pytest.importorskip("ahocorasick_rs")
    assert not isinstance(word_search.place_finder(WORDS), functools.partial)


def test_a_lone_surrogate_falls_back_to_the_searches():
    text = "next\ud800 time"
    assert _sorted(word_search.place_finder(WORDS)(text)) == [(0, 0), (2, 6), (4, 1)]


def test_without_the_package_the_searches_are_used(monkeypatch):
    real_import = builtins.__import__

    def no_package(name, *args, **kwargs):
        if name.startswith("ahocorasick_rs"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_package)
    fresh = importlib.reload(word_search)
    try:
        finder = fresh.place_finder(WORDS)
        assert finder.func is fresh.places_by_find
        assert _sorted(finder("next time")) == [(0, 0), (2, 5), (4, 1)]
    finally:
        monkeypatch.undo()
        importlib.reload(word_search)


def test_the_teasers_anchor_hits_are_the_searches_places():
    text = "Next week I'll follow up. In a follow-up post, more on this — sometime."
    folded = _folded(text)
    expected: dict[int, int] = {}
    from blogcli.model.teasers import _ANCHORS

    for index, at in word_search.places_by_find(_ANCHOR_WORDS, folded):
        expected[at] = expected.get(at, 0) | _ANCHORS[_ANCHOR_WORDS[index]]
    assert _anchor_hits(folded) == expected != {}
