"""`blog build` under attack: crafted caches, symlinks, hostile --out, reserved names, races, kills
and Ctrl-C (issue 17). Each test keeps `outside/` beside the workspace (see conftest) where a
leak or a deletion would show.

Processes are held at named points (BLOG_PAUSE_AT, see workspace/atomic.py) rather than timed,
so every race and interrupt here lands where it is meant to, however busy the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from blogcli.site.builder import build_site
from blogcli.site.output import MARKER
from blogcli.workspace.store import Workspace
from tests.test_manifest import adding, changes_made, craft, setting

WAIT = 60  # the longest any wait here may take (seconds); each ends as soon as what it waits for happens


def build(root: Path, **options):
    return build_site(Workspace.open(root), **options)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (not following links), but the site's marker."""
    found = {}
    for where, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(where, name)
            if name != MARKER and not path.is_symlink():
                found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def links_in(folder: Path) -> list[str]:
    return [Path(where, name).relative_to(folder).as_posix() for where, dirs, files in os.walk(folder)
            for name in dirs + files if Path(where, name).is_symlink()]


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr


def blog(root: Path, *args: str, **env: str) -> subprocess.Popen:
    """`python -m blogcli ARGS` in its own session (so a signal can go to its process group, as a
    terminal's Ctrl-C does), with stdout and stderr captured as text."""
    variables = {k: v for k, v in os.environ.items() if not k.startswith(("BLOG_", "VISUAL", "EDITOR"))}
    variables.update(BLOG_ROOT=str(root), BLOG_NOW=os.environ["BLOG_NOW"], NO_COLOR="1", BLOG_LOCK_WAIT=str(WAIT), **env)
    return subprocess.Popen([sys.executable, "-m", "blogcli", *args], env=variables, cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def paused(flag: Path, process: subprocess.Popen) -> bool:
    """Wait until `process` (or one of its workers) waits at its BLOG_PAUSE_AT point; False if it
    ended without reaching it."""
    wait_for(lambda: flag.exists() or process.poll() is not None, "the pause point")
    return flag.exists()


def processes_of(root: Path) -> list[int]:
    """Live processes started for workspace `root` (a build, its workers, their resource tracker):
    every process whose environment names it. Zombies (dead, not yet reaped) do not count."""
    needle = f"BLOG_ROOT={root}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes() and "\nState:\tZ" not in (entry / "status").read_text():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    """A generated blog of 80 posts: enough for the build's worker processes."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent))
    from benchmarks.corpus import generate

    generate(tmp_path / "corpus", 80, seed=7)
    return tmp_path / "corpus" / "blog"


needs_proc = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds processes through /proc")


# -- 1b, 11b: the build's caches are distrusted ----------------------------------------------------


@pytest.mark.parametrize("output", ["../../outside/secret.md", "../outside/secret.md", "{outside}/secret.md",
                                    "tags/../../../outside/secret.md", "./index.html", "tags//index.html", ""])
def test_a_manifest_naming_an_output_outside_the_site_is_discarded(output, sample, outside):
    """A hand-edited build manifest whose outputs leave the output folder: the next build, finding
    them gone, would remove them. Such a manifest is discarded whole (a full build)."""
    build(sample)
    before_site = tree(sample / "site")
    craft(sample / ".blog/cache/build.sqlite", *adding("outputs", output.format(outside=outside), "k" * 32, 1, 2))
    before = tree(outside)
    result = build(sample)
    assert tree(outside) == before and (outside / "secret.md").is_file()
    assert result.rendered_posts == 3 and tree(sample / "site") == before_site  # a full build, same site
    assert build(sample).rendered_posts == 0


def test_a_link_in_the_site_folder_is_never_followed_out(sample, outside):
    """A site/ that came with a cloned blog may hold links: removing a stale output never deletes
    through one, and writing a page never writes through one (the build stops, naming it)."""
    build(sample)
    (sample / "site" / "escape").symlink_to(outside, target_is_directory=True)
    craft(sample / ".blog/cache/build.sqlite", *adding("outputs", "escape/secret.md", "k" * 32, 1, 2))  # inside the site, through a link
    before = tree(outside)
    build(sample)
    assert tree(outside) == before

    tags = sample / "site" / "tags"
    import shutil

    shutil.rmtree(tags)
    tags.symlink_to(outside, target_is_directory=True)
    (sample / "published" / "about-this-notebook.md").write_text(
        (sample / "published" / "about-this-notebook.md").read_text().replace("tags: [meta]", "tags: [meta, more]"))
    from blogcli.errors import WriteFailed

    with pytest.raises(WriteFailed, match="site/tags: is a symlink"):
        build(sample)
    assert tree(outside) == before


def kept_rows(root: Path) -> dict[str, tuple]:
    """The feed bodies' store (`.blog/cache/feed-bodies.sqlite`): path → (key, crc, body) of each row."""
    import sqlite3

    db = sqlite3.connect(root / ".blog/cache/feed-bodies.sqlite")
    try:
        return {rel: (key, crc, body) for rel, key, crc, body in db.execute("select rel, key, crc, body from bodies")}
    finally:
        db.close()


def store_files(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (root / ".blog/cache").glob("feed-bodies.sqlite*")}


def a_fresh_build_makes_the_same_feed(sample: Path, expected: bytes) -> None:
    """The site's feed is the one a build without any cache makes, and not the one `expected`."""
    (sample / ".blog/cache/build.sqlite").unlink()
    for path in (sample / ".blog/cache").glob("feed-bodies.sqlite*"):
        path.unlink() if not path.is_dir() or path.is_symlink() else shutil.rmtree(path)
    fresh = build(sample, out=sample.parent / "fresh")
    assert fresh.rendered_posts == 3
    assert (sample / "site/feed.xml").read_bytes() == (sample.parent / "fresh/feed.xml").read_bytes() != expected
    assert b"forged" not in (sample / "site/feed.xml").read_bytes()


@pytest.mark.parametrize("garble", ["another-key", "cut-short", "not-utf8", "text-not-bytes", "no-crc", "empty"])
def test_a_garbled_kept_feed_body_is_made_again(garble, sample):
    """A row of the feed bodies' store (each feed entry's body HTML) of another key, cut short, not
    UTF-8, of the wrong type or garbled (its CRC32 wrong, as a power cut under synchronous=off may
    leave it) is no body, and the feed is the one a clean build makes."""
    import sqlite3
    import zlib

    build(sample)
    expected = (sample / "site/feed.xml").read_bytes()
    kept = kept_rows(sample)
    assert sorted(kept) == sorted(f"published/{p.name}" for p in (sample / "published").glob("*.md"))
    forged = b"<p>forged</p>"
    db = sqlite3.connect(sample / ".blog/cache/feed-bodies.sqlite")
    with db:
        for rel, (key, crc, body) in kept.items():
            row = {
                "another-key": ("0" * 32 + key[32:], zlib.crc32(forged), forged),
                "cut-short": (key, crc, body[:-5]),
                "not-utf8": (key, zlib.crc32(b"\xff\xfe" + forged), b"\xff\xfe" + forged),
                "text-not-bytes": (key, zlib.crc32(forged), forged.decode()),
                "no-crc": (key, None, forged),
                "empty": (key, crc, b""),
            }[garble]
            db.execute("update bodies set key = ?, crc = ?, body = ? where rel = ?", (*row, rel))
    db.close()
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nOne more line.\n")  # the feed is made again, from the kept bodies
    build(sample)
    a_fresh_build_makes_the_same_feed(sample, expected)


def test_a_store_killed_mid_transaction_is_still_used(sample):
    """A build killed while a worker wrote its chunk's bodies leaves the store as it was before
    that transaction (WAL): the next build reads it and keeps its bodies in it."""
    build(sample)
    before = kept_rows(sample)
    script = (
        "import sqlite3, sys, time\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('pragma journal_mode=wal'); db.execute('begin immediate')\n"
        "db.execute(\"update bodies set body = x'00'\"); db.execute(\"insert into bodies values ('published/x.md', 'k', 0, x'')\")\n"
        "print('written', flush=True); time.sleep(60)\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script, str(sample / ".blog/cache/feed-bodies.sqlite")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "written\n"
    finally:
        writer.kill()
        writer.wait()
    assert kept_rows(sample) == before
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    build(sample)
    after = kept_rows(sample)
    assert sorted(after) == sorted(before) and after["published/about-this-notebook.md"] != before["published/about-this-notebook.md"]


@pytest.mark.parametrize("kind", ["garbage", "a-page-of-it", "other-tables", "empty", "a-folder"])
def test_a_store_that_is_not_ours_is_no_body_and_made_afresh(kind, sample):
    """Garbage bytes, a store cut short, another program's tables, an empty file or a folder where
    the feed bodies' store was: no body, no traceback, the feed a clean build makes; the build
    removes a file that is not its store (a folder it leaves) and keeps its bodies again."""
    import sqlite3

    build(sample)
    expected = (sample / "site/feed.xml").read_bytes()
    store = sample / ".blog/cache/feed-bodies.sqlite"
    whole = store.read_bytes()
    store.unlink()
    if kind == "garbage":
        store.write_bytes(b"forged " * 1000)
    elif kind == "a-page-of-it":
        store.write_bytes(whole[:4096])
    elif kind == "other-tables":
        db = sqlite3.connect(store)
        db.execute("create table bodies (html text)")
        db.execute("insert into bodies values ('<p>forged</p>')")
        db.commit()
        db.close()
    elif kind == "empty":
        store.write_bytes(b"")
    else:
        store.mkdir()
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    result = blog(sample, "build")
    out, err = result.communicate(timeout=WAIT)
    assert result.returncode == 0 and "Traceback" not in err and "warning" not in err, err
    listed = sorted(f"published/{p.name}" for p in (sample / "published").glob("*.md"))
    if kind == "a-folder":
        assert store.is_dir()
    else:  # removed (`forget_bodies_but`), then made again by the feed after it in this small build
        assert sorted(kept_rows(sample)) == listed
    a_fresh_build_makes_the_same_feed(sample, expected)


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_a_locked_store_is_no_body_and_waited_for_once(mode, sample, monkeypatch):
    """A store another program holds locked (a write lock in WAL mode; an exclusive lock, which
    keeps readers out too, in rollback mode): the build goes on without it, waits for it once, not
    once per post or feed, and its feed is the one a clean build makes."""
    import sqlite3

    from blogcli.site import feeds

    monkeypatch.setattr(feeds, "_BUSY_SECONDS", 0.05)
    opened = []
    connect = sqlite3.connect

    def counted(path, *args, **kwargs):
        if str(path).endswith("feed-bodies.sqlite"):
            opened.append(path)
        return connect(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", counted)
    build(sample)
    expected = (sample / "site/feed.xml").read_bytes()
    holder = connect(sample / ".blog/cache/feed-bodies.sqlite", isolation_level=None)
    holder.execute(f"pragma journal_mode={mode}")
    holder.execute("begin exclusive")
    holder.execute("update bodies set body = ?", (b"<p>forged</p>",))
    before = store_files(sample)
    opened.clear()
    for path in (sample / "published").glob("*.md"):  # each post's body is kept, each feed reads them
        path.write_text(path.read_text() + "\nOne more line.\n")
    build(sample)
    assert len(opened) == 1  # no other try while its files are as they were
    assert store_files(sample) == before
    holder.rollback()
    holder.close()
    a_fresh_build_makes_the_same_feed(sample, expected)


def test_a_read_only_store_is_read_and_not_written(sample, tmp_path):
    """A store that cannot be written (a read-only file: a read-only mount of it, for root): its
    bodies are read under their keys; the build goes on and its feed is the one a clean build makes."""
    build(sample)
    expected = (sample / "site/feed.xml").read_bytes()
    store = sample / ".blog/cache/feed-bodies.sqlite"
    store.chmod(0o444)
    mounted = False
    if os.geteuid() == 0:
        done = subprocess.run(["mount", "--bind", "-o", "ro", str(store), str(store)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount the store read-only here: {done.stderr.strip()}")
        mounted = True
    try:
        before = kept_rows(sample)
        for path in (sample / "published").glob("*.md"):
            path.write_text(path.read_text() + "\nOne more line.\n")
        result = blog(sample, "build")
        out, err = result.communicate(timeout=WAIT)
        assert result.returncode == 0 and "Traceback" not in err and "warning" not in err, err
        assert kept_rows(sample) == before
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(store)], check=False)
    store.chmod(0o644)
    a_fresh_build_makes_the_same_feed(sample, expected)


@pytest.mark.parametrize("linked", ["feed-bodies.sqlite", "feed-bodies.sqlite-wal", "feed-bodies.sqlite-shm"])
def test_each_feed_entry_keeps_its_body_in_the_store(linked, sample, outside):
    """The post workers keep the body of each post a feed lists (a publish then reads twenty rows,
    where it read ~30 MB of every feed's bodies); bodies no feed lists are removed; a store or a
    file of its WAL that is a link out of the workspace is neither read nor written; the folder of
    a file per body that earlier versions kept is removed."""
    build(sample)
    listed = sorted(f"published/{p.name}" for p in (sample / "published").glob("*.md"))
    assert sorted(kept_rows(sample)) == listed
    cache = sample / ".blog/cache"
    expected = (sample / "site/feed.xml").read_bytes()
    outside_store = outside / "store.sqlite"
    shutil.copy(cache / "feed-bodies.sqlite", outside_store)
    if linked != "feed-bodies.sqlite":
        outside_store.with_name("wal").write_bytes(b"")
    (cache / linked).unlink(missing_ok=True)
    (cache / linked).symlink_to(outside_store if linked == "feed-bodies.sqlite" else outside_store.with_name("wal"))
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    before = tree(outside)
    build(sample)
    assert tree(outside) == before and (sample / "site/feed.xml").read_bytes() != expected
    (cache / linked).unlink()
    import sqlite3

    db = sqlite3.connect(cache / "feed-bodies.sqlite")
    with db:
        db.execute("create table if not exists bodies (rel text primary key, key text, crc int, body blob)")
        db.execute("insert into bodies values ('published/gone.md', 'k', 0, x'')")
    db.close()
    (cache / "feed-bodies").mkdir()
    (cache / "feed-bodies" / "0123456789abcdef01234567.html").write_text("k 0\n")
    page.write_text(page.read_text() + "\nAnd another.\n")
    build(sample)
    assert sorted(kept_rows(sample)) == listed and not (cache / "feed-bodies").exists()


@pytest.mark.parametrize("name", ["build.sqlite", "feed-bodies.sqlite", "feed-bodies.sqlite-wal", "build.running"])
def test_a_fifo_among_the_build_caches_hangs_nothing(name, sample):
    """A FIFO where the build reads or marks its cache would block it for ever: it is not opened."""
    build(sample)
    fifo = sample / ".blog/cache" / name
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    process = blog(sample, "build")
    try:
        out, err = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert "Traceback" not in err
    if name == "build.running":
        assert process.returncode == 1 and f"{fifo}: cannot be written" in err
    else:
        assert process.returncode == 0, err


WRONG_PROMISE = {"text": "t", "made_in": [], "keeper": None, "keeper_rel": None, "made_on": None, "due": None}


@pytest.mark.parametrize("crafted", [
    adding("sources", "published/x.md", 1, 2, "d", "id", "not a list", "text"),
    adding("sources", "published/x.md", 1, 2, "d", "id", [3], "text"),
    adding("sources", "published/x.md", 1, 2, "d"),
    adding("sources", "published/x.md"),
    setting("outputs", "mtime_ns", None),
    ("outputs", lambda rows: [row.__setitem__(slice(1, None), [None, None, None]) for row in rows if row[0] == "index.html"]),
    setting("ledgers", "promises", [{**WRONG_PROMISE, "made_in": "ab"}]),
    setting("ledgers", "promises", [{**WRONG_PROMISE, "keeper": 3}]),
    setting("ledgers", "promises", "not a list"),
    "drop table ledgers",
])
def test_every_wrong_shape_of_the_manifest_means_a_full_build(crafted, sample, cli):
    """The build manifest of the right format and the wrong shape anywhere (issue 17, item 11;
    tests/test_manifest.py has more)."""
    build(sample)
    before = tree(sample / "site")
    manifest = sample / ".blog/cache/build.sqlite"
    if isinstance(crafted, str):
        changes_made(manifest, crafted)
    else:
        craft(manifest, *crafted)
    result = cli("build", "--json")
    no_traceback(result)
    assert result.exit_code == 0 and json.loads(result.stdout)["written"] == 0
    assert tree(sample / "site") == before


# -- 2: symlinks among the author's files -----------------------------------------------------------
# The rule (README, "blogcli stays inside your workspace"): a link that resolves inside the
# workspace is followed; one that leads outside is refused with a warning naming it, and the rest
# of the site is built.


def test_a_static_file_linked_out_of_the_workspace_is_not_published(sample, outside, cli):
    (sample / "static" / "passwd").symlink_to("/etc/passwd")
    (sample / "static" / "secret.md").symlink_to(outside / "secret.md")
    (sample / "static" / "images" / "alias.svg").symlink_to(sample / "static" / "images" / "n29-tally.svg")
    (sample / "static" / "notes").symlink_to(sample / "published", target_is_directory=True)
    result = cli("build")
    no_traceback(result)
    assert result.exit_code == 0
    site = sample / "site"
    assert not (site / "passwd").exists() and not (site / "secret.md").exists()
    assert "warning: static/passwd: is a symlink to /etc/passwd, outside the workspace; not published" in result.stderr
    assert f"warning: static/secret.md: is a symlink to {outside / 'secret.md'}, outside the workspace" in result.stderr
    # links inside the workspace are followed, and the site holds copies, never links
    assert (site / "images/alias.svg").read_bytes() == (sample / "static/images/n29-tally.svg").read_bytes()
    assert (site / "notes/why-the-night-bus.md").read_bytes() == (sample / "published/why-the-night-bus.md").read_bytes()
    assert (site / "index.html").is_file() and not links_in(site)
    for data in tree(site).values():
        assert b"Private." not in data and b"root:x:0:0" not in data


def test_a_static_folder_linked_out_of_the_workspace_is_not_published(sample, outside, cli):
    import shutil

    shutil.rmtree(sample / "static")
    (sample / "static").symlink_to(outside, target_is_directory=True)
    result = cli("build")
    no_traceback(result)
    assert result.exit_code == 0
    assert f"warning: static/: is a symlink to {outside}, outside the workspace; not published" in result.stderr
    assert not (sample / "site/secret.md").exists() and (sample / "site/index.html").is_file()


def test_a_static_link_into_the_site_is_not_copied_into_itself(sample):
    build(sample)
    (sample / "static" / "mirror").symlink_to(sample / "site", target_is_directory=True)
    build(sample)
    build(sample)
    assert not (sample / "site/mirror").exists()


def test_a_fifo_in_static_is_named_and_skipped(sample, cli):
    os.mkfifo(sample / "static" / "pipe")
    process = blog(sample, "build")
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0 and "warning: static/pipe: is a FIFO, not a file; not published" in err
    assert not (sample / "site/pipe").exists()


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_template_linked_out_of_the_workspace_is_not_used(linked, sample, outside, cli):
    (outside / "404.html").write_text("<p>{{ 'leaked from outside' }}</p>\n")
    if linked == "file":
        (sample / "templates").mkdir()
        (sample / "templates/404.html").symlink_to(outside / "404.html")
        (sample / "templates/post.html").symlink_to(Path(__file__).resolve().parent.parent / "blogcli/site/templates/post.html")
        named = f"templates/404.html: is a symlink to {outside / '404.html'}"
    else:
        (sample / "templates").symlink_to(outside, target_is_directory=True)
        named = f"templates/: is a symlink to {outside}"
    result = cli("build")
    no_traceback(result)
    assert result.exit_code == 0
    assert f"warning: {named}, outside the workspace; not used" in result.stderr
    for data in tree(sample / "site").values():
        assert b"leaked from outside" not in data and b"Private." not in data
    assert "Page not found" in (sample / "site/404.html").read_text()  # blogcli's own template


def test_a_fifo_in_templates_hangs_nothing(sample):
    """Every reader of templates/ (the loader, the ids the templates use) goes by the one rule."""
    (sample / "templates").mkdir()
    os.mkfifo(sample / "templates/pipe.html")
    process = blog(sample, "build")
    try:
        out, err = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "warning: templates/pipe.html: is a FIFO, not a file; not used" in err


def test_a_template_linked_inside_the_workspace_is_used(sample):
    (sample / "themes").mkdir()
    (sample / "themes/404.html").write_text('{% extends "base.html" %}{% block main %}<p>Mine</p>{% endblock %}\n')
    (sample / "templates").mkdir()
    (sample / "templates/404.html").symlink_to(sample / "themes/404.html")
    result = build(sample)
    assert not result.warnings and "<p>Mine</p>" in (sample / "site/404.html").read_text()


def test_publish_and_unpublish_update_the_site_by_the_same_rule_and_say_so(sample, outside, cli):
    """publish and unpublish bring the site up to date through the build: a link out of the
    workspace is left out there too, and the warning naming it reaches the author."""
    (sample / "static" / "passwd").symlink_to("/etc/passwd")
    (sample / "templates").mkdir()
    (sample / "templates/404.html").symlink_to(outside / "secret.md")
    said = ["warning: static/passwd: is a symlink to /etc/passwd, outside the workspace; not published",
            f"warning: templates/404.html: is a symlink to {outside / 'secret.md'}, outside the workspace; not used"]
    for command in ("publish", "unpublish"):
        result = cli(command, "drawing-the-timetable")
        no_traceback(result)
        assert result.exit_code == 0, result.stderr
        assert all(line in result.stderr for line in said), result.stderr
        assert not (sample / "site/passwd").exists()
        for data in tree(sample / "site").values():
            assert b"Private." not in data and b"root:x:0:0" not in data


def test_blog_serve_builds_by_the_same_rule_and_says_so(sample, outside):
    """`blog serve` builds the site it serves: a static file linked out of the workspace is not
    served (404), and the warning naming it is shown; Ctrl-C stops the server."""
    import http.client
    import re

    (sample / "static" / "secret.md").symlink_to(outside / "secret.md")
    process = blog(sample, "serve", "--port", "0")
    try:
        line = process.stdout.readline()
        port = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert port, f"blog serve did not start: {line!r}"
        for path, status in (("/secret.md", 404), ("/", 200)):
            conn = http.client.HTTPConnection("127.0.0.1", int(port.group(1)), timeout=WAIT)
            conn.request("GET", path)
            response = conn.getresponse()
            assert response.status == status and b"Private." not in response.read(), path
            conn.close()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    assert f"warning: static/secret.md: is a symlink to {outside / 'secret.md'}, outside the workspace; not published" in err
    assert "Traceback" not in err


def test_blog_check_finds_images_by_the_same_rule(sample, outside, cli):
    """An image the site would not publish (a link out of the workspace) is a missing image."""
    (outside / "pic.svg").write_text("<svg/>")
    (sample / "static/images/out.svg").symlink_to(outside / "pic.svg")
    (sample / "static/images/in.svg").symlink_to(sample / "static/images/n29-tally.svg")
    post = sample / "published/about-this-notebook.md"
    post.write_text(post.read_text() + "\n![out](/images/out.svg) ![in](/images/in.svg)\n")
    result = cli("check", "about-this-notebook")
    no_traceback(result)
    said = " ".join(result.stdout.split())  # check wraps its lines to the terminal
    assert "image '/images/out.svg' is not in static/ (looked for static/images/out.svg: not a file inside the workspace" in said
    assert "/images/in.svg" not in said


@pytest.mark.parametrize("case", ["published folder out", "post file out", "published folder in", "post file in",
                                  "drafts folder out"])
def test_post_folders_and_posts_that_are_links(case, sample, outside, cli):
    """What the index reads is what the site shows: links out of the workspace are left out of the
    site with a warning naming them; links inside are followed."""
    import shutil

    if case == "published folder out":
        moved = outside / "published"
        shutil.move(sample / "published", moved)
        (sample / "published").symlink_to(moved, target_is_directory=True)
        named = "published/: is a symlink to a folder outside the workspace"
    elif case == "post file out":
        (outside / "secret.md").write_text("---\ntitle: Not yours\ndate: 2026-11-01T09:00:00+00:00\n---\n\nPrivate.\n")
        (sample / "published/stolen.md").symlink_to(outside / "secret.md")
        named = "published/stolen.md: symlink points outside the workspace"
    elif case == "drafts folder out":  # built with --drafts
        (outside / "secret.md").write_text("---\ntitle: Not yours\n---\n\nPrivate.\n")
        shutil.rmtree(sample / "drafts")
        (sample / "drafts").symlink_to(outside, target_is_directory=True)
        named = "drafts/: is a symlink to a folder outside the workspace"
    elif case == "published folder in":
        shutil.move(sample / "published", sample / "posts")
        (sample / "published").symlink_to(sample / "posts", target_is_directory=True)
        named = None
    else:
        (sample / "archive-copy").mkdir()
        shutil.move(sample / "published/about-this-notebook.md", sample / "archive-copy/about-this-notebook.md")
        (sample / "published/about-this-notebook.md").symlink_to(sample / "archive-copy/about-this-notebook.md")
        named = None
    site = sample.parent / "with-drafts" if case.startswith("drafts") else sample / "site"
    result = cli("build", *(["--drafts", "--out", str(site)] if case.startswith("drafts") else []))
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    for data in tree(site).values():
        assert b"Private." not in data and b"Not yours" not in data
    if named:
        assert f"warning: {named}" in result.stderr and "left out of the site" in result.stderr
    else:
        assert not result.stderr
        assert (site / "about-this-notebook/index.html").is_file() and (site / "why-the-night-bus/index.html").is_file()


# -- 4: --out is resolved before it is checked ------------------------------------------------------


@pytest.mark.parametrize("target", ["static", "static/images", "drafts", "published", ".blog", "templates", ".",
                                    "..", "empty static"])
def test_out_through_a_link_is_checked_where_it_leads(target, sample, tmp_path, cli):
    """`--out L` with L a link to static/ (or any folder of the author's) is refused as `--out
    static` is; so is a link to the workspace or above it. An empty static/ included."""
    if target == "empty static":
        import shutil

        shutil.rmtree(sample / "static")
        (sample / "static").mkdir()
        target = "static"
    (sample / "templates").mkdir(exist_ok=True)
    (sample / ".blog").mkdir(exist_ok=True)
    link = tmp_path / "L"
    link.symlink_to((sample / target).resolve(), target_is_directory=True)
    before = tree(sample)
    result = cli("build", "--out", str(link))
    no_traceback(result)
    assert result.exit_code == 1 and f"{link} (which is {(sample / target).resolve()})" in result.stderr
    assert tree(sample) == before and not (sample / target / MARKER).exists()


def test_out_may_not_hold_a_folder_of_the_workspace(sample, tmp_path, cli):
    """A folder that holds drafts/ (drafts/ being a link elsewhere) holds the author's files."""
    import shutil

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.move(sample / "drafts", elsewhere / "drafts")
    (sample / "drafts").symlink_to(elsewhere / "drafts", target_is_directory=True)
    result = cli("build", "--out", str(elsewhere))
    no_traceback(result)
    assert result.exit_code == 1 and "holds the workspace's drafts" in result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["drafts"]


def test_the_default_site_folder_linked_out_of_the_workspace_is_refused(sample, outside, tmp_path, cli):
    elsewhere = tmp_path / "www"
    elsewhere.mkdir()
    (sample / "site").symlink_to(elsewhere, target_is_directory=True)
    result = cli("build")
    no_traceback(result)
    assert result.exit_code == 1 and f"site/: is a symlink to {elsewhere}, outside the workspace" in result.stderr
    assert f"--out {elsewhere}" in result.stderr and not any(elsewhere.iterdir())
    assert cli("build", "--out", str(elsewhere)).exit_code == 0  # named on purpose, it is used
    (sample / "site").unlink()
    (sample / "build").mkdir()
    (sample / "site").symlink_to(sample / "build", target_is_directory=True)  # inside: followed
    assert cli("build").exit_code == 0 and (sample / "build/index.html").is_file()


# -- 16: a killed first build leaves a folder the next build accepts --------------------------------


def test_a_first_build_killed_anywhere_leaves_a_folder_the_next_build_takes(sample, tmp_path):
    """The marker is written before any page: wherever a first build is killed (the first points
    of every kind, and one halfway), the next build, and `--clean`, build there."""
    log = tmp_path / "points"
    probe = tmp_path / "probe"
    import shutil

    shutil.copytree(sample, probe)
    done = blog(probe, "build", BLOG_CRASH_LOG=str(log))
    assert done.wait(WAIT) == 0, done.stderr.read()
    names = log.read_text().split()
    points = [f"{name}#1" for name in dict.fromkeys(names)] + [f"atomic:renamed#{names.count('atomic:renamed') // 2}"]
    for point in points:
        shutil.rmtree(sample / "site", ignore_errors=True)
        shutil.rmtree(sample / ".blog", ignore_errors=True)
        killed = blog(sample, "build", BLOG_CRASH_AT=point)
        assert killed.wait(WAIT) == -signal.SIGKILL, f"{point}: {killed.stderr.read()}"
        assert (sample / "site" / MARKER).is_file(), point
        build(sample)
        build(sample, clean=True)
        assert tree(sample / "site") == tree(probe / "site"), point


# -- 19: names the site keeps for itself ------------------------------------------------------------


@pytest.mark.parametrize("name", ["feed.xml", "index.html", "sitemap.xml", "404.html", "tags", "Archive", "page",
                                  "images"])
def test_a_post_named_like_the_sites_own_files_is_left_out_and_the_rest_builds(name, sample, cli):
    (sample / "published" / f"{name}.md").write_text(
        "---\ntitle: Clash\ndate: 2026-11-01T09:00:00+00:00\n---\n\nA post with an unlucky name.\n")
    result = cli("build")
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert f"warning: published/{name}.md: the slug {name!r} is " in result.stderr and "left out" in result.stderr
    site = sample / "site"
    for rel in ("index.html", "feed.xml", "sitemap.xml", "404.html", "tags/index.html", "why-the-night-bus/index.html"):
        assert (site / rel).is_file(), rel
    for data in tree(site).values():
        assert b"unlucky name" not in data
    checked = cli("check")
    assert checked.exit_code == 1
    assert f"published/{name}.md: error: the slug {name!r} is " in checked.stdout and "(reserved-slug)" in checked.stdout


@pytest.mark.parametrize("alias", ["feed.xml", "index.html", "tags", "404.html", "sitemap.xml", "assets/style.css",
                                   ".git", "why-the-night-bus", "images"])
def test_an_alias_never_overwrites_another_output(alias, sample, cli):
    build(sample)
    site = sample / "site"
    before = tree(site)
    post = sample / "published/about-this-notebook.md"
    post.write_text(post.read_text().replace("title:", f"aliases: [{json.dumps(alias)}]\ntitle:", 1))
    result = cli("build")
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert f"published/about-this-notebook.md: alias {alias!r} is not a free site path" in result.stderr
    after = tree(site)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert changed <= {"about-this-notebook/index.html", "feed.xml"}  # its page; its feed id follows its first alias
    assert not any(b'http-equiv="refresh"' in data for data in after.values())


@pytest.mark.parametrize("title", ["Tags", "Archive", "Series", "Page", "Assets", "Images"])
def test_new_and_rename_refuse_a_name_the_site_keeps(title, sample, cli):
    """(A title never makes a slug with a dot, like `feed.xml`: only a file named by hand has one.)"""
    from blogcli.model.slug import slugify

    before = tree(sample / "drafts"), tree(sample / "published")
    made = cli("new", title, "--no-edit")
    no_traceback(made)
    assert made.exit_code == 1 and f"would be the post {slugify(title)}.md" in made.stderr
    renamed = cli("rename", "about-this-notebook", title)
    no_traceback(renamed)
    assert renamed.exit_code == 1 and "the site would leave it out" in renamed.stderr
    assert (tree(sample / "drafts"), tree(sample / "published")) == before


@pytest.mark.parametrize("slug", ["tags", "archive", "images"])
def test_new_and_rename_refuse_a_site_name_given_with_slug(slug, sample, cli):
    before = tree(sample / "drafts"), tree(sample / "published")
    for args in (("new", "A fine title", "--slug", slug, "--no-edit"), ("rename", "about-this-notebook", "--slug", slug)):
        result = cli(*args)
        no_traceback(result)
        assert result.exit_code == 1 and f"--slug {slug}: {slug!r} is " in result.stderr, result.stderr
        assert "the site would leave it out" in result.stderr
    assert (tree(sample / "drafts"), tree(sample / "published")) == before


def test_an_import_gives_a_post_named_like_the_sites_own_pages_a_free_slug(sample, tmp_path, cli):
    """A Jekyll post filed as `tags` or `images` (static/images/ is in this workspace) is imported
    under a free slug, as a taken slug is, saying so; the site builds it without a warning."""
    posts = tmp_path / "jekyll" / "_posts"
    posts.mkdir(parents=True)
    (tmp_path / "jekyll" / "_config.yml").write_text("title: Elsewhere\n")
    for name in ("tags", "images"):
        (posts / f"2026-11-0{len(name) % 9}-{name}.md").write_text(f"---\ntitle: About {name}\n---\n\nOn {name}.\n")
    imported = cli("import", "jekyll", str(tmp_path / "jekyll"))
    no_traceback(imported)
    assert imported.exit_code == 0, imported.stderr + imported.stdout
    said = " ".join(imported.stdout.split())
    for name in ("tags", "images"):
        assert (sample / f"published/{name}-2.md").is_file() and not (sample / f"published/{name}.md").exists()
        assert f"the slug {name!r} is one of the site's own names" in said or f"the slug {name!r} is taken by a file" in said, said
    built = cli("build")
    assert built.exit_code == 0 and not built.stderr, built.stderr
    assert "On tags." in (sample / "site/tags-2/index.html").read_text()


def test_publish_never_shows_another_page_as_the_posts_own(sample, cli):
    """A post titled "Tags" (filed by hand): publish refuses it (check's error); forced, it is
    published, the build leaves it out, and publish names no page rather than the tag index."""
    (sample / "drafts/tags.md").write_text("---\ntitle: Tags\n---\n\nHow I tag posts.\n")
    refused = cli("publish", "tags")
    no_traceback(refused)
    assert refused.exit_code == 1 and "the slug 'tags' is one of the site's own names" in refused.stderr
    forced = cli("publish", "tags", "--force")
    no_traceback(forced)
    assert forced.exit_code == 0, forced.stderr
    assert "site/tags/index.html" not in forced.stdout
    assert "How I tag posts" not in (sample / "site/tags/index.html").read_text()


def test_the_reserved_names_are_every_top_level_name_the_site_makes(sample):
    """model/reserved.py lists the site's own names: held to what a build really makes."""
    from blogcli.model.reserved import SITE_NAMES

    for n in range(12):  # enough posts for page/
        (sample / "published" / f"filler-{n}.md").write_text(
            f"---\ntitle: Filler {n}\ndate: 2026-09-{n + 1:02}T09:00:00+00:00\n---\n\nText.\n")
    build(sample)
    posts = {p.stem for p in (sample / "published").iterdir()}
    static = {p.name for p in (sample / "static").iterdir()}
    made = {p.name for p in (sample / "site").iterdir() if p.name != MARKER}
    assert made - posts - static == SITE_NAMES


# -- 15: a build racing a change ---------------------------------------------------------------------


def stderr_until(process: subprocess.Popen, text: str) -> str:
    """`process`'s stderr up to the line holding `text`, or all of it if it ends first."""
    seen = []
    for line in process.stderr:
        seen.append(line)
        if text in line:
            break
    return "".join(seen)


def hold_at_import(folder: Path, module: str) -> str:
    """A PYTHONPATH entry whose sitecustomize holds a `blog build` (not its workers) the moment it
    first imports `module`, while the file $HOLD_FILE exists (it makes it)."""
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(
        "import os, sys, time\n"
        "if 'build' in sys.orig_argv and '--multiprocessing-fork' not in sys.orig_argv:\n"
        "    class Hold:\n"
        "        def find_spec(self, name, path=None, target=None):\n"
        f"            if name == {module!r}:\n"
        "                sys.meta_path.remove(self)\n"
        "                flag = os.environ['HOLD_FILE']\n"
        "                open(flag, 'w').close()\n"
        "                deadline = time.monotonic() + 60\n"
        "                while os.path.exists(flag) and time.monotonic() < deadline:\n"
        "                    time.sleep(0.01)\n"
        "            return None\n"
        "    sys.meta_path.insert(0, Hold())\n"
    )
    return os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))


def test_a_build_racing_a_series_move_shows_one_state_of_it(sample, tmp_path):
    """The build is held while it reads the posts (at the first header PyYAML reads, a draft's
    with a comment: the common header is read without it; the index is empty), and `series move` is held halfway through applying its change (one part renumbered, not yet
    the other). The build reads that half state (two parts 1), must not leave it on the site, and
    must not keep the move waiting: it reads without the lock, then waits for it, sees what
    changed, and leaves the site a build of the finished move makes."""
    build_hold, move_hold = tmp_path / "build-held", tmp_path / "move-held"
    (sample / "drafts" / "read-by-pyyaml.md").write_text("---\n# a comment\ntitle: Held\n---\nA draft.\n")
    builder = blog(sample, "build", "--json", PYTHONPATH=hold_at_import(tmp_path / "hook", "yaml"),
                   HOLD_FILE=str(build_hold))
    mover = None
    try:
        assert paused(build_hold, builder), builder.stderr.read()
        mover = blog(sample, "series", "move", "who-rides-after-midnight", "--to", "1", "--force",
                     BLOG_PAUSE_AT="journal:applied#1", BLOG_PAUSE_FILE=str(move_hold))
        assert paused(move_hold, mover), mover.stderr.read()
        build_hold.unlink()  # the build reads the half-moved posts
        said = stderr_until(builder, "waiting for the workspace lock")
        move_hold.unlink()  # the move goes on, and ends
        assert mover.wait(WAIT) == 0, mover.stderr.read()
        out, err = builder.communicate(timeout=WAIT)
        assert builder.returncode == 0, said + err
        assert "waiting for the workspace lock" in said, f"the build ended without waiting for the change to end: {said}"
        assert json.loads(out)["caught_up"], "the build did not see the change it raced"
    finally:
        for process in (mover, builder):
            if process is not None and process.poll() is None:
                process.kill()
    fresh = build(sample, out=tmp_path / "fresh")
    assert fresh.rendered_posts == 3
    assert tree(sample / "site") == tree(tmp_path / "fresh")
    [series] = [p.read_text() for p in (sample / "site/series").glob("*/index.html")]
    assert series.index("Who Rides After Midnight") < series.index("Why the Night Bus?")


def test_a_post_changed_after_the_workspace_read_it_is_caught_up(sample, tmp_path):
    """The build's "what did it read" is the scan its posts came from: a post edited after a
    command's workspace read the posts (and before its build) is seen changed, and the site
    shows the edit, as a build from nothing does."""
    ws = Workspace(sample)
    assert ws.posts  # read now, as a command does before it builds
    path = sample / "published" / "who-rides-after-midnight.md"
    path.write_text(path.read_text().replace("title: Who Rides After Midnight", "title: Who Still Rides"))
    result = build_site(ws)
    assert result.caught_up
    assert "Who Still Rides" in (sample / "site/who-rides-after-midnight/index.html").read_text()
    assert tree(sample / "site") == tree(build(sample, out=tmp_path / "fresh").out)


def test_a_long_build_holds_no_lock_while_it_reads(sample, tmp_path, cli):
    """The lock is taken only at the end: a build held while it renders keeps no command waiting
    (and then catches up with the draft that command made, saying so)."""
    flag = tmp_path / "pause"
    builder = blog(sample, "build", BLOG_PAUSE_AT="atomic:written#2", BLOG_PAUSE_FILE=str(flag))
    try:
        assert paused(flag, builder), builder.stderr.read()
        made = cli("new", "Written while the site builds", "--no-edit")
        assert made.exit_code == 0 and "waiting" not in made.stderr, made.stderr
        flag.unlink()
        out, err = builder.communicate(timeout=WAIT)
        assert builder.returncode == 0, err
        assert out.rstrip().endswith("posts changed meanwhile: brought up to date"), out
    finally:
        if builder.poll() is None:
            builder.kill()


# -- 17, 20: killed or interrupted, a build leaves no process and no half-written file ---------------


@needs_proc
def test_the_workers_die_with_a_killed_build(corpus, tmp_path):
    """SIGKILL to the build alone (the OOM killer, `kill -9 PID`) while a worker is mid-chunk: the
    workers and the resource tracker end too, instead of living on under PID 1, writing."""
    flag = tmp_path / "pause"
    process = blog(corpus, "build", BLOG_PAUSE_AT="build:worker-chunk#2", BLOG_PAUSE_FILE=str(flag))
    try:
        assert paused(flag, process), process.stderr.read()
        assert len(processes_of(corpus)) >= 3  # the build, its workers (and their resource tracker)
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(WAIT) == -signal.SIGKILL
        flag.unlink()  # a worker that outlived the build would go on with its chunk now
        wait_for(lambda: not processes_of(corpus), "the workers to end with their build")
    finally:
        kill_all(processes_of(corpus))
    follow = blog(corpus, "build")
    assert follow.wait(WAIT * 2) == 0, follow.stderr.read()
    assert not [p for p in (corpus / "site").rglob(".*.tmp")]


@needs_proc
def test_ctrl_c_during_a_build_with_workers_is_one_line_and_stops_them(corpus, tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while the workers are
    mid-chunk: exit 130, `interrupted` and nothing else, at once (not after the workers' chunks:
    one is held here for a minute), no worker left, no half-written page; the next build ends it."""
    expected = build_site(Workspace.open(corpus), out=tmp_path / "expected")
    assert expected.rendered_posts > 48
    pages = tree(tmp_path / "expected")
    flag = tmp_path / "pause"
    process = blog(corpus, "build", BLOG_PAUSE_AT="build:worker-chunk#2", BLOG_PAUSE_FILE=str(flag))
    try:
        assert paused(flag, process), process.stderr.read()
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=WAIT // 2)  # the held worker would keep a waiting build for WAIT
        assert (process.returncode, err) == (130, "interrupted\n")
        wait_for(lambda: not processes_of(corpus), "the workers to end")
    finally:
        flag.unlink(missing_ok=True)
        kill_all(processes_of(corpus))
    for rel, data in tree(corpus / "site").items():
        assert not Path(rel).name.startswith(".") and data == pages[rel], f"{rel} is half-written or stray"
    follow = blog(corpus, "build")
    assert follow.wait(WAIT * 2) == 0, follow.stderr.read()
    assert tree(corpus / "site") == pages


@pytest.mark.parametrize("point", ["atomic:written#1", "atomic:before-rename#2", "build:built", "build:locked"])
def test_ctrl_c_anywhere_in_a_small_build_is_one_line_and_leaves_no_temp_file(point, sample, tmp_path):
    """Ctrl-C at a held point of a build without workers (a page being written, the site made, the
    lock taken): exit 130, one line, and every file of the site whole; the temp file of the page
    being written is removed before the build exits."""
    build(sample)
    page = sample / "published/about-this-notebook.md"
    page.write_text(page.read_text() + "\nA new last line.\n")
    old = tree(sample / "site")
    flag = tmp_path / "pause"
    process = blog(sample, "build", BLOG_PAUSE_AT=point, BLOG_PAUSE_FILE=str(flag))
    try:
        assert paused(flag, process), process.stderr.read()
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        flag.unlink(missing_ok=True)
        if process.poll() is None:
            process.kill()
    assert (process.returncode, err) == (130, "interrupted\n")
    assert not [p for p in sample.rglob(".*.tmp")], "a temp file survives the interrupted build"
    new = build_site(Workspace.open(sample), out=tmp_path / "new")
    assert new.rendered_posts == 3
    fresh = tree(tmp_path / "new")
    for rel, data in tree(sample / "site").items():
        assert data in (old.get(rel), fresh.get(rel)), f"{rel} is neither the old page nor the new"
    assert build(sample).written >= 0 and tree(sample / "site") == fresh


def test_a_ctrl_c_while_a_worker_starts_is_not_a_traceback(corpus, tmp_path):
    """The first moments of a spawned worker are imports, before it can ignore Ctrl-C: SIGINT is
    sent to a worker right then (by an import hook), and the build goes on without a word."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os, signal, sys\n"
        "if '--multiprocessing-fork' in sys.orig_argv:  # a spawned worker of the build\n"
        "    class CtrlC:\n"
        "        def find_spec(self, name, path=None, target=None):\n"
        "            if name == 'blogcli.site.post_pages':\n"
        "                sys.meta_path.remove(self)\n"
        "                os.kill(os.getpid(), signal.SIGINT)\n"
        "            return None\n"
        "    sys.meta_path.insert(0, CtrlC())\n"
    )
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    process = blog(corpus, "build", PYTHONPATH=path)
    out, err = process.communicate(timeout=WAIT * 2)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "worker process stopped" not in err, err


# -- more of the same kind: a broken template is named, not a traceback -------------------------------


@pytest.mark.parametrize("text, said", [
    ("{% if %}\n", "templates/404.html:1: template error: Expected an expression"),
    ("<p>\n{{ nope.deeper }}</p>\n", "templates/404.html:2: template error: 'nope' is undefined"),
    ('{% extends "missing.html" %}\n', "templates/404.html:1: template error: no template named 'missing.html'"),
    ("\udcff\n", "templates/404.html: template error: not UTF-8 text"),
])
def test_a_broken_template_is_named_with_its_line(text, said, sample, cli):
    (sample / "templates").mkdir()
    (sample / "templates/404.html").write_bytes(text.encode("utf-8", "surrogateescape"))
    result = cli("build")
    no_traceback(result)
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {said}"), result.stderr


def test_a_broken_template_rendered_by_the_workers_is_named_too(corpus):
    (corpus / "templates").mkdir()
    (corpus / "templates/post.html").write_text('{% extends "base.html" %}{% block main %}{{ post.html.nope() }}{% endblock %}\n')
    process = blog(corpus, "build")
    out, err = process.communicate(timeout=WAIT * 2)
    assert process.returncode == 1 and err.startswith("error: templates/post.html:1: template error: "), err
    assert "Traceback" not in err


class RecordingExecutor:
    """A stand-in executor that records how it was shut down (and lists `processes`, if given,
    and has a management thread that records when it was waited for)."""

    def __init__(self, processes=None):
        self.shutdowns = []
        if processes is not None:
            self._processes = processes
            executor = self

            class ManagerThread:
                def join(self, timeout=None):
                    executor.shutdowns.append(f"manager thread waited for, at most {timeout} s")

            self._executor_manager_thread = ManagerThread()

    def submit(self, *args):
        from concurrent.futures import Future

        return Future()

    def shutdown(self, wait=True, cancel_futures=False):
        self.shutdowns.append(wait)


class LiveProcess:
    def __init__(self):
        self.exitcode = None
        self.joined = False

    def kill(self):
        self.exitcode = -signal.SIGKILL

    def join(self, timeout=None):
        self.joined = True


def test_abort_kills_the_workers_it_knows_and_else_waits_for_the_executor():
    """The pool's trick (`_processes`) and its fallback, for `abort`."""
    from blogcli.site.pool import WorkerPool

    workers = {1: LiveProcess(), 2: LiveProcess()}
    executor = RecordingExecutor(workers)
    pool = WorkerPool(None, [], executor)
    pool.abort()
    assert pool.broken and all(p.exitcode == -signal.SIGKILL and p.joined for p in workers.values())
    # killed and joined already: the executor's thread sees them gone and ends before the executor
    # is reset under it (a CPython 3.11 race printed its traceback), then nothing to wait for
    assert executor.shutdowns == ["manager thread waited for, at most 10 s", False]

    executor = RecordingExecutor()
    pool = WorkerPool(None, [], executor)
    pool.abort()
    assert pool.broken and executor.shutdowns == [True]


def test_an_output_path_is_names_inside_the_folder_by_every_spelling():
    """`is_output_path` (one search, it runs for every output of every build) says what reading
    the path segment by segment says: no empty, `.` or `..` segment, not absolute, no NUL."""
    import itertools

    from blogcli.site.manifest import is_output_path

    def by_segments(path: str) -> bool:
        return not path.startswith("/") and "\0" not in path and all(
            part not in ("", ".", "..") for part in path.split("/"))

    pieces = ["a", ".", "/", "..", "\0", "b.c", "\n", "é"]
    for length in range(1, 6):
        for combo in itertools.product(pieces, repeat=length):
            path = "".join(combo)
            assert is_output_path(path) == by_segments(path), repr(path)
    assert not is_output_path(None) and not is_output_path(["x"])
