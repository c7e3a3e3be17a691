"""Teasers: the sentences in which a post promises its next topic ("next week I'll look at…").

Detection is a handful of regular expressions over sentences, tuned on real weekly-series posts:

* Restatements are tried first: "I know I said I would be discussing X, and I will!", "Last week
  I said I'd look at X", "Two weeks ago I promised to find out X". They carry an earlier promise
  over (or acknowledge keeping it); they are never read as a new promise.
* A promise needs a cue about the blog's own future, not just a date: a forward time marker
  ("next week", "next time", "in the coming weeks") together with a first-person intention
  ("I'll", "let's", "we're going to"); or a marker that only means the blog ("in my next post",
  "in the next part", "stay tuned", "Next week: X"); or a future discussion verb on its own
  ("I will be discussing X", "I'll cover X") when nothing says it is about this very post.
* Not promises: news-sense dates ("next week's election", "the council votes next week"),
  questions, announcements of a pause ("no post next week", "I'll be away"), anything inside
  code, and quoted speech in double quotes ("she said “see you next week”").

Matching runs on a copy of the text with curly apostrophes made straight and code and quoted
speech blanked out, of the same length, so every offset points into the body as written. Most
sentences are never split out nor classified: a prefilter (below) finds the few that hold the
words some rule needs.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from dataclasses import dataclass

from blogcli.model.code_blocks import blank_code_spans, code_lines

PROMISE = "promise"
RESTATEMENT = "restatement"


@dataclass(frozen=True)
class Teaser:
    text: str  # the sentence as written
    topic: str  # the teased topic, a short phrase ("" when the sentence names none: "Stay tuned!")
    kind: str  # "promise" or "restatement"
    start: int  # offsets of the sentence in the body
    end: int
    line: int  # 1-based line of the sentence's start in the body


class _Lazy:
    """A regular expression compiled on first use: compiling the rules' patterns costs a process
    ~10 ms, and the prefilter keeps most bodies from reaching most of them (many reach none)."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags

    @functools.cached_property
    def compiled(self) -> re.Pattern:
        return re.compile(self.pattern, self.flags)

    def __getattr__(self, name: str):
        """`search`, `match`…: the compiled pattern's own, looked up once and then kept here."""
        method = getattr(self.compiled, name)
        setattr(self, name, method)
        return method


# -- the vocabulary ---------------------------------------------------------------------------

