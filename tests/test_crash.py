"""Crash suite: every mutating command is killed by SIGKILL mid-change, and nothing is lost.

Two kinds of kill, both of real processes:

* At every named crash point the command reaches (atomic:*, journal:*): the command is run once
  with BLOG_CRASH_LOG to learn the points it passes, then once per point (`BLOG_CRASH_AT=name#N`)
  as `python -m blogcli …`, which kills itself there.
* At random moments: a child forked from this (already imported) process runs the command and
  kills itself with SIGKILL (no handler, no cleanup) at a seeded random one of the Python function
  calls the command makes, then its process group (an editor) is killed too. The moment is
  counted in the command's own calls, not in time, so a kill lands in the work however busy the
  machine is and however short the command (a CPU timer only fires on a clock tick: a command of
  a few milliseconds between waits was seen to end before every one of its timers); a kill that
  came after the command ended (it made fewer calls than measured) is tried again earlier, so
  every one lands. (Only the time a command waits, for fsync say, is never hit; a kill there
  leaves what a kill just before or after the wait leaves, and the named points cover both.)

After each kill, before anything else runs, every visible file (posts and site pages) is one of
the versions the command could have left (old or new: nothing half-written). Then the next command (`blog list --json`)
finishes or rolls back the interrupted change, and the files are exactly the old state or the new
one (an edit may also stop at what the editor wrote): each post exactly once, in drafts/,
published/ or the trash; `list` shows exactly those slugs; no temp or staged file survives the
next lock; `blog check` reports what it reports for that state, nothing more; and the next
`blog build` leaves no temp file in the site and exactly the site a build of that state makes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import FROZEN_NOW, REPO

TRASHED_SLUG = "an-old-idea"
EDITOR_LINE = "\nA line the author added in the editor.\n"
RANDOM_KILLS = 28
MAX_TRIES = 4  # per random kill: a kill that came after the command ended is tried again earlier
SUBPROCESS_RANDOM_KILLS = 2


@dataclass
class Scenario:
    name: str
    argv: list[str]
    needs: str | None = None  # a command (or group) that must exist for this scenario to run
    edits: str | None = None  # the post the fake editor changes (the edit scenario)
    # A command made of two steps, each all-or-nothing on its own (publish, then plan the teased
    # part): the argv of the first step alone, whose result is a state a kill may also leave.
    first_step: list[str] | None = None


SCENARIOS = [
    Scenario("new", ["new", "Crash Test Post", "--no-edit", "--tag", "crash", "--body-file", "{body}"]),
    Scenario("new-in-series", ["new", "Counting the Depot", "--no-edit", "--series", "The Night Bus Notebook"]),
    Scenario("edit", ["edit", "drawing-the-timetable"], edits="drafts/drawing-the-timetable.md"),
    Scenario("rename-draft", ["rename", "drawing-the-timetable", "Drawing the Night Timetable"]),
    Scenario("rename-published", ["rename", "why-the-night-bus", "Why the Night Bus, Really?"]),
    Scenario("delete", ["delete", "who-rides-after-midnight", "--force"]),
    Scenario("restore", ["restore", TRASHED_SLUG]),
    Scenario("series-add", ["series", "add", "about-this-notebook", "The Night Bus Notebook"], needs="series"),
    Scenario("series-move", ["series", "move", "drawing-the-timetable", "--to", "1", "--force"], needs="series"),
    Scenario("series-remove", ["series", "remove", "why-the-night-bus", "--force"], needs="series"),
    Scenario("series-plan", ["series", "plan", "The Night Bus Notebook", "Counting the depot"], needs="series"),
    Scenario("publish", ["publish", "drawing-the-timetable", "--force"], needs="publish"),
    Scenario("publish-scheduled", ["publish", "drawing-the-timetable", "--force", "--at", "2026-12-07T09:00:00+00:00",
                                   "--plan-next"], needs="publish",
             first_step=["publish", "drawing-the-timetable", "--force", "--at", "2026-12-07T09:00:00+00:00"]),
    Scenario("unpublish", ["unpublish", "who-rides-after-midnight"], needs="unpublish"),
    Scenario("build", ["build"], needs="build"),
]


# -- the workspace and its states --------------------------------------------------------------


def base_env(root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BLOG_", "VISUAL", "EDITOR"))}
    env.update(BLOG_ROOT=str(root), BLOG_NOW=FROZEN_NOW, NO_COLOR="1", COLUMNS="100", BLOG_LOCK_WAIT="5")
    env.update(extra)
    return env


def visible_files(root: Path, top: str) -> dict[str, bytes]:
    """Files a person (or `blog`) would take for content: everything but dot-named temp files."""
    found = {}
    base = root / top
    if base.is_dir():
        for path in sorted(base.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(base).parts):
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def post_state(root: Path) -> dict[str, bytes]:
    """The author's files: every post, the trash (posts and their notes) and blog.toml."""
    state = {"blog.toml": (root / "blog.toml").read_bytes()}
    for top in ("drafts", "published", ".blog/trash"):
        state.update(visible_files(root, top))
    return state


