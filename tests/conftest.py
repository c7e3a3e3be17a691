"""Shared fixtures: a private copy of a workspace per test, a frozen clock, a fake editor, the CLI."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def generated_blog(folder: Path, posts: int, seed: int) -> Path:
    """The benchmark corpus generator's blog of `posts` posts in `folder` (the same for a seed)."""
    from benchmarks.corpus import generate

    generate(folder, posts, seed)
    return folder / "blog"


class FixedNumbers:
    """A fixed stream of numbers (a 64-bit LCG): the same generated files and texts on every
    machine and Python (the pinned-results tests generate their inputs with it)."""

    def __init__(self, seed: int):
        self.state = seed

    def below(self, n: int) -> int:
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (self.state >> 33) % n

    def pick(self, items):
        return items[self.below(len(items))]
# Beside the checkout (/work/main → /work/shared), or two up from a worktree (/work/wt/NAME).
SEED_POST = next(
    (p for p in (REPO.parent / "shared" / "seed" / "seed-post.txt", REPO.parent.parent / "shared" / "seed" / "seed-post.txt") if p.is_file()),
    REPO.parent / "shared" / "seed" / "seed-post.txt",
)
FROZEN_NOW = "2026-11-25T10:00:00+00:00"


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", default=False,
                     help="rewrite tests/golden/site/ from this build instead of comparing with it (review the diff)")


@pytest.fixture
def regen_golden(request) -> bool:
    """True when the run was asked to rewrite golden files (`pytest --regen-golden`)."""
    return request.config.getoption("--regen-golden")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """Every test starts with colour off, a fixed width, a frozen clock and no editor."""
    for name in ("BLOG_ROOT", "VISUAL", "EDITOR", "BLOG_CRASH_AT", "BLOG_FAULT_WRITE", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("BLOG_NOW", FROZEN_NOW)
    monkeypatch.setenv("BLOG_LOCK_WAIT", "1")


@pytest.fixture
def sample(tmp_path, monkeypatch) -> Path:
    """A copy of the repository's sample blog (blog.toml, drafts/, published/, static/)."""
    root = tmp_path / "blog"
    root.mkdir()
    shutil.copy(REPO / "blog.toml", root / "blog.toml")
    for folder in ("drafts", "published", "static"):
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.setenv("BLOG_ROOT", str(root))
    return root


@pytest.fixture
def empty_blog(tmp_path, monkeypatch) -> Path:
    """A brand-new workspace made by `blog init`."""
    from blogcli.ops.drafts import init_workspace

    root = tmp_path / "empty blog"
    init_workspace(root, "Empty", "Tester")
    monkeypatch.setenv("BLOG_ROOT", str(root))
    return root


@pytest.fixture
def seed_text() -> str:
    """The real series post in ../shared/seed (not ours to ship: tests skip without it)."""
    if not SEED_POST.is_file():
        pytest.skip(f"seed post not present at {SEED_POST} (only in the development checkout)")
    return SEED_POST.read_text(encoding="utf-8")


@pytest.fixture
def fake_editor(tmp_path, monkeypatch):
    """Install a fake $EDITOR (a Python script in a folder whose name has a space).

    `fake_editor(script)` writes `script` as the editor's body; it receives the file path as
    sys.argv[1]. Returns the path to a log the script may append to.
    """
    folder = tmp_path / "my editors"
    folder.mkdir()

    def install(body: str, variable: str = "EDITOR") -> Path:
        editor = folder / "fake editor.py"
        editor.write_text(f"#!{sys.executable}\nimport sys, pathlib\npath = pathlib.Path(sys.argv[-1])\n" + textwrap.dedent(body))
        editor.chmod(0o755)
        import shlex

        monkeypatch.setenv(variable, shlex.quote(str(editor)))
        return editor

    return install


@pytest.fixture
def cli():
    """Run `blog ARGS…` in-process; returns the Click result (exit_code, stdout, stderr)."""
    from typer.testing import CliRunner

    from blogcli.cli.app import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input)

    return invoke


def blog_bin() -> str:
    """The installed `blog` script next to this Python."""
    candidate = Path(sys.executable).parent / "blog"
    return str(candidate) if candidate.exists() else shutil.which("blog") or "blog"


@pytest.fixture
def outside(sample) -> Path:
    """A folder beside the workspace holding a secret, to prove nothing out there is touched."""
    folder = sample.parent / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text("---\ntitle: Not yours\n---\n\nPrivate.\n")
    return folder
