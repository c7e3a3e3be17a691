"""The site's Markdown engines: heading ids, highlighting, URL rewriting, raw HTML, the Python-Markdown option."""

from __future__ import annotations

import re

import pytest

from blogcli.render.markdown import markdown_to_html, pygments_css


def test_headings_get_unique_ids_from_their_text():
    html = markdown_to_html("# Night *buses*\n\n## Night buses\n\n### Café “stop”\n")
    assert re.findall(r'<h\d id="([^"]+)"', html) == ["night-buses", "night-buses-2", "café-stop"]  # as GitHub keeps accents in anchors
    assert "<h1 id=\"night-buses\">Night <em>buses</em></h1>" in html


def test_fenced_code_is_highlighted_with_css_classes_and_unknown_languages_stay_plain():
    html = markdown_to_html('```python\ndef f(x):\n    return "a < b"\n```\n\n```nosuchlang\nx < y\n```\n')
    assert '<div class="highlight"><pre>' in html and '<span class="k">def</span>' in html
    assert "style=" not in html
    assert "a &lt; b" in html and "a < b" not in html  # Pygments ≥ 2.20 leaves quotes unescaped
    assert '<pre><code class="language-nosuchlang">x &lt; y\n</code></pre>' in html
    assert ".highlight .k" in pygments_css()


def test_every_href_and_src_goes_through_rewrite_url_including_inside_headings():
    seen: list[str] = []

    def rewrite(url: str) -> str:
        seen.append(url)
        return "/" + url.removesuffix(".md") + "/" if url.endswith(".md") else url

    html = markdown_to_html(
        "# See [part 2](part-2.md)\n\n[a & b](other.md?x=1&y=2) ![map](images/map.svg) www.example.org\n", rewrite_url=rewrite
    )
    assert seen == ["part-2.md", "other.md?x=1&y=2", "images/map.svg", "http://www.example.org"]
    assert 'href="/part-2/"' in html and 'src="images/map.svg"' in html
    assert 'href="other.md?x=1&amp;y=2"' in html


def test_gfm_dialect_and_raw_html_omitted():
    html = markdown_to_html(
        '"Quotes" -- and... ~~gone~~\n\n- [x] done\n\nA note[^n].\n\n| a |\n|---|\n| 1 |\n\n<script>x()</script>\n\n[^n]: The note.\n'
    )
    assert "“Quotes” – and…" in html and "<del>gone</del>" in html
    assert 'type="checkbox" checked' in html and "<table>" in html
    assert 'class="footnotes"' in html and "The note." in html
    assert "<script>" not in html


def test_python_markdown_engine_is_available_with_the_same_css_classes():
    html = markdown_to_html(
        '# Title\n\n"Hi" -- there[^1]\n\n```python\nx = 1\n```\n\n[p](p.md)\n\n[^1]: note\n',
        engine="python-markdown",
        rewrite_url=lambda u: u.upper(),
    )
    assert '<h1 id="title">' in html
    assert "&ldquo;Hi&rdquo; &ndash; there" in html
    assert 'class="highlight"' in html and 'href="P.MD"' in html
    assert 'class="footnote"' in html


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown Markdown engine"):
        markdown_to_html("x", engine="mistune")


PAGE_IDS = frozenset({"content"})


def test_heading_ids_never_take_an_id_of_the_page_or_of_the_footnotes():
    html = markdown_to_html(
        "# Content\n\n## fn-1\n\n## fn\n\n## fn\n\n## Fnref 2\n\nSee [the heading](#content), [the note](#fn-1)"
        " and [away](#elsewhere)[^1].\n\n[^1]: A note.\n",
        page_ids=PAGE_IDS,
    )
    assert re.findall(r'<h\d id="([^"]+)"', html) == ["h-content", "h-fn-1", "fn", "h-fn-2", "h-fnref-2"]
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)) and "content" not in ids
    # a link to a heading the page's id moved follows it; `#fn-1` is the footnote's, for cmark and authors alike
    assert 'href="#h-content"' in html and 'href="#elsewhere"' in html and '<a href="#fn-1">the note</a>' in html
    assert '<a href="#fn-1" id="fnref-1" data-footnote-ref>' in html and '<li id="fn-1">' in html


def test_python_markdown_headings_keep_off_the_page_ids_too():
    html = markdown_to_html("# Content\n\n[up](#content)\n", engine="python-markdown", page_ids=PAGE_IDS)
    assert '<h1 id="h-content">' in html and 'href="#h-content"' in html
