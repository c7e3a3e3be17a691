"""The pages made from many posts: home pages, tags, archive, series, feeds, sitemap, redirects, 404.

Each output is declared with exactly the data it shows (`builder.page(path, template, inputs)`), and
that data (or a stand-in that changes with it: the listed posts' source digests, see `_Views`) is
its key in the build manifest: a page is rendered again only when what it shows changed.
Everything here comes from the index, the series' promise ledgers and what the post workers
extracted (excerpts, feed ids, aliases); only feeds read post bodies, and only when one of their
entries changed.
"""

from __future__ import annotations

import re

from blogcli.model.post import PUBLISHED, Post

FEED_ENTRIES = 20  # newest posts in the blog's feed and in each series' feed

_ALIAS = re.compile(r"^[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*$")


def write_derived_pages(builder, posts: list[Post], extracted: dict[str, dict]) -> None:
    """Declare every page but the posts' own; `builder.page` renders those whose inputs changed."""
    from blogcli.ops.build import SECTIONS

    views = _Views(builder, extracted)
    public = [p for p in posts if p.folder == PUBLISHED]
    bodies = _Bodies(builder, keep={p.rel for p in public[:FEED_ENTRIES]})

    _home_pages(builder, views, posts)
    tag_urls = _tag_pages(builder, views, posts)
    archive_urls = _archive(builder, views, public)
    series_urls = _series_pages(builder, views, bodies, extracted)
    _feed(builder, bodies, "feed.xml", builder.ws.config.title, builder.ws.config.description, "", public[:FEED_ENTRIES],
          extracted)
    bodies.save()
    _redirects(builder, public, extracted, {p.slug for p in posts} | set(SECTIONS))
    builder.page("404.html", "404.html", {"page_title": "Page not found"})
    _sitemap(builder, len(posts), public, tag_urls + series_urls + archive_urls)


class _Views:
    """Posts as the templates show them, made only for the pages that are rendered.

    A list page's key holds tokens of the posts it lists rather than their views. A view is made
    from the post file's bytes, its path and the config (part of every key), so (path, source
    digest) changes whenever the view may; a brief's token is its path, title and date from the
    index. Finding the few pages a publish changes then makes no view of the other 10,000 posts.
    Pages hand over their inputs as a function, which `builder.page` calls at once or not at all
    (so closing over a loop's variables is safe).
    """

    def __init__(self, builder, extracted: dict[str, dict]):
        self._builder = builder
        self._extracted = extracted
        self._views: dict[str, dict] = {}
        self._briefs: dict[str, dict] = {}
        self._brief_tokens: dict[str, tuple] = {}

    def view(self, post: Post) -> dict:
        if post.rel not in self._views:
            from blogcli.ops.build import post_view

            builder = self._builder
            self._views[post.rel] = post_view(post, self._extracted.get(post.rel, {}), builder.setup, builder.ws.tz)
        return self._views[post.rel]

    def brief(self, post: Post) -> dict:
        """A post as a one-line entry (tag pages, archive): less data, fewer pages to redo on an edit."""
        if post.rel not in self._briefs:
            view = self.view(post)
            self._briefs[post.rel] = {key: view[key] for key in ("url", "title", "date", "date_text", "draft")}
        return self._briefs[post.rel]

    def token(self, post: Post) -> object:
        """What `view(post)` is made from: its path and source digest (the view itself for a post
        whose page was not built, so no digest was taken)."""
        source = self._builder.sources.get(post.rel)
        return (post.rel, source[2]) if source else self.view(post)

    def brief_token(self, post: Post) -> tuple:
        token = self._brief_tokens.get(post.rel)
        if token is None:  # asked once per tag and once for the archive
            token = self._brief_tokens[post.rel] = (post.rel, post.display_title, _instant(post.date))
        return token


def _instant(moment) -> float | None:
    return moment.timestamp() if moment else None


