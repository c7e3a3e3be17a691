"""Slugs: safe file names made from titles."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 60
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_VALID = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def slugify(title: str) -> str:
    """ASCII letters, digits and single hyphens, at most MAX_SLUG_LENGTH long, never empty.

    Accents are folded (`Café` → `cafe`); names Windows reserves (`CON`) get a suffix so the
    workspace stays portable; a title with nothing usable (emoji only) becomes `untitled`.
    """
    ascii_text = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug[:MAX_SLUG_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG_LENGTH // 2 :] else cut
        slug = slug.strip("-")
    if not slug:
        slug = "untitled"
    if slug in _RESERVED:
        slug += "-post"
    return slug


def unique_slug(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is free; still within the length bound."""
    if base not in taken:
        return base
    n = 2
    while True:
        candidate = numbered_slug(base, n)
        if candidate not in taken:
            return candidate
        n += 1


def numbered_slug(base: str, n: int) -> str:
    """`base-n`, `base` cut short where that keeps it within the length bound."""
    suffix = f"-{n}"
    return base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix


def is_safe_slug(text: str) -> bool:
    """True for a name the tool itself could have made (used to vet slugs typed by users)."""
    return bool(_VALID.match(text)) and len(text) <= MAX_SLUG_LENGTH + 8
