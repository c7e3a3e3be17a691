"""Golden screens: what `blog list`, `blog trash`, `blog check` and `blog series list / show /
promises` print at 80, 100 and 120 columns.

The expected screens are text files in tests/screens/, checked in and reviewed like code.
After a deliberate change to a screen, rewrite them (as the golden site) and read the diff:

    .venv/bin/python -m pytest tests/test_screens.py --regen-golden && git diff tests/screens

Whatever the files say, every screen must keep the rules of cli/tables.py: no line wider than
the terminal, every header whole, nothing in the gaps between columns, no word broken inside.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blogcli.cli.tables import cell_width

SCREENS = Path(__file__).parent / "screens"
WIDTHS = (80, 100, 120)
LONG_SLUG = "notes-toward-a-complete-field-guide-to-the-overnight-routes"  # 59 characters, as slugify makes it
LONG_SERIES = "Field Guides to the Small Hours of Every City I Have Lived In"

EXTRA_POSTS = {
    f"published/{LONG_SLUG}.md": (
        "---\ntitle: Notes Toward a Complete Field Guide to the Overnight Routes of the Northern Line and Beyond\n"
        f"date: 2026-11-16T09:00:00+00:00\ntags: [transport, guides]\nseries: {LONG_SERIES}\npart: 1\n---\n\n"
        "Every route, every stop, every driver who would talk to me. TODO: the Edgware branch.\n"
    ),
    "published/why-every-timetable-lies-a-little-and-the-spreadsheet-from.md": (
        "---\ntitle: Why Every Timetable Lies a Little, and the Spreadsheet from 1998 That Nobody Dares to Delete\n"
        f"date: 2026-12-07T09:00:00+00:00\ncreated: 2026-11-20T08:00:00+00:00\nseries: {LONG_SERIES}\npart: 2\n---\n\n"
        "The spreadsheet has forty tabs.\n"
    ),
    "drafts/what-the-drivers-say.md": (
        "---\ntitle: What the Drivers Say When the Last Passenger Gets Off at the Terminus\n"
        "created: 2026-11-21T22:10:00+00:00\n---\n\n"
    ),
    "drafts/tokyo-at-night.md": (
        "---\ntitle: 東京の夜 — 終電のあとで歩いた街の記録とその後の朝\ncreated: 2026-11-22T23:40:00+00:00\n"
        "updated: 2026-11-24T07:15:00+00:00\ntags: [travel]\n---\n\nA walk after the last train.\n"
    ),
}


@pytest.fixture
def long_blog(sample):
    """The sample blog plus posts with a 59-character slug, long titles, a long series name,
    a scheduled part, a planned draft and a title in Japanese."""
    for rel, text in EXTRA_POSTS.items():
        (sample / rel).write_text(text, encoding="utf-8")
    return sample


def screen(cli, monkeypatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*args)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def check_golden(name: str, text: str, regen: bool) -> None:
    """`text` against tests/screens/<name>.txt (written instead with --regen-golden); test_stats_cli uses it too."""
    path = SCREENS / f"{name}.txt"
    if regen:
        SCREENS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden screen {path.name}: run its test with --regen-golden"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs (if the change is meant, --regen-golden and review)"


def assert_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_width(line) <= width, f"wider than {width}: {line!r}"
        assert line == line.rstrip(), f"trailing spaces: {line!r}"


def assert_table_shape(text: str, headers: list[str]) -> None:
    """Every header whole, in order, and every line blank in the two columns before each header
    after the first (no cell spills into its neighbour or squeezes a header)."""
    lines = text.splitlines()
    header_line = next(i for i, line in enumerate(lines) if line.split()[:1] == [headers[0]])
    found = [m.group(0) for m in re.finditer(r"\S+(?: \S+)*", lines[header_line])]
    assert found == headers, f"headers {found} != {headers}"
    starts = [lines[header_line].index(h) for h in headers]
    for line in lines[header_line:]:
        if not line.strip():
            break
        cells = on_screen(line)
        for start in starts[1:]:
            assert "".join(cells[start - 2 : start]).strip() == "", f"a cell runs into the next column: {line!r}"


def on_screen(line: str) -> list[str]:
    """The line as terminal cells: a wide character takes two (the second one empty)."""
    cells = []
    for char in line:
        cells.append(char)
        cells.extend("" for _ in range(cell_width(char) - 1))
    return cells


def assert_words_whole(text: str, phrases: list[str]) -> None:
    tokens = set(text.split())
    for phrase in phrases:
        for word in phrase.split():
            if word.isascii():
                assert word in tokens, f"{word!r} (of {phrase!r}) is broken or missing"


TITLES = ["Drawing the Timetable", "Who Rides After Midnight", "Why the Night Bus?", "About this notebook",
          "Notes Toward a Complete Field Guide to the Overnight Routes of the Northern Line and Beyond",
          "Why Every Timetable Lies a Little, and the Spreadsheet from 1998 That Nobody Dares to Delete",
          "What the Drivers Say When the Last Passenger Gets Off at the Terminus", LONG_SERIES, "The Night Bus Notebook"]


@pytest.mark.parametrize("width", WIDTHS)
def test_blog_list_of_the_sample_blog(sample, cli, monkeypatch, regen_golden, width):
    text = screen(cli, monkeypatch, width, "list")
    assert_fits(text, width)
    assert_words_whole(text, TITLES[:4] + ["The Night Bus Notebook"])
    assert_table_shape(text, ["Status", "Slug", "Title", "Series", "Date", "Words"] if width >= 120 else
                       ["Status", "Title", "Series", "Date", "Words"])
    check_golden(f"list-sample-{width}", text, regen_golden)


@pytest.mark.parametrize("width", WIDTHS)
def test_blog_list_with_long_slugs_and_titles(long_blog, cli, monkeypatch, regen_golden, width):
    text = screen(cli, monkeypatch, width, "list")
    assert_fits(text, width)
    assert_words_whole(text, TITLES)
    headers = text.splitlines()[1].split()
    assert headers[:1] == ["Status"] and {"Title", "Series", "Date", "Words"} <= set(headers)
    assert_table_shape(text, headers)
    assert "東京の夜" in text
    check_golden(f"list-long-{width}", text, regen_golden)


@pytest.mark.parametrize("width", WIDTHS)
def test_blog_list_of_a_series_is_in_part_order(long_blog, cli, monkeypatch, regen_golden, width):
    text = screen(cli, monkeypatch, width, "list", "--series", "night-bus-notebook")
    assert_fits(text, width)
    lines = text.splitlines()
    assert lines[1].split()[:2] == ["Part", "Status"]
    assert [line.split()[0] for line in lines[2:] if line[:4].strip()] == ["1", "2", "3"]
    check_golden(f"list-series-{width}", text, regen_golden)


@pytest.mark.parametrize("width", WIDTHS)
def test_blog_trash(long_blog, cli, monkeypatch, regen_golden, width):
    assert cli("delete", LONG_SLUG, "--force").exit_code == 0
    assert cli("delete", "about-this-notebook", "--force").exit_code == 0
    text = screen(cli, monkeypatch, width, "trash")
    assert_fits(text, width)
    assert_words_whole(text, TITLES[3:5])
    assert "2026-11-25 10:00" in text and "+00:00" not in text  # a readable local time, not the raw stamp
    check_golden(f"trash-{width}", text, regen_golden)


@pytest.mark.parametrize("width", WIDTHS)
def test_blog_check(long_blog, cli, monkeypatch, regen_golden, width):
    text = screen(cli, monkeypatch, width, "check")
    assert_fits(text, width)
    assert "TODO" in text
    check_golden(f"check-{width}", text, regen_golden)


def test_piped_output_has_one_line_a_row_and_no_padding(long_blog, cli, monkeypatch):
    """Without a terminal and without COLUMNS, cells keep their natural width: grep finds whole rows."""
    monkeypatch.delenv("COLUMNS")
    text = cli("list").stdout
    lines = text.splitlines()
    assert len(lines) == 2 + 8
    assert all(line == line.rstrip() for line in lines)
    assert any(LONG_SLUG in line and "Northern Line and Beyond" in line for line in lines)


# -- blog series list / show / promises ----------------------------------------------------------

TEASER = "\nNext week I'll look at the night buses of the southern routes.\n"


@pytest.fixture
def series_blog(long_blog):
    """The long blog, its long-slugged part promising a topic that no part keeps (overdue)."""
    path = long_blog / "published" / f"{LONG_SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8") + TEASER, encoding="utf-8")
    return long_blog


def assert_locations_whole(text: str, locations: list[str]) -> None:
    """Each `path:line` whole, or broken only after its folder and before its line number."""
    tokens = set(text.split())
    for location in locations:
        folder, name = location.split("/", 1)
        file_name, number = name.rsplit(":", 1)
        splits = [{location}, {folder + "/", name}, {folder + "/", file_name, ":" + number}, {folder + "/" + file_name, ":" + number}]
        assert any(split <= tokens for split in splits), f"{location} is broken inside: {text}"


@pytest.mark.parametrize("width", WIDTHS)
def test_series_list(series_blog, cli, monkeypatch, regen_golden, width):
    text = screen(cli, monkeypatch, width, "series", "list")
    assert_fits(text, width)
    assert_words_whole(text, [LONG_SERIES, "The Night Bus Notebook", "2 published", "1 draft", "1 scheduled"])
    headers = text.splitlines()[0].split("  ")
    assert_table_shape(text, [h.strip() for h in headers if h.strip()])
    assert "(in 5 days)" in text  # held together
    check_golden(f"series-list-{width}", text, regen_golden)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["night-bus-notebook", LONG_SERIES])
def test_series_show(series_blog, cli, monkeypatch, regen_golden, width, name):
    text = screen(cli, monkeypatch, width, "series", "show", name)
    assert_fits(text, width)
    assert_words_whole(text, TITLES[:3] if name == "night-bus-notebook" else TITLES[4:6] + [LONG_SERIES])
    assert_table_shape(text, ["#", "Title", "Status", "Date", "Teases next"])
    assert "Next slot" in text and "Still owed" in text
    check_golden(f"series-show-{'night-bus' if name == 'night-bus-notebook' else 'long'}-{width}", text, regen_golden)


@pytest.mark.parametrize("width", WIDTHS)
def test_series_promises(series_blog, cli, monkeypatch, regen_golden, width):
    text = screen(cli, monkeypatch, width, "series", "promises")
    assert_fits(text, width)
    assert_words_whole(text.replace("“", " ").replace("”", " "), ["who actually rides after midnight", "the night buses of the southern routes",
                                                                "Who Rides After Midnight"])
    assert_locations_whole(text, [f"published/{LONG_SLUG}.md:11", "published/who-rides-after-midnight.md:34",
                                  "published/why-the-night-bus.md:30"])
    assert "drafts/drawing-the-timetable.md" in text.split()
    assert "2 promises still owed." in text and {"overdue", "since", "2026-11-23"} <= set(text.split())
    check_golden(f"series-promises-{width}", text, regen_golden)


def test_series_screens_piped_have_no_padding(series_blog, cli, monkeypatch):
    """Piped (no terminal, no COLUMNS): one line a row, nothing after the last character, no NBSP."""
    monkeypatch.delenv("COLUMNS")
    for args in (["series", "list"], ["series", "show", "night-bus-notebook"], ["series", "promises"]):
        text = cli(*args).stdout
        assert text and all(line == line.rstrip() for line in text.splitlines()), args
        assert "\u00a0" not in text and "\x1b[" not in text
    listed = cli("series", "list").stdout.splitlines()
    assert len(listed) == 1 + 2 * 2  # a header, and two lines a series (its counts one a line)
    assert f"published/{LONG_SLUG}.md:11" in cli("series", "promises").stdout
