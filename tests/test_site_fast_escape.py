"""site/fast_escape.py: the site's templates escape a `str` through markupsafe's C function, and
every template, the package's or a theme's, gives exactly the bytes Jinja2 itself gives."""

from __future__ import annotations

import sys

import markupsafe
import pytest
from jinja2 import Environment, FileSystemLoader, Template

from blogcli.site import fast_escape
from blogcli.site.theme import PACKAGE_TEMPLATES, environment, render_page


class Shown:
    """A value that is neither a str nor HTML: shown by its str()."""

    def __str__(self) -> str:
        return "<shown & 'told'>"


class Named(str):
    """A str subclass: escaped as markupsafe escapes it (through `escape`, not the C function)."""


class Html:
    def __html__(self) -> str:
        return "<i>already safe</i>"


TRICKY = "<a href=\"x\" title='y'>Fish & chips</a>"
VALUES = {"s": TRICKY, "m": markupsafe.Markup("<b>bold</b>"), "n": 42, "f": 1.5, "none": None, "shown": Shown(),
          "named": Named(TRICKY), "html": Html(), "empty": "", "post": {"title": TRICKY, "tags": [{"name": "a&b"}]}}
SOURCES = [
    "{{ s }}|{{ m }}|{{ n }}|{{ f }}|{{ none }}|{{ shown }}|{{ named }}|{{ html }}|{{ empty }}|{{ missing }}",
    "{{ post.title }}|{% for tag in post.tags %}{{ tag.name }}{% endfor %}|{{ s[:1] | upper }}{{ s[1:] }}",
    "{% macro item(v) %}<li>{{ v }}</li>{% endmacro %}{{ item(s) }}{{ item(m) }}{{ item(n) }}",
    "{% set block %}{{ s }}{{ m }}{% endset %}{{ block }}|{{ block | length }}|{% filter upper %}{{ s }}{% endfilter %}",
    "{{ s ~ m }}|{{ s | safe }}|{{ s | e }}|{{ m | e }}|{{ post | tojson }}|{{ s | replace('&', '<and>') }}",
    "{% autoescape false %}{{ s }}{% endautoescape %}|{{ s | truncate(9) }}|{{ '%s!' % s }}",
]


def _jinja2s_own(**options) -> Environment:
    return Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, **options)


@pytest.mark.parametrize("source", SOURCES)
def test_a_template_gives_the_bytes_jinja2_gives(source):
    ours = environment((PACKAGE_TEMPLATES,))
    assert ours.template_class is not Template
    assert ours.from_string(source).render(**VALUES) == _jinja2s_own().from_string(source).render(**VALUES)


def test_the_compiled_templates_escape_a_str_with_the_c_function():
    template = environment((PACKAGE_TEMPLATES,)).from_string("{{ s }}")
    namespace = template.root_render_func.__globals__
    assert namespace["escape"] is not markupsafe.escape  # the trick is in use
    assert namespace["escape"](TRICKY) == str(markupsafe.escape(TRICKY))
    bold = markupsafe.Markup("<b>")
    assert namespace["escape"](bold) is bold  # joined as it is: escape would only copy it
    assert namespace["escape"](Named("<b>")) == "&lt;b&gt;"  # a str subclass goes through escape


