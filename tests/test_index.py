"""The front-matter index: files stay the truth, whatever happens to the cache or behind its back."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from blogcli.workspace import index as index_module
from blogcli.workspace.config import RACY_SECONDS
from blogcli.workspace.store import Workspace

POST = "published/who-rides-after-midnight.md"
OLD = 1_700_000_000  # a moment well in the past: files this old are cached


def listing(cli) -> dict[str, dict]:
    result = cli("list", "--json")
    assert result.exit_code == 0, result.stderr
    return {item["path"]: item for item in json.loads(result.stdout)}


def age_all(root: Path, when: int = OLD) -> None:
    """Give every post an old mtime, as if written long ago (recent files are not cached)."""
    for path in root.glob("*/*.md"):
        os.utime(path, (when, when))


def cached_rels(root: Path) -> set[str]:
    with sqlite3.connect(root / ".blog" / "cache" / "index.sqlite") as db:
        return {rel for (rel,) in db.execute("select rel from posts")}


def rewrite_same_size(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    data = path.read_bytes()
    path.write_bytes(data.replace(old.encode(), new.encode()))
    assert path.stat().st_size == len(data)


def test_an_edit_behind_the_tools_back_is_seen_even_at_the_same_size(sample, cli):
    age_all(sample)
    assert listing(cli)[POST]["title"] == "Who Rides After Midnight"
    assert POST in cached_rels(sample)
    path = sample / POST
    inode = path.stat().st_ino
    rewrite_same_size(path, "Who Rides After Midnight", "Who Walks After Midnight")
    assert path.stat().st_ino == inode  # edited in place, not replaced
    os.utime(path, (OLD + 60, OLD + 60))
    assert listing(cli)[POST]["title"] == "Who Walks After Midnight"


def test_a_replaced_file_with_the_same_size_and_mtime_is_seen(sample, cli):
    age_all(sample)
    listing(cli)
    path = sample / POST
    text = path.read_text().replace("Who Rides After Midnight", "Who Walks After Midnight")
    replacement = path.with_name("replacement.tmp")
    replacement.write_text(text)
    os.utime(replacement, (OLD, OLD))
    os.replace(replacement, path)  # an editor's atomic save: a new inode, mtime restored
    assert listing(cli)[POST]["title"] == "Who Walks After Midnight"


def test_a_just_written_file_is_not_cached_so_a_second_quick_edit_is_seen(sample, cli):
    """Two same-size writes within one timestamp tick share an mtime: only re-reading is safe."""
    path = sample / POST
    rewrite_same_size(path, "Who Rides After Midnight", "Who Walks After Midnight")
    stamp = path.stat().st_mtime_ns
    assert listing(cli)[POST]["title"] == "Who Walks After Midnight"
    assert POST not in cached_rels(sample)
    rewrite_same_size(path, "Who Walks After Midnight", "Who Talks After Midnight")
    os.utime(path, ns=(stamp, stamp))
    assert listing(cli)[POST]["title"] == "Who Talks After Midnight"


def test_deleting_the_cache_gives_the_same_answer(sample, cli):
    age_all(sample)
    before = cli("list", "--json").stdout
    assert cli("list", "--json").stdout == before  # from the cache
    for path in (sample / ".blog" / "cache").iterdir():
        path.unlink()
    (sample / ".blog" / "cache").rmdir()
    assert cli("list", "--json").stdout == before
    assert cached_rels(sample) == {p.relative_to(sample).as_posix() for p in sample.glob("*/*.md")}


@pytest.mark.parametrize("garbage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_a_corrupt_cache_is_rebuilt(sample, cli, garbage):
    age_all(sample)
    before = cli("list", "--json").stdout
    db = sample / ".blog" / "cache" / "index.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(garbage)
    result = cli("list", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == before
    assert POST in cached_rels(sample)


def test_an_unusable_cache_folder_only_costs_speed(sample, cli):
    (sample / ".blog").mkdir(exist_ok=True)
    (sample / ".blog" / "cache").write_text("a file where the cache folder should be")
    assert listing(cli)[POST]["title"] == "Who Rides After Midnight"


def test_a_removed_file_is_gone_from_the_list_and_the_cache(sample, cli):
    age_all(sample)
    assert POST in listing(cli)
    (sample / POST).unlink()
    assert POST not in listing(cli)
    assert POST not in cached_rels(sample)


def test_a_file_that_turns_unreadable_is_reported_not_served_from_the_cache(sample, cli):
    age_all(sample)
    listing(cli)
    path = sample / POST
    path.write_bytes(path.read_bytes().replace(b"Midnight", b"Midn\xffght"))
    result = cli("list", "--json")
    assert result.exit_code == 0
    assert POST not in {item["path"] for item in json.loads(result.stdout)}
    assert f"{POST}:" in result.stderr and "UTF-8" in result.stderr
    assert POST not in cached_rels(sample)


def test_a_new_timezone_rereads_dates_written_without_an_offset(sample, cli):
    path = sample / "drafts" / "zoneless.md"
    path.write_text("---\ntitle: Zoneless\ncreated: 2026-11-20 12:00\n---\n\nText.\n")
    age_all(sample)
    assert listing(cli)["drafts/zoneless.md"]["created"] == "2026-11-20T12:00:00+00:00"  # Europe/London in November
    config = sample / "blog.toml"
    config.write_text(config.read_text().replace('timezone = "Europe/London"', 'timezone = "Asia/Tokyo"'))
    assert listing(cli)["drafts/zoneless.md"]["created"] == "2026-11-20T12:00:00+09:00"


def test_tags_and_problems_round_trip_through_the_cache(sample, cli):
    path = sample / "drafts" / "odd-tags.md"
    path.write_text('---\ntitle: Odd\ntags: ["a\\x1fb", "\\x1estart", "plain", "ünïcode"]\npart: zero\n---\n\nText.\n')
    age_all(sample)
    fresh = Workspace.open(sample).posts
    cached = Workspace.open(sample).posts
    by_rel = {p.rel: p for p in cached}
    assert by_rel["drafts/odd-tags.md"].tags == ["a\x1fb", "\x1estart", "plain", "ünïcode"]
    assert [p.code for p in by_rel["drafts/odd-tags.md"].problems] == ["bad-value"]

    def fields(posts):
        return sorted((p.rel, p.title, p.tags, p.date, p.created, p.updated, p.series, p.part, p.words, p.has_body, p.problems) for p in posts)

    assert fields(fresh) == fields(cached)


def test_a_warm_list_does_not_reparse_headers(sample, cli, monkeypatch):
    age_all(sample)
    listing(cli)
    calls = []
    real = index_module.load_post
    monkeypatch.setattr(index_module, "load_post", lambda *a: calls.append(a) or real(*a))
    listing(cli)
    assert calls == []
    os.utime(sample / POST, (OLD + 5, OLD + 5))
    listing(cli)
    assert [rel for _, rel, _ in calls] == [POST]


def test_recent_files_are_cached_once_they_settle(sample, cli):
    age_all(sample, int(time.time()))
    listing(cli)
    assert cached_rels(sample) == set()
    settled = time.time() - RACY_SECONDS - 1
    for path in sample.glob("*/*.md"):
        os.utime(path, (settled, settled))
    listing(cli)
    assert POST in cached_rels(sample)


def test_the_ascii_word_count_matches_the_reference_regex():
    """count_words' byte-level path (a large part of a cold list) counts exactly as the regex does."""
    import random
    import re

    from blogcli.model.post import _WORD, count_words

    link_target = re.compile(r"\]\([^)]*\)|<[^>]+>|```[^\n]*")

    rng = random.Random(6)
    alphabet = "ab Z9_'-\n\t]()<>`!.,#*|[x\x0b\x0c\x1c\x1f"
    samples = ["", "-", "_a", "a-b c_d 'e' --", "![alt](/images/x.svg) see [part two](two.md)", "```python\nx = 1\n```"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20000)]
    for text in samples:
        assert count_words(text) == len(_WORD.findall(link_target.sub("]", text))), repr(text)
    assert count_words("naïve café-crème ’tis") == 3  # the Unicode path


