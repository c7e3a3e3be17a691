"""Startup stays cheap: what the CLI imports, and what the cheapest commands import.

Each check runs a fresh interpreter (the test process has imported everything already).
tests/test_preview.py checks the Markdown/render modules at import; this file covers every heavy
module, the commands people run most, and the Typer coercion shortcut in cli/common.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = (
    "rich", "yaml", "sqlite3", "jinja2", "markdown", "markdown_it", "mdit_py_plugins", "cmarkgfm", "pygments",
    "watchfiles", "pydantic", "frontmatter", "multiprocessing", "concurrent.futures", "feedparser", "http.server", "httpx",
)
OLD = 1_700_000_000


def loaded_after(code: str, env: dict | None = None) -> list[str]:
    """Run `code` in a fresh interpreter; return which HEAVY modules (or their submodules) it loaded."""
    probe = f"""
import io, json, sys
real_stdout = sys.stdout
sys.stdout = io.StringIO()
try:
{chr(10).join('    ' + line for line in code.strip().splitlines())}
finally:
    sys.stdout = real_stdout
heavy = {HEAVY!r}
print(json.dumps(sorted({{m for m in heavy for name in sys.modules if name == m or name.startswith(m + ".")}})))
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_entry(*args: str) -> str:
    return f"from blogcli.entry import main\nmain({list(args)!r})"


def test_importing_the_cli_loads_no_heavy_module():
    assert loaded_after("import blogcli.cli.app") == []


def test_version_is_answered_before_typer_loads():
    code = run_entry("--version") + "\nassert 'typer' not in sys.modules and 'blogcli.cli.app' not in sys.modules"
    assert loaded_after(code) == []


def test_help_loads_no_heavy_module():
    assert loaded_after(run_entry("--help") + "\nassert 'typer' in sys.modules") == []


@pytest.fixture
def settled(sample):
    """The sample blog with its files old enough to be cached, and the cache filled."""
    for path in sample.glob("*/*.md"):
        os.utime(path, (OLD, OLD))
    subprocess.run([sys.executable, "-m", "blogcli", "list"], check=True, capture_output=True, env={**os.environ})
    return sample


def test_list_loads_only_the_index(settled):
    """No YAML (headers come from the index), no pydantic (no option needs converting), no Rich
    (the table is cli/tables.py's)."""
    assert loaded_after(run_entry("list")) == ["sqlite3"]
    assert loaded_after(run_entry("list", "--json")) == ["sqlite3"]


def test_search_loads_only_sqlite(settled):
    """No Rich off a terminal, no YAML, no pydantic for the query's words or --status, no
    process pool once the index is made."""
    subprocess.run([sys.executable, "-m", "blogcli", "search", "bus"], check=True, capture_output=True)
    assert loaded_after(run_entry("search", "night", "bus", "--json")) == ["sqlite3"]
    assert loaded_after(run_entry("search", "night", "-tram", "--status", "published", "--limit", "3")) == ["sqlite3"]


def test_stats_loads_only_the_index_and_rich_for_its_screen(settled):
    """No YAML (the ledger reads the parts' texts without it), no pydantic for the dates or
    the series, no Jinja2; Rich only to lay out the screen."""
    assert loaded_after(run_entry("stats", "--json")) == ["sqlite3"]
    assert loaded_after(run_entry("stats", "night-bus-notebook", "--since", "2026-11-01", "--json")) == ["sqlite3"]
    assert loaded_after(run_entry("stats", "--until", "2026-11-30")) == ["rich", "sqlite3"]


def test_plain_text_and_unset_values_skip_pydantic_but_keep_their_meaning(settled):
    code = run_entry("list", "--json", "--series", "The Night Bus Notebook", "--tag", "fieldwork")
    assert loaded_after(code) == ["sqlite3"]
    result = subprocess.run(
        [sys.executable, "-m", "blogcli", "list", "--json", "--series", "The Night Bus Notebook", "--tag", "fieldwork"],
        capture_output=True, text=True, check=True,
    )
    assert [item["slug"] for item in json.loads(result.stdout)] == ["why-the-night-bus", "who-rides-after-midnight"]  # part order


