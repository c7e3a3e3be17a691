"""What full-text search sees of a post, and how a query is read: pure rules, no SQLite.

- `plain_text(markdown)`: the words a reader reads, line for line (the same number of lines, so a
  match found in it has the line of the file). Kept: text, link text, image alt text, code (fence
  lines and their language dropped). Dropped: link targets, image paths, link definitions,
  footnote markers, HTML tags and comments. Entities become their characters.
- Non-English text: SQLite's `unicode61` tokenizer (with `remove_diacritics 2`) folds case and
  diacritics itself, at indexing and at query time alike, so `uber` finds `Über`. It does not split
  Chinese, Japanese or Korean text, written without spaces, into words: `cjk_spaced` puts a space
  around each such character, so each is a token and a CJK word is looked for as a phrase of its
  characters (`東京` → `"東 京"`: exact substring search, at any length, which a trigram index
  cannot give for the one- and two-character words that CJK mostly has).
- `parse_query(text)`: the user's query (words, `"phrases"`, `prefix*`, `-word`, `OR`) read into
  units; `match_expression(query)` writes it as an FTS5 MATCH expression in which every unit is a
  quoted string, so no character of the user's text can be read as FTS5 syntax.
- `locate(candidates, query)`: the line that matches best, and where in it the matched words are.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from blogcli.errors import InvalidValue

# -- Markdown to words ------------------------------------------------------------------------

# Each pattern begins with a literal, which the regex engine finds fast; punctuation left behind
# (brackets, "!", "*") makes no token, so only what would be indexed as words is removed.
# A fence line from its marker on (info string included).
_FENCES = (re.compile(r"```[^\n]*"), re.compile(r"~~~[^\n]*"))
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_AUTOLINK = re.compile(r"<((?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp]|[Mm][Aa][Ii][Ll][Tt][Oo]):[^>\s]*)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[ \t\n][^<>]*)?/?>")
_LINK_DEFINITION = re.compile(r"\n[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S[^\n]*")  # on a line of its own
_FIRST_LINE_DEFINITION = re.compile(_LINK_DEFINITION.pattern[2:])
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]")
# The target of an inline link or image, `](url "title")` or `](<url>)`, one line.
_LINK_TARGET = re.compile(
    r"\]\([ \t]*(?:<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*\)"
)
_REFERENCE = re.compile(r"\]\[[^\]\n]*\]")


def _drop_fence(match: re.Match) -> str:
    """A fence marker is dropped with the rest of its line when only up to 3 spaces precede it."""
    text, start = match.string, match.start()
    line_start = text.rfind("\n", 0, start) + 1
    return "" if start - line_start <= 3 and not text[line_start:start].strip(" \t") else match.group(0)


def _blank_keeping_lines(match: re.Match) -> str:
    return "\n" * match.group(0).count("\n") or " "


def plain_text(markdown: str) -> str:
    """The Markdown's words with its syntax, link targets and image paths removed, line for line.

    No `in` test before each pattern: a pattern that begins with a literal is found as fast, and
    one that matches nothing gives the text back uncopied."""
    text = markdown
    for fence in _FENCES:
        text = fence.sub(_drop_fence, text)
    text = _HTML_COMMENT.sub(_blank_keeping_lines, text)
    text = _AUTOLINK.sub(r" \1 ", text)
    text = _HTML_TAG.sub(_blank_keeping_lines, text)
    text = _LINK_DEFINITION.sub("\n", text)
    first = _FIRST_LINE_DEFINITION.match(text)
    if first:
        text = text[first.end() :]
    text = _FOOTNOTE_MARK.sub(" ", text)
    text = _LINK_TARGET.sub("] ", text)
    text = _REFERENCE.sub("] ", text)
    if "&" not in text:
        return text
    import html  # ~5 ms: only for text with entities

    # Line by line: an entity for a line break (`&#10;`) must not add a line.
    return "\n".join(html.unescape(line).replace("\n", " ") if "&" in line else line for line in text.split("\n"))


_LINE_LEAD = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+(?:\[[ xX]\][ \t]+)?|\d{1,9}[.)][ \t]+)?")
_INLINE_MARKS = re.compile(r"(?<![\w*])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![\w*])|~~|`+|!?\[|\]|\|")


def readable(line: str) -> str:
    """A line of `plain_text` as a snippet shows it: without heading, quote and list marks,
    emphasis stars, code ticks, link brackets and table bars (none of which is a word)."""
    return _INLINE_MARKS.sub("", _LINE_LEAD.sub("", line, count=1))


# -- Chinese, Japanese, Korean ------------------------------------------------------------------

# Scripts written without spaces between words, all from U+2E80 on (so text below it, Western text
# with its curly quotes and dashes included, is known to hold none by one `max()`).
_CJK = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0002fa1f\U00030000-\U0003134f"
)
_CJK_FROM = "\u2e80"
_WORD = re.compile(r"[^\W_]+")  # letters and digits: a token as unicode61 reads one ("_" splits)


@functools.cache
def _cjk_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(one CJK character, a token) — compiled on first use: ~25 ms for these character classes."""
    return re.compile(f"[{_CJK}]"), re.compile(f"[{_CJK}]|(?:(?![{_CJK}])[^\\W_])+")