def test_every_package_template_gives_the_bytes_jinja2_gives():
    """Each of blogcli's templates, with values that hold every character escaping changes."""
    post = {"title": TRICKY, "url": "/a&b/", "date": "2026-11-09T10:00:00+00:00", "date_text": "9 November 2026",
            "updated": None, "summary": TRICKY, "tags": [{"name": TRICKY, "url": "/tags/x/"}], "minutes": 3,
            "html": "<p>body</p>", "json_ld_html": markupsafe.Markup('{"a": 1}'), "image": "https://x/a.png?b&c",
            "draft": True, "series": TRICKY, "part": 2, "series_title": TRICKY, "series_url": "/series/s/"}
    series = {"title": TRICKY, "url": "/series/s/", "feed_url": "/series/s/feed.xml", "part": 2, "count": 3,
              "prev": post, "next": post, "description": TRICKY, "latest": post}
    context = {
        "site": {"title": TRICKY, "description": TRICKY, "author": TRICKY, "language": "en", "locale": "en_GB",
                 "home_url": "/", "feed_url": "/feed.xml", "css_url": "/style.css", "favicon_url": "/favicon.svg",
                 "series_url": "/series/", "tags_url": "/tags/", "archive_url": "/archive/", "stats_url": "/stats/",
                 "menu": [{"url": "/about/", "title": TRICKY}]},
        "post": post, "series": series, "teaser": {"text": TRICKY, "kept_by": post}, "page_title": TRICKY,
        "canonical": "https://x/a&b/", "description": TRICKY, "items": [post, post], "newer_url": "/", "older_url": "/2/",
        "page_number": 2, "years": [{"year": 2026, "url": "/archive/"}], "year": 2026,
        "months": [{"id": "2026-11", "label": "November 2026", "items": [post]}], "tag": {"name": TRICKY, "items": [post]},
        "tags": [{"name": TRICKY, "url": "/tags/x/", "count": 2}], "parts": [{**post, "number": 1}],
        "coming_parts": [{"number": 2, "coming": True, "date": None}], "coming": {"text": TRICKY},
        "all_series": [series], "page": post, "target": "/a&b/", "target_absolute": "https://x/a&b/",
        "comments": {"count": 1, "threads": [{"author": TRICKY, "url": "https://x/?a&b", "anchor": "c1", "by_author": True,
                                              "date": "2026", "date_text": "2026", "paragraphs": [TRICKY], "replies": []}],
                     "pings": [{"author": TRICKY, "url": None, "anchor": "p1", "date": None}]},
    }
    ours = environment((PACKAGE_TEMPLATES,))
    theirs = _jinja2s_own(loader=FileSystemLoader(str(PACKAGE_TEMPLATES)))
    theirs.getattr = ours.getattr  # the views' dict lookups (test_site_theme.py shows they are Jinja2's)
    names = sorted(path.name for path in PACKAGE_TEMPLATES.glob("*.html") if path.name not in ("stats.html",))
    assert "post.html" in names and "archive.html" in names
    for name in names:
        assert ours.get_template(name).render(**context) == theirs.get_template(name).render(**context), name


def test_a_themes_template_written_for_todays_variables_renders_as_with_jinja2(tmp_path):
    """A workspace's own post.html, using what post pages are given today (the view, its JSON-LD
    both ways, the body as safe HTML, the series and the teaser), gives Jinja2's own bytes."""
    source = ("<h1>{{ post.title }}</h1>{{ post.html | safe }}<script>{{ post.json_ld | tojson }}</script>"
              "{{ post.json_ld_html }}{% for tag in post.tags %}<a href=\"{{ tag.url }}\">{{ tag.name | title }}</a>{% endfor %}"
              "{% if series %}{{ series.title }} {{ series.part }}/{{ series.count }}{% endif %}"
              "{{ teaser.text[:1] | upper }}{{ teaser.text[1:] }}|{{ site.title | length }}|{{ page_title | truncate(12) }}")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "post.html").write_text(source, encoding="utf-8")
    context = {"post": {"title": TRICKY, "html": "<p>x</p>", "json_ld": {"headline": TRICKY},
                        "json_ld_html": markupsafe.Markup('{"headline": "x"}'), "tags": [{"name": "a&b", "url": "/t/"}]},
               "series": {"title": TRICKY, "part": 1, "count": 2}, "teaser": {"text": "next <one> & more"},
               "site": {"title": "Tom's & Jerry's"}, "page_title": TRICKY}
    page = render_page((folder, PACKAGE_TEMPLATES), "post.html", build_key="a build", **context)
    assert page == _jinja2s_own().from_string(source).render(**context).encode("utf-8")


def test_without_markupsafes_c_function_templates_keep_markupsafes_escape(monkeypatch):
    monkeypatch.setitem(sys.modules, "markupsafe._speedups", None)  # an import of it fails
    fast_escape.template_class.cache_clear()
    try:
        assert fast_escape.template_class() is Template
    finally:
        fast_escape.template_class.cache_clear()


def test_blogcli_s_templates_compiled_ahead_escape_with_the_c_function_too():
    """site/precompiled.py's compiled set (loaded by Template.from_module_dict) and templates
    compiled from their text alike."""
    from jinja2 import FileSystemLoader

    from blogcli.site.precompiled import is_current, package_loader

    assert is_current()  # the shipped set is in use (tests/test_precompiled_templates.py keeps it so)
    loader = package_loader()
    assert not isinstance(loader, FileSystemLoader)
    template = loader.load(environment((PACKAGE_TEMPLATES,), "a build"), "post.html")
    assert template.root_render_func.__globals__["escape"] is not markupsafe.escape
