"""`blog import wordpress` on an export made by a real WordPress (tests/wordpress_server.py).

The content is made through WordPress's own functions (wp_insert_post, wp_insert_comment, run by
php-cli inside the site), as a site's editor and readers would have left it: posts with
categories and tags, a page, a draft, a scheduled post, threaded comments with an unapproved one
and a pingback, a [caption] shortcode, block-editor markup, <!--more-->, a non-Latin slug and an
untitled post, besides what a new WordPress holds (Hello world!, its comment, two pages). It is
exported by WordPress's exporter (export_wp(), what Tools → Export runs), and that file is
imported. The server is this module's own, so no other test's posts are in the export.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import wordpress_server
from blogcli.model.comments import comments_rel, parse_comments
from blogcli.model.document import Document

EMAIL = re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
UTC = __import__("datetime").timezone.utc

CONTENT = r"""
$made = function ($value) { if (is_wp_error($value) || !$value) { fwrite(STDERR, is_wp_error($value) ? $value->get_error_message() : 'not made'); exit(1); } return $value; };
$night = $made(wp_insert_term('Night Buses', 'category'))['term_id'];
$notes = $made(wp_insert_term('Field Notes', 'category'))['term_id'];
$jo = $made(wp_insert_user(array('user_login' => 'jo', 'user_pass' => wp_generate_password(24), 'user_email' => 'jo@example.invalid',
    'display_name' => 'Jo Writer', 'role' => 'author')));
$png = home_url('/wp-content/uploads/2026/11/n29.png');
$image = $made(wp_insert_attachment(array('post_title' => 'The N29 at night', 'post_mime_type' => 'image/png',
    'post_status' => 'inherit', 'guid' => $png), false, 0));
$classic = $made(wp_insert_post(array(
    'post_title' => 'Fish & Chips on the N29', 'post_status' => 'publish', 'post_date' => '2026-11-02 21:30:00',
    'post_category' => array($night, $notes), 'tags_input' => array('fieldwork', 'late nights'),
    'post_content' => "The last bus leaves at 00:40.\n\nIt smells of vinegar.\n\n<!--more-->\n\n"
        . "[caption id=\"attachment_$image\" align=\"alignnone\" width=\"300\"]<img class=\"size-medium wp-image-$image\" "
        . "src=\"$png\" alt=\"the bus\" width=\"300\" height=\"200\" /> The N29 at night[/caption]\n\n"
        . "Write to me through <a href=\"https://example.org/contact\">the contact page</a>.",
)));
$blocks = $made(wp_insert_post(array(
    'post_title' => 'Blocks All The Way', 'post_status' => 'publish', 'post_date' => '2026-11-09 21:30:00', 'post_author' => $jo,
    'post_category' => array($night), 'tags_input' => array('fieldwork'),
    'post_content' => "<!-- wp:paragraph -->\n<p>Written in the <strong>block editor</strong>.</p>\n<!-- /wp:paragraph -->\n\n"
        . "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n"
        . "<!-- wp:heading -->\n<h2>What the driver said</h2>\n<!-- /wp:heading -->\n\n"
        . "<!-- wp:list -->\n<ul><li>one stop</li><li>two stops</li></ul>\n<!-- /wp:list -->\n\n"
        . "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>Mind the gap.</p></blockquote>\n<!-- /wp:quote -->\n\n"
        . "<!-- wp:image {\"id\":$image,\"sizeSlug\":\"large\"} -->\n<figure class=\"wp-block-image size-large\"><img src=\"$png\" "
        . "alt=\"\" class=\"wp-image-$image\"/><figcaption>The N29</figcaption></figure>\n<!-- /wp:image -->",
)));
$cyrillic = $made(wp_insert_post(array('post_title' => 'Ночной автобус', 'post_status' => 'publish',
    'post_date' => '2026-11-16 21:30:00', 'post_category' => array($night), 'post_content' => 'Автобус идёт всю ночь.')));
$untitled = $made(wp_insert_post(array('post_title' => '', 'post_status' => 'publish', 'post_date' => '2026-11-17 08:00:00',
    'post_content' => 'A thought without a title.')));
$draft = $made(wp_insert_post(array('post_title' => 'Half an Idea', 'post_status' => 'draft', 'post_content' => 'To be continued.')));
$later = $made(wp_insert_post(array('post_title' => 'Coming in 2030', 'post_status' => 'future',
    'post_date' => '2030-01-07 09:00:00', 'post_category' => array($notes), 'post_content' => 'Not yet.')));
$about = $made(wp_insert_post(array('post_title' => 'About', 'post_type' => 'page', 'post_status' => 'publish',
    'post_content' => 'Who writes this.')));
