"""Reading time: the one rule the preview and the site both show."""

from __future__ import annotations


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Whole minutes, rounded half up (345 words at 230 wpm = 1.5 → 2), at least 1 for any text;
    0 only for a post with no words. Half up, not Python's round-half-even, so 1.5 and 2.5 both
    go up as a reader would expect."""
    if words <= 0:
        return 0
    return max(1, (2 * words + words_per_minute) // (2 * words_per_minute))
