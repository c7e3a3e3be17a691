"""Reader comments shown under their post, read-only: on the site (threaded, escaped, no e-mail
address, anchors WordPress links still reach, pings apart) and in `blog preview`."""

from __future__ import annotations

import os

import pytest

from blogcli.site.builder import build_site
from blogcli.workspace.store import Workspace

COMMENTS = """\
- id: wp-12
  author: Jo <b>Reader</b>
  author_url: https://jo.example/
  date: 2026-11-02T10:00:00+00:00
  body: |
    You assume <script>alert(1)</script> buses run late.

    Second paragraph.
- id: wp-13
  parent: wp-12
  author: The Author
  by_author: true
  date: 2026-11-02T11:00:00+00:00
  body: They do, after midnight.
- id: wp-14
  author: Sam
  author_url: "javascript:alert(1)"
  date: 2026-11-03T09:00:00+00:00
  body: Another conversation.
- id: wp-15
  author: Other Blog
  author_url: https://other.example/post
  kind: pingback
  date: 2026-11-04T09:00:00+00:00
  body: "[…] a mention […]"
"""


def write(root, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def blog(empty_blog):
    write(empty_blog, "published/night.md", "---\ntitle: Night\ndate: 2026-11-01T09:00:00+00:00\n---\n\nText.\n")
    write(empty_blog, "published/quiet.md", "---\ntitle: Quiet\ndate: 2026-11-01T08:00:00+00:00\n---\n\nNo comments.\n")
    write(empty_blog, "published/night.comments.yaml", COMMENTS)
    return empty_blog


def page(root, slug: str) -> str:
    return (root / "site" / slug / "index.html").read_text(encoding="utf-8")


def section(html: str) -> str:
    return html[html.index('<section class="comments"') : html.index("</section>", html.index('<section class="comments"'))]


def test_comments_are_shown_threaded_and_escaped_under_the_post(blog):
    build_site(Workspace.open(blog))
    html = page(blog, "night")
    comments = section(html)
    assert html.index("Text.") < html.index('<section class="comments"')
    assert "<h2>3 comments</h2>" in comments  # pings are not counted as comments
    assert "Jo &lt;b&gt;Reader&lt;/b&gt;" in comments and "&lt;script&gt;alert(1)&lt;/script&gt;" in comments
    assert "<script>" not in comments and "<b>" not in comments
    assert '<a href="https://jo.example/" rel="nofollow ugc">' in comments
    assert "javascript:" not in comments  # only an http(s) author link is a link
    # the reply sits inside the comment it answers; the other conversation does not
    first = comments.index('id="comment-12"')
    replies = comments.index('class="comment-replies"', first)
    assert first < replies < comments.index('id="comment-13"') < comments.index('id="comment-14"')
    assert comments.count("<p>") >= 4 and "<p>Second paragraph.</p>" in comments
    assert 'class="comment by-author" id="comment-13"' in comments
    # pingbacks apart
    assert comments.index("Mentioned elsewhere") < comments.index('href="https://other.example/post"')
    assert "@" not in comments
    assert 'class="comments"' not in page(blog, "quiet")


def test_a_changed_comments_file_renders_its_page_again_and_no_other(blog):
    build_site(Workspace.open(blog))
    quiet = (blog / "site" / "quiet" / "index.html").stat().st_mtime_ns
    write(blog, "published/night.comments.yaml", COMMENTS + "- id: wp-16\n  author: New\n  body: A new one, longer than before.\n")
    build_site(Workspace.open(blog))
    assert "A new one" in page(blog, "night")
    assert (blog / "site" / "quiet" / "index.html").stat().st_mtime_ns == quiet
    (blog / "published" / "night.comments.yaml").unlink()
    build_site(Workspace.open(blog))
    assert 'class="comments"' not in page(blog, "night")


def test_a_comments_file_that_does_not_parse_leaves_the_post_built(blog):
    write(blog, "published/night.comments.yaml", "- id: [unclosed\n")
    build_site(Workspace.open(blog))
    assert "Text." in page(blog, "night") and 'class="comments"' not in page(blog, "night")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this system")
def test_a_comments_file_that_is_a_symlink_is_never_read(blog, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("- id: x\n  author: Outside\n  body: secret words\n", encoding="utf-8")
    (blog / "published" / "night.comments.yaml").unlink()
    (blog / "published" / "night.comments.yaml").symlink_to(outside)
    build_site(Workspace.open(blog))
    assert "secret words" not in page(blog, "night")


def test_a_very_deep_thread_is_built_and_nests_at_most_five_levels(blog):
    chain = "".join(f"- id: c{n}\n  author: A{n}\n" + (f"  parent: c{n - 1}\n" if n else "") + f"  body: reply {n}\n"
                    for n in range(2000))
    write(blog, "published/night.comments.yaml", chain)
    build_site(Workspace.open(blog))
    comments = section(page(blog, "night"))
    assert "reply 1999" in comments
    assert comments.count('<ol class="comment-replies">') == 4


def test_comments_of_a_page_are_shown_under_it(blog):
    write(blog, "pages/about.md", "---\ntitle: About\n---\n\nAbout me.\n")
    write(blog, "pages/about.comments.yaml", "- id: wp-3\n  author: Visitor\n  body: Nice page.\n")
    build_site(Workspace.open(blog))
    assert '<li class="comment" id="comment-3">' in page(blog, "about") and "Nice page." in page(blog, "about")


def test_preview_shows_the_comments_under_the_post(blog, cli):
    result = cli("preview", "night", "--no-color", "--width", "80")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.index("Text.") < text.index("3 comments") < text.index("Jo <b>Reader</b>")
    reply = next(line for line in text.splitlines() if "The Author" in line)
    assert reply.startswith("  ") and "(author)" in reply  # indented under what it answers
    assert text.index("Mentioned elsewhere") < text.index("Other Blog")


def test_preview_shows_no_control_characters_from_a_comment(blog, cli):
    write(blog, "published/night.comments.yaml", '- id: x\n  author: "Evil\\e]0;title\\a"\n  body: "hi \\e[31mred"\n')
    result = cli("preview", "night", "--no-color")
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "hi \u241b[31mred" in result.stdout


def test_preview_names_a_broken_comments_file_and_still_shows_the_post(blog, cli):
    write(blog, "published/night.comments.yaml", "- id: [unclosed\n")
    result = cli("preview", "night", "--no-color", "--width", "120")
    assert result.exit_code == 0, result.output
    assert "comments not shown: published/night.comments.yaml" in result.stdout and "Text." in result.stdout


def test_check_names_a_comments_file_that_does_not_read_or_belongs_to_no_post(blog):
    from blogcli.ops.check import check_posts

    write(blog, "published/night.comments.yaml", "- id: a\n  author: A\n  body: x\n- id: a\n  author: B\n  body: y\n")
    write(blog, "drafts/gone.comments.yaml", "- id: b\n  author: B\n  body: y\n")
    write(blog, "pages/about.comments.yaml", "- id: [unclosed\n")
    found = {(p.path, p.code, p.severity) for p in check_posts(Workspace.open(blog))}
    assert ("published/night.comments.yaml", "bad-comments", "error") in found
    assert ("drafts/gone.comments.yaml", "orphan-comments", "warning") in found
    assert ("pages/about.comments.yaml", "bad-comments", "error") in found
    write(blog, "published/night.comments.yaml", COMMENTS)
    assert not any(p.path == "published/night.comments.yaml" for p in check_posts(Workspace.open(blog)))


def test_blog_comments_prints_no_control_characters_from_a_comment(blog, cli):
    write(blog, "published/night.comments.yaml", '- id: x\n  author: "Evil\\e]0;title\\a"\n  body: "hi \\e[31mred"\n'
          '- id: p\n  author: "Ping\\e[2J"\n  kind: pingback\n  author_url: "https://x.example/\\e[5m"\n  body: ping\n')
    result = cli("comments", "night")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "hi \u241b[31mred" in result.stdout and "Evil\u241b]0;title\u2407" in result.stdout


def test_comments_stats_lists_only_regular_comments_files(tmp_path):
    """The build's key material for comments: each regular `*.comments.yaml` beside the posts, by
    the post's path; a link, a folder, a FIFO or a hidden file of that name is none."""
    from blogcli.site.comments import comments_stats

    folder = tmp_path / "published"
    folder.mkdir()
    (folder / "night.comments.yaml").write_text("- id: a\n  body: hi\n", encoding="utf-8")
    (folder / "night.md").write_text("---\ntitle: Night\n---\n", encoding="utf-8")
    (folder / ".hidden.comments.yaml").write_text("x", encoding="utf-8")
    (folder / "folder.comments.yaml").mkdir()
    if hasattr(os, "symlink"):
        (folder / "link.comments.yaml").symlink_to(folder / "night.comments.yaml")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.comments.yaml")
    st = (folder / "night.comments.yaml").stat()
    assert comments_stats(tmp_path, ("published", "drafts")) == {"published/night.md": (st.st_size, st.st_mtime_ns)}


def test_the_build_takes_the_comments_files_from_the_names_its_scan_listed(blog):
    """comments_stats reads a folder's names as the walk that read the posts listed them
    (`Workspace.listed_names`: no second listing of published/); once the workspace is refreshed
    they are not known, and the folder is listed again."""
    from blogcli.site.comments import comments_stats

    ws = Workspace.open(blog)
    assert {post.rel for post in ws.posts} == {"published/night.md", "published/quiet.md"}
    assert "night.comments.yaml" in ws.listed_names("published") and ws.listed_names("pages") is None
    listed = comments_stats(blog, ("published", "drafts"), ws.listed_names)
    assert listed == comments_stats(blog, ("published", "drafts")) and set(listed) == {"published/night.md"}
    assert comments_stats(blog, ("published",), lambda folder: ["quiet.md"]) == {}  # the names given are those read
    ws.refresh(["published/quiet.md"])
    assert ws.listed_names("published") is None
    assert comments_stats(blog, ("published", "drafts"), ws.listed_names) == listed
