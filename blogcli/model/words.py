"""Counting in words: "no posts", "1 post", "2 posts"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` with `noun`, in the plural (`many`, default noun + "s") unless one; none is "no"."""
    word = noun if count == 1 else (many or f"{noun}s")
    return f"{'no' if count == 0 else count} {word}"
