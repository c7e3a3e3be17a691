"""What a publish does not need is not made: the feed id's URI pattern is compiled only for a
post that has an id to check."""

from __future__ import annotations

from blogcli.ops import check
from blogcli.ops.check import check_publication
from blogcli.workspace.store import Workspace

DRAFT = "drafts/drawing-the-timetable.md"


def test_the_uri_pattern_is_compiled_only_for_a_post_with_an_id(sample):
    ws = Workspace(sample)
    draft = ws.resolve(DRAFT)
    check._uri.cache_clear()
    assert not [p for p in check_publication(ws, draft, ws.now()) if p.code == "bad-feed-id"]
    assert check._uri.cache_info().currsize == 0
    path = sample / DRAFT
    path.write_text(path.read_text().replace("title:", "id: not a uri\ntitle:", 1))
    ws.refresh()
    problems = check_publication(ws, ws.resolve(DRAFT), ws.now())
    assert [p.code for p in problems if p.code == "bad-feed-id"] == ["bad-feed-id"]
    assert check._uri.cache_info().currsize == 1
    assert check.is_uri("tag:example.org,2026-11-25:/drawing-the-timetable/") and not check.is_uri("not a uri")
