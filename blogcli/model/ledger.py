"""The promise ledger: what a series has promised its readers, and whether it was kept.

A pure function (`build_ledger`) of the series' parts in order with their texts, its cadence's
period and the time now; the caller reads the files (blogcli.ops.promises for commands, the site
builder for its pages). Nothing here touches the workspace.

Who promises. Only published or scheduled parts make promises: a post's promise is its front
matter `next`, else the last promise sentence found in its body (blogcli.model.teasers). A
teaser that names no topic ("Stay tuned!") is a promise without a topic: its `text` is empty
(it is never a title) and the next part in order keeps it.

Restatements. A sentence like "I know I said I would be discussing X, and I will!" carries an
earlier promise over: when its topic matches an earlier promise of the series (by key words,
below), that post is added to the promise's `made_in`. When it matches none (the first mention
is not in the workspace) and still looks forward ("…, and I will!"), it counts as a promise made
in that post and already repeated. "Last week I said I'd look at X, and I did" looks back: it
marks the post as keeping the promise, not repeating it. A new promise whose key words match a
promise made or carried in the previous part is that promise repeated ("I'll get to it next week").

Who keeps it. A later part keeps a promise when its front matter says `fulfils: <slug>` with the
slug of a post that made the promise, or an old slug of one (its `aliases`, after a rename).
Failing that, the first later part that says it kept it ("…, and I did"); failing that, the
first later part (not one that only carried it over) whose title, or the opening of its body
(first 60 words), matches the promise's key words.

Key words. Lower-case words of three letters or more, without common function words ("the",
"how", "who", "about", "first"…), with one plural, -ing or -ed ending and then a final e cut
("rides", "riding" → "rid"). Deliberately crude: it only has to tell topics of one series apart.
Two texts match when at least half of the promise's key words appear in the other text, and at
least two of them do (one, if the promise has only one key word).

Status. Due one cadence period after the post that first made it went out.
`fulfilled`: a published part keeps it. `planned`: a draft, planned or scheduled part keeps it,
and it is not due yet. `late`: that part is still not out although the promise is due (owed).
`overdue`: no part keeps it and it is due (owed). `open`: no part keeps it, not due yet (owed).
`repeated`: the promise was made or restated in more than one post (the keeper does not count).
`out_of_order`: the part that keeps it is not the part right after the last one that made it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from blogcli.model.post import Post
from blogcli.model.teasers import PROMISE, RESTATEMENT, Teaser, detect_teasers, last_promise

OPENING_WORDS = 60
OWED = ("open", "overdue", "late")
_STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below between both but by can
    could did do does doing down during each few first for from further had has have having he her here hers him his how
    i if in into is it its itself just last let lets me more most my myself next no nor not now of off on once only or other
    our out over own part place post same see she should so some such than that the their them then there these they this
    those through time to too under until up very was we week were what when where which while who whom why will with
    would you your actually really finally properly look looking discuss discussing""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_AT_THE_END = 1 << 62  # where front matter `next` stands: after everything in the body


@functools.lru_cache(maxsize=4096)
def key_words(text: str) -> frozenset[str]:
    """The words that carry a topic, lightly stemmed (see the module docstring)."""
    words = set()
    for word in _WORD.findall(text.lower().replace("’", "'")):
        word = word.split("'", 1)[0]
        if len(word) < 3 or word in _STOP_WORDS:
            continue
        for suffix in ("ing", "ed", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
                word = word[: -len(suffix)]
                break
        if word.endswith("e") and len(word) > 3:
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def matches(promise_text: str, other: str) -> bool:
    """Whether `other` is about the promised topic, by the key-word rule of the module docstring."""
    keys = key_words(promise_text)
    if not keys:
        return False
    hits = len(keys & key_words(other))
    return hits >= min(2, len(keys)) and hits * 2 >= len(keys)


_LOOKS_BACK = re.compile(
    r"\b(?:and|so)\s+(?:here\s+)?(?:i|we)\s+(?:did|have|am|'m)\b|\bas\s+(?:i\s+)?promised\b|\bhere\s+(?:it\s+is|we\s+go)\b"
    r"|\b(?:this|today's)\s+(?:post|week|time|part)\b|\btoday\b",
    re.I,
)
_LOOKS_FORWARD = re.compile(r"\b(?:and|but|so)\s+(?:i|we)\s*(?:will|'ll|shall|am\s+going\s+to|'m\s+going\s+to)\b|\b(?:still|soon|next)\b", re.I)


@dataclass(frozen=True)
class PartText:
    """One part as the ledger reads it: the indexed post, its body, and where the body starts.

    `body_line` is the number of file lines before the body (so body line n is file line
    n + body_line); `next_line` the file line of front matter `next`; `aliases` its old slugs."""

    post: Post
    body: str = ""
    body_line: int = 0
    next_line: int | None = None
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_document(cls, post: Post, doc, aliases: Sequence[str] = ()) -> "PartText":
        """From a `model.document.Document` of the post's file (no header parse needed)."""
        offset = 0 if doc.header is None else len(doc.header) + 2
        return cls(post, doc.body, offset, doc.key_line("next") if post.next else None, tuple(aliases))


