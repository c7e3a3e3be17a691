"""`blog import wordpress` timed: `python -m benchmarks.imports [--posts 10000] [--theme FILE]`.

Measures, each in a fresh process: wall time, CPU time (user + system, the worker processes
included: on a shared machine, the wall time says as much about the others' load as about
blogcli), and peak memory summed over the process
and its workers (sampled every 10 ms, as benchmarks/run.py samples it), against the goals of issue 14:

  import   a generated export of `--posts` posts (benchmarks/wxr.py) into a new workspace:
           under 60 s and 400 MB at 10,000 posts
  again    the same import a second time (every post found unchanged, nothing written)
  theme    the WordPress theme unit test data (themeunittestdata.wordpress.xml, 609 KB; not
           shipped here: its licence is unclear; pass its path with --theme): under 3 s

The generated export lives in benchmarks/corpora/ (git-ignored) and is made again only when the
generator changes.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import wxr
from benchmarks.run import CORPORA, compile_bytecode

GOALS = {"import": (60.0, 400.0), "theme": (3.0, None)}


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
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--theme", type=Path, help="themeunittestdata.wordpress.xml from WordPress/theme-test-data")
    args = parser.parse_args(argv)
    compile_bytecode()
    rows = [f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", "",
            "| import | wall time | CPU time | peak memory | goal (wall, memory) |", "|---|--:|--:|--:|---|"]
    source = export(args.posts, args.seed)
    with tempfile.TemporaryDirectory() as scratch:
        root = workspace(Path(scratch))
        size = source.stat().st_size / 2**20
        rows.append(measure(f"{args.posts:,} posts ({size:.0f} MB WXR), new workspace", source, root, GOALS["import"]))
        rows.append(measure(f"{args.posts:,} posts again (nothing changed)", source, root, None))
        if args.theme:
            shutil.rmtree(root)
            root = workspace(Path(scratch))
            rows.append(measure("theme unit test data, new workspace", args.theme, root, GOALS["theme"]))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
