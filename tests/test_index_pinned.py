"""What the index stores for a post file, pinned: `read_fields` (a file's fields as
`post_fields` marshals them, or the problem that keeps it unread) over a fixed, varied set of
files is compared with tests/fixtures/index/pinned.json, written from the code as it was before
reading a post was made faster (issue 12). A change of speed must not change one field, nor one
problem's code, line or message.

The files: the sample blog's posts, the hostile blog's (tests/data/hostile/), the bad files of
tests/data/bad/, files made here from a fixed seed (tricky YAML and TOML headers, fences, BOMs,
CRLF, link targets, text outside ASCII, bytes that are not UTF-8), the 1,000-post corpus of
`benchmarks.corpus` (seed 0; pinned as digests, since the corpus is not checked in).

What is compared is the value the index reads back (`marshal.loads` of the fields, by its repr:
types included), not the marshalled bytes themselves: marshal marks an object shared by its
reference count, so equal values may marshal to different bytes, all read alike.

After a deliberate change to what is read, rewrite the fixture and review the diff:

    .venv/bin/python -m pytest -q tests/test_index_pinned.py --regen-golden && git diff --stat tests/fixtures/index
"""

from __future__ import annotations

import hashlib
import json
import marshal
from pathlib import Path

import pytest

from blogcli.model.dates import zone
from blogcli.model.post import Problem
from blogcli.workspace.index import read_fields
from conftest import FixedNumbers, generated_blog

REPO = Path(__file__).resolve().parent.parent
PINNED = Path(__file__).parent / "fixtures" / "index" / "pinned.json"
CORPUS_POSTS, CORPUS_SEED = 1000, 0
GENERATED_FILES = 800


_KEYS = ["title", "date", "created", "updated", "tags", "series", "part", "summary", "next", "fulfils",
         "draft", "yes", "Title", "x-y", "a b", "1st", '"title"', "'date'"]
_VALUES = [
    "", "yes", "No", "off", "true", "null", "~", "nan", ".inf", "-1", "0", "007", "0x1F", "1_000", "12", "3.5", "1e3",
    "2", "'2'", '"3"', "²", "100000", "100001", "99999999999", "2026-11-25", "2026-02-30", "2026-13-45",
    "2026-11-25T09:00:00+01:00", "2026-11-25T09:00:00Z", "2026-11-25T09:00:00", "2026-11-25 09:00", "2026-11-25T9:00:00Z",
    "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00Z", "2026-11-25T09:00:00.5Z", "12:30", "Hello", "Hello world",
    "It's fine", "Why?", "a: b", "a #b", "#x", "-x", "*x", "&x x", "!x", "%x", "@x", "|", ">", "<<", "=",
    "[a, b]", "[a,b]", "[]", "[ ]", "[a, [b]]", "[a,]", "[yes, b]", "[a, 1]", "[~, b]", "{a: b}", "{}", "a, b, c",
    '"quoted"', '"with: colon # hash"', '"esc\\"aped"', '"tab\\there"', "'it''s'", "''", '""', "Ünïcödé wörds",
    "日本語", "naïve — dash", "tab\there", "a  b", "ends ", "x\x07y", "a\u2028b", "a\xa0b", "(paren)", "a/b & c; d",
    "!!str 3", "!!int x", "!!timestamp nope", "!!binary x", "&a [1, 2]", "*a", "*nope", "[" * 70 + "]" * 70,
]
_BLOCKS = [
    "tags:\n  - a\n  - b\n", "tags:\n- x\n-\n- [y]\n", "tags:\n  - {a: 1}\n", "summary: >\n  folded\n  text\n",
    "summary: |\n  kept\n\n  lines\n", "# a comment\n", "title: x # not a comment?\n", "\n", "   \n",
    "series:\n  name: nested\n", "next: [\n  a,\n  b]\n", "title: 'open\n", "title: \"open\n", "- a list\n",
    "just text\n", "title x\n", "\ttitle: tab\n", "title: a\ntitle: b\n", "part: 1\npart: two\n", "? complex\n: key\n",
    "a: &x [1, 2]\nb: [*x, *x, *x]\n",
]
_TOML_LINES = [
    'title = "A TOML post"\n', "date = 2026-11-25T09:00:00Z\n", "date = 2026-11-25\n", "date = 2026-11-25T09:00:00\n",
    'tags = ["a", "b"]\n', "tags = []\n", "part = 2\n", 'part = "3"\n', "part = 0\n", "series = 3\n", 'series = "s"\n',
    'summary = """two\nlines"""\n', "title = \n", "[params]\n", 'x = "y"\n', "draft = true\n", "next = 1.5\n",
]
_BODY_PIECES = [
    "word ", "Words and more words. ", "don't ", "x_y ", "re-read ", "a-b-c ", "’tis ", "-- ", "_ ", "' ", "1,000 ", "3.14 ",
    "[a link](https://example.org/x) ", "[a](b.md) ", "](", ")", "<b>", "<", ">", "<>", "<a href='x'>y</a> ", "<!-- c -->",
    "```\n", "```python\n", "~~~\n", "`code` ", "**bold** ", "\n", "\n\n", "\r\n", "\r", "\t", " ", "\u00a0", "\u2028", "\x0c",
    "naïve café ", "日本語の文章。", "עברית ", "🚌 ", "e\u0301 ", "ﬁ ", "İ ", "---\n", "...\n", "+++\n", "# Heading\n", "- item\n",
    "next week I'll look at the depot. ",
]
_OPENINGS = ["---\n", "---\r\n", "\ufeff---\n", "--- \n", "---", "", "", "+++\n"]
_CLOSINGS = ["---\n", "---\r\n", "...\n", "--- \t\n", "---", "", "----\n"]
_NAMES = ["post", "Café au lait", "東京の夜", "a b", "x", "two--dashes", "ÉCOLE", "-lead", "1999"]