def leftovers(root: Path) -> list[str]:
    """Temp and staged files anywhere in the workspace."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob(".*")
        if p.is_file() and p.name.endswith((".tmp", ".staged"))
    )


def slugs_of(state: dict[str, bytes]) -> set[str]:
    return {rel.split("/", 1)[1][:-3] for rel in state if rel.startswith(("drafts/", "published/"))}


def describe(state: dict[str, bytes], reference: dict[str, bytes]) -> str:
    added = sorted(set(state) - set(reference))
    gone = sorted(set(reference) - set(state))
    changed = sorted(k for k in set(state) & set(reference) if state[k] != reference[k])
    return f"added {added}, missing {gone}, changed {changed}"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The sample blog, plus one post in the trash (for restore), a body file and a fake editor."""
    from blogcli.ops.drafts import NewPost, create_draft, delete_post
    from blogcli.workspace.store import Workspace

    base = tmp_path_factory.mktemp("crash")
    root = base / "blog"
    root.mkdir()
    shutil.copy(REPO / "blog.toml", root / "blog.toml")
    for folder in ("drafts", "published", "static"):
        shutil.copytree(REPO / folder, root / folder)
    saved = os.environ.get("BLOG_NOW")
    os.environ["BLOG_NOW"] = FROZEN_NOW
    try:
        ws = Workspace(root)
        create_draft(ws, NewPost(title="An old idea", body="Something I wrote and then thought better of.\n"))
        delete_post(Workspace(root), TRASHED_SLUG)
    finally:
        if saved is None:
            os.environ.pop("BLOG_NOW", None)
        else:
            os.environ["BLOG_NOW"] = saved
    if "build" in commands():
        result = invoke(root, "build")
        assert result.exit_code == 0, result.stderr
    (base / "body.md").write_text("A body written elsewhere, with *emphasis*.\n\nAnd a second paragraph.\n")
    scratch = base / "editor-scratch"
    scratch.mkdir()
    editor = base / "fake editor.py"
    # The fake editor saves as careful editors do (a temp file renamed over the post), so a kill
    # of the editor itself never leaves a half-written post: what is tested here is blog's part.
    editor.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, pathlib\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        f"tmp = pathlib.Path({str(scratch)!r}) / f'save-{{os.getpid()}}'\n"
        f"tmp.write_bytes(path.read_bytes() + {EDITOR_LINE.encode()!r})\n"
        "os.replace(tmp, path)\n"
    )
    editor.chmod(0o755)
    return root


def commands() -> set[str]:
    """The commands and groups the app has today (the later features land during development)."""
    return set(click_command().commands)


@pytest.fixture(scope="module")
def available(template) -> set[str]:
    return commands()


class Lab:
    """Fresh copies of the template, the command lines to run in them, and their reference states."""

    def __init__(self, template: Path, workdir: Path):
        self.template = template
        self.workdir = workdir
        self.count = 0

    def fresh(self) -> Path:
        self.count += 1
        root = self.workdir / f"w{self.count}"
        shutil.copytree(self.template, root, symlinks=True)
        return root

    def argv(self, scenario: Scenario) -> list[str]:
        body = str(self.template.parent / "body.md")
        return [a.replace("{body}", body) for a in scenario.argv]

    def env(self, root: Path, **extra: str) -> dict[str, str]:
        editor = self.template.parent / "fake editor.py"
        return base_env(root, EDITOR=f"'{editor}'", **extra)

    def run(self, root: Path, scenario: Scenario, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "blogcli", *self.argv(scenario)],
            env=self.env(root, **extra),
            cwd=root.parent,
            capture_output=True,
            text=True,
            timeout=60,
        )


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def invoke(root: Path, *args: str) -> Outcome:
    """`blog ARGS` in-process (the next command after a kill), in workspace `root`.

    CliRunner.invoke would rebuild the Click command from the Typer app on every call (~35 ms,
    thousands of calls here), so this runs the one made by `click_command()` in its isolation.
    """
    from typer.testing import CliRunner

    with CliRunner().isolation(env=base_env(root)) as (out, err, _):
        try:
            click_command().main(args=list(args), prog_name="blog")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return Outcome(code, out.getvalue().decode(), err.getvalue().decode())


