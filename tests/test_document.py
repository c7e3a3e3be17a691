"""The post file model keeps every byte it was not asked to change."""

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from blogcli.errors import FrontMatterError, UnreadableFile
from blogcli.model.document import Document, yaml_value

SAMPLE = (
    "---\n"
    "title: Hello\n"
    "# a comment the author wrote\n"
    "tags:\n"
    "  - one\n"
    "  - two\n"
    "custom: {nested: [1, 2]}\n"
    "---\n"
    "\n"
    "Body with trailing spaces   \n\n\n"
)


def test_round_trip_is_byte_exact_without_changes():
    for text in (SAMPLE, SAMPLE.replace("\n", "\r\n"), "\ufeff" + SAMPLE, "no header at all\n", "", "---\ntitle: x\n---"):
        assert Document.from_text(text).to_text() == text


def test_set_changes_only_that_key():
    doc = Document.from_text(SAMPLE)
    doc.set("title", "A new: title")
    out = doc.to_text()
    assert out.replace('title: "A new: title"\n', "title: Hello\n") == SAMPLE
    assert yaml.safe_load(doc.header_text)["title"] == "A new: title"


def test_set_replaces_a_block_value_and_appends_new_keys():
    doc = Document.from_text(SAMPLE)
    doc.set("tags", ["three"])
    doc.set("part", 4)
    data = doc.parse()
    assert data["tags"] == ["three"] and data["part"] == 4
    assert data["custom"] == {"nested": [1, 2]}
    assert "# a comment the author wrote\n" in doc.to_text()
    assert doc.body == "\nBody with trailing spaces   \n\n\n"


def test_crlf_file_stays_crlf_after_an_edit():
    doc = Document.from_text(SAMPLE.replace("\n", "\r\n"))
    doc.set("updated", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    text = doc.to_text()
    assert "\n" not in text.replace("\r\n", "")
    assert "updated: 2026-01-02T03:04:05+00:00\r\n" in text


def test_bom_header_is_found():
    doc = Document.from_text("\ufeff---\ntitle: Bom\n---\nbody\n")
    assert doc.parse()["title"] == "Bom"
    assert doc.to_bytes().startswith(b"\xef\xbb\xbf---")


def test_yaml_error_names_the_file_line():
    doc = Document.from_text("---\ntitle: ok\ntags: [unclosed\n---\nbody\n")
    with pytest.raises(FrontMatterError) as info:
        doc.parse("drafts/x.md")
    assert info.value.path == "drafts/x.md"
    assert info.value.line in (3, 4, 5)
    assert str(info.value).startswith(f"drafts/x.md:{info.value.line}: ")


@pytest.mark.parametrize(
    "text, message",
    [("---\n- a\n- b\n---\n", "not a list"), ("---\njust text\n---\n", "not a str"), ("---\ntitle: x\nno end\n", "never closed")],
)
def test_header_shapes_that_are_not_mappings(text, message):
    with pytest.raises(FrontMatterError, match=message):
        Document.from_text(text).parse("p.md")


def test_bad_bytes_are_unreadable_with_a_line():
    with pytest.raises(UnreadableFile, match=r"p.md:2: not UTF-8"):
        Document.from_bytes(b"---\ntitle: caf\xe9\n---\n", "p.md")
    with pytest.raises(UnreadableFile, match="NUL"):
        Document.from_bytes(b"\x00\x01", "p.md")


@pytest.mark.parametrize(
    "value",
    ["plain", "yes", "no", "2024", "a: b", "#hash", " padded ", "quote's", 'say "hi"', "ünïcödé ✨", "", "null", "- dash", "[x]"],
)
def test_yaml_value_reads_back_as_written(value):
    assert yaml.safe_load(f"k: {yaml_value(value)}") == {"k": value}
    assert yaml.safe_load(f"k: {yaml_value([value, 'b, c'])}") == {"k": [value, "b, c"]}


header_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).map(lambda k: "x_" + k)
scalars = st.one_of(st.text(max_size=40), st.integers(), st.booleans())


@settings(max_examples=200, deadline=None)
@given(
    extra=st.dictionaries(header_keys, scalars, max_size=5),
    body=st.text(max_size=200),
    crlf=st.booleans(),
    title=st.text(max_size=60),
)
def test_unknown_keys_and_body_survive_a_rewrite(extra, body, crlf, title):
    extra.pop("title", None)
    nl = "\r\n" if crlf else "\n"
    header = "".join(f"{k}: {yaml_value(v)}{nl}" for k, v in extra.items())
    text = f"---{nl}{header}---{nl}{body}"
    doc = Document.from_text(text)
    assert doc.to_text() == text
    doc.set("title", title)
    again = Document.from_text(doc.to_text())
    data = again.parse()
    assert data.pop("title") == title
    assert data == extra
    assert again.body == body


# -- the common header, read without PyYAML ------------------------------------------------------

from blogcli.model.document import header_loader  # noqa: E402
from blogcli.model.simple_header import simple_header  # noqa: E402


