"""The build manifest: what the last build made, from what, so the next one redoes only that.

`.blog/cache/build.json` (`build-<hash of the folder>.json` for another --out folder) is JSON:

    {"format": "2",
     "sources": {"published/x.md": [size, mtime_ns, digest, [feed_id, [alias, ...], excerpt]]},
     "outputs": {"x/index.html": [key, size, mtime_ns]},
     "ledgers": {"<series key>": [key, [{"text": str, "made_in": [slug, ...], "keeper": slug | null,
                                         "keeper_rel": path | null, "made_on": date | null, "due": date | null}, ...]]},
     "files": {"drafts/y.md": [size, mtime_ns, inode, facts, quiet]},
     "shape": [settings_key, day, next_due | null, static_key, comments_key, [page path, ...],
               [index page output, ...]] | null}

- a source is a post file as the last build read it: its size and mtime then, the `digest` of its
  bytes, and what its page's rendering extracted for other pages (`PostExtract`);
- an output is a file the last build wrote: the `key` of everything it was made from, and the
  size and mtime it had when written (a file changed since is made again);
- a ledger is one series' promise ledger, under the `key` of its parts' paths, stats and statuses
  (site.series.series_promises: every promise, dates as RFC 3339 text);
- a file is every post file the last build's walk found, drafts too, with the `facts` other pages
  show of it (site.shape.shown_facts), and the shape is what else the site's structure was made
  from (site.shape.SiteShape): together they let the next build keep, without working out their
  keys again, the pages that cannot have changed (site/shape.py). Both are optional: a manifest
  without them means every key is worked out.

Each is a NamedTuple here (JSON writes them as the arrays above). Keys and digests are 32 hex
digits of BLAKE2b. The file is a cache, and distrusted: one that is missing, not a regular file,
of another format, not exactly of this shape, or naming an output outside the output folder
(`is_output_path`) is discarded whole, and the build is a full one.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from blogcli.workspace.atomic import atomic_write
from blogcli.workspace.paths import read_regular

FORMAT = "3"


class PostExtract(NamedTuple):
    """What rendering a post's page found that other pages show."""

    feed_id: str  # the Atom entry id (feeds.entry_id)
    aliases: list[str]  # old URLs of the post (front matter `aliases`): redirects
    excerpt: str  # the first paragraph as text: lists show it when there is no summary


class SourceEntry(NamedTuple):
    size: int
    mtime_ns: int
    digest: str  # of the file's bytes
    extract: PostExtract


class OutputEntry(NamedTuple):
    key: str  # of everything the output was made from
    size: int
    mtime_ns: int


class LedgerEntry(NamedTuple):
    key: str  # of the series' parts: paths, sizes, mtimes, statuses
    promises: list[dict] | None  # None until computed in this build


class FileEntry(NamedTuple):
    size: int
    mtime_ns: int
    inode: int
    facts: str  # the key of what other pages show of the post (site.shape.shown_facts); "" for an unreadable file
    quiet: bool  # a draft outside any series in a build without drafts: no page shows it (site.shape.is_quiet)


class SiteShape(NamedTuple):
    """What a build's site structure was made from besides the post files (site/shape.py)."""

    settings_key: str  # BuildSettings.key
    day: str  # the local date of the build (what "coming" and "late" are counted from)
    next_due: float | None  # when the next scheduled post comes due (an instant)
    static_key: str  # of static/'s site paths (a static file wins over a page)
    comments_key: str  # of every comments file's size and mtime (a post page shows its comments)
    page_paths: list[str]  # the standalone pages built (in the sitemap)
    index_pages: list[str]  # the outputs made from the index alone (ListPages.declare_index_pages)


@dataclass
class Manifest:
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    outputs: dict[str, OutputEntry] = field(default_factory=dict)
    ledgers: dict[str, LedgerEntry] = field(default_factory=dict)
    files: dict[str, FileEntry] = field(default_factory=dict)
    shape: SiteShape | None = None

    @classmethod
    def load(cls, path: Path) -> Manifest | None:
        """The manifest at `path`, or None when there is none usable (a full build follows)."""
        try:
            data = json.loads(read_regular(path))  # a FIFO or a link there is no manifest (and hangs nothing)
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        try:
            return cls(_sources(data["sources"]), _outputs(data["outputs"]), _ledgers(data["ledgers"]),
                       _files(data.get("files", {})), _shape(data.get("shape")))
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "sources": self.sources, "outputs": self.outputs, "ledgers": self.ledgers,
                "files": self.files, "shape": self.shape}
        atomic_write(path, json.dumps(data, separators=(",", ":")).encode(), durable=False)