def _home_pages(builder, views: _Views, posts: list[Post]) -> None:
    """The home page (the newest posts) and the numbered pages of all older ones, oldest first.

    Numbered from the oldest (Nikola's INDEXES_STATIC): `page/1/` holds the oldest posts and every
    numbered page is full but the newest, so a new post changes the home page, the newest numbered
    page and at most the page before it, not every page of the blog. Walking "older" from the home
    page visits every post once. A page shows no page count, which would change every page.
    """
    per, prefix = builder.ws.config.posts_per_page, builder.setup.prefix
    last = _list_page_count(len(posts), per)
    pages = [("index.html", None, posts[:per], None, f"{prefix}page/{last}/" if last else None)]
    older = posts[per:][::-1]  # oldest first
    for n in range(1, last + 1):
        pages.append((f"page/{n}/index.html", n, older[(n - 1) * per : n * per][::-1],  # each page newest first
                      f"{prefix}page/{n + 1}/" if n < last else prefix, f"{prefix}page/{n - 1}/" if n > 1 else None))
    for out_rel, number, listed, newer_url, older_url in pages:
        shown = {"page_title": f"Page {number}" if number else None, "page_number": number,
                 "newer_url": newer_url, "older_url": older_url}
        builder.page(out_rel, "index.html", lambda: dict(shown, items=[views.view(p) for p in listed]),
                     identity=dict(shown, items=[views.token(p) for p in listed]))


