"""WordPress as a publishing target, against an in-memory WordPress (tests/wordpress_fake.py).

Every failure the issue names (a wrong password, a missing REST route, a timeout, a refused
connection, a server error) is one `error:` line with a hint, changes nothing here, and running
the command again is safe: no second post, no second upload. tests/test_wordpress_live.py runs
the same use cases against a real WordPress.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import socket
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from blogcli.errors import BlogError, ConfigError, RemoteAuthError, RemoteChanged, RemoteError, RemoteUnreachable
from blogcli.model.comments import comments_rel, parse_comments
from blogcli.publishing.wordpress import content as wp
from blogcli.publishing.wordpress import status as sync_status
from blogcli.publishing.wordpress import sync
from blogcli.publishing.wordpress.comments import pull_comments
from blogcli.publishing.wordpress.record import public_url
from blogcli.workspace.store import Workspace
from wordpress_fake import PASSWORD, SITE, USER, FakeWordPress

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082")


@pytest.fixture
def fake() -> FakeWordPress:
    return FakeWordPress()


@pytest.fixture
def blog(sample, monkeypatch) -> Path:
    """The sample blog with a [publish.wordpress] target, its password in the environment, and a
    featured image on the draft about to be published."""
    with open(sample / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write(f'\n[publish.wordpress]\nurl = "{SITE}"\nuser = "{USER}"\n')
    monkeypatch.setenv("BLOG_WORDPRESS_PASSWORD", PASSWORD)
    (sample / "static" / "images" / "cover.png").write_bytes(PNG)
    draft = sample / "drafts" / "drawing-the-timetable.md"
    draft.write_text(draft.read_text().replace("part: 3\n", "part: 3\nimage: images/cover.png\n"))
    return sample


def workspace(root: Path) -> Workspace:
    return Workspace.open(root)


def client(fake: FakeWordPress, ws: Workspace):
    return sync.connect(ws, transport=fake.transport())


def publish(fake, root, ref, **kwargs):
    ws = workspace(root)
    return sync.publish(ws, ref, client=client(fake, ws), **kwargs)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but the caches and the lock file."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith((".blog/cache", ".blog/lock"))
    }


def record(root: Path, rel: str) -> dict:
    text = (root / rel).read_text()
    return yaml.safe_load(text.split("---\n")[1])["wordpress"]


# -- publishing --------------------------------------------------------------------------------


def test_publish_creates_the_post_records_it_and_a_second_publish_updates_the_same_post(blog, fake):
    result = publish(fake, blog, "why-the-night-bus")
    assert result.created and result.status == "publish"
    [post] = fake.posts.values()
    assert post["slug"] == "why-the-night-bus" and post["title"] == "Why the Night Bus?"
    assert post["date_gmt"] == "2026-11-02T09:00:00"
    assert post["excerpt"].startswith("Starting a term-long notebook")
    assert {fake.terms["tags"][t]["name"] for t in post["tags"]} == {"transport", "cities", "fieldwork"}
    assert [fake.terms["categories"][c]["name"] for c in post["categories"]] == ["The Night Bus Notebook"]
    assert "<strong>N29</strong>" in post["content"] and 'data-blogcli="series-head"' in post["content"]
    saved = record(blog, "published/why-the-night-bus.md")
    assert saved["id"] == post["id"] and saved["url"] == f"{SITE}why-the-night-bus/"
    assert saved["modified"] == post["modified_gmt"]
    path = blog / "published" / "why-the-night-bus.md"
    path.write_text(path.read_text() + "\nOne more thing.\n")
    again = publish(fake, blog, "why-the-night-bus")
    assert not again.created and again.id == post["id"] and len(fake.posts) == 1
    assert "One more thing." in fake.posts[post["id"]]["content"]


def test_publishing_a_draft_publishes_it_here_too_with_its_image_uploaded_once(blog, fake):
    result = publish(fake, blog, "drawing-the-timetable")
    assert result.local is not None and result.local.rel == "published/drawing-the-timetable.md"
    assert not (blog / "drafts" / "drawing-the-timetable.md").exists()
    [media] = fake.media.values()
    assert fake.posts[result.id]["featured_media"] == media["id"]
    assert result.uploaded == ["static/images/cover.png"]
    assert record(blog, "published/drawing-the-timetable.md")["media"] == media["id"]
    publish(fake, blog, "drawing-the-timetable")
    assert len(fake.media) == 1 and len(fake.posts) == 1


def test_tags_and_the_series_category_are_reused_when_wordpress_has_them(blog, fake):
    fake.terms["tags"][50] = {"id": 50, "name": "Transport", "slug": "transport"}
    fake.terms["categories"][51] = {"id": 51, "name": "The Night Bus Notebook", "slug": "the-night-bus-notebook"}
    publish(fake, blog, "why-the-night-bus")
    publish(fake, blog, "who-rides-after-midnight")
    names = [t["name"].lower() for t in fake.terms["tags"].values()]
    assert sorted(names) == sorted(set(names)), "a tag was made twice"
    assert all(51 in p["categories"] for p in fake.posts.values())
    assert all(50 in p["tags"] for p in fake.posts.values())


def test_publishing_a_later_part_updates_the_earlier_parts_boxes(blog, fake):
    first = publish(fake, blog, "why-the-night-bus")
    assert "Part 1 of 2" in fake.posts[first.id]["content"]  # part 2 is out here, not yet on WordPress
    assert f'href="{SITE}who-rides-after-midnight/"' not in fake.posts[first.id]["content"]
    second = publish(fake, blog, "who-rides-after-midnight")
    assert second.boxes.updated == ["published/why-the-night-bus.md"]
    third = publish(fake, blog, "drawing-the-timetable")
    one, two, three = (fake.posts[r.id]["content"] for r in (first, second, third))
    assert "Part 1 of 3" in one and "Part 2 of 3" in two and "Part 3 of 3" in three
    assert f'href="{SITE}drawing-the-timetable/"' in one and f'href="{SITE}why-the-night-bus/"' in three
    # part 2 promised the timetable; part 3 keeps it: the teaser now links there
    assert "Promised next:" in two and f'<a href="{SITE}drawing-the-timetable/">Read it: Drawing the Timetable' in two
    # the box changed; the record follows, so the next publish sees no edit made on WordPress
    assert record(blog, "published/who-rides-after-midnight.md")["modified"] == fake.posts[second.id]["modified_gmt"]
    publish(fake, blog, "who-rides-after-midnight")


def test_a_box_update_touches_only_the_box_regions_of_an_earlier_part(blog, fake):
    first = publish(fake, blog, "why-the-night-bus")
    before = fake.posts[first.id]["content"]
    publish(fake, blog, "who-rides-after-midnight")
    after = fake.posts[first.id]["content"]
    body = lambda html: wp.replace_regions(html, {wp.HEAD: "", wp.TAIL: ""})  # noqa: E731
    assert body(before) == body(after) and before != after


def test_an_edit_made_on_wordpress_is_refused_then_shown_then_overwritten_with_force(blog, fake):
    first = publish(fake, blog, "why-the-night-bus")
    fake.edit_post(first.id, fake.posts[first.id]["content"].replace("N29", "N30"))  # same second: only the digest tells
    before = snapshot(blog)
    with pytest.raises(RemoteChanged) as refused:
        publish(fake, blog, "why-the-night-bus")
    assert "published/why-the-night-bus.md was changed on WordPress at 2026-11-25" in refused.value.message
    assert "--pull" in refused.value.hint and "--force" in refused.value.hint
    assert snapshot(blog) == before
    ws = workspace(blog)
    shown = sync_status.difference(ws, "why-the-night-bus", client=client(fake, ws))
    removed = [line for line in shown.diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in shown.diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1
    assert "<strong>N30</strong>" in removed[0] and removed[0][1:].replace("N30", "N29") == added[0][1:]
    publish(fake, blog, "why-the-night-bus", force=True)
    assert "N30" not in fake.posts[first.id]["content"]


def test_an_earlier_part_edited_on_wordpress_keeps_its_edit_and_is_reported(blog, fake):
    first = publish(fake, blog, "why-the-night-bus")
    fake.edit_post(first.id, fake.posts[first.id]["content"] + "<p>Edited there.</p>\n")
    second = publish(fake, blog, "who-rides-after-midnight")
    assert second.boxes.updated == [] and "published/why-the-night-bus.md: changed on WordPress" in second.boxes.skipped[0]
    assert "Edited there." in fake.posts[first.id]["content"]
    assert f'href="{SITE}who-rides-after-midnight/"' not in fake.posts[first.id]["content"]


def test_scheduling_sends_future_and_wordpress_clock_guards_against_publishing_at_once(blog, fake):
    result = publish(fake, blog, "drawing-the-timetable", at="2026-12-07T09:00:00+00:00")
    assert result.status == "future" and fake.posts[result.id]["date_gmt"] == "2026-12-07T09:00:00"
    fake.now = dt.datetime(2026, 12, 8, tzinfo=dt.timezone.utc)  # WordPress's clock is a day past that
    (blog / "drafts" / "late.md").write_text("---\ntitle: Late\n---\n\nText.\n")
    before = snapshot(blog)
    with pytest.raises(BlogError) as refused:
        publish(fake, blog, "late", at="2026-12-07T10:00:00+00:00")
    assert "it would publish the post at once" in refused.value.message and snapshot(blog) == before
    assert len(fake.posts) == 1


def test_a_slug_wordpress_changed_is_reported(blog, fake):
    fake.posts[1] = {"id": 1, "slug": "why-the-night-bus", "status": "publish", "title": "Someone else's", "content": "",
                     "categories": [1], "tags": [], "author": 3, "date_gmt": "2020-01-01T00:00:00", "modified_gmt": "2020-01-01T00:00:00"}
    result = publish(fake, blog, "why-the-night-bus")
    assert result.slug_given == "why-the-night-bus-2" and result.url == f"{SITE}why-the-night-bus-2/"


def test_links_to_posts_not_on_wordpress_point_at_the_site_and_are_reported(blog, fake):
    result = publish(fake, blog, "who-rides-after-midnight")
    assert any("links to why-the-night-bus, which is not on WordPress" in w for w in result.warnings)
    assert 'href="https://example.org/why-the-night-bus/"' in fake.posts[result.id]["content"]
    assert "static/images/n29-tally.svg is not in WordPress's media library (Sorry, you are not allowed to upload this file type.)" in " ".join(result.warnings)
    assert 'src="https://example.org/images/n29-tally.svg"' in fake.posts[result.id]["content"]
    first = publish(fake, blog, "why-the-night-bus")
    again = publish(fake, blog, "who-rides-after-midnight")
    assert not any("not on WordPress" in w for w in again.warnings)
    assert f'href="{first.url}"' in fake.posts[result.id]["content"]


def test_a_dry_run_changes_nothing_anywhere(blog, fake):
    before = snapshot(blog)
    result = publish(fake, blog, "drawing-the-timetable", dry_run=True)
    assert result.dry_run and result.created and result.local is not None
    assert snapshot(blog) == before and fake.posts == {} and fake.media == {}


# -- failures: one line, a hint, nothing changed, a retry safe ----------------------------------

FAILURES = {
    "wrong password": (lambda fake, mp: mp.setenv("BLOG_WORDPRESS_PASSWORD", "wrong"), RemoteAuthError, "did not accept the user 'robin'"),
    "no REST route": (lambda fake, mp: setattr(fake, "style", "absent"), RemoteError, "has no REST route users/me"),
    "timeout": (lambda fake, mp: fake.fail("GET", "users/me", raise_before=httpx.ReadTimeout), RemoteUnreachable, "did not answer within 30 s"),
    "refused": (lambda fake, mp: fake.fail("GET", "users/me", raise_before=_refused), RemoteUnreachable, "connection refused"),
    "server error": (lambda fake, mp: fake.fail("POST", "^posts$", status=500), RemoteError, "failed to create posts (500"),
    "timeout after WordPress made the post": (
        lambda fake, mp: fake.fail("POST", "^posts$", raise_after=httpx.ReadTimeout), RemoteUnreachable, "did not answer"),
    "timeout after the upload": (
        lambda fake, mp: fake.fail("POST", "^media$", raise_after=httpx.ReadTimeout), RemoteUnreachable, "did not answer"),
}


def _refused(message, request=None):
    return httpx.ConnectError("[Errno 111] Connection refused", request=request)


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failure_is_one_line_with_a_hint_changes_nothing_here_and_a_retry_is_safe(blog, fake, monkeypatch, failure):
    arrange, kind, words = FAILURES[failure]
    with monkeypatch.context() as patch:
        arrange(fake, patch)
        before = snapshot(blog)
        with pytest.raises(kind) as failed:
            publish(fake, blog, "drawing-the-timetable")
        assert words in failed.value.message
        assert "\n" not in failed.value.message and failed.value.hint
        assert snapshot(blog) == before
    fake.style, fake.failures = "pretty", []
    result = publish(fake, blog, "drawing-the-timetable")
    assert len(fake.posts) == 1 and len(fake.media) == 1
    assert result.id in fake.posts and record(blog, "published/drawing-the-timetable.md")["id"] == result.id


def test_with_pretty_permalinks_off_the_rest_route_form_is_found(blog, fake):
    fake.style = "hidden"  # no Link header, and /wp-json/ is the theme's 404 page
    result = publish(fake, blog, "why-the-night-bus")
    assert result.id in fake.posts


@pytest.mark.parametrize("style", ["plain", "element"])
def test_the_api_root_the_site_announces_is_used(blog, fake, style):
    fake.style = style  # ?rest_route= in the Link header; /wp-json/ in a <link> element of the page
    publish(fake, blog, "why-the-night-bus")
    assert ("POST", "posts") in fake.calls and len(fake.posts) == 1


def test_a_failure_after_wordpress_has_the_post_says_so_and_the_retry_updates_it(blog, fake, monkeypatch):
    monkeypatch.setenv("BLOG_FAULT_WRITE", "ENOSPC:drawing-the-timetable")
    with pytest.raises(BlogError) as failed:
        publish(fake, blog, "drawing-the-timetable")
    assert "WordPress has drafts/drawing-the-timetable.md" in failed.value.message
    assert "run the same command again" in failed.value.hint
    assert (blog / "drafts" / "drawing-the-timetable.md").exists()
    monkeypatch.delenv("BLOG_FAULT_WRITE")
    result = publish(fake, blog, "drawing-the-timetable")
    assert len(fake.posts) == 1 and not result.created


def test_unpublish_makes_the_wordpress_copy_a_draft_and_a_failure_there_changes_nothing(blog, fake):
    first = publish(fake, blog, "why-the-night-bus")
    publish(fake, blog, "who-rides-after-midnight")
    fake.fail("POST", f"posts/{first.id}$", status=503)
    before = snapshot(blog)
    ws = workspace(blog)
    with pytest.raises(RemoteError):
        sync.unpublish(ws, "why-the-night-bus", client=client(fake, ws))
    assert snapshot(blog) == before
    ws = workspace(blog)
    result = sync.unpublish(ws, "why-the-night-bus", client=client(fake, ws))
    assert fake.posts[first.id]["status"] == "draft" and result.local is not None
    assert (blog / "drafts" / "why-the-night-bus.md").exists()
    second = next(p for p in fake.posts.values() if p["id"] != first.id)
    assert "Part 2 of 2" in second["content"] and "Why the Night Bus?" not in second["content"]
    republished = publish(fake, blog, "why-the-night-bus")  # the same WordPress post comes back
    assert republished.id == first.id and fake.posts[first.id]["status"] == "publish" and len(fake.posts) == 2


# -- status ------------------------------------------------------------------------------------


def test_status_tells_local_only_in_sync_changed_here_and_changed_there(blog, fake):
    publish(fake, blog, "why-the-night-bus")
    second = publish(fake, blog, "who-rides-after-midnight")
    publish(fake, blog, "about-this-notebook")
    path = blog / "published" / "about-this-notebook.md"
    path.write_text(path.read_text() + "\nAdded here.\n")
    fake.edit_post(second.id, "<p>Rewritten there.</p>")
    ws = workspace(blog)
    states = {s.rel: s.state for s in sync_status.status(ws, client=client(fake, ws))}
    assert states == {
        "published/why-the-night-bus.md": sync_status.IN_SYNC,
        "published/who-rides-after-midnight.md": sync_status.CHANGED_THERE,
        "published/about-this-notebook.md": sync_status.CHANGED_HERE,
    }
    (blog / "drafts" / "drawing-the-timetable.md").rename(blog / "published" / "drawing-the-timetable.md")
    ws = workspace(blog)
    states = {s.rel: s.state for s in sync_status.status(ws, client=client(fake, ws))}
    assert states["published/drawing-the-timetable.md"] == sync_status.LOCAL_ONLY


# -- comments ----------------------------------------------------------------------------------


def _comment(fake, post_id, comment_id, parent=0, author=0, status="approved", **extra):
    fake.comments[comment_id] = {
        "id": comment_id, "post": post_id, "parent": parent, "author": author, "author_name": f"Reader {comment_id}",
        "author_url": "", "author_email": f"reader{comment_id}@mail.example", "author_ip": "203.0.113.9",
        "date_gmt": f"2026-11-2{comment_id % 10}T08:00:00", "content": {"raw": f"Comment {comment_id}.", "rendered": ""},
        "type": "comment", "status": status, **extra,
    }


def test_pull_brings_approved_threaded_comments_page_by_page_without_emails_or_duplicates(blog, fake):
    first = publish(fake, blog, "why-the-night-bus")
    for n in range(1, 151):
        _comment(fake, first.id, n)
    _comment(fake, first.id, 201, parent=3, author=7)  # the author's reply
    _comment(fake, first.id, 202, status="hold")
    ws = workspace(blog)
    result = pull_comments(ws, client=client(fake, ws))
    assert result.added == 151
    rel = comments_rel("published/why-the-night-bus.md")
    data = (blog / rel).read_bytes()
    assert b"@mail.example" not in data and b"203.0.113" not in data
    comments = {c.id: c for c in parse_comments(data, rel, dt.timezone.utc)}
    assert len(comments) == 151 and "wp-202" not in comments
    reply = comments["wp-201"]
    assert reply.parent == "wp-3" and reply.by_author and not comments["wp-3"].by_author
    ws = workspace(blog)
    again = pull_comments(ws, "why-the-night-bus", client=client(fake, ws))
    assert again.added == 0 and (blog / rel).read_bytes() == data


def test_pull_keeps_comments_already_in_the_file(blog, fake):
    first = publish(fake, blog, "why-the-night-bus")
    _comment(fake, first.id, 5)
    rel = comments_rel("published/why-the-night-bus.md")
    (blog / rel).write_text("- id: wp-5\n  author: Reader 5\n  body: Corrected by hand.\n- id: mine\n  author: Me\n  body: Local.\n")
    ws = workspace(blog)
    assert pull_comments(ws, client=client(fake, ws)).added == 0
    assert "Corrected by hand." in (blog / rel).read_text()


# -- the target's settings ---------------------------------------------------------------------


def test_a_password_in_blog_toml_is_refused_saying_why(blog, cli):
    with open(blog / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write('password = "hunter2"\n')
    result = cli("publish", "why-the-night-bus", "--to", "wordpress")
    assert result.exit_code == 1
    assert "[publish.wordpress] password: a password in blog.toml ends up in every backup and commit" in result.stderr
    assert "hint: remove it; set BLOG_WORDPRESS_PASSWORD" in result.stderr


def test_password_command_runs_without_a_shell(blog, monkeypatch, tmp_path):
    from blogcli.publishing.wordpress.target import credentials, wordpress_target

    script = tmp_path / "pass word.py"
    script.write_text("import sys\nprint('from-the-command ' + ' '.join(sys.argv[1:]))\nprint('second line')\n")
    command = shlex.join([sys.executable, str(script), "a;b", "$(touch pwned)"])
    with open(blog / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write(f"password_command = {json.dumps(command)}\n")
    monkeypatch.delenv("BLOG_WORDPRESS_PASSWORD")
    monkeypatch.chdir(tmp_path)
    found = credentials(wordpress_target(workspace(blog).config))
    assert found.secret == "from-the-command a;b $(touch pwned)" and found.user == USER
    assert not (tmp_path / "pwned").exists()


def test_a_failing_password_command_is_a_clear_error(blog, monkeypatch):
    from blogcli.publishing.wordpress.target import credentials, wordpress_target

    with open(blog / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write('password_command = "false"\n')
    monkeypatch.delenv("BLOG_WORDPRESS_PASSWORD")
    with pytest.raises(ConfigError, match=r"password_command: false failed \(exit status 1\)"):
        credentials(wordpress_target(workspace(blog).config))


@pytest.mark.parametrize(
    "table, message",
    [
        ('url = "http://blog.example/"\nuser = "robin"\n', "would send your password unencrypted"),
        ('url = "https://blog.example/"\n', "needs user"),
        ('url = "https://blog.example/"\nuser = "robin"\npasword_command = "x"\n', "has no setting 'pasword_command'"),
        ('user = "robin"\n', "needs url"),
        ('url = "https://blog.example/"\nuser = "robin"\ntimeout = "soon"\n', "timeout must be a number"),
    ],
)
def test_bad_target_settings_are_named(sample, table, message):
    from blogcli.publishing.wordpress.target import wordpress_target

    with open(sample / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write("\n[publish.wordpress]\n" + table)
    with pytest.raises(ConfigError, match=message):
        wordpress_target(workspace(sample).config)


def test_publish_targets_in_blog_toml_are_checked(sample, cli):
    with open(sample / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[publish]\ntargets = ["site", "medium"]\n')
    result = cli("list")
    assert result.exit_code == 1 and "[publish] targets must be a list of site, wordpress" in result.stderr


def test_an_unknown_to_target_is_a_usage_error(sample, cli):
    result = cli("publish", "drawing-the-timetable", "--to", "medium")
    assert result.exit_code == 2 and "'medium' is not a target" in result.stderr


def test_targets_wordpress_in_blog_toml_makes_publish_go_there(blog, cli):
    with open(blog / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[publish]\ntargets = ["site", "wordpress"]\n')
    result = cli("publish", "drawing-the-timetable")  # no WordPress at blog.example: it must try, and fail cleanly
    assert result.exit_code == 1 and result.stderr.startswith("error: cannot reach WordPress at https://blog.example/")
    assert (blog / "drafts" / "drawing-the-timetable.md").exists()


def test_a_refused_connection_is_one_error_line_and_a_hint_from_the_cli(sample, cli, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    with open(sample / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write(f'\n[publish.wordpress]\nurl = "http://127.0.0.1:{port}/"\nuser = "robin"\n')
    monkeypatch.setenv("BLOG_WORDPRESS_PASSWORD", "x")
    before = snapshot(sample)
    result = cli("publish", "drawing-the-timetable", "--to", "wordpress")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: cannot reach WordPress at http://127.0.0.1:{port}/: connection refused"
    assert lines[1].startswith("hint: ") and len(lines) == 2
    assert snapshot(sample) == before


def test_a_bearer_token_is_sent_for_wordpress_com(sample, monkeypatch):
    from blogcli.publishing.wordpress.client import open_client
    from blogcli.publishing.wordpress.target import wordpress_target

    with open(sample / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[publish.wordpress]\napi = "https://public-api.wordpress.com/wp/v2/sites/robin.example/"\n'
                   'token_command = "printf t0ken"\n')
    seen = []

    def handler(request):
        seen.append((str(request.url), request.headers.get("Authorization")))
        return httpx.Response(200, json={"id": 1})

    open_client(wordpress_target(workspace(sample).config), transport=httpx.MockTransport(handler))
    assert seen == [("https://public-api.wordpress.com/wp/v2/sites/robin.example/users/me?context=edit&_fields=id", "Bearer t0ken")]


# -- content -----------------------------------------------------------------------------------


def test_wrapped_lines_are_joined_so_wpautop_adds_no_line_breaks_and_code_is_left_plain():
    html = wp.render_body(
        "One line\nwrapped *here*\nand there.\n\n- a\n- b\n\n```python\nx = 1\ny = 2\n```\n",
        "cmark", lambda slug: None, lambda path: None, "https://example.org/",
    ).html
    assert "<p>One line wrapped <em>here</em> and there.</p>" in html
    assert '<pre><code class="language-python">x = 1\ny = 2\n</code></pre>' in html
    assert "<li>a</li>\n<li>b</li>" in html


def test_links_to_posts_and_images_point_at_wordpress_when_they_are_there():
    rendered = wp.render_body(
        "[one](why-the-night-bus.md#end) [two](who-rides.md) ![x](/images/a.png) ![y](images/b.png)",
        "cmark",
        lambda slug: "https://wp.example/why/" if slug == "why-the-night-bus" else None,
        lambda path: "https://wp.example/up/a.png" if path == "images/a.png" else None,
        "https://example.org/",
    )
    assert 'href="https://wp.example/why/#end"' in rendered.html and 'href="https://example.org/who-rides/"' in rendered.html
    assert 'src="https://wp.example/up/a.png"' in rendered.html and 'src="https://example.org/images/b.png"' in rendered.html
    assert rendered.unlinked_posts == ["who-rides"] and rendered.local_images == ["images/b.png"]


def test_the_record_is_one_front_matter_line_that_reads_back(blog, fake):
    publish(fake, blog, "why-the-night-bus")
    lines = (blog / "published" / "why-the-night-bus.md").read_text().splitlines()
    [line] = [l for l in lines if l.startswith("wordpress:")]
    assert line.startswith("wordpress: {id: ")
    original = (Path(__file__).parent.parent / "published" / "why-the-night-bus.md").read_text().splitlines()
    assert [l for l in lines if not l.startswith("wordpress:")] == original


def test_httpx_loads_only_when_a_command_talks_to_wordpress(sample):
    from test_startup import loaded_after, run_entry

    assert "httpx" not in loaded_after(run_entry("publish", "drawing-the-timetable", "--dry-run"))
    assert "httpx" not in loaded_after(run_entry("status", "--help"))


@pytest.mark.parametrize("url", ["https://blog.example/2026/11/x/", "http://127.0.0.1:8080/?p=6", "https://b.example/a#b, c: d"])
def test_the_record_line_reads_back_with_every_yaml_parser(url):
    from blogcli.model.document import yaml_value

    value = {"id": 6, "url": url, "modified": "2026-11-30T15:09:01", "digest": "0123abcd", "source": "12", "media": 7}
    line = "wordpress: " + yaml_value(value)
    assert yaml.load(line, Loader=yaml.SafeLoader) == {"wordpress": value}  # pure Python
    assert yaml.load(line, Loader=yaml.CSafeLoader) == {"wordpress": value}  # libyaml


def test_a_scheduled_post_records_the_address_it_will_have():
    remote = {"id": 6, "status": "future", "link": "https://b.example/?p=6", "slug": "later",
              "permalink_template": "https://b.example/2026/12/%postname%/"}
    assert public_url(remote) == "https://b.example/2026/12/later/"
    assert public_url({**remote, "status": "publish", "link": "https://b.example/2026/12/later/"}) == "https://b.example/2026/12/later/"


def test_a_post_linked_to_wordpress_by_hand_is_not_overwritten_without_force(blog, fake):
    fake.posts[9] = {"id": 9, "slug": "why-the-night-bus", "status": "publish", "title": "Why the Night Bus?",
                     "content": "<p>The original, imported.</p>", "categories": [1], "tags": [], "author": 7,
                     "date_gmt": "2016-05-01T00:00:00", "modified_gmt": "2016-05-01T00:00:00"}
    path = blog / "published" / "why-the-night-bus.md"
    path.write_text(path.read_text().replace("part: 1\n", "part: 1\nwordpress: {id: 9, url: \"https://blog.example/why/\"}\n"))
    with pytest.raises(RemoteChanged, match="names WordPress post 9, which blogcli has not published there yet"):
        publish(fake, blog, "why-the-night-bus")
    result = publish(fake, blog, "why-the-night-bus", force=True)
    assert result.id == 9 and len(fake.posts) == 1 and "N29" in fake.posts[9]["content"]


def test_a_pulled_comment_reads_as_the_wordpress_importer_reads_it():
    from blogcli.importers.wp_markup import comment_to_markdown
    from blogcli.publishing.wordpress.comments import comment_from_wordpress

    raw = 'Loved it.\nSee <a href="https://x.example/">my notes</a> &amp; *this*'
    item = {"id": 12, "post": 4, "parent": 9, "author": 3, "author_name": "Jo &amp; Sam", "author_url": "",
            "date_gmt": "2016-05-03T10:12:00", "content": {"raw": raw}, "type": "comment"}
    comment = comment_from_wordpress(item, post_author=3)
    assert comment.body == comment_to_markdown(raw) and comment.author == "Jo & Sam"
    assert (comment.id, comment.parent, comment.by_author, comment.author_url) == ("wp-12", "wp-9", True, None)


@pytest.mark.parametrize("source, linked", [("wordpress:blog.example/?p=9", True), ("wordpress:other.example/?p=9", False)])
def test_a_post_imported_from_the_same_site_is_that_post_there(blog, fake, source, linked):
    fake.posts[9] = {"id": 9, "slug": "why-the-night-bus", "status": "publish", "title": "Why the Night Bus?",
                     "content": "<p>The original, imported.</p>", "categories": [1], "tags": [], "author": 7,
                     "date_gmt": "2016-05-01T00:00:00", "modified_gmt": "2016-05-01T00:00:00"}
    _comment(fake, 9, 12)
    path = blog / "published" / "why-the-night-bus.md"
    path.write_text(path.read_text().replace("part: 1\n", f"part: 1\nsource: {source}\n"))
    ws = workspace(blog)
    states = {s.rel: s.state for s in sync_status.status(ws, client=client(fake, ws))}
    assert states["published/why-the-night-bus.md"] == (sync_status.NOT_PUSHED if linked else sync_status.LOCAL_ONLY)
    ws = workspace(blog)
    pulled = pull_comments(ws, client=client(fake, ws))
    assert pulled.added == (1 if linked else 0)
    if not linked:
        assert publish(fake, blog, "why-the-night-bus").id != 9 and len(fake.posts) == 2  # another site's post: a new one here
        return
    before = snapshot(blog)
    with pytest.raises(RemoteChanged, match="names WordPress post 9, which blogcli has not published there yet"):
        publish(fake, blog, "why-the-night-bus")
    assert snapshot(blog) == before and fake.posts[9]["content"] == "<p>The original, imported.</p>"
    result = publish(fake, blog, "why-the-night-bus", force=True)
    assert result.id == 9 and len(fake.posts) == 1 and record(blog, "published/why-the-night-bus.md")["id"] == 9


# -- the locks: the order every build takes them ------------------------------------------------


def test_a_wordpress_publish_and_unpublish_take_the_build_lock_before_the_workspace_lock(blog, fake, monkeypatch):
    """The workspace lock is held through the network calls and the site's update; a `blog build`
    holds the build lock and takes the workspace lock at its end. Taken the other way round, each
    would wait for the other for ever: the build lock comes first, as in `blog publish`."""
    import blogcli.workspace.store as store

    from test_build_safety import build

    build(blog)
    taken: list[str] = []
    real_lock = store.workspace_lock

    def lock(path, *args, **kwargs):
        taken.append(path.name)
        return real_lock(path, *args, **kwargs)

    monkeypatch.setattr(store, "workspace_lock", lock)
    publish(fake, blog, "drawing-the-timetable")
    assert taken[:2] == ["build.lock", "lock"]
    assert (blog / "site" / "drawing-the-timetable" / "index.html").exists()
    taken.clear()
    ws = workspace(blog)
    sync.unpublish(ws, "drawing-the-timetable", client=client(fake, ws))
    assert taken[:2] == ["build.lock", "lock"]
    assert not (blog / "site" / "drawing-the-timetable" / "index.html").exists()
    taken.clear()
    publish(fake, blog, "drawing-the-timetable", rebuild_site=False)
    assert "build.lock" not in taken
