"""Slugs: the one rule that names posts, tags, series and heading anchors.

Letters, marks and digits of any script are kept, lower-cased after NFKC normalisation, as
Hugo and WordPress keep them: `Привет мир` → `привет-мир`, `東京の夜` → `東京の夜`,
`Über Straße` → `über-straße`. Everything else (spaces, punctuation, symbols, emoji, invisible
characters) separates words with one hyphen. An ASCII title gives the ASCII slug it always did.
URLs carry such slugs percent-encoded; file names carry them as they are (NFC).
"""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 60  # characters
MAX_SLUG_BYTES = 180  # UTF-8 bytes: with "-NN", ".md" or the trash's time prefix, within any file system's 255
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_NOT_ASCII_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """Letters, marks and digits of any script joined by single hyphens, at most MAX_SLUG_LENGTH
    characters (and MAX_SLUG_BYTES bytes), never empty.

    Names Windows reserves (`CON`) get a suffix so the workspace stays portable; a title with
    nothing usable (emoji only) becomes `untitled`.
    """
    text = str(title)
    if text.isascii():
        slug = _NOT_ASCII_SLUG.sub("-", text.lower()).strip("-")
    else:
        text = unicodedata.normalize("NFKC", text).lower()
        kept = "".join(char if unicodedata.category(char)[0] in "LMN" else " " for char in text)
        slug = unicodedata.normalize("NFC", "-".join(kept.split()))
    if len(slug) > MAX_SLUG_LENGTH or len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        slug = _bounded(slug)
    if not slug:
        slug = "untitled"
    if slug in _RESERVED:
        slug += "-post"
    return slug


def _bounded(slug: str) -> str:
    """Cut to the bounds, at a hyphen in the second half when there is one, never after a letter
    whose combining marks were cut off."""
    cut = slug[:MAX_SLUG_LENGTH]
    while len(cut.encode("utf-8")) > MAX_SLUG_BYTES:
        cut = cut[:-1]
    if "-" in cut[len(cut) // 2 :]:
        cut = cut.rsplit("-", 1)[0]
    elif len(cut) < len(slug) and unicodedata.category(slug[len(cut)])[0] == "M":
        cut = cut[:-1]  # the letter's marks were cut off: drop the letter too
        while cut and unicodedata.category(cut[-1])[0] == "M":
            cut = cut[:-1]
    return cut.strip("-")


def unique_slug(base: str, taken: set[str], next_number: dict[str, int] | None = None) -> str:
    """`base`, or `base-2`, `base-3`… whichever is free; still within the length bound.

    `next_number`, kept across calls with one growing `taken`, starts each search where the last
    one for `base` stopped: 20,000 headings "Notes" cost 20,000 look-ups, not 200 million."""
    if base not in taken:
        return base
    n = 2 if next_number is None else next_number.get(base, 2)
    while True:
        candidate = numbered_slug(base, n)
        if candidate not in taken:
            if next_number is not None:
                next_number[base] = n + 1
            return candidate
        n += 1


def numbered_slug(base: str, n: int) -> str:
    """`base-n`, `base` cut short where that keeps it within the length bound."""
    suffix = f"-{n}"
    return base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix


def is_safe_slug(text: str) -> bool:
    """True for a slug the tool itself could have made (`slugify` leaves it as it is, or it is
    one with a `-N` suffix from `unique_slug`): how slugs typed by users are vetted."""
    return bool(text) and slugify(text) == text and len(text) <= MAX_SLUG_LENGTH + 8


def slug_problem(text: str) -> str | None:
    """Why `text` cannot be a slug (None when it can), in words for an error message."""
    if is_safe_slug(text):
        return None
    if not text.strip():
        return "a slug cannot be empty"
    if text.lower() in _RESERVED:
        return f"{text!r} is a name Windows reserves for devices"
    made = slugify(text)
    if len(text) > MAX_SLUG_LENGTH or len(text.encode("utf-8")) > MAX_SLUG_BYTES:
        return f"a slug has at most {MAX_SLUG_LENGTH} characters ({MAX_SLUG_BYTES} bytes)"
    return f"{text!r} is not a slug: lower-case letters and digits joined by single hyphens, such as {made!r}"


def slug_of_file(name: str) -> str:
    """The slug a post file `name` (`x.md`) stands for: its stem in NFC, whatever form the file
    system returns (macOS lists names decomposed, NFD), so `über` typed or linked finds it."""
    stem = name[:-3]
    return stem if stem.isascii() else unicodedata.normalize("NFC", stem)
