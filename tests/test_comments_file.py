"""The comments file beside a post: read, written back identically, merged without duplicates."""

import datetime as dt

import pytest

from blogcli.model.comments import Comment, CommentsError, comments_rel, dump_comments, merge_comments, parse_comments

UTC = dt.timezone.utc


def _comment(id, day, body="Nice.\n", **kw):
    return Comment(id=id, author="Jo", date=dt.datetime(2016, 5, day, 10, tzinfo=UTC), body=body, **kw)


def test_the_file_sits_beside_its_post():
    assert comments_rel("published/why-the-night-bus.md") == "published/why-the-night-bus.comments.yaml"


def test_dump_then_parse_gives_the_comments_back_oldest_first():
    comments = [
        _comment("wp-2", 4, "A reply\nover two lines.\n", parent="wp-1", by_author=True),
        _comment("wp-1", 3, "Why assume that?", author_url="https://jo.example/"),
        _comment("wp-3", 5, "Linked from elsewhere.", kind="pingback"),
    ]
    data = dump_comments(comments, UTC)
    back = parse_comments(data, "published/x.comments.yaml", UTC)
    assert [c.id for c in back] == ["wp-1", "wp-2", "wp-3"]
    assert back[1].parent == "wp-1" and back[1].by_author and back[1].body == "A reply\nover two lines.\n"
    assert back[0].author_url == "https://jo.example/" and back[2].kind == "pingback"
    assert dump_comments(back, UTC) == data
    assert b"|" in data  # multi-line bodies are literal blocks, readable in a diff


def test_merge_adds_only_new_ids_and_keeps_local_edits():
    local = [_comment("wp-1", 3, "Edited locally.")]
    merged, added = merge_comments(local, [_comment("wp-1", 3, "Original."), _comment("wp-2", 4)])
    assert added == 1
    assert [c.body for c in merged] == ["Edited locally.", "Nice.\n"]


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("- id: a\n  author: x\n", "missing body"),
        ("id: a\n", "expected a list"),
        ("- id: a\n  author: x\n  body: y\n- id: a\n  author: x\n  body: z\n", "used twice"),
        ("- id: a\n  author: x\n  body: y\n  kind: like\n", "kind 'like'"),
        ("- [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_file_is_named(text, complaint):
    with pytest.raises(CommentsError) as caught:
        parse_comments(text.encode(), "published/x.comments.yaml", UTC)
    assert complaint in caught.value.message and "published/x.comments.yaml" in caught.value.message
