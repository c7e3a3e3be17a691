"""`blog import wordpress` timed: `python -m benchmarks.imports [--posts 10000] [--theme FILE]`.

Measures, each in a fresh process with peak memory summed over its workers (benchmarks/run.py's
`run_once`), against the goals of issue 14:

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
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import wxr
from benchmarks.run import CORPORA, compile_bytecode, run_once

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


def measure(label: str, source: Path, root: Path, goal: tuple | None) -> str:
    seconds, peak, code, tail = run_once([sys.executable, "-m", "blogcli", "--root", str(root), "import", "wordpress",
                                          str(source)], root, sample_memory=True, timeout=900)
    if code != 0:
        return f"| {label} | failed: {tail} | | |"
    limit, memory = goal or (None, None)
    met = (limit is None or seconds < limit) and (memory is None or peak / 2**20 < memory)
    goals = " and ".join(x for x in (f"< {limit:.0f} s" if limit else "", f"< {memory:.0f} MB" if memory else "") if x)
    return f"| {label} | {seconds:.1f} s | {peak / 2**20:.0f} MB | {goals + (' ✓' if met else ' ✗') if goals else ''} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--theme", type=Path, help="themeunittestdata.wordpress.xml from WordPress/theme-test-data")
    args = parser.parse_args(argv)
    compile_bytecode()
    rows = ["| import | time | peak memory | goal |", "|---|--:|--:|---|"]
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
