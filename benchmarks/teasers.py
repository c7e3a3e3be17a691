"""Teaser detection's CPU time: `python -m benchmarks.teasers BLOG [--repeat 3]`.

Reads the body of every post of the workspace BLOG (published/ and drafts/, e.g. a corpus of
`python -m benchmarks.corpus`) once, then runs `detect_teasers` over all of them `--repeat`
times in this process and prints the best CPU time (time.process_time) and what was found,
so that two versions can be compared on the same bodies (issue 12: the promise ledger)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from blogcli.model.document import Document
from blogcli.model.teasers import detect_teasers


def bodies(blog: Path) -> list[str]:
    """The body of each post file under published/ and drafts/, in path order."""
    files = sorted(path for folder in ("published", "drafts") for path in (blog / folder).glob("*.md"))
    return [Document.from_bytes(path.read_bytes(), str(path)).body for path in files]


def best_cpu(texts: list[str], repeat: int) -> tuple[float, int]:
    """The least CPU seconds of `repeat` passes over `texts`, and how many teasers a pass finds."""
    best, found = float("inf"), 0
    for _ in range(repeat):
        started = time.process_time()
        found = sum(len(detect_teasers(text)) for text in texts)
        best = min(best, time.process_time() - started)
    return best, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("blog", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = bodies(args.blog)
    seconds, found = best_cpu(texts, args.repeat)
    print(f"detect_teasers over {len(texts)} bodies ({sum(map(len, texts)) / 2**20:.1f} MB): "
          f"{seconds:.3f} s CPU (best of {args.repeat}), {found} teasers")


if __name__ == "__main__":
    main()