@functools.cache
def click_command():
    """The app as a Click command, made once: Typer rebuilds it on every CliRunner call (~50 ms)."""
    import typer.main

    from blogcli.cli.app import app

    return typer.main.get_command(app)


@dataclass
class Reference:
    """What a scenario's command does when nothing goes wrong."""

    old: dict[str, bytes]
    new: dict[str, bytes]
    between: list[dict[str, bytes]]  # other whole states a kill may leave (what the editor saved)
    points: list[str]  # BLOG_CRASH_AT values, one per crash point hit, in order
    calls: int  # the Python function calls the forked command makes, for the random kills
    site: dict[str, set[bytes]] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    rebuilt: dict[str, dict[str, bytes]] = field(default_factory=dict)  # "old"/"new" → `blog build`'s site

    @property
    def states(self) -> list[dict[str, bytes]]:
        return [self.old, *self.between, self.new]

    def versions(self) -> dict[str, set[bytes]]:
        allowed: dict[str, set[bytes]] = {}
        for state in self.states:
            for rel, data in state.items():
                allowed.setdefault(rel, set()).add(data)
        return allowed


def check_output(root: Path, available: set[str]) -> str | None:
    if "check" not in available:
        return None
    result = invoke(root, "check", "--json")
    assert "Traceback" not in result.stderr
    return result.stdout


def site_files(root: Path) -> dict[str, bytes]:
    return visible_files(root, "site")


def reference(lab: Lab, scenario: Scenario, available: set[str]) -> Reference:
    root = lab.fresh()
    old = post_state(root)
    old_site = site_files(root)
    log = lab.workdir / f"{scenario.name}.points"
    result = lab.run(root, scenario, BLOG_CRASH_LOG=str(log))
    assert result.returncode == 0, f"{scenario.argv} failed without any crash:\n{result.stderr}"
    new = post_state(root)
    assert new != old or scenario.name == "build", f"{scenario.name} changed nothing"
    assert not leftovers(root)
    hits: dict[str, int] = {}
    points = []
    for name in log.read_text().split():
        hits[name] = hits.get(name, 0) + 1
        points.append(f"{name}#{hits[name]}")
    between = []
    if scenario.edits:
        saved = dict(old)
        saved[scenario.edits] = old[scenario.edits] + EDITOR_LINE.encode()
        between.append(saved)
    extra_checks = []
    if scenario.first_step:
        halfway = lab.fresh()
        done = lab.run(halfway, Scenario(scenario.name, scenario.first_step))
        assert done.returncode == 0, done.stderr
        between.append(post_state(halfway))
        out = check_output(halfway, available)
        if out is not None:
            extra_checks.append(out)
    site: dict[str, set[bytes]] = {}
    for files in (old_site, site_files(root)):
        for rel, data in files.items():
            site.setdefault(rel, set()).add(data)
    counts = []
    for _ in range(3):  # the median
        counting_root = lab.fresh()
        killed, made = forked_run(lab, counting_root, scenario)
        counts.append(made)
        assert not killed and post_state(counting_root) == new, "the forked run does not match the subprocess run"
    calls = sorted(counts)[1]
    checks = []
    rebuilt = {}
    for name, state_root in (("old", lab.fresh()), ("new", root)):
        invoke(state_root, "list")
        out = check_output(state_root, available)
        if out is not None:
            checks.append(out)
        if "build" in available:
            result = invoke(state_root, "build")
            assert result.exit_code == 0, result.stderr
            rebuilt[name] = site_files(state_root)
    return Reference(old, new, between, points, calls, site, checks + extra_checks, rebuilt)


# -- killing -----------------------------------------------------------------------------------


