"""`--to wordpress` against a real WordPress (Debian's 6.1, MariaDB, `php -S`), started once.

tests/wordpress_server.py starts it (~3-10 s). Without the packages these tests are skipped with
the reason, except in CI (`CI` set), where a WordPress that cannot start is a failure. The server
is shared by the module, so every test writes posts of its own (own slugs, own series).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pytest
import yaml

import wordpress_server
from blogcli.model.comments import comments_rel, parse_comments

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082")


def png_of_colour(red: int, green: int, blue: int) -> bytes:
    """A 1×1 PNG of one colour (WordPress checks that an upload is an image)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(bytes([0, red, green, blue]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def wordpress():
    yield from wordpress_server.for_tests()


class Rest:
    """WordPress's REST API as one of its users, to look at or change what blogcli did."""

    def __init__(self, server, user: str, password: str):
        self.http = httpx.Client(base_url=f"{server.url}/wp-json/wp/v2/", auth=(user, password), timeout=60)

    def get(self, route: str, **params):
        response = self.http.get(route, params=params)
        response.raise_for_status()
        return response.json()

    def post(self, route: str, **data):
        response = self.http.post(route, json=data)
        assert response.status_code < 300, response.text
        return response.json()


@pytest.fixture(scope="module")
def admin(wordpress):
    return Rest(wordpress, wordpress.user, wordpress.password)


@pytest.fixture
def blog(tmp_path, monkeypatch, wordpress) -> Path:
    """An empty blog publishing to the test WordPress, on the real clock (WordPress's)."""
    from blogcli.ops.drafts import init_workspace

    root = tmp_path / "blog"
    init_workspace(root, "Live", "Tester", base_url="https://live.example/")  # the static site's address
    with open(root / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write(f'\n[publish.wordpress]\nurl = "{wordpress.url}/"\nuser = "{wordpress.user}"\n')
    (root / "static" / "images").mkdir(parents=True)
    monkeypatch.setenv("BLOG_ROOT", str(root))
    monkeypatch.setenv("BLOG_WORDPRESS_PASSWORD", wordpress.password)
    monkeypatch.delenv("BLOG_NOW")
    return root


def draft(root: Path, slug: str, title: str, body: str, **front) -> Path:
    header = {"title": title, **front}
    path = root / "drafts" / f"{slug}.md"
    path.write_text("---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True) + "---\n\n" + body)
    return path


def record(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n")[1])["wordpress"]


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def test_first_publish_and_republish_update_the_same_post(blog, cli, admin, monkeypatch):
    draft(blog, "live-first", "Live: First Words", "A paragraph written\nover three lines\nin the editor.\n\n```python\nprint('hi')\n```\n",
          tags=["Night Buses", "fieldwork"], summary="The first one.")
    result = ok(cli("publish", "live-first", "--to", "wordpress"))
    saved = record(blog / "published" / "live-first.md")
    assert result.stdout.strip().splitlines()[-1] == saved["url"]
    post = admin.get(f"posts/{saved['id']}", context="edit")
    assert post["status"] == "publish" and post["slug"] == "live-first" and post["title"]["raw"] == "Live: First Words"
    assert post["excerpt"]["raw"] == "The first one." and saved["modified"] == post["modified_gmt"]
    stamped = yaml.safe_load((blog / "published" / "live-first.md").read_text().split("---\n")[1])["date"]
    assert post["date_gmt"] == stamped.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")  # the date blog publish stamped
    assert sorted(admin.get(f"tags/{t}")["name"] for t in post["tags"]) == ["Night Buses", "fieldwork"]
    rendered = post["content"]["rendered"]  # what readers get, after WordPress's wpautop
    assert "<p>A paragraph written over three lines in the editor.</p>" in rendered and "<br" not in rendered
    assert '<pre><code class="language-python">print(' in rendered and 'class="highlight"' not in rendered  # left plain
    assert "<p><div" not in rendered and "<p></p>" not in rendered

    path = blog / "published" / "live-first.md"
    path.write_text(path.read_text() + "\nAnd a second thought.\n")
    [row] = json.loads(ok(cli("status", "--to", "wordpress", "--json")).stdout)
    assert row["state"] == "changed locally" and row["id"] == saved["id"]
    ok(cli("publish", "live-first", "--to", "wordpress"))
    assert record(path)["id"] == saved["id"]
    assert "And a second thought." in admin.get(f"posts/{saved['id']}", context="edit")["content"]["raw"]
    assert len(admin.get("posts", search="Live: First Words", status="any")) == 1
    [row] = json.loads(ok(cli("status", "--to", "wordpress", "--json")).stdout)
    assert row["state"] == "in sync"
    monkeypatch.setenv("COLUMNS", "60")
    table = ok(cli("status", "--to", "wordpress")).stdout
    assert "in sync" in table and "published/live-first.md" in table and f"publish #{saved['id']}" in table
    assert max(len(line) for line in table.splitlines()) <= 60 and "\x1b" not in table


def test_a_scheduled_post_is_future_on_wordpress(blog, cli, admin):
    draft(blog, "live-later", "Live: Later", "Not yet.\n")
    when = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(microsecond=0)
    ok(cli("publish", "live-later", "--to", "wordpress", "--at", when.isoformat()))
    post = admin.get(f"posts/{record(blog / 'published' / 'live-later.md')['id']}", context="edit")
    assert post["status"] == "future" and post["date_gmt"] == when.strftime("%Y-%m-%dT%H:%M:%S")


def test_a_series_of_three_parts_keeps_every_box_up_to_date(blog, cli, admin):
    series = {"series": "Live Buses"}
    draft(blog, "live-bus-one", "Live Bus One", "Where it starts. Next week I'll look at the drivers' rota.\n", part=1, **series)
    draft(blog, "live-bus-two", "Live Bus Two", "The drivers' rota, as promised.\n", part=2, fulfils="live-bus-one", **series)
    draft(blog, "live-bus-three", "Live Bus Three", "The depot.\n", part=3, **series)
    for slug in ("live-bus-one", "live-bus-two", "live-bus-three"):
        ok(cli("publish", slug, "--to", "wordpress"))
    one, two, three = (record(blog / "published" / f"live-bus-{n}.md") for n in ("one", "two", "three"))
    first = admin.get(f"posts/{one['id']}", context="edit")["content"]["raw"]
    assert "Part 1 of 3" in first
    assert f'<a href="{two["url"]}">Live Bus Two</a>' in first and f'<a href="{three["url"]}">Live Bus Three</a>' in first
    assert f'Promised next:</strong> The drivers&#x27; rota. <a href="{two["url"]}">Read it: Live Bus Two →</a>' in first
    assert "Part 3 of 3" in admin.get(f"posts/{three['id']}", context="edit")["content"]["raw"]
    [category] = admin.get("categories", search="Live Buses")
    assert all(category["id"] in admin.get(f"posts/{r['id']}")["categories"] for r in (one, two, three))
    states = {row["path"]: row["state"] for row in json.loads(ok(cli("status", "--to", "wordpress", "--json")).stdout)}
    assert set(states.values()) == {"in sync"}


def test_tags_and_categories_wordpress_has_are_reused(blog, cli, admin):
    tag = admin.post("tags", name="Live Reused Tag")
    category = admin.post("categories", name="Live Reused Series")
    draft(blog, "live-terms", "Live Terms", "Words.\n", tags=["live reused tag", "Live Fresh Tag"], series="Live Reused Series")
    ok(cli("publish", "live-terms", "--to", "wordpress"))
    post = admin.get(f"posts/{record(blog / 'published' / 'live-terms.md')['id']}")
    assert tag["id"] in post["tags"] and post["categories"] == [category["id"]]
    assert len(admin.get("tags", search="Live Reused Tag")) == 1 and len(admin.get("tags", search="Live Fresh Tag")) == 1


def test_the_featured_image_is_uploaded_once(blog, cli, admin, wordpress):
    (blog / "static" / "images" / "live-cover.png").write_bytes(PNG)
    draft(blog, "live-image", "Live Image", "With a picture: ![cover](images/live-cover.png)\n", image="images/live-cover.png")
    ok(cli("publish", "live-image", "--to", "wordpress"))
    ok(cli("publish", "live-image", "--to", "wordpress"))
    saved = record(blog / "published" / "live-image.md")
    post = admin.get(f"posts/{saved['id']}", context="edit")
    assert post["featured_media"] == saved["media"]
    [media] = [m for m in admin.get("media", per_page=100) if m["source_url"].endswith(".png") and "live-cover" in m["source_url"]]
    assert media["id"] == saved["media"] and f'src="{media["source_url"]}"' in post["content"]["raw"]
    assert httpx.get(media["source_url"]).content == PNG


def test_an_edit_made_on_wordpress_is_refused_shown_and_overwritten_only_with_force(blog, cli, admin):
    path = draft(blog, "live-edited", "Live Edited", "My own words.\n")
    ok(cli("publish", "live-edited", "--to", "wordpress"))
    saved = record(blog / "published" / "live-edited.md")
    content = admin.get(f"posts/{saved['id']}", context="edit")["content"]["raw"]
    admin.post(f"posts/{saved['id']}", content=content.replace("My own words.", "Words changed on WordPress."))
    draft(blog, "live-unsent", "Live Unsent", "Only here.\n")
    ok(cli("publish", "live-unsent"))  # on the site only (drafts are listed once they are on WordPress)
    states = {row["path"]: row["state"] for row in json.loads(ok(cli("status", "--to", "wordpress", "--json")).stdout)}
    assert states == {"published/live-edited.md": "changed on WordPress", "published/live-unsent.md": "local only"}
    before = (blog / "published" / "live-edited.md").read_bytes()
    refused = cli("publish", "live-edited", "--to", "wordpress")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: published/live-edited.md was changed on WordPress at ")
    assert "--pull" in refused.stderr and (blog / "published" / "live-edited.md").read_bytes() == before
    shown = ok(cli("publish", "live-edited", "--pull"))
    assert "-<p>Words changed on WordPress.</p>" in shown.stdout and "+<p>My own words.</p>" in shown.stdout
    ok(cli("publish", "live-edited", "--to", "wordpress", "--force"))
    assert "My own words." in admin.get(f"posts/{saved['id']}", context="edit")["content"]["raw"]
    assert path.exists() is False


def test_an_edit_made_on_wordpress_in_the_same_second_is_caught_by_the_digest(blog, cli, admin, wordpress):
    draft(blog, "live-same-second", "Live Same Second", "Mine.\n")
    ok(cli("publish", "live-same-second", "--to", "wordpress"))
    saved = record(blog / "published" / "live-same-second.md")
    wordpress_server.php(wordpress, f"""
        global $wpdb;  // what an edit within the pushed second looks like: modified_gmt as it was
        $wpdb->query($wpdb->prepare("UPDATE $wpdb->posts SET post_content = REPLACE(post_content, 'Mine.', 'Theirs.') WHERE ID = %d", {saved['id']}));
        clean_post_cache({saved['id']});""")
    post = admin.get(f"posts/{saved['id']}", context="edit")
    assert "Theirs." in post["content"]["raw"] and post["modified_gmt"] == saved["modified"]
    before = (blog / "published" / "live-same-second.md").read_bytes()
    refused = cli("publish", "live-same-second", "--to", "wordpress")
    assert refused.exit_code == 1 and refused.stderr.startswith("error: published/live-same-second.md was changed on WordPress")
    assert (blog / "published" / "live-same-second.md").read_bytes() == before
    assert "Theirs." in admin.get(f"posts/{saved['id']}", context="edit")["content"]["raw"]


def test_a_slug_taken_on_wordpress_is_reported(blog, cli, admin):
    admin.post("posts", title="Someone Else's", slug="live-taken", status="publish", content="Theirs.")
    draft(blog, "live-taken", "Live Taken", "Mine.\n")
    result = ok(cli("publish", "live-taken", "--to", "wordpress"))
    assert "WordPress gave it the slug 'live-taken-2' (another post there has 'live-taken')" in result.stderr
    saved = record(blog / "published" / "live-taken.md")
    assert admin.get(f"posts/{saved['id']}")["slug"] == "live-taken-2" and saved["url"].endswith("/live-taken-2/")


@pytest.fixture
def plain_permalinks(wordpress):
    """The site with pretty permalinks off (its web server without WordPress's rewrite rules)."""
    wordpress_server.set_pretty_permalinks(wordpress, False)
    yield wordpress
    wordpress_server.set_pretty_permalinks(wordpress, True)


def test_with_pretty_permalinks_off_the_api_is_found_and_a_missing_route_is_one_error(blog, cli, plain_permalinks):
    def titled(title: str) -> list[str]:  # asked inside WordPress: its REST API is not at wp-json/ now
        code = f"echo json_encode(array_map('get_post_status', get_posts(array('title' => {title!r}, 'post_status' => 'any'))));"
        return json.loads(wordpress_server.php(plain_permalinks, code))

    assert httpx.get(f"{plain_permalinks.url}/wp-json/").status_code == 404
    draft(blog, "live-plain", "Live Plain", "Words.\n")
    ok(cli("publish", "live-plain", "--to", "wordpress"))  # through the ?rest_route= form WordPress announces
    assert titled("Live Plain") == ["publish"] and "?p=" in record(blog / "published" / "live-plain.md")["url"]

    path = draft(blog, "live-no-route", "Live No Route", "Words.\n")
    with open(blog / "blog.toml", "a", encoding="utf-8") as toml:
        toml.write(f'api = "{plain_permalinks.url}/wp-json/"\n')
    result = cli("publish", "live-no-route", "--to", "wordpress")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: WordPress at {plain_permalinks.url}/ has no REST route users/me (404 Not Found)" and lines[1].startswith("hint: ") and len(lines) == 2
    assert path.exists() and not (blog / "published" / "live-no-route.md").exists() and titled("Live No Route") == []


def test_a_server_error_changes_nothing_here_and_the_retry_makes_one_post_and_one_upload(blog, cli, admin, wordpress):
    (blog / "static" / "images" / "live-5xx.png").write_bytes(png_of_colour(0xC0, 0x50, 0x50))  # bytes no other test uploads
    path = draft(blog, "live-5xx", "Live Server Error", "Words.\n", image="images/live-5xx.png")
    before = path.read_bytes()
    wordpress_server.fail_requests(wordpress, "POST", "#^/wp/v2/posts$#")  # after the image is uploaded
    try:
        result = cli("publish", "live-5xx", "--to", "wordpress")
    finally:
        wordpress_server.fail_requests(wordpress)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: WordPress at {wordpress.url}/ failed to create posts (503 ") and lines[1].startswith("hint: ") and len(lines) == 2
    assert path.read_bytes() == before and not (blog / "published" / "live-5xx.md").exists()
    assert admin.get("posts", search="Live Server Error", status="any") == []
    ok(cli("publish", "live-5xx", "--to", "wordpress"))
    assert len(admin.get("posts", search="Live Server Error", status="any")) == 1
    saved = record(blog / "published" / "live-5xx.md")
    assert [m["id"] for m in admin.get("media", per_page=100) if "live-5xx" in m["source_url"]] == [saved["media"]]


def test_comments_are_pulled_threaded_without_email_addresses(blog, cli, admin, wordpress):
    draft(blog, "live-talk", "Live Talk", "Tell me what you think.\n")
    ok(cli("publish", "live-talk", "--to", "wordpress"))
    post_id = record(blog / "published" / "live-talk.md")["id"]
    reader = Rest(wordpress, wordpress.reader, wordpress.reader_password)
    asked = reader.post("comments", post=post_id, content="Fantastic area of research!\n\nPlaying devil's advocate here.")
    admin.post(f"comments/{asked['id']}", status="approved")
    answer = admin.post("comments", post=post_id, parent=asked["id"], content="Thank you, Jo.")
    held = reader.post("comments", post=post_id, content="Not approved yet.")
    assert admin.post(f"comments/{held['id']}", status="hold")["status"] == "hold"  # back in the moderation queue
    pulled = ok(cli("comments", "--pull", "--json"))
    assert "WordPress: 2 new comments in published/live-talk.comments.yaml" in pulled.stderr
    [thread] = [t for t in json.loads(pulled.stdout) if t["path"] == "published/live-talk.md"]
    assert [c["author"] for c in thread["comments"]] == ["Jo Reader", "admin"]
    rel = comments_rel("published/live-talk.md")
    data = (blog / rel).read_bytes()
    assert b"@example.invalid" not in data and b"Not approved yet" not in data
    first, reply = parse_comments(data, rel, dt.timezone.utc)
    assert (first.id, first.author, first.author_url, first.by_author) == (f"wp-{asked['id']}", "Jo Reader", "https://jo.example/", False)
    assert first.body == "Fantastic area of research!\n\nPlaying devil's advocate here.\n"  # a block ends with its newline
    assert (reply.id, reply.parent, reply.by_author) == (f"wp-{answer['id']}", f"wp-{asked['id']}", True)
    again = ok(cli("comments", "live-talk", "--pull"))
    assert "WordPress: no new comments" in again.stderr and (blog / rel).read_bytes() == data


def test_comments_are_pulled_page_by_page(blog, cli, wordpress):
    draft(blog, "live-busy", "Live Busy", "Everyone has a view.\n")
    ok(cli("publish", "live-busy", "--to", "wordpress"))
    post_id = record(blog / "published" / "live-busy.md")["id"]
    wordpress_server.php(wordpress, f"""for ($n = 1; $n <= 130; $n++) {{  // more than one page of 100
        wp_insert_comment(array('comment_post_ID' => {post_id}, 'comment_approved' => 1, 'comment_author' => "Reader $n",
            'comment_author_email' => "reader$n@example.invalid", 'comment_content' => "View number $n."));
    }}""")
    pulled = ok(cli("comments", "live-busy", "--pull"))
    assert "WordPress: 130 new comments in published/live-busy.comments.yaml" in pulled.stderr
    rel = comments_rel("published/live-busy.md")
    bodies = {c.body.strip() for c in parse_comments((blog / rel).read_bytes(), rel, dt.timezone.utc)}
    assert bodies == {f"View number {n}." for n in range(1, 131)}


def test_unpublish_makes_it_a_draft_on_wordpress_and_here(blog, cli, admin):
    draft(blog, "live-gone", "Live Gone", "Soon gone.\n")
    ok(cli("publish", "live-gone", "--to", "wordpress"))
    post_id = record(blog / "published" / "live-gone.md")["id"]
    ok(cli("unpublish", "live-gone", "--to", "wordpress"))
    assert admin.get(f"posts/{post_id}", context="edit")["status"] == "draft"
    assert (blog / "drafts" / "live-gone.md").exists() and not (blog / "published" / "live-gone.md").exists()
    ok(cli("publish", "live-gone", "--to", "wordpress"))
    assert admin.get(f"posts/{post_id}", context="edit")["status"] == "publish"


def test_a_wrong_password_is_one_error_and_changes_nothing(blog, cli, monkeypatch, wordpress):
    path = draft(blog, "live-locked", "Live Locked", "Words.\n")
    monkeypatch.setenv("BLOG_WORDPRESS_PASSWORD", "not the password")
    result = cli("publish", "live-locked", "--to", "wordpress")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: WordPress at {wordpress.url}/ did not accept the user 'admin' and its password (401")
    assert lines[1].startswith("hint: ") and len(lines) == 2
    assert path.exists() and not (blog / "published" / "live-locked.md").exists()


def test_a_timeout_after_wordpress_made_the_post_is_retried_without_a_second_post(blog, admin):
    """The answer to the create is lost (WordPress did make the post): running again finds it."""
    from blogcli.errors import RemoteUnreachable
    from blogcli.publishing.wordpress import sync
    from blogcli.workspace.store import Workspace

    class LosesTheAnswer(httpx.HTTPTransport):
        def handle_request(self, request):
            response = super().handle_request(request)
            if request.method == "POST" and request.url.path.endswith("/wp/v2/posts"):
                response.read()
                raise httpx.ReadTimeout("lost", request=request)
            return response

    draft(blog, "live-lost", "Live Lost Answer", "Words.\n")
    ws = Workspace.open(blog)
    with pytest.raises(RemoteUnreachable):
        sync.publish(ws, "live-lost", client=sync.connect(ws, transport=LosesTheAnswer()))
    assert (blog / "drafts" / "live-lost.md").exists()
    assert len(admin.get("posts", search="Live Lost Answer", status="any")) == 1  # WordPress did make it
    result = sync.publish(Workspace.open(blog), "live-lost")
    assert not result.created and len(admin.get("posts", search="Live Lost Answer", status="any")) == 1
