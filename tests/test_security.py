"""No path the tool derives leaves the workspace; paths the user names are honoured; no shell.

Derived paths are slugs (made from titles), REF arguments, trash notes and symlinks inside the
workspace. Each test keeps a folder `outside/` beside the workspace and proves it unchanged.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

HOSTILE_REFS = [
    "../../etc/passwd",
    "/etc/passwd",
    "../outside/secret.md",
    "drafts/../../outside/secret.md",
    "published/../../outside/secret.md",
    "~/secret.md",
    "drafts/../blog.toml",
]
HOSTILE_TITLES = ["../../outside/secret", "/etc/passwd", "..", ".", "~root", "a/b\\c", "..\\..\\x", "CON", "\x00nul", "-rf"]



def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def posts(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(root).items() if k.startswith(("drafts/", "published/", "blog.toml"))}


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("ref", HOSTILE_REFS)
def test_a_ref_outside_the_workspace_is_refused_by_every_command(ref, sample, outside, cli, fake_editor, monkeypatch):
    monkeypatch.chdir(sample)
    log = sample.parent / "editor-ran"
    fake_editor(f"open({str(log)!r}, 'a').write(path.as_posix())\n")
    before_out, before_posts = tree(outside), posts(sample)
    commands = [["rename", ref, "Mine now"], ["delete", ref], ["edit", ref], ["restore", ref], ["check", ref]]
    commands += [["publish", ref, "--force"], ["unpublish", ref], ["preview", ref], ["series", "add", ref, "Stolen"]]
    for command in commands:
        result = cli(*command)
        no_traceback(result)
        assert result.exit_code != 0, (command, result.stdout)
    assert not log.exists(), "the editor was opened on a file outside the workspace"
    assert tree(outside) == before_out and posts(sample) == before_posts


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_title_never_makes_a_path_outside_drafts(title, sample, outside, cli):
    before_out = tree(outside)
    result = cli("new", title, "--no-edit")
    no_traceback(result)
    if result.exit_code == 0:
        made = Path(result.stdout.strip()).resolve()
        assert made.parent == (sample / "drafts").resolve() and made.suffix == ".md"
        assert not made.name.startswith((".", "-"))
        assert cli("rename", made.stem, title + " again").exit_code == 0
    drafts = {p.name for p in (sample / "drafts").iterdir()}
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in drafts)
    assert tree(outside) == before_out
    assert sorted(tree(sample.parent)) == sorted(
        [f"blog/{k}" for k in tree(sample)] + [f"outside/{k}" for k in before_out]
    ), "a file appeared beside the workspace"


@pytest.mark.parametrize("origin", ["../outside/secret.md", "../outside/new.md", "drafts/../../outside/new.md", "/tmp/x.md"])
def test_a_tampered_trash_note_cannot_restore_outside(origin, sample, outside, cli):
    assert cli("delete", "about-this-notebook", "--force").exit_code == 0
    [note] = (sample / ".blog" / "trash").glob("*/info.json")
    info = json.loads(note.read_text())
    info["path"] = origin
    note.write_text(json.dumps(info))
    before = tree(outside)
    result = cli("restore", "about-this-notebook")
    no_traceback(result)
    assert result.exit_code == 1
    assert tree(outside) == before and not Path("/tmp/x.md").exists()
    assert (note.parent / "about-this-notebook.md").exists(), "the trashed post was lost"


def test_a_trash_symlinked_out_of_the_workspace_is_not_written(sample, outside, cli):
    (sample / ".blog").mkdir(exist_ok=True)
    (sample / ".blog" / "trash").symlink_to(outside, target_is_directory=True)
    before, before_posts = tree(outside), posts(sample)
    result = cli("delete", "why-the-night-bus", "--force")
    no_traceback(result)
    assert result.exit_code == 1 and "outside the workspace" in result.stderr
    assert tree(outside) == before and posts(sample) == before_posts


def test_a_drafts_folder_symlinked_out_is_never_written(sample, outside, cli):
    import shutil

    shutil.rmtree(sample / "drafts")
    (sample / "drafts").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    for command in (["new", "Into the void", "--no-edit"], ["rename", "secret", "Mine"], ["delete", "secret"]):
        result = cli(*command)
        no_traceback(result)
        assert result.exit_code == 1 and "outside the workspace" in result.stderr, command
    assert tree(outside) == before


def test_a_drafts_folder_symlinked_out_is_not_read(sample, outside, cli):
    import shutil

    shutil.rmtree(sample / "drafts")
    (sample / "drafts").symlink_to(outside, target_is_directory=True)
    result = cli("list", "--json")
    assert result.exit_code == 0 and "Not yours" not in result.stdout
    assert "drafts/: is a symlink to a folder outside the workspace" in result.stderr


def test_body_file_is_read_from_where_the_user_says(sample, outside, cli, monkeypatch):
    (outside / "body.md").write_text("Words from outside, on purpose.\n")
    monkeypatch.chdir(outside)
    assert cli("new", "Relative body", "--no-edit", "--body-file", "body.md").exit_code == 0
    assert cli("new", "Absolute body", "--no-edit", "--body-file", str(outside / "body.md")).exit_code == 0
    for slug in ("relative-body", "absolute-body"):
        assert (sample / "drafts" / f"{slug}.md").read_text().endswith("\nWords from outside, on purpose.\n")
    result = cli("new", "Missing body", "--no-edit", "--body-file", "nowhere.md")
    no_traceback(result)
    assert result.exit_code == 1 and "nowhere.md" in result.stderr
    assert not (sample / "drafts" / "missing-body.md").exists()


@pytest.mark.parametrize("trick", ["; touch {m}", "&& touch {m}", "$(touch {m})", "`touch {m}`", "| touch {m}"])
def test_the_editor_runs_without_a_shell(trick, sample, cli, fake_editor, monkeypatch):
    marker = sample.parent / "pwned"
    log = sample.parent / "argv.json"
    editor = fake_editor(f"import json; open({str(log)!r}, 'w').write(json.dumps(sys.argv[1:]))\n")
    value = f"{shlex.quote(str(editor))} {trick.format(m=shlex.quote(str(marker)))}"
    monkeypatch.setenv("EDITOR", value)
    result = cli("edit", "drawing-the-timetable")
    no_traceback(result)
    assert not marker.exists(), f"EDITOR={value!r} ran a shell"
    argv = json.loads(log.read_text())
    assert argv[-1].endswith("drafts/drawing-the-timetable.md")
    assert argv[:-1] == shlex.split(trick.format(m=shlex.quote(str(marker)))), "the words reached the editor unchanged"


def test_an_editor_value_that_is_not_a_command_is_an_error(sample, cli, monkeypatch):
    monkeypatch.setenv("EDITOR", "vim 'unclosed")
    result = cli("edit", "drawing-the-timetable")
    no_traceback(result)
    assert result.exit_code == 1 and "$EDITOR cannot be read as a command" in result.stderr


def test_the_fake_editor_is_a_real_process(sample, cli, fake_editor):
    """Guard for the tests above: the editor they install really runs (so 'not run' means no shell)."""
    log = sample.parent / "ran"
    fake_editor(f"open({str(log)!r}, 'w').write(sys.executable)\n")
    assert cli("edit", "drawing-the-timetable").exit_code == 0 and log.exists()


def test_blog_serve_listens_on_this_machine_only_by_default(sample):
    """The socket itself, read from the kernel's table: bound to 127.0.0.1, not to every address."""
    import os
    import re
    import signal
    import subprocess

    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        pytest.skip("no /proc/net/tcp on this system")
    process = subprocess.Popen(
        [sys.executable, "-m", "blogcli", "serve", "--port", "0"],
        env={**os.environ, "BLOG_ROOT": str(sample)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        match = re.search(r":(\d+)/", process.stdout.readline())
        assert match, process.stderr.read()
        port = f"{int(match.group(1)):04X}"
        listening = [
            fields[1]
            for table in tables if table.exists()
            for fields in (line.split() for line in table.read_text().splitlines()[1:])
            if fields[1].endswith(f":{port}") and fields[3] == "0A"
        ]
        assert listening == [f"0100007F:{port}"], listening  # 127.0.0.1 (little-endian), and nothing else
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)


@pytest.mark.parametrize(
    "step",
    [
        {"staged": "drafts/.x.md.1.aa.staged", "target": "../outside/planted.md", "remove": None},
        {"staged": None, "target": "../outside/secret.md", "remove": "../outside/secret.md"},
        {"staged": "../outside/secret.md", "target": "drafts/stolen.md", "remove": None},
    ],
)
def test_a_crafted_journal_cannot_move_files_outside(step, sample, outside, cli):
    """.blog/journal.json comes with a cloned or synced blog: replaying it must stay inside."""
    (sample / "drafts" / ".x.md.1.aa.staged").write_text("planted\n")
    (sample / ".blog").mkdir(exist_ok=True)
    (sample / ".blog" / "journal.json").write_text(json.dumps({"steps": [step]}))
    before = tree(outside)
    result = cli("list")
    no_traceback(result)
    assert result.exit_code == 1 and "error: .blog/journal.json: " in result.stderr and "outside the workspace" in result.stderr
    assert tree(outside) == before and not (sample / "drafts" / "stolen.md").exists()


@pytest.mark.parametrize("content", ["{not json", '{"steps": 3}', '{"steps": [{"target": 1}]}', ""])
def test_an_unreadable_journal_is_named_not_a_traceback(content, sample, cli):
    (sample / ".blog").mkdir(exist_ok=True)
    (sample / ".blog" / "journal.json").write_text(content)
    result = cli("new", "Anything", "--no-edit")
    no_traceback(result)
    assert result.exit_code == 1 and result.stderr.startswith("error: .blog/journal.json: cannot read the journal")
    assert "hint: " in result.stderr and not (sample / "drafts" / "anything.md").exists()