# Values YAML reads without an error (of every type the schema meets), for headers that parse.
_READABLE_VALUES = [value for value in _VALUES if value not in {
    "a: b", "*x", "!x", "%x", "@x", "!!int x", "!!binary x", "*a", "*nope", "[" * 70 + "]" * 70, "ends ", "x\x07y", "tab\there"}]
_SCHEMA_KEYS = _KEYS[:10]
# Values of the common header, read without PyYAML (model/simple_header.py), and some just outside it.
_COMMON_VALUES = [
    "", "Hello", "Hello world", "It's fine", "Why?", "Wow!", "a/b & c; d", "Ünïcödé wörds", "naïve café", "2", "12", "0",
    "100000", "100001", "999999999999999999", "2026-11-25", "2026-11-25T09:00:00Z", "2026-11-25T09:00:00+01:00",
    "2026-11-25T09:00:00-05:30", "2026-11-25T09:00:00", "2026-02-30", "[a, b]", "[a,b]", "[]", "[ ]", "[Hello world, x]",
    "'2'", '"3"', "'it''s'", '""', "x_y", "ends.",
]
_LIST_WORDS = ["Hello", "Hello world", "It's fine", "Why?", "a/b & c; d", "Ünïcödé wörds", "naïve café", "x_y", "a, b", "2", "yes"]
_JUST_OUTSIDE = ["yes", "Null", "007", "[yes, b]", "[a, 1]", "Über-long title, with: colon", "2026-11-25 09:00", "-1"]


