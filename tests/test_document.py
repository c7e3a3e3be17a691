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