_I_WILL = r"(?:i\s*'ll|i\s+will|i\s+shall|i\s*'m\s+going\s+to|i\s+am\s+going\s+to|i\s+plan\s+to|i\s+hope\s+to|i\s+want\s+to|i\s*'d\s+like\s+to|i\s+intend\s+to|i\s+aim\s+to|let\s*'s|let\s+us|we\s*'ll|we\s+will|we\s*'re\s+going\s+to|we\s+are\s+going\s+to|you\s*'ll|join\s+me\s+(?:as|to|when)|i\s+will\s+then|i\s*'ll\s+then)"
_VERB = (
    r"(?:take\s+a\s+(?:closer\s+|proper\s+)?look\s+(?:at|into)|have\s+a\s+look\s+at|look(?:ing)?\s+(?:at|into)|"
    r"discuss(?:ing)?|cover(?:ing)?|explor(?:e|ing)|examin(?:e|ing)|tackl(?:e|ing)|investigat(?:e|ing)|"
    r"writ(?:e|ing)\s+about|talk(?:ing)?\s+about|dig(?:ging)?\s+(?:into|deeper\s+into)|delv(?:e|ing)\s+into|"
    r"get(?:ting)?\s+(?:into|to)|find(?:ing)?\s+out|see(?:ing)?|turn(?:ing)?\s+to|focus(?:ing)?\s+on|shar(?:e|ing)|"
    r"explain(?:ing)?|answer(?:ing)?|show(?:ing)?(?:\s+you)?|return(?:ing)?\s+to|go(?:ing)?\s+(?:through|over)|unpack(?:ing)?|"
    r"introduc(?:e|ing)|review(?:ing)?|compar(?:e|ing)|ask(?:ing)?|visit(?:ing)?|meet(?:ing)?|follow(?:ing)?\s+up\s+(?:on|with)|"
    r"learn(?:ing)?(?:\s+about)?|read(?:ing)?\s+about|hear(?:ing)?\s+(?:from|about)|map(?:ping)?\s+out|trac(?:e|ing)|"
    r"break(?:ing)?\s+down|consider(?:ing)?|address(?:ing)?|deal(?:ing)?\s+with|wrap(?:ping)?\s+up(?:\s+with)?|"
    r"div(?:e|ing)\s+into|interview(?:ing)?|profil(?:e|ing)|mov(?:e|ing)\s+on\s+to|com(?:e|ing)\s+back\s+to|pick(?:ing)?\s+up(?:\s+on)?|"
    r"zoom(?:ing)?\s+in\s+on|continu(?:e|ing)\s+with|head(?:ing)?\s+(?:into|to)|"
    r"be\s+(?:back\s+)?(?:with|on|looking\s+at|discussing|covering|exploring|writing\s+about|talking\s+about|examining|tackling|digging\s+into|turning\s+to|focusing\s+on|sharing|asking|visiting|answering|explaining))"
)
_TIME = (
    r"(?:next\s+(?:week|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday|month|fortnight)(?!\s*'s)|"
    r"in\s+the\s+coming\s+weeks?|in\s+a\s+(?:future|later|coming|follow-?up)\s+(?:post|part|entry|instal+ment|episode)|"
    r"later\s+in\s+(?:this|the)\s+series|coming\s+up|up\s+next|next\s+up|soon|tomorrow|in\s+(?:a\s+)?(?:week|fortnight)\s*'?s?\s+time)"
)
_BLOG_MARKER = (
    r"(?:in\s+(?:my|the|our)\s+next\s+(?:post|part|entry|instal+ment|episode|chapter|article|update|one)|"
    r"(?:my|the|our)\s+next\s+(?:post|part|entry|instal+ment|episode|chapter|article)(?:\s+(?:of|in)\s+(?:the|this)\s+series)?"
    r"(?=\s+(?:will|is\s+going\s+to|is\s+about|looks|covers|explores|takes))|"
    r"\bpart\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)(?=\s+(?:will|is\s+going\s+to|is\s+about|looks|covers|explores|takes))|"
    r"^\W*more\s+on\s+(?=.+\b(?:next\s+(?:week|time)|in\s+(?:my|the)\s+next\s+(?:post|part)|soon)\b)|"
    r"next\s+(?:week|time)\s*'s\s+(?:post|part|entry|instal+ment|episode)|"
    r"in\s+a\s+(?:future|later|follow-?up)\s+(?:post|part|entry|instal+ment|episode)|"
    r"in\s+part\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b|"
    r"stay\s+tuned|tune\s+in|watch\s+this\s+space)"
)
_HEADLINE = _Lazy(
    r"^\W*(?:next\s+(?:week|time)|coming\s+up(?:\s+next(?:\s+week)?)?|up\s+next(?:\s+(?:week|time))?|next\s+up|next\s+in\s+(?:this|the)\s+series|"
    r"in\s+the\s+next\s+(?:post|part|instal+ment|episode))\s*(?:[:—–]|-\s)\s*(?P<topic>\S.*)$",
    re.I | re.S,
)
_THIS_POST = _Lazy(
    r"\b(?:in\s+this\s+(?:post|part|entry|piece|article|one)|today|below|here|right\s+now|in\s+a\s+(?:moment|second|minute|bit)|"
    r"first(?:ly)?|this\s+week|further\s+down|later\s+(?:on\s+)?in\s+this\s+(?:post|piece))\b",
    re.I,
)
_NOT_A_PROMISE = _Lazy(
    r"\b(?:no\s+(?:new\s+)?post|won't\s+be\s+(?:a\s+)?post|will\s+not\s+be\s+(?:a\s+)?post|not\s+be\s+posting|won't\s+be\s+posting|"
    r"be\s+(?:away|off|on\s+holiday|on\s+a\s+break)|taking\s+a\s+(?:week\s+off|break)|skip(?:ping)?\s+(?:next|a)\s+week|"
    r"last\s+(?:week|time|post))\b",
    re.I,
)
# "I know the past few posts I have said I will be discussing X", "Last week I said I'd look at X",
# "Two weeks ago I promised to find out X", "as promised, …"
_RESTATE = _Lazy(
    r"\b(?:(?:i\s*'ve|i\s+have|i\s+had|i)\s+(?:(?:already|previously|repeatedly|often|kept|been)\s+)?"
    r"(?:said|mentioned|promised|told\s+you|written|wrote|hinted|been\s+saying|been\s+promising|kept\s+saying|kept\s+promising)"
    r"(?:\s+(?:that|you))?\s*(?:(?:i|we)\s*(?:'d|'ll|would|will|was\s+going\s+to|am\s+going\s+to|'m\s+going\s+to)\s+(?:be\s+)?)?"
    r"(?:to\s+)?(?P<verb>" + _VERB + r")\s+(?P<topic>\S.*)"
    r"|\bas\s+(?:i\s+)?promised(?:\s+(?:last\s+(?:week|time)|earlier|before))?,?\s+(?P<rest>\S.*))",
    re.I | re.S,
)
_PROMISE_VERB = _Lazy(r"\b" + _I_WILL + r"\s+(?:(?:then|also|finally|properly|actually)\s+)?(?:be\s+)?(?P<verb>" + _VERB + r")\b\s*(?P<topic>.*)", re.I | re.S)
_FUTURE_DISCUSS = _Lazy(
    r"\b(?:i\s*'ll|i\s+will|i\s+shall|i\s*'m\s+going\s+to|i\s+am\s+going\s+to|we\s*'ll|we\s+will)\s+(?:be\s+)?"
    r"(?P<verb>discuss(?:ing)?|cover(?:ing)?|look(?:ing)?\s+at|explor(?:e|ing)|writ(?:e|ing)\s+about|talk(?:ing)?\s+about|"
    r"tackl(?:e|ing)|dig(?:ging)?\s+into|examin(?:e|ing))\s+(?P<topic>\S.*)",
    re.I | re.S,
)
_STAY_TUNED = _Lazy(r"\b(?:stay\s+tuned|tune\s+in|watch\s+this\s+space)\b\W*(?:for|to\s+(?:find\s+out|see|hear))\s+(?P<topic>\S.*)", re.I | re.S)
_AFTER_MARKER = _Lazy(
    r"[\s,:]*(?:(?:is|will\s+be)\s+about\s+|(?:(?:i|we)\s+)?(?:(?:will|shall|is\s+going\s+to|am\s+going\s+to)\s+|'ll\s+)?(?:be\s+)?"
    r"(?:" + _VERB + r"|looks\s+at|covers|explores|discusses|takes\s+(?:a\s+look\s+at|on))\s+|(?:i|we)\s+\w+\s+)?",
    re.I,
)
# Every teaser has one of these; most sentences have none, and are skipped at once.
_CUE = _Lazy(
    r"next|said|promis|mention|told|wr[io]te|written|hinted|will|'ll|going\s+to|tuned|tune\s+in|watch\s+this|coming|soon|"
    r"plan|hope|want|like\s+to|intend|aim|let|shall|part\s|tomorrow|later|future|time",
    re.I,
)
# `_CUE` without the engine: its words (in a folded sentence, each is there exactly where `_CUE`
# would match it), then the first words of its phrases, which only `_CUE` itself can confirm.
_CUE_WORDS = ("next", "said", "promis", "mention", "told", "wrote", "write", "written", "hinted", "will", "'ll", "tuned",
              "coming", "soon", "plan", "hope", "want", "intend", "aim", "let", "shall", "tomorrow", "later", "future", "time")
