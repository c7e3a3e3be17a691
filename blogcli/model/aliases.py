"""A post's old slugs: front matter `aliases`, written by `blog rename` (as Hugo's aliases), so
that what still names an old slug finds the post, and its old URL redirects."""

from __future__ import annotations

from blogcli.errors import BlogError
from blogcli.model.document import Document


def alias_list(value: object) -> list[str]:
    """Front matter `aliases` as a list of old slugs (or site paths): one text or a list of them."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [str(item).strip().strip("/") for item in items if item is not None and str(item).strip().strip("/")]


def header_aliases(doc: Document) -> list[str]:
    """A post's `aliases`, its header parsed only when it has that key."""
    if doc.header is None or not any(line.startswith("aliases") for line in doc.header):
        return []
    try:
        return alias_list(doc.parse().get("aliases"))
    except BlogError:
        return []
