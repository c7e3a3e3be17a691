"""No path the tool derives leaves the workspace; paths the user names are honoured; no shell.

Derived paths are slugs (made from titles), REF arguments, trash notes and symlinks inside the
workspace. Each test keeps a folder `outside/` beside the workspace and proves it unchanged.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
import time
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


@pytest.mark.parametrize("origin", ["static/x.html", "templates/base.html", ".blog/journal.json", "drafts/sub/x.md",
                                    "drafts/.x.md", "published/x.txt", "blog.md"])
def test_a_crafted_trash_entry_restores_no_post_where_posts_do_not_live(origin, sample, cli):
    """A whole entry can come with a synced blog: its note must not put a page into static/ (served
    as HTML), a template into templates/, or a file into .blog/."""
    slug = origin.rsplit("/", 1)[-1][:-3]
    entry = sample / ".blog" / "trash" / "20260101T000000-crafted"
    entry.mkdir(parents=True)
    (entry / "info.json").write_text(json.dumps({"path": origin, "deleted": "2026-01-01T00:00:00+00:00", "title": "x"}))
    (entry / f"{slug}.md").write_text("<script>alert(1)</script>\n")
    inside = tree(sample)
    result = cli("restore", entry.name)
    no_traceback(result)
    assert result.exit_code == 1 and "where no post lives" in result.stderr, result.stderr
    kept = lambda files: {k: v for k, v in files.items() if not k.startswith((".blog/cache/", ".blog/lock"))}  # noqa: E731
    assert kept(tree(sample)) == kept(inside)


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


# -- blogcli's own folder: .blog and what is in it ---------------------------------------------


def test_emptying_the_trash_never_follows_a_link_out_of_the_workspace(sample, outside, cli):
    """A cloned blog can carry `.blog/trash` as a link (.gitignore covers only .blog/cache/)."""
    entry = outside / "20260101T000000-x"
    entry.mkdir()
    (entry / "info.json").write_text('{"path": "drafts/x.md"}')
    (entry / "x.md").write_text("not yours\n")
    (sample / ".blog").mkdir()
    (sample / ".blog" / "trash").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    for command in (["trash", "--empty", "--yes"], ["trash"], ["delete", "why-the-night-bus"], ["list"]):
        result = cli(*command)
        no_traceback(result)
        assert result.exit_code == 1 and "error: .blog/trash: is a symlink to" in result.stderr, (command, result.stderr)
        assert "outside the workspace" in result.stderr
    assert tree(outside) == before


def test_a_trash_entry_that_is_a_link_is_neither_listed_nor_followed(sample, outside, cli):
    assert cli("delete", "about-this-notebook", "--force").exit_code == 0
    entry = outside / "20260101T000000-x"
    entry.mkdir()
    (entry / "info.json").write_text('{"path": "drafts/x.md"}')
    (sample / ".blog" / "trash" / "20260101T000000-x").symlink_to(entry, target_is_directory=True)
    (sample / ".blog" / "trash" / "20260102T000000-y").mkdir()
    (sample / ".blog" / "trash" / "20260102T000000-y" / "info.json").symlink_to(entry / "info.json")
    before = tree(outside)
    listed = cli("trash", "--json")
    assert listed.exit_code == 0 and [e["slug"] for e in json.loads(listed.stdout)] == ["about-this-notebook"]
    result = cli("trash", "--empty", "--yes")
    no_traceback(result)
    assert result.exit_code == 0 and "deleted 1 post for good" in result.stderr
    assert tree(outside) == before and (sample / ".blog" / "trash" / "20260101T000000-x").is_symlink()


@pytest.mark.parametrize("link", [".blog", ".blog/cache", ".blog/editing", ".blog/staging"])
def test_a_state_folder_linked_out_of_the_workspace_is_refused_by_every_command(link, sample, outside, cli):
    """The lock, the index, the journal and the caches are never written outside the workspace."""
    (sample / link).parent.mkdir(parents=True, exist_ok=True)
    (sample / link).symlink_to(outside, target_is_directory=True)
    before, before_posts = tree(outside), posts(sample)
    for command in (["new", "Into the void", "--no-edit"], ["list"], ["check"], ["preview", "why-the-night-bus"],
                    ["build"], ["rename", "drawing-the-timetable", "Elsewhere"]):
        result = cli(*command)
        no_traceback(result)
        assert result.exit_code == 1, (command, result.stdout)
        assert result.stderr.startswith(f"error: {link}: is a symlink to {outside.resolve()}, outside the workspace")
    assert tree(outside) == before and posts(sample) == before_posts
    assert not (sample / "site").exists()


def test_a_state_folder_linked_inside_the_workspace_is_followed(sample, cli):
    (sample / "state").mkdir()
    (sample / ".blog").symlink_to(sample / "state", target_is_directory=True)
    assert cli("new", "Kept inside", "--no-edit").exit_code == 0
    assert cli("delete", "kept-inside").exit_code == 0
    assert (sample / "state" / "lock").is_file() and (sample / "state" / "cache" / "index.sqlite").is_file()
    assert any((sample / "state" / "trash").iterdir())


@pytest.mark.parametrize("name", ["lock", "journal.json", "cache/config.json", "cache/index.sqlite", "cache/index.sqlite-wal"])
def test_a_state_file_linked_out_of_the_workspace_is_neither_read_nor_written(name, sample, outside, cli):
    secret = outside / "secret.md"
    (sample / ".blog" / name).parent.mkdir(parents=True, exist_ok=True)
    (sample / ".blog" / name).symlink_to(secret)
    before = tree(outside)
    for command in (["list"], ["new", "A new post", "--no-edit"], ["delete", "why-the-night-bus"]):
        result = cli(*command)
        no_traceback(result)
        assert "Not yours" not in result.stdout + result.stderr
    assert tree(outside) == before


# -- a journal that comes with the blog --------------------------------------------------------

CRAFTED_STEPS = {
    # A removal that finishes no move: what deleted blog.toml.
    "remove-only": {"staged": None, "target": "blog.toml", "remove": "blog.toml"},
    "remove-a-post": {"staged": None, "target": "published/why-the-night-bus.md", "remove": "published/why-the-night-bus.md"},
    # A move whose staged file is not there, or holds other bytes than the journal says.
    "move-nothing": {"staged": "drafts/.new.md.1.abcdef.staged", "sha256": "0" * 64, "target": "drafts/new.md",
                     "remove": "published/why-the-night-bus.md"},
    "move-other-bytes": {"staged": "drafts/.planted.md.1.abcdef.staged", "sha256": "0" * 64, "target": "drafts/planted.md",
                         "remove": "published/why-the-night-bus.md"},
    # Bytes that match, over a file whose old content the journal does not know.
    "overwrite": {"staged": "published/.why-the-night-bus.md.1.abcdef.staged", "sha256": "PLANTED",
                  "target": "published/why-the-night-bus.md", "target_was": "0" * 64, "remove": None},
    # A staged file that is not one of ours for that target (another name, another folder).
    "foreign-staged": {"staged": "drafts/.planted.md.1.abcdef.staged", "sha256": "PLANTED", "target": "blog.toml",
                       "remove": None},
    # A move with matching bytes, removing a file other than the one recorded.
    "move-removing-another": {"staged": "drafts/.planted.md.1.abcdef.staged", "sha256": "PLANTED",
                              "target": "drafts/planted.md", "remove": "published/why-the-night-bus.md",
                              "remove_was": "0" * 64},
}


@pytest.mark.parametrize("name", sorted(CRAFTED_STEPS))
def test_a_crafted_journal_never_removes_or_overwrites_a_file(name, sample, cli):
    import hashlib

    before = posts(sample)
    planted = b"---\ntitle: Planted\n---\n\nPlanted words.\n"
    for staged in ("drafts/.planted.md.1.abcdef.staged", "published/.why-the-night-bus.md.1.abcdef.staged"):
        (sample / staged).write_bytes(planted)
    step = {k: (hashlib.sha256(planted).hexdigest() if v == "PLANTED" else v) for k, v in CRAFTED_STEPS[name].items()}
    (sample / ".blog").mkdir()
    (sample / ".blog" / "journal.json").write_text(json.dumps({"format": 2, "steps": [step]}))
    result = cli("list", "--json")
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert "warning: .blog/journal.json: " in result.stderr and "left as it is" in result.stderr, result.stderr
    after = posts(sample)
    assert {k: v for k, v in after.items() if k in before} == before, "a file was removed or overwritten"
    assert set(after) - set(before) <= {"drafts/planted.md"}  # at most a new file, which replaces nothing
    assert not (sample / ".blog" / "journal.json").exists()
    assert not list(sample.rglob("*.staged")), "the staged files no journal names were left behind"


# -- state files that are not files --------------------------------------------------------------

STATE_FILES = [".blog/lock", ".blog/journal.json", ".blog/cache/config.json", ".blog/cache/index.sqlite",
               ".blog/cache/index.sqlite-wal", ".blog/cache/index.sqlite-shm", ".blog/trash/20260101T000000-x/info.json",
               ".blog/cache/build.sqlite", ".blog/cache/build.sqlite-journal", ".blog/cache/feed-bodies.sqlite"]


@pytest.mark.parametrize("name", STATE_FILES)
def test_a_fifo_among_the_state_files_hangs_nothing(name, sample):
    """A FIFO is opened (if at all) without blocking: every command ends, saying what it did."""
    import os
    import subprocess

    fifo = sample / name
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    env = {**os.environ, "BLOG_ROOT": str(sample)}
    for command in (["list"], ["new", "Still works", "--no-edit"], ["trash"], ["preview", "why-the-night-bus"], ["build"]):
        result = subprocess.run([sys.executable, "-m", "blogcli", *command], env=env, capture_output=True, text=True,
                                timeout=60)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert result.returncode == 0 or f"error: {sample / name if name == '.blog/lock' else name}" in result.stderr, (
            command, result.stderr)


# -- blog serve ----------------------------------------------------------------------------------


def _raw_get(port: int, path: str) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    return data


@pytest.fixture
def served(sample):
    from blogcli.site.builder import build_site
    from blogcli.ops.serve import SiteServer
    from blogcli.workspace.store import Workspace

    build_site(Workspace.open(sample))
    made = []

    def serve(**options):
        server = SiteServer("127.0.0.1", 0, sample / "site", **options)
        server.start()
        made.append(server)
        return server

    yield serve
    for server in made:
        server.stop()


def test_blog_serve_sends_no_header_a_request_wrote(sample, served):
    """A folder whose name holds CR LF (from static/, say) is redirected to without splitting the response."""
    (sample / "site" / "b\r\nSet-Cookie: stolen=1").mkdir()
    port = served().server_address[1]
    response = _raw_get(port, "/b%0D%0ASet-Cookie:%20stolen=1")
    head = response.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert head[0].startswith(b"HTTP/1.0 301")
    assert not any(line.lower().startswith(b"set-cookie") for line in head), head
    assert b"Location: /b%0D%0ASet-Cookie:%20stolen=1/" in head
    assert all(0x20 <= byte < 0x7F for line in head for byte in line)


def test_blog_serve_serves_a_bounded_number_of_connections(served):
    """Each connection took a thread, however many came (300+ seen); one past the cap gets 503."""
    import http.client
    import socket
    import threading

    server = served(max_connections=4)
    port = server.server_address[1]
    threads = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(12)]
    try:
        deadline = time.monotonic() + 15
        while server.open_connections < 4:
            assert time.monotonic() < deadline, "the idle connections were never accepted"
            time.sleep(0.01)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        assert connection.getresponse().status == 503
        connection.close()
        assert server.open_connections == 4 and threading.active_count() <= threads + 4
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 15
    while server.open_connections:
        assert time.monotonic() < deadline, "closed connections were not let go"
        time.sleep(0.01)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")
    assert connection.getresponse().status == 200


# -- what authors write, as the terminal shows it --------------------------------------------------

HOSTILE = "Evil \x1b]0;pwned\x07 \x1b[2J\x1b[31m [bold]markup[/bold] \x9b31m\x7f end"
_RICH_CODES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x07\x1b]*\x1b\\")  # colours and links Rich itself writes


def assert_shown_not_obeyed(output: str) -> None:
    """Nothing from a file reaches the terminal as a control sequence: only Rich's own colours
    (and links to safe URLs) remain once those are taken out."""
    for link in re.findall(r"\x1b\]8;[^;]*;([^\x07\x1b]*)\x1b\\", output):
        assert not link.lower().lstrip().startswith(("javascript:", "vbscript:", "data:", "file:")), link
    rest = _RICH_CODES.sub("", output)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", rest), repr(rest[max(0, rest.find("\x1b") - 40):][:120])


@pytest.fixture
def hostile_blog(sample):
    (sample / "drafts" / "evil.md").write_text(
        f"---\ntitle: {json.dumps(HOSTILE)}\nseries: {json.dumps('Series ' + HOSTILE)}\npart: 1\n"
        f"tags: [{json.dumps(HOSTILE)}]\nnext: {json.dumps(HOSTILE)}\n---\n\n"
        f"{HOSTILE}\n\n```\n{HOSTILE}\n```\n\n[a link]({'http://x/%1b'}) and [{HOSTILE}](evil.md)\n\nTODO {HOSTILE}\n"
        "\nNext week I'll look at \x1b]0;owned\x07 the depot.\n"
    )
    (sample / "drafts" / "\x1b[31mred\x1b[0m.md").write_text("---\ntitle: Red\n---\n\nText.\n")
    (sample / "drafts" / "\x1b]0;x\x07broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n")
    (sample / "drafts" / "markup.md").write_text("---\ntitle: \"[bold]Bold[/bold] [link=https://x]y[/link]\"\n---\n\nText.\n")
    return sample


@pytest.mark.parametrize("colour", [False, True])
def test_control_characters_from_files_never_reach_the_terminal(colour, hostile_blog, cli, monkeypatch):
    if colour:
        monkeypatch.delenv("NO_COLOR")
        monkeypatch.setenv("FORCE_COLOR", "1")
    runs = [["list"], ["list", "--json"], ["preview", "evil"], ["check"], ["check", "evil"], ["series", "list"],
            ["series", "show", "Series " + HOSTILE], ["series", "promises"], ["publish", "evil", "--dry-run", "--force"],
            ["rename", "evil", "Evil again"], ["delete", "evil-again"], ["trash"], ["edit", "\x1b]0;x\x07broken"],
            ["rename", "\x1b[31mred\x1b[0m", "\x1b]0;t\x07Title"]]
    for command in runs:
        result = cli(*command)
        no_traceback(result)
        assert_shown_not_obeyed(result.stdout + result.stderr)
        if not colour:
            assert "\x1b" not in result.stdout + result.stderr, command
    listed = cli("list").stdout
    assert "[bold]Bold[/bold] [link=https://x]y[/link]" in listed.replace("\n", "").replace(" │ ", "") or (
        "[bold]Bold[/bold]" in listed)  # markup printed as written…
    [renamed] = [p for p in json.loads(cli("list", "--json").stdout) if p["title"] == "\x1b]0;t\x07Title"]  # exact, in JSON
    assert "␛]0;t␇Title" in cli("preview", renamed["slug"]).stdout  # …controls as pictures


def test_an_ascii_terminal_gets_escapes_not_a_traceback(sample):
    import os
    import subprocess

    (sample / "drafts" / "cafe.md").write_text("---\ntitle: Café\nseries: Crème\n---\n\nCafé au lait.\n")
    env = {**os.environ, "BLOG_ROOT": str(sample), "PYTHONIOENCODING": "ascii"}
    for command in (["list"], ["list", "--json"], ["preview", "cafe"], ["check"], ["series", "list"], ["rename", "cafe", "Crème brûlée"],
                    ["rename", "nothing-like-café", "x"]):
        result = subprocess.run([sys.executable, "-m", "blogcli", *command], env=env, capture_output=True, timeout=60)
        assert b"Traceback" not in result.stderr and result.returncode in (0, 1), (command, result.stderr)
        result.stdout.decode("ascii"), result.stderr.decode("ascii")  # nothing but ASCII went out
        if command == ["list", "--json"]:
            assert "Café" in [p["title"] for p in json.loads(result.stdout)]


# -- one HTML policy, for both engines and the preview ----------------------------------------------

ATTACKS = [
    "<script>alert(1)</script>",
    "a <img src=x onerror=alert(1)> b",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil></iframe>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    '<div markdown="1">*x* <span onclick="alert(1)">y</span></div>',
    "<!-- --><script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](vbscript:msgbox)",
    "[x](file:///etc/passwd)",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![i](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    '![i](x.png){: onerror="alert(1)"}',
    'para\n{: onclick="alert(1)" style="background:url(javascript:x)" }',
    "# Head {: onmouseover=alert(1) }",
    '[x](http://a "t\\" onmouseover=alert(1)")',
    "x[^1]\n\n[^1]: <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]
_CODE_TAGS = {"script", "iframe", "object", "embed", "style", "svg", "math", "form", "link", "meta", "base", "frame",
              "frameset", "template", "textarea", "button"}


class _Tags:
    """Every start tag of an HTML text, with its attributes (html.parser, as forgiving as a browser)."""

    def __init__(self, text: str):
        from html.parser import HTMLParser

        self.found: list[tuple[str, dict]] = []
        parser = HTMLParser(convert_charrefs=True)
        parser.handle_starttag = lambda tag, attrs: self.found.append((tag, dict(attrs)))
        parser.handle_startendtag = parser.handle_starttag
        parser.feed(text)
        parser.close()


def assert_nothing_runs(page: str, what: str) -> None:
    for tag, attributes in _Tags(page).found:
        assert tag not in _CODE_TAGS, (what, tag, page)
        for name, value in attributes.items():
            assert not name.startswith("on") and name != "style" or re.fullmatch(r"text-align: ?\w+;?", value or ""), (what, name, page)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                url = re.sub(r"[\t\n\r]", "", value or "").lstrip(" \x00\x01\x1f").lower()
                assert not url.startswith(("javascript:", "vbscript:", "file:")), (what, page)
                assert not url.startswith("data:") or re.match(r"data:image/(png|gif|jpeg|webp)", url), (what, page)


@pytest.mark.parametrize("engine", ["cmark", "python-markdown"])
@pytest.mark.parametrize("attack", ATTACKS)
def test_no_markdown_engine_publishes_code(engine, attack):
    from blogcli.render.markdown import markdown_to_html

    assert_nothing_runs(markdown_to_html(attack, engine), f"{engine}: {attack!r}")


@pytest.mark.parametrize("engine", ["cmark", "python-markdown"])
def test_the_built_site_keeps_the_policy_with_either_engine(engine, sample, cli):
    toml = sample / "blog.toml"
    toml.write_text(toml.read_text().replace('markdown = "cmark"', f'markdown = "{engine}"'))
    (sample / "published" / "attacks.md").write_text(
        "---\ntitle: Attacks\ndate: 2026-11-20T09:00:00+00:00\n---\n\n" + "\n\n".join(ATTACKS) + "\n")
    assert cli("build").exit_code == 0
    page = (sample / "site" / "attacks" / "index.html").read_text()
    body = page[page.index('<div class="content">') : page.index("</article>")]  # the post; the template is ours
    assert "raw HTML omitted" in body and 'href=""' in body
    assert_nothing_runs(body, engine)


def test_the_preview_shows_no_dangerous_url_as_a_link(sample, cli, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    (sample / "drafts" / "attacks.md").write_text("---\ntitle: Attacks\n---\n\n" + "\n\n".join(ATTACKS) + "\n\n[ok](https://example.org/)\n")
    result = cli("preview", "attacks")
    assert result.exit_code == 0, result.stderr
    links = re.findall(r"\x1b\]8;[^;]*;([^\x07\x1b]*)\x1b\\", result.stdout)
    assert "https://example.org/" in links  # links are links…
    assert_shown_not_obeyed(result.stdout)  # …but none to javascript:, vbscript:, data: or file:
