"""The fsync of a transaction's files staged in bulk: every one on disk before the journal is,
through a thread pool only when there are several (a pool, and importing it, is ~9 ms)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from blogcli.workspace.store import Workspace


@pytest.fixture
def fsynced(monkeypatch) -> list[str]:
    """The path of every file or folder fsynced, in order."""
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return synced


def staged_commit(root: Path, count: int) -> list[Path]:
    ws = Workspace(root)
    with ws.lock():
        tx = ws.transaction()
        for n in range(count):
            tx.stage(f"drafts/staged-{n}.md", f"---\ntitle: Staged {n}\n---\nWords.\n".encode())
        staged = sorted((root / ".blog/staging").iterdir())
        tx.commit()
    return staged


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads which file a descriptor is through /proc")
@pytest.mark.parametrize("count", [1, 3])
def test_each_file_staged_in_bulk_is_fsynced_before_the_journal(sample, fsynced, count):
    staged = staged_commit(sample, count)
    journal_written = next(i for i, path in enumerate(fsynced) if "journal.json" in path or ".tmp" in path)
    assert sorted(fsynced[:count]) == sorted(str(path) for path in staged)
    assert fsynced[count] == str(sample / ".blog/staging")  # and the folder that names them
    assert journal_written > count
    assert [(sample / f"drafts/staged-{n}.md").read_text() for n in range(count)] == [
        f"---\ntitle: Staged {n}\n---\nWords.\n" for n in range(count)
    ]


def test_a_move_or_one_file_staged_in_bulk_needs_no_thread_pool(sample):
    """A publish's move (nothing staged in bulk), then one staged file. Checked in a fresh
    interpreter: nothing else there has imported concurrent.futures."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from blogcli.workspace.store import Workspace\n"
        "from test_journal_fsync import staged_commit\n"
        f"ws = Workspace(Path({str(sample)!r}))\n"
        "with ws.lock():\n"
        "    tx = ws.transaction()\n"
        "    tx.move('drafts/drawing-the-timetable.md', 'published/drawing-the-timetable.md', b'---\\ntitle: Moved\\n---\\n')\n"
        "    tx.commit()\n"
        "print('concurrent.futures' in sys.modules)\n"
        f"staged_commit(Path({str(sample)!r}), 1)\n"
        "print('concurrent.futures' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
    assert (sample / "published/drawing-the-timetable.md").read_text() == "---\ntitle: Moved\n---\n"
    assert (sample / "drafts/staged-0.md").exists()
