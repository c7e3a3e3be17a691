"""`blog serve`: pages over HTTP, nothing outside the site folder, rebuild and reload on change."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from blogcli.site.builder import build_site
from blogcli.ops.serve import RELOAD_PATH, SiteServer, resolve_request
from blogcli.workspace.store import Workspace


def get(port: int, path: str, timeout: float = 5) -> tuple[int, dict, bytes]:
    """A raw GET: the path is sent exactly as given (no client-side normalising of `..`)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture
def server(sample):
    build_site(Workspace.open(sample))
    site = SiteServer("127.0.0.1", 0, sample / "site")
    site.start()
    yield site
    site.stop()


def test_serves_pages_with_reload_script(server):
    port = server.server_address[1]
    status, headers, body = get(port, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Notes from the Last Stop" in body and RELOAD_PATH.encode() in body
    status, _, body = get(port, "/why-the-night-bus/")
    assert status == 200 and b"Part 1 of 2" in body
    status, headers, _ = get(port, "/why-the-night-bus")
    assert status == 301 and headers["Location"] == "/why-the-night-bus/"
    status, headers, body = get(port, "/feed.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/xml") and RELOAD_PATH.encode() not in body
    status, headers, _ = get(port, "/images/n29-tally.svg")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    status, _, body = get(port, "/no-such-page/")
    assert status == 404 and b"Page not found" in body
    # the files on disk carry no reload script: it is added only while serving
    assert RELOAD_PATH.encode() not in (server.site_dir / "index.html").read_bytes()


@pytest.mark.parametrize(
    "path",
    ["/../blog.toml", "/%2e%2e/blog.toml", "/%2E%2E/blog.toml", "/..%2fblog.toml", "/%2e%2e%2fblog.toml",
     "/images/../../blog.toml", "/./index.html", "/.blogcli-site", "/..\\blog.toml", "/%00", "/../../../../etc/passwd"],
)
def test_refuses_paths_outside_the_site(server, path):
    status, _, body = get(server.server_address[1], path)
    assert status in (403, 404)
    assert b"base_url" not in body and b"root:" not in body


def test_symlink_out_of_the_site_is_refused(server, sample):
    (server.site_dir / "leak.toml").symlink_to(sample / "blog.toml")
    status, _, body = get(server.server_address[1], "/leak.toml")
    assert status == 403 and b"base_url" not in body


def test_resolve_request_under_a_prefix(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("x")
    assert resolve_request(tmp_path, "/blog/", "/blog/a/") == ("file", Path(os.path.realpath(tmp_path / "a" / "index.html")))
    assert resolve_request(tmp_path, "/blog/", "/") == ("redirect", "/blog/")
    assert resolve_request(tmp_path, "/blog/", "/a/")[0] == "missing"
    assert resolve_request(tmp_path, "/blog/", "/blog/%2e%2e/x")[0] == "forbidden"


def test_reload_endpoint_waits_for_the_next_build(server):
    port = server.server_address[1]
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(get(port, f"{RELOAD_PATH}?v=1", timeout=30)[2]))
    waiter.start()
    time.sleep(0.3)
    assert not answers  # still waiting: nothing was rebuilt
    server.reloaded()
    waiter.join(5)
    assert answers == [b"2"]
    assert get(port, f"{RELOAD_PATH}?v=1")[2] == b"2"  # an old page learns at once


def _blog_serve(sample, *args) -> tuple[subprocess.Popen, int]:
    env = dict(os.environ, BLOG_ROOT=str(sample))
    process = subprocess.Popen(
        [sys.executable, "-m", "blogcli", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        process.kill()
        pytest.fail(f"blog serve did not start: {line!r} {process.stderr.read()}")
    return process, int(match.group(1))


def _wait_for(predicate, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_blog_serve_rebuilds_on_change_and_stops_on_ctrl_c(sample):
    process, port = _blog_serve(sample)
    try:
        assert get(port, "/")[0] == 200
        _, _, before = get(port, "/about-this-notebook/")
        assert b"About this notebook" in before
        post = sample / "published/about-this-notebook.md"
        post.write_text(post.read_text().replace("title: About this notebook", "title: About this weekly notebook"))
        assert _wait_for(lambda: b"About this weekly notebook" in get(port, "/about-this-notebook/")[2])
        assert get(port, f"{RELOAD_PATH}?v=1")[2] != b"1"  # open pages are told to reload
        (sample / "drafts/drawing-the-timetable.md").rename(sample / "published/drawing-the-timetable.md")
        assert _wait_for(lambda: get(port, "/drawing-the-timetable/")[0] == 200)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "rebuilt" in err and "stopped" in err


def test_blog_serve_drafts_never_touch_site(sample):
    process, port = _blog_serve(sample, "--drafts")
    try:
        status, _, body = get(port, "/drawing-the-timetable/")
        assert status == 200 and b"Draft" in body
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert not (sample / "site" / "drawing-the-timetable").exists()
