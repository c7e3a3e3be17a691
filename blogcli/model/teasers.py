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
speech blanked out, of the same length, so every offset points into the body as written.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

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
_TIME_RE = _Lazy(r"\b" + _TIME, re.I)
_BLOG_RE = _Lazy(r"\b" + _BLOG_MARKER, re.I)


# The prefilter. Each way `_classify` can find a teaser is a rule: the patterns that must all match
# for it (keep `_RULES` in step with `_classify`). A pattern can only match where certain words are:
# `_GATE_SPEC` lists, one way a line, the word sets of which each must have a word in the sentence
# (sets apart by spaces, a set's words by "|"). A sentence that holds no complete way cannot be a
# teaser, and is not classified; most sentences of a post hold none. Ways that only ever open where
# another one does are left out ("stay tuned" opens where "tune" does: words are found as substrings).
#
# The spec is read off the patterns' syntax by tests/test_teasers.py, which fails when the rules
# change and the spec does not: regenerate it with `.venv/bin/python tests/test_teasers.py`.
_RULES = (
    (_RESTATE,),
    (_HEADLINE,),
    (_STAY_TUNED,),
    (_BLOG_RE,),
    (_TIME_RE, _PROMISE_VERB),
    (_FUTURE_DISCUSS,),
)
_GATE_SPEC = (
    "said",
    "mentioned",
    "promised",
    "told",
    "written",
    "wrote",
    "hinted",
    "been saying",
    "been promising",
    "kept saying",
    "kept promising",
    "coming",
    "next",
    "tune",
    "space this watch",
    "more next|soon",
    "episode|follow|future|later",
    "part",
    "'ll|aim|going|hope|intend|join|let|like|plan|shall|then|want|will|you soon",
    "'ll|aim|going|hope|intend|join|let|like|plan|shall|then|want|will|you tomorrow",
    "'ll|aim|going|hope|intend|join|let|like|plan|shall|then|want|will|you time week",
    "'ll|aim|going|hope|intend|join|let|like|plan|shall|then|want|will|you fortnight time",
    "discuss",
    "cover",
    "look",
    "explor",
    "about writ",
    "about talk",
    "tackl",
    "into",
    "examin",
)
_GATES = tuple(tuple(frozenset(words.split("|")) for words in way.split()) for way in _GATE_SPEC)
_CUE_WORDS = tuple(sorted(frozenset().union(*(words for gate in _GATES for words in gate))))
# As bits: one per word set; a word has the bits of the sets it is in, a way those of all its sets.
_SETS = list(dict.fromkeys(words for gate in _GATES for words in gate))
_WORD_BITS = {word: sum(1 << i for i, words in enumerate(_SETS) if word in words) for word in _CUE_WORDS}
_GATE_BITS = tuple(sum(1 << _SETS.index(words) for words in gate) for gate in _GATES)
# Letters outside ASCII that re.I matches to ASCII ones (Python's re documentation; a test scans
# every code point), so that a plain lower-case search finds every cue the rules would.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})  # İ ı ſ K (Kelvin)


class _Cues:
    """Where the cue words are in a workable body, to tell which blocks and sentences may tease."""

    def __init__(self, work: str):
        folded = (work.translate(_FOLD) if any(chr(c) in work for c in _FOLD) else work).lower()
        if len(folded) != len(work):  # cannot happen after _FOLD; never filter on shifted offsets
            folded = None
        found = []
        for word in _CUE_WORDS if folded is not None else ():
            at = folded.find(word)
            while at >= 0:
                found.append((at, at + len(word), _WORD_BITS[word]))
                at = folded.find(word, at + 1)
        found.sort()
        self.exact = folded is not None
        self.starts = [start for start, _, _ in found]
        self.found = found

    def any(self) -> bool:
        return bool(self.found) or not self.exact

    def may_tease(self, start: int, end: int) -> bool:
        """Whether work[start:end] holds every word set of some way of finding a teaser."""
        if not self.exact:
            return True
        present = 0
        for i in range(bisect.bisect_left(self.starts, start), len(self.found)):
            at, stop, bits = self.found[i]
            if at >= end:
                break
            if stop <= end:
                present |= bits
        return _opens_a_way(present)


