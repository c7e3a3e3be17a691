"""A Hugo site (its root folder) read into posts and pages.

Content files under `content/` with YAML (`---`), TOML (`+++`) or JSON front matter. Pages of
the main sections (`params.mainSections`, else `post`/`posts`/`blog`, else the largest section)
are posts; the rest are pages. `draft: true` → drafts/; the date is `publishDate` when given,
else `date` (a future one makes the post scheduled); `lastmod` → `updated`; an `expiryDate`
passed → drafts/ with a note; `series` (Hugo's taxonomy) with `weight` → series and parts in
weight order; `slug`, `url` and `aliases` → slug and `aliases`; `description` → `summary`.
A page bundle (`post/x/index.md` with its images) becomes the post plus its files in
`static/media/<slug>/`; images from the site's `static/` keep their path. Shortcodes
`{{< figure >}}`, `{{< highlight >}}`, `{{< ref >}}`/`{{< relref >}}` are converted; the others
are left as text for `blog check` to flag. `_index.md` (a section's list) is skipped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from pathlib import Path
from typing import Iterator

from blogcli.importers.items import (
    DRAFT, PAGE, POST, PUBLISHED, SCHEDULED, Entry, Item, Media, Placement, Progress, Scan, Skipped, number_parts,
    wished_slug,
)
from blogcli.importers.sitefiles import (
    MARKDOWN_SUFFIXES, NotASite, SkipFile, as_date, as_list,
    convert_entries, fenced_code, inside, local_media, read_front_matter, walk,
)
from blogcli.importers.wp_markup import parse_attributes
from blogcli.render.html_text import html_to_text

_CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")
_HIGHLIGHT = re.compile(r"{{[<%]-?\s*highlight\s+([^\s>%]+)[^}]*?[>%]}}\n?(.*?)\n?{{[<%]-?\s*/highlight\s*-?[>%]}}", re.S)
_FIGURE = re.compile(r"{{[<%]-?\s*figure\s(.*?)/?\s*-?[>%]}}", re.S)
_REF = re.compile(r"{{[<%]-?\s*(?:rel)?ref\s+(.*?)\s*-?[>%]}}", re.S)
_OTHER_CONTENT = (".adoc", ".asciidoc", ".org", ".pandoc", ".rst", ".html", ".htm", ".ipynb")
_POST_SECTIONS = ("post", "posts", "blog", "articles")
_MAPPED = {"title", "date", "publishdate", "pubdate", "published", "expirydate", "unpublishdate", "lastmod", "modified",
           "draft", "tags", "categories", "series", "weight", "slug", "url", "aliases", "description", "summary",
           "images", "image", "layout", "type", "headless", "_build", "build", "cascade", "outputs", "markup",
           "source", "import_digest", "part"}


class HugoReader:
    name = "Hugo"

    def __init__(self, root: Path, tz: dt.tzinfo, now: dt.datetime):
        self.root = Path(root)
        self.tz = tz
        self.now = now
        self.content = self.root / "content"
        self.static = self.root / "static"
        self.main_sections: list[str] = []
        self.files: dict[str, tuple[Path, dict, str]] = {}  # source → (file, front matter, body)
        self.bundles: dict[str, Path] = {}  # source → its bundle folder
        self.by_path: dict[str, str] = {}  # content path without extension → source (for ref/relref)
        self.by_name: dict[str, list[str]] = {}  # file or bundle name → sources
        self.weights: dict[str, float] = {}

    # -- phase one ---------------------------------------------------------------------------------

    def _config(self) -> dict:
        candidates = [self.root / n for n in _CONFIG_NAMES] + [self.root / "config" / "_default" / n for n in _CONFIG_NAMES]
        found = [c for c in candidates if c.is_file()]
        if not found:
            raise NotASite(
                f"{self.root} is not a Hugo site (no hugo.toml, config.toml or config/_default/)",
                hint="give the site's root folder; for a Jekyll site use `blog import jekyll`",
            )
        import json
        import tomllib

        import yaml

        config: dict = {}
        for path in found:
            try:
                text = path.read_text(encoding="utf-8")
                if path.suffix == ".toml":
                    data = tomllib.loads(text)
                elif path.suffix == ".json":
                    data = json.loads(text)
                else:
                    data = yaml.safe_load(text)
            except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):  # the config only says where content is
                continue
            if isinstance(data, dict):
                for key, value in data.items():
                    config.setdefault(key.lower(), value)
        return config

    def scan(self, progress: Progress | None = None) -> Scan:
        if not self.root.is_dir():
            raise NotASite(f"{self.root}: no such folder", hint="give the Hugo site's root folder (the one with hugo.toml)")
        config = self._config()
        self.content = self.root / str(config.get("contentdir") or "content")
        self.static = self.root / str(config.get("staticdir") or "static") if isinstance(config.get("staticdir"), str) else self.root / "static"
        if not self.content.is_dir():
            raise NotASite(f"{self.root} is a Hugo site without a {self.content.name}/ folder: nothing to import")
        params = config.get("params") if isinstance(config.get("params"), dict) else {}
        main = params.get("mainSections") or params.get("mainsections")
        files = walk(self.root, self.content)
        sections = Counter(f.relative_to(self.content).parts[0] for f in files if len(f.relative_to(self.content).parts) > 1)
        if isinstance(main, list) and main:
            self.main_sections = [str(s) for s in main]
        else:
            self.main_sections = [s for s in _POST_SECTIONS if s in sections] or ([sections.most_common(1)[0][0]] if sections else [])
        scan = Scan(entries=[])
        bundles = {f.parent for f in files if f.stem == "index" and f.suffix.lower() in MARKDOWN_SUFFIXES}
        for number, path in enumerate(files, start=1):
            if progress:
                progress("reading", number, len(files))
            rel = path.relative_to(self.root).as_posix()
            suffix = path.suffix.lower()
            inside_bundle = next((b for b in bundles if b in path.parents), None)
            if suffix not in MARKDOWN_SUFFIXES:
                if suffix in _OTHER_CONTENT and inside_bundle is None:
                    scan.skipped.append(Skipped(rel, f"a {suffix} content file: only Markdown is imported"))
                continue
            if path.stem == "_index":
                scan.skipped.append(Skipped(rel, "a section's list page (blogcli makes its own lists)"))
                continue
            if inside_bundle is not None and path.parent != inside_bundle or (path.parent in bundles and path.stem != "index"):
                continue  # a bundle's own text resource, not a page
            self._content_file(path, rel, path.parent if path.parent in bundles else None, scan)
        number_parts(scan.entries, order=lambda e: (self.weights.get(e.source, float("inf")), e.date or dt.datetime.max.replace(tzinfo=dt.timezone.utc), e.origin))
        return scan

    def _content_file(self, path: Path, rel: str, bundle: Path | None, scan: Scan) -> None:
        if not inside(self.root, path):
            scan.skipped.append(Skipped(rel, "a link to a file outside the site; not read"))
            return
        try:
            meta, body = read_front_matter(path, rel)
        except SkipFile as exc:
            scan.skipped.append(Skipped(rel, str(exc)))
            return
        meta = {str(k): v for k, v in meta.items()}
        lower = {k.lower(): v for k, v in meta.items()}
        if lower.get("headless") is True:
            scan.skipped.append(Skipped(rel, "a headless bundle (resources for other pages, not a page)"))
            return
        if not body.strip():
            scan.skipped.append(Skipped(rel, "no text (a layout's page)"))
            return
        content_rel = path.relative_to(self.content)
        section = content_rel.parts[0] if len(content_rel.parts) > 1 else None
        kind = POST if section in self.main_sections else PAGE
        date = as_date(lower.get("publishdate") or lower.get("pubdate") or lower.get("published") or lower.get("date"), self.tz)
        expiry = as_date(lower.get("expirydate") or lower.get("unpublishdate"), self.tz)
        if lower.get("draft") is True or (expiry is not None and expiry <= self.now):
            state = DRAFT
        else:
            state = SCHEDULED if date is not None and date > self.now and kind == POST else PUBLISHED
        name = bundle.name if bundle is not None else path.stem
        title = str(lower.get("title") or "").strip()
        series_list = as_list(lower.get("series"))
        source = f"hugo:{rel}"
        entry = Entry(source, rel, kind, state, wished_slug(str(lower.get("slug") or name), title or name), date,
                      series_list[0] if series_list and kind == POST else None)
        weight = lower.get("weight")
        if isinstance(weight, (int, float)) and not isinstance(weight, bool):
            self.weights[source] = weight
        scan.entries.append(entry)
        self.files[source] = (path, meta, body)
        if bundle is not None:
            self.bundles[source] = bundle
        key = (bundle or path.with_suffix("")).relative_to(self.content).as_posix()
        self.by_path[key] = source
        self.by_name.setdefault(name, []).append(source)

    # -- phase two ----------------------------------------------------------------------------------

    def convert(self, scan: Scan, placement: Placement, progress: Progress | None = None) -> Iterator[Item | Skipped]:
        return convert_entries(scan, self.files, self._item, placement, progress)

    def _item(self, entry: Entry, path: Path, meta: dict, body: str, placement: Placement) -> Item:
        notes: list[str] = []
        lower = {k.lower(): v for k, v in meta.items()}
        slug = placement.slug(entry.source) or entry.slug
        bundle = self.bundles.get(entry.source)
        body = self.shortcodes(body, path, placement, notes)
        body, media = local_media(body, lambda ref: self._resolve(ref, bundle, slug))
        if bundle is not None:
            media += self._bundle_files(bundle, slug, {m.path for m in media})
        expiry = as_date(lower.get("expirydate") or lower.get("unpublishdate"), self.tz)
        meaning = []  # notes on what changed in meaning, written in the post too
        if expiry is not None and expiry <= self.now:
            meaning.append(f"expired at the source on {expiry:%Y-%m-%d} (Hugo no longer showed it): imported as a draft")
        elif expiry is not None:
            meaning.append(f"expires at the source on {expiry:%Y-%m-%d}; blogcli does not unpublish by date (kept as expiryDate)")
        notes += meaning
        series = as_list(lower.get("series"))
        categories = as_list(lower.get("categories"))
        tags = list(dict.fromkeys(as_list(lower.get("tags")) + categories + series[1:]))
        aliases = [str(a).strip("/") for a in [lower.get("url"), *as_list(lower.get("aliases"))] if a and str(a).strip("/")]
        images = as_list(lower.get("images")) or as_list(lower.get("image"))
        image = images[0] if images else None
        if image:
            found = self._resolve(image, bundle, slug)
            if found:
                if all(m.target != found[0] for m in media):
                    media.append(Media(target=found[0], path=found[1]))
                image = f"/{found[0]}"
        summary = lower.get("summary") or lower.get("description")
        front: list[tuple[str, object]] = [
            ("title", str(lower.get("title") or "").strip() or None),
            ("date" if entry.state != DRAFT else "created", entry.date),
            ("updated", as_date(lower.get("lastmod") or lower.get("modified"), self.tz)),
            ("tags", tags if entry.kind == POST else []),
            ("categories", categories if entry.kind == POST else []),
            ("series", entry.series),
            ("part", entry.part),
            ("summary", html_to_text(summary) if isinstance(summary, str) and summary.strip() else None),
            ("image", image),
            ("aliases", aliases),
        ]
        if expiry is not None and expiry > self.now:
            front.append(("expiryDate", expiry))
        if entry.kind == PAGE and entry.state == DRAFT:
            front.append(("draft", True))
        front.append(("import_notes", meaning))
        for key, value in meta.items():
            if key.lower() in _MAPPED:
                continue
            if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
                notes.append(f"front matter {key!r} (a nested value) was not kept")
                continue
            front.append((key, value))
        return Item(entry, front, body.lstrip("\n"), media=media, notes=notes)

    def shortcodes(self, body: str, path: Path, placement: Placement, notes: list[str]) -> str:
        """figure, highlight and ref/relref made Markdown; other shortcodes left as they are."""
        body = _HIGHLIGHT.sub(lambda m: fenced_code(_language(m.group(1)), m.group(2)), body)
        body = _FIGURE.sub(_figure, body)

        def ref(match: re.Match) -> str:
            attributes = parse_attributes(match.group(1))
            target = attributes.get("0") or attributes.get("path") or ""
            target, _, anchor = target.partition("#")
            source = self._find(target, path)
            found = placement.link(source) if source else None
            if found is None:
                notes.append(f"a ref to {target!r} names no imported page; left as it is")
                return match.group(0)
            return found + (f"#{anchor}" if anchor else "")

        return _REF.sub(ref, body)

    def _find(self, target: str, path: Path) -> str | None:
        """The source a `ref` names: a path from content/, from this page, or a unique file name."""
        clean = target.strip().removesuffix("/")
        for suffix in MARKDOWN_SUFFIXES:
            clean = clean.removesuffix(suffix)
        clean = clean.removesuffix("/index").removesuffix("/_index")
        if clean.startswith("/"):
            return self.by_path.get(clean.lstrip("/"))
        here = path.parent.relative_to(self.content).as_posix()
        for key in (f"{here}/{clean}" if here != "." else clean, clean):
            if key in self.by_path:
                return self.by_path[key]
        named = self.by_name.get(clean.rsplit("/", 1)[-1], [])
        return named[0] if len(named) == 1 else None

    def _resolve(self, reference: str, bundle: Path | None, slug: str) -> tuple[str, Path] | None:
        """Where a file the body shows lands in static/: a bundle's at media/<slug>/, the site's
        static/ files at their own path."""
        from urllib.parse import unquote

        reference = unquote(reference)
        if ".." in reference.split("/"):
            return None
        if reference.startswith("/"):
            path = self.static / reference.lstrip("/")
            return (reference.lstrip("/"), path) if inside(self.root, path) else None
        if bundle is not None:
            path = bundle / reference.removeprefix("./")
            if inside(bundle, path) and path.suffix.lower() not in MARKDOWN_SUFFIXES:
                return f"media/{slug}/{path.relative_to(bundle).as_posix()}", path
        return None

    def _bundle_files(self, bundle: Path, slug: str, taken: set) -> list[Media]:
        """A bundle's other files (its images, downloads), whether or not the text names them."""
        return [
            Media(target=f"media/{slug}/{path.relative_to(bundle).as_posix()}", path=path)
            for path in walk(self.root, bundle)
            if path.suffix.lower() not in MARKDOWN_SUFFIXES and path not in taken and inside(bundle, path)
        ]


def _language(text: str) -> str:
    return text.strip("\"'")


def _figure(match: re.Match) -> str:
    attributes = parse_attributes(match.group(1))
    src = attributes.get("src", "")
    if not src:
        return match.group(0)
    alt = attributes.get("alt") or attributes.get("title") or attributes.get("caption") or ""
    image = f"![{_escape_brackets(html_to_text(alt))}]({src})"
    if attributes.get("link"):
        image = f"[{image}]({attributes['link']})"
    caption = " — ".join(html_to_text(html.unescape(attributes[k])) for k in ("title", "caption") if attributes.get(k))
    return f"{image}\n*{caption}*" if caption else image


def _escape_brackets(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")
