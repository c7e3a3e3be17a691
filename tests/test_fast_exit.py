"""The installed `blog` script ends without the interpreter's teardown (blogcli/fast_exit.py), and
nothing a user sees changes: the whole output through a pipe or into a file, the same exit codes.

Whether a process's teardown ran is told by an object's `__del__` (in a sitecustomize module put
on the path) that writes the process's id: the usual exit runs it, `os._exit` does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from blogcli import fast_exit
from conftest import blog_bin



@pytest.fixture
def teardown_mark(tmp_path, monkeypatch) -> None:
    """A module loaded at start-up whose object writes "torn down PID" to stderr when the teardown frees it."""
    folder = tmp_path / "site-customize"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(textwrap.dedent("""
        import os

        class Mark:
            def __del__(self, write=os.write, pid=os.getpid()):
                write(2, b"torn down %d\\n" % pid)

        mark = Mark()
    """))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")])))
    monkeypatch.delenv(fast_exit.SWITCH_OFF, raising=False)
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)  # output buffered, as for a user: the exit must flush it


@pytest.fixture
def many_posts(sample) -> Path:
    """The sample blog with enough posts that `blog list --json` is more than a pipe's buffer."""
    for n in range(400):
        (sample / "published" / f"filler-{n}.md").write_text(f"---\ntitle: Filler number {n}\ndate: 2026-01-01\n---\nWords.\n")
    return sample


class Ran:
    def __init__(self, args: list[str], env: dict | None = None, stdout=subprocess.PIPE):
        process = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env)
        self.stdout, self.stderr = process.communicate(timeout=120)
        self.returncode = process.returncode
        self.torn_down = f"torn down {process.pid}\n" in self.stderr  # the process itself, not a worker of it


def run(args: list[str], env: dict | None = None, stdout=subprocess.PIPE) -> Ran:
    return Ran(args, env, stdout)


def script_is_current() -> None:
    assert "script" in Path(blog_bin()).read_text(errors="replace"), \
        f"{blog_bin()} is an older install: run `pip install -e .` so it calls blogcli.entry:script"


def test_the_script_skips_the_teardown_and_the_switch_turns_it_back_on(teardown_mark, sample):
    script_is_current()
    fast = run([blog_bin(), "list", "--json"])
    assert fast.returncode == 0 and not fast.torn_down
    full = run([blog_bin(), "list", "--json"], env={**os.environ, fast_exit.SWITCH_OFF: "1"})
    assert full.returncode == 0 and full.torn_down
    assert fast.stdout == full.stdout


def test_main_called_in_process_and_python_m_keep_the_usual_exit(teardown_mark, sample):
    module = run([sys.executable, "-m", "blogcli", "list", "--json"])
    assert module.returncode == 0 and module.torn_down
    called = run([sys.executable, "-c", "import sys\nfrom blogcli.entry import main\nsys.exit(main(['list', '--json']))"])
    assert called.returncode == 0 and called.torn_down


def test_the_whole_output_reaches_a_pipe_and_a_file(teardown_mark, many_posts, tmp_path):
    script_is_current()
    expected = run([sys.executable, "-m", "blogcli", "list", "--json"]).stdout
    assert len(expected) > 65536 and len(json.loads(expected)) > 400
    piped = run([blog_bin(), "list", "--json"])
    assert piped.stdout == expected and not piped.torn_down
    into = tmp_path / "out.json"
    with into.open("w") as handle:
        written = run([blog_bin(), "list", "--json"], stdout=handle)
    assert written.returncode == 0 and not written.torn_down
    assert into.read_text() == expected
    assert run([sys.executable, "-m", "blogcli", "build"]).returncode == 0
    post = many_posts / "published" / "filler-7.md"
    post.write_text(post.read_text() + "More words.\n")
    built = run([blog_bin(), "build", "--json"])
    assert built.returncode == 0 and not built.torn_down
    assert json.loads(built.stdout)["written"] >= 1 and "filler-7" not in built.stderr