$comment = function ($fields) use ($made, $classic) {
    return $made(wp_insert_comment($fields + array('comment_post_ID' => $classic, 'comment_approved' => 1,
        'comment_date' => '2026-11-03 10:00:00', 'comment_date_gmt' => '2026-11-03 10:00:00')));
};
$asked = $comment(array('comment_author' => 'Sam Reader', 'comment_author_email' => 'sam@example.invalid',
    'comment_author_IP' => '203.0.113.9', 'comment_author_url' => 'https://sam.example/',
    'comment_content' => 'Which stop is the chip shop at?'));
$answer = $comment(array('comment_author' => 'admin', 'comment_author_email' => 'admin@example.invalid', 'user_id' => 1,
    'comment_parent' => $asked, 'comment_date' => '2026-11-03 11:00:00', 'comment_date_gmt' => '2026-11-03 11:00:00',
    'comment_content' => 'The one after the depot.'));
$thanks = $comment(array('comment_author' => 'Sam Reader', 'comment_author_email' => 'sam@example.invalid',
    'comment_parent' => $answer, 'comment_date' => '2026-11-03 12:00:00', 'comment_date_gmt' => '2026-11-03 12:00:00',
    'comment_content' => 'Thank you!'));
$held = $comment(array('comment_author' => 'Held Back', 'comment_author_email' => 'held@example.invalid',
    'comment_approved' => 0, 'comment_content' => 'Waiting for moderation: never imported.'));
$ping = $comment(array('comment_author' => 'Other Blog', 'comment_author_url' => 'https://other.example/buses/',
    'comment_type' => 'pingback', 'comment_content' => '[&#8230;] a fine post about the N29 [&#8230;]'));
echo json_encode(compact('classic', 'blocks', 'cyrillic', 'untitled', 'draft', 'later', 'about', 'asked', 'answer', 'thanks',
    'held', 'ping'));
"""

EXPORT = r"""
require_once ABSPATH . 'wp-admin/includes/export.php';
export_wp(array('content' => 'all'));
"""


@pytest.fixture(scope="module")
def wordpress():
    yield from wordpress_server.for_tests()


@pytest.fixture(scope="module")
def export(wordpress, tmp_path_factory) -> tuple[Path, dict]:
    """The site's content made through WordPress, and the file its exporter wrote."""
    ids = json.loads(wordpress_server.php(wordpress, CONTENT))
    path = tmp_path_factory.mktemp("export") / "blogcli-test-site.WordPress.xml"
    path.write_text(wordpress_server.php(wordpress, EXPORT), encoding="utf-8")
    return path, ids


def files(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but its state folder (caches, lock), by path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(".blog/")}


def meta_and_body(root: Path, rel: str) -> tuple[dict, str]:
    document = Document.from_bytes((root / rel).read_bytes(), rel)
    return document.parse(rel), document.body


