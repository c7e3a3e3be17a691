"""A post file split into its header and body, editable line by line without losing a byte.

python-frontmatter strips the body, rewrites CRLF, re-formats YAML and misses a header after a
BOM, so this module splits the file itself, parses the header with PyYAML only to read it, and
edits the header as text: a rewrite changes exactly the lines of the keys it sets and nothing else.

A header between `+++` lines is TOML (as Hugo writes it), read with the standard library's
`tomllib` and edited the same way, key by key; the tool never writes a TOML header of its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field

from blogcli.errors import FrontMatterError, InvalidValue, UnreadableFile
from blogcli.model.simple_header import PLAIN_TEXT, resolves, simple_header

BOM = "\ufeff"
_FENCE_OPEN = "---"
# A line that is `---` or `...` and trailing whitespace (as str.rstrip() sees it), a line being what
# ends at "\n": `[^\S\n]` is whitespace but the line's end.
_CLOSE_FENCE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.M)
_TOML_FENCE = "+++"
_TOML_CLOSE_FENCE = re.compile(r"^\+\+\+[^\S\n]*$", re.M)
# A key and its colon. The key's words may be separated by spaces and tabs, not end with them;
# written with possessive repeats, so that a long line that is no key fails in one pass.
_KEY_LINE = re.compile(
    r"""^(?P<key>"[^"]*"|'[^']*'|[^\s#'"\-?:](?:[ \t]*+[^\s:#])*+|-[^\s:](?:[ \t]*+[^\s:#])*+)[ \t]*+:(?:[ \t]|\r?\n|$)"""
)
# Front matter longer than this is not read (PyYAML would take its time, and no post needs it).
MAX_HEADER_CHARS = 256 * 1024
# Values YAML aliases may add to a header beyond those written out ("billion laughs": a few lines
# of `&a [*b, *b, …]` expanding to millions), and how deep values may nest.
MAX_ALIAS_VALUES = 10_000
MAX_DEPTH = 64


def _lines(text: str) -> list[str]:
    """Split on LF only, keeping the ends (str.splitlines also splits on \\x0c, \\u2028…)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _strip_eol(line: str) -> str:
    return line.rstrip("\n").rstrip("\r")


@dataclass
class Document:
    """One post file: `bom + open fence + header lines + close fence + body`, all kept verbatim."""

    bom: str = ""
    header: list[str] | None = None
    open_fence: str = ""
    close_fence: str = ""
    body: str = ""
    newline: str = "\n"
    split_error: str | None = field(default=None)
    toml: bool = False  # the header is TOML between `+++` fences
    path: str = ""  # the workspace-relative file, for messages
    # The header last read by `set`/`remove`: (its text, what it reads as).
    _read: tuple[str, dict] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_bytes(cls, data: bytes, path: str = "") -> "Document":
        if b"\x00" in data:
            raise UnreadableFile("binary file (contains NUL bytes), not a Markdown post", path=path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise UnreadableFile(
                f"not UTF-8 text (byte {data[exc.start]:#04x})",
                path=path,
                line=line,
                hint="re-save the file as UTF-8 in your editor (e.g. iconv -f latin1 -t utf-8)",
            ) from None
        doc = cls.from_text(text)
        doc.path = path
        return doc

    @classmethod
    def from_text(cls, text: str) -> "Document":
        bom = ""
        if text.startswith(BOM):
            bom, text = BOM, text[1:]
        # CRLF in the first 4,096 characters (one "\r" looked for first: few files have one).
        newline = "\r\n" if text.find("\r", 0, 4096) >= 0 and text.find("\r\n", 0, 4096) >= 0 else "\n"
        first_end = text.find("\n")
        first = text if first_end < 0 else text[: first_end + 1]
        opening = first.rstrip()  # as `_strip_eol(first).rstrip()`: the line's end is whitespace too
        if opening == _TOML_FENCE and first_end >= 0:
            return cls._split_toml(text, bom, first, first_end, newline)
        if opening != _FENCE_OPEN or first_end < 0:
            return cls(bom=bom, body=text, newline=newline)
        close = _CLOSE_FENCE.search(text, first_end + 1)  # not a split of the whole body into lines
        if close is not None:
            line_end = text.find("\n", close.start())
            after = len(text) if line_end < 0 else line_end + 1
            return cls(bom=bom, header=_lines(text[first_end + 1 : close.start()]), open_fence=first,
                       close_fence=text[close.start() : after], body=text[after:], newline=newline)
        return cls(
            bom=bom,
            body=text,
            newline=newline,
            split_error="front matter opened on line 1 is never closed (no closing '---' line)",
        )

    @classmethod
    def _split_toml(cls, text: str, bom: str, first: str, first_end: int, newline: str) -> "Document":
        close = _TOML_CLOSE_FENCE.search(text, first_end + 1)
        if close is None:
            return cls(bom=bom, body=text, newline=newline, toml=True,
                       split_error="TOML front matter opened on line 1 is never closed (no closing '+++' line)")
        line_end = text.find("\n", close.start())
        after = len(text) if line_end < 0 else line_end + 1
        return cls(bom=bom, header=_lines(text[first_end + 1 : close.start()]), open_fence=first,
                   close_fence=text[close.start() : after], body=text[after:], newline=newline, toml=True)

    # -- reading -----------------------------------------------------------------------------

    @property
    def header_text(self) -> str:
        return "".join(self.header or [])

    def parse(self, path: str = "") -> dict:
        """The header as a dict; FrontMatterError (with the file line) when it is not a mapping."""
        if self.split_error:
            raise FrontMatterError(self.split_error, path=path, line=1)
        if self.header is None:
            return {}
        if sum(map(len, self.header)) > MAX_HEADER_CHARS:
            raise FrontMatterError(f"front matter is longer than {MAX_HEADER_CHARS // 1024} KiB; not read", path=path, line=1)
        if self.toml:
            return _parse_toml(self.header_text, path)
        simple = simple_header(self.header)
        if simple is not None:
            return simple
        import yaml

        try:
            data = yaml.load(self.header_text, Loader=header_loader())
        except yaml.YAMLError as exc:
            # The context mark is where the broken construct began (an unclosed `[`), which is
            # where the author has to look; the problem mark is where the parser gave up.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise FrontMatterError(f"front matter is not valid YAML: {problem}", path=path, line=line) from None
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
            # What PyYAML lets through from a constructor it has not been told to guard.
            raise FrontMatterError(f"front matter cannot be read ({type(exc).__name__})", path=path, line=1) from None
        if data is None:
            return {}
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
            raise FrontMatterError(f"front matter must be a mapping of keys, not {kind}", path=path, line=2)
        return data

    def key_line(self, key: str) -> int | None:
        """The file line (1-based) where a top-level key is written, for error messages.

        With the key written twice, the last one: that is the value YAML reads.
        """
        spans = self._key_spans(key)
        return spans[-1][0] + 2 if spans else None

    # -- editing -------------------------------------------------------------------------------

    def _key_spans(self, key: str) -> list[tuple[int, int]]:
        """(first, last) header line indexes of each place `key` and its value are written.

        A value runs on over indented lines and `- ` items; blank lines and comments inside it
        (`tags:` / `# mine` / `- a`) belong to it only when more of the value follows them.
        """
        lines = self.header or []
        if self.toml:
            return [(first, last) for name, first, last in _toml_entries(lines) if name == key]
        spans = []
        for i, line in enumerate(lines):
            match = _KEY_LINE.match(line)
            if not match or _read_key(match.group("key")) != key:
                continue
            end = i + 1
            last = i
            while end < len(lines):
                text = _strip_eol(lines[end])
                if not text.strip() or text.startswith("#"):
                    end += 1
                    continue
                if text[0] in " \t" or (text.startswith("-") and (len(text) == 1 or text[1] in " \t")):
                    last = end
                    end += 1
                    continue
                break
            spans.append((i, last))
        return spans

    def set(self, key: str, value: object) -> None:
        """Write `key: value` in place of the key's current lines, or append it to the header.

        A key written more than once (YAML reads the last) is left written once, with the value.
        The header must still read with `key` as `value` and every other key as before (see
        `_edit`); otherwise nothing changes and FrontMatterError names the line.
        """
        if self.toml:
            self._set_toml(key, value)
            return
        line = f"{key if _plain(key) else _quoted(key)}: {yaml_value(value)}{self.newline}"

        def rewrite() -> None:
            if self.header is None:
                self.header = []
                self.open_fence = f"---{self.newline}"
                self.close_fence = f"---{self.newline}"
            if not self._replace_key_lines(key, line):
                if self.header and not self.header[-1].endswith("\n"):
                    self.header[-1] += self.newline
                self.header.append(line)

        self._edit(key, _as_read(value), [rewrite])

    def _replace_key_lines(self, key: str, line: str) -> bool:
        """Put `line` where the key is first written and take out its later copies (YAML and TOML
        read the last); False, changing nothing, when the key is not written."""
        spans = self._key_spans(key)
        if not spans:
            return False
        for first, last in reversed(spans[1:]):
            del self.header[first : last + 1]
        first, last = spans[0]
        self.header[first : last + 1] = [line]
        return True

    def _set_toml(self, key: str, value: object) -> None:
        """`key = value` in a TOML header, before its first table; refused (nothing changed) when
        the header would not read the value back, so an edit never breaks a copied-in post."""
        before = list(self.header or [])
        if value is None:  # TOML has no null: an unset key is an absent one
            self.remove(key)
            return
        name = key if _TOML_BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
        line = f"{name} = {toml_value(value)}{self.newline}"
        if not self._replace_key_lines(key, line):
            tables = [i for i, text in enumerate(self.header) if _TOML_TABLE.match(text)]
            at = tables[0] if tables else len(self.header)
            if at and not self.header[at - 1].endswith("\n"):
                self.header[at - 1] += self.newline
            self.header.insert(at, line)
        try:
            written = _parse_toml(self.header_text, "").get(key)
        except FrontMatterError:
            written = _UNREADABLE
        expected = list(value) if isinstance(value, tuple) else value
        if isinstance(expected, dt.datetime):
            expected = expected.replace(microsecond=0)
        if written != expected:
            self.header = before
            raise FrontMatterError(
                f"cannot write {key!r} into this TOML front matter without changing what it means",
                path=self.path or None,
                line=1,
                hint="edit that key by hand, or bring the post in with `blog import hugo SITE` (which writes YAML)",
            )

    def remove(self, key: str) -> None:
        """Take out the key's lines (and, only where the header would read otherwise without them,
        the blank lines after them); the same checks as `set`."""

        def take_out(blank_lines_too: bool) -> None:
            for first, last in reversed(self._key_spans(key)):
                while blank_lines_too and last + 1 < len(self.header) and not self.header[last + 1].strip():
                    last += 1
                del self.header[first : last + 1]

        if self.header is not None:
            self._edit(key, _REMOVED, [lambda: take_out(False), lambda: take_out(True)])

    def _edit(self, key: str, value: object, rewrites: list) -> None:
        """Apply the first of `rewrites` after which the header reads as before but for `key`
        (now `value`, or gone for _REMOVED); with none, put the header back and raise
        FrontMatterError naming the line. A header that did not read before is edited unchecked.
        """
        before = self._readable()
        saved = (None if self.header is None else list(self.header), self.open_fence, self.close_fence)
        if before is not None:
            self._refuse_flow_mapping(key)
        problem: tuple[str, int | None] | None = None
        for rewrite in rewrites:
            rewrite()
            if before is None:
                self._read = None
                return
            problem = self._changed_otherwise(before, key, value)
            if problem is None:
                return
            self.header = None if saved[0] is None else list(saved[0])
            self.open_fence, self.close_fence = saved[1], saved[2]
        self._read = None
        message, line = problem
        raise FrontMatterError(
            f"cannot {'remove' if value is _REMOVED else 'set'} {key}: {message}",
            path=self.path or None,
            line=line,
            hint="edit the front matter by hand (blog edit), or write it as plain `key: value` lines",
        )

    def _readable(self) -> dict | None:
        """What the header reads as now, or None when it does not read."""
        text = self.header_text
        if self._read is not None and self._read[0] == text:
            return self._read[1]
        try:
            meta = self.parse(self.path)
        except FrontMatterError:
            return None
        self._read = (text, meta)
        return meta

    def _changed_otherwise(self, before: dict, key: str, value: object) -> tuple[str, int | None] | None:
        """None when the header reads as `before` with only `key` changed to `value`; else why not."""
        try:
            after = self.parse(self.path)
        except FrontMatterError as exc:
            return f"the front matter would no longer read ({exc.detail})", exc.line
        self._read = (self.header_text, after)
        expected = {k: v for k, v in before.items() if k != key}
        if value is not _REMOVED:
            expected[key] = value
        for name in [*after, *(k for k in expected if k not in after)]:
            if name not in after or name not in expected or not _same(after[name], expected[name]):
                if name == key:
                    return f"the new value would read back as {after.get(name)!r}", self.key_line(key)
                return f"{name} would no longer read the same", self.key_line(name) or self.key_line(key)
        return None

    def _refuse_flow_mapping(self, key: str) -> None:
        """A header written as one `{title: …, tags: […]}` mapping has no key lines to edit."""
        for number, line in enumerate(self.header or []):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            if text.startswith("{"):
                raise FrontMatterError(
                    f"cannot set {key}: the front matter is written as one {{…}} mapping; blogcli changes "
                    "headers written as `key: value` lines",
                    path=self.path or None,
                    line=number + 2,
                    hint="write the front matter as one `key: value` line per key",
                )
            return

    def to_text(self) -> str:
        if self.header is None:
            return self.bom + self.body
        return self.bom + self.open_fence + "".join(self.header) + self.close_fence + self.body

    def to_bytes(self) -> bytes:
        return self.to_text().encode("utf-8")


_REMOVED = object()  # the "value" of a key `remove` takes out


def _as_read(value: object) -> object:
    """`value` as the header will read it back: lists for tuples, whole seconds."""
    if isinstance(value, tuple):
        return [_as_read(item) for item in value]
    if isinstance(value, list):
        return [_as_read(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    return value


def _same(a: object, b: object) -> bool:
    """Equal as values read from YAML: of one type (1 is not true), NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b or (isinstance(a, float) and a != a and b != b)


