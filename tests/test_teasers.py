"""Teaser detection: a table of real-style sentences, the seed post, and any text at all."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blogcli.model.teasers import (
    _ANCHOR_SETS,
    _ANCHORS,
    _FOLD,
    _GATE_SPEC,
    _GATES,
    _RULES,
    PROMISE,
    RESTATEMENT,
    TOPIC_WORDS,
    _CUE,
    _anchor_hits,
    _block_around,
    _blocks,
    _detect,
    _folded,
    _has_cue,
    _sentences_at,
    _workable,
    detect_teasers,
    post_teaser,
)

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
    # A topic ends where its clause does (because, since + a subject, so that, ", which", a dash, a
    # parenthesis), and is at most TOPIC_WORDS words long.
    ("Next time I'll cover what the neighbours' house sounds like, because theirs is the mirror image of ours.",
     PROMISE, "what the neighbours' house sounds like"),
    ("Next week I'll look at the depot, which is where the drivers rest.", PROMISE, "the depot"),
    ("Next week I'll look at the depot since it is where it all starts.", PROMISE, "the depot"),
    ("Next week I'll look at what changed since the 2011 cut.", PROMISE, "what changed since the 2011 cut"),
    ("Next week I'll look at the depot (and its canteen).", PROMISE, "the depot"),
    ("Next week I'll look at the depot so that you know where the buses sleep.", PROMISE, "the depot"),
    ("Next week I'll look at the depot — the heart of it all.", PROMISE, "the depot"),
    ("Next week I'll look at the long and frankly rather tedious history of the night bus network of this city.",
     PROMISE, "the long and frankly rather tedious history of the night bus network"),
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


@pytest.mark.parametrize("sentence, topic", [
    ("I'll be discussing the fare structure.", "the fare structure"),
    ("We will cover the night buses.", "the night buses"),
    ("Then I am going to dig into the archive.", "the archive"),
])
def test_a_future_discussion_verb_alone_promises(sentence, topic):
    # No time marker, no blog marker: only the future-discussion rule finds these, so the
    # prefilter must let them through to it (the table above holds none such).
    [teaser] = detect_teasers(sentence)
    assert (teaser.kind, teaser.topic, teaser.text) == (PROMISE, topic, sentence)


def test_topics_are_short_enough_to_be_titles():
    assert all(len(topic.split()) <= TOPIC_WORDS for _, kind, topic in CASES if kind)


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
    assert post_teaser(None, "Stay tuned!") == "", "a teaser without a topic is never its sentence"


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

_GATE_WORDS = sorted(frozenset().union(*(words for gate in _GATES for words in gate)))

_CUE_PIECES = [
    *_GATE_WORDS,
    *(word.upper() for word in _GATE_WORDS),
    *(word.title() for word in _GATE_WORDS),
    "ſaid", "promiſed", "İ'll", "ı will", "tomorrow", "ſoon", "week", "I", "I’ll", "we’re going to", "let’s", "as promised",
    "stay tuned", "in my next post", "part 3", "in a week's time", "look at", "the depot", "fares", "and I did", "and I will",
    "I'll be discussing", "we will cover the depot", "I'm going to dig into", "I shall examine fares", "Next up:", "tune in to see",
    "I said I'd",
]
_FILLER = [" ", " ", " ", ", ", ". ", "! ", "? ", "\n", "\n\n", ": ", " — ", "“", "”", '"', "`", "```\n", "    ", "> ", "- ", "# ", "the", "bus",
           "\r\n", "  \n", "\t", "| ", "1. ", "* ", "e.g. ", "Dr. ", "<!-- ", " -->", "~~~\n", "\u2028"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES + _FILLER + [c[0] for c in CASES]), max_size=40))
def test_the_prefilter_finds_exactly_what_reading_every_sentence_finds(pieces):
    text = "".join(pieces)
    assert detect_teasers(text) == _detect(text, prefilter=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("nextwilsodumpraIKſİı'’ .,!?\n#>-`\""), max_size=200))
def test_the_prefilter_agrees_on_letter_soup(text):
    assert detect_teasers(text) == _detect(text, prefilter=False)


def _looked_at(text: str) -> list[str]:
    """The sentences of `text` the prefilter lets through to be classified."""
    work = _workable(text)
    return [text[start:end] for start, end, _ in _sentences_at(work, _folded(text), _anchor_hits(_folded(text)))]


def test_the_cue_words_come_from_the_rules():
    # Words the rules need (restatements, blog markers, intentions), read off the patterns.
    for word in ("said", "promised", "next", "soon", "tune", "will", "'ll", "coming", "future"):
        assert word in _GATE_WORDS
    # "tune" is found inside "stay tuned" too: a way that needs "tuned" would only ever open where
    # the way that needs "tune" does, so it is not kept.
    assert "tuned" not in _GATE_WORDS
    assert _looked_at("Stay tuned!") == ["Stay tuned!"]
    # A sentence without any is skipped; with the words of one rule it is read.
    assert _looked_at("The bus was late again.") == []
    assert _looked_at("The bus was late again. Next week I'll look at it.") == ["Next week I'll look at it."]
    # An anchor word alone is not always enough: "more" ("More on X next time") needs another.
    assert _looked_at("More buses ran. More on this soon.") == ["More on this soon."]


def test_an_optional_character_gives_a_way_with_it_and_one_without():
    # "in a follow-?up post": the word is "follow-up" or "followup", never "follow" alone, so the
    # corpus's "follow the timetable" is not looked at, and a follow-up post still is.
    assert _ways("follow-?up") == [(frozenset(["follow-up"]),), (frozenset(["followup"]),)]
    assert "follow" not in _GATE_WORDS and {"follow-up", "followup"} <= set(_GATE_WORDS)
    assert _looked_at("You follow the timetable to the post office.") == []
    for text in ("In a follow-up post I'll look at the depot.", "In a followup post I'll look at the depot."):
        assert _looked_at(text) == [text]
        assert detect_teasers(text) == _detect(text, prefilter=False) != []


def test_each_way_is_anchored_by_one_of_its_own_word_sets():
    # Sentences are looked for around the anchor words only: every way must hold one of its sets.
    assert all(anchor in gate for anchor, gate in zip(_ANCHOR_SETS, _GATES, strict=True))
    assert set(_ANCHORS) == set().union(*_ANCHOR_SETS)
    # An anchor word starts with a letter or an apostrophe: never in the list marks, quote marks
    # and spaces that `_trimmed` cuts off a sentence (so the sentence still holds it).
    assert all(word[0].isalpha() or word[0] == "'" for word in _ANCHORS)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "bc. ", "word", " ", "\n", "\n\n", "  \n", "\r\n", "\t", "    ", "# ", "> ", "- ", "* ", "+ ",
                                 "1. ", "12) ", "|", "```\n", "\u2028", "\x0c"]), max_size=40))
def test_the_block_around_an_offset_is_the_block_that_holds_it(pieces):
    work = "".join(pieces)
    blocks = _blocks(work)
    for at in range(len(work)):
        holding = [block for block in blocks if block[0] <= at < block[1]]
        if work[at] != "\n" and holding:
            assert _block_around(work, at) == holding[0], (work, at)
        elif not work[work.rfind("\n", 0, at) + 1 : (work + "\n").find("\n", at)].strip():
            assert _block_around(work, at) is None


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["next", "NEXT", "ſaid", "promiſe", "wrıte", "İ'll", "'ll", "going", "GOING", "to", "tune", "in", "watch",
                                 "this", "like", "part", "pArt", "time", "aim", "let", "bus", " ", "  ", "\t", "\n", "\u2028", ".", "x"]),
                max_size=12))
def test_the_cue_words_find_what_the_cue_pattern_finds(pieces):
    sentence = "".join(pieces)
    assert _has_cue(sentence) == bool(_CUE.search(sentence))


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


def test_the_rules_are_compiled_only_when_a_sentence_needs_them():
    # Compiling them all costs a process ~10 ms: importing costs none, a body without cues none.
    code = (
        "import blogcli.model.teasers as t\n"
        "t.detect_teasers('The bus was late again. Nobody on the top deck.')\n"
        "print([name for name, value in vars(t).items() if isinstance(value, t._Lazy) and 'compiled' in vars(value)])\n"
        "t.detect_teasers('Next week I will look at the depot.')\n"
        "print('_PROMISE_VERB' in [name for name, value in vars(t).items() if 'compiled' in getattr(value, '__dict__', {})])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["[]", "True"]


# -- the prefilter's gates, derived from the rules' patterns -------------------------------------
# The module holds them as a literal (`_GATE_SPEC`): reading them off the patterns at import took
# ~25 ms a process and relied on `re._parser`, a CPython internal. Here they are derived again, and
# compared, so that a rule changed without regenerating the spec fails loudly.

_MAX_WAYS = 16


def _ways(pattern: str) -> list[tuple[frozenset[str], ...]]:
    """How a match of `pattern` can look, read off its syntax tree: a list of ways, each a tuple
    of word sets of which every one has a word in the match.

    A run of literal characters is a word the match needs; so is what a group, a lookaround or a
    repeat of at least once needs. An optional character (`follow-?up`) gives two ways, one with
    it and one without, each with its own run ("follow-up", "followup", not "follow" alone). An alternation gives one way per branch. Where the ways of a
    sequence would multiply past `_MAX_WAYS`, a part's ways merge into one (`_merged`)."""
    from re import _parser

    def ways_of(items) -> list[tuple]:
        items = list(items)
        for at, (op, arg) in enumerate(items):  # `x?`, one optional character: a way with it and one without
            if op is _parser.MAX_REPEAT and arg[:2] == (0, 1) and len(arg[2]) == 1 and arg[2][0][0] is _parser.LITERAL:
                return list(dict.fromkeys([*ways_of([*items[:at], arg[2][0], *items[at + 1 :]]),
                                           *ways_of(items[:at] + items[at + 1 :])]))
        found: list[tuple] = [()]
        run = ""
        for op, arg in [*items, (None, None)]:
            if op is _parser.LITERAL:
                run += chr(arg).lower()
                continue
            parts = [(frozenset([run]),)] if len(run) >= 3 else [()]
            run = ""
            if op is _parser.SUBPATTERN or op is _parser.ATOMIC_GROUP:
                parts = [a + b for a in parts for b in ways_of(arg[-1] if op is _parser.SUBPATTERN else arg)]
            elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT) and arg[0] >= 1:
                parts = [a + b for a in parts for b in ways_of(arg[2])]
            elif op is _parser.ASSERT:  # a lookaround reads the sentence too
                parts = [a + b for a in parts for b in ways_of(arg[1])]
            elif op is _parser.BRANCH:
                branches = [ways_of(branch) for branch in arg[1]]
                if sum(map(len, branches)) > _MAX_WAYS:  # one way per branch, then
                    branches = [[_merged(ways)] for ways in branches]
                parts = [a + b for a in parts for ways in branches for b in ways]
            found = _product(found, parts)
        return found

    return ways_of(_parser.parse(pattern, re.I))