def _list_page_count(posts: int, per: int) -> int:
    """How many numbered list pages there are beside the home page (which shows the newest `per`)."""
    return max(0, -(-(posts - per) // per))


def _tag_pages(builder, views: _Views, posts: list[Post]) -> list[str]:
    """One page per tag (tags differing only in case or punctuation are one tag), and the index."""
    from blogcli.ops.build import tag_slug

    tags: dict[str, dict] = {}
    for post in posts:
        for name in post.tags:
            key = tag_slug(name)
            tag = tags.setdefault(key, {"name": name, "url": f"{builder.setup.prefix}tags/{key}/", "posts": []})
            if not tag["posts"] or tag["posts"][-1] is not post:  # two names, one tag
                tag["posts"].append(post)
    for key, tag in tags.items():
        title = f"Tagged “{tag['name']}”"
        builder.page(f"tags/{key}/index.html", "tag.html",
                     lambda: {"page_title": title, "tag": {"name": tag["name"], "url": tag["url"],
                                                           "items": [views.brief(p) for p in tag["posts"]]}},
                     identity=[title, tag["url"], [views.brief_token(p) for p in tag["posts"]]])
    listing = sorted(({"name": t["name"], "url": t["url"], "count": len(t["posts"])} for t in tags.values()),
                     key=lambda t: (t["name"].casefold(), t["url"]))
    builder.page("tags/index.html", "tags.html", {"page_title": "Tags", "tags": listing})
    return [f"tags/{key}/" for key in tags] + ["tags/"]


def _archive(builder, views: _Views, public: list[Post]) -> list[str]:
    """The newest year's posts by month at `archive/`, each earlier year at `archive/<year>/`.

    A new post changes only the newest year's page, not a page listing the whole blog (10,000
    entries took ~0.1 s to render); the years' links change once a year.
    """
    prefix, tz = builder.setup.prefix, builder.ws.tz
    years: dict[str, list[tuple[str, list[Post]]]] = {}
    for post in public:
        if not post.date:
            continue
        local = post.date.astimezone(tz)
        months = years.setdefault(f"{local.year:04}", [])
        month_id = f"{local.year:04}-{local.month:02}"
        if not months or months[-1][0] != month_id:
            months.append((month_id, []))
        months[-1][1].append(post)
    newest = next(iter(years), None)
    paths = {year: "archive/" if year == newest else f"archive/{year}/" for year in years}
    links = [{"year": year, "url": prefix + path} for year, path in paths.items()]

    def shown(year: str | None) -> dict:
        months = []
        for month_id, listed in years.get(year, []):
            items = [views.brief(p) for p in listed]
            months.append({"id": month_id, "label": items[0]["date_text"].split(" ", 1)[1], "items": items})
        return {"page_title": "Archive" if year == newest else f"Archive {year}", "year": year, "years": links,
                "months": months}

    for year, path in (paths or {None: "archive/"}).items():
        builder.page(f"{path}index.html", "archive.html", lambda: shown(year),
                     identity=[year, links, [(month_id, [views.brief_token(p) for p in listed])
                                             for month_id, listed in years.get(year, [])]])
    return list(paths.values()) or ["archive/"]


def _series_pages(builder, views: _Views, bodies: _Bodies, extracted: dict[str, dict]) -> list[str]:
    """Each series' parts in order with what comes next, its feed, and the list of series."""
    config, model = builder.ws.config, builder.site
    listing = []
    urls = []
    for key, parts in sorted(model.series.items()):
        title = model.series_title(key)
        settings = model.series_settings(key)
        description = settings.get("description") if isinstance(settings.get("description"), str) else ""
        latest = parts[-1]
        promise = model.promise(latest)
        coming = {"text": promise["text"]} if promise and not promise["kept_by"] else None
        series = {"key": key, "title": title, "description": description, "url": model.series_url(key),
                  "feed_url": f"{model.series_url(key)}feed.xml", "count": len(parts)}
        numbered = [(p, p.part or i) for i, p in enumerate(parts, start=1)]
        shown = {"page_title": title, "series": series, "coming": coming}
        builder.page(f"series/{key}/index.html", "series.html",
                     lambda: dict(shown, parts=[dict(views.view(p), number=number) for p, number in numbered]),
                     identity=dict(shown, parts=[(views.token(p), number) for p, number in numbered]))
        public = [p for p in reversed(parts) if p.folder == PUBLISHED]
        _feed(builder, bodies, f"series/{key}/feed.xml", f"{title} · {config.title}", description, f"series/{key}/", public[:FEED_ENTRIES],
              extracted)
        listing.append((series, latest))
        urls.append(f"series/{key}/")
    builder.page("series/index.html", "series_index.html",
                 lambda: {"page_title": "Series", "all_series": [dict(s, latest=views.brief(p)) for s, p in listing]},
                 identity=[(s, views.brief_token(p)) for s, p in listing])
    return urls + ["series/"]


def _feed(builder, bodies: _Bodies, out_rel: str, title: str, subtitle: str, site_path: str, entries: list[Post],
          extracted: dict) -> None:
    """An Atom feed of full posts with absolute URLs, written only when one of its entries changed."""
    ws = builder.ws
    base = ws.config.base_url
    inputs = [title, subtitle, site_path, [[p.rel, builder.sources[p.rel][2]] for p in entries if p.rel in builder.sources]]

    def produce() -> bytes:
        from blogcli.render.feeds import FeedEntry, atom_feed

        feed_entries = []
        for post in entries:
            first = post.date or post.created
            last = post.updated if post.updated and first and post.updated > first else first
            feed_entries.append(FeedEntry(
                title=post.display_title,
                url=f"{base}{post.slug}/",
                id=(extracted.get(post.rel) or {}).get("id") or post.slug,
                published=ws.format_date(first) if first else "1970-01-01T00:00:00Z",
                updated=ws.format_date(last) if last else "1970-01-01T00:00:00Z",
                summary=post.summary,
                content_html=_absolute(bodies.html(post), builder.setup.prefix, base),
                tags=post.tags,
            ))
        return atom_feed(title=title, subtitle=subtitle, author=ws.config.author, language=ws.config.language,
                         site_url=base + site_path, feed_url=base + out_rel, feed_id=base + site_path,
                         entries=feed_entries).encode("utf-8")

    builder.emit(out_rel, inputs, produce)


class _Bodies:
    """The HTML of the posts a feed shows: handed over by the post workers (pages just rendered),
    kept from the last feeds written (`.blog/cache/feed-bodies.marshal`, by source digest and build
    settings), or read and rendered here. A publish then renders one body for the feed, not twenty
    (and loads no Pygments lexer for code in the other nineteen)."""

    def __init__(self, builder, keep: set[str]):
        self._builder = builder
        self._path = builder.ws.cache_dir / "feed-bodies.marshal"
        self._keep = keep  # the blog feed's entries: kept even when only a series feed is redone
        self._kept: dict[str, tuple[str, str]] | None = None
        self._used: dict[str, tuple[str, str]] = {}

    def html(self, post: Post) -> str:
        builder = self._builder
        source = builder.sources.get(post.rel)
        key = f"{builder.setup.common} {source[2]}" if source else None
        html = builder.body_html.get(post.rel)
        if html is None:
            kept = self._load().get(post.rel)
            html = kept[1] if kept and key and kept[0] == key else self._render(post)
        if key:
            self._used[post.rel] = (key, html)
        return html

    def save(self) -> None:
        """Keep the bodies the feeds just showed, if a feed was written."""
        if not self._used:
            return
        kept = self._load()
        bodies = {rel: entry for rel, entry in kept.items() if rel in self._keep} | self._used
        if bodies != kept:
            import marshal

            from blogcli.workspace.atomic import atomic_write

            atomic_write(self._path, marshal.dumps(bodies), durable=False)

    def _load(self) -> dict[str, tuple[str, str]]:
        if self._kept is None:
            import marshal

            try:
                self._kept = marshal.loads(self._path.read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                self._kept = {}
            if not isinstance(self._kept, dict):
                self._kept = {}
        return self._kept

    def _render(self, post: Post) -> str:
        from blogcli.ops.build import make_rewriter
        from blogcli.render.markdown import markdown_to_html

        builder = self._builder
        full = builder.ws.load(post.rel)
        return markdown_to_html(full.body, builder.ws.config.markdown_engine, rewrite_url=make_rewriter(builder.setup.prefix))


_SITE_URL = re.compile(r'(?P<attr>href|src)="(?P<path>/(?!/)[^"]*)"')


def _absolute(body_html: str, prefix: str, base: str) -> str:
    """Feed readers show posts away from the site: site paths (`/slug/`) become full URLs."""
    origin = base[: len(base) - len(prefix)] if base.endswith(prefix) else base.rstrip("/")
    return _SITE_URL.sub(lambda m: f'{m.group("attr")}="{origin}{m.group("path")}"', body_html)


def _redirects(builder, public: list[Post], extracted: dict[str, dict], taken: set[str]) -> None:
    """A page at each old URL of a renamed post (front matter `aliases`) sending readers on."""
    for post in public:
        for alias in (extracted.get(post.rel) or {}).get("aliases", []):
            if not _ALIAS.match(alias) or ".." in alias.split("/") or alias.split("/")[0] in taken:
                builder.result.warnings.append(f"{post.rel}: alias {alias!r} is not a free site path; no redirect made")
                continue
            target = f"{builder.setup.prefix}{post.slug}/"
            builder.page(f"{alias}/index.html", "redirect.html",
                         {"page_title": post.display_title, "target": target,
                          "target_absolute": f"{builder.ws.config.base_url}{post.slug}/"})


def _sitemap(builder, listed: int, public: list[Post], other_paths: list[str]) -> None:
    """Every page's address: the home and list pages, the posts (with their last change), the rest."""
    base, ws = builder.ws.config.base_url, builder.ws
    pages = _list_page_count(listed, ws.config.posts_per_page)
    changed = [(p.slug, p.updated if p.updated and p.date and p.updated > p.date else p.date) for p in public]

    def produce() -> bytes:
        from blogcli.render.feeds import sitemap

        urls = [(base, None)] + [(f"{base}page/{n}/", None) for n in range(1, pages + 1)]
        urls += [(f"{base}{slug}/", ws.format_date(moment) if moment else None) for slug, moment in changed]
        urls += [(base + path, None) for path in other_paths]
        return sitemap(urls).encode("utf-8")

    builder.emit("sitemap.xml", [pages, [(slug, _instant(moment)) for slug, moment in changed], other_paths], produce)