_CUE_PHRASES = ("going", "tune", "watch", "like", "part")
_TIME_RE = _Lazy(r"\b" + _TIME, re.I)
_BLOG_RE = _Lazy(r"\b" + _BLOG_MARKER, re.I)


# The prefilter. Each way `_classify` can find a teaser is a rule: the patterns that must all match
# for it (keep `_RULES` in step with `_classify`). A pattern can only match where certain words are:
# `_GATE_SPEC` lists, one way a line, its rule's number and the word sets of which each must have a
# word in the sentence (sets apart by spaces, a set's words by "|"). A sentence that holds no
# complete way cannot be a teaser, and is not classified; most sentences of a post hold none; one
# that does is tried only on the rules of its complete ways. Ways that only ever open where another
# way of the same rule does are left out ("stay tuned" opens where "tune" does: words are found as
# substrings). An optional character gives two ways: "follow-?up" needs "follow-up" or "followup",
# not "follow" (a word a bus blog holds a hundred times a series; ~14 % of detection's time).
#
# The spec is read off the patterns' syntax by tests/test_teasers.py, which fails when the rules
# change and the spec does not: regenerate it with `.venv/bin/python tests/test_teasers.py`.
#
# How it is used, so that a post costs little more than a few searches of its text: the body is
# folded once (`_folded`) and searched for the anchor words (one word set of each way); a body
# with none cannot tease. Around each anchor only its paragraph and block are found, and split
# into sentences only if they hold one of the anchor's ways whole; a sentence that holds an
# anchor and one of its ways whole is classified, on those ways' rules (`_sentences_at`).
# (tests/test_teasers.py compares this with classifying every sentence on every rule;
# tests/test_teasers_pinned.py with what was found before it was written.)
_RULES = (
    (_RESTATE,),
    (_HEADLINE,),
    (_STAY_TUNED,),
    (_BLOG_RE,),
    (_TIME_RE, _PROMISE_VERB),
    (_FUTURE_DISCUSS,),
)
_GATE_SPEC = (
    "0: been|hinted|kept|mentioned|promised|said|told|written|wrote",
    "1: coming",
    "1: next",
    "2: for tune",
    "2: find out tune",
    "2: see tune",
    "2: hear tune",
    "2: for space this watch",
    "2: find out space this watch",
    "2: see space this watch",
    "2: hear space this watch",
    "3: article|chapter|entry|episode|insta|one|part|post|update next",
    "3: more next|soon|the",
    "3: entry|episode|insta|part|post follow-up|followup|future|later",
    "3: part",
    "3: tune",
    "3: space this watch",
    "4: 'll|'re|aim|are|going|hope|intend|join|let|like|plan|shall|want|will|you coming|follow-up|followup|future|later entry|episode|insta|part|post",
    "4: 'll|'re|aim|are|going|hope|intend|join|let|like|plan|shall|want|will|you later series",
    "4: 'll|'re|aim|are|going|hope|intend|join|let|like|plan|shall|want|will|you coming",
    "4: 'll|'re|aim|are|going|hope|intend|join|let|like|plan|shall|want|will|you next",
    "4: 'll|'re|aim|are|going|hope|intend|join|let|like|plan|shall|want|will|you soon",
    "4: 'll|'re|aim|are|going|hope|intend|join|let|like|plan|shall|want|will|you tomorrow",
    "4: 'll|'re|aim|are|going|hope|intend|join|let|like|plan|shall|want|will|you fortnight|week time",
    "5: 'll cover|dig|discuss|examin|explor|look|tackl|talk|writ",
    "5: cover|dig|discuss|examin|explor|look|tackl|talk|writ will",
    "5: cover|dig|discuss|examin|explor|look|tackl|talk|writ shall",
    "5: cover|dig|discuss|examin|explor|look|tackl|talk|writ going",
)
_GATES = tuple(tuple(frozenset(words.split("|")) for words in way.partition(": ")[2].split()) for way in _GATE_SPEC)
_GATE_RULES = tuple(1 << int(way.partition(": ")[0]) for way in _GATE_SPEC)  # each way's rule, as a bit
_EVERY_RULE = (1 << len(_RULES)) - 1


