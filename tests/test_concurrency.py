"""Two mutating commands at once, as real processes: one waits (saying so) or fails cleanly.

A command is held mid-change with the BLOG_PAUSE_AT crash-point hook: it writes a flag file at
the named point and waits until the test deletes it, holding the workspace lock all the while.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FROZEN_NOW


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _no_stray_processes():
    """A failed assertion must not leave a paused command behind (holding a lock for a minute)."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait()


class Command:
    """`python -m blogcli ARGS` in the background, its output in files we can read while it runs."""

    def __init__(self, root: Path, *args: str, **env: str):
        self.out = root.parent / f"out-{time.monotonic_ns()}"
        self.err = self.out.with_suffix(".err")
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("BLOG_")}
        full_env.update(BLOG_ROOT=str(root), BLOG_NOW=FROZEN_NOW, NO_COLOR="1", BLOG_LOCK_WAIT="20")
        full_env.update(env)
        with open(self.out, "w") as out, open(self.err, "w") as err:
            self.process = subprocess.Popen([sys.executable, "-m", "blogcli", *args], env=full_env, stdout=out, stderr=err)
        STARTED.append(self.process)

    @property
    def stderr(self) -> str:
        return self.err.read_text()

    @property
    def stdout(self) -> str:
        return self.out.read_text()

    def wait(self) -> int:
        return self.process.wait(timeout=30)


def paused(root: Path, point: str, *args: str) -> tuple[Command, Path]:
    """Start a command and return once it sits at crash point `point`, holding the lock."""
    flag = root.parent / f"paused-{time.monotonic_ns()}"
    command = Command(root, *args, BLOG_PAUSE_AT=point, BLOG_PAUSE_FILE=str(flag))
    wait_for(flag.exists, f"{args} never reached {point}: {command.stderr}")
    return command, flag


def wait_for(condition, message: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.01)


def posts(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for folder in ("drafts", "published")
        for p in sorted((root / folder).glob("*.md"))
    }


def test_the_second_command_waits_says_so_and_both_land(sample):
    first, flag = paused(sample, "journal:before-commit", "new", "Same title", "--series", "New series", "--no-edit")
    second = Command(sample, "new", "Other title", "--series", "New series", "--no-edit")
    wait_for(lambda: "waiting for the workspace lock" in second.stderr, "the second command did not say it waits")
    assert f"pid {first.process.pid}: blog new" in second.stderr  # who holds it
    time.sleep(0.2)
    assert second.process.poll() is None, "the second command did not wait"
    assert not (sample / "drafts" / "same-title.md").exists() and not (sample / "drafts" / "other-title.md").exists()
    flag.unlink()
    assert first.wait() == 0 and second.wait() == 0, second.stderr
    assert first.stdout.strip().endswith("drafts/same-title.md")
    assert second.stdout.strip().endswith("drafts/other-title.md")
    assert "part: 1" in posts(sample)["drafts/same-title.md"]
    assert "part: 2" in posts(sample)["drafts/other-title.md"]  # it saw the first one's post
    assert "Traceback" not in first.stderr + second.stderr


def test_a_busy_workspace_fails_cleanly_after_blog_lock_wait(sample):
    first, flag = paused(sample, "journal:staged", "rename", "drawing-the-timetable", "Timetables")
    before = posts(sample)
    started = time.monotonic()
    second = Command(sample, "delete", "who-rides-after-midnight", "--force", BLOG_LOCK_WAIT="0.5")
    assert second.wait() == 1
    assert time.monotonic() - started >= 0.5
    assert "error: the workspace is busy" in second.stderr and f"pid {first.process.pid}" in second.stderr
    assert "hint: wait for it to finish" in second.stderr and "Traceback" not in second.stderr
    assert posts(sample) == before and not (sample / ".blog" / "trash").exists()
    flag.unlink()
    assert first.wait() == 0
    assert "drafts/timetables.md" in posts(sample) and "published/who-rides-after-midnight.md" in posts(sample)