def forked_run(lab: Lab, root: Path, scenario: Scenario, call: int | None = None, **extra: str) -> tuple[bool, int]:
    """Run the command in a forked child, which kills itself (SIGKILL) as it makes its `call`-th
    Python function call.

    Returns whether it died that way (or at the crash point `extra` names: BLOG_CRASH_AT), and
    the calls it made (when it ran to its end). With neither, it runs to its end, which must be a
    success."""
    env = lab.env(root, **extra)
    argv = lab.argv(scenario)
    report, told = os.pipe()  # the calls the child made (not its editor), written as it ends
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        os.close(report)
        try:
            os.setpgid(0, 0)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            sys.stdin = open(0, closefd=False)
            sys.stdout = open(1, "w", closefd=False)
            sys.stderr = open(2, "w", closefd=False)
            os.environ.clear()
            os.environ.update(env)
            os.chdir(root.parent)
            from blogcli.cli.app import run
            from blogcli.workspace import atomic

            atomic._hits.clear()  # this process's own in-process commands counted crash points
            made = _count_calls(call)
            code = run(argv)
        finally:
            sys.setprofile(None)
            threading.setprofile(None)
            os.write(told, repr(made[0]).encode())
            os._exit(code)
    os.close(told)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    try:
        os.killpg(pid, signal.SIGKILL)  # whatever it started (an editor) goes with it
    except (ProcessLookupError, PermissionError):
        pass
    with open(report, "rb") as written:
        made = int(written.read() or 0)
    if call is not None or extra:
        return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, made
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"{argv} failed in the forked run"
    return False, made