def test_a_word_count_with_a_few_characters_outside_ascii_matches_the_reference_regex():
    """Text with a few characters outside ASCII is counted at the byte level too (`_word_runs`
    writes them as it reads them): the same count as the regex, and text with many goes to it."""
    import random
    import re

    from blogcli.model.post import _WORD, count_words

    link_target = re.compile(r"\]\([^)]*\)|<[^>]+>|```[^\n]*")
    rng = random.Random(7)
    alphabet = "ab Z9_'-\n\t]()<>`!.,#*|[x"
    others = ["’", "‘", "é", "É", "—", "…", "\u00a0", "\u2028", "e\u0301", "²", "٣", "ǅ", "日本", "🚌", "ﬁ", "İ", "ſ", "\u200b",
              "’s", "-’-", "_é_", "a’", "’’", "Ⅸ", "\x85", "ß"]
    few = 0
    for _ in range(6000):
        chars = [rng.choice(alphabet) for _ in range(rng.randint(1, 400))]
        for _ in range(rng.randint(1, 4)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(others))
        text = "".join(chars)
        few += len(text.encode()) - len(text) <= len(text) // 32
        assert count_words(text) == len(_WORD.findall(link_target.sub("]", text))), repr(text)
    assert few > 2000  # most took the byte-level path


