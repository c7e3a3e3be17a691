"""Links and images in a post body, and what they point at.

A link between posts is written as a relative link to the other post's file
(`[part 2](how-phones-spread.md)`), which also works in editors and on code hosts; the site
turns it into the page URL `/<slug>/`. Images resolve against the workspace's `static/`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote

from blogcli.model.code_blocks import blank_code_spans, lines_outside_code

_BRACKETS = re.compile(r"[\[\]]")
_NOT_SPACE = re.compile(r"\S")
_TARGET_END = re.compile(r"[)\s>]")


@dataclass(frozen=True)
class Link:
    kind: str  # "link" or "image"
    text: str
    target: str
    line: int  # 1-based line in the body


def find_links(body: str) -> list[Link]:
    """Inline links and images outside code blocks and code spans."""
    found: list[Link] = []
    for number, line in lines_outside_code(body):
        if "](" not in line:
            continue
        for bang, text, target in inline_links(blank_code_spans(line)):
            found.append(Link("image" if bang else "link", text, target, number))
    return found


def inline_links(line: str) -> list[tuple[bool, str, str]]:
    """(is an image, text, target) of each `[text](target "title")` in one line, left to right."""
    return [(bang, line[text[0] : text[1]], line[target[0] : target[1]]) for bang, text, target in _inline_spans(line)]


def _inline_spans(line: str) -> list[tuple[bool, tuple[int, int], tuple[int, int]]]:
    """(is an image, (start, end) of the text, (start, end) of the target) of each inline link.

    The same matches, in the same way, as the regular expression
    `!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+["'(][^)]*)?\\)` (tests/test_fuzz.py
    compares the two), written out so that it takes time in proportion to the line: the expression
    rescans the rest of the line from every `[` (28 s for one line of 20,000 `[a](`). The text may
    hold one level of brackets (`[a [b] c](x)`); the target ends at a space, `)` or `>`.
    """
    n = len(line)
    brackets = [m.start() for m in _BRACKETS.finditer(line)]
    # stops[j]: where the text scanned from brackets[j] on ends: at a `]`, or at a `[` that no `]`
    # closes; a `[…]` pair inside is passed over whole. Filled in right to left.
    stops = [n] * (len(brackets) + 1)
    next_close = None
    for j in range(len(brackets) - 1, -1, -1):
        if line[brackets[j]] == "]":
            stops[j] = brackets[j]
            next_close = j
        else:
            stops[j] = brackets[j] if next_close is None else stops[next_close + 1]
    target_stops = [m.start() for m in _TARGET_END.finditer(line)]
    last_paren = line.rfind(")")
    destinations: dict[int, tuple[int, tuple[int, int]] | None] = {}
    found = []
    resume = 0
    for j, at in enumerate(brackets):
        if at < resume or line[at] != "[":
            continue
        stop = stops[j + 1]
        if stop + 1 >= n or line[stop] != "]" or line[stop + 1] != "(":
            continue
        if stop + 2 not in destinations:
            destinations[stop + 2] = _destination(line, stop + 2, target_stops, last_paren)
        parsed = destinations[stop + 2]
        if parsed is None:
            continue
        end, target = parsed
        found.append((at - 1 >= resume and line[at - 1] == "!", (at + 1, stop), target))
        resume = end
    return found


def _destination(line: str, at: int, target_stops: list[int], last_paren: int) -> tuple[int, tuple[int, int]] | None:
    """`\\s*<?target>?(?:\\s+["'(][^)]*)?\\)` from `at`: (where it ends, the target's span), or None."""
    n = len(line)
    space = _NOT_SPACE.search(line, at)
    at = space.start() if space else n
    for start in (at + 1, at) if line.startswith("<", at) else (at,):
        index = bisect.bisect_left(target_stops, start)
        end = target_stops[index] if index < len(target_stops) else n
        if end == start:
            continue  # no target
        rest = end + 1 if line.startswith(">", end) else end
        if line.startswith(")", rest):
            return rest + 1, (start, end)
        if rest < n and line[rest].isspace():
            title = _NOT_SPACE.search(line, rest)
            if title and line[title.start()] in "\"'(" and last_paren > title.start():
                return line.index(")", title.start() + 1) + 1, (start, end)
    return None
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
    for line_number, line in lines_outside_code(body):
        number = line_number - 1
        if needle not in line:
            continue
        definition = _REFERENCE_DEFINITION.match(line)
        if definition:
            lines[number] = line[: definition.start("target")] + retarget(definition["target"]) + line[definition.end("target") :]
            continue
        blanked = blank_code_spans(line)  # same length: offsets hold
        pieces, cursor = [], 0
        for _bang, _text, (start, end) in _inline_spans(blanked):
            pieces += [line[cursor:start], retarget(line[start:end])]
            cursor = end
        lines[number] = "".join(pieces) + line[cursor:]
    return "\n".join(lines)
