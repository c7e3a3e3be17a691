"""Reading posts for the index, in CPU time: `python -m benchmarks.read_fields BLOG [--repeat 5]`.

Lists the post files of the workspace BLOG (published/ and drafts/, e.g. a corpus of
`python -m benchmarks.corpus`), then runs `read_fields` over all of them `--repeat` times in this
process and prints the best CPU time (time.process_time): the per-file work of a full build's
first scan and of any command that meets new or changed files (issue 12). The files are read
from disk each pass, so the page cache is warm after the first."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from blogcli.model.dates import zone
from blogcli.workspace.config import load_config
from blogcli.workspace.index import read_fields


def post_files(blog: Path) -> list[tuple[str, str]]:
    """(rel, path) of each post file under published/ and drafts/, in path order."""
    files = sorted(path for folder in ("published", "drafts") for path in (blog / folder).glob("*.md"))
    return [(path.relative_to(blog).as_posix(), str(path)) for path in files]


def best_cpu(blog: Path, repeat: int) -> tuple[float, int]:
    """The least CPU seconds of `repeat` passes of `read_fields` over BLOG's posts, and how many
    files a pass reads as posts (the others are problems)."""
    files = post_files(blog)
    tz = zone(load_config(blog).timezone)
    best, read = float("inf"), 0
    for _ in range(repeat):
        started = time.process_time()
        results = read_fields(files, tz)
        best = min(best, time.process_time() - started)
        read = sum(1 for result in results if isinstance(result, bytes))
    return best, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("blog", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    seconds, read = best_cpu(args.blog, args.repeat)
    print(f"read_fields over {read} posts: {seconds:.3f} s CPU (best of {args.repeat})")


if __name__ == "__main__":
    main()
