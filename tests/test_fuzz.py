"""Property tests over everything that reads text an author (or a stray tool) wrote.

On any input: no exception escapes but the documented BlogError family; a file loaded and saved
without changes is the same bytes; `set(key)` then `parse()` gives the value back and keeps every
other key and the body byte for byte; slugs are safe file names; teasers point into the body.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from blogcli.errors import BlogError, FrontMatterError, InvalidValue, UnreadableFile
from blogcli.model.dates import format_datetime, parse_datetime
from blogcli.model.document import Document
from blogcli.model.post import post_from_bytes
from blogcli.model.slug import MAX_SLUG_BYTES, MAX_SLUG_LENGTH, is_safe_slug, slugify, unique_slug
from blogcli.model.teasers import PROMISE, RESTATEMENT, detect_teasers

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAFE_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

# -- generators of front matter as people (and tools) write it ------------------------------------

keys = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
words = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.'’é-]{0,30}", fullmatch=True).map(str.strip).filter(bool)


def _entry(draw, key: str) -> list[str]:
    """The lines of one `key: value` in one of the styles YAML writers use."""
    style = draw(st.sampled_from(["plain", "quoted", "number", "flow", "block", "block0", "commented", "folded", "map", "date", "empty"]))
    value = draw(words)
    items = draw(st.lists(words, min_size=1, max_size=3))
    return {
        "plain": [f"{key}: {value}"],
        "quoted": [f'{key}: "{value}"'],
        "number": [f"{key}: {draw(st.integers(-10**6, 10**6))}"],
        "flow": [f"{key}: [{', '.join(items)}]"],
        "block": [f"{key}:"] + [f"  - {i}" for i in items],
        "block0": [f"{key}:"] + [f"- {i}" for i in items],
        "commented": [f"{key}:", "# a comment inside the value", *(f"  - {i}" for i in items), "", "  # trailing"],
        "folded": [f"{key}: >"] + [f"  {i}" for i in items],
        "map": [f"{key}:"] + [f"  k{n}: {i}" for n, i in enumerate(items)],
        "date": [f"{key}: 2026-11-{draw(st.integers(1, 30)):02d}T09:00:00+01:00"],
        "empty": [f"{key}:"],
    }[style]


@st.composite
def headers(draw) -> tuple[str, list[str]]:
    """A front matter text with unique keys, comments and blank lines between them; and its keys."""
    chosen = draw(st.lists(keys, unique=True, max_size=6))
    lines = []
    for key in chosen:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["# a comment", "", "   ", "#", "# tags: [not, a, key]"])))
        lines.extend(_entry(draw, key))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return "".join(line + newline for line in lines), chosen


@st.composite
def documents(draw) -> tuple[bytes, list[str]]:
    header, chosen = draw(headers())
    newline = "\r\n" if "\r\n" in header else "\n"
    body = draw(st.text(max_size=200))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    text = f"{bom}---{newline}{header}---{newline}{body}"
    return text.encode("utf-8", "surrogatepass"), chosen


yaml_text = st.text(max_size=40)
values = st.one_of(
    yaml_text,
    words,
    st.integers(-10**12, 10**12),
    st.booleans(),
    st.none(),
    st.lists(yaml_text, max_size=4),
    st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=1)))).map(lambda d: d.replace(microsecond=0)),
    st.dates(),
)


def parsed(data: bytes) -> dict | None:
    try:
        return Document.from_bytes(data).parse()
    except (FrontMatterError, UnreadableFile):
        return None


# -- reading and writing front matter ----------------------------------------------------------


@FUZZ
@given(st.one_of(st.binary(max_size=400), documents().map(lambda d: d[0]), st.text(max_size=300).map(str.encode)))
@example(b"---\ncreated: 2026-13-45\n---\n")
@example(b"---\n" + b"[" * 5000 + b"\n---\n")
@example(b"---\n&a [*a]\n---\n")
@example(b"---\n? [a, b]\n: c\n---\n")
@example(b"---\n!!python/object:os.system ls\n---\n")
@example(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n")
def test_any_bytes_load_save_identically_and_fail_only_as_documented(data):
    try:
        doc = Document.from_bytes(data, "drafts/x.md")
    except UnreadableFile as exc:
        assert exc.path == "drafts/x.md"
        return
    assert doc.to_bytes() == data
    try:
        meta = doc.parse("drafts/x.md")
    except FrontMatterError as exc:
        assert exc.path == "drafts/x.md" and (exc.line or 0) >= 1
    else:
        assert isinstance(meta, dict)
    post = post_from_bytes(data, "drafts/x.md", dt.timezone.utc)  # the schema's coercion, on anything
    assert post.slug == "x" and all(p.path == "drafts/x.md" for p in post.problems)


@FUZZ
@given(documents(), st.data())
def test_set_then_parse_gives_the_value_back_and_keeps_the_rest(document, data):
    raw, chosen = document
    before = parsed(raw)
    assume(before is not None)
    key = data.draw(st.one_of(st.sampled_from(chosen), keys) if chosen else keys, label="key")
    value = data.draw(values, label="value")
    doc = Document.from_bytes(raw)
    body = doc.body
    try:
        doc.set(key, value)
    except InvalidValue:
        assert isinstance(value, str) or isinstance(value, list)
        return
    after = Document.from_bytes(doc.to_bytes()).parse()
    expected = dict(before)
    expected[key] = value
    assert after == expected
    assert Document.from_bytes(doc.to_bytes()).body == body


@FUZZ
@given(documents(), st.data())
def test_remove_takes_out_one_key_and_nothing_else(document, data):
    raw, chosen = document
    before = parsed(raw)
    assume(before is not None and chosen)
    key = data.draw(st.sampled_from(chosen))
    doc = Document.from_bytes(raw)
    doc.remove(key)
    after = Document.from_bytes(doc.to_bytes()).parse()
    expected = {k: v for k, v in before.items() if k != key}
    assert after == expected and doc.body == Document.from_bytes(raw).body


@FUZZ
@given(st.text(max_size=40))
@example("2026-13-45")
@example("\x85")
@example("a\u2028b")
@example("#hashtag")
@example("- dash")
@example("'quoted'")
@example("null")
@example("yes")
@example("1e3")
@example("2026-11-25")
def test_any_text_value_reads_back_as_the_same_text(text):
    doc = Document.from_text("---\ntitle: Old\n---\nBody\n")
    try:
        doc.set("title", text)
    except InvalidValue:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in text)  # not text that UTF-8 can hold
        return
    assert Document.from_bytes(doc.to_bytes()).parse() == {"title": text}


def test_text_that_utf8_cannot_hold_is_refused_not_a_traceback():
    """A title from a terminal in another encoding reaches Python as lone surrogates."""
    doc = Document.from_text("---\ntitle: Old\n---\n")
    with pytest.raises(InvalidValue):
        doc.set("title", "caf\udce9")


# -- dates, slugs, teasers ---------------------------------------------------------------------


@FUZZ
@given(st.one_of(st.text(max_size=40), st.from_regex(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:\d{2})?")))
def test_any_date_text_parses_or_is_an_invalid_value(text):
    try:
        moment = parse_datetime(text, dt.timezone.utc)
    except InvalidValue:
        return
    assert moment.tzinfo is not None
    format_datetime(moment, dt.timezone.utc)


@FUZZ
@given(st.text())
@example("../../etc/passwd")
@example("..")
@example("CON")
@example("\u202e\u0000")
def test_any_title_gives_a_safe_bounded_slug(title):
    slug = slugify(title)
    assert is_safe_slug(slug) and len(slug) <= MAX_SLUG_LENGTH and len(slug.encode()) <= MAX_SLUG_BYTES
    assert "/" not in slug and ".." not in slug and slug == unicodedata.normalize("NFC", slug)
    assert (SAFE_SLUG.match(slug) is not None) == slug.isascii()  # an ASCII slug is as it always was


@FUZZ
@given(st.lists(st.text(max_size=90), max_size=40))
def test_unique_slugs_never_collide(titles):
    taken: set[str] = set()
    for title in titles:
        slug = unique_slug(slugify(title), taken)
        assert slug not in taken and is_safe_slug(slug) and len(slug) <= MAX_SLUG_LENGTH
        taken.add(slug)


sentences = st.lists(
    st.sampled_from([
        "Next week I'll look at the depot.", "I know I said I would be discussing seeds, and I will!",
        "Stay tuned.", "next week's election", "```\nnext week\n```", "“see you next time”", "\n\n",
        "In my next post: bakeries.", "> quoted next week", "Dr. Smith said next week.", "## Coming up",
    ]) | st.text(max_size=60),
    max_size=12,
).map(" ".join)


@FUZZ
@given(st.one_of(st.text(max_size=500), sentences))
def test_teaser_detection_never_fails_and_points_into_the_body(body):
    try:
        found = detect_teasers(body)
    except BlogError:
        return
    for teaser in found:
        assert 0 <= teaser.start < teaser.end <= len(body)
        assert teaser.line == body[: teaser.start].count("\n") + 1
        assert teaser.kind in (PROMISE, RESTATEMENT)
        assert teaser.topic == teaser.topic.strip()


@pytest.mark.parametrize(
    "header",
    [
        "tags:\n# the tags I use\n- a\n- b\nother: kept\n",  # a comment inside a block list
        "tags:\n  - a\n\n  # more later\n  - b\nother: kept\n",
        "tags:\n  - a\n# a comment after the block\nother: kept\n",
        "tags: first\nother: kept\ntags: [second]\n",  # YAML reads the last of duplicate keys
    ],
)
@pytest.mark.parametrize("value", [["x", "y"], "plain", None])
def test_set_and_remove_on_awkward_header_shapes(header, value):
    raw = f"---\n{header}---\nBody\n".encode()
    doc = Document.from_bytes(raw)
    doc.set("tags", value)
    assert Document.from_bytes(doc.to_bytes()).parse() == {"tags": value, "other": "kept"}
    doc = Document.from_bytes(raw)
    doc.remove("tags")
    assert Document.from_bytes(doc.to_bytes()).parse() == {"other": "kept"}


@pytest.mark.parametrize("written", ["no", "yes", "null", "true", "1"])
def test_a_key_yaml_reads_as_another_type_is_not_the_text_key(written):
    """`no: A` is YAML's False, not the key "no": setting "no" adds it, quoted, and keeps False."""
    doc = Document.from_bytes(f"---\n{written}: A\n---\nBody\n".encode())
    before = doc.parse()
    doc.set(written, None)
    after = Document.from_bytes(doc.to_bytes()).parse()
    assert after == {**before, written: None}


