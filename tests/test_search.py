"""`blog search`: ranking, the query language, filters, snippets, path:line, and an index that
follows the files (edits behind its back, deletions, renames, a deleted or broken cache)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogcli.model.search_text import match_expression, parse_query, plain_text, tokens
from blogcli.workspace import search_index

OLD = 1_700_000_000  # files this old are trusted from the index


def write(root: Path, rel: str, title: str | None, body: str, **meta) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ""
    if title is not None or meta:
        lines = [f"title: {title}"] if title is not None else []
        lines += [f"{key}: {value}" for key, value in meta.items()]
        header = "---\n" + "\n".join(lines) + "\n---\n\n"
    path.write_text(header + body, encoding="utf-8")
    return path


def age(root: Path, when: int = OLD) -> None:
    """Date every file in the past, as if written long ago (recent files are re-read every time)."""
    for path in root.rglob("*"):
        if path.is_file() and ".blog" not in path.parts:
            os.utime(path, (when, when))


def hits(cli, *args: str) -> list[dict]:
    result = cli("search", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def slugs(cli, *args: str) -> list[str]:
    return [hit["slug"] for hit in hits(cli, *args)]


def search_db(root: Path) -> Path:
    return root / ".blog" / "cache" / "search.sqlite"


@pytest.fixture
def blog(empty_blog) -> Path:
    root = empty_blog
    write(root, "published/phones-in-the-valley.md", "Phones in the Valley",
          "The closed network of the valley kept its own mobile phones.\nMobility was rare.\n",
          date="2024-03-04T09:00:00+00:00", tags="[phones, history]", series="The Phone Diaries", part=1)
    write(root, "published/tram-lines.md", "Tram Lines",
          "Trams ran where buses could not. A network closed to outsiders.\n",
          date="2025-06-01T09:00:00+00:00", tags="[transport]")
    write(root, "published/bus-depot.md", "The Bus Depot",
          "At the depot the night bus waits. No trams here, only the bus.\n",
          date="2026-01-10T09:00:00+00:00", tags="[transport, night]", series="The Phone Diaries", part=2)
    write(root, "drafts/valley-again.md", "Back to the Valley",
          "Mobile masts on the hills now; the valley phones are gone.\n", tags="[phones]")
    write(root, "drafts/planned-idea.md", "Phones and Trams", "", series="The Phone Diaries")
    return root


# -- ranking and the query language --------------------------------------------------------------


def test_a_title_match_ranks_above_body_matches(empty_blog, cli):
    write(empty_blog, "published/a.md", "Notes", "The harbour, the harbour and the harbour again.\n" + "Filler words. " * 20)
    write(empty_blog, "published/b.md", "The Harbour", "Nothing about it here but one word.\n" + "Filler words. " * 20)
    write(empty_blog, "published/c.md", "Other", "Unrelated text.\n")
    found = hits(cli, "harbour")
    assert [hit["slug"] for hit in found] == ["b", "a"]
    assert found[0]["score"] > found[1]["score"] > 0


def test_every_word_must_match(blog, cli):
    assert slugs(cli, "valley", "phones") == sorted(slugs(cli, "valley", "phones"), key=slugs(cli, "valley", "phones").index)
    assert set(slugs(cli, "valley", "phones")) == {"phones-in-the-valley", "valley-again"}
    assert set(slugs(cli, "valley", "trams")) == set()


def test_a_phrase_matches_its_words_in_order_only(blog, cli):
    assert slugs(cli, '"closed network"') == ["phones-in-the-valley"]
    assert set(slugs(cli, "closed", "network")) == {"phones-in-the-valley", "tram-lines"}


def test_a_prefix_matches_every_word_it_starts(blog, cli):
    assert set(slugs(cli, "mobil*")) == {"phones-in-the-valley", "valley-again"}
    assert slugs(cli, "mobility") == ["phones-in-the-valley"]


def test_a_minus_word_leaves_posts_out(blog, cli):
    assert set(slugs(cli, "valley")) == {"phones-in-the-valley", "valley-again"}
    assert slugs(cli, "valley", "-masts") == ["phones-in-the-valley"]
    assert slugs(cli, "valley", '-"closed network"') == ["valley-again"]


def test_or_takes_either_word(blog, cli):
    assert set(slugs(cli, "depot", "OR", "masts")) == {"bus-depot", "valley-again"}
    assert set(slugs(cli, "bus", "depot", "OR", "masts")) == {"bus-depot"}  # bus AND (depot OR masts)
    assert set(slugs(cli, "bus", "or", "depot")) == set()  # lower case: the word "or"


def test_the_query_is_always_quoted_for_fts5():
    expression = match_expression(parse_query('a "b c" d* -e f OR g NEAR(x y) title:z ^h "'))
    assert expression == (
        '(("a") AND ("b c") AND ("d" *) AND ("f" OR "g") AND ("NEAR(x") AND ("y)") AND ("title:z") AND ("^h")) NOT ("e")'
    )


@pytest.mark.parametrize(
    "query",
    ['"', '""', "NEAR(a b)", "a:b", "title:phones", "(", ")", "a AND", "OR", "OR OR a", "-", "*", "a*b*",
     "'", "^phones", "phones NOT trams", "{phones}", "phones + trams", 'phones"', "\\", "%", "a\x00b",
     "col1 : x", "NEAR", '"a" OR', "- -", "--", "…", "‘’“”", "\u200b", "phones\t\ntrams"],
)
def test_hostile_queries_are_text_or_one_line_errors(blog, cli, query):
    result = cli("search", "--", query)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_text_makes_a_valid_fts5_expression_or_a_query_error(text):
    db = sqlite3.connect(":memory:")
    db.execute("create virtual table t using fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("insert into t values ('some words here')")
    try:
        query = parse_query(text)
    except search_index.BlogError:
        return
    db.execute("select rowid from t where t match ?", (match_expression(query),)).fetchall()


def test_a_query_with_nothing_to_look_for_is_an_error(blog, cli):
    for query in (["-valley"], ["***"], [""]):
        result = cli("search", "--", *query)
        assert result.exit_code == 1
        assert result.stderr.startswith("error: ") and "hint:" in result.stderr
    result = cli("search", "valley", "--limt", "3")
    assert result.exit_code == 2 and "--limt" in result.stderr


# -- filters ----------------------------------------------------------------------------------------


def test_status_series_and_tag_filters(blog, cli):
    assert set(slugs(cli, "phones", "--status", "draft")) == {"valley-again"}
    assert set(slugs(cli, "phones", "--status", "planned")) == {"planned-idea"}
    assert set(slugs(cli, "phones", "--status", "published")) == {"phones-in-the-valley"}
    assert set(slugs(cli, "phones", "--status", "draft", "--status", "planned")) == {"valley-again", "planned-idea"}
    assert set(slugs(cli, "phones", "--series", "the-phone-diaries")) == {"phones-in-the-valley", "planned-idea"}
    assert set(slugs(cli, "bus", "OR", "phones", "--series", "The Phone Diaries")) == {
        "phones-in-the-valley", "bus-depot", "planned-idea"}
    assert set(slugs(cli, "bus", "OR", "trams", "--tag", "TRANSPORT")) == {"tram-lines", "bus-depot"}
    result = cli("search", "phones", "--status", "gone")
    assert result.exit_code == 2 and "'gone' is not one of" in result.stderr  # a usage error, as in blog list


def test_date_filters(blog, cli):
    everything = "bus OR trams OR valley".split()
    assert set(slugs(cli, *everything, "--status", "published", "--since", "2025-01-01")) == {"tram-lines", "bus-depot"}
    assert set(slugs(cli, *everything, "--status", "published", "--until", "2025-06-01")) == {"phones-in-the-valley", "tram-lines"}
    assert set(slugs(cli, *everything, "--until", "2025-06-01T08:00:00+00:00", "--status", "published")) == {"phones-in-the-valley"}
    assert slugs(cli, *everything, "--since", "2025-06-01", "--until", "2025-06-01", "--status", "published") == ["tram-lines"]
    result = cli("search", "bus", "--since", "last tuesday")
    assert result.exit_code == 1 and "--since" in result.stderr


def test_limit(blog, cli):
    assert len(hits(cli, "phones", "--limit", "2")) == 2
    assert len(hits(cli, "phones", "--limit", "0")) == 3
    result = cli("search", "phones", "--limit", "2")
    assert "the best 2 shown" in result.stderr and result.stdout.count(".md:") == 2
    result = cli("search", "phones", "--limit", "3")
    assert result.stderr == "" and result.stdout.count(".md:") == 3


def test_a_phrase_over_two_lines_is_found_where_it_starts(empty_blog, cli):
    write(empty_blog, "published/p.md", "P", "First line.\nThe words run on to the closed\nnetwork at last.\n")
    found = hits(cli, '"closed network"')[0]
    assert found["line"] == 6 and found["snippet"] == "The words run on to the [closed] [network] at last."


# -- what is indexed ---------------------------------------------------------------------------------


def test_markdown_syntax_link_targets_and_image_paths_are_not_indexed(empty_blog, cli):
    write(empty_blog, "published/md.md", "Markup",
          "Some **bolded** and _leaning_ words, a [link text](https://zebra.example/giraffe \"a title\"),\n"
          "an ![alt words](images/okapi.png), <span class=\"lynx\">inside</span>, &amp; a [ref][r].\n"
          "\n[r]: https://example.org/wombat\n\n```python\nimport narwhal\n```\n<!-- a hidden comment -->\n")
    for word in ("bolded", "leaning", "link", "alt", "inside", "narwhal", "ref"):
        assert slugs(cli, word) == ["md"], word
    for word in ("zebra", "giraffe", "okapi", "images", "lynx", "span", "wombat", "python", "hidden", "amp", "https"):
        assert slugs(cli, word) == [], word


def test_plain_text_keeps_every_line():
    markdown = "a\n```sh\nb\n```\n<div\nclass='x'>c</div>\n[d](e\n<!-- f\ng -->\n[h]: /i\nj [^1] &#10; &NewLine;\n"
    assert plain_text(markdown).count("\n") == markdown.count("\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab \n\t[]()<>!`~^:*&#;/-\"'x1") + ["```", "<!--", "-->", "&amp;", "&#10;", "](", "]["]), max_size=60).map("".join))
def test_plain_text_never_adds_or_removes_a_line(markdown):
    assert plain_text(markdown).count("\n") == markdown.count("\n")


def test_accents_and_case_fold_both_ways(empty_blog, cli):
    write(empty_blog, "published/uber.md", "Über den Fluß", "Un café à Zürich; naïve façade. ÉCOLE.\n")
    write(empty_blog, "published/plain.md", "Cafe Uber", "Ecole.\n")
    assert set(slugs(cli, "uber")) == {"uber", "plain"}
    assert set(slugs(cli, "ÜBER")) == {"uber", "plain"}
    assert set(slugs(cli, "cafe")) == {"uber", "plain"}
    assert set(slugs(cli, "zuri*")) == {"uber"}
    assert set(slugs(cli, "ecole")) == {"uber", "plain"}
    snippet = hits(cli, "zurich")[0]["snippet"]
    assert "[Zürich]" in snippet


def test_chinese_japanese_and_korean_are_found_by_any_part(empty_blog, cli):
    write(empty_blog, "published/tokyo.md", "東京の夜", "東京都の夜行バスについて書きます。\n")
    write(empty_blog, "published/kyoto.md", "京都", "京都駅から出発。\n")
    write(empty_blog, "published/seoul.md", "서울의 밤", "서울에서 심야버스를 탔다.\n")
    assert slugs(cli, "東京") == ["tokyo"]
    assert set(slugs(cli, "京都")) == {"tokyo", "kyoto"}  # 東京都 holds 京都 too
    assert slugs(cli, "夜行バス") == ["tokyo"]
    assert slugs(cli, "심야버스") == ["seoul"]
    assert slugs(cli, "서울") == ["seoul"]
    found = hits(cli, "夜行")[0]
    assert found["line"] == 5 and "[夜行]" in found["snippet"]


def test_tokens_split_cjk_into_characters_and_fold_accents():
    assert [w for _, _, w in tokens("Ärger im 東京, x_y 42")] == ["arger", "im", "東", "京", "x", "y", "42"]


# -- hits: path, line, snippet, JSON ---------------------------------------------------------------


def test_json_hits_have_stable_keys(blog, cli):
    found = hits(cli, "waits")
    assert len(found) == 1
    assert found[0] == {
        "kind": "post",
        "slug": "bus-depot",
        "title": "The Bus Depot",
        "status": "published",
        "date": "2026-01-10T09:00:00+00:00",
        "series": "The Phone Diaries",
        "tags": ["transport", "night"],
        "post": "published/bus-depot.md",
        "path": "published/bus-depot.md",
        "line": 9,
        "score": found[0]["score"],
        "snippet": "At the depot the night bus [waits]. No trams here, only the bus.",
        "comment": None,
    }
    assert isinstance(found[0]["score"], float)


def test_no_hit_is_not_an_error(blog, cli):
    result = cli("search", "xylophone", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    result = cli("search", "xylophone")
    assert result.exit_code == 0 and result.stdout == ""


def test_the_line_is_the_files_own_with_a_bom_crlf_and_a_long_front_matter(empty_blog, cli):
    header = "---\r\ntitle: Long Header\r\n" + "".join(f"extra{i}: value {i}\r\n" for i in range(40)) + "summary: |\r\n  two\r\n  lines\r\n---\r\n"
    body = "\r\nFirst paragraph.\r\n\r\n```\r\ncode\r\n```\r\nThe kestrel line.\r\n"
    (empty_blog / "published" / "long.md").write_bytes(b"\xef\xbb\xbf" + (header + body).encode())
    found = hits(cli, "kestrel")[0]
    lines = (empty_blog / "published" / "long.md").read_bytes().decode("utf-8-sig").split("\n")
    assert "kestrel" in lines[found["line"] - 1]
    assert found["line"] == 53
    assert found["snippet"] == "The [kestrel] line."
    title = hits(cli, "long", "header")[0]
    assert title["line"] == 2 and title["snippet"] == "[Long] [Header]"


def test_the_best_line_holds_the_most_words(empty_blog, cli):
    write(empty_blog, "published/x.md", "Notes", "The owl.\n\nThe night owl flew over the barn.\n\nA barn.\n")
    found = hits(cli, "owl", "barn")[0]
    assert found["line"] == 7 and found["snippet"] == "The night [owl] flew over the [barn]."


def test_snippets_are_marked_in_plain_text_and_bold_in_a_terminal(blog, cli, monkeypatch):
    result = cli("search", "waits")
    assert result.stdout == (
        "published/bus-depot.md:9: The Bus Depot (published 2026-01-10)\n"
        "    At the depot the night bus [waits]. No trams here, only the bus.\n"
    )
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = cli("search", "waits")
    assert "\x1b[1mwaits\x1b[0m" in result.stdout and "[waits]" not in result.stdout


def test_a_long_line_is_cut_around_its_match_to_fit_80_columns(empty_blog, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    words = " ".join(f"word{i}" for i in range(60))
    write(empty_blog, "published/long-line.md", "Long", f"{words} heron {words}\n")
    out = cli("search", "heron").stdout.splitlines()
    assert out[1].startswith("    …") and out[1].endswith("…") and "[heron]" in out[1]
    assert all(len(line) <= 80 for line in out)


# -- pages and comments -------------------------------------------------------------------------------

COMMENTS = """# Reader comments, kept by blogcli: plain YAML, oldest first.
- id: wp-1
  author: Jo Reader
  date: 2026-01-11T10:00:00+00:00
  kind: comment
  body: |
    Loved the part about the depot.
    The pelican on the roof, too.
