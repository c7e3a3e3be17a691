"""The pages made from many posts: home pages, tags, archive, series, feeds, sitemap, redirects, 404
(and /stats/, site/stats_page.py).

Each output is declared to an `Emitter` with exactly the data it shows (or a stand-in that
changes with it: the listed posts' source digests, see `Views`), so a page is rendered again only
when what it shows changed. Everything here comes from the index, the series' promise ledgers
and what the post pages extracted (excerpts, feed ids, aliases); only feeds read post bodies,
and only when one of their entries changed.
"""

from __future__ import annotations

import functools
from itertools import chain, compress
from operator import attrgetter
from typing import Callable, Iterable, NamedTuple

from blogcli.model.post import Post
from blogcli.site.emitter import BuildState, Emitter
from blogcli.site.feeds import declare_feed, declare_sitemap, forget_bodies_but
from blogcli.site.manifest import instant
from blogcli.site.model import FEED_ENTRIES, archive_year
from blogcli.site.output import static_names
from blogcli.site.shape import Unchanged
from blogcli.site.urls import alias_output, tag_url, url_for
from blogcli.site.views import brief_view, month_label, post_view


class ListPages:
    """The pages made from many posts, in two groups: those that show only what the index holds
    (`declare_index_pages`: tags, archive, the series list, 404, /stats/, the sitemap), declared
    while the workers render the post pages, and those that need what rendering the posts found —
    excerpts, source digests, feed ids, aliases (`declare_post_lists`: home pages, series pages,
    feeds, redirects). A full build of 10,000 posts spent ~0.6 s declaring them all at its end,
    with the workers idle.

    `unchanged`: the site's structure is as the last build left it (site/shape.py), and these post
    files changed since; `changed_series`: the series whose promise ledger changed. A page that
    cannot have changed is then kept as it was, without working out its key."""

    def __init__(self, emit: Emitter, state: BuildState, unchanged: Unchanged | None = None,
                 changed_series: frozenset[str] = frozenset()):
        self.emit = emit
        self.state = state
        self.views = Views(state)
        self.unchanged = unchanged
        self.changed_series = changed_series

    def declare_index_pages(self, as_before: list[str] | None = None) -> list[str]:
        """Declare them; `as_before`: the outputs the last build made here, kept as they were when
        the structure is (site/shape.py), but for what new posts change. Returns this build's (the
        next one's `as_before`)."""
        emit, state, views = self.emit, self.state, self.views
        stats_urls = []
        if state.ws.config.stats_page:  # [site] stats = true (imported only then: the stats model is ~10 ms of every build's start)
            from blogcli.site.stats_page import declare_stats_page

            stats_urls = declare_stats_page(emit, state)  # always keyed: its figures change with every word and day
        added = self.unchanged.added if self.unchanged else frozenset()
        new_posts = [post for post in state.model.posts if post.rel in added] if added else []
        if as_before is not None and not new_posts and all(emit.kept_as_before(output) for output in as_before):
            return as_before
        kept = emit.kept_as_before if as_before is not None else _never
        # the tags whose pages new posts join, and None, the list of tags, whose counts they change
        retagged = {state.model.tag_slug_of[name] for post in new_posts for name in post.tags} | ({None} if new_posts else set())
        tag_urls = _tag_pages(emit, state, views, as_before is not None, retagged, added)
        archive_urls = _archive(emit, state, views, kept, new_posts)
        series_urls = _series_index(emit, state, views, kept)
        if not kept("404.html"):
            emit.page("404.html", "404.html", {"page_title": "Page not found"})
        if new_posts or not kept("sitemap.xml"):
            declare_sitemap(emit, state, list_page_count(len(state.model.posts), state.ws.config.posts_per_page),
                            tag_urls + series_urls + archive_urls + stats_urls + list(state.page_paths))
        return [f"{url}index.html" for url in tag_urls + archive_urls] + ["series/index.html", "404.html", "sitemap.xml"]

    def declare_post_lists(self) -> None:
        emit, state, views = self.emit, self.state, self.views
        model, config = state.model, state.ws.config
        home, series, feed = _home_page_lists(state), _series_lists(state), model.public[:FEED_ENTRIES]
        unmoved = (pages_new_posts_leave(model.posts, config.posts_per_page, "", self.unchanged.added)
                   if self.unchanged and self.unchanged.added else set())
        kept = self.kept_as_before(chain(
            ((output, listed, None) for output, _number, listed, _newer, _older in home),
            ((f"series/{key}/{name}", listed, key) for key, parts, public in series
             for name, listed in (("index.html", parts), ("feed.xml", public))),
            [("feed.xml", feed, None)]), unmoved)
        _home_pages(emit, views, home, kept)
        _series_pages(emit, state, views, series, kept)
        if "feed.xml" not in kept:
            declare_feed(emit, state, "feed.xml", config.title, config.description, "", feed)
        forget_bodies_but(state.settings, model.in_feeds)
        _redirects(emit, state)

    def kept_as_before(self, lists: Iterable[tuple[str, list[Post], str | None]], unmoved: set[str] = frozenset()) -> set[str]:
        """Of `lists` — each an output, the posts it lists and its series (None: no series') — the
        outputs kept as the last build made them: the structure is as it was, none of their posts
        changed, nor (a series' page or feed) the series' ledger; their files checked in one batch.
        A new post changes the home pages and the blog's feed (site/shape.py), but those `unmoved`."""
        if self.unchanged is None:
            return set()
        changed, changed_series, added = self._changed_posts, self.changed_series, self.unchanged.added
        candidates = [output for output, listed, series in lists
                      if series not in changed_series  # its series' page or feed shows its ledger
                      and not (added and series is None and output not in unmoved)
                      and not (changed and not changed.isdisjoint(map(id, listed)))]
        return set(candidates).difference(self.emit.not_kept_as_before(candidates))

    @functools.cached_property
    def _changed_posts(self) -> frozenset[int]:
        """The `id`s of the changed posts: the lists hold the workspace's own Post objects (the site
        model copies none), so a list is checked without looking into the posts it lists."""
        every, changed = self.state.ws.posts, self.unchanged.files
        return frozenset(map(id, compress(every, map(changed.__contains__, map(attrgetter("rel"), every)))))