def same(a, b) -> bool:
    """Equal and of the same types all the way down (1 == True and a date == nothing else)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset() and (a.tzinfo is None) == (b.tzinfo is None)
    return a == b


def pyyaml(lines: list[str]):
    try:
        return yaml.load("".join(lines), Loader=header_loader())
    except yaml.YAMLError:
        return "error"


TRICKY_WORDS = [
    "yes", "No", "ON", "off", "true", "False", "null", "Null", "~", "nan", ".inf", "-1", "+1", "0", "007", "0x1F", "1_000",
    "12", "3.5", "1e3", "2026-11-25", "2026-02-30", "2026-11-25T09:00:00+01:00", "2026-11-25T09:00:00Z", "2026-11-25T09:00:00",
    "2026-11-25T9:00:00Z", "2026-11-25 09:00:00", "2026-11-25T09:00:00.5Z", "2026-11-25T09:00:00-05:30", "9999-12-31T23:59:59-23:59",
    "Hello", "Hello world", "It's fine", "Why?", "Wow!", "a: b", "a:b", "a #b", "a#b", "#x", "-x", "- x", "*x", "&x", "!x", "%x",
    "@x", "`x", "|", ">", "?x", "<<", "=", "[a, b]", "[a,b]", "[]", "[ ]", "[a, [b]]", "[a,]", "[yes, b]", "[a, 1]", "{a: b}",
    '"quoted"', '"with: colon # hash"', '"esc\\"aped"', "'single'", "'it''s'", "''", '""', "Ünïcödé wörds", "日本語",
    "tab\there", "a  b", "ends ", "x\x07y", "a\u2028b", "a\x85b", "a\xa0b", "naïve — dash", "a, b, c", "(paren)", "a/b & c; d",
    "٢٠٢٦-١١-٢٥", "١٢", "２０２６-１１-２５", "2026-١١-25T09:00:00Z",  # digits of other scripts: text to PyYAML
    # colons inside a word: the feed ids a publish stamps, links, URNs; and colons that end one
    "tag:example.org,2026-12-01:/a-post/", "https://example.org/a?b=1&c", "urn:isbn:0451450523", "a::b", "a:", "a:-b",
    "x:!y", "a:'b", "a:#b", "a:[b", "Re:", "[a:b, c]", "[a:, b]", "[a, b:]", "[a:b:c]",
]
KEYS = ["title", "date", "tags", "yes", "null", "on", "Title", "x-y", "x_y", "1st", "_private", "a b", "key"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(TRICKY_WORDS + [""]), st.sampled_from([" ", "  ", ""]),
                          st.sampled_from(["\n", "\r\n", "  \n", ""])), min_size=1, max_size=6))
def test_a_simple_header_reads_as_pyyaml_reads_it(entries):
    lines = [f"{key}:{gap if value else ''}{value}{end or chr(10)}" for key, value, gap, end in entries]
    fast = simple_header(lines)
    if fast is not None:
        assert same(fast, pyyaml(lines)), lines


# Block lists, mostly of plain words indented alike (the fast path), with every way to differ from one.
PLAIN_WORDS = ["word", "two words", "a, b", "Why?", "Wow!", "a - b", "It's fine", "Wörds’ here", "日本語", "Hello world", "x_y"]
ITEM_WORDS = TRICKY_WORDS + ["x:y", "a #b", "- x", "", "word ", "http://example.org/x", "a: b:c"]
block = st.tuples(
    st.sampled_from(["tags", "title", "x-y", "Title"] * 4 + KEYS), st.sampled_from(["", "", "", "", "", " ", "  ", " x", " [a]"]), st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["", "", " ", "  ", "    ", "\t"]),  # the items' indentation
    st.lists(st.tuples(st.sampled_from(["- "] * 12 + ["-  ", "-", "-\t"]),
                       st.one_of(st.sampled_from(PLAIN_WORDS), st.sampled_from(PLAIN_WORDS), st.sampled_from(ITEM_WORDS)),
                       st.sampled_from(["\n"] * 6 + ["\r\n", " \n", ""]), st.sampled_from([""] * 12 + [" ", "  "])),
             max_size=4),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(block, min_size=1, max_size=4))
def test_a_header_with_block_lists_reads_as_pyyaml_reads_it(blocks):
    lines = []
    for key, value, end, indent, items in blocks:
        lines.append(f"{key}:{value}{end}")
        # An item's own extra indentation is mostly none: a list of items indented alike.
        lines += [f"{indent}{extra}{dash}{word}{item_end or chr(10)}" for dash, word, item_end, extra in items]
    fast = simple_header(lines)
    if fast is not None:
        assert same(fast, pyyaml(lines)), lines


def test_a_date_in_digits_of_another_script_is_text_as_pyyaml_reads_it():
    for value in ("٢٠٢٦-١١-٢٥", "２０２６-１１-２５", "2026-١١-25T09:00:00Z"):
        lines = [f"date: {value}\n"]
        assert pyyaml(lines) == {"date": value}
        assert simple_header(lines) in (None, {"date": value}), value


def test_block_lists_of_words_take_the_fast_path():
    lines = ["title: Hello\n", "tags:\n", "  - one\n", "  - two words\n", "series:\n", "- Night buses\n", "part: 2\n"]
    assert simple_header(lines) == pyyaml(lines) == {"title": "Hello", "tags": ["one", "two words"], "series": ["Night buses"], "part": 2}
    for not_simple in (["tags:\n", "  - one\n", "    - two\n"], ["title: x\n", "- one\n"], ["- one\n"], ["tags:\n", "  - yes\n"],
                       ["tags:\n", "  - one\n", "    more\n"], ["tags:\n", "\t- one\n"], ["tags:\n", "  -\n"]):
        assert simple_header(not_simple) is None, not_simple


def test_a_published_post_s_header_is_read_and_written_without_pyyaml():
    """The feed id a publish stamps (`tag:host,date:/slug/`) and links in a header are words with
    colons: read and written plain without loading PyYAML, as PyYAML reads them."""
    import subprocess
    import sys

    code = """if True:
        import sys
        from blogcli.model.document import Document, yaml_value
        from blogcli.model.simple_header import simple_header
        line = yaml_value("tag:example.org,2026-12-01:/a-post/")
        assert line == "tag:example.org,2026-12-01:/a-post/", line
        header = ["title: A post\\n", "id: " + line + "\\n", "canonical: https://example.org/a?b=1\\n"]
        assert simple_header(header) == {"title": "A post", "id": "tag:example.org,2026-12-01:/a-post/",
                                         "canonical": "https://example.org/a?b=1"}
        assert "yaml" not in sys.modules
    """
    subprocess.run([sys.executable, "-c", code], check=True)


def test_common_headers_take_the_fast_path_and_read_alike(tmp_path):
    """The headers the benchmark corpus and the sample blog are made of: read without PyYAML, the same."""
    from benchmarks import corpus
    from conftest import REPO

    corpus.generate(tmp_path, 200, seed=3)
    paths = sorted(tmp_path.rglob("blog/*/*.md")) + sorted(REPO.glob("published/*.md")) + sorted(REPO.glob("drafts/*.md"))
    fast_ones = 0
    for path in paths:
        doc = Document.from_bytes(path.read_bytes())
        fast = simple_header(doc.header or [])
        if fast is not None:
            fast_ones += 1
            assert same(fast, pyyaml(doc.header)), path
    assert fast_ones >= 0.9 * len(paths)


def split_line_by_line(text: str) -> Document:
    """The first way `Document.from_text` was written (every line tested): the reference."""
    from blogcli.model.document import _lines

    doc = Document.from_text(text)  # bom, newline and the opening fence are found as before
    if doc.header is None:
        return doc
    lines = _lines(text.removeprefix("\ufeff")[len(doc.open_fence):])
    for i, line in enumerate(lines):
        if line.rstrip("\n").rstrip("\r").rstrip() in ("---", "..."):
            return Document(bom=doc.bom, header=lines[:i], open_fence=doc.open_fence, close_fence=line,
                            body="".join(lines[i + 1:]), newline=doc.newline)
    raise AssertionError("from_text found a closing fence the reference does not")


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["---", "...", "--", "----", " ", "\t", "\r", "\n", "\r\n", "\x0c", "\x1c", "\x85", "\u2028",
                                 "\xa0", "a", "title: x", "-", "."]), max_size=14))
def test_the_closing_fence_is_found_as_line_by_line(parts):
    text = "---\n" + "".join(parts)
    doc = Document.from_text(text)
    if doc.split_error:
        assert not any(l.rstrip("\n").rstrip("\r").rstrip() in ("---", "...") for l in text.split("\n")[1:])
        return
    assert doc == split_line_by_line(text)
    assert doc.to_text() == text


def test_text_starting_with_a_letter_resolves_only_as_pyyaml_s_bool_and_null_words():
    """simple_header.resolves answers for text starting with a letter without PyYAML's table (the
    header's fast path then never loads PyYAML): the table must hold nothing else for a letter."""
    from yaml.resolver import Resolver

    table = Resolver.yaml_implicit_resolvers
    assert all(first.isascii() for first in table)
    assert {tag for first in table if first.isalpha() for tag, _ in table[first]} == {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.sampled_from(TRICKY_WORDS + KEYS + ["yes", "NO", "Null", "nan", "ª", "ǅ", "Ⅸ"]),
                 st.text(alphabet="yesnoYESNOtruflasNULnulfTFOo~.1-+ ª", min_size=1, max_size=6)))
def test_resolves_reads_plain_text_as_pyyaml_s_table_does(plain):
    from blogcli.model.simple_header import resolves

    table = yaml.resolver.Resolver.yaml_implicit_resolvers
    assert resolves(plain) == any(pattern.match(plain) for _, pattern in table.get(plain[0], ()))