@functools.lru_cache(maxsize=1 << 14)
def _opens_a_way(present: int) -> bool:
    """Whether the word sets present (as bits) hold every set of some way: few distinct answers
    are asked for, over and over."""
    return any(present & gate == gate for gate in _GATE_BITS)


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
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`\n]*`+")
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
    work = _workable(body)
    cues = _Cues(work) if prefilter else None
    if cues is not None and not cues.any():
        return []
    found = []
    for start, end in _sentences(work, cues):
        if cues is not None and not cues.may_tease(start, end):
            continue
        teaser = _classify(body, work, start, end)
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
    work = _HTML_COMMENT.sub(_blank, body.replace("’", "'").replace("‘", "'"))
    lines = work.split("\n")
    in_fence = in_indented = False
    for i, line in enumerate(lines):
        indented = line.startswith(("    ", "\t")) and bool(line.strip())
        in_indented = indented and (in_indented or i == 0 or not lines[i - 1].strip())
        fence = _FENCE.match(line)
        if fence or in_fence or in_indented or line.lstrip().startswith("|"):
            lines[i] = " " * len(line)
        if fence:
            in_fence = not in_fence
    work = "\n".join(lines)
    work = _CODE_SPAN.sub(_blank, work)
    return _DOUBLE_QUOTED.sub(_blank, work)


def _sentences(work: str, cues: _Cues | None = None):
    """(start, end) of each sentence: within blocks (paragraphs, list items, headings), split at stops.
    Given cues, blocks that cannot hold a teaser are not split."""
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
    for start, end in blocks:
        if cues is None or cues.may_tease(start, end):
            yield from _split_block(work, start, end)


def _split_block(work: str, start: int, end: int):
    cursor = start
    for stop in _SENTENCE_END.finditer(work, start, end):
        before = work[cursor : stop.start()].rsplit(None, 1)
        word = before[-1].lower() if before else ""
        if stop.group(0).startswith(".") and len(stop.group(0).rstrip("\"'”’)]*_")) == 1 and word.strip("(") in _ABBREVIATIONS:
            continue
        yield from _trimmed(work, cursor, stop.end())
        cursor = stop.end()
    yield from _trimmed(work, cursor, end)


_LEAD = re.compile(r"\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,3}[.)]\s+)*")


def _trimmed(work: str, start: int, end: int):
    lead = _LEAD.match(work, start, end)
    start = lead.end() if lead else start
    while end > start and work[end - 1].isspace():
        end -= 1
    if end - start >= 3 and _WORD_CHAR.search(work, start, end):
        yield start, end


def _classify(body: str, work: str, start: int, end: int) -> Teaser | None:
    sentence = work[start:end]
    if len(sentence) > 2000 or not _CUE.search(sentence):
        return None

    def make(kind: str, topic_start: int | None) -> Teaser:
        topic = _clean_topic(body[start + topic_start : end]) if topic_start is not None else ""
        return Teaser(text=body[start:end], topic=topic, kind=kind, start=start, end=end, line=body.count("\n", 0, start) + 1)

    restated = _RESTATE.search(sentence)
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
    stripped = sentence.rstrip("\"'”’)]*_ ")
    if stripped.endswith("?") or _NOT_A_PROMISE.search(sentence):
        return None
    headline = _HEADLINE.match(sentence)
    if headline:
        return make(PROMISE, headline.start("topic"))
    tuned = _STAY_TUNED.search(sentence)
    if tuned:
        return make(PROMISE, tuned.start("topic"))
    has_blog = _BLOG_RE.search(sentence)
    has_time = None if has_blog else _TIME_RE.search(sentence)  # searched only where they decide
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
    future = _FUTURE_DISCUSS.search(sentence)
    if future and not _THIS_POST.search(sentence):
        return make(PROMISE, future.start("topic"))
    return None


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