class Views:
    """Posts as the templates show them, made only for the pages that are rendered.

    A list page's inputs hold stand-ins for the posts it lists rather than their views. A view is
    made from the post file's bytes, its path and the settings (part of every key), so (path,
    source digest) changes whenever the view may; a brief's stand-in is its path, title and date
    from the index. Finding the few pages a publish changes then makes no view of the other 10,000
    posts. Pages hand over their data as a function, which the emitter calls at once or not at
    all (so closing over a loop's variables is safe).
    """

    def __init__(self, state: BuildState):
        self._state = state
        self._views: dict[str, dict] = {}
        self._briefs: dict[str, dict] = {}
        self._brief_inputs: dict[str, tuple] = {}

    def view(self, post: Post) -> dict:
        if post.rel not in self._views:
            source = self._state.sources.get(post.rel)
            self._views[post.rel] = self._view_of(post, source.extract.excerpt if source else "")
        return self._views[post.rel]

    def _view_of(self, post: Post, excerpt: str) -> dict:
        state = self._state
        return post_view(post, excerpt, state.settings.base, state.settings.config.words_per_minute, state.ws.tz,
                         state.model.tag_slug_of)

    def brief(self, post: Post) -> dict:
        """A post as a one-line entry (tag pages, archive): less data, fewer pages to redo on an
        edit. Nothing of it comes from rendering the post (no excerpt): briefs are made while the
        post pages render."""
        if post.rel not in self._briefs:
            brief = brief_view(post, self._state.settings.base, self._state.ws.tz)
            place = self.brief_inputs(post)[3]  # its series place, worked out once for both
            if place:
                brief.update(series_title=place[0], series_url=place[1], part=place[2])
            self._briefs[post.rel] = brief
        return self._briefs[post.rel]

    def series_place(self, post: Post) -> tuple[str, str, int] | None:
        """(series title, series URL, part) of a post in a series, for "Part 2 of The Night Bus
        Notebook" in one-line entries: the part its page shows (SiteSeries.post_context, asked
        only for a post without a `part:`, as it is the slower way)."""
        series = self._state.model.series
        found = series.position.get(post.rel)
        if found is None:
            return None
        key = found[0]
        return series.title(key), series.url(key), post.part or series.post_context(post)["series"]["part"]

    def inputs(self, post: Post) -> object:
        """What `view(post)` is made from: its path, source digest and its tags' page names (which
        other posts' tags can change); the view itself for a post whose page was not built, so no
        digest was taken."""
        source = self._state.sources.get(post.rel)
        if source is None:
            return self.view(post)
        if not post.tags:
            return post.rel, source.digest
        slug_of = self._state.model.tag_slug_of
        return post.rel, source.digest, [slug_of[tag] for tag in post.tags]

    def brief_inputs(self, post: Post) -> tuple:
        found = self._brief_inputs.get(post.rel)
        if found is None:  # asked once per tag and once for the archive
            found = self._brief_inputs[post.rel] = (post.rel, post.display_title, instant(post.date),
                                                    self.series_place(post))
        return found


