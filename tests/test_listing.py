"""`blog list`: order, limit, columns, what the Date column says, the pager; and the table helper."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blogcli.cli.tables import Column, cell_width, flow, layout, render_table, shorten, wrap_words


def slugs(cli, *args) -> list[str]:
    result = cli("list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return [p["slug"] for p in json.loads(result.stdout)]


def test_sort_limit_and_reverse(sample, cli):
    assert slugs(cli) == ["drawing-the-timetable", "who-rides-after-midnight", "why-the-night-bus", "about-this-notebook"]
    assert slugs(cli, "--sort", "title") == ["about-this-notebook", "drawing-the-timetable", "who-rides-after-midnight", "why-the-night-bus"]
    assert slugs(cli, "--sort", "words", "-n", "2") == ["who-rides-after-midnight", "why-the-night-bus"]
    assert slugs(cli, "--sort", "words", "--reverse", "--limit", "1") == ["about-this-notebook"]
    assert slugs(cli, "--sort", "part") == ["why-the-night-bus", "who-rides-after-midnight", "drawing-the-timetable", "about-this-notebook"]
    assert slugs(cli, "--sort", "updated")[0] == "drawing-the-timetable"


def test_a_series_lists_in_part_order_by_its_name_or_slug(sample, cli):
    expected = ["why-the-night-bus", "who-rides-after-midnight", "drawing-the-timetable"]
    assert slugs(cli, "--series", "night-bus-notebook") == expected  # the blog.toml section's slug
    assert slugs(cli, "--series", "The Night Bus Notebook") == expected
    assert slugs(cli, "--series", "night-bus-notebook", "--reverse") == expected[::-1]
    table = cli("list", "--series", "night-bus-notebook").stdout.splitlines()
    assert table[1].split()[:2] == ["Part", "Status"] and "Series" not in table[1] and "Title" in table[1]
    assert [line.split()[0] for line in table[2:]] == ["1", "2", "3"]
    unknown = cli("list", "--series", "no such series")
    assert unknown.exit_code == 1 and "no series named" in unknown.stderr


def test_limit_says_how_many_were_left_out(sample, cli):
    result = cli("list", "-n", "1")
    assert result.exit_code == 0
    assert "1 of 4 posts shown" in result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_the_date_column_says_what_each_date_is(sample, cli, monkeypatch):
    (sample / "published" / "future.md").write_text("---\ntitle: Future\ndate: 2027-01-04T09:00:00+00:00\n---\nSoon.\n")
    (sample / "drafts" / "touched.md").write_text("---\ntitle: Touched\ncreated: 2026-11-01\nupdated: 2026-11-20\n---\nx\n")
    rows = {line.split()[0]: line for line in cli("list", "--columns", "slug,date").stdout.splitlines()[2:]}
    assert rows["future"].split()[1:] == ["scheduled", "2027-01-04"]
    assert rows["why-the-night-bus"].split()[1:] == ["published", "2026-11-02"]
    assert rows["drawing-the-timetable"].split()[1:] == ["created", "2026-11-18"]
    assert rows["touched"].split()[1:] == ["updated", "2026-11-20"]
    with_status = {line.split()[0]: line.split() for line in cli("list", "--columns", "slug,status,date").stdout.splitlines()[2:]}
    assert with_status["future"][1:] == ["scheduled", "2027-01-04"]  # the Status column already names the date
    assert with_status["touched"][1:] == ["draft", "updated", "2026-11-20"]


def test_columns_are_shown_whatever_the_width(sample, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    result = cli("list", "--columns", "slug,title")
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["Slug", "Title"]
    assert any(line.startswith("who-rides-after-midnight  ") for line in lines)  # whole, though the screen is narrow
    bad = cli("list", "--columns", "slug,colour")
    assert bad.exit_code == 2 and "colour" in bad.stderr and "title" in bad.stderr


def test_the_slug_is_shortened_or_left_out_on_narrow_screens_but_kept_in_json(sample, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert "Slug" not in cli("list").stdout.splitlines()[1]
    assert "who-rides-after-midnight" in slugs(cli)


def test_usage_errors_exit_2(sample, cli):
    for args in (["--status", "done"], ["--sort", "colour"], ["--limit", "0"]):
        result = cli("list", *args)
        assert result.exit_code == 2, args
        assert "Usage:" in result.stderr or "Try" in result.stderr


def test_no_colour_codes_off_a_terminal_and_colour_when_forced(sample, cli, monkeypatch):
    assert "\x1b[" not in cli("list").stdout
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[32mpublished\x1b[0m" in cli("list").stdout


# -- the pager ----------------------------------------------------------------------------------

PAGER = textwrap.dedent("""\
    import sys
    data = sys.stdin.read()
    with open(sys.argv[1], "w") as log:
        log.write(data)
""")


def run_on_a_terminal(args: list[str], env: dict, rows: int = 5, cols: int = 100) -> str:
    """Run `blog ARGS` with stdout on a pseudo-terminal of the given size; return what it printed."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "blogcli", *args], stdin=slave, stdout=slave, stderr=subprocess.PIPE,
                               env=env, start_new_session=True)
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(master)
    return output.decode("utf-8", "replace")


@pytest.fixture
def pager_env(sample, tmp_path):
    script = tmp_path / "pager.py"
    script.write_text(PAGER)
    log = tmp_path / "paged.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    env.update(PAGER=f"{sys.executable} {script} {log}", BLOG_ROOT=str(sample))
    return env, log