@dataclass
class Promise:
    series: str  # the series' title
    origin: str  # slug of the post that first made it (JSON "from")
    part: int | None
    text: str  # the topic; "" for a teaser that names none ("Stay tuned!")
    status: str = "open"
    repeated: bool = False
    fulfilled_by: str | None = None  # the post that keeps it (status says whether it is out yet)
    made_in: list[str] = field(default_factory=list)
    series_key: str = ""
    origin_rel: str = ""
    sentence: str | None = None  # the sentence as written, None for front matter `next`
    line: int | None = None  # in the origin post's file
    made_on: dt.datetime | None = None
    due: dt.datetime | None = None
    keeper_rel: str | None = None
    keeper_title: str | None = None
    keeper_part: int | None = None
    keeper_created: dt.datetime | None = None  # when the keeping part was planned
    acknowledged_in: list[str] = field(default_factory=list)  # later posts saying "…and I did"
    out_of_order: bool = False
    expected_part: int | None = None  # the part that should keep it: the one after its last mention
    said_at: tuple[int, int] = (0, 0)  # (index of the part, offset in its text) of its last mention

    @property
    def has_topic(self) -> bool:
        return bool(self.text)

    @property
    def owed(self) -> bool:
        return self.status in OWED

    def as_dict(self) -> dict:
        return {
            "series": self.series,
            "from": self.origin,
            "part": self.part,
            "text": self.text,
            "status": self.status,
            "repeated": self.repeated,
            "fulfilled_by": self.fulfilled_by,
            "made_in": list(self.made_in),
            "due": self.due.isoformat() if self.due else None,
            "out_of_order": self.out_of_order,
        }


def build_ledger(
    title: str,
    slug: str,
    parts: Sequence[PartText],
    period: dt.timedelta,
    now: dt.datetime,
    aliases: Mapping[str, str] | None = None,
) -> list[Promise]:
    """Every promise of one series, in the order made. `parts` are the series' parts in order
    (every status: drafts keep promises too); `aliases` maps old slugs to current ones (the
    parts' own aliases are added)."""
    renamed = dict(aliases or {})
    for item in parts:
        for alias in item.aliases:
            renamed.setdefault(alias, item.post.slug)
    statuses = [item.post.status(now) for item in parts]
    promises: list[Promise] = []
    previous = None
    for index, item in enumerate(parts):
        if statuses[index] not in ("published", "scheduled"):
            continue
        _collect(index, item, promises, previous, title, slug)
        previous = item.post.slug
    order = [item.post.slug for item in parts]
    for promise in promises:
        keeper_status = _find_keeper(promise, parts, statuses, renamed)
        if promise.fulfilled_by in promise.made_in:
            promise.made_in.remove(promise.fulfilled_by)
        promise.repeated = promise.repeated or len(promise.made_in) > 1
        if promise.made_on is not None:
            try:
                promise.due = promise.made_on + period
            except OverflowError:
                promise.due = None
        last = max((order.index(s) for s in promise.made_in if s in order), default=None)
        if last is not None and last + 1 < len(parts):
            promise.expected_part = parts[last + 1].post.part
        if promise.fulfilled_by is not None and last is not None:
            promise.out_of_order = order.index(promise.fulfilled_by) != last + 1
        promise.status = promise_status(keeper_status, promise.due, now)
    return promises


def promise_status(keeper_status: str | None, due: dt.datetime | None, now: dt.datetime) -> str:
    """A promise's status (the module docstring) from the status now of the part that keeps it
    (None: no part does) and its due time. The site recomputes it this way from ledgers it
    cached, whose keepers stay valid while the parts' files and statuses do."""
    if keeper_status == "published":
        return "fulfilled"
    late = due is not None and now > due
    if keeper_status is None:
        return "overdue" if late else "open"
    return "late" if late else "planned"