class ListPage(NamedTuple):
    """One page of a list of posts split as `numbered_pages` splits it."""

    output: str
    number: int | None  # None: the front page
    posts: list[Post]  # newest first
    newer_url: str | None
    older_url: str | None


def numbered_pages(posts: list[Post], per: int, prefix: str, url: str) -> list[ListPage]:
    """`posts` (newest first) as pages: the front page `<prefix>index.html` (at `url`) shows the
    newest `per`, numbered pages `<prefix>page/<n>/index.html` all older ones, oldest first. The
    one rule of the home pages and of each tag's pages.

    Numbered from the oldest (Nikola's INDEXES_STATIC): `page/1/` holds the oldest posts and every
    numbered page is full but the newest, so a new post changes the front page, the newest numbered
    page and at most the page before it, not every page of the list (`pages_new_posts_leave`).
    Walking "older" from the front page visits every post once. A numbered page shows no page
    count, which would change every page.
    """
    last = list_page_count(len(posts), per)
    pages = [ListPage(f"{prefix}index.html", None, posts[:per], None, f"{url}page/{last}/" if last else None)]
    older = posts[per:][::-1]  # oldest first
    for n in range(1, last + 1):
        pages.append(ListPage(f"{prefix}page/{n}/index.html", n, older[(n - 1) * per : n * per][::-1],  # each page newest first
                              f"{url}page/{n + 1}/" if n < last else url, f"{url}page/{n - 1}/" if n > 1 else None))
    return pages


def pages_new_posts_leave(posts: list[Post], per: int, prefix: str, added: frozenset[str]) -> set[str]:
    """The numbered pages of `numbered_pages(posts, per, prefix, ...)` that the `added` post files
    leave as they were. Numbered from the oldest, page n lists the older posts at (n-1)·per to
    n·per, oldest first; the new posts go in at their dates, and the post a new one pushes off the
    front page goes in last: the posts before the first place where one went in are the ones there
    before. So a page of those, full before, lists and links what it did, unless it was the newest
    numbered page (its "newer" link changes when a new page opens)."""
    new = [at for at, post in enumerate(posts) if post.rel in added]  # a quiet draft is not there
    pages_before = list_page_count(len(posts) - len(new), per)
    first_moved = len(posts) - 1 - max([per, *new])  # in the older posts, oldest first
    return {f"{prefix}page/{n}/index.html" for n in range(1, pages_before) if n * per <= first_moved}


def _home_page_lists(state: BuildState) -> list[ListPage]:
    """The home page (the newest posts) and the numbered pages of all older ones (`numbered_pages`)."""
    return numbered_pages(state.model.posts, state.ws.config.posts_per_page, "", state.settings.base)


def _home_pages(emit: Emitter, views: Views, pages: list[ListPage], kept: set[str]) -> None:
    """The home and numbered pages (`_home_page_lists`) but those `kept` as the last build made them."""
    for output, number, listed, newer_url, older_url in pages:
        if output in kept:
            continue
        shown = {"page_title": f"Page {number}" if number else None, "page_number": number,
                 "newer_url": newer_url, "older_url": older_url}
        emit.page(output, "index.html", lambda: dict(shown, items=[views.view(p) for p in listed]),
                  inputs=dict(shown, items=[views.inputs(p) for p in listed]))


