"""`blog comments [REF] [--unanswered] [--json]`: reader comments listed, threaded, pings apart;
and the ones a series still owes an answer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from blogcli.model.comments import Comment, dump_comments

UTC = dt.timezone.utc
FIXTURE = Path(__file__).parent / "fixtures" / "import" / "wordpress" / "blog.xml"


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=UTC)


def post(root: Path, rel: str, title: str, part: int | None, day: int, text: str, comments: list[Comment] = ()) -> None:
    date = f"date: {at(day).isoformat()}\n" if rel.startswith("published/") else ""
    series = f"series: The Night Bus\npart: {part}\n" if part else ""
    (root / rel).write_text(f"---\ntitle: {title}\n{date}{series}---\n\n{text}\n", encoding="utf-8")
    if comments:
        (root / rel.replace(".md", ".comments.yaml")).write_bytes(dump_comments(list(comments), UTC))


@pytest.fixture
def series(empty_blog):
    root = empty_blog
    post(root, "published/part-one.md", "Part One", 1, 2, "The first part.",
         [Comment("c1", "Old Reader", at(3), "An old question.")])
    post(root, "published/part-two.md", "Part Two", 2, 9, "The second part.", [
        Comment("wp-11", "Jo Reader", at(10), "You assume progress is good."),
        Comment("wp-12", "Sam Park", at(10, 10), "Where are the numbers?"),
        Comment("wp-13", "Robin", at(10, 11), "In part three.", parent="wp-12", by_author=True),
        Comment("wp-14", "Ana Lima", at(10, 12), "What about the markets?"),
        Comment("wp-15", "Jo Reader", at(11), "And a follow-up.", parent="wp-14"),
        Comment("wp-16", "Another Blog", at(12), "[…] linked […]", kind="pingback", author_url="https://another.example/"),
    ])
    post(root, "drafts/part-three.md", "Part Three", 3, 16, "As Jo Reader asked last week: is it progress?")
    post(root, "published/standalone.md", "Standalone", None, 5, "No series.",
         [Comment("s1", "Someone", at(6), "Nice.")])
    return root


def test_comments_of_one_post_are_threaded_with_pings_apart(series, cli):
    result = cli("comments", "part-two")
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == "Part Two (published/part-two.md, 5 comments)"
    assert lines[1:5] == ["  Jo Reader · 2026-11-10 09:00", "  You assume progress is good.",
                          "  Sam Park · 2026-11-10 10:00", "  Where are the numbers?"]
    assert lines[5:7] == ["    ↳ Robin (author) · 2026-11-10 11:00", "      In part three."]
    assert "  pingbacks and trackbacks:" in lines and "    pingback · Another Blog · 2026-11-12 09:00" in lines
    assert "      https://another.example/" in lines


def test_comments_as_json(series, cli):
    [thread] = json.loads(cli("comments", "part-two", "--json").stdout)
    assert thread["post"] == "part-two" and thread["path"] == "published/part-two.md"
    assert [(c["id"], c["depth"]) for c in thread["comments"]] == [("wp-11", 0), ("wp-12", 0), ("wp-13", 1), ("wp-14", 0), ("wp-15", 1)]
    assert [c["kind"] for c in thread["pings"]] == ["pingback"]
    every = json.loads(cli("comments", "--json").stdout)
    assert [t["post"] for t in every] == ["part-two", "standalone", "part-one"]  # newest first


def test_a_post_without_comments_and_a_broken_comments_file(series, cli):
    result = cli("comments", "part-three")
    assert result.exit_code == 0 and "no comments on drafts/part-three.md" in result.stderr
    (series / "published/standalone.comments.yaml").write_text("- not: a comment\n")
    listed = cli("comments")
    assert listed.exit_code == 0 and "published/standalone.comments.yaml: comment 1: missing id, author, body" in listed.stderr
    assert "Part Two" in listed.stdout


def test_unanswered_comments_on_the_latest_part_of_each_series(series, cli):
    result = cli("comments", "--unanswered", "--json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    # wp-11 and wp-15: their author is named in the draft of part three; wp-12: the author replied
    # below it; wp-16: a pingback; part one is not the latest part; the standalone post is in no series.
    assert [(c["id"], c["series"], c["part"], c["post"]) for c in found] == [("wp-14", "The Night Bus", 2, "part-two")]
    text = cli("comments", "--unanswered")
    assert "The Night Bus — part 2 · Part Two (published/part-two.md)" in text.stdout
    assert "1 to answer" in text.stdout


def test_a_later_part_answers_by_linking_to_the_comment(series, cli):
    post(series, "drafts/part-three.md", "Part Three", 3, 16, "Answering [Ana](part-two.md#comment-14) and [Jo](part-two.md#comment-15).")
    found = json.loads(cli("comments", "--unanswered", "--json").stdout)
    assert [c["id"] for c in found] == ["wp-11"]  # no longer named in part three


def test_unanswered_takes_no_post(series, cli):
    result = cli("comments", "part-two", "--unanswered")
    assert result.exit_code == 2


def test_imported_comments_are_listed(empty_blog, cli):
    assert cli("import", "wordpress", str(FIXTURE)).exit_code == 0
    [thread] = json.loads(cli("comments", "fish-and-chips", "--json").stdout)
    assert [c["author"] for c in thread["comments"]] == ["Jo Reader", "Kim Lee", "Ria Replies"]
    assert [c["kind"] for c in thread["pings"]] == ["pingback", "trackback"]
    every = json.loads(cli("comments", "--json").stdout)
    assert {t["path"] for t in every} == {"published/fish-and-chips.md", "pages/contact.md"}


def test_comments_move_with_their_post(series, cli):
    post(series, "drafts/with-talk.md", "With Talk", None, 20, "A draft readers saw.",
         [Comment("d1", "Early Reader", at(20), "Looking forward.")])
    steps = [
        (("rename", "with-talk", "With More Talk"), "drafts/with-more-talk"),
        (("publish", "with-more-talk", "--force"), "published/with-more-talk"),
        (("unpublish", "with-more-talk"), "drafts/with-more-talk"),
    ]
    for args, where in steps:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert [f.name for f in series.rglob("*with*talk.comments.yaml")] == [f"{where.split('/')[1]}.comments.yaml"]
        assert (series / f"{where}.comments.yaml").is_file(), args
    assert cli("delete", "with-more-talk").exit_code == 0
    assert not (series / "drafts/with-more-talk.comments.yaml").exists()
    assert len(list((series / ".blog/trash").glob("*/with-more-talk.comments.yaml"))) == 1
    assert cli("restore", "with-more-talk").exit_code == 0
    [thread] = json.loads(cli("comments", "with-more-talk", "--json").stdout)
    assert [c["author"] for c in thread["comments"]] == ["Early Reader"]


def test_comments_meeting_a_left_behind_file_are_merged_not_lost(series, cli):
    post(series, "drafts/coming.md", "Coming", None, 20, "Text.", [Comment("new-1", "Reader", at(21), "New words.")])
    (series / "published/coming.comments.yaml").write_bytes(dump_comments([Comment("old-1", "Old", at(1), "Old words.")], UTC))
    assert cli("publish", "coming", "--force").exit_code == 0
    [thread] = json.loads(cli("comments", "coming", "--json").stdout)
    assert [c["id"] for c in thread["comments"]] == ["old-1", "new-1"] and not (series / "drafts/coming.comments.yaml").exists()