def latest_promise(promises: Sequence[Promise], statuses: Sequence[str] = ("open", "overdue")) -> Promise | None:
    """The promise (of those with one of `statuses`) made last: by part, then by its place in the
    text; a promise restated later counts from its last mention."""
    waiting = [p for p in promises if p.status in statuses]
    return max(waiting, key=lambda p: p.said_at, default=None)


def _collect(index: int, item: PartText, promises: list[Promise], previous: str | None, title: str, key: str) -> None:
    """The promises one post makes or carries over, added to (or merged into) `promises`."""
    post = item.post
    teasers = detect_teasers(item.body)
    for teaser in (t for t in teasers if t.kind == RESTATEMENT and t.topic):
        earlier = next((p for p in reversed(promises) if matches(p.text, teaser.topic) or matches(teaser.topic, p.text)), None)
        if earlier is None:
            if _LOOKS_FORWARD.search(teaser.text):
                promises.append(_new(index, item, teaser.topic, teaser, title, key, repeated=True))
        elif _LOOKS_BACK.search(teaser.text):
            earlier.acknowledged_in.append(post.slug)
        else:
            if post.slug not in earlier.made_in:
                earlier.made_in.append(post.slug)
            earlier.said_at = max(earlier.said_at, (index, teaser.start))
    teaser: Teaser | None = None
    if post.next:
        text = post.next
    else:
        teaser = last_promise([t for t in teasers if t.kind == PROMISE])
        if teaser is None:
            return
        text = teaser.topic
    position = (index, teaser.start if teaser is not None else _AT_THE_END)
    again = next(
        (p for p in reversed(promises) if p.origin != post.slug and {previous, post.slug} & set(p.made_in) and matches(p.text, text)),
        None,
    )
    if again is not None:
        if post.slug not in again.made_in:
            again.made_in.append(post.slug)
        again.said_at = max(again.said_at, position)
        return
    promises.append(_new(index, item, text, teaser, title, key))


def _new(index: int, item: PartText, text: str, teaser: Teaser | None, title: str, key: str, repeated: bool = False) -> Promise:
    post = item.post
    if teaser is None:
        line, sentence, start = item.next_line, None, _AT_THE_END
    else:
        line, sentence, start = teaser.line + item.body_line, " ".join(teaser.text.split()), teaser.start
    return Promise(
        series=title,
        origin=post.slug,
        origin_rel=post.rel,
        part=post.part,
        text=" ".join(text.split()),
        repeated=repeated,
        made_in=[post.slug],
        series_key=key,
        sentence=sentence,
        line=line,
        made_on=post.date,
        said_at=(index, start),
    )


def _find_keeper(promise: Promise, parts: Sequence[PartText], statuses: Sequence[str], renamed: Mapping[str, str]) -> str | None:
    """Set who keeps the promise (see the module docstring); return that part's status (None: no part keeps it)."""
    order = [item.post.slug for item in parts]
    start = order.index(promise.origin) + 1 if promise.origin in order else 0

    def declares(item: PartText) -> bool:
        fulfils = item.post.fulfils
        return bool(fulfils) and renamed.get(fulfils, fulfils) in promise.made_in

    later = list(range(start, len(parts)))
    keeper = next((i for i in later if declares(parts[i])), None)
    if keeper is None:
        keeper = next((i for i in range(len(parts)) if declares(parts[i])), None)
    if keeper is None:
        keeper = next((i for i in later if parts[i].post.slug in promise.acknowledged_in), None)
    if keeper is None and promise.has_topic:
        keeper = next((i for i in later if parts[i].post.slug not in promise.made_in and _keeps_by_words(promise, parts[i])), None)
    if keeper is None and not promise.has_topic:  # "Stay tuned!": whatever comes next keeps it
        last = max((order.index(s) for s in promise.made_in if s in order), default=start - 1)
        keeper = last + 1 if last + 1 < len(parts) else None
    if keeper is None:
        return None
    post = parts[keeper].post
    promise.fulfilled_by = post.slug
    promise.keeper_rel = post.rel
    promise.keeper_title = post.display_title
    promise.keeper_part = post.part
    promise.keeper_created = post.created
    return statuses[keeper]


def _keeps_by_words(promise: Promise, item: PartText) -> bool:
    if matches(promise.text, item.post.display_title):
        return True
    opening = " ".join(item.body.split()[:OPENING_WORDS])
    return bool(opening) and matches(promise.text, opening)