def _may_hold_cjk(text: str) -> bool:
    return not text.isascii() and max(text) >= _CJK_FROM


def cjk_spaced(text: str) -> str:
    """NFC text with a space around each CJK character (each becomes one token). Text without
    any is returned as it is, at no cost: most posts."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    if max(text) < _CJK_FROM:
        return text
    return _cjk_patterns()[0].sub(r" \g<0> ", text)


# -- words, as the tokenizer sees them ----------------------------------------------------------


def fold(word: str) -> str:
    """A word as unicode61 with `remove_diacritics 2` indexes it: lower case, no diacritics."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of each token of `text`: runs of letters and digits, and each
    CJK character on its own."""
    pattern = _cjk_patterns()[1] if _may_hold_cjk(text) else _WORD
    return [(m.start(), m.end(), fold(m.group(0))) for m in pattern.finditer(text)]


# -- queries ------------------------------------------------------------------------------------


class QueryError(InvalidValue):
    code = "bad-query"


@dataclass
class Unit:
    """One thing to look for: a word or a phrase (its words in order), the last word a prefix
    when `prefix`."""

    text: str
    words: list[str]
    prefix: bool = False

    @property
    def fts(self) -> str:
        """The unit as an FTS5 string: quoted, so nothing in it is syntax."""
        quoted = '"' + cjk_spaced(self.text).replace('"', '""') + '"'
        return quoted + " *" if self.prefix else quoted


@dataclass
class Query:
    """All of `groups` (each: any one of its units), none of `excluded`."""

    groups: list[list[Unit]] = field(default_factory=list)
    excluded: list[Unit] = field(default_factory=list)

    @property
    def units(self) -> list[Unit]:
        return [unit for group in self.groups for unit in group]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUERY_PART = re.compile(r'(?P<minus>-?)(?:"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s"]+))(?P<star>\*?)')


def parse_query(text: str) -> Query:
    """Read the user's query: words (all must match), `"a phrase"`, `prefix*`, `-word` or
    `-"a phrase"` (must not match), `a OR b` (either; binds the words beside it, as in web
    search: `night bus OR tram` is night AND (bus OR tram)). Anything else is text: quotes,
    colons, brackets, NEAR or AND are looked for as words, never read as syntax."""
    query = Query()
    pending_or = False
    for match in _QUERY_PART.finditer(_CONTROL.sub(" ", text)):  # SQLite ends a string at NUL
        phrase, word = match.group("phrase"), match.group("word")
        if word == "OR" and not match.group("minus") and not match.group("star"):
            pending_or = bool(query.groups)
            continue
        raw = phrase if phrase is not None else word
        prefix = bool(match.group("star"))
        if word is not None and word.endswith("*"):
            raw, prefix = word.rstrip("*"), True
        words = [w for _, _, w in tokens(raw)]
        if not words:
            continue  # nothing a word is made of ("*", "—", "::"): nothing to look for
        unit = Unit(raw, words, prefix)
        if match.group("minus"):
            query.excluded.append(unit)
            pending_or = False
        elif pending_or:
            query.groups[-1].append(unit)
            pending_or = False
        else:
            query.groups.append([unit])
    if not query.groups:
        if query.excluded:
            raise QueryError(
                f"{text!r} only says what to leave out", hint='add a word to look for: blog search "night bus" -tram'
            )
        raise QueryError(f"{text!r} has no word to look for", hint='blog search "night bus" or blog search mobil*')
    return query


def match_expression(query: Query) -> str:
    """The query as an FTS5 MATCH expression."""
    positive = " AND ".join("(" + " OR ".join(unit.fts for unit in group) + ")" for group in query.groups)
    if not query.excluded:
        return positive
    return f"({positive}) NOT (" + " OR ".join(unit.fts for unit in query.excluded) + ")"


# -- where a hit matched ------------------------------------------------------------------------


def _matches(unit: Unit, words: list[str]) -> list[int]:
    """Indexes into `words` where `unit` occurs (its first word)."""
    n = len(unit.words)
    found = []
    for i in range(len(words) - n + 1):
        if words[i : i + n - 1] != unit.words[: n - 1]:
            continue
        last = words[i + n - 1]
        if last == unit.words[-1] or (unit.prefix and last.startswith(unit.words[-1])):
            found.append(i)
    return found


def match_spans(text: str, query: Query) -> tuple[int, list[tuple[int, int]]]:
    """How many of the query's units occur in `text`, and the (start, end) of the words matched."""
    found = tokens(text)
    words = [w for _, _, w in found]
    matched = 0
    marked: set[int] = set()
    for unit in query.units:
        starts = _matches(unit, words)
        if starts:
            matched += 1
            for i in starts:
                marked.update(range(i, i + len(unit.words)))
    return matched, [(found[i][0], found[i][1]) for i in sorted(marked)]


