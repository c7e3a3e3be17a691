"""`blog check`: every error and warning code, located at `path:line`, on small workspaces."""

import json
import textwrap

import pytest

from blogcli.ops.check import check_posts
from blogcli.workspace.store import Workspace


@pytest.fixture
def blog(empty_blog):
    """`blog(rel, text)` writes a post file into a fresh workspace (test setup, not the product)."""

    def write(rel: str, text: str | bytes) -> None:
        path = empty_blog / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")

    write.root = empty_blog
    return write


def problems(root, ref=None):
    return check_posts(Workspace.open(root), ref)


def codes(found):
    return {(p.path, p.line, p.code, p.severity) for p in found}


GOOD = "---\ntitle: Fine\ndate: 2026-11-01T09:00:00+00:00\n---\n\nSome text.\n"


def test_the_sample_blog_has_one_warning_its_late_promise(sample, cli):
    # Part 2 promised the timetable for 16 Nov; on 25 Nov its part is still a draft.
    assert codes(problems(sample)) == {("published/who-rides-after-midnight.md", 34, "late-promise", "warning")}
    result = cli("check")
    assert result.exit_code == 0, result.stderr
    assert "drafts/drawing-the-timetable.md keeps it but is not out yet" in result.stdout
    assert "4 posts checked: 0 errors, 1 warning" in result.stderr


def test_missing_title_and_empty_body(blog):
    blog("published/untitled.md", "---\ndate: 2026-11-01T09:00:00+00:00\n---\n\n   \n")
    blog("drafts/planned.md", "---\ntitle: Planned\n---\n")
    found = problems(blog.root)
    assert codes(found) == {
        ("published/untitled.md", 1, "missing-title", "error"),
        ("published/untitled.md", 4, "empty-body", "error"),
    }


def test_front_matter_that_does_not_parse_or_has_wrong_types(blog):
    blog("drafts/broken.md", "---\ntitle: Broken\ntags: [a, b\n---\n\nText.\n")
    blog("drafts/typed.md", "---\ntitle: 2024\npart: many\nseries: S\n---\n\nText.\n")
    found = problems(blog.root)
    by_code = {(p.path, p.code): p for p in found}
    assert by_code[("drafts/broken.md", "front-matter")].severity == "error"
    assert ("drafts/broken.md", "missing-title") not in by_code  # one cause, one report
    assert by_code[("drafts/typed.md", "bad-value")].line in (2, 3)
    assert {p.line for p in found if p.path == "drafts/typed.md" and p.code == "bad-value"} == {2, 3}