def _anchor_sets(gates: tuple) -> tuple[frozenset[str], ...]:
    """One word set of each way, as few words in all as this greedy choice gives: a set already
    chosen for an earlier way, else the way's smallest. A sentence that holds a way holds a word
    of the set chosen for it, so only sentences that hold one of these words need looking at."""
    chosen: list[frozenset[str]] = []
    for gate in gates:
        taken = frozenset().union(*chosen)
        reused = next((words for words in gate if words <= taken), None)
        chosen.append(reused or min(gate, key=lambda words: (len(words), -min(map(len, words)))))
    return tuple(chosen)


_ANCHOR_SETS = _anchor_sets(_GATES)
# The words looked for in the whole body, each with the ways (bits) it anchors; where one is, the
# ways' other sets (`_REST`) are looked for around it.
_ANCHORS = {word: sum(1 << n for n, words in enumerate(_ANCHOR_SETS) if word in words) for word in sorted(frozenset().union(*_ANCHOR_SETS))}
_REST = tuple(tuple(tuple(sorted(words)) for words in gate if words != anchor) for gate, anchor in zip(_GATES, _ANCHOR_SETS))


@functools.lru_cache(maxsize=1 << 12)
def _numbers(ways: int) -> tuple[int, ...]:
    """The ways in a set of ways as bits, by number."""
    return tuple(n for n in range(ways.bit_length()) if ways >> n & 1)


# Letters outside ASCII that re.I matches to ASCII ones (Python's re documentation; a test scans
# every code point), so that a plain lower-case search finds every cue the rules would.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})  # İ ı ſ K (Kelvin)
_FOLDED_LETTERS = tuple(map(chr, _FOLD))


