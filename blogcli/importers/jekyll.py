"""A Jekyll site (its root folder) read into posts and pages.

`_posts/YYYY-MM-DD-slug.md` (and `<category>/_posts/`) → published/ (the date from the file name
when the front matter has none; `published: false` → drafts/), `_drafts/` → drafts/, Markdown
pages with front matter → pages/. `category`/`categories` → tags, kept as `categories:` too (or,
with `--categories-as series`, the first category names the post's series, parts in date order),
`permalink` and `redirect_from` → `aliases` so old addresses redirect, `excerpt`/`description`
→ `summary`. Liquid: `{% highlight x %}` → fenced code, `{% raw %}` unwrapped, `{% link %}` and
`{% post_url %}` → relative links to the imported posts, `{{ site.baseurl }}` before a path
dropped; any other tag is left as text for `blog check` to flag. Images the posts show from the
site's own folders are copied into static/ at the same path.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterator

from blogcli.importers.items import (
    DRAFT, PAGE, POST, PUBLISHED, SCHEDULED, Entry, Item, Placement, Progress, Scan, Skipped, number_parts, wished_slug,
)
from blogcli.importers.sitefiles import (
    MARKDOWN_SUFFIXES, NotASite, SkipFile, as_date, as_list,
    convert_entries, fenced_code, inside, local_media, read_front_matter, walk,
)

_POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
_RAW = re.compile(r"{%-?\s*raw\s*-?%}(.*?){%-?\s*endraw\s*-?%}", re.S)
_HIGHLIGHT = re.compile(r"{%-?\s*highlight\s+([\w+#.-]+)[^%]*?-?%}\n?(.*?)\n?{%-?\s*endhighlight\s*-?%}", re.S)
_LINK_TAG = re.compile(r"{%-?\s*(link|post_url)\s+([^%\s]+)\s*-?%}")
_SITE_URL = re.compile(r"{{-?\s*site\.(?:url|baseurl)\s*-?}}(?={{|{%|/)")
_URL_FILTER = re.compile(r"""{{-?\s*["']([^"']+)["']\s*\|\s*(?:relative_url|absolute_url)\s*-?}}""")
_LOOP = re.compile(r"{%-?\s*for\s")
# Front-matter keys Jekyll reads that mean nothing here, and those mapped to others.
_DROPPED = {"layout", "published", "permalink", "redirect_from", "category", "categories", "tags", "date", "title",
            "excerpt", "description", "slug", "series"}
_PAGE_SKIP = {"index", "404", "readme", "license", "changelog", "contributing"}


class JekyllReader:
    name = "Jekyll"

    def __init__(self, root: Path, tz: dt.tzinfo, now: dt.datetime, categories_as: str = "tags"):
        self.root = Path(root)
        self.tz = tz
        self.now = now
        self.categories_as = categories_as
        self.files: dict[str, tuple[Path, dict, str]] = {}  # source → (file, front matter, body)
        self.by_name: dict[str, str] = {}  # post file stem (2020-01-01-x) → source, for post_url
        self.by_path: dict[str, str] = {}  # path from the site root → source, for link

    def scan(self, progress: Progress | None = None) -> Scan:
        root = self.root
        if not root.is_dir():
            raise NotASite(f"{root}: no such folder", hint="give the Jekyll site's root folder (the one with _config.yml)")
        configs = [root / name for name in ("_config.yml", "_config.yaml", "_config.toml")]
        if not any(c.is_file() for c in configs) and not (root / "_posts").is_dir():
            raise NotASite(
                f"{root} is not a Jekyll site (no _config.yml and no _posts/ folder)",
                hint="give the site's root folder; for a Hugo site use `blog import hugo`",
            )
        scan = Scan(entries=[])
        excluded = self._excluded()
        candidates = [p for p in walk(root, root) if not any(p.relative_to(root).as_posix().startswith(e) for e in excluded)]
        for number, path in enumerate(candidates, start=1):
            if progress:
                progress("reading", number, len(candidates))
            rel = path.relative_to(root).as_posix()
            parts = rel.split("/")
            if "_posts" in parts[:-1] and parts.index("_posts") <= 1:
                self._post(path, rel, parts, scan, draft=False)
            elif parts[0] == "_drafts" and len(parts) == 2:
                self._post(path, rel, parts, scan, draft=True)
            elif not any(p.startswith("_") for p in parts[:-1]) and path.suffix.lower() in MARKDOWN_SUFFIXES:
                self._page(path, rel, scan)
        if self.categories_as == "series":
            number_parts(scan.entries)
        return scan

    def _excluded(self) -> list[str]:
        import yaml

        config = self.root / "_config.yml"
        try:
            data = yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):  # a broken config only loses its `exclude`
            return []
        return [str(e).strip("/") for e in (data or {}).get("exclude", []) if e] if isinstance(data, dict) else []

    def _read(self, path: Path, rel: str, scan: Scan) -> tuple[dict, str] | None:
        if not inside(self.root, path):
            scan.skipped.append(Skipped(rel, "a link to a file outside the site; not read"))
            return None
        try:
            return read_front_matter(path, rel)
        except SkipFile as exc:
            scan.skipped.append(Skipped(rel, str(exc)))
            return None

    def _post(self, path: Path, rel: str, parts: list[str], scan: Scan, draft: bool) -> None:
        suffix = path.suffix.lower()
        if suffix not in MARKDOWN_SUFFIXES:
            if suffix in (".html", ".htm", ".textile"):
                scan.skipped.append(Skipped(rel, f"a {suffix} post: only Markdown posts are imported"))
            return
        named = _POST_NAME.match(path.stem)
        if not draft and not named:
            scan.skipped.append(Skipped(rel, "not named YYYY-MM-DD-title (Jekyll does not publish it either)"))
            return
        read = self._read(path, rel, scan)
        if read is None:
            return
        meta, body = read
        name_slug = named.group(4) if named else path.stem
        date = as_date(meta.get("date"), self.tz)
        if date is None and named:
            year, month, day = (int(named.group(i)) for i in (1, 2, 3))
            try:
                date = dt.datetime(year, month, day, tzinfo=self.tz)
            except ValueError:
                scan.skipped.append(Skipped(rel, "the date in its name is not a real date"))
                return
        state = DRAFT if draft or meta.get("published") is False else (SCHEDULED if date and date > self.now else PUBLISHED)
        categories = as_list(meta.get("categories"), split=True) + as_list(meta.get("category"), split=True)
        if not draft and parts.index("_posts") == 1:  # <category>/_posts/
            categories.insert(0, parts[0])
        categories = list(dict.fromkeys(categories))
        series = str(meta["series"]) if isinstance(meta.get("series"), (str, int)) else None
        if self.categories_as == "series" and categories and not series:
            series = categories[0]
        source = f"jekyll:{rel}"
        title = str(meta.get("title") or "").strip() or _title_from_slug(name_slug)
        entry = Entry(source, rel, POST, state, wished_slug(str(meta.get("slug") or name_slug), title), date, series)
        if isinstance(meta.get("part"), int):
            entry.part = meta["part"]
        scan.entries.append(entry)
        self.files[source] = (path, meta, body)
        self.by_name[path.stem] = source
        self.by_path[rel] = source

    def _page(self, path: Path, rel: str, scan: Scan) -> None:
        if path.stem.lower() in _PAGE_SKIP:
            return
        try:
            head = path.read_bytes()[:4]
        except OSError:
            return
        if not head.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
            return  # Jekyll only renders files with front matter; the others are copied as they are
        read = self._read(path, rel, scan)
        if read is None:
            return
        meta, body = read
        if not body.strip():
            scan.skipped.append(Skipped(rel, "a page with no text (a layout's page)"))
            return
        if _LOOP.search(body):
            scan.skipped.append(Skipped(rel, "a page made by a Liquid loop (a list of posts, which blogcli makes itself)"))
            return
        permalink = str(meta.get("permalink") or "").strip("/")
        name = permalink.rsplit("/", 1)[-1].removesuffix(".html") if permalink else path.stem
        title = str(meta.get("title") or "").strip() or _title_from_slug(path.stem)
        source = f"jekyll:{rel}"
        state = DRAFT if meta.get("published") is False else PUBLISHED
        scan.entries.append(Entry(source, rel, PAGE, state, wished_slug(name, title), as_date(meta.get("date"), self.tz)))
        self.files[source] = (path, meta, body)
        self.by_path[rel] = source

    def convert(self, scan: Scan, placement: Placement, progress: Progress | None = None) -> Iterator[Item | Skipped]:
        return convert_entries(scan, self.files, self._item, placement, progress)

    def _item(self, entry: Entry, path: Path, meta: dict, body: str, placement: Placement) -> Item:
        notes: list[str] = []
        body = self.liquid(body, placement, notes)
        body, media = local_media(body, self._resolve)
        categories = list(dict.fromkeys(as_list(meta.get("categories"), split=True) + as_list(meta.get("category"), split=True)))
        parts = entry.origin.split("/")
        if entry.kind == POST and "_posts" in parts and parts.index("_posts") == 1 and parts[0] not in categories:
            categories.insert(0, parts[0])
        if entry.series and self.categories_as == "series":
            categories = [c for c in categories if c != entry.series]
        tags = list(dict.fromkeys(as_list(meta.get("tags"), split=True) + categories))
        aliases = [str(a).strip("/") for a in [meta.get("permalink"), *as_list(meta.get("redirect_from"))] if a and str(a).strip("/")]
        image = meta.get("image") if isinstance(meta.get("image"), str) else None
        if image and image.startswith("/"):
            found = self._resolve(image)
            if found:
                media.append(_media(found))
                image = f"/{found[0]}"
        front: list[tuple[str, object]] = [
            ("title", str(meta.get("title") or "").strip() or _title_from_slug(entry.slug)),
            ("date" if entry.state != DRAFT else "created", entry.date),
            ("tags", tags if entry.kind == POST else []),
            ("categories", categories if entry.kind == POST else []),
            ("series", entry.series),
            ("part", entry.part),
            ("summary", _text(meta.get("excerpt")) or _text(meta.get("description"))),
            ("image", image),
            ("aliases", aliases),
        ]
        if entry.kind == PAGE and entry.state == DRAFT:
            front.append(("draft", True))
        front += _kept_keys(meta, notes)
        return Item(entry, front, body.lstrip("\n"), media=media, notes=notes)

    def liquid(self, body: str, placement: Placement, notes: list[str]) -> str:
        """Liquid turned into Markdown where it means something Markdown has; `{% raw %}` kept."""
        pieces = []
        at = 0
        for raw in _RAW.finditer(body):
            pieces.append(self._liquid_outside_raw(body[at : raw.start()], placement, notes))
            pieces.append(raw.group(1))
            at = raw.end()
        pieces.append(self._liquid_outside_raw(body[at:], placement, notes))
        return "".join(pieces)

    def _liquid_outside_raw(self, text: str, placement: Placement, notes: list[str]) -> str:
        text = _HIGHLIGHT.sub(lambda m: fenced_code(m.group(1), m.group(2)), text)
        text = _URL_FILTER.sub(r"\1", text)
        text = _SITE_URL.sub("", text)

        def link(match: re.Match) -> str:
            tag, target = match.group(1), match.group(2).strip("\"'")
            if tag == "post_url":
                source = self.by_name.get(target.rsplit("/", 1)[-1])
            else:
                source = self.by_path.get(target.lstrip("/"))
            found = placement.link(source) if source else None
            if found is None:
                notes.append(f"{{% {tag} {target} %}} names no imported post; left as it is")
                return match.group(0)
            return found

        return _LINK_TAG.sub(link, text)

    def _resolve(self, reference: str) -> tuple[str, Path] | None:
        if not reference.startswith("/"):
            return None
        from urllib.parse import unquote

        rel = unquote(reference).lstrip("/")
        path = self.root / rel
        if ".." in rel.split("/") or not inside(self.root, path) or path.suffix.lower() in MARKDOWN_SUFFIXES + (".html",):
            return None
        return rel, path


def _media(found: tuple[str, Path]):
    from blogcli.importers.items import Media

    return Media(target=found[0], path=found[1])


def _title_from_slug(slug: str) -> str:
    """Jekyll's own title for a post without one: its slug's words, capitalised."""
    return " ".join(word.capitalize() for word in slug.replace("_", "-").split("-") if word)


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        from blogcli.render.html_text import html_to_text

        return html_to_text(value)
    return None


def _kept_keys(meta: dict, notes: list[str]) -> list[tuple[str, object]]:
    """The source's other front-matter keys, kept as they are (mappings cannot be, and are named)."""
    kept = []
    for key, value in meta.items():
        if key in _DROPPED or key in ("image", "part", "draft", "source", "import_digest"):
            continue
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
            notes.append(f"front matter {key!r} (a nested value) was not kept")
            continue
        kept.append((str(key), value))
    return kept