def _product(ways: list[tuple], more: list[tuple]) -> list[tuple]:
    """Every way of `ways` followed by every way of `more`, merged when they would be too many."""
    if len(ways) * len(more) > _MAX_WAYS:
        if len(more) > 1:
            more = [_merged(more)]
        if len(ways) * len(more) > _MAX_WAYS:
            ways = [_merged(ways)]
    return list(dict.fromkeys(a + b for a in ways for b in more))


def _merged(ways: list[tuple]) -> tuple:
    """One way for many: the sets all of them need, then, place by place, the union of each way's
    other sets ("in a (future|later) (post|part)": future|later, then post|part). Any union
    holding one set of every way is needed by all of them."""
    common = tuple(words for words in ways[0] if all(words in way for way in ways[1:]))
    rest = [[words for words in way if words not in common] for way in ways]
    places = min(map(len, rest))
    return tuple(dict.fromkeys([*common, *(frozenset().union(*(way[i] for way in rest)) for i in range(places))]))


def _opens(way: tuple, other: tuple) -> bool:
    """Whether every sentence that holds `way` holds `other` too: each set of `other` has a word
    inside some word of one of way's sets (the prefilter finds words as substrings: "tuned" holds
    "tune")."""
    return all(any(all(any(word in longer for word in words) for longer in mine) for mine in way) for words in other)


