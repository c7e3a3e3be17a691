"""The pages made from many posts: home pages, tags, archive, series, feeds, sitemap, redirects, 404.

Each output is declared with exactly the data it shows (`builder.page(path, template, inputs)`), and
that data is its key in the build manifest: a page is rendered again only when what it shows changed.
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
    from blogcli.ops.build import SECTIONS, post_view

    setup, model, prefix = builder.setup, builder.site, builder.setup.prefix
    views = {p.slug: post_view(p, extracted.get(p.rel, {}), setup, builder.ws.tz) for p in posts}
    briefs = {slug: _brief(view) for slug, view in views.items()}  # made once, shared by tags and archive
    public = [p for p in posts if p.folder == PUBLISHED]

    _home_pages(builder, [views[p.slug] for p in posts], prefix)
    tag_urls = _tag_pages(builder, posts, briefs)
    archive_urls = _archive(builder, [briefs[p.slug] for p in public])
    series_urls = _series_pages(builder, model, views, extracted)
    _feed(builder, "feed.xml", builder.ws.config.title, builder.ws.config.description, "", public[:FEED_ENTRIES], extracted)
    _redirects(builder, public, extracted, {p.slug for p in posts} | set(SECTIONS))
    builder.page("404.html", "404.html", {"page_title": "Page not found"})
    _sitemap(builder, public, views, tag_urls + series_urls + archive_urls)


def _brief(view: dict) -> dict:
    """A post as a one-line entry (tag pages, archive): less data, fewer pages to redo on an edit."""
    return {key: view[key] for key in ("url", "title", "date", "date_text", "draft")}


def _home_pages(builder, items: list[dict], prefix: str) -> None:
    """The home page (the newest posts) and the numbered pages of all older ones, oldest first.

    Numbered from the oldest (Nikola's INDEXES_STATIC): `page/1/` holds the oldest posts and every
    numbered page is full but the newest, so a new post changes the home page, the newest numbered
    page and at most the page before it, not every page of the blog. Walking "older" from the home
    page visits every post once. A page shows no page count, which would change every page.
    """
    per = builder.ws.config.posts_per_page
    last = _list_page_count(len(items), per)
    builder.page("index.html", "index.html", {
        "page_title": None, "items": items[:per], "page_number": None,
        "newer_url": None, "older_url": f"{prefix}page/{last}/" if last else None,
    })
    older = items[per:][::-1]  # oldest first
    for n in range(1, last + 1):
        builder.page(f"page/{n}/index.html", "index.html", {
            "page_title": f"Page {n}",
            "items": older[(n - 1) * per : n * per][::-1],  # each page newest first
            "page_number": n,
            "newer_url": f"{prefix}page/{n + 1}/" if n < last else prefix,
            "older_url": f"{prefix}page/{n - 1}/" if n > 1 else None,
        })


def _list_page_count(posts: int, per: int) -> int:
    """How many numbered list pages there are beside the home page (which shows the newest `per`)."""
    return max(0, -(-(posts - per) // per))


def _tag_pages(builder, posts: list[Post], briefs: dict[str, dict]) -> list[str]:
    """One page per tag (tags differing only in case or punctuation are one tag), and the index."""
    from blogcli.ops.build import tag_slug

    tags: dict[str, dict] = {}
    for post in posts:
        for name in post.tags:
            key = tag_slug(name)
            tag = tags.setdefault(key, {"name": name, "url": f"{builder.setup.prefix}tags/{key}/", "items": []})
            if not tag["items"] or tag["items"][-1] is not briefs[post.slug]:  # two names, one tag
                tag["items"].append(briefs[post.slug])
    for key, tag in tags.items():
        builder.page(f"tags/{key}/index.html", "tag.html", {"page_title": f"Tagged “{tag['name']}”", "tag": tag})
    listing = sorted(({"name": t["name"], "url": t["url"], "count": len(t["items"])} for t in tags.values()),
                     key=lambda t: (t["name"].casefold(), t["url"]))
    builder.page("tags/index.html", "tags.html", {"page_title": "Tags", "tags": listing})
    return [f"tags/{key}/" for key in tags] + ["tags/"]


def _archive(builder, items: list[dict]) -> list[str]:
    """The newest year's posts by month at `archive/`, each earlier year at `archive/<year>/`.

    A new post changes only the newest year's page, not a page listing the whole blog (10,000
    entries took ~0.1 s to render); the years' links change once a year.
    """
    prefix = builder.setup.prefix
    years: dict[str, list[dict]] = {}
    for item in items:
        if not item["date"]:
            continue
        months = years.setdefault(item["date"][:4], [])
        month_id = item["date"][:7]
        if not months or months[-1]["id"] != month_id:
            label = " ".join(item["date_text"].split(" ")[1:])
            months.append({"id": month_id, "label": label, "items": []})
        months[-1]["items"].append(item)
    newest = next(iter(years), None)
    paths = {year: "archive/" if year == newest else f"archive/{year}/" for year in years}
    links = [{"year": year, "url": prefix + path} for year, path in paths.items()]
    builder.page("archive/index.html", "archive.html",
                 {"page_title": "Archive", "year": newest, "years": links, "months": years.get(newest, [])})
    for year, path in paths.items():
        if year != newest:
            builder.page(f"{path}index.html", "archive.html",
                         {"page_title": f"Archive {year}", "year": year, "years": links, "months": years[year]})
    return list(paths.values()) or ["archive/"]


def _series_pages(builder, model, views: dict[str, dict], extracted: dict[str, dict]) -> list[str]:
    """Each series' parts in order with what comes next, its feed, and the list of series."""
    config = builder.ws.config
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
        entries = [dict(views[p.slug], number=p.part or i) for i, p in enumerate(parts, start=1)]
        builder.page(f"series/{key}/index.html", "series.html",
                     {"page_title": title, "series": series, "parts": entries, "coming": coming})
        public = [p for p in reversed(parts) if p.folder == PUBLISHED]
        _feed(builder, f"series/{key}/feed.xml", f"{title} · {config.title}", description, f"series/{key}/", public[:FEED_ENTRIES],
              extracted)
        listing.append(dict(series, latest=_brief(views[latest.slug])))
        urls.append(f"series/{key}/")
    builder.page("series/index.html", "series_index.html", {"page_title": "Series", "all_series": listing})
    return urls + ["series/"]