def _header(numbers: FixedNumbers, crlf: bool, kind: str) -> str:
    """Header lines: "common" ones the schema's keys with the common values, "readable" ones
    `key: value` lines YAML reads (values of every type), "tricky" ones anything from _KEYS,
    _VALUES and _BLOCKS."""
    lines = []
    for _ in range(numbers.below(8)):
        if kind == "common" and numbers.below(4) == 0:  # a block list, mostly of words indented alike
            indent = numbers.pick(["", "  ", "    "])
            items = [f"{indent}{numbers.pick(['', '', '', '', '', '', ' '])}- {numbers.pick(_LIST_WORDS)}\n"
                     for _ in range(numbers.below(4))]
            lines.append(f"{numbers.pick(_SCHEMA_KEYS)}:\n" + "".join(items))
        elif kind == "common":
            key, value = numbers.pick(_SCHEMA_KEYS), numbers.pick(_JUST_OUTSIDE if numbers.below(10) == 0 else _COMMON_VALUES)
            lines.append(f"{key}:{' ' if value else ''}{value}\n")
        elif kind == "readable":
            key, value = numbers.pick(_SCHEMA_KEYS), numbers.pick(_READABLE_VALUES)
            lines.append(f"{key}:{' ' if value else ''}{value}\n")
        elif numbers.below(5) == 0:
            lines.append(numbers.pick(_BLOCKS))
        else:
            key, value = numbers.pick(_KEYS), numbers.pick(_VALUES)
            gap, trailing = numbers.pick([" ", "  ", ""]) if value else "", numbers.pick(["", " ", "\t"])
            lines.append(f"{key}:{gap}{value}{trailing}\n")
    text = "".join(lines)
    return text.replace("\n", "\r\n") if crlf else text


def _generated_files() -> dict[str, bytes]:
    numbers = FixedNumbers(12)
    files = {}
    for number in range(GENERATED_FILES):
        crlf = numbers.below(4) == 0
        opening = numbers.pick(_OPENINGS)
        if opening == "+++\n":
            header = "".join(numbers.pick(_TOML_LINES) for _ in range(numbers.below(6)))
            closing = numbers.pick(["+++\n", "+++ \n", "+++", ""])
        elif numbers.below(5) < 3:
            header = _header(numbers, crlf, numbers.pick(["common", "common", "readable"]))
            closing = "---\r\n" if crlf else "---\n"
        else:
            header = _header(numbers, crlf, "tricky")
            closing = numbers.pick(_CLOSINGS)
        body = "".join(numbers.pick(_BODY_PIECES) for _ in range(numbers.below(80)))
        data = (opening + header + closing + body).encode("utf-8")
        spoil = numbers.below(40)
        if spoil == 0:
            data += b"\x00"
        elif spoil == 1:
            data = data[: len(data) // 2] + b"\xff\xfe" + data[len(data) // 2 :]
        folder = "drafts" if numbers.below(3) == 0 else "published"
        files[f"generated/{folder}/{number:03d}-{numbers.pick(_NAMES)}.md"] = data
    # Long lines and many link openers: the word count's slow-input guards must give the same count.
    files["generated/published/many-openers.md"] = b"---\ntitle: Openers\n---\n" + b"[a](" * 5000 + b" <b" * 5000
    files["generated/published/long-line.md"] = b"---\ntitle: Long\n---\n" + b"word [l](x) <i>y</i> " * 20000
    files["generated/drafts/only-header.md"] = b"---\ntitle: Planned\ntags: [a]\n---\n"
    files["generated/drafts/blank.md"] = b" \n\t\r\n"
    files["generated/drafts/empty.md"] = b""
    return files


def _blog_files(blog: Path, label: str) -> dict[str, tuple[bytes, str]]:
    """label/folder/name → (bytes, the blog's timezone)."""
    from blogcli.workspace.config import load_config

    timezone = load_config(blog).timezone
    files = sorted(path for folder in ("published", "drafts") for path in (blog / folder).glob("*.md"))
    return {f"{label}/{path.relative_to(blog).as_posix()}": (path.read_bytes(), timezone) for path in files}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generated_blog(tmp_path_factory.mktemp("corpus"), CORPUS_POSTS, CORPUS_SEED)


@pytest.fixture(scope="module")
def files(corpus) -> dict[str, tuple[bytes, str]]:
    """Every file read, by name: its bytes and the timezone its blog reads dates in."""
    bad = {f"bad/drafts/{path.name}": (path.read_bytes(), "UTC") for path in sorted((REPO / "tests" / "data" / "bad").glob("*.md"))}
    return {
        **_blog_files(REPO, "sample"),
        **_blog_files(REPO / "tests" / "data" / "hostile", "hostile-blog"),
        **bad,
        **{name: (data, "America/New_York") for name, data in _generated_files().items()},
        **_blog_files(corpus, "corpus"),
    }


@pytest.fixture(scope="module")
def results(files, tmp_path_factory) -> dict[str, bytes | Problem]:
    """`read_fields` of each file, written where its name says (the rel being `folder/name`)."""
    root = tmp_path_factory.mktemp("read")
    by_zone: dict[str, list[tuple[str, str, str]]] = {}
    for name, (data, timezone) in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        by_zone.setdefault(timezone, []).append((name, name.split("/", 1)[1], str(path)))
    found = {}
    for timezone, entries in by_zone.items():
        for (name, _, _), result in zip(entries, read_fields([(rel, path) for _, rel, path in entries], zone(timezone))):
            found[name] = result
    return found


# -- what is pinned ---------------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _as_pinned(result: bytes | Problem) -> dict:
    """A file's fields as the digest of what the index reads back, with its problems in full; or
    the problem that kept it unread."""
    if isinstance(result, Problem):
        return {"unread": result.as_dict()}
    assert isinstance(result, bytes)
    value = marshal.loads(result)
    entry = {"fields": _digest(repr(value).encode("utf-8", "surrogatepass"))}
    if value[12]:  # the problems
        entry["problems"] = value[12]
    return entry


def _pinned(regen: bool, files: dict, results: dict) -> dict:
    if regen:
        PINNED.parent.mkdir(parents=True, exist_ok=True)
        entries = {name: {"bytes": _digest(files[name][0]), **_as_pinned(result)} for name, result in results.items()}
        lines = ",\n".join(f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False, sort_keys=True)}"
                           for name, entry in sorted(entries.items()))
        PINNED.write_text(f"{{\n{lines}\n}}\n", encoding="utf-8")
    assert PINNED.is_file(), f"no pinned results at {PINNED}: run pytest with --regen-golden and review them"
    return json.loads(PINNED.read_text(encoding="utf-8"))


