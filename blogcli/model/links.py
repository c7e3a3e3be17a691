"""Links and images in a post body, and what they point at.

A link between posts is written as a relative link to the other post's file
(`[part 2](how-phones-spread.md)`), which also works in editors and on code hosts; the site
turns it into the page URL `/<slug>/`. Images resolve against the workspace's `static/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote

_FENCE = re.compile(r"^(```|~~~)")
_INLINE = re.compile(r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")


@dataclass(frozen=True)
class Link:
    kind: str  # "link" or "image"
    text: str
    target: str
    line: int  # 1-based line in the body


def find_links(body: str) -> list[Link]:
    """Inline links and images outside code blocks and code spans."""
    found: list[Link] = []
    in_fence = False
    for number, line in enumerate(body.split("\n"), start=1):
        if _FENCE.match(line.lstrip()):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(("    ", "\t")) or "](" not in line:
            continue
        for match in _INLINE.finditer(_CODE_SPAN.sub("", line)):
            kind = "image" if match.group("bang") else "link"
            found.append(Link(kind, match.group("text"), match.group("target"), number))
    return found


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class LocalTarget(NamedTuple):
    """A link into the blog, split where its path ends; both parts exactly as written."""

    path: str  # percent-encoding kept: `images/a%20b.png`
    rest: str  # the query and fragment, `?q=1#top`, or ""


def local_target(target: str) -> LocalTarget | None:
    """`target` split into its path and the rest; None for a link out of the blog (a scheme,
    `//host`) or within the page (`#x`)."""
    if target.startswith(("#", "//")) or _SCHEME.match(target):
        return None
    end = len(target)
    for mark in "?#":
        at = target.find(mark, 0, end)
        if at >= 0:
            end = at
    return LocalTarget(target[:end], target[end:])


def is_external(target: str) -> bool:
    return local_target(target) is None


def decoded(path: str) -> str:
    """The one decoding rule for a link's path: `%XX` escapes as UTF-8, nothing else (`+` stays),
    as a web server maps a URL path to a file. `a%20b.png` is the file `a b.png`, `a%23b.png` the
    file `a#b.png`. `blog check`, the preview's warnings and the site all decode through here."""
    return unquote(path) if "%" in path else path


def linked_slug(target: str) -> str | None:
    """The slug a link points to when it names a post file (`x.md`, `../published/x.md#frag`)."""
    local = local_target(target)
    if local is None:
        return None
    path = decoded(local.path)
    if not path.endswith(".md"):
        return None
    return path.rsplit("/", 1)[-1][:-3] or None


def static_relative(path: str) -> str | None:
    """A local link's path (as written, still encoded) relative to `static/`: `/images/a.png`,
    `images/a.png`, `static/images/a.png` and `../images/a.png` all name `images/a.png`. None when
    it is empty or climbs out of `static/`."""
    path = path.lstrip("/")
    if path.startswith("static/"):
        path = path[len("static/") :]
    while path.startswith(("../", "./")):
        path = path[3:] if path.startswith("../") else path[2:]
    if not path or ".." in decoded(path).split("/"):
        return None
    return path


def static_path(target: str) -> str | None:
    """The file under `static/` a local link or image names, decoded (`images/a%20b.png` →
    `images/a b.png`); None for a link out of the blog or out of `static/`."""
    local = local_target(target)
    relative = static_relative(local.path) if local else None
    return decoded(relative) if relative is not None else None


_REFERENCE_DEFINITION = re.compile(r"^(?P<lead> {0,3}\[[^\]]+\]:\s*<?)(?P<target>[^\s>]+)")


def retarget_links(body: str, old_slug: str, new_slug: str) -> str:
    """The body with every link to the post file `old_slug.md` (inline or a reference definition,
    outside code) pointing at `new_slug.md` instead; its folder, `#fragment` and `?query` kept,
    every other byte unchanged."""
    needle = f"{old_slug}.md"
    if needle not in body:
        return body

    def retarget(target: str) -> str:
        if linked_slug(target) != old_slug:
            return target
        path, sep, rest = target.partition("#")
        path, qsep, query = path.partition("?")
        folder, slash, _name = path.rpartition("/")
        return f"{folder}{slash}{new_slug}.md{qsep}{query}{sep}{rest}"

    lines = body.split("\n")
    in_fence = False
    for number, line in enumerate(lines):
        if _FENCE.match(line.lstrip()):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(("    ", "\t")) or needle not in line:
            continue
        definition = _REFERENCE_DEFINITION.match(line)
        if definition:
            lines[number] = line[: definition.start("target")] + retarget(definition["target"]) + line[definition.end("target") :]
            continue
        blanked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)  # same length: offsets hold
        pieces, cursor = [], 0
        for match in _INLINE.finditer(blanked):
            start, end = match.span("target")
            pieces += [line[cursor:start], retarget(line[start:end])]
            cursor = end
        lines[number] = "".join(pieces) + line[cursor:]
    return "\n".join(lines)
