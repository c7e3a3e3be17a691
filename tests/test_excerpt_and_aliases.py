"""`<!--more-->` cuts the excerpt lists and the page's description show; an old address in `aliases` (as imports
write them: WordPress's dated paths, percent-encoded slugs, a page's parent path) redirects."""

from __future__ import annotations

from blogcli.model.excerpt import before_more
from blogcli.site.builder import build_site
from blogcli.site.urls import alias_output
from blogcli.workspace.store import Workspace


def write(root, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_cut_is_the_first_more_marker_outside_code():
    assert before_more("One.\n\nTwo.\n\n<!--more-->\n\nThree.") == "One.\n\nTwo."
    assert before_more("Lead <!--more Read on--> rest.") == "Lead"
    assert before_more("```\n<!--more-->\n```\n\nText.") is None
    assert before_more("    <!--more-->\n\nText.\n<!--more-->\nAfter.") == "    <!--more-->\n\nText."
    assert before_more("No marker.") is None


def test_lists_and_the_page_description_show_the_text_before_more(empty_blog):
    long_lead = " ".join(["lead"] * 60)
    write(empty_blog, "published/cut.md", "---\ntitle: Cut\ndate: 2026-11-01T09:00:00+00:00\n---\n\n"
          f"First *paragraph*.\n\n{long_lead}.\n\n<!--more-->\n\nThe rest, hidden from lists.\n")
    write(empty_blog, "published/plain.md", "---\ntitle: Plain\ndate: 2026-11-02T09:00:00+00:00\n---\n\n"
          + " ".join(["word"] * 50) + "\n")
    build_site(Workspace.open(empty_blog))
    home = (empty_blog / "site" / "index.html").read_text(encoding="utf-8")
    assert f"First paragraph. {long_lead}." in home  # both paragraphs, not cut at 40 words
    assert "The rest, hidden" not in home
    assert " ".join(["word"] * 40) + "…" in home  # without the marker: the first paragraph's start
    page = (empty_blog / "site" / "cut" / "index.html").read_text(encoding="utf-8")
    assert "The rest, hidden from lists." in page and "more--&gt;" not in page
    assert f'<meta name="description" content="First paragraph. {long_lead}.">' in page


def test_alias_outputs_are_decoded_plain_paths():
    assert alias_output("2016/05/02/fish-and-chips", set(), set()) == "2016/05/02/fish-and-chips/index.html"
    assert alias_output("/2016/06/01/%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac/", set(), set()) == "2016/06/01/ελληνικά/index.html"
    assert alias_output("old/x", {"old"}, set()) is None  # under a post's or page's address
    assert alias_output("tags/x", set(), set()) is None  # under one of the site's own names
    assert alias_output("Images/x", set(), {"images"}) is None  # under a top-level name of static/
    for bad in ("a/../b", "a/%2e%2e/b", "a b", "x?p=1", "a/./b", "%2F"):
        assert alias_output(bad, set(), set()) is None, bad


def test_percent_encoded_and_page_aliases_redirect(empty_blog):
    write(empty_blog, "published/greek.md", "---\ntitle: Greek\ndate: 2026-11-01T09:00:00+00:00\n"
          "aliases: ['2016/06/01/%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac']\n---\n\nText.\n")
    write(empty_blog, "pages/about.md", "---\ntitle: About\n---\n\nAbout.\n")
    write(empty_blog, "pages/contact.md", "---\ntitle: Contact\naliases: [about/contact, greek, about]\n---\n\nWrite.\n")
    result = build_site(Workspace.open(empty_blog))
    site = empty_blog / "site"
    assert 'url=/greek/"' in (site / "2016/06/01/ελληνικά/index.html").read_text(encoding="utf-8")
    assert 'url=/contact/"' in (site / "about/contact/index.html").read_text(encoding="utf-8")
    assert "About." in (site / "about/index.html").read_text(encoding="utf-8")  # the page, not a redirect
    assert "Text." in (site / "greek/index.html").read_text(encoding="utf-8")
    warned = [w for w in result.warnings if "pages/contact.md" in w]
    assert len(warned) == 2 and any("'greek'" in w for w in warned) and any("'about'" in w for w in warned)
