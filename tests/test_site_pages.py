"""What a built page holds whatever the author wrote: ids that appear once (the skip link still
lands on the main text), and no control characters from front matter or blog.toml, on any page
or feed."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from blogcli.site.builder import build_site
from blogcli.site.views import _UNPRINTABLE, printable, printable_utf8
from blogcli.workspace.store import Workspace

# What HTML calls control characters (C0 but tab, line feed, form feed and carriage return; DEL and
# C1) and what XML 1.0 forbids: none of them may reach a page or a feed.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def post(root: Path, slug: str, header: str, body: str = "Some text.\n") -> None:
    (root / "published" / f"{slug}.md").write_text(f"---\n{header.strip()}\n---\n\n{body}", encoding="utf-8")


def ids_of(html: str) -> list[str]:
    found: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(value for key, value in attrs if key == "id")

    Collect().feed(html)
    return found


def test_every_id_on_a_post_page_is_unique_and_the_skip_link_reaches_the_text(empty_blog):
    post(empty_blog, "ids", "title: Ids\ndate: 2026-11-02T09:00:00+00:00",
         "# Content\n\nSee [below](#content).\n\n## fn-1\n\nA note[^1].\n\n[^1]: The note.\n")
    build_site(Workspace.open(empty_blog))
    page = (empty_blog / "site/ids/index.html").read_text()
    ids = ids_of(page)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert '<a class="skip" href="#content">' in page and '<main id="content"' in page
    heading = re.search(r'<h1 id="([^"]+)">Content</h1>', page).group(1)
    assert f'href="#{heading}"' in page


def test_control_characters_in_front_matter_and_settings_reach_no_page(empty_blog):
    toml = empty_blog / "blog.toml"
    toml.write_text(toml.read_text().replace('title = "Empty"', 'title = "Empty\\u0007 blog"\ndescription = "Desc\\u001b"'))
    (empty_blog / "blog.toml").write_text(toml.read_text() + '\n[series.bells]\ntitle = "Bells\\u0008"\n'
                                          'description = "Ring\\u0085"\n')
    post(empty_blog, "bell", 'title: "Bell \\a"\ndate: 2026-11-02T09:00:00+00:00\nsummary: "Sum\\x1b[31m"\n'
         'tags: ["tag\\x7f"]\nseries: bells\npart: 1\nnext: "the \\x01 next"',
         "Text with a bell \x07 in it.\n\n```\ncode \x0b\n```\n")
    result = build_site(Workspace.open(empty_blog))
    site = empty_blog / "site"
    files = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*")
             if p.is_file() and p.suffix in (".html", ".xml")}
    assert "bell/index.html" in files and "feed.xml" in files and result.written
    for rel, text in files.items():
        assert not CONTROL.search(text), (rel, CONTROL.search(text))
    page = files["bell/index.html"]
    assert "<title>Bell  · Empty blog</title>" in page and "<h1>Bell </h1>" in page
    assert '<meta name="description" content="Sum[31m">' in page
    assert "Text with a bell  in it." in page


NASTY = st.sampled_from(["\x07", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\xa0", "·", "\ufdd0", "\ufdef", "\ufeff",
                         "\ufffd", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff", "😀", "\u0fff", "\ud800", "\t\n\r"])


@given(st.lists(st.one_of(st.text(max_size=8), NASTY), max_size=12).map("".join))
def test_the_quick_test_never_lets_a_character_through_that_the_rule_removes(text):
    assert printable(text) == _UNPRINTABLE.sub("", text)
    assert printable_utf8(text) == _UNPRINTABLE.sub("", text).encode("utf-8")
