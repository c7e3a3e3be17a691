"""Posts: the front-matter schema, coercion of what YAML gives, and status."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from dataclasses import dataclass, field

from blogcli.errors import BlogError, FrontMatterError, UnreadableFile
from blogcli.model.dates import parse_datetime
from blogcli.model.document import Document
from blogcli.model.slug import slug_of_file

DRAFTS = "drafts"
PUBLISHED = "published"
PAGES = "pages"  # standalone pages (About, Now): written by imports; commands read them in a later round
STATUSES = ("draft", "planned", "scheduled", "published")
DATE_KEYS = ("date", "created", "updated")
TEXT_KEYS = ("title", "series", "summary", "next", "fulfils")
MAX_PART = 100_000  # parts of a series; more would be a weekly series of two thousand years

_WORD = re.compile(r"[^\W_][\w'’-]*")
# ASCII fast path: letters and digits become "a", the joiners _ ' - vanish, anything else is a space;
# each remaining run of "a" is exactly one _WORD match (word characters holding a letter or digit).
_ALNUM = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_TO_RUNS = bytes(97 if c in _ALNUM else 32 for c in range(256))  # letter or digit → "a", else " "


def count_words(body: str) -> int:
    """Words a reader reads: link targets, HTML tags and fence markers are not counted.

    ASCII bodies (most) take a byte-level path ~3x faster than the regex, with the same count:
    it is a large part of reading 10,000 posts without the index. So do bodies with a few
    characters outside ASCII (a ’, an é, a —: most of the rest), each run of those written as
    what the byte-level path reads (`_word_runs`); the regex reads text with more of them.
    """
    if body.isascii():
        text = _without_link_targets(body.encode("ascii"))
    elif len(body.encode("utf-8")) - len(body) <= len(body) // 32:
        text = _without_link_targets(body).encode("ascii", _WORD_RUNS)
    else:
        return len(_WORD.findall(_without_link_targets(body)))
    runs = text.translate(_TO_RUNS, b"_'-")
    return runs.count(b" a") + runs.startswith(b"a")


def _word_runs(error: UnicodeEncodeError) -> tuple[str, int]:
    """The ASCII error handler of `count_words`: a letter or digit outside ASCII (`[^\\W_]`) stands
    for "a", the joiner ’ vanishes as ' does, anything else is a space. It is called once for each
    run of characters outside ASCII (~1.5 µs), where the regex takes ~40 µs a 1,000 characters:
    a body of English with one such character in 64 (extra UTF-8 bytes ≤ 1/32 of its length, the
    limit) is counted in half the time, one in a few hundred in a fifth."""
    return "".join("a" if char.isalnum() else "" if char == "’" else " " for char in error.object[error.start : error.end]), error.end


_WORD_RUNS = "blogcli-word-runs"
codecs.register_error(_WORD_RUNS, _word_runs)


# What `_without_link_targets` looks for, and what it puts in their place, as str and as bytes.
_TARGET_MARKS = ("]", "(", ")", "<", ">", "```", "\n", "")
_ASCII_TARGET_MARKS = tuple(mark.encode() for mark in _TARGET_MARKS)


def _without_link_targets(text):
    r"""`text` (str, or bytes) with each link target, HTML tag and fence marker replaced by "]":
    what `re.sub(r"\]\([^)]*\)|<[^>]+>|```[^\n]*", "]", text)` gives (tests/test_index.py
    compares them), found by `find`, in time in proportion to the text.

    The expression tests every character where `find` jumps to the next `]`, `<` or ``` (over
    the 10,000-post corpus 0.31 s of CPU against 0.17 s; `]` is looked for alone, since one
    character is found faster than two), and it scans to the end of the text from each `](` with
    no `)` after it (a body of 20,000 `[a](` took seconds). Here a candidate is tried only while a
    closer is still to come (`last_paren`, `last_angle`), so that costs nothing.
    """
    bracket, opener, paren, tag, angle, fence, newline, empty = _ASCII_TARGET_MARKS if isinstance(text, bytes) else _TARGET_MARKS
    size = len(text)
    # The next place each construct may start from `at` on (`size` when there is none).
    next_link, next_tag, next_fence = text.find(bracket), text.find(tag), text.find(fence)
    if next_link < 0 and next_tag < 0 and next_fence < 0:
        return text
    next_link, next_tag, next_fence = (size if found < 0 else found for found in (next_link, next_tag, next_fence))
    last_paren, last_angle = text.rfind(paren), text.rfind(angle)
    pieces = []
    done = 0  # text[:done] is handled
    while True:
        start = min(next_link, next_tag, next_fence)
        if start == size:
            break
        if start == next_link:  # `](`, anything but `)`, then `)`
            end = text.find(paren, start + 2) + 1 if start + 2 <= last_paren and text[start + 1 : start + 2] == opener else 0
        elif start == next_tag:  # `<`, at least one character that is not `>`, then `>`
            end = text.find(angle, start + 2) + 1 if start + 2 <= last_angle and text[start + 1 : start + 2] != angle else 0
        else:  # ``` and the rest of its line
            end = text.find(newline, start)
            if end < 0:
                end = size
        if end > 0:
            pieces += [text[done:start], bracket]
            done = at = end
        else:
            at = start + 1
        if next_link < at:
            next_link = text.find(bracket, at)
            if next_link < 0:
                next_link = size
        if next_tag < at:
            next_tag = text.find(tag, at)
            if next_tag < 0:
                next_tag = size
        if next_fence < at:
            next_fence = text.find(fence, at)
            if next_fence < 0:
                next_fence = size
    pieces.append(text[done:])
    return empty.join(pieces)