def _feed(builder, out_rel: str, title: str, subtitle: str, site_path: str, entries: list[Post], extracted: dict) -> None:
    """An Atom feed of full posts with absolute URLs; bodies the post workers did not hand over
    (their page was unchanged) are read and rendered here, only when the feed must be redone."""
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
                content_html=_absolute(_body_html(builder, post), builder.setup.prefix, base),
                tags=post.tags,
            ))
        return atom_feed(title=title, subtitle=subtitle, author=ws.config.author, language=ws.config.language,
                         site_url=base + site_path, feed_url=base + out_rel, feed_id=base + site_path,
                         entries=feed_entries).encode("utf-8")

    builder.emit(out_rel, inputs, produce)


def _body_html(builder, post: Post) -> str:
    if post.rel not in builder.body_html:
        from blogcli.ops.build import make_rewriter
        from blogcli.render.markdown import markdown_to_html

        full = builder.ws.load(post.rel)
        rewrite = make_rewriter(builder.setup.prefix)
        builder.body_html[post.rel] = markdown_to_html(full.body, builder.ws.config.markdown_engine, rewrite_url=rewrite)
    return builder.body_html[post.rel]


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


def _sitemap(builder, public: list[Post], views: dict[str, dict], other_paths: list[str]) -> None:
    base = builder.ws.config.base_url
    pages = _list_page_count(len(views), builder.ws.config.posts_per_page)
    urls = [(base, None)] + [(f"{base}page/{n}/", None) for n in range(1, pages + 1)]
    urls += [(f"{base}{p.slug}/", views[p.slug]["updated"] or views[p.slug]["date"]) for p in public]
    urls += [(base + path, None) for path in other_paths]

    def produce() -> bytes:
        from blogcli.render.feeds import sitemap

        return sitemap(urls).encode("utf-8")

    builder.emit("sitemap.xml", urls, produce)
