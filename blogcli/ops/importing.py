"""`blog import`: a reader's items placed in the workspace, in one all-or-nothing change.

The source is read and checked whole first (the reader's `scan`); then, under the workspace
lock, each item is placed (a post already imported from the same source keeps its file; a new
one gets a free slug), converted, compared with what is there and staged on disk; the files land
together when the transaction commits. With `dry_run` nothing is staged or locked.

A second import of the same source finds each post by its front matter `source:`. Each written
file records `import_digest:`, a digest of its own bytes without that line: a file whose digest
still matches has not been edited since, and may be updated when the source changed; an edited
file is left alone (a conflict if the source changed too). Comments are merged by id and never
overwritten; downloaded media are never downloaded twice.

`.blog/cache/imports.json` remembers, for each imported file, a digest of what the source said
and the `import_digest` the file was written with: a source that says the same again is not
converted again (a second import of 10,000 posts reads them, nothing more). The cache is trusted
only for a file whose `import_digest` line is still the one recorded; deleting it costs time only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from blogcli.errors import BlogError, FileError
from blogcli.importers.items import DRAFT, PAGE, Entry, Fresh, Item, Media, Progress, Reader, Scan, Skipped
from blogcli.model.comments import CommentsError, comments_rel, dump_comments, merge_comments, parse_comments
from blogcli.model.document import Document
from blogcli.model.post import DRAFTS, PAGES, PUBLISHED
from blogcli.model.reserved import site_name_clash
from blogcli.model.slug import unique_slug
from blogcli.ops.check import STATIC_DIR
from blogcli.ops.drafts import new_post_text
from blogcli.site.output import static_names
from blogcli.workspace.atomic import atomic_write
from blogcli.workspace.cachefiles import read_cache_file
from blogcli.workspace.config import CONFIG_NAME
from blogcli.workspace.store import Workspace

SOURCE_KEY = "source"
DIGEST_KEY = "import_digest"
_HEADER_VALUE = r"^{key}:[ \t]*(.*?)[ \t]*\r?$"
CACHE_NAME = "imports.json"
CACHE_FORMAT = 1


@dataclass
class Imported:
    """A file an earlier import wrote: where it is, and the digest its header records."""

    rel: str
    recorded: str | None


@dataclass
class Change:
    """One line of what the import did (or, dry, would do)."""

    action: str  # create, update, unchanged, kept (edited here, unchanged at the source), conflict, skip
    kind: str  # post, page, comments, media
    origin: str  # where it came from
    rel: str | None = None  # the workspace file
    state: str | None = None  # published, scheduled, draft
    reason: str = ""

    def as_dict(self) -> dict:
        return {"action": self.action, "kind": self.kind, "origin": self.origin, "path": self.rel,
                "state": self.state, "reason": self.reason}


@dataclass
class ImportResult:
    reader: str
    source: str
    dry_run: bool
    changes: list[Change] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, what the author should know)
    comments_added: int = 0
    comments_left: Counter = field(default_factory=Counter)  # not imported, by reason

    def tally(self) -> dict[str, int]:
        """What was (or would be) written: posts by state, pages, comments, media; then the rest."""
        counts: Counter = Counter()
        written = {"draft": "drafts", "scheduled": "scheduled", "published": "posts"}
        for change in self.changes:
            if change.action in ("create", "update") and change.kind == "page":
                counts["pages"] += 1
            elif change.action in ("create", "update") and change.kind == "post":
                counts[written.get(change.state or "", "posts")] += 1
            elif change.action in ("create", "update") and change.kind == "media":
                counts["media"] += 1
            elif change.kind in ("post", "page"):
                counts[change.action] += 1
        counts["comments"] = self.comments_added
        return {key: counts[key] for key in ("posts", "drafts", "scheduled", "pages", "comments", "media", "unchanged", "kept", "conflict", "skip")}

    def as_dict(self) -> dict:
        return {
            "reader": self.reader, "source": self.source, "dry_run": self.dry_run, "counts": self.tally(),
            "comments_not_imported": dict(self.comments_left),
            "changes": [c.as_dict() for c in self.changes],
            "notes": [{"path": path, "note": note} for path, note in self.notes],
        }


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _header_value(doc: Document, key: str) -> str | None:
    """A key this module writes itself (one line), read without parsing the rest of the header."""
    found = re.search(_HEADER_VALUE.format(key=re.escape(key)), doc.header_text, re.M) if doc.header else None
    if not found:
        return None
    value = found.group(1)
    if value[:1] in "\"'":
        import yaml

        try:
            value = str(yaml.safe_load(value))
        except yaml.YAMLError:
            return None
    return value


def _without_digest(doc: Document) -> bytes:
    doc.remove(DIGEST_KEY)
    return doc.to_bytes()


class _Placement:
    """Where each entry lands: its imported file if there is one, else a free slug."""

    def __init__(self, ws: Workspace, entries: list[Entry], existing: dict[str, Imported], cache: dict[str, list]):
        self.existing = existing
        self.cache = cache
        self.rel: dict[str, str] = {}
        self.collisions: dict[str, str] = {}  # source → note
        owners: dict[str, str] = {p.slug: p.rel for p in ws.posts}
        owners.update({p.path.rsplit("/", 1)[-1][:-3]: p.path for p in ws.unreadable if p.path.endswith(".md")})
        owners.update({rel.rsplit("/", 1)[-1][:-3]: rel for rel in ws.page_rels()})
        taken = set(owners)
        statics = static_names(ws.root)
        self.state: dict[str, str] = {}
        for entry in entries:
            self.state[entry.source] = entry.state
            folder = _folder(entry)
            if entry.source in existing:
                old = existing[entry.source].rel
                self.rel[entry.source] = f"{folder}/{old.rsplit('/', 1)[-1]}"
                continue
            clash = None if folder == PAGES else site_name_clash(entry.slug, statics)
            slug = unique_slug(entry.slug, taken if clash is None else taken | {entry.slug})
            if clash is not None:  # the build would leave the post out: a free slug, as for a taken one
                self.collisions[entry.source] = f"the slug {clash}; written as {slug!r}"
            elif slug != entry.slug:
                self.collisions[entry.source] = f"the slug {entry.slug!r} is taken (by {owners.get(entry.slug, 'an earlier post of this import')}); written as {slug!r}"
            owners.setdefault(entry.slug, f"{folder}/{slug}.md")
            taken.add(slug)
            self.rel[entry.source] = f"{folder}/{slug}.md"

    def slug(self, source: str) -> str | None:
        rel = self.rel.get(source)
        return rel.rsplit("/", 1)[-1][:-3] if rel else None

    def fresh(self, source: str, digest: str) -> bool:
        here = self.existing.get(source)
        return here is not None and here.recorded is not None and self.cache.get(source) == [digest, here.recorded]

    def link(self, source: str) -> str | None:
        rel = self.rel.get(source)
        if rel is None or self.state.get(source) == DRAFT and not rel.startswith(PAGES):
            return None
        slug = rel.rsplit("/", 1)[-1][:-3]
        return f"/{slug}/" if rel.startswith(f"{PAGES}/") else f"{slug}.md"


def _folder(entry: Entry) -> str:
    if entry.kind == PAGE:
        return PAGES
    return DRAFTS if entry.state == DRAFT else PUBLISHED


def imported_sources(ws: Workspace) -> tuple[dict[str, Imported], set[str]]:
    """Every file an import wrote, by its `source:` (drafts/, published/, pages/), and the sources
    of imported posts now in the trash (deleted here: not brought back)."""
    found: dict[str, Imported] = {}
    rels = [p.rel for p in ws.posts] + ws.page_rels()
    for rel in rels:
        try:
            path = ws.path_of(rel)  # pages/ is not vetted by the index: refuse what leads outside
        except BlogError:
            continue
        source, recorded = _source_of(path, rel)
        if source:
            found.setdefault(source, Imported(rel, recorded))
    trashed = set()
    if ws.trash_dir.is_dir():
        for path in ws.trash_dir.glob("*/*.md"):
            source, _ = _source_of(path, ws.rel(path))
            if source:
                trashed.add(source)
    return found, trashed


def _source_of(path: Path, rel: str) -> tuple[str | None, str | None]:
    """A file's `source:` and `import_digest:` (the header's first 64 KB are enough to tell)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return None, None
    if b"\nsource:" not in head:
        return None, None
    try:
        doc = Document.from_bytes(path.read_bytes(), rel)
    except FileError:
        return None, None
    return _header_value(doc, SOURCE_KEY), _header_value(doc, DIGEST_KEY)