# -- blog.toml's cache (.blog/cache/config.json) ------------------------------------------------


def titles_seen(cli) -> str:
    result = cli("series", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)[0]["title"]


def test_read_post_reads_a_file_whole_and_reports_what_path_read_bytes_would(tmp_path):
    """A post file is read by a descriptor (model.post._read_file), to its end, with the reason
    `Path.read_bytes` gives when it cannot be read."""
    import datetime as dt

    big = tmp_path / "big.md"
    big.write_bytes(b"---\ntitle: Big\n---\n" + b"word " * 600_000)  # ~3 MB
    post = index_module.read_post(str(big), "published/big.md", dt.timezone.utc)
    assert post.words == 600_000 and post.title == "Big"
    for path in (tmp_path / "missing.md", tmp_path):
        with pytest.raises(OSError) as expected:
            path.read_bytes()
        problem = index_module.read_post(path, "published/x.md", dt.timezone.utc)
        assert (problem.code, problem.message) == ("unreadable", f"cannot read ({expected.value.strerror})")


def test_settings_come_from_the_cache_only_while_blog_toml_is_unchanged(sample, cli):
    config = sample / "blog.toml"
    os.utime(config, (OLD, OLD))
    first = titles_seen(cli)
    cache = sample / ".blog" / "cache" / "config.json"
    assert json.loads(cache.read_text())["tables"]["series"]["night-bus-notebook"]["title"] == first
    # Tamper with the cache: while blog.toml is unchanged, the cache answers (proof it is used)...
    tampered = json.loads(cache.read_text())
    tampered["tables"]["series"]["night-bus-notebook"]["title"] = "From the cache"
    cache.write_text(json.dumps(tampered))
    assert titles_seen(cli) == "From the cache"
    # ...and once blog.toml changes (here: same size, new mtime), it is read again.
    text = config.read_text()
    config.write_text(text.replace(first, first.upper()))
    assert titles_seen(cli) == first.upper()
    assert cache.exists()


def test_a_recent_blog_toml_is_not_cached_and_a_broken_cache_is_ignored(sample, cli):
    cache = sample / ".blog" / "cache" / "config.json"
    titles_seen(cli)
    assert not cache.exists()  # blog.toml was written just now
    os.utime(sample / "blog.toml", (OLD, OLD))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("{not json")
    title = titles_seen(cli)
    assert json.loads(cache.read_text())["tables"]["series"]["night-bus-notebook"]["title"] == title