# -- scans of author text: the linear ones find what the old expressions found --------------------

OLD_INLINE_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
markup = st.text(alphabet="[]()!<>`\"' \tab\n", max_size=30)
OLD_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]+>|```[^\n]*")  # what the word count leaves out


@FUZZ
@given(markup)
@example("[a [b] c](x)")
@example('![i](<p q> "t")')
@example("[a](<>)")
@example("[a](b )")
def test_the_link_scan_finds_what_the_expression_found(line):
    from blogcli.model.links import inline_links

    line = line.replace("\n", " ")
    expected = [(bool(m.group("bang")), m.group("text"), m.group("target")) for m in OLD_INLINE_LINK.finditer(line)]
    assert inline_links(line) == expected


@FUZZ
@given(markup)
@example("<>`(<)b<(` )<<\n>](<b")
def test_link_targets_are_stripped_as_the_expression_strips_them(text):
    from blogcli.model.post import _without_link_targets

    assert _without_link_targets(text) == OLD_LINK_TARGET.sub("]", text)
    data = text.encode()
    assert _without_link_targets(data) == re.compile(OLD_LINK_TARGET.pattern.encode()).sub(b"]", data)


# -- the tool's rewrites never leave a header that reads otherwise --------------------------------

awkward_lines = st.sampled_from([
    "title: &t Anchored", "subtitle: *t", "date: &d 2026-11-01T09:00:00+00:00", "updated: *d",
    "base: &b {x: 1}", "merged: {<<: *b, y: 2}", "{title: Flow, extra: keep}", "tags: &tags [a, b]", "copy: *tags",
    "text: |+", "  kept", "", "   ", "# a comment", "folded: >", "  A", "plain: A", "next: ?", "- item",
])


@FUZZ
@given(st.lists(awkward_lines, max_size=8), st.sampled_from(["title", "date", "tags", "series", "updated", "extra", "new"]),
       st.one_of(words, st.none(), st.lists(words, max_size=2)), st.booleans())
def test_a_rewrite_reads_back_as_asked_or_changes_nothing(lines, key, value, removing):
    raw = ("---\n" + "".join(line + "\n" for line in lines) + "---\nBody\n").encode()
    before = parsed(raw)
    doc = Document.from_bytes(raw, "drafts/x.md")
    try:
        doc.remove(key) if removing else doc.set(key, value)
    except FrontMatterError as exc:
        assert before is not None and exc.path == "drafts/x.md" and (exc.line or 0) >= 1
        assert doc.to_bytes() == raw, "a refused rewrite changed the document"
        return
    if before is None:
        return  # a header that did not read is edited unchecked (callers refuse such posts first)
    expected = {k: v for k, v in before.items() if k != key}
    if not removing:
        expected[key] = value
    assert Document.from_bytes(doc.to_bytes()).parse() == expected

def test_removing_a_key_after_a_folded_block_leaves_the_block_as_it_read():
    doc = Document.from_bytes(b"---\na: A\nb: >\n  A\nc: A\n   \na0: A\n---\n")
    doc.remove("c")
    assert Document.from_bytes(doc.to_bytes()).parse() == {"a": "A", "b": "A\n", "a0": "A"}


def test_the_words_known_to_read_as_other_types_are_pyyaml_s():
    """simple_header.WORDS_OF_OTHER_TYPES spares loading PyYAML to match a key: it must be exactly the
    letter-first plain words PyYAML's resolver reads as something other than text."""
    import itertools
    import string

    import yaml

    from blogcli.model.simple_header import WORDS_OF_OTHER_TYPES

    candidates = {"".join(p) for n in (1, 2, 3) for p in itertools.product("nNoOyYeEsS", repeat=n)}
    candidates |= {w for word in ("true", "false", "null", "off", "on", "yes", "no", "nan", "inf")
                   for w in (word, word.title(), word.upper())} | set(string.ascii_letters)
    other = {w for w in candidates if not isinstance(yaml.safe_load(f"{w}: 1").popitem()[0], str)}
    assert other == {w for w in WORDS_OF_OTHER_TYPES if w in candidates}
    assert all(not isinstance(yaml.safe_load(f"{w}: 1").popitem()[0], str) for w in WORDS_OF_OTHER_TYPES)
