"""`blog import jekyll` and `blog import hugo` on small sites written for these tests
(tests/fixtures/import/jekyll, tests/fixtures/import/hugo)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from blogcli.model.document import Document

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def meta(root: Path, rel: str) -> dict:
    return Document.from_bytes((root / rel).read_bytes(), rel).parse(rel)


def body(root: Path, rel: str) -> str:
    return Document.from_bytes((root / rel).read_bytes(), rel).body


def files(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but its state folder, by path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(".blog/")}


def run(cli, kind: str, *args) -> str:
    result = cli("import", kind, str(FIXTURES / kind), *args)
    assert result.exit_code == 0, result.stderr + result.stdout
    return " ".join(result.stdout.split())


# -- Jekyll -------------------------------------------------------------------------------------


@pytest.fixture
def jekyll(empty_blog, cli):
    return empty_blog, run(cli, "jekyll")


def test_jekyll_posts_drafts_and_pages(jekyll):
    root, out = jekyll
    assert sorted(p.relative_to(root).as_posix() for p in root.glob("*/*.md")) == [
        "drafts/an-idea.md", "drafts/unpublished.md", "pages/about.md",
        "published/category-folder.md", "published/hello-world.md", "published/second-post.md"]
    hello = meta(root, "published/hello-world.md")
    assert hello["title"] == "Hello, World" and hello["date"].isoformat() == "2020-01-05T09:30:00+00:00"
    assert hello["tags"] == ["first", "intro", "night-bus", "fieldwork"] and hello["categories"] == ["night-bus", "fieldwork"]
    assert hello["summary"] == "The first of many." and hello["aliases"] == ["2020/hello-world.html"]
    assert hello["comments"] is True and "layout" not in hello  # other keys kept; Jekyll's own dropped
    assert hello["source"] == "jekyll:_posts/2020-01-05-hello-world.md"
    second = meta(root, "published/second-post.md")
    assert second["date"].isoformat() == "2020-02-01T00:00:00+00:00" and second["tags"] == ["night-bus"]  # date from the name
    assert meta(root, "published/category-folder.md")["categories"] == ["notes"]  # notes/_posts/
    assert "import_notes" not in meta(root, "drafts/unpublished.md")
    assert meta(root, "pages/about.md")["title"] == "About"
    assert "3 posts, 2 drafts, 1 page, 1 media file" in out


def test_jekyll_liquid_becomes_markdown(jekyll):
    root, _ = jekyll
    text = body(root, "published/hello-world.md")
    assert '```python\ndef hello():\n    return "{{ not liquid }}"\n```' in text  # {% highlight %}
    assert "```liquid\n<h1>{{ page.title }}</h1>\n```" in text  # {% raw %} unwrapped
    assert "[the second post](second-post.md) and the [about page](/about/)" in text  # post_url, link, site.baseurl
    assert "{% include footer.html %}" in text  # any other tag: left, for check to flag
    assert "[the first](hello-world.md)" in body(root, "published/second-post.md")
    assert (root / "static/assets/img/bus.png").read_bytes() == (FIXTURES / "jekyll/assets/img/bus.png").read_bytes()


def test_jekyll_bad_files_are_skipped_with_their_reason(jekyll):
    _, out = jekyll
    assert "_posts/2020-03-01-broken-front-matter.md: line 2: front matter is not valid YAML" in out
    assert "_posts/2020-03-02-latin-one.md: line 2: not UTF-8 text (byte 0xe9)" in out
    assert "_posts/notes-without-a-date.md: not named YYYY-MM-DD-title" in out
    assert "archive.md: a page made by a Liquid loop" in out


def test_jekyll_import_checks_and_builds(jekyll, cli):
    root, _ = jekyll
    problems = json.loads(cli("check", "--json").stdout)
    assert [(p["code"], p["severity"]) for p in problems] == [("template-tag", "warning")]
    assert "{% include footer.html %}" in problems[0]["message"]
    assert cli("build").exit_code == 0
    assert (root / "site/assets/img/bus.png").is_file()


def test_jekyll_categories_can_name_the_series(empty_blog, cli):
    run(cli, "jekyll", "--categories-as", "series")
    hello, second = meta(empty_blog, "published/hello-world.md"), meta(empty_blog, "published/second-post.md")
    assert (hello["series"], hello["part"], second["series"], second["part"]) == ("night-bus", 1, "night-bus", 2)
    assert hello["categories"] == ["fieldwork"]


def test_jekyll_second_import_changes_nothing(jekyll, cli):
    root, _ = jekyll
    before = files(root)
    assert "already here: 6 unchanged" in run(cli, "jekyll")
    assert files(root) == before


# -- Hugo ---------------------------------------------------------------------------------------


@pytest.fixture
def hugo(empty_blog, cli):
    return empty_blog, run(cli, "hugo")


def test_hugo_front_matter_in_toml_yaml_and_json(hugo):
    root, out = hugo
    first = meta(root, "published/first-ride.md")  # TOML
    assert first["title"] == "The First Ride" and first["date"].isoformat() == "2021-03-01T08:00:00+00:00"
    assert first["updated"].isoformat() == "2021-03-02T10:00:00+00:00"  # lastmod
    assert first["tags"] == ["buses", "night", "Fieldwork"] and first["summary"] == "Where it started."
    assert first["aliases"] == ["old/first-ride"]
    assert "params" not in first and "front matter 'params' (a nested value) was not kept" in out
    assert meta(root, "published/prologue.md")["series"] == "Night Bus"  # YAML
    trip = meta(root, "published/bundle-trip.md")  # JSON, a page bundle
    assert trip["title"] == "A Trip in Photos" and trip["image"] == "/media/bundle-trip/cover.png"
    assert [meta(root, f"published/{s}.md")["part"] for s in ("prologue", "first-ride", "bundle-trip")] == [1, 2, 3]  # weight


def test_hugo_drafts_schedules_and_expiry(hugo, cli):
    root, out = hugo
    listed = {p["slug"]: p["status"] for p in json.loads(cli("list", "--json").stdout)}
    assert listed["unfinished"] == "draft" and listed["tomorrow"] == "scheduled" and listed["gone"] == "draft"
    assert meta(root, "published/tomorrow.md")["date"].isoformat() == "2030-06-01T09:00:00+00:00"  # publishDate
    assert "expired at the source on 2020-06-01" in meta(root, "drafts/gone.md")["import_notes"][0]


def test_hugo_shortcodes_and_bundles(hugo):
    root, _ = hugo
    text = body(root, "published/first-ride.md")
    assert "![A bus stop](/images/stop.png)\n*The stop — At 2 a.m.*" in text  # figure
    assert "```go\nfunc main() {}\n```" in text  # highlight
    assert "[the prologue](prologue.md) and [the trip](bundle-trip.md#photos), and the [about page](/about/)" in text
    assert "{{< youtube abc123 >}}" in text and "<!--more-->" in text
    trip = body(root, "published/bundle-trip.md")
    assert "![The depot](/media/bundle-trip/depot.png)" in trip and "![A lamp](/media/bundle-trip/gallery/lamp.png)\n*A lamp*" in trip
    for name in ("depot.png", "cover.png", "gallery/lamp.png"):
        assert (root / "static/media/bundle-trip" / name).read_bytes() == (FIXTURES / "hugo/content/posts/bundle-trip" / name).read_bytes()
    assert (root / "static/images/stop.png").is_file()
    assert not list(root.glob("*/notes.md"))  # a bundle's text resource is not a page


def test_hugo_skips_list_pages_and_broken_files(hugo):
    _, out = hugo
    assert "content/_index.md, content/posts/_index.md: a section's list page" in out
    assert "content/posts/broken.md: line 2: front matter is not valid TOML" in out


def test_hugo_import_checks_and_builds(hugo, cli):
    root, _ = hugo
    problems = json.loads(cli("check", "--json").stdout)
    assert [(p["path"], p["code"], p["severity"]) for p in problems] == [("published/first-ride.md", "template-tag", "warning")]
    assert cli("build").exit_code == 0
    assert (root / "site/media/bundle-trip/depot.png").is_file()


def test_hugo_second_import_changes_nothing(hugo, cli):
    root, _ = hugo
    before = files(root)
    assert "already here: 7 unchanged" in run(cli, "hugo")
    assert files(root) == before


# -- not a site ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, complaint", [("jekyll", "is not a Jekyll site"), ("hugo", "is not a Hugo site")])
def test_a_folder_that_is_not_such_a_site_is_refused(empty_blog, cli, tmp_path, kind, complaint):
    (tmp_path / "random").mkdir()
    (tmp_path / "random" / "notes.md").write_text("# notes\n")
    result = cli("import", kind, str(tmp_path / "random"))
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {tmp_path / 'random'} {complaint}")
    assert "Traceback" not in result.stderr and not list(empty_blog.glob("*/*.md"))
    missing = cli("import", kind, str(tmp_path / "nowhere"))
    assert missing.exit_code == 1 and "no such folder" in missing.stderr


def test_the_other_kind_of_site_is_named_in_the_hint(empty_blog, cli):
    result = cli("import", "jekyll", str(FIXTURES / "hugo"))
    assert result.exit_code == 1 and "blog import hugo" in result.stderr


def test_nothing_outside_the_site_is_read(empty_blog, cli, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "jekyll", site)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\n\nNot part of the site.\n")
    (site / "_posts" / "2020-05-01-link.md").symlink_to(secret)
    (site / "assets" / "img" / "outside.png").symlink_to(secret)
    (site / "_posts" / "2020-05-02-shows.md").write_text("---\ntitle: Shows\n---\n\n![x](/assets/img/outside.png)\n")
    result = cli("import", "jekyll", str(site))
    assert result.exit_code == 0, result.stderr
    assert "a link to a file outside the site; not read" in " ".join(result.stdout.split())
    assert not (empty_blog / "published/link.md").exists() and not (empty_blog / "static/assets/img/outside.png").exists()
    assert all(b"Not part of the site" not in data for data in files(empty_blog).values())


def test_a_progress_bar_shows_on_a_terminal_only(empty_blog):
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "blogcli", "import", "hugo", str(FIXTURES / "hugo"), "--dry-run"]
    master, slave = os.openpty()
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, timeout=120)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert done.returncode == 0 and b"reading" in seen and b"\x1b[" in seen  # drawn, then cleared
    piped = subprocess.run(command, capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == b"" and b"\x1b[" not in piped.stdout