def _read_cache(ws: Workspace) -> dict[str, list]:
    """Source → [digest of what it said, import_digest of the file written from it]; {} if the
    cache is missing or not what this version writes."""
    import json

    try:
        data = json.loads(read_cache_file(ws.cache_dir / CACHE_NAME) or b"{}")
        sources = data["sources"] if data.get("format") == CACHE_FORMAT else {}
        return {k: v for k, v in sources.items() if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _write_cache(ws: Workspace, sources: dict[str, list]) -> None:
    import json

    try:
        ws.cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(ws.cache_dir / CACHE_NAME, json.dumps({"format": CACHE_FORMAT, "sources": sources}).encode(), durable=False)
    except (OSError, BlogError):  # a cache that cannot be written costs the next import time, nothing else
        pass


def import_source(
    ws: Workspace,
    reader: Reader,
    source_name: str,
    *,
    dry_run: bool = False,
    drafts_only: bool = False,
    download_media: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read `reader`'s source whole, then place, convert and write every item (see the module)."""
    scan = reader.scan(progress)
    result = ImportResult(reader.name, source_name, dry_run, comments_left=scan.comments_left)
    for skipped in scan.skipped:
        result.changes.append(Change("skip", "post", skipped.origin, reason=skipped.reason))
    if drafts_only:
        kept = [e for e in scan.entries if e.state == DRAFT and e.kind != PAGE]
        for entry in scan.entries:
            if entry not in kept:
                result.changes.append(Change("skip", entry.kind, entry.origin, state=entry.state,
                                             reason="not a draft at the source (--drafts-only)"))
        scan.entries = kept
    if dry_run:
        _import(ws, reader, scan, result, download_media, progress)
        return result
    with ws.lock():
        _import(ws, reader, scan, result, download_media, progress)
    return result


def _import(ws: Workspace, reader: Reader, scan: Scan, result: ImportResult, download_media: bool, progress) -> None:
    existing, trashed = imported_sources(ws)
    entries = []
    for entry in scan.entries:
        if entry.source in trashed and entry.source not in existing:
            result.changes.append(Change("skip", entry.kind, entry.origin, state=entry.state,
                                         reason="deleted here (it is in .blog/trash); `blog restore` brings it back"))
        else:
            entries.append(entry)
    scan.entries = entries
    cache = _read_cache(ws)
    placement = _Placement(ws, entries, existing, cache)
    writer = _Writer(ws, result, existing, placement, download_media)
    try:
        for item in reader.convert(scan, placement, progress):
            if isinstance(item, Skipped):
                result.changes.append(Change("skip", "post", item.origin, reason=item.reason))
            elif isinstance(item, Fresh):
                writer.fresh(item.entry)
            else:
                writer.add(item)
        writer.add_series_sections()
        writer.finish()
        if not result.dry_run:
            _write_cache(ws, cache)
    except BaseException:
        writer.discard()
        raise


class _Writer:
    """Compares each item with the workspace and stages what changes (nothing, dry)."""

    def __init__(self, ws: Workspace, result: ImportResult, existing: dict[str, Imported], placement: _Placement, download: bool):
        self.ws = ws
        self.result = result
        self.existing = existing
        self.placement = placement
        self.download = download
        self.tx = None if result.dry_run else ws.transaction()
        self.media_done: dict[str, str | None] = {}  # URL or source path → static target (None: failed)
        self.targets: set[str] = set()
        self.series: set[str] = set()  # the series of the posts written
        self.config: bytes | None = None  # blog.toml with the sections of the series the import starts

    def stage(self, rel: str, data: bytes, remove: str | None = None) -> None:
        if self.tx is not None:
            self.tx.stage(rel, data, remove=remove)
        self.targets.add(rel)

    def add(self, item: Item) -> None:
        entry = item.entry
        new_rel = self.placement.rel[entry.source]
        old_rel = self.existing[entry.source].rel if entry.source in self.existing else None
        body, meta = self._media(item)
        data, wanted = self._bytes(item, body, meta)
        kind = entry.kind
        if entry.series and old_rel is None:
            self.series.add(entry.series)
        if old_rel is None:
            self.stage(new_rel, data)
            self.result.changes.append(Change("create", kind, entry.origin, new_rel, entry.state))
            collision = self.placement.collisions.get(entry.source)
            self.result.notes += [(new_rel, note) for note in ([collision] if collision else []) + item.notes]
            self._comments(item, new_rel, None)
            self._remember(item, wanted)
            return
        recorded, unedited = self._state(old_rel)
        if unedited and self.ws.path_of(old_rel).read_bytes() == data and new_rel == old_rel:
            self.result.changes.append(Change("unchanged", kind, entry.origin, old_rel, entry.state))
            self._comments(item, old_rel, None)
            self._remember(item, wanted)
        elif unedited:
            if entry.series:
                self.series.add(entry.series)
            self.stage(new_rel, data, remove=old_rel if new_rel != old_rel else None)
            moved = f"; moved from {old_rel}" if new_rel != old_rel else ""
            self.result.changes.append(Change("update", kind, entry.origin, new_rel, entry.state, f"changed at the source{moved}"))
            self.result.notes += [(new_rel, note) for note in item.notes]
            self._comments(item, new_rel, old_rel if new_rel != old_rel else None)
            self._remember(item, wanted)
        elif recorded == wanted:
            self.result.changes.append(Change("kept", kind, entry.origin, old_rel, entry.state, "edited here, unchanged at the source"))
            self._comments(item, old_rel, None)
            self._remember(item, wanted)
        else:  # not remembered: the next import converts it again, and finds the conflict again
            self.result.changes.append(Change("conflict", kind, entry.origin, old_rel, entry.state,
                                              "changed at the source and edited here: left as it is"))
            self._comments(item, old_rel, None)

    def fresh(self, entry: Entry) -> None:
        """An entry the source tells the same about as when its file was written (not converted)."""
        rel = self.existing[entry.source].rel
        _, unedited = self._state(rel)
        if unedited:
            self.result.changes.append(Change("unchanged", entry.kind, entry.origin, rel, entry.state))
        else:
            self.result.changes.append(Change("kept", entry.kind, entry.origin, rel, entry.state, "edited here, unchanged at the source"))

    def _state(self, rel: str) -> tuple[str | None, bool]:
        """The digest a file records, and whether it still matches the file (not edited since)."""
        try:
            doc = Document.from_bytes(self.ws.path_of(rel).read_bytes(), rel)
        except (OSError, BlogError):
            return None, False
        recorded = _header_value(doc, DIGEST_KEY)
        return recorded, recorded == digest(_without_digest(doc))

    def add_series_sections(self) -> None:
        """A `[series.<slug>]` section in blog.toml for each series the import starts (one no
        section and no other post names yet), written in the import's own transaction."""
        from blogcli.model.series import SeriesCatalogue, new_series_named
        from blogcli.ops.settings import series_section_bytes

        known = SeriesCatalogue(self.ws.config.series, self.ws.posts)
        for name in sorted(self.series):
            if known.find(name) is not None:
                continue
            series = new_series_named(name)
            self.config = series_section_bytes(self.ws, series, base=self.config)
            self.result.changes.append(Change("update", "series", name, CONFIG_NAME, reason=f"[series.{series.slug}] added"))
        if self.config is not None and self.tx is not None:
            self.tx.write(CONFIG_NAME, self.config)

    def _remember(self, item: Item, written: str) -> None:
        if item.source_digest:
            self.placement.cache[item.entry.source] = [item.source_digest, written]

    def _bytes(self, item: Item, body: str, meta: list[tuple[str, object]]) -> tuple[bytes, str]:
        """The file, and the digest it records of itself."""
        tz = self.ws.tz
        front = [(key, value.astimezone(tz) if isinstance(value, dt.datetime) else value) for key, value in meta]
        front.append((SOURCE_KEY, item.entry.source))
        plain = new_post_text(front, body)
        wanted = digest(plain)
        doc = Document.from_bytes(plain)
        doc.set(DIGEST_KEY, wanted)  # the last header line: without it, the file is `plain` again
        return doc.to_bytes(), wanted

    def _comments(self, item: Item, rel: str, moved_from: str | None) -> None:
        if not item.comments and moved_from is None:
            return
        target = comments_rel(rel)
        old = comments_rel(moved_from or rel)
        present: list = []
        old_path = self.ws.root / old
        if old_path.exists():
            old_path = self.ws.path_of(old)  # refuses a symlink that leads outside
            try:
                present = parse_comments(old_path.read_bytes(), old, self.ws.tz)
            except (CommentsError, OSError) as exc:
                reason = exc.message if isinstance(exc, BlogError) else str(exc)
                self.result.changes.append(Change("skip", "comments", item.entry.origin, old, reason=f"not merged: {reason}"))
                return
        merged, added = merge_comments(present, item.comments)
        if not added and moved_from is None:
            return
        self.stage(target, dump_comments(merged, self.ws.tz), remove=old if old != target and old_path.exists() else None)
        self.result.comments_added += added
        action = "create" if not present else "update"
        self.result.changes.append(Change(action, "comments", item.entry.origin, target,
                                          reason=f"{added} comment{'s' if added != 1 else ''} added" if added else "moved with its post"))

    def _media(self, item: Item) -> tuple[str, list[tuple[str, object]]]:
        """Files the item shows: copied in (a site's own files), or downloaded (--download-media);
        the body and `image:` then point at them."""
        body, meta = item.body, list(item.meta)
        for media in item.media:
            if media.url and not self.download:
                continue
            target = self._place_media(media)
            if target is None:
                continue
            old, new = media.url or f"/{media.target}", f"/{target}"
            if new != old:
                body = re.sub(r"(\]\()" + re.escape(old) + r"(?=[\s)])", lambda m: m.group(1) + new, body)
                meta = [(key, new if key == "image" and value == old else value) for key, value in meta]
        return body, meta

    def _place_media(self, media: Media) -> str | None:
        """The static/ path of a media file: fetched (or copied) once, never over a different file."""
        key = media.url or str(media.path)
        if key in self.media_done:
            return self.media_done[key]
        rel = f"{STATIC_DIR}/{media.target}"
        path = self.ws.path_of(rel)
        if path.exists() and media.url:  # downloaded by an earlier import
            self.media_done[key] = media.target
            return media.target
        if self.result.dry_run and media.url:
            self.result.changes.append(Change("create", "media", media.url, rel, reason="would be downloaded"))
            self.media_done[key] = media.target
            return media.target
        try:
            data = _fetch(media.url) if media.url else media.path.read_bytes()
        except (OSError, BlogError) as exc:
            reason = exc.message if isinstance(exc, BlogError) else (exc.strerror or str(exc))
            self.result.changes.append(Change("skip", "media", key, rel, reason=f"not copied ({reason}); the link is kept as it was"))
            self.media_done[key] = None
            return None
        if path.exists():
            if path.read_bytes() == data:
                self.media_done[key] = media.target
                return media.target
            stem, dot, suffix = media.target.rpartition(".")
            n = 2
            while self.ws.path_of(f"{STATIC_DIR}/{stem}-{n}{dot}{suffix}").exists() or f"{STATIC_DIR}/{stem}-{n}{dot}{suffix}" in self.targets:
                n += 1
            media = Media(f"{stem}-{n}{dot}{suffix}", media.url, media.path)
            rel = f"{STATIC_DIR}/{media.target}"
        if rel not in self.targets:
            self.stage(rel, data)
            self.result.changes.append(Change("create", "media", key, rel))
        self.media_done[key] = media.target
        return media.target

    def finish(self) -> None:
        if self.tx is not None:
            self.tx.commit()
            self.ws.refresh()
            if self.config is not None:
                from blogcli.ops.settings import reload_config

                reload_config(self.ws)

    def discard(self) -> None:
        if self.tx is not None:
            self.tx.discard()


def _fetch(url: str) -> bytes:
    from blogcli.importers.media import download

    return download(url)
