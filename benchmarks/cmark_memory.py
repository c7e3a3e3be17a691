"""What blogcli/render/cmark_native.py saves: `python -m benchmarks.cmark_memory [RENDERS]`.

Renders one 4 KB document RENDERS times (default 2,000) with the native, freeing renderer and
with cmarkgfm's public function, and prints each one's time and growth of resident memory
(Linux: read from /proc/self/statm). The native one runs first, so the other's leak cannot
inflate it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from blogcli.render.cmark_native import public_renderer, renderer

TEXT = ("# Title\n\nA paragraph with *emphasis*, a [link](other.md) and `code`.\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n") * 40


def resident() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main(renders: int = 2000) -> None:
    for name, render in (("native (frees)", renderer()), ("public (leaks)", public_renderer())):
        render(TEXT)
        before, started = resident(), time.perf_counter()
        for _ in range(renders):
            render(TEXT)
        elapsed = time.perf_counter() - started
        print(f"{name}: {renders} renders of {len(TEXT)} bytes in {elapsed:.2f} s, "
              f"resident memory +{(resident() - before) / 2**20:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