- id: wp-2
  parent: wp-1
  author: Robin
  by_author: true
  body: Thank you! The pelican is real.
"""


def test_comments_are_searched_when_asked_and_point_at_their_post(blog, cli):
    (blog / "published" / "bus-depot.comments.yaml").write_text(COMMENTS)
    assert slugs(cli, "pelican") == []
    found = hits(cli, "pelican", "--comments")
    assert sorted((hit["kind"], hit["slug"], hit["path"], hit["line"]) for hit in found) == [
        ("comment", "bus-depot", "published/bus-depot.comments.yaml", 8),
        ("comment", "bus-depot", "published/bus-depot.comments.yaml", 13),
    ]
    by_jo = next(hit for hit in found if hit["line"] == 8)
    assert by_jo["comment"] == {"id": "wp-1", "author": "Jo Reader", "date": "2026-01-11T10:00:00+00:00"}
    assert by_jo["title"] == "The Bus Depot" and by_jo["post"] == "published/bus-depot.md"
    assert by_jo["snippet"] == "The [pelican] on the roof, too."
    assert {hit["kind"] for hit in hits(cli, "depot", "--comments")} == {"post", "comment"}
    text = cli("search", "pelican", "--comments").stdout
    assert "published/bus-depot.comments.yaml:8: comment by Jo Reader on The Bus Depot (published 2026-01-10)" in text
    assert slugs(cli, "jo", "reader", "--comments") == ["bus-depot"]  # by author
    assert slugs(cli, "pelican", "--comments", "--tag", "history") == []  # the post's filters apply


def test_a_broken_comments_file_is_named_and_skipped(blog, cli):
    (blog / "published" / "bus-depot.comments.yaml").write_text("- id: a\n  author: x\n")
    result = cli("search", "depot", "--comments", "--json")
    assert result.exit_code == 0
    assert [hit["kind"] for hit in json.loads(result.stdout)] == ["post"]
    assert "published/bus-depot.comments.yaml" in result.stderr and "not searched" in result.stderr


def test_pages_are_searched_when_asked(blog, cli):
    write(blog, "pages/about.md", "About", "This blog is about buses and valleys.\n")
    assert "about" not in slugs(cli, "valleys")
    found = [hit for hit in hits(cli, "valleys", "--pages") if hit["slug"] == "about"]
    assert found and found[0]["kind"] == "page" and found[0]["path"] == "pages/about.md"
    assert cli("search", "valleys", "--pages").stdout.startswith("pages/about.md:5: About (page)")


# -- the index follows the files --------------------------------------------------------------------------


def test_an_edit_behind_the_tools_back_is_seen(blog, cli):
    age(blog)
    assert slugs(cli, "waits") == ["bus-depot"]
    path = blog / "published" / "bus-depot.md"
    size = path.stat().st_size
    path.write_text(path.read_text().replace("waits", "stops"))
    assert path.stat().st_size == size
    os.utime(path, (OLD + 60, OLD + 60))
    assert slugs(cli, "waits") == []
    assert slugs(cli, "stops") == ["bus-depot"]


def test_a_just_written_file_is_read_again_even_at_the_same_size_and_mtime(blog, cli):
    path = blog / "published" / "bus-depot.md"
    assert slugs(cli, "waits") == ["bus-depot"]
    stamp = path.stat().st_mtime_ns
    path.write_text(path.read_text().replace("waits", "stops"))
    os.utime(path, ns=(stamp, stamp))
    assert slugs(cli, "stops") == ["bus-depot"]


def test_deleted_and_renamed_files_are_followed(blog, cli):
    age(blog)
    assert slugs(cli, "depot") == ["bus-depot"]
    (blog / "published" / "bus-depot.md").rename(blog / "published" / "the-depot.md")
    assert [(hit["slug"], hit["path"]) for hit in hits(cli, "depot")] == [("the-depot", "published/the-depot.md")]
    (blog / "published" / "the-depot.md").unlink()
    assert slugs(cli, "depot") == []
    with sqlite3.connect(search_db(blog)) as db:
        assert db.execute("select count(*) from docs where file like '%depot%'").fetchone() == (0,)


def test_only_changed_files_are_read_again(blog, cli, monkeypatch):
    age(blog)
    hits(cli, "valley")
    read = []
    real = search_index.read_for_index
    monkeypatch.setattr(search_index, "read_for_index", lambda rel, *args: read.append(rel) or real(rel, *args))
    hits(cli, "valley")
    assert read == []
    path = blog / "drafts" / "valley-again.md"
    path.write_text(path.read_text() + "More.\n")
    os.utime(path, (OLD + 60, OLD + 60))
    hits(cli, "valley")
    assert read == ["drafts/valley-again.md"]


def test_a_deleted_cache_gives_the_same_answers(blog, cli):
    age(blog)
    before = hits(cli, "phones")
    for path in (blog / ".blog" / "cache").iterdir():
        path.unlink()
    assert hits(cli, "phones") == before
    assert search_db(blog).exists()


@pytest.mark.parametrize("garbage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_a_corrupt_cache_is_made_again(blog, cli, garbage):
    age(blog)
    before = hits(cli, "phones")
    db = search_db(blog)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(garbage)
    assert hits(cli, "phones") == before


def test_a_truncated_or_tampered_cache_is_made_again(blog, cli):
    age(blog)
    before = hits(cli, "phones")
    db = search_db(blog)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    assert hits(cli, "phones") == before
    with sqlite3.connect(db) as connection:
        connection.execute("update docs set fields = x'00ff'")
    assert hits(cli, "phones") == before
    with sqlite3.connect(db) as connection:
        connection.execute("drop table docs")
        connection.execute("create table docs (nonsense)")
    assert hits(cli, "phones") == before


def test_a_crafted_cache_never_reads_outside_the_workspace(blog, cli):
    outside = blog.parent / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Not yours\n---\n\nPrivate.\n")
    age(blog)
    hits(cli, "phones")
    with sqlite3.connect(search_db(blog)) as db:
        db.execute("insert into docs values (9999, '../outside/secret.md', 'post', '../outside/secret.md', "
                   "(select fields from docs limit 1), null)")
        db.execute("insert into text (rowid, title, body) values (9999, 'private', 'private')")
    assert slugs(cli, "private") == []


@pytest.mark.parametrize("linked", ["folder", "file", "wal"])
def test_a_cache_linked_out_of_the_workspace_is_not_written(blog, cli, linked):
    outside = blog.parent / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    cache = blog / ".blog" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    if linked == "folder":
        cache.rmdir()
        cache.symlink_to(outside, target_is_directory=True)
    else:
        target = outside / "keep.txt"
        (cache / ("search.sqlite" if linked == "file" else "search.sqlite-wal")).symlink_to(target)
    if linked == "folder":  # .blog's own folders may lead only inside the workspace: every command refuses
        result = cli("search", "waits")
        assert result.exit_code == 1 and result.stderr.startswith("error: .blog/cache: is a symlink to"), result.stderr
    else:
        assert slugs(cli, "waits") == ["bus-depot"]
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (outside / "keep.txt").read_text() == "mine"


def test_an_unwritable_cache_only_costs_speed(blog, cli):
    (blog / ".blog").mkdir(exist_ok=True)
    (blog / ".blog" / "cache").write_text("a file where the cache folder should be")
    assert slugs(cli, "depot") == ["bus-depot"]


def test_an_unreadable_post_is_named_and_the_rest_are_searched(blog, cli):
    (blog / "published" / "broken.md").write_bytes(b"---\ntitle: Broken depot\n---\n\nLatin-1 d\xe9p\xf4t\n")
    result = cli("search", "depot", "--json")
    assert result.exit_code == 0
    assert [hit["slug"] for hit in json.loads(result.stdout)] == ["bus-depot"]
    assert "published/broken.md" in result.stderr and "UTF-8" in result.stderr


def test_without_fts5_search_says_so(blog, cli, monkeypatch):
    monkeypatch.setattr(search_index, "FTS_MODULE", "fts5_not_compiled_in")
    result = cli("search", "depot")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: blog search needs SQLite's full-text search (FTS5)")
    assert "hint:" in result.stderr and "Traceback" not in result.stderr


def test_the_hash_size_is_raised_only_where_tested_and_a_refusal_is_harmless(blog, cli, monkeypatch):
    import sqlite3 as sqlite

    from blogcli.workspace import fts_tuning

    def hash_size():
        with sqlite.connect(search_db(blog)) as db:
            return db.execute("select v from text_config where k = 'hashsize'").fetchone()

    expected = slugs(cli, "phones")
    in_range = fts_tuning.TESTED[0] <= sqlite.sqlite_version_info < fts_tuning.TESTED[1]
    assert hash_size() == ((fts_tuning.HASH_SIZE,) if in_range else None)
    for untested in ({"TESTED": ((9, 0, 0), (9, 1, 0))}, {"TESTED": ((0, 0, 0), (99, 0, 0)), "HASH_SIZE": -1}):
        search_db(blog).unlink()
        for name, value in untested.items():
            monkeypatch.setattr(fts_tuning, name, value)
        assert slugs(cli, "phones") == expected
        assert hash_size() is None  # not set (an older SQLite), or refused (here: a size FTS5 rejects)


def test_two_searches_at_once_agree(blog):
    """Both index the same new files; one waits for the other's write, neither fails."""
    import subprocess
    import sys

    for number in range(60):
        write(blog, f"published/generated-{number}.md", f"Generated {number}", f"The kingfisher number {number}.\n")
    command = [sys.executable, "-m", "blogcli", "--root", str(blog), "search", "kingfisher", "--limit", "0", "--json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1 and len(json.loads(outputs[0][0])) == 60


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(list("ab c\t東京éÉ-_.") + ["bus ", "night "]), max_size=100).map("".join),
    st.sampled_from(["bus", "night bus", '"night bus"', "b*", "東京", "é", "a OR c"]),
    st.integers(min_value=5, max_value=80),
)
def test_a_snippet_fits_its_width_and_marks_only_matches(line, query_text, width):
    from blogcli.model.search_text import _cells, locate, marked, snippet

    query = parse_query(query_text)
    found = locate([(1, line)], query)
    if found is None:
        return
    text, spans = snippet(found, width)
    assert sum(_cells(ch) for ch in text) <= width
    words = {w for unit in query.units for w in unit.words}
    for start, end in spans:
        for _, _, word in tokens(text[start:end]):  # a marked word is a query word (or begins with one: b*)
            assert any(word == w or word.startswith(w) for w in words), (text, spans)
    assert marked(text, spans).replace("[", "").replace("]", "") == text.replace("[", "").replace("]", "")