def _check(ok: bool) -> None:
    if not ok:
        raise ValueError("not a manifest entry")


# Unpacking each row checks its length. Types are checked where a wrong one could stop the build
# or reach a page (the extract, the ledgers); a size, mtime, digest or key of the wrong type only
# ever compares unequal, which means that output is made again.


def _sources(rows: dict) -> dict[str, SourceEntry]:
    sources = {}
    for rel, (size, mtime_ns, digest, (feed_id, aliases, excerpt)) in rows.items():
        _check(type(feed_id) is str and type(excerpt) is str and type(aliases) is list
               and (not aliases or all(type(alias) is str for alias in aliases)))
        sources[rel] = SourceEntry(size, mtime_ns, digest, PostExtract(feed_id, aliases, excerpt))
    return sources


def _outputs(rows: dict) -> dict[str, OutputEntry]:
    outputs = {path: OutputEntry(key, size, mtime_ns) for path, (key, size, mtime_ns) in rows.items()}
    _check(all(map(is_output_path, outputs)))
    return outputs


def is_output_path(path: str) -> bool:
    """Whether `path` names a file inside the output folder: relative, each segment a name (no
    `..`, `.` or empty segment, no NUL). The next build removes outputs that are gone, so a
    manifest naming `../../x` would otherwise delete a file outside the site."""
    return type(path) is str and "\0" not in path and not _NOT_A_NAME.search(path)


_NOT_A_NAME = re.compile(r"(?:^|/)\.{0,2}(?:/|\Z)")  # an empty, `.` or `..` segment (a leading `/` is an empty one)


def _ledgers(rows: dict) -> dict[str, LedgerEntry]:
    ledgers = {}
    for series, (key, promises) in rows.items():
        _check(type(promises) is list)
        for promise in promises:
            _check(type(promise) is dict and type(promise["text"]) is str and type(promise["made_in"]) is list
                   and all(type(slug) is str for slug in promise["made_in"])
                   and all(promise[key] is None or type(promise[key]) is str for key in ("keeper", "keeper_rel", "due"))
                   and (promise["made_on"] is None or type(promise["made_on"]) is str))
        ledgers[series] = LedgerEntry(key, promises)
    return ledgers


def _files(rows: dict) -> dict[str, FileEntry]:
    files = {rel: FileEntry(size, mtime_ns, inode, facts, quiet)
             for rel, (size, mtime_ns, inode, facts, quiet) in rows.items()}
    _check(all(type(rel) is str for rel in files))
    return files


def _shape(row: list | None) -> SiteShape | None:
    if row is None:
        return None
    _check(type(row) is list)
    shape = SiteShape(*row)
    _check(type(shape.page_paths) is list and all(type(path) is str for path in shape.page_paths)
           and type(shape.index_pages) is list and all(map(is_output_path, shape.index_pages)))
    return shape


def manifest_path(cache_dir: Path, out: Path, default_out: Path) -> Path:
    if out == default_out:
        return cache_dir / "build.json"
    tag = hashlib.blake2b(str(out).encode(), digest_size=6).hexdigest()
    return cache_dir / f"build-{tag}.json"


def key_of(*parts: object) -> str:
    """The key of plain data. marshal version 2 writes no back-references, so equal data gives
    equal bytes (and is 2-3x faster than JSON); anything it cannot write goes through JSON."""
    try:
        data = marshal.dumps(parts, 2)
    except ValueError:
        data = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_of(data: bytes) -> str:
    """The digest of a source file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def instant(moment) -> float | None:
    """A date as key material: the instant it names, whatever its timezone."""
    return moment.timestamp() if moment else None


def unchanged_since(path: Path | str, entry: OutputEntry) -> bool:
    """True when the file at `path` still has the size and mtime the manifest recorded."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return st.st_size == entry.size and st.st_mtime_ns == entry.mtime_ns
