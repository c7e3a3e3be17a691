"""Help that teaches (words for values, grouped commands, whole summaries, examples), usage errors
that exit 2, and shell completion of real values through the installed `blog` script."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from conftest import blog_bin


def every_command() -> list[str]:
    """Every command and subcommand the app has (a new command is held to the same rules)."""
    from typer.main import get_command

    from blogcli.cli.app import make_app

    def walk(group, prefix: str) -> list[str]:
        names = []
        for name, command in group.commands.items():
            names.append(f"{prefix}{name}")
            if hasattr(command, "commands"):
                names += walk(command, f"{prefix}{name} ")
        return names

    return walk(get_command(make_app()), "")


COMMANDS = every_command()
PYTHON_TYPES = re.compile(r"<(str|int|float|bool|path|list\[[^\]]*\]|int range|float range)>|\{[a-z_]+\}")


def help_of(cli, command: str) -> str:
    result = cli(*command.split(), "--help")
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_words_for_values_and_an_example(cli, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    text = help_of(cli, command)
    assert not PYTHON_TYPES.search(text), PYTHON_TYPES.search(text).group(0)
    examples = text.split("\nExamples:\n", 1)
    assert len(examples) == 2, f"blog {command} --help has no Examples: block"
    lines = [line.strip() for line in examples[1].splitlines() if line.strip()]
    assert lines and all(line.startswith("blog ") or "| blog " in line or line.startswith(("echo ", "EDITOR=")) for line in lines)
    assert any(f"blog {command}" in line for line in lines)
    assert all(len(line) <= 80 for line in text.splitlines())


@pytest.mark.parametrize("command, usage", [
    ("edit", "blog edit [OPTIONS] REF"), ("new", "blog new [OPTIONS] [TITLE]"), ("rename", "blog rename [OPTIONS] REF [TITLE]"),
    ("series add", "blog series add [OPTIONS] REF SERIES"), ("init", "blog init [OPTIONS] [DIR]"),
])
def test_usage_lines_name_values_by_words(cli, command, usage):
    assert help_of(cli, command).splitlines()[0] == f"Usage: {usage}"


def test_options_name_their_values(cli):
    text = help_of(cli, "list")
    for option in ("--status STATUS", "--series SERIES", "--tag TAG", "--limit N", "--sort KEY"):
        assert option in text
    assert "draft, planned, scheduled or published" in " ".join(text.split())
    assert "--part N" in help_of(cli, "new") and "--tag TAG" in help_of(cli, "new") and "--slug SLUG" in help_of(cli, "new")
    assert "--at DATE|next" in help_of(cli, "publish") and "--date DATE" in help_of(cli, "publish")


@pytest.mark.parametrize("group", ["", "series"])
def test_summaries_are_whole_and_fit_one_line_at_80_columns(cli, monkeypatch, group):
    monkeypatch.setenv("COLUMNS", "80")
    text = help_of(cli, group) if group else cli("--help").stdout
    assert "..." not in text.split("\n", 1)[1]  # (the usage line's `[ARGS]...` aside)
    listing = text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[1]  # the command sections, after the options
    rows = [line for line in listing.splitlines() if re.match(r"^  [a-z]+ +\S", line)]
    names = [row.split()[0] for row in rows]
    expected = [c.split()[1] for c in COMMANDS if c.startswith("series ")] if group else [c for c in COMMANDS if " " not in c]
    assert sorted(set(names) & set(expected)) == sorted(expected)
    for line in listing.splitlines():
        assert not re.match(r"^ {6,}\S", line) or line.strip().startswith("blog "), f"a summary wraps: {line!r}"


def test_commands_are_grouped_and_new_ones_are_not_lost(cli):
    text = cli("--help").stdout
    headings = [line[:-1] for line in text.splitlines() if re.match(r"^[A-Z][a-z ]+:$", line)]
    assert headings == ["Options", "Writing", "Series", "Publishing", "Site", "Examples"]
    section = text.split("\nPublishing:\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split()[0] for line in section.splitlines()] == ["check", "publish", "unpublish", "status"]

    import typer

    from blogcli.cli.app import make_app
    from blogcli.cli.help import OTHER_GROUP

    app = make_app()

    @app.command("export")
    def export_posts() -> None:
        """Export posts to elsewhere."""

    text = typer.testing.CliRunner().invoke(app, ["--help"]).stdout
    assert f"\n{OTHER_GROUP}:\n  export" in text and "Export posts to elsewhere." in text


@pytest.mark.parametrize("args, message", [
    (["list", "--status", "done"], "'done' is not one of"),
    (["new", "--no-edit"], "needs a title"),
    (["edit"], "Missing argument 'REF'"),
    (["new", "X", "--slug", "Not A Slug", "--no-edit"], "for example: --slug not-a-slug"),
    (["rename", "drawing"], "give the new TITLE, a --slug, or both"),
])
def test_usage_errors_exit_2(sample, cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr


# -- completion, through the installed script as a shell calls it ------------------------------------

def complete(shell: str, words: str, root) -> list[str]:
    env = {**os.environ, "_BLOG_COMPLETE": f"complete_{shell}", "BLOG_ROOT": str(root)}
    if shell == "bash":
        parts = words.split(" ")
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(parts) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run([blog_bin()], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    if shell == "zsh":
        return re.findall(r'"((?:[^"]|"")*)"(?::"[^"]*")?', result.stdout)
    return [line.split("\t")[0] for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_refs_complete_to_slugs(sample, shell):
    assert complete(shell, "blog edit wh", sample) == ["who-rides-after-midnight", "why-the-night-bus"]
    assert complete(shell, "blog publish draw", sample) == ["drawing-the-timetable"]  # a unique prefix: its slug
    assert complete(shell, "blog preview published/wh", sample) == ["published/who-rides-after-midnight.md", "published/why-the-night-bus.md"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_series_tags_and_statuses_complete(sample, shell):
    assert complete(shell, "blog series show nig", sample) == ["night-bus-notebook"]
    assert complete(shell, "blog list --series ", sample) == ["night-bus-notebook"]
    assert complete(shell, "blog list --tag tr", sample) == ["transport"]
    assert complete(shell, "blog list --status p", sample) == ["planned", "published"]
    assert complete(shell, "blog list --sort w", sample) == ["words"]


def test_restore_completes_from_the_trash(sample, cli):
    assert cli("delete", "drawing-the-timetable").exit_code == 0
    assert complete("bash", "blog restore dr", sample) == ["drawing-the-timetable"]


def test_completion_outside_a_workspace_completes_nothing_quietly(tmp_path):
    env_root = tmp_path / "nowhere"
    env_root.mkdir()
    assert complete("bash", "blog edit wh", env_root) == []


def test_sort_choices_match_the_listing():
    from blogcli.cli.completion import SORT_CHOICES, STATUS_CHOICES
    from blogcli.model.post import STATUSES
    from blogcli.ops.listing import SORTS

    assert SORT_CHOICES == SORTS and STATUS_CHOICES == STATUSES


def test_search_takes_statuses_as_list_does(sample, cli):
    result = cli("search", "bus", "--status", "done")
    assert result.exit_code == 2 and "'done' is not one of" in result.stderr
    assert complete("bash", "blog search bus --tag tr", sample) == ["transport"]
