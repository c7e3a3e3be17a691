"""Raw HTML and script URLs in a post never reach the page, whichever Markdown engine renders it:
cmark omits raw HTML and empties dangerous link targets by default; Python-Markdown is held to the
same policy (render/markdown.py), and what follows an unclosed tag still reaches the page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from blogcli.render.markdown import ENGINES, markdown_to_html

BODY = """<script>alert('body')</script>

<img src=x onerror="alert('img')">

<div onclick="alert('div')">An unclosed div

[js](javascript:alert(1)) [JS](JavaScript:alert(1)) [vb](vbscript:msgbox) [file](file:///etc/passwd)
[html](data:text/html;base64,PHNjcmlwdD4=) ![png](data:image/png;base64,iVBORw0KGgo=)
<a href="javascript:alert(2)">raw</a> <javascript:alert(3)> and <span onmouseover="x()">inline</span>.

[fine](https://example.com/?a=1&b=2) ![fine too](images/a.png)
"""


class Elements(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value or "") for name, value in attrs]


@pytest.mark.parametrize("engine", ENGINES)
def test_no_raw_html_or_script_url_reaches_the_page(engine):
    found = Elements(markdown_to_html(BODY, engine))
    assert {"script", "div", "span"} & set(found.tags) == set()
    assert [a for a in found.attrs if a[1].startswith("on")] == []
    targets = [value for tag, name, value in found.attrs if name in ("href", "src")]
    assert not [t for t in targets if re.match(r"(?i)\s*(javascript|vbscript|file|data:text):", t)], targets
    assert "https://example.com/?a=1&b=2" in targets and "images/a.png" in targets
    assert "data:image/png;base64,iVBORw0KGgo=" in targets  # an inline image is not a script