def _folded(text: str) -> str:
    """`text` as the cue words are looked for in it: straight apostrophes, the letters of `_FOLD`
    made ASCII, lower case. Each character stays one (İ is folded before `lower` makes it two)."""
    text = text.replace("’", "'").replace("‘", "'")
    if any(letter in text for letter in _FOLDED_LETTERS):
        text = text.translate(_FOLD)
    return text.lower()


_ANCHOR_WORDS, _ANCHOR_WAYS = tuple(_ANCHORS), tuple(_ANCHORS.values())


def _anchor_hits(folded: str) -> dict[int, int]:
    """Where in the folded body an anchor word is: {offset: the ways it was chosen for}. The
    words are found in one pass (model/word_search.py), not one search a word."""
    from blogcli.model.word_search import place_finder

    hits: dict[int, int] = {}
    ways = _ANCHOR_WAYS
    for index, at in place_finder(_ANCHOR_WORDS)(folded):
        hits[at] = hits.get(at, 0) | ways[index]
    return hits


def _rules_held(folded: str, ways: int, every: bool = True) -> int:
    """The rules (bits) of those of `ways` that `folded` holds whole, a part of the folded body
    that holds an anchor word of each of `ways` (so only their other sets are looked for). With
    `every` false, the first rule found is enough (whether any is). Of the body, not of the
    workable text: words in code or quotes count too, so this lets a few sentences too many
    through, and none too few."""
    rules = 0
    for number in _numbers(ways):
        if rules & _GATE_RULES[number]:
            continue
        for words in _REST[number]:
            for word in words:
                if word in folded:
                    break
            else:
                break  # none of this set's words: not this way
        else:
            rules |= _GATE_RULES[number]
            if not every:
                break
    return rules


# Topic clean-up: where a topic phrase stops, and what is trimmed from its ends.
# Where a topic's clause ends: a conjunction that opens another clause ("because", "so that"…
# with or without a comma; "since", "as", "while" only before a subject, as they also head
# phrases: "what changed since 2011"; ", and" only before one: "printed, and who proofreads it"
# is still the topic), a relative "which"/"who" after a comma, a dash, a parenthesis, a
# semicolon or colon, and the sentence's own stop.
_TOPIC_STOP = _Lazy(
    r"(?:,?\s+(?:because|so\s+that|although|even\s+though|whereas)\b|"
    r",?\s+(?:since|as|though|while)\s+(?:i|we|you|it|they|he|she|theirs|ours|mine|that|this|there)\b|"
    r",\s*(?:and|so)\s+(?:i|we|you|it|that|then|theirs|this)\b|,\s*(?:but|which|who|whose|where|when|since|as|though|while|then)\b|"
    r";|:\s|\s[—–]\s?|[—–]|\s-\s|\s\(|!|\?)",
    re.I,
)
TOPIC_WORDS = 12  # the longest topic kept: a title's length, not a paragraph's
_TRAILING_FILLER = frozenset(
    "a an and as at but by for from in into of on or so that the then to with which who whose when where while "
    "it its this these those their his her our my your".split()
)
_TRAILING_TIME = _Lazy(
    r"(?:[\s,]+(?:then|too|as\s+well|instead|"
    r"next\s+(?:week|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday|month|fortnight)|"
    r"in\s+(?:my|the|our)\s+next\s+(?:post|part|entry|instal+ment|episode|chapter|article)|in\s+the\s+coming\s+weeks?|"
    r"in\s+a\s+(?:future|later|follow-?up)\s+(?:post|part|entry|instal+ment|episode)|soon|later\s+in\s+(?:this|the)\s+series|"
    r"in\s+part\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)|(?:so\s+)?stay\s+tuned))+\s*$",
    re.I,
)
_LEADING_FILLER = _Lazy(r"^(?:(?:so|and|but|then|now|well|ok(?:ay)?|anyway)\b[\s,]*)+", re.I)
_MD_LINK = _Lazy(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = _Lazy(r"(?<!\w)[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?!\w)|`")
_FOOTNOTE_REF = _Lazy(r"\[\^[^\]]*\]")

# Sentences: split at . ! ? … (and runs of them) followed by space; never after common abbreviations.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]*_]*(?=\s|$)")
_ABBREVIATIONS = {"e.g", "i.e", "mr", "mrs", "ms", "dr", "st", "vs", "cf", "no", "approx", "fig", "ch", "vol", "p", "pp"}
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|>|[-*+]\s|\d{1,3}[.)]\s|\|)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# (The lookbehind comes after the opening quote, not before it: a pattern that starts with a
# literal lets the engine skip to the next quote instead of trying every position.)
_DOUBLE_QUOTED = re.compile(r"“[^”\n]{0,400}”|\"(?<!\w\")[^\"\n]{0,400}\"(?!\w)")
_WORD_CHAR = re.compile(r"\w")