def test_whole_numbers_within_bounds_skip_pydantic(settled):
    assert "pydantic" not in loaded_after(run_entry("preview", "why-the-night-bus", "--width", "80", "--no-color"))
    assert "pydantic" in loaded_after(run_entry("preview", "why-the-night-bus", "--width", "10", "--no-color"))


def test_values_that_need_converting_still_go_through_typer(cli, sample):
    """An int with a minimum is still checked, by Typer's own (pydantic) coercion."""
    result = cli("new", "A title", "--part", "0", "--no-edit")
    assert result.exit_code == 2
    assert "--part" in result.stderr and "greater than or equal to 1" in result.stderr
    result = cli("new", "A title", "--part", "two", "--no-edit")
    assert result.exit_code == 2
    result = cli("preview", "why-the-night-bus", "--width", "19")
    assert result.exit_code == 2 and "greater than or equal to 20" in result.stderr
    result = cli("new", "A title", "--part", "3", "--tag", "x", "--tag", "y", "--no-edit")
    assert result.exit_code == 0, result.stderr
    made = (sample / "drafts" / "a-title.md").read_text()
    assert "part: 3" in made and "tags: [x, y]" in made


def test_a_command_line_builds_only_its_commands_module():
    """`blog list` converts one module's commands for Click; the map in cli/app.py is the truth."""
    from typer.main import get_command

    from blogcli.cli.app import COMMAND_MODULES, make_app

    everything = get_command(make_app()).commands
    assert sorted(everything) == sorted(c for commands in COMMAND_MODULES.values() for c in commands)
    for commands in COMMAND_MODULES.values():
        for command in commands:
            built = get_command(make_app(["--root", "list", command, "--help"])).commands
            assert sorted(built) == sorted(commands), command
    assert sorted(get_command(make_app(["--help", "list"])).commands) == sorted(everything)
    assert sorted(get_command(make_app(["lsit"])).commands) == sorted(everything)  # for "did you mean"


def test_a_build_loads_nothing_of_the_network(settled):
    """xml.sax.saxutils would bring urllib.request, http.client and ssl (~50 ms) for two escaping
    functions: the feeds escape by themselves (site/feeds.py)."""
    code = run_entry("build") + "\nprint(sorted(m for m in ('urllib.request', 'http.client', 'ssl') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True, env={**os.environ},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_build_with_code_loads_no_package_metadata(settled):
    """Highlighting a code block in a language Pygments knows needs no plugin: Pygments' plugin
    module, and importlib.metadata behind it (~15-20 ms), wait for one (render/pygments_plugins.py)."""
    post = settled / "published" / "who-rides-after-midnight.md"
    post.write_text(post.read_text() + "\n```sh\nwc -l tally-*.csv\n```\n")
    code = run_entry("build") + "\nprint(sorted(m for m in ('importlib.metadata', 'pygments.lexers') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True, env={**os.environ},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['pygments.lexers']"
    assert '<div class="highlight">' in (settled / "site" / "who-rides-after-midnight" / "index.html").read_text()


def test_zoneinfo_is_loaded_only_for_a_named_timezone(settled):
    """A blog in UTC needs no tz database (model/dates.zone): zoneinfo and the sysconfig it reads
    its paths from stay unloaded; a named timezone still loads them."""
    probe = "\nprint(json.dumps(['zoneinfo' in sys.modules, 'sysconfig' in sys.modules]))"
    named = subprocess.run([sys.executable, "-c", "import json, sys\n" + run_entry("list", "--json") + probe],
                           capture_output=True, text=True, timeout=60)
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout.splitlines()[-1]) == [True, True]
    toml = settled / "blog.toml"
    toml.write_text(toml.read_text().replace('timezone = "Europe/London"', 'timezone = "UTC"'))
    utc = subprocess.run([sys.executable, "-c", "import json, sys\n" + run_entry("list", "--json") + probe],
                         capture_output=True, text=True, timeout=60)
    assert utc.returncode == 0, utc.stderr
    assert json.loads(utc.stdout.splitlines()[-1]) == [False, False]