def _count_calls(kill_at: int | None) -> list[int]:
    """Count this process's Python function calls (its threads' too), and SIGKILL it at call
    number `kill_at`; the count so far is in the list returned."""
    made = [0]

    def count(frame, event, arg):
        if event == "call":
            made[0] += 1
            if made[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    threading.setprofile(count)
    sys.setprofile(count)
    return made


def verify_after_kill(root: Path, ref: Reference, available: set[str], label: str) -> None:
    """The guarantees, checked on a workspace whose command was just killed."""
    allowed = ref.versions()
    for rel, data in post_state(root).items():
        assert data in allowed.get(rel, set()), f"{label}: {rel} is not any version the command could leave"
    for rel, data in site_files(root).items():
        assert data in ref.site.get(rel, set()), f"{label}: site file {rel} is half-written"
    journal = (root / ".blog" / "journal.json").exists()

    listed = invoke(root, "list", "--json")
    assert listed.exit_code == 0, f"{label}: the next command failed: {listed.stderr}"
    assert "Traceback" not in listed.stderr and "warning" not in listed.stderr, f"{label}: {listed.stderr}"
    if journal:
        assert "finished a change" in listed.stderr, f"{label}: an interrupted change was not finished"
    assert not (root / ".blog" / "journal.json").exists()

    after = post_state(root)
    assert after in ref.states, f"{label}: neither the old nor the new state: " + describe(after, ref.new)
    assert {p["slug"] for p in json.loads(listed.stdout)} == slugs_of(after), f"{label}: list shows other slugs"
    from blogcli.model.post import post_from_bytes

    shown = {p["path"]: (p["title"], p["part"], p["status"]) for p in json.loads(listed.stdout)}
    for rel, data in after.items():  # the index answers with what the files say now, not before the kill
        if rel.startswith(("drafts/", "published/")):
            post = post_from_bytes(data, rel, dt.timezone.utc)
            now = dt.datetime.fromisoformat(FROZEN_NOW)
            assert shown[rel] == (post.title, post.part, post.status(now)), f"{label}: list is stale for {rel}"
    for slug in slugs_of(after):
        homes = [rel for rel in after if rel.endswith(f"/{slug}.md") and not rel.startswith(".blog/trash/")]
        assert len(homes) == 1, f"{label}: {slug} is in {homes}"

    from blogcli.workspace.store import Workspace

    with Workspace(root).lock():
        pass
    # Rebuildable files (the site, the cache) are the next build's to tidy, checked below.
    stray = [p for p in leftovers(root) if not p.startswith(("site/", ".blog/cache/"))]
    assert not stray, f"{label}: temp files survive the next command: {stray}"
    if ref.checks:
        assert check_output(root, available) in ref.checks, f"{label}: blog check reports damage"
    if ref.rebuilt and after in (ref.old, ref.new):
        result = invoke(root, "build")
        assert result.exit_code == 0 and "Traceback" not in result.stderr, f"{label}: {result.stderr}"
        assert not leftovers(root), f"{label}: temp files survive the next build: {leftovers(root)}"
        expected = ref.rebuilt["new" if after == ref.new else "old"]
        assert site_files(root) == expected, f"{label}: the next build leaves another site: " + describe(
            site_files(root), expected
        )


def campaign(lab: Lab, scenario: Scenario, available: set[str]) -> int:
    """All the kills for one scenario; returns how many landed."""
    if scenario.needs and scenario.needs not in available:
        pytest.skip(f"`blog {scenario.needs}` does not exist yet")
    ref = reference(lab, scenario, available)
    assert ref.points, f"{scenario.name} passes no crash point"
    print(f"\n{scenario.name}: {len(ref.points)} crash points, {ref.calls} calls", end="")
    kills = 0
    for number, point in enumerate(ref.points):
        root = lab.fresh()
        if point.endswith("#1") or number % 4 == 0:  # as `python -m blogcli`: every point, some hits
            result = lab.run(root, scenario, BLOG_CRASH_AT=point)
            assert result.returncode == -signal.SIGKILL, f"{scenario.name}: no crash at {point}: {result.stderr}"
        else:  # the other hits of the same points, forked (a command writing 20 pages hits each 20 times)
            assert forked_run(lab, root, scenario, BLOG_CRASH_AT=point)[0], f"{scenario.name}: no crash at {point}"
        verify_after_kill(root, ref, available, f"{scenario.name} killed at {point}")
        shutil.rmtree(root)
        kills += 1
    rng = random.Random(scenario.name + os.environ.get("CRASH_SEED", ""))  # set CRASH_SEED to explore
    for attempt in range(RANDOM_KILLS):
        span = ref.calls
        for _ in range(MAX_TRIES):
            root = lab.fresh()
            call = rng.randint(1, max(1, span))
            landed, made = forked_run(lab, root, scenario, call=call)
            verify_after_kill(root, ref, available, f"{scenario.name} killed at its call {call} (#{attempt})")
            shutil.rmtree(root)
            if landed:
                break
            span = made - 1  # it made fewer calls than measured: again, within the calls it made
        assert landed, f"{scenario.name}: {MAX_TRIES} kills within its calls all came after it ended"
        kills += 1
    for attempt in range(SUBPROCESS_RANDOM_KILLS):
        root = lab.fresh()
        process = subprocess.Popen(
            [sys.executable, "-m", "blogcli", *lab.argv(scenario)],
            env=lab.env(root),
            cwd=root.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        delay = rng.uniform(0.05, 0.4)
        time.sleep(delay)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        kills += process.wait() == -signal.SIGKILL
        verify_after_kill(root, ref, available, f"{scenario.name} (python -m blogcli) killed after {delay * 1000:.0f} ms")
    return kills


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_killed_command_loses_nothing(scenario, template, available, tmp_path, record_property):
    lab = Lab(template, tmp_path)
    kills = campaign(lab, scenario, available)
    record_property("kills", kills)
    print(f"\n{scenario.name}: {kills} kills")


def test_a_kill_at_every_point_of_the_journal_is_finished_by_the_next_command(template, tmp_path):
    """After the commit point the change is rolled forward, before it, rolled back: spelled out."""
    lab = Lab(template, tmp_path)
    scenario = Scenario("rename", ["rename", "drawing-the-timetable", "Timetables"])
    old_rel, new_rel = "drafts/drawing-the-timetable.md", "drafts/timetables.md"
    for point, lands in (("journal:staged", False), ("journal:before-commit", False), ("journal:committed", True),
                         ("journal:applied", True)):
        root = lab.fresh()
        assert lab.run(root, scenario, BLOG_CRASH_AT=point).returncode == -signal.SIGKILL
        follow = invoke(root, "list", "--json")
        slugs = {p["slug"] for p in json.loads(follow.stdout)}
        if lands:
            assert (root / new_rel).exists() and not (root / old_rel).exists(), point
            assert "timetables" in slugs and "drawing-the-timetable" not in slugs
            assert "finished a change" in follow.stderr
        else:
            assert (root / old_rel).exists() and not (root / new_rel).exists(), point
            assert "drawing-the-timetable" in slugs and "timetables" not in slugs


def test_the_next_build_removes_the_temp_files_of_a_killed_build(template, available, tmp_path):
    if "build" not in available:
        pytest.skip("`blog build` does not exist yet")
    lab = Lab(template, tmp_path)
    root = lab.fresh()
    (root / "published" / "why-the-night-bus.md").write_text("---\ntitle: Changed\n---\n\nNew words.\n")
    killed = lab.run(root, Scenario("build", ["build"]), BLOG_CRASH_AT="atomic:written")
    assert killed.returncode == -signal.SIGKILL
    assert leftovers(root), "the kill left no temp file to clean"
    assert invoke(root, "build").exit_code == 0
    assert not leftovers(root), f"left to pile up, or for a deploy to copy: {leftovers(root)}"


# -- Ctrl-C ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.name in ("publish", "delete")],
                         ids=lambda s: s.name)
def test_ctrl_c_at_every_point_of_a_change_is_one_line_and_leaves_it_whole(scenario, template, available, tmp_path):
    """A Ctrl-C (SIGINT) at each point where a kill is tested: exit 130, `interrupted` and nothing
    else on stderr, and the files hold the old state or the new one; never a traceback. (A commit
    holds the interrupt until it is done: what it started, it finishes.)"""
    if scenario.needs and scenario.needs not in available:
        pytest.skip(f"`blog {scenario.needs}` does not exist yet")
    lab = Lab(template, tmp_path)
    ref = reference(lab, scenario, available)
    for point in [p for p in ref.points if p.endswith("#1") or p.startswith("journal:")]:  # not every page's write
        root = lab.fresh()
        result = lab.run(root, scenario, BLOG_CRASH_AT=point, BLOG_CRASH_SIGNAL="INT")
        assert result.returncode == 130, f"{point}: exit {result.returncode}: {result.stderr}"
        assert result.stderr == "interrupted\n", f"{point}: {result.stderr}"
        verify_after_kill(root, ref, available, f"{scenario.name} interrupted at {point}")
        shutil.rmtree(root)


# What `blog new` imports, in order: before its command runs (the interrupt waits for it) and within.
STARTUP_MODULES = ["typer", "typer.core", "blogcli.cli.app", "blogcli.cli.drafts", "blogcli.ops.drafts", "sqlite3"]


@pytest.mark.parametrize("module", STARTUP_MODULES)
def test_ctrl_c_while_blog_starts_is_one_line(module, template, tmp_path):
    """The first ~50 ms of `blog` are imports: a Ctrl-C there (sent here the moment `module` is
    imported, by an import hook) is answered like any other."""
    lab = Lab(template, tmp_path)
    root = lab.fresh()
    before = post_state(root)
    probe = (
        "import os, signal, sys\n"
        "class CtrlC:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name == {module!r}:\n"
        "            sys.meta_path.remove(self)\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, CtrlC())\n"
        "from blogcli.entry import main\n"
        "sys.exit(main(['new', 'Interrupted', '--no-edit']))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], env=lab.env(root), capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (130, "interrupted\n"), result.stderr
    assert post_state(root) == before and not leftovers(root)


def test_staged_files_of_a_killed_command_are_never_shown_and_go_with_the_next_lock(template, available, tmp_path):
    """A kill after staging, before the commit: the staged files are not posts, not trash entries,
    not pages; the next command that takes the lock clears them (no journal names them)."""
    lab = Lab(template, tmp_path)
    for scenario, point in ((Scenario("rename", ["rename", "drawing-the-timetable", "Timetables"]), "journal:staged"),
                            (Scenario("delete", ["delete", "who-rides-after-midnight", "--force"]), "journal:staged#2"),
                            (Scenario("new", ["new", "Staged only", "--no-edit"]), "journal:staged")):
        root = lab.fresh()
        before = post_state(root)
        assert lab.run(root, scenario, BLOG_CRASH_AT=point).returncode == -signal.SIGKILL
        staged = leftovers(root)
        assert staged, f"{scenario.name}: the kill left nothing staged"
        names = [Path(rel).name for rel in staged]
        for command in (["list"], ["list", "--json"], ["check"], ["trash"], ["trash", "--json"], ["build"]):
            if command == ["build"] and "build" not in available:
                continue
            shown = invoke(root, *command)
            assert "Traceback" not in shown.stderr
            assert not [n for n in names if n in shown.stdout + shown.stderr], (scenario.name, command)
        assert not [p for p in site_files(root) if "staged" in p or "timetables" in p or "staged-only" in p]
        assert post_state(root) == before
        assert invoke(root, "new", "After the kill", "--no-edit").exit_code == 0  # takes the lock
        assert not leftovers(root), f"{scenario.name}: {leftovers(root)}"
        trash = root / ".blog" / "trash"
        assert all((entry / "info.json").is_file() for entry in trash.iterdir()), "a half-made trash entry is left"