def test_the_files_are_the_pinned_ones(files, results, regen_golden):
    pinned = _pinned(regen_golden, files, results)
    assert sorted(pinned) == sorted(files)
    changed = [name for name, (data, _) in files.items() if pinned[name]["bytes"] != _digest(data)]
    assert not changed, f"these files are not the ones the results were pinned for (the corpus generator or a sample changed?): {changed[:10]}"
    assert sum(1 for name in files if name.startswith("corpus/")) == CORPUS_POSTS
    # The set must exercise what it pins: files unread, files read with problems, files read clean.
    assert sum("unread" in entry for entry in pinned.values()) >= 20
    assert sum("problems" in entry for entry in pinned.values()) >= 200
    assert sum("fields" in entry and "problems" not in entry for entry in pinned.values()) >= 1000


def test_read_fields_reads_what_it_read_before(files, results, regen_golden):
    pinned = _pinned(regen_golden, files, results)
    different = [name for name, result in results.items() if _as_pinned(result) != {k: v for k, v in pinned[name].items() if k != "bytes"}]
    assert not different, f"{len(different)} files read differently from the pinned results, e.g. {different[:10]}"


def test_the_benchmark_reads_every_post_of_a_blog(corpus):
    # `python -m benchmarks.read_fields BLOG` (issue 12's measure) times read_fields over these files.
    from benchmarks.read_fields import best_cpu, post_files

    assert len(post_files(corpus)) == CORPUS_POSTS
    seconds, read = best_cpu(corpus, repeat=1)
    assert seconds >= 0 and read == CORPUS_POSTS