# -- TOML headers (`+++`), as Hugo writes them ----------------------------------------------

_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_KEY_LINE = re.compile(r"""^[ \t]*(?P<key>[A-Za-z0-9_-]+|"[^"\\]*"|'[^']*')[ \t]*=""")
_TOML_TABLE = re.compile(r"^[ \t]*\[")
_TOML_ERROR_LINE = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)")
_UNREADABLE = object()


def _parse_toml(text: str, path: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_LINE.search(str(exc))
        line = int(found.group(1) or text.rstrip("\n").count("\n") + 1) + 1 if found else 1  # the file's line, fence counted
        problem = _TOML_ERROR_LINE.sub("", str(exc))
        raise FrontMatterError(f"front matter is not valid TOML: {problem}", path=path, line=line) from None


def _toml_entries(lines: list[str]) -> list[tuple[str, int, int]]:
    """(key, first, last) header line indexes of each top-level `key = value`: the value runs on
    until the lines so far read as TOML (a multi-line array or string); tables end the search."""
    import tomllib

    entries = []
    i = 0
    while i < len(lines):
        if _TOML_TABLE.match(lines[i]):
            break
        match = _TOML_KEY_LINE.match(lines[i])
        if match is None:
            i += 1
            continue
        last = i
        for end in range(i, len(lines)):
            try:
                tomllib.loads("".join(lines[i : end + 1]))
            except tomllib.TOMLDecodeError:
                continue
            last = end
            break
        entries.append((match.group("key").strip("'\""), i, last))
        i = last + 1
    return entries


def toml_value(value: object) -> str:
    """One-line TOML for a scalar, a date or a list (strings as basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValue(f"{text!r} is not valid text (not UTF-8)", hint="type it again in a UTF-8 terminal") from None
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _read_key(written: str) -> str | None:
    """The text key a `key:` line names, or None where YAML reads it as another type (`no:` is False)."""
    if written[:1] in "'\"":
        return written[1:-1]
    written = written.rstrip()
    return None if resolves(written) else written


@functools.cache
def header_loader():
    """PyYAML's safe loader, except that a date it cannot build (`2026-13-45`) stays text.

    PyYAML raises a bare ValueError for such a date, which would take down every command that
    lists the workspace; as text, the schema flags it on its own line like any unreadable date.
    """
    import yaml

    from yaml.constructor import ConstructorError, SafeConstructor

    class HeaderLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        def get_single_data(self):
            node = self.get_single_node()
            if node is None:
                return None
            _check_expansion(node, ConstructorError)
            return self.construct_document(node)

    def timestamp(loader, node):
        try:
            return SafeConstructor.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError, TypeError, AttributeError):  # `!!timestamp nope` too
            return loader.construct_scalar(node)

    def guarded(construct, what: str):
        def construct_or_explain(loader, node):
            try:
                return construct(loader, node)
            except (ValueError, TypeError, KeyError, OverflowError, AttributeError):
                value = str(node.value)
                shown = value if len(value) <= 40 else f"{value[:20]}…{value[-10:]} ({len(value)} characters)"
                raise ConstructorError(None, None, f"cannot read {shown!r} as {what}", node.start_mark) from None

        return construct_or_explain

    HeaderLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    for tag, what in (("int", "a whole number"), ("float", "a number"), ("bool", "true or false"), ("binary", "binary data")):
        name = f"tag:yaml.org,2002:{tag}"
        HeaderLoader.add_constructor(name, guarded(SafeConstructor.yaml_constructors[name], what))
    return HeaderLoader


def _check_expansion(root, error) -> None:
    """Refuse a document whose aliases refer to themselves, expand it by more than MAX_ALIAS_VALUES
    values, or that nests deeper than MAX_DEPTH: checked on the composed nodes, before anything is
    built (the nodes an alias names are shared, so this costs one visit a node)."""
    sizes: dict[int, int] = {}  # id(node) → how many values it holds, aliases expanded
    path: set[int] = set()  # the nodes being visited, from the root down
    stack = [(root, False)]
    while stack:
        node, visited = stack.pop()
        key = id(node)
        children = _child_nodes(node)
        if visited:
            path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            continue
        if key in sizes:
            continue
        if key in path:
            raise error(None, None, "an alias refers to the value it is part of", node.start_mark)
        if len(path) >= MAX_DEPTH:
            raise error(None, None, f"values nest more than {MAX_DEPTH} deep", node.start_mark)
        path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    added = sizes[id(root)] - len(sizes)
    if added > MAX_ALIAS_VALUES:
        raise error(None, None, f"its aliases expand it by {added:,} values (at most {MAX_ALIAS_VALUES:,} are read)",
                    root.start_mark)


def _child_nodes(node) -> list:
    if node.id == "sequence":
        return node.value
    if node.id == "mapping":
        return [part for pair in node.value for part in pair]
    return []


def _plain(text: str) -> bool:
    """Text PyYAML reads back as itself, known without asking it (the fast header path's rule)."""
    return bool(PLAIN_TEXT.fullmatch(text)) and not text.endswith(" ") and not resolves(text)


def _round_trips(text: str, value: object) -> bool:
    import yaml

    try:
        return yaml.load(f"k: {text}\n", Loader=header_loader()) == {"k": value}
    except yaml.YAMLError:
        return False


def _quoted(text: str) -> str:
    """A double-quoted one-line YAML scalar, escaping what YAML forbids raw (control characters)."""
    import yaml

    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n").removesuffix("\n...")


_FLOW_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def yaml_value(value: object) -> str:
    """One-line YAML for a scalar, a list or a mapping: plain where that reads back the same, else quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items = [yaml_value(item) for item in value]
        flow = "[" + ", ".join(items) + "]"
        if all(isinstance(item, str) and "," not in item and _plain(item) for item in value) or _round_trips(flow, list(value)):
            return flow
        return "[" + ", ".join(_quoted(str(item)) for item in value) + "]"
    if isinstance(value, dict):  # one line, `{id: 42, url: "…"}`: what publishing targets record
        # Inside braces YAML parsers disagree on plain text holding `:`, `?` or `#` (libyaml reads
        # `{u: http://x/?p=6}`, PyYAML's pure-Python parser does not): only bare words stay plain.
        def flow_item(item: object) -> str:
            if isinstance(item, str) and not (_FLOW_PLAIN.fullmatch(item) and _round_trips(item, item)):
                return _quoted(item)
            return yaml_value(item)

        return "{" + ", ".join(f"{flow_item(str(key))}: {flow_item(item)}" for key, item in value.items()) + "}"
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: what Python makes of bytes a terminal sent in another encoding.
        raise InvalidValue(f"{text!r} is not valid text (not UTF-8)", hint="type it again in a UTF-8 terminal") from None
    if _plain(text) or text and text == text.strip() and "\n" not in text and "#" not in text and _round_trips(text, text):
        return text
    return _quoted(text)