@dataclass
class Problem:
    """Something wrong with one file, located for `path:line: message` output and `blog check`."""

    path: str
    line: int | None
    code: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "code": self.code, "severity": self.severity, "message": self.message}


@dataclass
class Post:
    """One Markdown file in drafts/ or published/, with its front matter read into typed fields."""

    rel: str
    folder: str
    slug: str
    doc: Document | None
    meta: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    title: str | None = None
    date: dt.datetime | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    tags: list[str] = field(default_factory=list)
    series: str | None = None
    part: int | None = None
    summary: str | None = None
    next: str | None = None
    fulfils: str | None = None
    words: int = 0
    has_body: bool = False

    @property
    def body(self) -> str:
        """The body, verbatim (only for posts read from their file, not from the index)."""
        if self.doc is None:
            raise ValueError(f"{self.rel} was read from the index, without its body")
        return self.doc.body

    @property
    def display_title(self) -> str:
        return self.title or self.slug

    def status(self, now: dt.datetime) -> str:
        if self.folder == DRAFTS:
            return "draft" if self.has_body else "planned"
        if self.date is not None and self.date > now:
            return "scheduled"
        return "published"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def post_from_bytes(data: bytes, rel: str, tz: dt.tzinfo, words: bool = True) -> Post:
    """Read a post; header problems become `problems` (the body still reads), bad bytes raise.
    `words=False` leaves `words` at 0 (the search index has no use for the count: ~15 % of a read)."""
    folder = rel.split("/", 1)[0]
    slug = slug_of_file(rel.rsplit("/", 1)[-1])
    doc = Document.from_bytes(data, rel)
    body = doc.body
    count = count_words(body) if words else 0
    # `bool(body.strip())`, without copying the body
    post = Post(rel=rel, folder=folder, slug=slug, doc=doc, words=count, has_body=bool(body) and not body.isspace())
    if doc.header is None and not post.has_body:
        post.problems.append(Problem(rel, 1, "empty", "empty file: no front matter and no text"))
        return post
    try:
        post.meta = doc.parse(rel)
    except FrontMatterError as exc:
        post.problems.append(Problem(rel, exc.line, "front-matter", exc.detail))
        return post
    _coerce(post, tz)
    return post


def load_post(path: str | os.PathLike, rel: str, tz: dt.tzinfo) -> Post:
    try:
        data = read_file(path)
    except OSError as exc:
        raise UnreadableFile(f"cannot read ({exc.strerror})", path=rel) from None
    return post_from_bytes(data, rel, tz)


def read_file(path: str | os.PathLike) -> bytes:
    """A file's bytes, to its end, by a descriptor (not inherited, as Python opens them): less
    than half the CPU of `Path.read_bytes`, which makes a Path and a buffered reader for each
    file (0.19 → 0.08 s over 10,000 posts)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, os.fstat(fd).st_size + 1)  # all of it, unless it grew since the fstat
        if not data:
            return data
        rest = []
        while chunk := os.read(fd, 1 << 20):
            rest.append(chunk)
        return data + b"".join(rest) if rest else data
    finally:
        os.close(fd)


def _shown(value: object, limit: int = 60) -> str:
    """A value in a message: its repr, cut short in the middle when long (a 4,000-digit part)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 20]}…{text[-10:]} ({len(text):,} characters)"


def _coerce(post: Post, tz: dt.tzinfo) -> None:
    """Fill the typed fields from `meta`, flagging values of the wrong type where they are written."""
    meta, doc = post.meta, post.doc

    def flag(key: str, message: str) -> None:
        post.problems.append(Problem(post.rel, doc.key_line(key), "bad-value", f"{key}: {message}"))

    for key in TEXT_KEYS:
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            setattr(post, key, value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            setattr(post, key, str(value))
            flag(key, f"expected text, found the number {_shown(value)} (quote it)")
        else:
            flag(key, f"expected text, found {type(value).__name__} {_shown(value)}")
    for key in DATE_KEYS:
        value = meta.get(key)
        if value is None:
            continue
        try:
            setattr(post, key, parse_datetime(value, tz))
        except BlogError as exc:
            flag(key, exc.message)
    tags = meta.get("tags")
    if isinstance(tags, str):
        post.tags = [t.strip() for t in tags.split(",") if t.strip()]
    elif isinstance(tags, list):
        post.tags = [str(t) for t in tags if t is not None and str(t).strip()]
        if any(isinstance(t, (dict, list)) for t in tags):
            flag("tags", "each tag must be a word or phrase")
            post.tags = [str(t) for t in tags if isinstance(t, (str, int, float))]
    elif tags is not None:
        flag("tags", f"expected a list of tags, found {_shown(tags)}")
    part = meta.get("part")
    if part is not None:
        number = None
        if type(part) is int:
            number = part
        elif isinstance(part, str) and part.strip().isascii() and part.strip().isdecimal() and len(part.strip()) <= 9:
            number = int(part)  # "2" as text; not "²", which is a digit to str.isdigit but no number
        if number is not None and 1 <= number <= MAX_PART:
            post.part = number
        else:
            flag("part", f"expected a whole number from 1 to {MAX_PART:,}, found {_shown(part)}")