def detect_teasers(body: str) -> list[Teaser]:
    """Every promise and restatement in a post body, in reading order. Never raises on text."""
    return _detect(body, prefilter=True)


def _detect(body: str, prefilter: bool) -> list[Teaser]:
    """Without the prefilter, every sentence is classified: the slow path the tests compare with."""
    if not isinstance(body, str) or not body:
        return []
    folded = _folded(body) if prefilter else None
    if folded is not None and len(folded) != len(body):
        folded = None  # folding moved offsets (it cannot after _FOLD): classify every sentence
    hits = _anchor_hits(folded) if folded is not None else None
    if hits == {}:
        return []
    work = _workable(body)
    found = []
    if hits is None:
        sentences = ((start, end, _EVERY_RULE) for start, end in _sentences(work))
    else:
        sentences = _sentences_at(work, folded, hits)
    for start, end, rules in sentences:
        teaser = _classify(body, work, start, end, rules)
        if teaser is not None:
            found.append(teaser)
    return found


def post_teaser(post_meta_next: str | None, body: str) -> str | None:
    """A post's forward promise: front matter `next` wins, else the topic of the last promise in
    the body; "" for a promise that names no topic ("Stay tuned!"), None when there is none."""
    if isinstance(post_meta_next, str) and post_meta_next.strip():
        return post_meta_next.strip()
    promise = last_promise(detect_teasers(body or ""))
    if promise is None:
        return None
    return promise.topic


def last_promise(teasers: list[Teaser]) -> Teaser | None:
    """The last promise that names a topic, else the last promise ("Stay tuned!")."""
    promises = [t for t in teasers if t.kind == PROMISE]
    with_topic = [t for t in promises if t.topic]
    return (with_topic or promises or [None])[-1]


# -- the pieces -------------------------------------------------------------------------------


def _blank(match: re.Match) -> str:
    """Spaces for the match, its newlines kept."""
    return "\n".join(" " * len(line) for line in match.group(0).split("\n"))


def _workable(body: str) -> str:
    """The body with straight apostrophes, and code, tables, comments and quoted speech blanked
    (same length, so offsets still point into the body)."""
    work = body.replace("’", "'").replace("‘", "'")
    if "<!--" in work:
        work = _HTML_COMMENT.sub(_blank, work)
    lines = work.split("\n")
    blanked = list(itertools.compress(range(len(lines)), code_lines(lines)))
    if "|" in work:
        blanked += [i for i, line in enumerate(lines) if line.lstrip().startswith("|")]
    for i in blanked:
        lines[i] = " " * len(lines[i])
    if blanked:
        work = "\n".join(lines)
    return _blank_quoted(blank_code_spans(work))


def _blank_quoted(work: str) -> str:
    """`_DOUBLE_QUOTED.sub(_blank, work)`, trying the pattern only where a quote mark is (the
    engine would try every position of the body)."""
    marks = sorted(at for mark in "\"“" for at in _positions(work, mark))
    if not marks:
        return work
    pieces = []
    cursor = 0
    for at in marks:
        quoted = _DOUBLE_QUOTED.match(work, at) if at >= cursor else None
        if quoted is not None:
            pieces += (work[cursor:at], _blank(quoted))
            cursor = quoted.end()
    return "".join(pieces) + work[cursor:] if pieces else work


def _positions(text: str, word: str) -> list[int]:
    """Every offset of `word` in `text` (overlapping ones too)."""
    found = []
    at = text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def _sentences(work: str):
    """(start, end) of each sentence: within blocks (paragraphs, list items, headings), split at stops."""
    for start, end in _blocks(work):
        for piece_start, piece_end in _split_block(work, start, end):
            sentence = _trimmed(work, piece_start, piece_end)
            if sentence is not None:
                yield sentence


def _blocks(work: str) -> list[tuple[int, int]]:
    """(start, end) of each block: a run of lines that are not blank, broken before a line that
    opens a block of its own (`_BLOCK_START`: a heading, quote, list item or table row)."""
    blocks = []
    offset = 0
    block_start = None
    for line in work.split("\n") + [""]:
        end = offset + len(line)
        new_block = not line.strip() or _BLOCK_START.match(line)
        if new_block and block_start is not None:
            blocks.append((block_start, offset - 1 if offset else 0))
            block_start = None
        if line.strip() and block_start is None:
            block_start = offset
        offset = end + 1
    if block_start is not None:
        blocks.append((block_start, len(work)))
    return blocks