@dataclass
class Located:
    line: int
    text: str
    spans: list[tuple[int, int]]


def locate(candidates: list[tuple[int, str]], query: Query) -> Located | None:
    """The candidate (file line, text) matching the most units; the first of equals. None if
    no candidate matches any unit (the file changed since it was indexed)."""
    best: Located | None = None
    best_count = 0
    for line, text in candidates:
        if not text.strip():
            continue
        count, spans = match_spans(text, query)
        if count > best_count:
            best, best_count = Located(line, text, spans), count
    return best


def _cells(ch: str) -> int:
    """Terminal columns a character takes (CJK: two)."""
    return 2 if not ch.isascii() and unicodedata.east_asian_width(ch) in "WF" else 1


def snippet(located: Located, width: int) -> tuple[str, list[tuple[int, int]]]:
    """At most `width` terminal columns of the located line, around its first match, whitespace
    run together, `…` where it was cut; and the (start, end) of the matched words in it."""
    text = located.text
    marked = [False] * len(text)
    for start, end in located.spans:
        for i in range(start, end):
            marked[i] = True
    chars: list[tuple[str, bool]] = []  # the line, whitespace run together, each char marked or not
    for ch, is_marked in zip(text, marked):
        if ch.isspace():
            if chars and chars[-1][0] != " ":
                chars.append((" ", False))
        else:
            chars.append((ch, is_marked))
    while chars and chars[-1][0] == " ":
        chars.pop()
    total = sum(_cells(ch) for ch, _ in chars)
    first = next((i for i, (_, is_marked) in enumerate(chars) if is_marked), 0)
    begin = 0
    if total > width:
        # Start a quarter of the width before the first match (less near the end of the line).
        lead, begin = 0, first
        while begin > 0 and lead + _cells(chars[begin - 1][0]) <= width // 4:
            begin -= 1
            lead += _cells(chars[begin][0])
        tail_cells = sum(_cells(ch) for ch, _ in chars[begin:])
        while begin > 0 and tail_cells + _cells(chars[begin - 1][0]) <= width - 1:
            begin -= 1
            tail_cells += _cells(chars[begin][0])
    room = width - (1 if begin > 0 else 0)
    end, used = begin, 0
    while end < len(chars) and used + _cells(chars[end][0]) <= room:
        used += _cells(chars[end][0])
        end += 1
    if end < len(chars):  # make room for the closing "…", and end at a space if one is near
        while end > begin and used + 1 > room:
            end -= 1
            used -= _cells(chars[end][0])
        space = next((i for i in range(end, max(begin, end - width // 4), -1) if chars[i][0] == " "), None)
        if space is not None and space > first:
            end = space
    # A matched word cut by the window is not marked: the mark means "this word matched".
    for cut in ([begin] if begin > 0 and chars[begin - 1][1] else []) + ([end - 1] if end < len(chars) and chars[end][1] else []):
        i = cut
        step = 1 if cut == begin else -1
        while begin <= i < end and chars[i][1]:
            chars[i] = (chars[i][0], False)
            i += step
    window = chars[begin:end]
    head = "…" if begin > 0 else ""
    out = head + "".join(ch for ch, _ in window) + ("…" if end < len(chars) else "")
    spans: list[tuple[int, int]] = []
    for i, (_, is_marked) in enumerate(window, start=len(head)):
        if is_marked:
            if spans and spans[-1][1] == i:
                spans[-1] = (spans[-1][0], i + 1)
            else:
                spans.append((i, i + 1))
    return out, spans


def marked(text: str, spans: list[tuple[int, int]], mark: tuple[str, str] = ("[", "]")) -> str:
    """`text` with `mark` around each span: the plain-text highlight."""
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], mark[0], text[start:end], mark[1]]
        at = end
    out.append(text[at:])
    return "".join(out)
