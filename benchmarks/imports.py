"""`blog import wordpress` timed: `python -m benchmarks.imports [--posts 10000] [--theme-data FILE]`.

Measures, each in a fresh process: wall time, CPU time (user + system, the worker processes
included: on a shared machine, the wall time says as much about the others' load as about
blogcli), and peak memory summed over the process
and its workers (sampled every 10 ms, as benchmarks/run.py samples it), against the goals of issue 14:

  import   a generated export of `--posts` posts (benchmarks/wxr.py) into a new workspace:
           under 60 s and 400 MB at 10,000 posts
  again    the same import a second time (every post found unchanged, nothing written)
  theme    the WordPress theme unit test data (themeunittestdata.wordpress.xml, 609 KB; not
           shipped here: its licence is unclear; pass its path with --theme-data): under 3 s

`--theme-data FILE` alone (no `--posts`) runs just the theme data's end-to-end check and prints its
time: the import gives 58 posts and 21 pages; `blog check` reports only the errors the source
already has (an untitled post, an empty one); `blog build` succeeds; no file holds `<!-- wp:` or a
`[caption]` shortcode outside code, or an e-mail address; a second import changes nothing. It
exits 1, naming what failed, when any of that does not hold. (Not a pytest test: the data is not shipped, and a test may not
skip where a tool is present. tests/test_benchmarks_smoke.py runs the same check on a fixture.)

The generated export lives in benchmarks/corpora/ (git-ignored) and is made again only when the
generator changes.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

from benchmarks import wxr
from benchmarks.run import CORPORA, compile_bytecode
from blogcli.model.code_blocks import lines_outside_code

GOALS = {"import": (60.0, 400.0), "theme": (3.0, None)}


class Expected(NamedTuple):
    """What an import of a WordPress export must give (the theme data's numbers by default)."""

    posts: int = 58
    pages: int = 21
    check_errors: tuple[str, ...] = ("empty-body", "missing-title")  # the source's own: an untitled post, an empty one


_EMAIL = re.compile(rb"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# WordPress markup an import must not leave in the text (outside code, where a post may show it).
_LEFT_OVER = re.compile(r"<!-- /?wp:|\[/?caption(?:\s|\](?!\())")  # `[caption](url)` is a link


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".blog/" not in p.relative_to(root).as_posix()}


def _blog(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "blogcli", "--root", str(root), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)


def check_import(source: Path, scratch: Path, expect: Expected = Expected()) -> tuple[list[str], float]:
    """Import `source` into a new workspace under `scratch` and check it end to end (see the
    module docstring); returns what failed (nothing: it holds) and the import's wall time."""
    import json

    root = workspace(scratch)
    failed: list[str] = []
    started = time.perf_counter()
    first = _blog(root, "import", "wordpress", str(source))
    seconds = time.perf_counter() - started
    if first.returncode != 0 or "Traceback" in first.stderr:
        return [f"the import failed (exit {first.returncode}): {first.stderr.strip()[-500:]}"], seconds
    posts = json.loads(_blog(root, "list", "--json").stdout)
    pages = sorted((root / "pages").glob("*.md"))
    if (len(posts), len(pages)) != (expect.posts, expect.pages):
        failed.append(f"{len(posts)} posts and {len(pages)} pages, expected {expect.posts} and {expect.pages}")
    problems = json.loads(_blog(root, "check", "--json").stdout or "[]")
    errors = sorted(p["code"] for p in problems if p["severity"] == "error")
    if errors != sorted(expect.check_errors):
        failed.append(f"blog check reports the errors {errors}, expected {sorted(expect.check_errors)}")
    built = _blog(root, "build")
    if built.returncode != 0:
        failed.append(f"blog build failed (exit {built.returncode}): {built.stderr.strip()[-500:]}")
    before = _files(root)
    for rel, data in before.items():
        if rel.startswith("site/"):
            continue
        text = data.decode("utf-8", "replace")
        found = sorted({m.group() for _, line in lines_outside_code(text) for m in _LEFT_OVER.finditer(line)})
        address = _EMAIL.search(data)
        if found or address:
            failed.append(f"{rel} holds {', '.join(found + ([address.group().decode()] if address else []))}")
    again = _blog(root, "import", "wordpress", str(source))
    if again.returncode != 0 or _files(root) != before:
        changed = sorted(set(before) ^ set(_files(root))) or [k for k, v in _files(root).items() if before.get(k) != v]
        failed.append(f"a second import changed the workspace (exit {again.returncode}): {changed[:5]}")
    return failed, seconds


def export(posts: int, seed: int) -> Path:
    stamp = hashlib.sha256(Path(wxr.__file__).read_bytes()).hexdigest()[:12]
    path = CORPORA / f"wxr-{posts}-{seed}-{stamp}.xml"
    if not path.is_file():
        print(f"generating {path.name} ...", file=sys.stderr, flush=True)
        wxr.generate(path, posts, seed)
    return path


def workspace(parent: Path) -> Path:
    root = parent / "blog"
    subprocess.run([sys.executable, "-m", "blogcli", "init", str(root), "--title", "Bench", "--author", "Robin"],
                   check=True, capture_output=True)
    return root


def _sample(pid: int, stop: threading.Event, peak: list[int], cpu: dict[int, float]) -> None:
    """Every 10 ms: the summed resident memory of the process and all its descendants (the peak is
    kept), and each one's CPU time so far (a worker's last sample stands for its total)."""
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.is_set():
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
                times = process.cpu_times()
                cpu[process.pid] = times.user + times.system
            except psutil.Error:
                pass
        peak[0] = max(peak[0], total)
        stop.wait(0.01)


def run(cmd: list[str]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak bytes, exit code) of one fresh process and its workers."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    peak, cpu, stop = [0], {}, threading.Event()
    sampler = None
    if importlib.util.find_spec("psutil"):
        sampler = threading.Thread(target=_sample, args=(proc.pid, stop, peak, cpu), daemon=True)
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    if sampler:
        sampler.join()
    cpu[proc.pid] = usage.ru_utime + usage.ru_stime  # exact for the process itself
    return wall, sum(cpu.values()), max(peak[0], usage.ru_maxrss * 1024), os.waitstatus_to_exitcode(status)


def measure(label: str, source: Path, root: Path, goal: tuple | None) -> str:
    wall, cpu, peak, code = run([sys.executable, "-m", "blogcli", "--root", str(root), "import", "wordpress", str(source)])
    if code != 0:
        return f"| {label} | failed (exit {code}) | | | |"
    limit, memory = goal or (None, None)
    met = (limit is None or wall < limit) and (memory is None or peak / 2**20 < memory)
    goals = " and ".join(x for x in (f"< {limit:.0f} s" if limit else "", f"< {memory:.0f} MB" if memory else "") if x)
    return f"| {label} | {wall:.1f} s | {cpu:.1f} s | {peak / 2**20:.0f} MB | {goals + (' ✓' if met else ' ✗') if goals else ''} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, help="posts in the generated export (default 10,000; none with --theme-data alone)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--theme-data", type=Path, metavar="FILE",
                        help="themeunittestdata.wordpress.xml from WordPress/theme-test-data: checked end to end and timed")
    args = parser.parse_args(argv)
    compile_bytecode()
    if args.theme_data and args.posts is None:
        return theme_data(args.theme_data)
    args.posts = args.posts or 10_000
    rows = [f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", "",
            "| import | wall time | CPU time | peak memory | goal (wall, memory) |", "|---|--:|--:|--:|---|"]
    source = export(args.posts, args.seed)
    with tempfile.TemporaryDirectory() as scratch:
        root = workspace(Path(scratch))
        size = source.stat().st_size / 2**20
        rows.append(measure(f"{args.posts:,} posts ({size:.0f} MB WXR), new workspace", source, root, GOALS["import"]))
        rows.append(measure(f"{args.posts:,} posts again (nothing changed)", source, root, None))
        if args.theme_data:
            shutil.rmtree(root)
            root = workspace(Path(scratch))
            rows.append(measure("theme unit test data, new workspace", args.theme_data, root, GOALS["theme"]))
    print("\n".join(rows))
    return 0


def theme_data(source: Path) -> int:
    """The theme data's end-to-end check: prints its verdict and the import's time; 1 on failure."""
    if not source.is_file():
        print(f"error: {source}: no such file (themeunittestdata.wordpress.xml from WordPress/theme-test-data)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        failed, seconds = check_import(source, Path(scratch))
    limit = GOALS["theme"][0]
    print(f"theme unit test data: imported in {seconds:.1f} s (goal < {limit:.0f} s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for failure in failed:
        print(f"FAILED: {failure}")
    print("ok: 58 posts, 21 pages, only the source's own check errors, the site builds, no left-over markup or "
          "e-mail address, a second import changes nothing" if not failed else f"{len(failed)} check(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