def test_one_unreadable_file_never_stops_the_others(blog, cli):
    blog("published/latin1.md", b"---\ntitle: Caf\xe9\n---\n\nText.\n")
    blog("published/linker.md", GOOD + "\nSee [this](nowhere.md).\n")
    found = problems(blog.root)
    assert ("published/latin1.md", 2, "unreadable", "error") in codes(found)
    assert ("published/linker.md", 8, "broken-link", "error") in codes(found)
    result = cli("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("published/latin1.md:2: error: not UTF-8") for line in lines)
    assert any(line.startswith("published/linker.md:8: error: link to 'nowhere.md'") for line in lines)
    assert "2 errors, 0 warnings" in result.stderr


def test_part_taken_is_reported_on_the_post_that_took_it_second(blog):
    series = "---\ntitle: {t}\nseries: Night Bus\npart: 2\n---\n\nText.\n"
    blog("published/one.md", series.format(t="One").replace("part: 2", "date: 2026-11-01T09:00:00Z\npart: 2"))
    blog("drafts/two.md", series.format(t="Two"))
    blog("drafts/other-series.md", series.format(t="Other").replace("Night Bus", "Day Bus"))
    found = problems(blog.root)
    # The published part keeps its number: the draft numbered like it is the one to change.
    assert {(p.path, p.line) for p in found if p.code == "part-taken"} == {("drafts/two.md", 4)}
    only = problems(blog.root, "two")
    assert [(p.path, p.code) for p in only] == [("drafts/two.md", "part-taken")]
    assert "published/one.md" in only[0].message


def test_broken_links_and_missing_images_point_at_the_file_line(blog):
    (blog.root / "static" / "images").mkdir(parents=True)
    (blog.root / "static" / "images" / "here.png").write_bytes(b"png")
    blog("published/target.md", GOOD)
    blog(
        "drafts/links.md",
        """
        ---
        title: Links
        tags: [a]
        ---

        Fine: [ok](target.md), [also](../published/target.md#part), [web](https://example.org/x.md).
        ![present](/images/here.png) ![relative](images/here.png)
        Broken: [gone](gone-post.md)

        ```
        [in code](ignored.md)
        ```
        ![absent](/images/absent.png)
        """,
    )
    found = problems(blog.root)
    assert codes(found) == {
        ("drafts/links.md", 8, "broken-link", "error"),
        ("drafts/links.md", 13, "missing-image", "error"),
    }
    image = next(p for p in found if p.code == "missing-image")
    assert "static/images/absent.png" in image.message


def test_public_posts_must_not_link_to_drafts_or_later_posts(blog):
    blog("drafts/secret.md", "---\ntitle: Secret\n---\n\nNot yet.\n")
    blog("drafts/notes.md", "---\ntitle: Notes\n---\n\nSee [secret](secret.md).\n")  # drafts may
    blog("published/soon.md", "---\ntitle: Soon\ndate: 2026-12-07T09:00:00Z\n---\n\nBack to [old](old.md).\n")
    blog("published/later.md", "---\ntitle: Later\ndate: 2026-12-14T09:00:00Z\n---\n\nText.\n")
    blog(
        "published/old.md",
        "---\ntitle: Old\ndate: 2026-11-01T09:00:00Z\n---\n\n[s](secret.md) and [soon](soon.md)\n",
    )
    blog("published/sched-link.md", "---\ntitle: S\ndate: 2026-12-08T09:00:00Z\n---\n\n[later](later.md), [soon](soon.md)\n")
    found = problems(blog.root)
    assert codes(found) == {
        ("published/old.md", 6, "links-to-draft", "error"),
        ("published/old.md", 6, "links-to-later", "error"),
        ("published/sched-link.md", 6, "links-to-later", "error"),
    }


def test_checking_one_draft_checks_it_as_publish_would(blog):
    blog("drafts/secret.md", "---\ntitle: Secret\n---\n\nNot yet.\n")
    blog("drafts/notes.md", "---\ntitle: Notes\n---\n\nSee [secret](secret.md).\n\nTODO: finish\n")
    blog("drafts/plan.md", "---\ntitle: Plan\n---\n")
    assert codes(problems(blog.root)) == {("drafts/notes.md", 7, "todo", "warning")}  # a note is a note, draft or not
    assert codes(problems(blog.root, "notes")) == {
        ("drafts/notes.md", 5, "links-to-draft", "error"),
        ("drafts/notes.md", 7, "todo", "warning"),
    }
    assert [p.code for p in problems(blog.root, "plan")] == ["empty-body"]


def test_warnings(blog):
    blog("drafts/same.md", "---\ntitle: Same\n---\n\nText.\n")
    blog("published/same.md", GOOD)
    blog("published/partless.md", "---\ntitle: P\ndate: 2026-11-01T09:00:00Z\nseries: Night Bus\n---\n\nText. TODO check\n")
    blog("drafts/keeps.md", "---\ntitle: K\nfulfils: no-such-post\n---\n\nText.\n")
    found = problems(blog.root)
    assert codes(found) == {
        ("drafts/same.md", None, "duplicate-slug", "warning"),
        ("published/same.md", None, "duplicate-slug", "warning"),
        ("published/partless.md", 4, "missing-part", "warning"),
        ("published/partless.md", 7, "todo", "warning"),
        ("drafts/keeps.md", 3, "unknown-promise", "warning"),
    }


def test_json_shape_and_exit_codes(blog, cli):
    blog("published/fine.md", GOOD + "\nTODO: one warning\n")
    result = cli("check", "--json")
    assert result.exit_code == 0, result.stderr  # warnings alone pass CI
    data = json.loads(result.stdout)
    assert data == [
        {
            "path": "published/fine.md",
            "line": 8,
            "code": "todo",
            "severity": "warning",
            "message": "a TODO note is still in the text",
        }
    ]
    blog("published/bad.md", "---\ndate: 2026-11-01T09:00:00Z\n---\n\nText.\n")
    result = cli("check", "--json")
    assert result.exit_code == 1
    assert [(d["path"], d["code"]) for d in json.loads(result.stdout)] == [
        ("published/bad.md", "missing-title"),
        ("published/fine.md", "todo"),
    ]
    one = cli("check", "fine", "--json")
    assert one.exit_code == 0 and [d["code"] for d in json.loads(one.stdout)] == ["todo"]


def test_unknown_ref_is_an_error_not_a_crash(sample, cli):
    result = cli("check", "no-such-thing", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stderr)["error"]["code"] == "not-found"


def test_overdue_promise_is_a_warning_at_the_promising_sentence(sample, cli):
    (sample / "drafts/drawing-the-timetable.md").unlink()  # the part that keeps the promise
    found = problems(sample)
    assert codes(found) == {("published/who-rides-after-midnight.md", 34, "overdue-promise", "warning")}
    assert "how the timetable was drawn" in found[0].message and "2026-11-16" in found[0].message
    assert codes(problems(sample, "who-rides")) == codes(found)
    assert problems(sample, "why-the-night-bus") == []
    result = cli("check")
    assert result.exit_code == 0
    assert "0 errors, 1 warning" in result.stderr


def test_messages_are_printed_as_written_not_as_markup(blog, cli):
    blog("published/odd.md", GOOD + "\n![x](/images/[bold]x.png)\n")
    result = cli("check")
    assert "published/odd.md:8: error: image '/images/[bold]x.png' is not in static/" in result.stdout


def with_id(value: str) -> str:
    return f"---\ntitle: Fine\ndate: 2026-11-01T09:00:00+00:00\nid: {value}\n---\n\nSome text.\n"


@pytest.mark.parametrize("value", [
    "tag:example.org,2026-11-01:/fine/", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "https://example.org/fine/",
    "'tag:example.org,2026:/caf%C3%A9/'", "tag:example.org,2026:/café/",  # an IRI, as Atom allows
])
def test_a_feed_id_that_is_a_uri_passes(blog, value):
    blog("published/fine.md", with_id(value))
    assert problems(blog.root) == []


@pytest.mark.parametrize("value", ["my post id", "example.org/fine/", "'/fine/'", "'tag:x y'", "'http://[::1/'", "42",
                                   "'1tag:x'"])
def test_a_feed_id_that_is_not_a_uri_is_an_error_at_its_line(blog, value):
    blog("published/fine.md", with_id(value))
    found = problems(blog.root)
    assert codes(found) == {("published/fine.md", 4, "bad-feed-id", "error")}
    assert "not a URI" in found[0].message


def test_two_posts_with_one_feed_id_are_both_errors(blog, cli):
    blog("published/one.md", with_id("tag:example.org,2026:/same/"))
    blog("published/two.md", with_id("tag:example.org,2026:/same/"))
    blog("drafts/three.md", with_id("tag:example.org,2026:/other/"))
    found = problems(blog.root)
    assert codes(found) == {("published/one.md", 4, "duplicate-feed-id", "error"),
                            ("published/two.md", 4, "duplicate-feed-id", "error")}
    assert "published/two.md" in next(p.message for p in found if p.path == "published/one.md")
    assert cli("check").exit_code == 1


def test_check_reports_the_same_notes_with_and_without_ref(sample, cli):
    """`blog check` and `blog check REF` agree on TODO notes, drafts included."""
    path = sample / "drafts" / "drawing-the-timetable.md"
    path.write_text(path.read_text() + "\nTODO: ask the depot about 1998.\n")
    every = json.loads(cli("check", "--json").stdout)
    one = json.loads(cli("check", "drawing-the-timetable", "--json").stdout)
    notes = [p for p in every if p["code"] == "todo"]
    assert notes and notes == [p for p in one if p["code"] == "todo"]
    assert cli("check").exit_code == 0  # still only a warning


def test_summary_counts_in_words(sample, cli):
    # the sample's part 2 promised the timetable for 16 Nov and its draft is not out: a late promise
    assert cli("check").stderr.strip().endswith("4 posts checked: 0 errors, 1 warning")
    for path in list(sample.glob("*/*.md"))[1:]:
        path.unlink()
    assert "1 post checked" in cli("check").stderr