def list_page_count(posts: int, per: int) -> int:
    """How many numbered list pages there are beside the front page (which shows the newest `per`)."""
    return max(0, -(-(posts - per) // per))


def _never(*_args) -> bool:
    return False


TAG_PAGE_SIZE = 50
"""Posts on a tag's front page and on each of its numbered pages (`numbered_pages`, as the home
pages): a screenful or two of one-line entries, where one page listed every post of the tag. A
publish keys and renders the tag's front page and the one or two numbered pages the new post
moves, not every entry of the tag: in a publish at 10,000 posts into a tag on every post, the
index pages' declaring went from 83 to 38 ms of CPU and the rendering of the queued pages from
68 to 26 ms (medians of 7 runs, in turns with the one-page tags); into two tags of ~550 posts,
from 33 to 30 and 27 to 24 ms (10 runs)."""


def _tag_pages(emit: Emitter, state: BuildState, views: Views, keep: bool, retagged: set[str | None],
               added: frozenset[str]) -> list[str]:
    """Each tag's pages (`numbered_pages`: its newest TAG_PAGE_SIZE posts at `tags/<slug>/`, the
    older ones numbered from the oldest) and the index of tags; their URLs (the sitemap's).

    `keep`: the site's structure is as the last build left it (site/shape.py), so a page is kept as
    that build made it, without its key, unless the `added` posts join its tag (`retagged`; None:
    the index, whose counts they change) and move it (`pages_new_posts_leave`) or may change the
    tag's name (a tag of several spellings shows the one most of its posts use), or its file is
    not as that build left it."""
    base, per = state.settings.base, TAG_PAGE_SIZE
    paged = [(tag, url, numbered_pages(tag.posts, per, f"tags/{tag.slug}/", url))
             for tag in state.model.tags() for url in [tag_url(base, tag.slug)]]
    kept: set[str] = set()
    if keep:
        candidates = [] if None in retagged else ["tags/index.html"]
        for tag, _url, pages in paged:
            if tag.slug in retagged:
                if tag.spellings == 1:
                    candidates += sorted(pages_new_posts_leave(tag.posts, per, f"tags/{tag.slug}/", added))
            else:
                candidates += [page.output for page in pages]
        kept = set(candidates).difference(emit.not_kept_as_before(candidates))
    for tag, url, pages in paged:
        for page in pages:
            if page.output not in kept:
                _tag_page(emit, views, tag.name, len(tag.posts), page, url)
    if "tags/index.html" not in kept:
        listing = sorted(({"name": tag.name, "url": url, "count": len(tag.posts)} for tag, url, _pages in paged),
                         key=lambda t: (t["name"].casefold(), t["url"]))
        emit.page("tags/index.html", "tags.html", {"page_title": "Tags", "tags": listing})
    return [page.output.removesuffix("index.html") for _tag, _url, pages in paged for page in pages] + ["tags/"]


def _tag_page(emit: Emitter, views: Views, name: str, count: int, page: ListPage, url: str) -> None:
    """One page of a tag's (`_tag_pages`): the front page says how many posts the tag has, a
    numbered page does not (it would change every page of the tag with every post)."""
    title = f"Tagged “{name}”" if page.number is None else f"Tagged “{name}” · page {page.number}"
    shown = {"page_title": title, "page_number": page.number, "newer_url": page.newer_url, "older_url": page.older_url}
    tag = {"name": name, "url": url} if page.number else {"name": name, "url": url, "count": count}
    listed = page.posts
    emit.page(page.output, "tag.html", lambda: dict(shown, tag=dict(tag, items=[views.brief(p) for p in listed])),
              inputs=[shown, tag, [views.brief_inputs(p) for p in listed]])


def _archive(emit: Emitter, state: BuildState, views: Views, kept: Callable[[str], bool],
             new: list[Post] = ()) -> list[str]:
    """The newest year's posts by month at `archive/`, each earlier year at `archive/<year>/`.

    A new post changes only its year's page (the newest, but for a backdated one), not a page
    listing the whole blog (10,000 entries took ~0.1 s to render); the years' links change once a
    year. `kept(output)`: the page is kept as the last build made it; asked only of years without
    a `new` post, and of none when a year holds only new posts (a year the last build had not,
    which every page links).
    """
    base, tz = state.settings.base, state.ws.tz
    years = state.model.archive(tz)
    joined = set()  # the years new posts joined
    rels = {post.rel for post in new}
    for year in {archive_year(post.date, tz) for post in new if post.date}:
        shown_new = [post.rel in rels for month in years.get(year, []) for post in month.posts]
        if shown_new and all(shown_new):
            kept = _never  # a year the last build had not: every page links it
        elif any(shown_new):
            joined.add(year)
    newest = next(iter(years), None)
    paths = {year: "archive/" if year == newest else f"archive/{year}/" for year in years}
    links = [{"year": year, "url": base + path} for year, path in paths.items()]

    def shown(year: str | None) -> dict:
        months = [{"id": month.id, "label": month_label(month.year, month.month),
                   "items": [views.brief(p) for p in month.posts]} for month in years.get(year, [])]
        return {"page_title": "Archive" if year == newest else f"Archive {year}", "year": year, "years": links,
                "months": months}

    for year, path in (paths or {None: "archive/"}).items():
        if year not in joined and kept(f"{path}index.html"):
            continue
        emit.page(f"{path}index.html", "archive.html", lambda: shown(year),
                  inputs=[year, links, [(month.id, [views.brief_inputs(p) for p in month.posts])
                                        for month in years.get(year, [])]])
    return list(paths.values()) or ["archive/"]


def _shown_series(state: BuildState, key: str) -> dict:
    """What the series page and the series list show of a series itself."""
    series = state.model.series
    return {"key": key, "title": series.title(key), "description": series.description(key), "url": series.url(key),
            "feed_url": f"{series.url(key)}feed.xml", "count": series.count(key)}


def _series_lists(state: BuildState) -> list[tuple[str, list[Post], list[Post]]]:
    """Each series' key, its parts in order (its page) and its newest published ones (its feed)."""
    feeds = state.model.series_feeds
    return [(key, parts, feeds[key]) for key, parts in sorted(state.model.series.parts.items())]


def _series_pages(emit: Emitter, state: BuildState, views: Views, every: list[tuple[str, list[Post], list[Post]]],
                  kept: set[str]) -> None:
    """Each series' parts in order with what comes next, and its feed (`_series_lists`), but those
    `kept` as the last build made them."""
    config, series = state.ws.config, state.model.series
    for key, parts, public in every:
        page_kept = f"series/{key}/index.html" in kept
        feed_kept = f"series/{key}/feed.xml" in kept
        if page_kept and feed_kept:
            continue
        shown_series = _shown_series(state, key)
        promise = series.promise(parts[-1])
        coming = {"text": promise["text"]} if promise and not promise["kept_by"] else None
        numbered = [(p, p.part or i) for i, p in enumerate(parts, start=1)]
        # Parts not out yet: "Part 4 – coming 30 Nov 2026", without a link (model.series.coming_parts)
        shown = {"page_title": shown_series["title"], "series": shown_series, "coming": coming,
                 "coming_parts": series.coming(key)}
        if not page_kept:
            emit.page(f"series/{key}/index.html", "series.html",
                      lambda: dict(shown, parts=[dict(views.view(p), number=number) for p, number in numbered]),
                      inputs=dict(shown, parts=[(views.inputs(p), number) for p, number in numbered]))
        if not feed_kept:
            declare_feed(emit, state, f"series/{key}/feed.xml", f"{shown_series['title']} · {config.title}",
                         shown_series["description"], f"series/{key}/", public)


def _series_index(emit: Emitter, state: BuildState, views: Views, kept: Callable[[str], bool]) -> list[str]:
    """The list of series, each with its latest part; the series pages' URLs (for the sitemap)."""
    parts_of = state.model.series.parts
    if kept("series/index.html"):
        return [f"series/{key}/" for key in sorted(parts_of)] + ["series/"]
    listing = [(_shown_series(state, key), parts[-1]) for key, parts in sorted(parts_of.items())]
    emit.page("series/index.html", "series_index.html",
              lambda: {"page_title": "Series", "all_series": [dict(s, latest=views.brief(p)) for s, p in listing]},
              inputs=[(s, views.brief_inputs(p)) for s, p in listing])
    return [f"series/{key}/" for key in sorted(parts_of)] + ["series/"]


def _redirects(emit: Emitter, state: BuildState) -> None:
    """A page at each old URL of a renamed post (front matter `aliases`) sending readers on; never
    at a post's URL nor under one of the site's own names or static/'s (model/reserved.py), so a
    redirect never overwrites a page."""
    sources = state.sources
    if not any(map(attrgetter("extract.aliases"), sources.values())):
        return  # no post has any (one look at every post read, in C)
    taken, static = state.model.series.visible.keys(), static_names(state.ws.root)  # the visible posts' slugs
    for post in state.model.public:
        source = sources.get(post.rel)
        for alias in source.extract.aliases if source else []:
            output = alias_output(alias, taken, static)
            if output is None:
                emit.warn(f"{post.rel}: alias {alias!r} is not a free site path; no redirect made")
                continue
            emit.page(output, "redirect.html",
                      {"page_title": post.display_title, "target": url_for(post, state.settings.base),
                       "target_absolute": url_for(post, state.ws.config.base_url)})