def test_refreshing_only_the_changed_files_sees_what_a_full_rescan_sees(sample):
    """`Workspace.refresh(changed)` after this process's own writes: the same posts and problems."""
    ws = Workspace(sample)
    assert ws.posts  # read once
    draft = sample / "drafts" / "drawing-the-timetable.md"
    moved = sample / "published" / "drawing-the-timetable.md"
    draft.rename(moved)
    (sample / "drafts" / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    (sample / "drafts" / "bad-bytes.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe\n")
    edited = sample / POST
    edited.write_text(edited.read_text().replace("Who Rides", "Who Still Rides"))
    (sample / "drafts" / "not-a-post.txt").write_text("notes")
    changed = ["drafts/drawing-the-timetable.md", "published/drawing-the-timetable.md", "drafts/broken.md", POST,
               "drafts/bad-bytes.md", "drafts/not-a-post.txt"]
    ws.refresh(changed)

    def seen(workspace):
        return (sorted((p.rel, p.title, p.date, p.has_body, [str(e) for e in p.problems]) for p in workspace.posts),
                sorted((p.path, p.line, p.code) for p in workspace.unreadable))

    assert seen(ws) == seen(Workspace(sample))
    assert ("published/drawing-the-timetable.md", "Drawing the Timetable") in {(p.rel, p.title) for p in ws.posts}
    assert "drafts/bad-bytes.md" in {p.path for p in ws.unreadable}
    assert [p.errors for p in ws.posts if p.rel == "drafts/broken.md"][0]
    assert "Who Still Rides After Midnight" in {p.title for p in ws.posts}


def test_every_field_survives_the_index(sample):
    """What the index stores is the post as read from its file, field for field (but the body)."""
    import dataclasses

    from blogcli.model.post import load_post

    (sample / "drafts" / "odd.md").write_text(
        "---\ntitle: Odd\ndate: 2026-11-01 09:00\ncreated: 2026-10-30T08:00:00+01:00\nupdated: 2026-11-02\n"
        "tags: [a, b]\nseries: S\npart: 4\nsummary: Sum\nnext: The next thing\nfulfils: A promise\n"
        "unknown: kept\npart_two: x\n---\n\nSome words here.\n"
    )
    (sample / "drafts" / "flawed.md").write_text("---\ntitle: [x\n---\nbody\n")
    ws = Workspace(sample)
    for path in sorted(sample.glob("*/*.md")):
        rel = path.relative_to(sample).as_posix()
        read = load_post(path, rel, ws.tz)
        indexed = index_module.post_from_fields(rel, index_module.post_fields(read))
        for field in dataclasses.fields(read):
            if field.name not in ("doc", "meta"):
                assert getattr(indexed, field.name) == getattr(read, field.name), (rel, field.name)
        assert indexed.summary_json == index_module.summary_json(read)
        row = index_module._row(rel, (1, 2, 3), indexed)
        [cached], invalid = index_module.cached_posts([((*row[:6], *row[6:]), *rel.split("/", 1))])
        assert not invalid and cached == indexed, rel


def test_a_first_scan_keeps_no_bodies_and_gives_the_posts_a_cached_one_gives(sample):
    """Reading every file (no index yet) leaves the posts as the index would serve them: the same
    fields, no body nor raw header in memory (10,000 bodies were ~60 MB of a first build)."""
    age_all(sample)
    first = Workspace(sample).posts
    assert first and all(post.doc is None and post.meta == {} for post in first)
    assert cached_rels(sample) == {post.rel for post in first}
    again = Workspace(sample).posts
    assert sorted(first, key=lambda p: p.rel) == sorted(again, key=lambda p: p.rel)


GARBLES = {  # a field of a row's decoded tuple → a value of the wrong type
    "title": 42, "series": ["S"], "summary": b"bytes", "next": 1.5, "fulfils": {}, "date": "not a date",
    "created": 20261101, "tags": "a, b", "tag": ["a", 3], "part": "4", "words": True, "has_body": 1, "problems": [{"x": 1}],
}
FIELD_ORDER = ["title", "date", "created", "updated", "tags", "series", "part", "summary", "next", "fulfils", "words",
               "has_body", "problems"]


def index_entries(sample: Path) -> list[tuple[tuple, str, str]]:
    """The index's rows of the sample's posts, with their listings, as `file_changes` hands them on."""
    age_all(sample)
    ws = Workspace(sample)
    assert ws.posts
    index = index_module.Index(sample / ".blog" / "cache" / "index.sqlite", ws.tz)
    rows = index.rows(listing=True)
    index.close()
    return [(row, *row[0].split("/", 1)) for row in sorted(rows.values())]


@pytest.mark.parametrize("garble", sorted(GARBLES) + ["crc", "short", "a-number", "not-bytes"])
def test_a_row_that_does_not_validate_is_left_out_and_only_it(sample, garble):
    """`cached_posts`: a row with a field of the wrong type (its CRC made to match, as a hand edit
    would), a bad checksum or the wrong shape is handed back to be read from its file; the rows
    around it are served as they were."""
    import marshal
    import zlib

    entries = index_entries(sample)
    assert len(entries) >= 3
    served, invalid = index_module.cached_posts(entries)
    assert not invalid and len(served) == len(entries)
    middle = len(entries) // 2
    (rel, size, mtime, inode, fields, crc, *listing), folder, name = entries[middle]
    values = list(marshal.loads(fields))
    if garble == "crc":
        crc ^= 1
    elif garble == "not-bytes":
        fields = fields.decode("latin-1")
    else:
        if garble == "short":
            values = values[:-1]
        elif garble == "tag":
            values[FIELD_ORDER.index("tags")] = GARBLES[garble]
        elif garble != "a-number":
            values[FIELD_ORDER.index(garble)] = GARBLES[garble]
        fields = marshal.dumps(42 if garble == "a-number" else tuple(values))
        crc = zlib.crc32(fields)
    garbled = ((rel, size, mtime, inode, fields, crc, *listing), folder, name)

    posts, invalid = index_module.cached_posts([*entries[:middle], garbled, *entries[middle + 1:]])

    assert invalid == [garbled]
    assert posts == served[:middle] + served[middle + 1:]


@pytest.mark.parametrize("garble", ["crc", "bytes", "text", "null"])
def test_a_listing_that_does_not_validate_is_made_again_from_the_fields(sample, garble):
    """The JSON `blog list --json` prints has a column and a CRC of its own: one that does not
    check is not served; the post is, and its JSON is encoded again from its fields."""
    entries = index_entries(sample)
    served, _ = index_module.cached_posts(entries)
    (rel, size, mtime, inode, fields, crc, listing, listing_crc), folder, name = entries[0]
    listing, listing_crc = {
        "crc": (listing, listing_crc ^ 1), "bytes": (listing.replace(b'"', b"'"), listing_crc),
        "text": (listing.decode(), listing_crc), "null": (None, None),
    }[garble]
    posts, invalid = index_module.cached_posts([((rel, size, mtime, inode, fields, crc, listing, listing_crc), folder, name)])
    assert not invalid and posts[0].summary_json is None
    assert index_module.summary_json(posts[0]) == served[0].summary_json == index_module.summary_json(Workspace(sample).load(rel))


def test_only_a_listing_scan_fetches_the_posts_json(sample, cli):
    """A build's scan leaves the listing JSON in the index; `blog list --json`'s takes it from there."""
    from blogcli.workspace.store import POST_FOLDERS

    age_all(sample)
    ws = Workspace(sample)
    assert ws.posts
    cache = sample / ".blog" / "cache" / "index.sqlite"
    plain = index_module.scan_posts(sample, POST_FOLDERS, ws.tz, cache)
    listed = index_module.scan_posts(sample, POST_FOLDERS, ws.tz, cache, listing=True)
    assert plain.posts and all(post.summary_json is None for post in plain.posts)
    assert all(post.summary_json == index_module.summary_json(ws.load(post.rel)) for post in listed.posts)
    assert [index_module.summary_json(post) for post in plain.posts] == [post.summary_json for post in listed.posts]

    def encode(post, dates=None):
        raise AssertionError(f"{post.rel}: encoded again")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module._JSON, "encode", encode)
        assert listing(cli)[POST]["title"] == "Who Rides After Midnight"


def test_an_index_with_the_stamp_but_not_the_columns_only_costs_speed(sample, cli):
    """A hand-made index that claims this format but lacks the listing's columns answers nothing
    it cannot: every command reads the files, and says what it said with a sound index."""
    age_all(sample)
    expected = listing(cli)
    database = sample / ".blog" / "cache" / "index.sqlite"
    with sqlite3.connect(database) as db:
        db.execute("alter table posts drop column listing_crc")
    assert listing(cli) == expected
    assert POST in {post.rel for post in Workspace(sample).posts}
    result = cli("build")
    assert result.exit_code == 0, result.stderr