def _sentences_at(work: str, folded: str, hits: dict[int, int]):
    """(start, end, rules) of the sentences of `_sentences` that may tease: those that hold an
    anchor word and every word set of one of the ways it was chosen for, with those ways' rules
    (bits). They are found from the text around each anchor, not by splitting the whole body:
    its paragraph (up to empty lines, which no block crosses), then its block, then the block's
    sentences, each looked at only if it holds a way whole. (An anchor starts with a letter or
    an apostrophe: never in what `_trimmed` cuts off.)"""
    offsets = sorted(hits)
    i = 0
    while i < len(offsets):
        paragraph_start = folded.rfind("\n\n", 0, offsets[i]) + 1
        paragraph_end = folded.find("\n\n", offsets[i])
        paragraph_end = len(folded) if paragraph_end < 0 else paragraph_end
        paragraph_after = bisect.bisect_left(offsets, paragraph_end, i + 1)
        if not _rules_held(folded[paragraph_start:paragraph_end], _ways(hits, offsets[i:paragraph_after]), every=False):
            i = paragraph_after
            continue
        while i < paragraph_after:  # each block of the paragraph that holds an anchor, once
            block = _block_around(work, offsets[i])
            if block is None:
                i += 1
                continue
            start, end = block
            after = bisect.bisect_left(offsets, end, i + 1)
            whole = start <= paragraph_start + 1 and end >= paragraph_end  # the block is the paragraph
            if whole or _rules_held(folded[start:end], _ways(hits, offsets[i:after]), every=False):
                yield from _sentences_in(work, folded, hits, offsets, i, after, start, end)
            i = after


def _sentences_in(work: str, folded: str, hits: dict[int, int], offsets: list[int], first: int, after: int, start: int, end: int):
    """`_sentences_at` in the block work[start:end], whose anchors are offsets[first:after]."""
    i = first
    for piece_start, piece_end in _split_block(work, start, end):
        ways = 0
        while i < after and offsets[i] < piece_end:
            ways |= hits[offsets[i]]
            i += 1
        sentence = _trimmed(work, piece_start, piece_end) if ways else None
        rules = _rules_held(folded[sentence[0] : sentence[1]], ways) if sentence is not None else 0
        if rules:
            yield (*sentence, rules)
        if i == after:
            return


def _ways(hits: dict[int, int], offsets: list[int]) -> int:
    """The ways the anchors at `offsets` were chosen for."""
    return functools.reduce(operator.or_, map(hits.__getitem__, offsets), 0)


def _block_around(work: str, at: int) -> tuple[int, int] | None:
    """(start, end) of the block of `_blocks` that holds offset `at`, from the lines around it;
    None on a blank line."""
    start = work.rfind("\n", 0, at) + 1
    end = work.find("\n", at)
    end = len(work) if end < 0 else end
    if not work[start:end].strip():
        return None
    line_end = end
    while start > 0 and not _BLOCK_START.match(work[start:line_end]):
        above = work.rfind("\n", 0, start - 1) + 1
        if not work[above : start - 1].strip():
            break
        start, line_end = above, start - 1
    while end < len(work):
        below = work.find("\n", end + 1)
        below = len(work) if below < 0 else below
        line = work[end + 1 : below]
        if not line.strip() or _BLOCK_START.match(line):
            break
        end = below
    return start, end


def _split_block(work: str, start: int, end: int):
    """(start, end) of each piece of the block between sentence stops, untrimmed."""
    cursor = start
    for stop in _SENTENCE_END.finditer(work, start, end):
        mark = stop.group(0)
        if mark[0] == "." and len(mark.rstrip("\"'”’)]*_")) == 1:  # one full stop: after an abbreviation?
            before = work[cursor : stop.start()].rsplit(None, 1)
            if before and before[-1].lower().strip("(") in _ABBREVIATIONS:
                continue
        yield cursor, stop.end()
        cursor = stop.end()
    yield cursor, end


_LEAD = re.compile(r"\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,3}[.)]\s+)*")