@pytest.mark.parametrize("case", ["ok", "error", "usage", "interrupted", "closed pipe"])
def test_exit_codes_are_those_of_the_usual_exit(case, teardown_mark, many_posts, tmp_path):
    """A pipe its reader closes while the command writes is Click's to answer (exit 1, quietly);
    one closed before the output's last flush at the end is `leave`'s (141, below)."""
    script_is_current()
    args, env, code = {
        "ok": (["list"], {}, 0),
        "error": (["list"], {"BLOG_ROOT": str(tmp_path / "nowhere")}, 1),
        "usage": (["list", "--no-such-option"], {}, 2),
        "interrupted": (["build"], {"BLOG_CRASH_AT": "build:built", "BLOG_CRASH_SIGNAL": "INT"}, 130),
        "closed pipe": (["list", "--json"], {}, 1),
    }[case]
    if case == "interrupted":  # built once before: a full build's worker processes would keep the usual exit
        assert run([sys.executable, "-m", "blogcli", "build"]).returncode == 0
    for switch in ({}, {fast_exit.SWITCH_OFF: "1"}):
        environment = {**os.environ, **env, **switch}
        if case == "closed pipe":
            process = subprocess.Popen([blog_bin(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
            process.stdout.read(10)
            process.stdout.close()
            stderr = process.stderr.read().decode()
            returncode = process.wait(timeout=120)
            torn_down = f"torn down {process.pid}\n" in stderr
        else:
            result = run([blog_bin(), *args], env=environment)
            returncode, stderr, torn_down = result.returncode, result.stderr, result.torn_down
        assert returncode == code, (switch, stderr)
        assert torn_down == bool(switch), switch
        assert "Traceback" not in stderr
        if case == "interrupted":
            assert stderr.splitlines()[0] == "interrupted"


def leave_in_a_child(body: str, env: dict | None = None) -> Ran:
    """Run `body`, then `fast_exit.leave(3)` and, if it returned, the usual exit with code 4."""
    code = f"import sys\nfrom blogcli import fast_exit\n{textwrap.dedent(body)}\nfast_exit.leave(3)\nprint('returned')\nsys.exit(4)\n"
    return run([sys.executable, "-c", code], env={**os.environ, **(env or {})})


def test_leave_flushes_the_output_and_runs_the_atexit_handlers(teardown_mark):
    result = leave_in_a_child("""
        import atexit
        atexit.register(lambda: print("handler ran"))
        sys.stdout.write("buffered, not flushed")
    """)
    assert (result.returncode, result.stdout) == (3, "buffered, not flushedhandler ran\n")
    assert not result.torn_down


@pytest.mark.parametrize("case", ["a thread", "a child process", "a child not waited for"])
def test_leave_keeps_the_usual_exit_while_a_thread_or_child_is_alive(case, teardown_mark):
    body = {
        "a thread": "import threading, time\nthreading.Thread(target=time.sleep, args=(0.2,)).start()",
        "a child process": "import subprocess\nchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(0.2)'])",
        "a child not waited for": "import os, subprocess\nchild = subprocess.Popen(['true'])\n"
                                  "os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)",
    }[case]
    result = leave_in_a_child(body)
    assert (result.returncode, result.stdout) == (4, "returned\n")
    assert result.torn_down


def test_leave_keeps_the_usual_exit_when_switched_off(teardown_mark):
    result = leave_in_a_child("", env={fast_exit.SWITCH_OFF: "1"})
    assert (result.returncode, result.stdout) == (4, "returned\n")
    assert result.torn_down


def test_leave_answers_a_closed_pipe_with_141_quietly(teardown_mark):
    """The usual exit says "Exception ignored … BrokenPipeError" and exits 120 here."""
    read, write = os.pipe()
    os.close(read)
    code = "import sys\nfrom blogcli import fast_exit\nsys.stdout.write('x' * 100)\nfast_exit.leave(0)\nsys.exit(4)\n"
    try:
        result = run([sys.executable, "-c", code], stdout=write)
    finally:
        os.close(write)
    assert result.returncode == 141 and result.stderr == ""


def test_the_caches_sqlite_files_are_closed_by_their_owners_not_the_teardown(teardown_mark, sample):
    """A WAL left beside a cache would be played back by the next command: every connection is
    closed before `main` returns, so none is left after the quick exit."""
    script_is_current()
    post = sample / "published" / "who-rides-after-midnight.md"
    for args in (["build"], ["list", "--json"], ["search", "bus", "--json"], ["stats", "--json"], ["build"]):
        post.write_text(post.read_text() + "\nMore.\n")
        result = run([blog_bin(), *args])
        assert result.returncode == 0 and not result.torn_down, (args, result.stderr)
        left = [p.name for p in (sample / ".blog" / "cache").iterdir() if p.name.endswith(("-wal", "-shm", "-journal"))]
        assert left == [], (args, left)
