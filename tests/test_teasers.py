"""Teaser detection: a table of real-style sentences, the seed post, and any text at all."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blogcli.model.teasers import _CUE_WORDS, _FOLD, _GATES, PROMISE, RESTATEMENT, _Cues, _detect, detect_teasers, post_teaser

# (sentence, kind or None, expected topic) — the decisions are in the comments.
CASES = [
    # Plain promises: a forward time marker and a first-person intention.
    ("So next week I'll look at who actually rides after midnight.", PROMISE, "who actually rides after midnight"),
    ("Next week I'll discuss the fare structure.", PROMISE, "the fare structure"),
    ("so next week let’s see where these ‘seeds’ are being planted.", PROMISE, "where these ‘seeds’ are being planted"),
    ("That makes me wonder who decided where it goes, so next week let's see how the timetable was drawn in the first place.",
     PROMISE, "how the timetable was drawn in the first place"),
    ("Next week I'm going to dig into the budget.", PROMISE, "the budget"),
    ("Next time, let’s ask the drivers themselves.", PROMISE, "the drivers themselves"),
    ("Later in this series I'll compare London and Paris.", PROMISE, "London and Paris"),
    # A trailing time marker is not part of the topic.
    ("I will be looking at the depot next week.", PROMISE, "the depot"),
    ("I will be discussing the night tube in the coming weeks.", PROMISE, "the night tube"),
    ("I'll cover the strike in a future post.", PROMISE, "the strike"),
    ("We'll look at the maps in part 4.", PROMISE, "the maps"),
    # A conditional promise is still a promise: readers will expect it.
    ("If I have time next week, I'll look at fares too.", PROMISE, "fares"),
    # Markers that can only mean the blog itself need no "I'll".
    ("In my next post I look at the depot.", PROMISE, "the depot"),
    ("My next post will cover the depot strike.", PROMISE, "the depot strike"),
    ("In the next part, the depot.", PROMISE, "the depot"),
    ("Stay tuned for the interview with the scheduler.", PROMISE, "the interview with the scheduler"),
    ("Next week: who drew the map.", PROMISE, "who drew the map"),
    ("Coming up next week: the 2011 cut.", PROMISE, "the 2011 cut"),
    ("Next week's post will be about the depot.", PROMISE, "the depot"),
    ("The next part of the series looks at the depot.", PROMISE, "the depot"),
    ("Part three will look at the depot.", PROMISE, "the depot"),
    ("Up next week: fares.", PROMISE, "fares"),
    ("More on the depot next time.", PROMISE, "the depot"),
    ("Next week, we'll dive into the archive.", PROMISE, "the archive"),
    # An anaphoric topic is kept as written: the ledger then relies on `fulfils`.
    ("I'll get to that next week.", PROMISE, "that"),
    # "Stay tuned!" promises something, but names no topic.
    ("Stay tuned!", PROMISE, ""),
    # Markdown inside the sentence does not leak into the topic.
    ("Next week I'll look at [the depot](depot.md) and **its drivers**.", PROMISE, "the depot and its drivers"),
    # Restatements: an earlier promise carried over (or acknowledged), never a new one.
    ("I know I said I would be discussing the archive, and I will!", RESTATEMENT, "the archive"),
    ("Last week I said I would be looking at who actually rides after midnight, and I did.", RESTATEMENT,
     "who actually rides after midnight"),
    ("Two weeks ago I promised to find out how the N29’s timetable was drawn.", RESTATEMENT, "how the N29’s timetable was drawn"),
    ("I have mentioned that I'd look at the depot, but first the fares.", RESTATEMENT, "the depot"),
    # Not teasers: dates in a news sense.
    ("Next week's election will change everything.", None, None),
    ("The council votes next week on the cuts.", None, None),
    # Not teasers: this very post, and things that are not about writing.
    ("In this post I'll discuss the survey results.", None, None),
    ("I'll explain the numbers below.", None, None),
    ("I'll be honest, it was cold.", None, None),
    ("I'm going to witness the strengths of new media.", None, None),
    ("Next time you take the bus, look up.", None, None),
    # A sign-off is not a promise of a topic.
    ("See you next week!", None, None),
    # Plans of the author's life are not topics: an intention needs a verb of writing or looking.
    ("I'm going to Berlin next week.", None, None),
    ("Tomorrow I'm going to ride the N29 again.", None, None),
    ("Part three was a mess.", None, None),
    ("More on this below.", None, None),
    # A pause announced is the opposite of a promise.
    ("I'll be away next week, so no post.", None, None),
    ("Next week is reading week, so there won't be a post.", None, None),
    ("If I promise a topic for next week, hold me to it.", None, None),
    # Questions ask readers; they promise nothing.
    ("What should I look at next week?", None, None),
    # Quoted speech is someone else's words.
    ('She said "I\'ll see you next week" and left.', None, None),
    ("Mariam said “next week I'll be on the early shift” and laughed.", None, None),
    # Looking back is not looking forward.
    ("Last week I looked at the fares.", None, None),
]


@pytest.mark.parametrize("sentence, kind, topic", CASES, ids=[c[0][:40] for c in CASES])
def test_sentence_table(sentence, kind, topic):
    found = detect_teasers(sentence)
    if kind is None:
        assert found == []
        return
    assert len(found) == 1, found
    assert found[0].kind == kind
    assert found[0].topic == topic
    assert found[0].text == sentence


def test_table_is_big_enough():
    assert len(CASES) >= 30
    assert sum(1 for c in CASES if c[1] is None) >= 10


def test_offsets_and_lines_point_into_the_body():
    body = "First line.\n\nSome text here. So next week\nI'll look at the depot.\n"
    [teaser] = detect_teasers(body)
    assert body[teaser.start : teaser.end] == teaser.text == "So next week\nI'll look at the depot."
    assert teaser.line == 3
    assert teaser.topic == "the depot"


def test_code_is_never_a_teaser():
    body = "```\nnext week I'll look at the depot.\n```\n\nThe `next week I'll cover x` span.\n"
    assert detect_teasers(body) == []
    indented = "Code:\n\n    print('x')\n    # next week I'll look at the depot.\n\n| next week I'll cover fares. |\n"
    assert detect_teasers(indented) == []


def test_the_seed_post(seed_text):
    found = detect_teasers(seed_text)
    first, *_ = found
    assert first.kind == RESTATEMENT
    assert first.text.startswith("I know the past few posts I have said I will be discussing")
    assert first.topic == "the illegal consumption of information and technology in North Korea"
    promises = [t for t in found if t.kind == PROMISE]
    assert promises[-1].text == "so next week let’s see where these ‘seeds’ are being planted."
    assert promises[-1].topic == "where these ‘seeds’ are being planted"
    # Nothing else in the post (or its comments) reads as a promise: "I am going to witness…" is not one.
    assert len(promises) == 1
    assert post_teaser(None, seed_text) == "where these ‘seeds’ are being planted"


def test_front_matter_next_wins():
    assert post_teaser("the 2011 cut", "Next week I'll look at the depot.") == "the 2011 cut"
    assert post_teaser(None, "Next week I'll look at the depot.") == "the depot"
    assert post_teaser(None, "Nothing to see.") is None


def test_the_last_promise_with_a_topic_is_the_post_teaser():
    body = "Next week I'll look at the depot. Stay tuned!"
    assert post_teaser(None, body) == "the depot"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_is_safe(text):
    for teaser in detect_teasers(text):
        assert 0 <= teaser.start < teaser.end <= len(text)
        assert text[teaser.start : teaser.end] == teaser.text
        assert teaser.kind in (PROMISE, RESTATEMENT)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([c[0] for c in CASES] + ["\n", "\n\n", "```\n", "> ", "- ", "# ", " ", "“", "”", '"']), max_size=12))
def test_sentences_glued_together_are_safe(pieces):
    text = "".join(pieces)
    for teaser in detect_teasers(text):
        assert text[teaser.start : teaser.end] == teaser.text


# -- the prefilter: only sentences holding the words some rule needs are classified --------------

_CUE_PIECES = [
    *_CUE_WORDS,
    *(word.upper() for word in _CUE_WORDS),
    *(word.title() for word in _CUE_WORDS),
    "ſaid", "promiſed", "İ'll", "ı will", "tomorrow", "ſoon", "week", "I", "I’ll", "we’re going to", "let’s", "as promised",
    "stay tuned", "in my next post", "part 3", "in a week's time", "look at", "the depot", "fares", "and I did", "and I will",
]
_FILLER = [" ", " ", " ", ", ", ". ", "! ", "? ", "\n", "\n\n", ": ", " — ", "“", "”", '"', "`", "```\n", "    ", "> ", "- ", "# ", "the", "bus"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES + _FILLER + [c[0] for c in CASES]), max_size=40))
def test_the_prefilter_finds_exactly_what_reading_every_sentence_finds(pieces):
    text = "".join(pieces)
    assert detect_teasers(text) == _detect(text, prefilter=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("nextwilsodumpraIKſİı'’ .,!?\n#>-`\""), max_size=200))
def test_the_prefilter_agrees_on_letter_soup(text):
    assert detect_teasers(text) == _detect(text, prefilter=False)


def test_the_cue_words_come_from_the_rules():
    # Words the rules need (restatements, blog markers, intentions), read off the patterns.
    for word in ("said", "promised", "next", "soon", "tuned", "will", "'ll", "coming", "future"):
        assert word in _CUE_WORDS
    # A sentence without any is skipped; with the words of one rule it is read.
    assert not _Cues("The bus was late again.").may_tease(0, 23)
    assert _Cues("Next week I'll look at it.").may_tease(0, 26)


def test_the_case_folding_covers_every_letter_the_rules_match():
    # re.I matches these non-ASCII letters to ASCII ones; the prefilter must fold them alike.
    everything = "".join(chr(i) for i in range(128, 0x110000) if not 0xD800 <= i < 0xE000)
    others = re.findall("[a-z]", everything, re.I)
    assert others, "Python's re no longer folds any non-ASCII letter to ASCII: simplify _FOLD"
    for letter in others:
        folded = letter.translate(_FOLD).lower()
        assert folded.isascii() and re.fullmatch(folded, letter, re.I), letter


def test_every_way_of_finding_a_teaser_needs_some_word():
    # A way that needs no word would let every sentence through: the prefilter would do nothing.
    assert all(_GATES)