def _trimmed(work: str, start: int, end: int) -> tuple[int, int] | None:
    """The piece without list, quote and heading marks before it and spaces after it; None when
    what is left is too short or holds no word character."""
    lead = _LEAD.match(work, start, end)
    start = lead.end() if lead else start
    while end > start and work[end - 1].isspace():
        end -= 1
    if end - start >= 3 and _WORD_CHAR.search(work, start, end):
        return start, end
    return None


def _classify(body: str, work: str, start: int, end: int, rules: int = _EVERY_RULE) -> Teaser | None:
    """The teaser work[start:end] is, if any; the patterns of a rule not in `rules` (bits, by
    `_RULES`' order) are not tried: the prefilter found that they cannot match."""
    sentence = work[start:end]
    if len(sentence) > 2000 or not _has_cue(sentence):
        return None

    def make(kind: str, topic_start: int | None) -> Teaser:
        topic = _clean_topic(body[start + topic_start : end]) if topic_start is not None else ""
        return Teaser(text=body[start:end], topic=topic, kind=kind, start=start, end=end, line=body.count("\n", 0, start) + 1)

    restated = _RESTATE.search(sentence) if rules & 1 else None
    if restated:
        group = "topic" if restated.group("topic") is not None else "rest"
        rest_start = restated.start(group)
        if group == "rest":
            verb = _PROMISE_VERB.search(sentence, rest_start)
            if verb:
                rest_start = verb.start("topic")
            else:
                other = re.search(r"\b(?:looks?|looking)\s+at\s+|\babout\s+|\bon\s+", sentence[rest_start:], re.I)
                rest_start += other.end() if other else 0
        return make(RESTATEMENT, rest_start)
    if not rules & ~1:
        return None
    stripped = sentence.rstrip("\"'”’)]*_ ")
    if stripped.endswith("?") or _NOT_A_PROMISE.search(sentence):
        return None
    headline = _HEADLINE.match(sentence) if rules & 2 else None
    if headline:
        return make(PROMISE, headline.start("topic"))
    tuned = _STAY_TUNED.search(sentence) if rules & 4 else None
    if tuned:
        return make(PROMISE, tuned.start("topic"))
    has_blog = _BLOG_RE.search(sentence) if rules & 8 else None
    has_time = _TIME_RE.search(sentence) if not has_blog and rules & 16 else None  # searched only where they decide
    intent = _PROMISE_VERB.search(sentence) if has_blog or has_time else None
    if has_blog or (has_time and intent):
        if intent:
            return make(PROMISE, intent.start("topic"))
        marker = has_blog or has_time
        after = _AFTER_MARKER.match(sentence[marker.end() :])
        rest = marker.end() + (after.end() if after else 0)
        if rest < len(sentence) and re.search(r"\w", sentence[rest:]):
            return make(PROMISE, rest)
        return make(PROMISE, None)
    future = _FUTURE_DISCUSS.search(sentence) if rules & 32 else None
    if future and not _THIS_POST.search(sentence):
        return make(PROMISE, future.start("topic"))
    return None


def _has_cue(sentence: str) -> bool:
    """Whether `_CUE` matches in the sentence."""
    folded = _folded(sentence)
    if any(word in folded for word in _CUE_WORDS):
        return True
    return any(word in folded for word in _CUE_PHRASES) and _CUE.search(sentence) is not None


def _clean_topic(raw: str) -> str:
    """A short phrase: markup gone, whitespace collapsed, cut at the clause's end, trailing dates off."""
    text = _FOOTNOTE_REF.sub("", raw)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub("", text)
    text = " ".join(text.split())
    norm = text.replace("’", "'").replace("‘", "'")
    stop = _TOPIC_STOP.search(norm)
    if stop:
        text, norm = text[: stop.start()], norm[: stop.start()]
    text = text.strip().rstrip(".,:;…!?\"'”’)").strip()
    trailing = _TRAILING_TIME.search(text.replace("’", "'"))
    if trailing and trailing.start() > 0:
        text = text[: trailing.start()].rstrip(" ,")
    filler = _LEADING_FILLER.match(text)
    if filler:
        text = text[filler.end() :]
    words = text.split(" ")
    if len(words) > TOPIC_WORDS:
        words = words[:TOPIC_WORDS]
        while len(words) > 1 and words[-1].lower().strip(",.;:") in _TRAILING_FILLER:
            words.pop()  # not "the history of the" but "the history"
        text = " ".join(words).rstrip(",.;:")
    if len(text) > 120:
        text = text[:120].rsplit(" ", 1)[0]
    return text.strip(" ,:;\"“”")