def test_an_export_made_by_wordpress_comes_in_whole_and_clean(empty_blog, cli, export):
    source, ids = export
    exported = source.read_text(encoding="utf-8")
    assert "<!-- wp:paragraph -->" in exported and "[caption" in exported and "sam@example.invalid" in exported  # the source has them
    assert "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>" in exported

    result = cli("import", "wordpress", str(source))
    assert result.exit_code == 0 and "Traceback" not in result.stderr, result.stderr + result.stdout
    listed = {p["title"]: p for p in json.loads(cli("list", "--json").stdout)}
    assert listed["Fish & Chips on the N29"]["status"] == "published" and listed["Half an Idea"]["status"] == "draft"
    assert listed["Coming in 2030"]["status"] == "scheduled" and listed["Ночной автобус"]["status"] == "published"
    assert (empty_blog / "pages" / "about.md").is_file()

    classic, text = meta_and_body(empty_blog, "published/fish-chips-on-the-n29.md")
    assert set(classic["tags"]) >= {"fieldwork", "late nights"} and set(classic["categories"]) == {"Night Buses", "Field Notes"}
    assert text.count("<!--more-->") == 1 and "*The N29 at night*" in text
    assert "[the contact page](https://example.org/contact)" in text
    _, blocks = meta_and_body(empty_blog, "published/blocks-all-the-way.md")
    assert blocks.count("<!--more-->") == 1 and "## What the driver said" in blocks and "- one stop" in blocks
    assert "> Mind the gap." in blocks and "Written in the **block editor**." in blocks
    [untitled_rel] = [p["path"] for p in listed.values() if "title" not in meta_and_body(empty_blog, p["path"])[0]]
    assert meta_and_body(empty_blog, untitled_rel)[1].strip() == "A thought without a title."

    problems = json.loads(cli("check", "--json").stdout)
    assert [(p["path"], p["code"]) for p in problems if p["severity"] == "error"] == [(untitled_rel, "missing-title")]  # as at the source
    built = cli("build")
    assert built.exit_code == 0, built.stderr
    page = (empty_blog / "site" / "fish-chips-on-the-n29" / "index.html").read_text(encoding="utf-8")
    assert "Fish &amp; Chips on the N29" in page and "It smells of vinegar." in page
    assert (empty_blog / "site" / "2026" / "11" / "fish-chips-on-the-n29" / "index.html").is_file()  # its old address

    everything = {p.relative_to(empty_blog).as_posix(): p.read_bytes() for p in empty_blog.rglob("*") if p.is_file()}
    assert [rel for rel, data in everything.items() if b"<!-- wp:" in data] == []
    assert [rel for rel, data in everything.items() if b"[caption" in data] == []
    assert [(rel, EMAIL.search(data).group()) for rel, data in everything.items() if EMAIL.search(data)] == []

    rel = comments_rel("published/fish-chips-on-the-n29.md")
    comments = {c.id: c for c in parse_comments((empty_blog / rel).read_bytes(), rel, UTC)}
    wp = {name: f"wp-{ids[name]}" for name in ("asked", "answer", "thanks", "held", "ping")}
    assert set(comments) == {wp["asked"], wp["answer"], wp["thanks"], wp["ping"]}  # not the unapproved one
    assert comments[wp["asked"]].parent is None and comments[wp["answer"]].parent == wp["asked"]
    assert comments[wp["thanks"]].parent == wp["answer"] and comments[wp["answer"]].by_author
    assert not comments[wp["asked"]].by_author and comments[wp["asked"]].author_url == "https://sam.example/"
    assert comments[wp["ping"]].kind == "pingback" and comments[wp["ping"]].body == "[…] a fine post about the N29 […]"
    shown = json.loads(cli("comments", "fish-chips-on-the-n29", "--json").stdout)
    assert [(c["id"], c["depth"]) for c in shown[0]["comments"]] == [(wp["asked"], 0), (wp["answer"], 1), (wp["thanks"], 2)]

    before = files(empty_blog)
    again = cli("import", "wordpress", str(source))
    assert again.exit_code == 0, again.stderr
    assert files(empty_blog) == before


def test_posts_imported_from_the_site_are_its_posts_for_publish_and_comments(empty_blog, cli, export, wordpress, monkeypatch):
    source, ids = export
    assert cli("import", "wordpress", str(source)).exit_code == 0
    with open(empty_blog / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write(f'\n[publish.wordpress]\nurl = "{wordpress.url}/"\nuser = "{wordpress.user}"\n')
    monkeypatch.setenv("BLOG_WORDPRESS_PASSWORD", wordpress.password)
    rel = comments_rel("published/fish-chips-on-the-n29.md")
    imported = (empty_blog / rel).read_bytes()
    new = wordpress_server.php(wordpress, f"""echo wp_insert_comment(array('comment_post_ID' => {ids['classic']},
        'comment_approved' => 1, 'comment_author' => 'Late Reader', 'comment_author_email' => 'late@example.invalid',
        'comment_parent' => {ids['thanks']}, 'comment_content' => 'Still running in December?'));""")

    pulled = cli("comments", "fish-chips-on-the-n29", "--pull")
    assert pulled.exit_code == 0, pulled.stderr
    assert f"WordPress: 1 new comment in {rel}" in pulled.stderr  # the imported ones are not fetched twice
    comments = {c.id: c for c in parse_comments((empty_blog / rel).read_bytes(), rel, UTC)}
    assert len(comments) == 5 and comments[f"wp-{new}"].parent == f"wp-{ids['thanks']}"
    assert (empty_blog / rel).read_bytes().startswith(imported.rstrip(b"\n")) and b"late@example.invalid" not in (empty_blog / rel).read_bytes()

    rows = {row["path"]: row for row in json.loads(cli("status", "--to", "wordpress", "--json").stdout)}
    assert rows["published/fish-chips-on-the-n29.md"]["state"] == "not pushed from here"
    assert rows["published/fish-chips-on-the-n29.md"]["id"] == ids["classic"]
    before = (empty_blog / "published" / "fish-chips-on-the-n29.md").read_bytes()
    refused = cli("publish", "fish-chips-on-the-n29", "--to", "wordpress")
    assert refused.exit_code == 1 and f"names WordPress post {ids['classic']}, which blogcli has not published there yet" in refused.stderr
    assert (empty_blog / "published" / "fish-chips-on-the-n29.md").read_bytes() == before
    count = "echo count(get_posts(array('title' => 'Fish & Chips on the N29', 'post_status' => 'any')));"
    assert wordpress_server.php(wordpress, count) == "1"  # no copy made
