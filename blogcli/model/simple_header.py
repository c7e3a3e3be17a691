"""The common header, read without PyYAML.

Most headers are a few `key: value` lines: words (links and feed ids too), an ISO date, a whole
number, `[a, b]`, a block list of words (`tags:` then `- a` lines). Those are read here, giving
exactly what PyYAML gives (tests/test_document.py compares the two on generated headers); anything
else, from a comment to a list of dates, goes to PyYAML (`document.Document.parse`). Parsing
10,000 headers with no index is ~40 % PyYAML otherwise, and a header with a block list takes
PyYAML ~200 µs, here ~15 µs; a publish no longer loads PyYAML (~15 ms) for the feed id it stamps.
`PLAIN_TEXT` and `resolves` are also the rule for writing a value plain (`document.yaml_value`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

_SIMPLE_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*+):(?: ++((?:[^\r\n]*[^ \t\r\n])?))?[ \t]*+\r?\n?")
# A letter first (no YAML indicator), then words, spaces, some punctuation, and colons that a
# space or the end does not follow (`tag:example.org,2026-12-01:/slug/`, the feed id a publish stamps).
PLAIN_TEXT = re.compile(r"[^\W\d_](?:[\w .,!?'’()/&;%+=*-]|:(?=[^ ]))*")
_WHOLE_NUMBER = re.compile(r"0|[1-9][0-9]{0,17}")
# ASCII digits only, as PyYAML's resolvers: `٢٠٢٦-١١-٢٥` (Arabic-Indic digits) is text to it
_TIMESTAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:(Z)|([-+])([0-9]{2}):([0-9]{2}))?)?")
_NOT_SIMPLE = object()  # what `_scalar` gives for a value the fast path leaves to PyYAML
_LIST_ITEM = re.compile(r"( *+)- ++([^\r\n]*[^ \t\r\n])[ \t]*+\r?\n?")
_QUOTED = re.compile(r'"([^"\\]*)"|\'([^\']*)\'')


def simple_header(lines: list[str]) -> dict | None:
    """The header as PyYAML reads it when every line is a simple `key: value`, or an item of a
    block list of words under a `key:` (`- word`, every item indented alike); else None."""
    data: dict = {}
    list_key = None  # the key whose block list the next `- word` lines are items of
    indent = None  # the items' indentation
    for line in lines:
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            item = _LIST_ITEM.fullmatch(line)
            if item is None or list_key is None or not line.rstrip("\r\n").isprintable():
                return None
            spaces, text = item.groups()
            if indent is None:
                indent = spaces
                data[list_key] = []
            if spaces != indent or not PLAIN_TEXT.fullmatch(text) or text in WORDS_OF_OTHER_TYPES:
                return None
            data[list_key].append(text)
            continue
        if not line.rstrip("\r\n").isprintable():
            return None
        key, text = match.groups()
        if key in WORDS_OF_OTHER_TYPES:  # `resolves` of a key, which starts with a letter
            return None
        list_key = indent = None
        if not text:
            data[key] = None
            list_key = key
            continue
        if text.startswith("["):
            if not text.endswith("]"):
                return None
            inner = text[1:-1].strip(" ")
            items = [item.strip(" ") for item in inner.split(",")] if inner else []
            for item in items:  # plain text starts with a letter: `resolves` is a look-up of the word
                if not PLAIN_TEXT.fullmatch(item) or item in WORDS_OF_OTHER_TYPES:
                    return None
            data[key] = items
            continue
        value = _scalar(text)
        if value is _NOT_SIMPLE:
            return None
        data[key] = value
    return data if data else None


def _scalar(text: str) -> object:
    # Each form starts with its own kind of character: a quote, a digit (`\d`), or else a letter.
    first = text[0]
    if first == '"' or first == "'":
        quoted = _QUOTED.fullmatch(text)
        if quoted is None:
            return _NOT_SIMPLE
        return quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
    if not first.isdecimal():
        return text if PLAIN_TEXT.fullmatch(text) and text not in WORDS_OF_OTHER_TYPES else _NOT_SIMPLE
    if _WHOLE_NUMBER.fullmatch(text):
        return int(text)
    stamp = _TIMESTAMP.fullmatch(text)
    if stamp is None:
        return _NOT_SIMPLE
    year, month, day, hour, minute, second, utc, sign, tz_hour, tz_minute = stamp.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        zone = _offset(sign, tz_hour, tz_minute) if sign else dt.timezone.utc if utc else None
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), 0, zone)
    except (ValueError, OverflowError):  # not a real date: PyYAML's reading decides what it is
        return _NOT_SIMPLE


@functools.lru_cache(maxsize=256)
def _offset(sign: str, hours: str, minutes: str) -> dt.timezone:
    """The zone of a `+hh:mm` offset, made once: a header's dates are written in a few."""
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
    return dt.timezone(-delta if sign == "-" else delta)


# The only plain words starting with a letter that PyYAML reads as another type (its bool and
# null resolvers); any other key starting with a letter is text, known without loading PyYAML.
WORDS_OF_OTHER_TYPES = frozenset(
    "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL".split()
)


def resolves(plain: str) -> bool:
    """Whether PyYAML would read this plain text as something else (true, null, a number…).
    Text starting with a letter is known without loading PyYAML: its only resolvers for a letter
    are the bool and null words (tests/test_document.py holds it to PyYAML's table)."""
    first = plain[0]
    if first.isalpha():
        return plain in WORDS_OF_OTHER_TYPES
    return any(pattern.match(plain) for _, pattern in _implicit_types().get(first, ()))


@functools.cache
def _implicit_types() -> dict:
    """PyYAML's own table of the plain texts it reads as another type, by first character."""
    from yaml.resolver import Resolver

    return Resolver.yaml_implicit_resolvers
