"""The installed `blog` script and `python -m blogcli`, run as real processes."""

import json
import os
import subprocess
import sys

from blogcli import __version__
from conftest import blog_bin


def run(args, cwd, env=None, **kwargs):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(args, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60, **kwargs)


def test_version_from_script_and_module(tmp_path):
    for args in ([blog_bin(), "--version"], [sys.executable, "-m", "blogcli", "--version"], [blog_bin(), "-V"]):
        result = run(args, tmp_path)
        assert result.returncode == 0
        assert result.stdout.strip() == f"blogcli {__version__}"


def test_new_and_list_as_a_subprocess(empty_blog, tmp_path):
    made = run([blog_bin(), "new", "Real process", "--tag", "x"], tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().endswith("drafts/real-process.md")
    listed = run([blog_bin(), "list", "--json"], tmp_path)
    assert [p["slug"] for p in json.loads(listed.stdout)] == ["real-process"]
    table = run([blog_bin(), "list"], tmp_path, env={"NO_COLOR": ""})
    assert "real-process" in table.stdout and "\x1b[" not in table.stdout


def test_errors_exit_1_without_traceback(tmp_path):
    result = run([blog_bin(), "list"], tmp_path, env={"BLOG_ROOT": ""})
    assert result.returncode == 1
    assert result.stderr.startswith("error: not inside a blog workspace")
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2(tmp_path):
    result = run([blog_bin(), "list", "--no-such-option"], tmp_path)
    assert result.returncode == 2


def test_closed_pipe_is_quiet(sample, tmp_path):
    for n in range(40):
        (sample / "published" / f"filler-{n}.md").write_text(f"---\ntitle: Filler {n}\ndate: 2026-01-01\n---\nx\n")
    proc = subprocess.Popen([blog_bin(), "list", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_piped_output_has_colour_only_when_forced(empty_blog, tmp_path):
    """Piped output is plain, unless FORCE_COLOR asks for colour (`… | less -R`); NO_COLOR wins."""
    assert run([blog_bin(), "new", "Colourful", "--tag", "x"], tmp_path).returncode == 0
    quiet = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    cases = {(): False, (("FORCE_COLOR", "1"),): True, (("FORCE_COLOR", "1"), ("NO_COLOR", "1")): False}
    for extra, coloured in cases.items():
        result = subprocess.run([blog_bin(), "list"], cwd=tmp_path, env={**quiet, **dict(extra)}, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "colourful" in result.stdout
        assert ("\x1b[" in result.stdout) is coloured, extra


def test_version_into_a_closed_pipe_is_quiet(tmp_path):
    """`blog --version` is answered before the app (entry.py): a pipe closed before it writes is
    exit 141 and no traceback, with unbuffered output too (the write itself then fails)."""
    for unbuffered in ("", "1"):
        env = {**os.environ, "PYTHONUNBUFFERED": unbuffered} if unbuffered else {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        read, write = os.pipe()
        os.close(read)
        proc = subprocess.run([blog_bin(), "--version"], stdout=write, stderr=subprocess.PIPE, env=env, cwd=tmp_path, timeout=30)
        os.close(write)
        assert proc.returncode == 141, (unbuffered, proc.returncode, proc.stderr)
        assert proc.stderr == b"", (unbuffered, proc.stderr)
