"""A speed trick: every place of a few words in a text, found in one pass (Aho-Corasick).

The teasers' prefilter (model/teasers.py, `_anchor_hits`) looks for ~26 words in every series
part's body. One `str.find` loop a word reads the body ~26 times: ~140 µs a 6 KB body, a third of
teaser detection, which a full build of the 10,000-post corpus runs for 3,725 parts. The
automaton of `ahocorasick-rs` (Rust) reads it once: ~25 µs, the same places (0.51 -> 0.07 s of
CPU for those parts, best of five, in one process).

Fallback: without the package (a platform it has no wheel for), or for a text it cannot take (a
lone surrogate, which is no UTF-8), each word is looked for with `str.find`, as before; the two
give the same places (tests/test_word_search.py). Public API only; pyproject.toml pins 1.x
(measured on 1.0.3), whose `find_matches_as_indexes` counts offsets in code points.
"""

from __future__ import annotations

import functools
from typing import Callable

Places = list[tuple[int, int]]  # (the word's index in the words searched for, its offset), every one


@functools.cache
def place_finder(words: tuple[str, ...]) -> Callable[[str], Places]:
    """A function giving every place of `words` in a text, overlapping ones too, in no set order."""
    try:
        from ahocorasick_rs import AhoCorasick

        automaton = AhoCorasick(list(words))  # the standard match kind: overlapping matches are reported
    except ImportError:
        return functools.partial(places_by_find, words)

    def places(text: str) -> Places:
        try:
            return [(index, start) for index, start, _end in automaton.find_matches_as_indexes(text, overlapping=True)]
        except UnicodeError:  # a lone surrogate
            return places_by_find(words, text)

    return places


def places_by_find(words: tuple[str, ...], text: str) -> Places:
    """The same places, one `str.find` loop a word (the fallback, and what the tests compare with)."""
    found = []
    for index, word in enumerate(words):
        at = text.find(word)
        while at >= 0:
            found.append((index, at))
            at = text.find(word, at + 1)
    return found
