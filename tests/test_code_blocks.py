"""One owner for "the text outside code" (model.code_blocks) and for "HTML to plain text"
(render.html_text): every scan and every conversion that used a copy of its own now calls them,
and these tests pin what each caller relied on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from blogcli.model.code_blocks import blank_code_spans, code_lines, lines_outside_code
from blogcli.model.links import find_links, retarget_links
from blogcli.model.teasers import detect_teasers
from blogcli.ops.check import check_posts
from blogcli.render.html_text import html_to_text
from blogcli.workspace.store import Workspace

# Each numbered line holds a link, a TODO note, a Liquid tag and a teaser: whoever scans "outside
# code" finds them exactly on the lines that are not code.
P = "Next week I'll look at trams. TODO [a](other.md) {% liquid %}."
BODY = "\n".join([
    P,  # 1 text
    "",
    "```",  # 3 a fence
    P,  # 4 in it
    "~~~",  # 5 the other character does not close it
    P,  # 6 still code (each copy took ~~~ as the end)
    "```",  # 7 closed
    "",
    "    " + P,  # 9 indented after a blank line: code (the TODO scan reported it)
    "",
    P,  # 11 text
    "    " + P,  # 12 indented right after text: the paragraph goes on (links and check skipped it)
    "",
    "```python",  # 14
    P,  # 15
    "```python",  # 16 a fence with an info string never closes one (each copy took it as the end)
    P,  # 17 still code
    "```",  # 18
    "",
    "Text with `{% in a span %} [b](c.md)` only.",  # 20: a code span hides tags and links
])
TEXT_LINES = [1, 11, 12]


def test_code_lines_follow_the_fences_and_indents_as_commonmark_does():
    lines = BODY.split("\n")
    code = [number for number, is_code in enumerate(code_lines(lines), start=1) if is_code]
    assert code == [3, 4, 5, 6, 7, 9, 14, 15, 16, 17, 18]
    assert [n for n, line in lines_outside_code(BODY) if line.strip()] == [*TEXT_LINES, 20]
    assert code_lines(["    code first", "  ```", "x", "   ```  ", "    after a fence"]) == [True, True, True, True, True]
    assert code_lines(["````", "```", "x", "````"]) == [True, True, True, True]  # a shorter fence does not close
    assert code_lines(["``` not`a fence", "x"]) == [False, False]  # backticks in the info string: inline code
    assert code_lines(["~~~", "x"]) == [True, True]  # unclosed: code to the end


def test_code_spans_are_blanked_to_the_same_length():
    assert blank_code_spans("a `b` c ``d`` f") == "a     c       f"
    assert blank_code_spans("no spans") == "no spans"
    assert blank_code_spans("an ` alone") == "an ` alone"


def test_links_and_their_renaming_skip_exactly_the_code_lines():
    assert [link.line for link in find_links(BODY)] == TEXT_LINES
    renamed = retarget_links(BODY, "other", "another").split("\n")
    assert [n for n, line in enumerate(renamed, start=1) if "another.md" in line] == TEXT_LINES
    assert "[b](c.md)" in renamed[19]


def test_teasers_are_found_only_outside_code():
    assert sorted({teaser.line for teaser in detect_teasers(BODY)}) == TEXT_LINES


def test_check_finds_notes_tags_and_links_only_outside_code(empty_blog):
    header = "---\ntitle: Scan\ndate: 2026-11-01T09:00:00+00:00\n---\n\n"
    (empty_blog / "published" / "scan.md").write_text(header + BODY + "\n", encoding="utf-8")
    found = check_posts(Workspace.open(empty_blog))
    offset = 5  # the header's four lines and the blank line after it

    def lines(code):
        return sorted({p.line - offset for p in found if p.code == code})

    assert lines("todo") == TEXT_LINES
    assert lines("template-tag") == TEXT_LINES
    assert lines("broken-link") == TEXT_LINES


def test_a_todo_in_a_code_span_is_still_a_note_a_reader_sees(empty_blog):
    text = "---\ntitle: Note\ndate: 2026-11-01T09:00:00+00:00\n---\n\nSee `TODO` here.\n"
    (empty_blog / "published" / "note.md").write_text(text, encoding="utf-8")
    assert [p.line for p in check_posts(Workspace.open(empty_blog)) if p.code == "todo"] == [6]


# -- HTML to plain text ----------------------------------------------------------------------------


def test_html_to_text_drops_tags_decodes_entities_and_collapses_spaces():
    assert html_to_text("Caf&eacute; <em>au</em>\n  lait ") == "Café au lait"
    assert html_to_text("&lt;b&gt; is a tag") == "<b> is a tag"  # decoded after tags are dropped
    assert html_to_text("<em>a</em>b") == "ab"
    assert html_to_text("x < y and <b>z</b>") == "x < y and z"
    assert html_to_text("") == "" and html_to_text(None) == ""


def test_every_caller_reads_html_as_html_to_text_does():
    from blogcli.render.markdown import markdown_to_html
    from blogcli.site.views import excerpt

    # the site's excerpt: the first paragraph's words
    assert excerpt("<p>One &amp; <em>two</em>\nthree</p><p>four</p>") == "One & two three"
    assert excerpt("<p>" + " ".join(["w"] * 45) + "</p>") == " ".join(["w"] * 40) + "…"
    # heading ids: from the heading's text, entities decoded after the tags are dropped
    assert 'id="a-b"' in markdown_to_html("# A &amp; *b*")
    assert 'id="tags-like-x"' in markdown_to_html("## Tags like &lt;x&gt;")


def test_imported_titles_are_html_to_text(tmp_path):
    from blogcli.importers import wordpress

    assert wordpress.html_to_text is html_to_text


def _code_lines_line_by_line(lines: list[str]) -> list[bool]:
    """The rule of the module docstring read one line after another: what `code_lines`, which
    jumps between the lines that may matter, must agree with."""
    from blogcli.model.code_blocks import _FENCE_OPEN, _INDENT, _closes

    flags = [False] * len(lines)
    fence = None
    after_text = False
    for number, line in enumerate(lines):
        if fence is not None:
            flags[number] = True
            if _closes(line, fence):
                fence = None
            continue
        opened = _FENCE_OPEN.match(line)
        if opened is not None and not (opened.group(1)[0] == "`" and "`" in line[opened.end() :]):
            fence = (opened.group(1)[0], len(opened.group(1)))
            flags[number] = True
            after_text = False
            continue
        if not line.strip():
            after_text = False
        elif line.startswith(_INDENT) and not after_text:
            flags[number] = True
        else:
            after_text = True
    return flags


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["```", "````", "~~~", "~~~~", "``` x", "```py`", "   ```", "    ```", " ~~~ ", "```\u00a0", "\t```",
                                 "    code", "\tcode", "   text", "text", "", " ", "    ", "\u2028", "\\x0c", "`x`"]), max_size=30))
def test_code_lines_agree_with_reading_line_by_line(lines):
    assert code_lines(lines) == _code_lines_line_by_line(lines)
    joined = [line for piece in lines for line in (piece + "\ntext").split("\n")]
    assert code_lines(joined) == _code_lines_line_by_line(joined)