def derived_gates() -> list[tuple[int, tuple[frozenset[str], ...]]]:
    """(rule, way) for each way of finding a teaser as `_RULES` reads (the ways of all of a rule's
    patterns, in sequence), without those that only ever open where another of the rule does."""
    gates = []
    for number, rule in enumerate(_RULES):
        rule_ways: list[tuple] = [()]
        for pattern in rule:
            rule_ways = _product(rule_ways, _ways(pattern.pattern))
        ways = list(dict.fromkeys(frozenset(way) for way in rule_ways))
        needed = [way for i, way in enumerate(ways) if not any(_opens(way, other) and (j < i or not _opens(other, way)) for j, other in enumerate(ways) if j != i)]
        gates += [(number, tuple(sorted(way, key=sorted))) for way in needed]
    return gates


def gate_spec() -> tuple[str, ...]:
    return tuple(f"{rule}: " + " ".join("|".join(sorted(words)) for words in way) for rule, way in derived_gates())


def gate_spec_source() -> str:
    """`_GATE_SPEC` as it should read in blogcli/model/teasers.py."""
    lines = "".join(f"    {json.dumps(line, ensure_ascii=False)},\n" for line in gate_spec())
    return f"_GATE_SPEC = (\n{lines})"


def test_the_gates_are_the_ones_the_rules_give():
    assert _GATE_SPEC == gate_spec(), f"the rules changed: in blogcli/model/teasers.py, replace _GATE_SPEC with\n{gate_spec_source()}"


if __name__ == "__main__":  # regenerates the spec: paste the output into the module
    print(gate_spec_source())
