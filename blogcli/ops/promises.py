"""The promise ledger: what each series has promised its readers, and whether it was kept.

Who promises. Only published or scheduled parts make promises: a post's promise is its front
matter `next`, else the last promise sentence found in its body (blogcli.model.teasers).

Restatements. A sentence like "I know I said I would be discussing X, and I will!" carries an
earlier promise over: when its topic matches an earlier promise of the series (by key words,
below), that post is added to the promise's `made_in`. When it matches none (the first mention
is not in the workspace) and still looks forward ("…, and I will!"), it counts as a promise made
in that post and already repeated. "Last week I said I'd look at X, and I did" looks back: it
marks the post as keeping the promise, not repeating it. A new promise whose key words match a
promise made or carried in the previous part is that promise repeated ("I'll get to it next week").

Who keeps it. A later part keeps a promise when its front matter says `fulfils: <slug>` with the
slug of a post that made the promise (`blog new --next` and `blog series plan` write it). Failing
that, the first later part that says it kept it ("…, and I did"); failing that, the first later
part (not one that only carried it over) whose title, or the opening of its body (first 60
words), matches the promise's key words.

Key words. Lower-case words of three letters or more, without common function words ("the",
"how", "who", "about", "first"…), with one plural, -ing or -ed ending and then a final e cut
("rides", "riding" → "rid"). Deliberately crude: it only has to tell topics of one series apart.
Two texts match when at least half of the promise's key words appear in the other text, and at
least two of them do (one, if the promise has only one key word).

Status. `fulfilled`: a published part keeps it. `planned`: a draft, planned or scheduled part
keeps it (JSON `fulfilled_by` names the keeping part in both cases; `status` tells which).
`overdue`: neither, more than one cadence period after the post that first made it went out
(by ws.now()). `open`: neither, within that period. `repeated` is true when the promise was made
or restated in more than one post (the post that keeps it does not count).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from blogcli.errors import BlogError
from blogcli.model.post import Post
from blogcli.model.series import series_key
from blogcli.model.teasers import PROMISE, RESTATEMENT, detect_teasers, last_promise
from blogcli.ops.series import SeriesRef, resolve_series, series_cadence, series_catalogue, series_parts
from blogcli.workspace.store import Workspace

OPENING_WORDS = 60
_STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below between both but by can
    could did do does doing down during each few first for from further had has have having he her here hers him his how
    i if in into is it its itself just last let lets me more most my myself next no nor not now of off on once only or other
    our out over own part place post same see she should so some such than that the their them then there these they this
    those through time to too under until up very was we week were what when where which while who whom why will with
    would you your actually really finally properly look looking discuss discussing""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


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


@dataclass
class Promise:
    series: str  # the series' title
    origin: str  # slug of the post that first made it (JSON "from")
    part: int | None
    text: str
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
    acknowledged_in: list[str] = field(default_factory=list)  # later posts saying "…and I did"

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
        }


def promise_ledger(ws: Workspace, name: str | None = None) -> list[Promise]:
    """Every promise of one series (by name or slug) or of all series, in series then part order."""
    ledger = []
    members = _members(ws.posts)
    for series in [resolve_series(ws, name)] if name else series_catalogue(ws):
        ledger.extend(_series_promises(ws, series, members))
    return ledger


def _members(posts: list[Post]) -> dict[str, list[tuple[int, Post]]]:
    """The posts of each series slug with their place in `posts`: one pass over the blog, so that
    a ledger of every series does not scan every post once per series."""
    found: dict[str, list[tuple[int, Post]]] = {}
    for i, post in enumerate(posts):
        if post.series:
            found.setdefault(series_key(post.series), []).append((i, post))
    return found


def latest_open_promise(ws: Workspace, name: str) -> Promise | None:
    """The most recently made promise of a series that no part keeps or plans to keep yet."""
    waiting = [p for p in promise_ledger(ws, name) if p.status in ("open", "overdue")]
    return max(waiting, key=lambda p: p.made_on or dt.datetime.min.replace(tzinfo=dt.timezone.utc), default=None)


@dataclass
class _Loaded:
    post: Post
    full: Post | None
    status: str

    @property
    def body(self) -> str:
        return self.full.body if self.full is not None and self.full.doc is not None else ""


def _series_promises(ws: Workspace, series: SeriesRef, members: dict[str, list[tuple[int, Post]]]) -> list[Promise]:
    now = ws.now()
    title, key = series.title, series.slug
    parts = series_parts([post for _, post in sorted(item for slug in series.keys for item in members.get(slug, ()))], series)
    loaded = []
    for post in parts:
        try:
            full = ws.load(post.rel)
        except BlogError:
            full = None
        loaded.append(_Loaded(post, full, post.status(now)))
    cadence = series_cadence(ws, series, parts)
    promises: list[Promise] = []
    previous = None
    for item in loaded:
        if item.status not in ("published", "scheduled"):
            continue
        _collect(item, promises, previous, title, key)
        previous = item.post.slug
    for promise in promises:
        _find_keeper(promise, loaded)
        if promise.fulfilled_by in promise.made_in:
            promise.made_in.remove(promise.fulfilled_by)
        promise.repeated = promise.repeated or len(promise.made_in) > 1
        if promise.made_on is not None:
            promise.due = promise.made_on + cadence.period
        if promise.status == "open" and promise.due is not None and now > promise.due:
            promise.status = "overdue"
    return promises


def _collect(item: _Loaded, promises: list[Promise], previous: str | None, title: str, key: str) -> None:
    """The promises one post makes or carries over, added to (or merged into) `promises`."""
    post = item.post
    teasers = detect_teasers(item.body)
    for teaser in (t for t in teasers if t.kind == RESTATEMENT and t.topic):
        earlier = next((p for p in reversed(promises) if matches(p.text, teaser.topic) or matches(teaser.topic, p.text)), None)
        if earlier is None:
            if _LOOKS_FORWARD.search(teaser.text):
                promises.append(_new(item, teaser.topic, teaser.text, teaser.line, title, key, repeated=True))
        elif _LOOKS_BACK.search(teaser.text):
            earlier.acknowledged_in.append(post.slug)
        elif post.slug not in earlier.made_in:
            earlier.made_in.append(post.slug)
    if post.next:
        text, sentence, line = post.next, None, None
    else:
        teaser = last_promise([t for t in teasers if t.kind == PROMISE])
        if teaser is None:
            return
        text, sentence, line = teaser.topic or teaser.text.strip(), teaser.text, teaser.line
    again = next(
        (p for p in reversed(promises) if p.origin != post.slug and {previous, post.slug} & set(p.made_in) and matches(p.text, text)), None
    )
    if again is not None:
        if post.slug not in again.made_in:
            again.made_in.append(post.slug)
        return
    promises.append(_new(item, text, sentence, line, title, key))


def _new(item: _Loaded, text: str, sentence: str | None, line: int | None, title: str, key: str, repeated=False) -> Promise:
    post, doc = item.post, (item.full.doc if item.full is not None else None)
    if doc is not None and line is None:
        line = doc.key_line("next")
    elif doc is not None and line is not None and doc.header is not None:
        line += len(doc.header) + 2
    return Promise(
        series=title,
        origin=post.slug,
        origin_rel=post.rel,
        part=post.part,
        text=" ".join(text.split()),
        repeated=repeated,
        made_in=[post.slug],
        series_key=key,
        sentence=" ".join(sentence.split()) if sentence else None,
        line=line,
        made_on=post.date,
    )


def _find_keeper(promise: Promise, loaded: list[_Loaded]) -> None:
    """Set who keeps the promise, and the status that follows (see the module docstring)."""
    order = [item.post.slug for item in loaded]
    start = order.index(promise.origin) + 1 if promise.origin in order else 0
    later = loaded[start:]
    keeper = next((item for item in later if item.post.fulfils and item.post.fulfils in promise.made_in), None)
    if keeper is None:
        keeper = next((item for item in loaded if item.post.fulfils and item.post.fulfils in promise.made_in), None)
    if keeper is None:
        keeper = next((item for item in later if item.post.slug in promise.acknowledged_in), None)
    if keeper is None:
        keeper = next((item for item in later if item.post.slug not in promise.made_in and _keeps_by_words(promise, item)), None)
    if keeper is None:
        return
    promise.fulfilled_by = keeper.post.slug
    promise.keeper_rel = keeper.post.rel
    promise.keeper_title = keeper.post.display_title
    promise.keeper_part = keeper.post.part
    promise.status = "fulfilled" if keeper.status == "published" else "planned"


def _keeps_by_words(promise: Promise, item: _Loaded) -> bool:
    if matches(promise.text, item.post.display_title):
        return True
    opening = " ".join(item.body.split()[:OPENING_WORDS])
    return bool(opening) and matches(promise.text, opening)