def test_a_long_list_on_a_terminal_goes_through_the_pager(pager_env):
    env, log = pager_env
    run_on_a_terminal(["list"], env, rows=5)
    paged = log.read_text()
    assert "Who Rides After Midnight" in paged and "Notes from the Last Stop" in paged


def test_no_pager_when_it_fits_when_asked_or_when_piped(pager_env, sample):
    env, log = pager_env
    shown = run_on_a_terminal(["list"], env, rows=40)
    assert "Who Rides After Midnight" in shown and not log.exists()
    shown = run_on_a_terminal(["list", "--no-pager"], env, rows=5)
    assert "Who Rides After Midnight" in shown and not log.exists()
    piped = subprocess.run([sys.executable, "-m", "blogcli", "list"], env=env, capture_output=True, text=True, check=True)
    assert "Who Rides After Midnight" in piped.stdout and not log.exists()


# -- the table helper ---------------------------------------------------------------------------

def test_cell_width_counts_wide_characters_twice():
    assert cell_width("abc") == 3 and cell_width("東京") == 4 and cell_width("über") == 4 and cell_width("e\u0301") == 1


def test_a_word_too_long_for_its_column_is_cut_never_split():
    assert wrap_words("a supercalifragilistic word", 10) == ["a", "supercali…", "word"]
    assert wrap_words("東京の夜と朝", 6) == ["東京の", "夜と朝"]  # CJK breaks between characters
    assert shorten("who-rides-after-midnight", 10) == "who-rides…"


def test_a_path_breaks_after_its_folder_and_before_its_line_number_never_inside():
    where = "published/who-rides-after-midnight.md:34"
    assert wrap_words(where, 40) == [where]
    assert wrap_words(where, 30) == ["published/", "who-rides-after-midnight.md:34"]
    assert wrap_words(where, 28) == ["published/", "who-rides-after-midnight.md", ":34"]
    assert wrap_words(f"“a topic” {where}", 30) == ["“a topic”", "published/", "who-rides-after-midnight.md:34"]
    assert wrap_words("drafts/a/b/some-name.md:7", 17) == ["drafts/a/b/", "some-name.md:7"]
    assert wrap_words("published/who-rides-after-midnight.md:34", 12) == ["published/", "who-rides-a…", ":34"]  # only a name wider than the column is cut


def test_flow_wraps_styled_text_keeping_words_and_indents():
    assert flow([("The Night Bus Notebook", "bold"), "  ", ("night-bus-notebook", "dim")], None) == ["The Night Bus Notebook  night-bus-notebook"]
    assert flow([("The Night Bus Notebook", "bold"), "  ", ("night-bus-notebook", "dim")], 30, indent=2) == [
        "The Night Bus Notebook", "  night-bus-notebook"]
    assert flow(["  blog new --series some-series --next"], 31, indent=4) == ["  blog new --series some-series", "    --next"]
    assert flow(["held\u00a0together, and not"], 14) == ["held together,", "and not"]
    assert flow([("red", "red"), " and plain"], None, color=True) == ["\x1b[31mred\x1b[0m and plain"]
    for width in range(6, 40):
        lines = flow(["The promise “how the timetable was drawn” ", ("published/who-rides.md:34", "dim")], width, indent=2)
        assert all(cell_width(line) <= width and line == line.rstrip() for line in lines)
        if width >= 2 + len("timetable"):  # a word that fits the line is never cut
            assert "timetable" in " ".join(lines).split()


def test_a_table_without_a_header_row():
    lines = render_table([Column(""), Column("", wrap=True, grow=1)], [["Next slot", "Mon 30 Nov 2026 09:00 (in 5 days)"]], width=30, header=False)
    assert lines == ["Next slot  Mon 30 Nov 2026", "           09:00 (in 5 days)"]


def test_a_droppable_column_goes_before_the_others_squeeze():
    columns = [Column("Status"), Column("Slug", shorten=True, min_width=12, drop=1), Column("Title", wrap=True, grow=1)]
    rows = [["published", "a-rather-long-slug-for-a-post", "A Title That Wants Its Room In Full Please"]]
    assert [i for i, _ in layout(columns, rows, 60)] == [0, 2]
    assert [i for i, _ in layout(columns, rows, 120)] == [0, 1, 2]
    assert layout(columns, rows, None) == [(0, 9), (1, 29), (2, 42)]


words = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Lo")), min_size=1, max_size=14)


@settings(max_examples=200, deadline=None)
@given(titles=st.lists(st.lists(words, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6),
       width=st.integers(min_value=40, max_value=160))
def test_any_table_fits_and_keeps_its_words_whole(titles, width):
    columns = [Column("Status"), Column("Slug", shorten=True, min_width=12, drop=1),
               Column("Title", wrap=True, min_width=20, grow=1), Column("Words", justify="right")]
    rows = [["published", title.lower().replace(" ", "-"), title, "12"] for title in titles]
    lines = render_table(columns, rows, width)
    assert all(cell_width(line) <= width and line == line.rstrip() for line in lines)
    tokens = set(" ".join(lines).split())
    for title in titles:
        for word in title.split():
            if word.isascii():
                assert word in tokens
    header = lines[0].split()
    assert "Title" in header and "Status" in header and "Words" in header
