"""WordPress markup made Markdown: wpautop, shortcodes, blocks, and the fast path for plain
paragraphs held to markdownify's own output."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from blogcli.importers.html_to_markdown import html_to_markdown, html_to_markdown_slowly

_words = st.sampled_from(["word", "snake_case", "*star*", "_under_", "a<b", "&amp;", "&lt;p&gt;", "x & y", "[link]",
                          "1.", "-", "#", "`code`", "back\\slash", "  ", "\n", "\t", " ", "ünï", "http://e.org/a_b",
                          "&#8217;", "&nbsp;", ">", "\"q\""])
_text = st.lists(_words, max_size=6).map("".join)


@st.composite
def _inline(draw, depth=0):
    kind = draw(st.sampled_from(["text", "text", "em", "strong", "i", "b", "a", "br"] if depth < 3 else ["text", "br"]))
    if kind == "text":
        return draw(_text)
    if kind == "br":
        return draw(st.sampled_from(["<br />", "<br>", "<br/>\n"]))
    inner = "".join(draw(st.lists(_inline(depth + 1), max_size=3)))
    if kind == "a":
        href = draw(st.sampled_from(["http://e.org/", "http://e.org/a_b", "", "x&amp;y", "/rel"]))
        title = draw(st.sampled_from(["", ' title="T"', ' title="say &quot;hi&quot;"']))
        if draw(st.booleans()):
            inner = href.replace("&amp;", "&")
        return f'<a href="{href}"{title} target="_blank">{inner}</a>'
    return f"<{kind}>{inner}</{kind}>"


_paragraph = st.lists(_inline(), max_size=5).map(lambda parts: f"<p>{''.join(parts)}</p>")
_other = st.sampled_from(["<ul>\n<li>one</li>\n<li>two <em>x</em></li>\n</ul>", "<h2>Head_ing</h2>", "<hr />",
                          "<blockquote><p>quoted</p></blockquote>", "<pre><code>a_b *c*</code></pre>",
                          "<figure><img src=\"a.jpg\" alt=\"A\" /><figcaption>Cap</figcaption></figure>",
                          "<p>with <code>code</code> inside</p>", "<p>a<!-- note -->b</p>", "<div>in a div</div>"])
_document = st.lists(st.one_of(_paragraph, _paragraph, _other), max_size=6).flatmap(
    lambda blocks: st.sampled_from(["\n", "", "\n\n", " "]).map(lambda sep: sep.join(blocks))
)


@settings(max_examples=300, deadline=None)
@given(_document)
def test_plain_paragraphs_convert_exactly_as_markdownify_converts_them(markup):
    assert html_to_markdown(markup) == html_to_markdown_slowly(markup)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "\t", "<br />", "x", "\r", "<p>", "\n\n", "  ", "\xa0", "\x0c"]), max_size=14).map("".join))
def test_line_breaks_are_wpautops_regular_expression_done_faster(text):
    import re

    from blogcli.importers.wp_markup import line_breaks

    assert line_breaks(text) == re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)


def test_wpautop_makes_paragraphs_as_wordpress_does():
    from blogcli.importers.wp_markup import wpautop

    assert wpautop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>\n"
    assert wpautop("<ul>\n<li>a</li>\n</ul>\nAfter") == "<ul>\n<li>a</li>\n</ul>\n<p>After</p>\n"
    assert wpautop("<pre>keep\n\nme</pre>\n\nText") == "<pre>keep\n\nme</pre>\n<p>Text</p>\n"
    assert wpautop("  \n ") == ""


def test_shortcode_attributes_are_read_as_wordpress_reads_them():
    from blogcli.importers.wp_markup import parse_attributes

    assert parse_attributes(' ids="1,2" columns=3 link=\'file\' https://x.example/a') == {
        "ids": "1,2", "columns": "3", "link": "file", "0": "https://x.example/a"}
    assert parse_attributes("=https://youtu.be/x") == {"0": "https://youtu.be/x"}
