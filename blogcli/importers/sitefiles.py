"""What the Jekyll and Hugo readers share: a site's files, their front matter, their local media."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Callable, Iterator

from blogcli.errors import BlogError, FileError
from blogcli.importers.items import Item, Media, Placement, Progress, Scan, Skipped
from blogcli.model.dates import parse_datetime
from blogcli.model.document import Document

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".mdown")
# Markdown links and images, and HTML src/href attributes: where a body names a local file.
_REFERENCE = re.compile(r"""(?P<md>!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?)(?P<target>[^)\s>]+)|(?P<attr>\s(?:src|href)=["'])(?P<url>[^"']+)""")
_SKIP_DIRS = {"node_modules", "vendor", "site", "public", "resources", ".git"}


class NotASite(BlogError):
    code = "not-a-site"


class SkipFile(Exception):
    """A source file that cannot be imported; the message is the reason shown."""


def read_front_matter(path: Path, rel: str) -> tuple[dict, str]:
    """A content file's front matter (YAML `---`, TOML `+++` or JSON `{…}`) and body; SkipFile
    (saying why, with the line) for bytes that are not UTF-8 or a header that does not parse."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot be read ({exc.strerror})") from None
    try:
        doc = Document.from_bytes(data, rel)
    except FileError as exc:
        raise SkipFile(_where(exc)) from None
    if doc.header is None and doc.body.lstrip("\ufeff").startswith("{"):
        return _json_front_matter(doc.body, rel)
    try:
        meta = doc.parse(rel)
    except FileError as exc:
        raise SkipFile(_where(exc)) from None
    return meta, doc.body


def _where(exc: FileError) -> str:
    return f"line {exc.line}: {exc.detail}" if exc.line else exc.detail


def _json_front_matter(text: str, rel: str) -> tuple[dict, str]:
    import json

    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise SkipFile(f"line {exc.lineno}: front matter is not valid JSON: {exc.msg}") from None
    if not isinstance(meta, dict):
        raise SkipFile("line 1: JSON front matter must be an object")
    return meta, text[end:].lstrip("\r\n")


def as_list(value: object, split: bool = False) -> list[str]:
    """A front-matter value as a list of names: a list, or one text (with `split`, as Jekyll
    reads `tags: a b`: split on commas, else on spaces)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    if not split:
        return [text] if text else []
    parts = text.split(",") if "," in text else text.split()
    return [p.strip() for p in parts if p.strip()]


def as_date(value: object, tz: dt.tzinfo) -> dt.datetime | None:
    """A front-matter date as Jekyll and Hugo write them (`2020-01-01 10:00:00 +0100` too)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = re.sub(r"^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*([-+]\d\d):?(\d\d)$", r"\1T\2\3:\4", value.strip())
        value = re.sub(r"^(\d{4}-\d\d-\d\d) (\d\d:\d\d)", r"\1T\2", value)
    try:
        return parse_datetime(value, tz)
    except BlogError:
        return None


def inside(root: Path, path: Path) -> bool:
    """Whether `path` (symlinks followed) is a file within `root`: nothing outside is ever read."""
    try:
        real = Path(os.path.realpath(path))
    except OSError:
        return False
    return real.is_file() and Path(os.path.realpath(root)) in real.parents


def walk(root: Path, start: Path) -> list[Path]:
    """Files under `start`, sorted, skipping hidden folders and those of tools (node_modules…)."""
    found = []
    for folder, dirs, files in os.walk(start):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            if not name.startswith("."):
                found.append(Path(folder) / name)
    return found


def local_media(body: str, resolve: Callable[[str], tuple[str, Path] | None]) -> tuple[str, list[Media]]:
    """Local files the body shows or links to, as media for static/, and the body linking them
    where they land. `resolve(reference)` gives (the path under static/, the file) or None."""
    media: dict[str, Media] = {}

    def swap(match: re.Match) -> str:
        prefix, target = (match.group("md"), match.group("target")) if match.group("md") else (match.group("attr"), match.group("url"))
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", target, re.I) or target.endswith(MARKDOWN_SUFFIXES):
            return match.group(0)
        path_part, sep, rest = target.partition("#")
        path_part, qsep, query = path_part.partition("?")
        found = resolve(path_part)
        if found is None:
            return match.group(0)
        static_target, source = found
        media.setdefault(static_target, Media(target=static_target, path=source))
        return f"{prefix}/{static_target}"

    return _REFERENCE.sub(swap, body), list(media.values())


def fenced_code(language: str, code: str) -> str:
    """A fenced code block, its fence longer than any run of backticks in the code."""
    runs = [len(r) for r in re.findall(r"`{3,}", code)]
    fence = "`" * max(3, 1 + max(runs, default=0))
    return f"{fence}{language}\n{code.strip(chr(10))}\n{fence}"


def convert_entries(scan: Scan, files: dict[str, tuple[Path, dict, str]], make_item: Callable[..., Item],
                    placement: Placement, progress: Progress | None) -> Iterator[Item | Skipped]:
    """Phase two of a Jekyll or Hugo reader: each scanned entry made into an Item by
    `make_item(entry, path, meta, body, placement)`, read from `files` (source: (path, front
    matter, body)); a converter's bug costs that one post (Skipped), not the import."""
    for number, entry in enumerate(scan.entries, start=1):
        if progress:
            progress("converting", number, len(scan.entries))
        path, meta, body = files[entry.source]
        try:
            yield make_item(entry, path, meta, body, placement)
        except Exception as exc:
            yield Skipped(entry.origin, f"could not be converted ({type(exc).__name__}: {exc})")
