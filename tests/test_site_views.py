"""site/views.py: what templates show of a post."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from blogcli.render.html_text import html_to_text, html_words
from blogcli.site.views import excerpt

PIECES = st.sampled_from(["<p>", "</p>", "<p", "p>", "</", "<em>", "</em>", "&amp;", " ", "\n", "word", "é", "<",
                          ">", "<p class=\"x\">", "<br />", "\t", "\xa0", "&nbsp;", "\u2028", "&#x2028;", "\x1c", "&#32;"])


def _by_the_expression(body_html: str, limit: int = 40) -> str:
    """The excerpt's rule as a regular expression: the first `<p>…</p>`'s words."""
    match = re.search(r"<p>(.*?)</p>", body_html, re.DOTALL)
    if not match:
        return ""
    words = html_to_text(match.group(1)).split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


@given(st.lists(PIECES, max_size=40).map("".join), st.integers(min_value=1, max_value=6))
def test_the_excerpt_is_the_first_paragraphs_words(body_html, limit):
    assert excerpt(body_html, limit) == _by_the_expression(body_html, limit)


@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_words_of_html_are_those_of_its_text(markup):
    assert html_words(markup) == html_to_text(markup).split()


def test_the_excerpt_of_a_body_without_a_closed_paragraph_is_empty():
    assert excerpt("<p>open only") == ""
    assert excerpt("<h2>x</h2>") == ""
    assert excerpt("</p><p>a b</p>") == "a b"