def test_the_lock_of_a_killed_command_is_free_and_its_change_finished(sample):
    first, flag = paused(sample, "journal:committed", "rename", "drawing-the-timetable", "Timetables")
    lock = sample / ".blog" / "lock"
    assert f"pid {first.process.pid}" in lock.read_text()  # the lock file outlives its holder…
    first.process.send_signal(signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    assert lock.exists() and f"pid {first.process.pid}" in lock.read_text()
    fd = os.open(lock, os.O_RDWR)
    try:  # …but the kernel dropped the flock with the process: it is free at once
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    second = Command(sample, "delete", "who-rides-after-midnight", "--force", BLOG_LOCK_WAIT="0")
    assert second.wait() == 0, second.stderr
    assert "waiting" not in second.stderr
    assert "finished a change that an interrupted command had started" in second.stderr
    assert "drafts/timetables.md" in posts(sample) and "drafts/drawing-the-timetable.md" not in posts(sample)
    assert not (sample / ".blog" / "journal.json").exists()
    assert not [p for p in sample.rglob(".*") if p.is_file() and p.suffix in (".tmp", ".staged")]


def test_a_reader_never_sees_half_a_change(sample):
    """`blog list` during a committed but unfinished change waits for it, then shows all of it."""
    first, flag = paused(sample, "journal:applied", "delete", "who-rides-after-midnight", "--force")
    # The post is already in the trash folder, the trash note staged: a half-applied change on disk.
    reader = Command(sample, "list", "--json")
    wait_for(lambda: "waiting for the workspace lock" in reader.stderr, "list did not wait for the change")
    flag.unlink()
    assert reader.wait() == 0 and first.wait() == 0
    assert "who-rides-after-midnight" not in {p["slug"] for p in json.loads(reader.stdout)}


def test_the_same_post_renamed_and_deleted_at_once(sample):
    first, flag = paused(sample, "journal:before-commit", "rename", "who-rides-after-midnight", "Riders")
    second = Command(sample, "delete", "who-rides-after-midnight", "--force")
    wait_for(lambda: "waiting for the workspace lock" in second.stderr, "delete did not wait")
    flag.unlink()
    assert first.wait() == 0
    assert second.wait() == 1 and "error: no post matches 'who-rides-after-midnight'" in second.stderr
    assert "published/riders.md" in posts(sample)
    assert "published/who-rides-after-midnight.md" not in posts(sample)
    assert not (sample / ".blog" / "trash").exists() or not any((sample / ".blog" / "trash").iterdir())


def test_four_commands_racing_for_one_slug_never_interleave(sample):
    crowd = [Command(sample, "new", "Crowded", "--no-edit", "--tag", str(i)) for i in range(4)]
    codes = [c.wait() for c in crowd]
    assert sorted(codes) == [0, 1, 1, 1], [c.stderr for c in crowd]  # one made it; the others saw it and were refused
    [winner] = [c for c, code in zip(crowd, codes) if code == 0]
    assert Path(winner.stdout.strip()).name == "crowded.md"
    assert all("drafts/crowded.md" in c.stderr and "Traceback" not in c.stderr for c in crowd if c is not winner)
    assert [rel for rel in posts(sample) if "crowded" in rel] == ["drafts/crowded.md"]
    tag = posts(sample)["drafts/crowded.md"].split("tags: [")[1].split("]")[0].strip('"')
    assert tag == str(crowd.index(winner))  # the winner's file, whole


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_a_bad_blog_lock_wait_is_an_error_not_a_traceback(sample, value):
    result = Command(sample, "new", "Whatever", "--no-edit", BLOG_LOCK_WAIT=value)
    assert result.wait() == 1
    assert "error: BLOG_LOCK_WAIT" in result.stderr and "Traceback" not in result.stderr


def slow_editor(tmp_path: Path) -> tuple[Path, Path, str]:
    """An editor that holds the text in memory, says it is open, and saves when told to."""
    started, go = tmp_path / "editor-open", tmp_path / "go"
    editor = tmp_path / "slow editor.py"
    editor.write_text(
        f"#!{sys.executable}\nimport pathlib, sys, time\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "buffer = path.read_text()  # an editor holds the text in memory while the author types\n"
        f"pathlib.Path({str(started)!r}).write_text('open')\n"
        f"while not pathlib.Path({str(go)!r}).exists(): time.sleep(0.01)\n"
        "path.write_text(buffer + 'Words typed while another command ran.\\n')\n"
    )
    editor.chmod(0o755)
    return started, go, f"'{editor}'"


CHANGES_DURING_EDIT = {
    "rename": ["rename", "drawing-the-timetable", "Timetables"],
    "publish": ["publish", "drawing-the-timetable", "--force"],
    "delete": ["delete", "drawing-the-timetable"],
    "series-add": ["series", "add", "about-this-notebook", "The Night Bus Notebook", "--part", "1", "--force"],  # renumbers it
    "series-remove": ["series", "remove", "drawing-the-timetable", "--force"],
    "series-move": ["series", "move", "why-the-night-bus", "--to", "3", "--force"],  # renumbers the edited part too
    "edit": ["edit", "drawing-the-timetable"],
}


@pytest.mark.parametrize("name", sorted(CHANGES_DURING_EDIT))
def test_a_post_open_in_an_editor_is_left_alone_until_the_editor_closes(name, sample, tmp_path):
    """The editor runs without the lock, so the post is marked as open in it: another command
    that would change it refuses, naming the editing process, and changes nothing; the typed words
    land in the one post; once the editor is closed the command works."""
    started, go, editor = slow_editor(tmp_path)
    editing = Command(sample, "edit", "drawing-the-timetable", EDITOR=editor)
    wait_for(started.exists, f"the editor did not start: {editing.stderr}")
    before = posts(sample)
    other = Command(sample, *CHANGES_DURING_EDIT[name], EDITOR=editor)
    assert other.wait() == 1, other.stdout
    assert f"error: drafts/drawing-the-timetable.md is open in an editor (pid {editing.process.pid}: blog edit" in other.stderr
    assert "Traceback" not in other.stderr and posts(sample) == before
    go.write_text("go")
    assert editing.wait() == 0, editing.stderr
    texts = posts(sample)
    assert [rel for rel, text in texts.items() if "Words typed while another command ran." in text] == [
        "drafts/drawing-the-timetable.md"]
    go.unlink()
    again = Command(sample, *CHANGES_DURING_EDIT[name], EDITOR=editor)
    if name == "edit":
        go.write_text("go")
    assert again.wait() == 0, again.stderr


def test_the_mark_of_a_killed_edit_is_noticed_as_gone(sample, tmp_path):
    started, go, editor = slow_editor(tmp_path)
    editing = Command(sample, "edit", "drawing-the-timetable", EDITOR=editor)
    wait_for(started.exists, f"the editor did not start: {editing.stderr}")
    assert list((sample / ".blog" / "editing").iterdir()), "no mark of the open editor"
    editing.process.send_signal(signal.SIGKILL)
    editing.wait()
    renaming = Command(sample, "rename", "drawing-the-timetable", "Timetables")
    assert renaming.wait() == 0, renaming.stderr
    assert "drafts/timetables.md" in posts(sample) and not list((sample / ".blog" / "editing").iterdir())
    go.write_text("go")  # let the orphaned editor finish


def test_a_read_only_command_is_not_held_up_by_an_open_editor(sample, tmp_path):
    started, go, editor = slow_editor(tmp_path)
    editing = Command(sample, "edit", "drawing-the-timetable", EDITOR=editor)
    wait_for(started.exists, f"the editor did not start: {editing.stderr}")
    for args in (["list", "--json"], ["check"], ["preview", "drawing-the-timetable"], ["new", "Another post", "--no-edit"]):
        other = Command(sample, *args)
        assert other.wait() in (0, 1) and "open in an editor" not in other.stderr, (args, other.stderr)
    go.write_text("go")
    assert editing.wait() == 0, editing.stderr
