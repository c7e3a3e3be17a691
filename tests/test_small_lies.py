"""The small lies and traps of issue 13, each as a user meets it."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from blogcli.model.document import Document


def header(path: Path) -> dict:
    return Document.from_bytes(path.read_bytes()).parse()


@pytest.fixture
def on_a_terminal(monkeypatch):
    """Commands believe stdin and stdout are a terminal (they ask, and open the editor)."""
    monkeypatch.setattr("blogcli.cli.drafts._interactive", lambda: True)


# -- the editor ----------------------------------------------------------------------------------

def test_a_missing_editor_is_found_out_before_the_draft_is_made(empty_blog, cli, monkeypatch, on_a_terminal):
    monkeypatch.setenv("EDITOR", "nonexistent-editor-xyz")
    result = cli("new", "X")
    assert result.exit_code == 1
    assert "editor not found: 'nonexistent-editor-xyz'; no draft was made" in result.stderr and "--no-edit" in result.stderr
    assert list((empty_blog / "drafts").iterdir()) == []
    assert cli("new", "X", "--no-edit").stdout.strip().endswith("drafts/x.md")  # the retry makes x.md, not x-2.md


def test_an_editor_that_fails_names_the_draft_it_was_given(empty_blog, cli, fake_editor, on_a_terminal):
    fake_editor("sys.exit(3)\n")
    result = cli("new", "X")
    assert result.exit_code == 1
    assert "the draft was made:" in result.stderr and "x.md" in result.stderr and "blog edit x" in result.stderr
    again = cli("new", "X")
    assert again.exit_code == 1 and "drafts/x.md" in again.stderr  # refused, naming it: no x-2.md
    assert sorted(p.name for p in (empty_blog / "drafts").iterdir()) == ["x.md"]


@pytest.mark.parametrize("name, expected", [
    ("vim", ["+10", "{path}"]), ("nvim", ["+10", "{path}"]), ("nano", ["+10", "{path}"]), ("hx", ["+10", "{path}"]),
    ("code", ["--wait", "-g", "{path}:10"]), ("my-editor", ["{path}"]),
])
def test_the_editor_opens_at_the_first_line_of_the_text(sample, cli, tmp_path, monkeypatch, name, expected):
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "argv.json"
    editor = folder / name
    editor.write_text(f"#!{sys.executable}\nimport json, sys\njson.dump(sys.argv[1:], open({str(log)!r}, 'w'))\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", f"{editor} --wait" if name == "code" else str(editor))
    assert cli("edit", "drawing").exit_code == 0
    path = str(sample / "drafts" / "drawing-the-timetable.md")
    wanted = [part.replace("{path}", path) for part in expected]
    assert json.loads(log.read_text()) == wanted  # lines 1-8: the header and its fences; 9: blank; 10: the text


# -- publish, check and the site -----------------------------------------------------------------

def test_publish_refuses_a_post_with_todo_notes_unless_forced(sample, cli):
    path = sample / "drafts" / "drawing-the-timetable.md"
    path.write_text(path.read_text() + "\nTODO: fix this before anyone reads it\n")
    check = cli("check", "drawing-the-timetable")
    assert check.exit_code == 0 and "TODO note" in check.stdout
    refused = cli("publish", "drawing-the-timetable")
    assert refused.exit_code == 1 and "1 TODO note" in refused.stderr and "--force" in refused.stderr
    assert path.exists()
    assert cli("publish", "drawing-the-timetable", "--force").exit_code == 0


def test_unpublish_does_not_claim_a_page_was_removed_that_was_never_built(sample, cli):
    first = cli("unpublish", "why-the-night-bus")
    assert first.exit_code == 0, first.stderr
    assert "no longer on the site" not in first.stderr  # no site had been built
    assert cli("build").exit_code == 0
    second = cli("unpublish", "who-rides-after-midnight")
    assert "https://example.org/who-rides-after-midnight/ is no longer on the site" in second.stderr


def test_build_drafts_never_writes_into_site(sample, cli, tmp_path):
    refused = cli("build", "--drafts")
    assert refused.exit_code == 2 and "--out DIR" in refused.stderr and "serve --drafts" in refused.stderr
    assert not (sample / "site").exists()
    assert cli("build", "--drafts", "--out", str(sample / "site")).exit_code == 2
    made = cli("build", "--drafts", "--out", str(tmp_path / "with-drafts"))
    assert made.exit_code == 0, made.stderr
    assert (tmp_path / "with-drafts" / "drawing-the-timetable" / "index.html").is_file()


def test_deleting_a_published_post_asks_or_needs_force_and_takes_its_page_off_the_site(sample, cli, on_a_terminal):
    assert cli("build").exit_code == 0
    page = sample / "site" / "why-the-night-bus" / "index.html"
    assert page.is_file()
    declined = cli("delete", "why-the-night-bus", input="n\n")
    assert declined.exit_code == 1 and "is published" in declined.stderr
    assert (sample / "published" / "why-the-night-bus.md").exists()
    accepted = cli("delete", "why-the-night-bus", input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert not page.exists() and "left the site" in accepted.stderr


def test_deleting_a_published_post_off_a_terminal_needs_force(sample, cli):
    refused = cli("delete", "why-the-night-bus")
    assert refused.exit_code == 1 and "--force" in refused.stderr and "blog unpublish why-the-night-bus" in refused.stderr
    assert (sample / "published" / "why-the-night-bus.md").exists()
    assert cli("delete", "drawing-the-timetable").exit_code == 0  # a draft needs nothing
    assert cli("delete", "why-the-night-bus", "--force").exit_code == 0


# -- blog init and base_url ----------------------------------------------------------------------

def test_init_says_cd_and_writes_base_url_only_when_given(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "notebook")
    assert result.exit_code == 0, result.stderr
    assert 'next: cd notebook && blog new "My first post"' in result.stderr
    config = (tmp_path / "notebook" / "blog.toml").read_text()
    assert "\nbase_url" not in config and '# base_url = "https://example.org/"' in config
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = cli("init", "--url", "https://notes.example.net")
    assert 'next: blog new "My first post"' in result.stderr
    assert 'base_url = "https://notes.example.net/"' in (here / "blog.toml").read_text()
    assert cli("init", str(tmp_path / "x"), "--url", "notes.example.net").exit_code == 1


@pytest.mark.parametrize("inside", ["drafts", "published", "drafts/deeper", "elsewhere"])
def test_init_refuses_inside_another_workspace(sample, cli, inside):
    target = sample / inside
    result = cli("init", str(target))
    assert result.exit_code == 1
    assert f"is inside the blog workspace {sample}" in result.stderr and "hint:" in result.stderr
    assert not (target / "blog.toml").exists()


def test_no_feed_id_from_localhost_until_base_url_is_real(empty_blog, cli):
    assert "\nbase_url" not in (empty_blog / "blog.toml").read_text()
    cli("new", "First", "--body-file", "-", input="Text one.\n")
    cli("new", "Second", "--body-file", "-", input="Text two.\n")
    first = cli("publish", "first")
    assert first.exit_code == 0, first.stderr
    assert "warning: blog.toml has no base_url" in first.stderr and "no feed id stamped yet" in first.stderr
    assert "id" not in header(empty_blog / "published" / "first.md")
    build = cli("build")
    assert "warning: blog.toml has no base_url" in build.stderr
    config = empty_blog / "blog.toml"
    config.write_text(re.sub(r"(?m)^# base_url = .*$", 'base_url = "https://notes.example.net/"', config.read_text()))
    second = cli("publish", "second")
    assert second.exit_code == 0 and "warning" not in second.stderr
    assert "stamped the feed id of 1 earlier post" in second.stderr
    assert header(empty_blog / "published" / "first.md")["id"] == "tag:notes.example.net,2026-11-25:/first/"
    assert header(empty_blog / "published" / "second.md")["id"] == "tag:notes.example.net,2026-11-25:/second/"
    assert not (empty_blog / ".blog" / "pending-feed-ids").exists()


def test_localhost_base_url_warns_too(sample, cli):
    config = sample / "blog.toml"
    config.write_text(config.read_text().replace("https://example.org/", "http://localhost:8000/"))
    result = cli("publish", "drawing-the-timetable")
    assert result.exit_code == 0 and "(this machine)" in result.stderr
    assert "id" not in header(sample / "published" / "drawing-the-timetable.md")


# -- serve, preview, words -----------------------------------------------------------------------

def test_serve_on_a_taken_port_suggests_one_that_is_free(sample, cli):
    """The hint names a port that is free now, not a fixed one (here the next one and 8001 are taken too)."""
    held = []
    try:
        for port in (0, None, 8001):
            listener = socket.socket()
            try:
                listener.bind(("127.0.0.1", held[0].getsockname()[1] + 1 if port is None else port))
                listener.listen()
                held.append(listener)
            except OSError:  # already taken by something else: taken all the same
                listener.close()
        port = held[0].getsockname()[1]
        result = cli("serve", "--port", str(port))
    finally:
        for listener in held:
            listener.close()
    assert result.exit_code == 1
    suggested = int(result.stderr.split("try --port ")[1].split()[0])
    assert suggested not in (port, port + 1, 8001)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))  # it really is free


def test_preview_width_is_the_width_asked_for(sample, cli):
    wide = cli("preview", "why-the-night-bus", "--width", "120", "--no-color").stdout
    assert max(len(line) for line in wide.splitlines()) == 120
    default = cli("preview", "why-the-night-bus", "--no-color").stdout  # COLUMNS=100
    assert max(len(line) for line in default.splitlines()) <= 100


def test_ctrl_c_in_preview_watch_ends_on_a_new_line_with_130(sample):
    env = {**os.environ, "BLOG_ROOT": str(sample)}
    process = subprocess.Popen([sys.executable, "-m", "blogcli", "preview", "why-the-night-bus", "--watch", "--no-color"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        output = b""
        deadline = time.monotonic() + 60
        while b"Ctrl-C to stop" not in output and time.monotonic() < deadline:
            output += os.read(process.stdout.fileno(), 65536)
        os.kill(process.pid, signal.SIGINT)
        rest, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, errors
    assert (output + rest).endswith(b"(Ctrl-C to stop)\n\n")  # the prompt comes on a line of its own
    assert errors == b""  # a quiet stop, as asked for


def test_emptying_the_trash_counts_in_words(sample, cli):
    assert cli("delete", "drawing-the-timetable").exit_code == 0
    result = cli("trash", "--empty", "--yes")
    assert "deleted 1 post for good" in result.stderr


def test_series_messages_count_in_words(sample, cli):
    """"has 3 parts", never "3 part(s)"; one promise owed is "1 promise"."""
    result = cli("series", "add", "about-this-notebook", "night-bus-notebook", "--part", "9")
    assert result.exit_code == 1
    assert "The Night Bus Notebook has 3 parts" in result.stderr and "(s)" not in result.stderr
    shown = cli("series", "promises").stdout
    assert "1 promise still owed." in shown and "(s)" not in shown
