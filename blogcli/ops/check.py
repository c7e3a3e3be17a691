"""`blog check`: what would break or embarrass the site, found before a reader finds it.

Metadata comes from the index (no bodies), so checking 10,000 posts parses no YAML; bodies are
read (split, not parsed) only for the posts being checked, to follow their links and images.
Every problem points at `path:line` in the file: body lines are shifted by the header's length.

Errors block `blog publish` and make `blog check` exit 1; warnings only inform (TODO notes,
which are warnings in every post, also make `blog publish` ask for --force). Drafts are private,
so the rules that protect readers (empty body, links to drafts or to later posts) apply to posts
in published/ and to a draft as `blog publish` would file it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections import defaultdict

from blogcli.errors import BlogError, FileError
from blogcli.model.aliases import header_aliases
from blogcli.model.code_blocks import blank_code_spans, lines_outside_code
from blogcli.model.comments import SUFFIX as COMMENTS_SUFFIX
from blogcli.model.comments import is_comments_file, parse_comments
from blogcli.model.document import Document
from blogcli.model.links import find_links, linked_slug, static_path
from blogcli.model.pages import is_draft_page, missing_from_pages
from blogcli.model.post import DRAFTS, PAGES, PUBLISHED, Post, Problem
from blogcli.model.reserved import site_name_clash
from blogcli.model.series import SeriesCatalogue, is_out, published_gaps
from blogcli.ops.references import Renamed
from blogcli.site.output import STATIC_DIR, static_names
from blogcli.workspace.author_files import file_inside
from blogcli.workspace.config import CONFIG_NAME
from blogcli.workspace.store import Workspace

ERROR = "error"
WARNING = "warning"

_TODO = re.compile(r"\b(TODO|FIXME)\b")
_HUGO_SHORTCODE = re.compile(r"{{[<%]-?\s*/?\s*([\w./-]+).*?[>%]}}")
_LIQUID = re.compile(r"{%-?\s*(\w+).*?%}|{{(?![<%]).+?}}")
_SHORTCODE = re.compile(r"\[(/?)([a-z][a-z0-9_-]+)(\s[^\]\n]*|=[^\]\n]*)?/?\](?![(\[:])")
# WordPress's own and its most common plugins' shortcodes: flagged even with no attributes.
_KNOWN_SHORTCODES = {"caption", "wp_caption", "gallery", "audio", "video", "playlist", "embed", "youtube", "vimeo",
                     "soundcloud", "gist", "code", "sourcecode", "contact-form", "contact-form-7", "googlemaps",
                     "twitter", "instagram", "wpvideo", "archives", "latex", "spotify", "polldaddy", "recipe"}


class _Blog:
    """Lookups over every post, built once per check from the index."""

    def __init__(self, ws: Workspace, series: SeriesCatalogue | None = None):
        self.ws = ws
        self.now = ws.now()
        self.feed_ids: dict[str, list[tuple[str, int | None]]] = defaultdict(list)  # id → (path, line) of each post
        self.by_slug: dict[str, list[Post]] = defaultdict(list)
        self.static_names = static_names(ws.root)
        for post in ws.posts:
            self.by_slug[post.slug].append(post)
        self._series = series
        self.renamed = Renamed(ws)
        self.page_slugs = {page.slug for page in ws.pages}

    @property
    def series(self) -> SeriesCatalogue:
        """Every series: a pass over every post, made on the first question (checking a post in no
        series never asks)."""
        if self._series is None:
            self._series = SeriesCatalogue(self.ws.config.series, self.ws.posts)
        return self._series

    def posts_named(self, slug: str) -> tuple[list[Post], Post | None]:
        """The posts with this slug; else, by an old slug of one (its `aliases`), that post."""
        found = self.by_slug.get(slug)
        if found:
            return found, None
        renamed = self.renamed.post_for(slug)
        return ([renamed], renamed) if renamed is not None else ([], None)


def check_posts(ws: Workspace, ref: str | None = None) -> list[Problem]:
    """Problems of every post (and unreadable file), or of the one post `ref` names.

    A draft named by `ref` is checked as `blog publish` would check it now, so
    `blog check my-draft` answers "is it ready?". Part clashes always consider the whole series.
    """
    blog = _Blog(ws)
    if ref is None:
        problems = list(ws.unreadable)
        for post in ws.posts:
            problems += _check_post(blog, post, public=post.folder == PUBLISHED, when=post.date)
        problems += _shared_feed_ids(blog)
        problems += gap_warnings(blog)
        problems += promise_warnings(ws)
        problems += _check_pages(blog)
        problems += _check_comments_files(ws)
    else:
        post = ws.resolve(ref)
        public_at = post.date if post.folder == PUBLISHED else blog.now
        problems = _check_post(blog, post, public=True, when=public_at)
        problems += [p for p in gap_warnings(blog, post) if p.path == post.rel]
        problems += promise_warnings(ws, post)
    return sort_problems(problems)


def _check_pages(blog: _Blog) -> list[Problem]:
    """The pages of pages/ and the names of blog.toml's `[site] menu` that are no page."""
    ws = blog.ws
    problems = list(ws.unreadable_pages)
    for page in ws.pages:
        problems += _check_page(blog, page)
    for name in missing_from_pages(ws.pages, ws.config.menu):
        problems.append(Problem(CONFIG_NAME, None, "menu-not-a-page", f"[site] menu names {name!r}, which is no page "
                                f"(looked for pages/{name}.md)", WARNING))
    return problems


def _check_comments_files(ws: Workspace) -> list[Problem]:
    """Each comments file (`<slug>.comments.yaml`) that does not read (the site and preview then
    leave its comments out), or that belongs to no post or page."""
    problems = []
    for folder in (DRAFTS, PUBLISHED, PAGES):
        try:
            names = sorted(os.listdir(ws.root / folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in names:
            if not is_comments_file(name) or name.startswith("."):
                continue
            rel = f"{folder}/{name}"
            try:
                parse_comments(ws.path_of(rel).read_bytes(), rel, ws.tz)
            except FileError as exc:
                problems.append(Problem(rel, exc.line, exc.code, exc.detail, ERROR))
                continue
            except (BlogError, OSError) as exc:
                problems.append(Problem(rel, None, "unreadable", getattr(exc, "message", None) or str(exc), ERROR))
                continue
            post_name = name[: -len(COMMENTS_SUFFIX)] + ".md"
            if not (ws.root / folder / post_name).is_file():
                problems.append(Problem(rel, None, "orphan-comments", f"no post {folder}/{post_name} for these comments "
                                        "(rename the file after its post)", WARNING))
    return problems


def check_page(ws: Workspace, page: Post) -> list[Problem]:
    """One page's problems (`blog preview` shows them)."""
    return sort_problems(_check_page(_Blog(ws), page))


def _check_page(blog: _Blog, page: Post) -> list[Problem]:
    """A page's links, images, template tags and notes (not in a draft), its title, and a slug a
    post also has (the post keeps the address)."""
    problems = list(page.problems)
    doc = page.doc

    def add(code: str, message: str, line: int | None, severity: str = ERROR) -> None:
        problems.append(Problem(page.rel, line, code, message, severity))

    draft = is_draft_page(page)
    if not any(p.code == "front-matter" for p in page.problems) and not (page.title or "").strip():
        add("missing-title", "no title: add `title: …` to the front matter", doc.key_line("title") or 1)
    if page.slug in blog.by_slug:
        others = ", ".join(p.rel for p in blog.by_slug[page.slug])
        add("page-slug-taken", f"the slug {page.slug!r} is also {others}'s: the post keeps /{page.slug}/ and the page "
            "is left out of the site", None, WARNING)
    _check_links(blog, page, doc, not draft, None, add)
    if not draft:
        _check_notes(page, doc, add)
    _check_template_tags(doc, add)
    _check_shortcodes(doc, add)
    return problems


def check_publication(ws: Workspace, post: Post, when: dt.datetime, series: SeriesCatalogue | None = None) -> list[Problem]:
    """The checks `blog publish` runs: `post` as if it were on the site from `when`. `series`: the
    catalogue of `ws.posts` the caller already made (a pass over every post), else made here."""
    return sort_problems(_check_post(_Blog(ws, series), post, public=True, when=when))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.severity != ERROR, p.code))


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def _check_post(blog: _Blog, post: Post, *, public: bool, when: dt.datetime | None) -> list[Problem]:
    """One post's problems; `public` means readers will see it (published, scheduled, or about to be)."""
    problems = list(post.problems)
    try:
        doc = Document.from_bytes((blog.ws.root / post.rel).read_bytes(), post.rel)
    except FileError as exc:
        return problems + [Problem(post.rel, exc.line, exc.code, exc.detail, ERROR)]
    except OSError as exc:
        return problems + [Problem(post.rel, None, "unreadable", f"cannot read ({exc.strerror})", ERROR)]

    def add(code: str, message: str, line: int | None, severity: str = ERROR) -> None:
        problems.append(Problem(post.rel, line, code, message, severity))

    header_ok = not any(p.code == "front-matter" for p in post.problems)
    if header_ok and not (post.title or "").strip():
        add("missing-title", "no title: add `title: …` to the front matter", doc.key_line("title") or 1)
    if public and not post.has_body:
        add("empty-body", "the post has no text below its front matter", _body_offset(doc) + 1)
    _check_site_names(blog, post, doc, add)
    _check_series(blog, post, doc, add)
    if header_ok:
        _check_feed_id(blog, post, doc, add)
    _check_links(blog, post, doc, public, when, add)
    if len(blog.by_slug[post.slug]) > 1:
        others = ", ".join(p.rel for p in blog.by_slug[post.slug] if p.rel != post.rel)
        add("duplicate-slug", f"the slug {post.slug!r} is also used by {others}", None, WARNING)
    if post.fulfils:
        found, renamed = blog.posts_named(post.fulfils)
        if not found:
            add("unknown-promise", f"fulfils: no post has the slug {post.fulfils!r}", doc.key_line("fulfils"), WARNING)
        elif renamed is not None:
            add("renamed-target", f"fulfils: {post.fulfils!r} is an old slug of {renamed.rel}", doc.key_line("fulfils"), WARNING)
    _check_notes(post, doc, add)  # drafts too: `blog check` and `blog check REF` agree on them
    _check_template_tags(doc, add)
    _check_shortcodes(doc, add)
    _check_draft_flag(post, doc, add)
    return problems


def _body_offset(doc: Document) -> int:
    """How many file lines come before the body (fences and header)."""
    return 0 if doc.header is None else len(doc.header) + 2


def _check_site_names(blog: _Blog, post: Post, doc: Document, add) -> None:
    """A slug the site cannot give the post (the build leaves it out), and aliases it cannot redirect."""
    clash = site_name_clash(post.slug, blog.static_names)
    if clash:
        add("reserved-slug", f"the slug {clash}: the site leaves this post out; rename it (blog rename {post.slug} …)", None)
    for alias in header_aliases(doc):
        clash = site_name_clash(alias.split("/")[0], blog.static_names)
        if clash:
            add("reserved-alias", f"alias {alias!r}: {clash}; no redirect is made there", doc.key_line("aliases"), WARNING)


def _check_series(blog: _Blog, post: Post, doc: Document, add) -> None:
    series = blog.series.of(post) if post.series else None
    if series is None:
        return
    if post.part is None:
        if post.folder == PUBLISHED:
            add("missing-part", f"in the series {series.title!r} but has no part number", doc.key_line("series"), WARNING)
        return
    sharing = [p for p in blog.series.parts(series) if p.part == post.part]
    holder = _first_holder(sharing, blog.now)
    if len(sharing) > 1 and holder.rel != post.rel:
        add("part-taken", f"part {post.part} of {series.title!r} is already {holder.rel}", doc.key_line("part"))


def _first_holder(posts: list[Post], now: dt.datetime) -> Post:
    """Of the posts numbered alike, the one that keeps the number: out first, else made first.
    The others are the ones to renumber."""
    return min(posts, key=lambda p: (not is_out(p, now), p.date or p.created or now, p.rel))


def gap_warnings(blog: _Blog, post: Post | None = None) -> list[Problem]:
    """A warning at each part that is out while an earlier part is not (of `post`'s series only, when given)."""
    problems = []
    for series in [blog.series.of(post)] if post is not None else blog.series.all:
        if series is None:
            continue
        parts = blog.series.parts(series)
        missing = published_gaps(parts, blog.now)
        if not missing:
            continue
        for later in parts:
            before = [str(m) for m in missing if later.part and m.number < later.part]
            if before and is_out(later, blog.now):
                message = f"part {later.part} of {series.title!r} is out, but {', '.join(before)} {'is' if len(before) == 1 else 'are'} not"
                problems.append(Problem(later.rel, None, "series-gap", message, WARNING))
    return problems


# RFC 3986's URI (Appendix A): a scheme, then an authority and path, a query and a fragment made of
# its allowed characters and %XX escapes. An IRI (RFC 3987: what Atom's ids are) is checked as the
# URI it maps to, with each character beyond ASCII taken as percent-encoded.
_PCHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
_URI = (
    rf"[A-Za-z][A-Za-z0-9+.-]*:"
    rf"(?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{{2}})*@)?"
    rf"(?:\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[A-Za-z0-9._~!$&'()*+,;=:-]+)\]|(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{{2}})*)"
    rf"(?::[0-9]*)?(?:/{_PCHAR}*)*"
    rf"|/(?:{_PCHAR}+(?:/{_PCHAR}*)*)?|{_PCHAR}+(?:/{_PCHAR}*)*|)"
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
)
_ID_KEY = re.compile(r"^id\s*:", re.MULTILINE)


@functools.cache
def _uri() -> re.Pattern:
    """_URI compiled at its first use: ~1 ms that a publish of a post without an id never spends."""
    return re.compile(_URI)


def is_uri(text: str) -> bool:
    """Whether `text` is an absolute URI (RFC 3986) or an IRI (RFC 3987) such as `tag:…`, `urn:…`
    or `https://…`: what an Atom entry id must be."""
    return bool(_uri().fullmatch("".join(c if c.isascii() else "%00" for c in text)))


def _check_feed_id(blog: _Blog, post: Post, doc: Document, add) -> None:
    """Front matter `id:` (the post's permanent feed id, feeds.entry_id) must be a URI, and no
    other post's (the second part is reported by `_shared_feed_ids`)."""
    if doc.header is None or not _ID_KEY.search(doc.header_text):
        return
    try:
        value = doc.parse(post.rel).get("id")
    except FileError:
        return
    if value is None:
        return
    line = doc.key_line("id")
    text = value.strip() if isinstance(value, str) else ""
    if not is_uri(text):
        add("bad-feed-id", f"id: {value!r} is not a URI, which a feed entry's id must be "
            "(e.g. tag:example.org,2026-11-09:/my-post/ or urn:uuid:…)", line)
        return
    blog.feed_ids[text].append((post.rel, line))


def _shared_feed_ids(blog: _Blog) -> list[Problem]:
    problems = []
    for feed_id, holders in blog.feed_ids.items():
        for rel, line in holders if len(holders) > 1 else ():
            others = ", ".join(other for other, _ in holders if other != rel)
            problems.append(Problem(rel, line, "duplicate-feed-id", f"id: {feed_id!r} is also the id of {others}: "
                                    "feed readers would show one post in place of the other", ERROR))
    return problems


def _check_links(blog: _Blog, post: Post, doc: Document, public: bool, when: dt.datetime | None, add) -> None:
    offset = _body_offset(doc)
    for link in find_links(doc.body):
        line = link.line + offset
        if link.kind == "image":
            path = static_path(link.target)
            if path is not None and file_inside(blog.ws.root, f"{STATIC_DIR}/{path}") is None:
                there = os.path.lexists(blog.ws.root / STATIC_DIR / path)  # but not a file inside: not published
                add("missing-image", f"image {link.target!r} is not in {STATIC_DIR}/ (looked for {STATIC_DIR}/{path}"
                    + (": not a file inside the workspace, so the site does not publish it)" if there else ")"), line)
            continue
        slug = linked_slug(link.target)
        if slug is None:
            continue
        targets, renamed = blog.posts_named(slug)
        if not targets and slug in blog.page_slugs:
            continue  # a page: on the site at /<slug>/
        if not targets:
            add("broken-link", f"link to {link.target!r}: no post has the slug {slug!r}", line)
            continue
        if renamed is not None:
            add("renamed-target", f"link to {link.target!r}: {slug!r} is an old slug of {renamed.rel}", line, WARNING)
        if not public:
            continue
        shown = [p for p in targets if p.folder == PUBLISHED or p.rel == post.rel]
        if not shown:
            add("links-to-draft", f"link to {link.target!r}: {slug!r} is a draft, not on the site", line)
            continue
        target = shown[0]
        if when is not None and target.date is not None and target.date > when and target.date > blog.now:
            add(
                "links-to-later",
                f"link to {link.target!r}: {slug!r} is scheduled for {blog.ws.format_date(target.date)}, after this post",
                line,
            )


def _check_notes(post: Post, doc: Document, add) -> None:
    """TODO/FIXME notes left in the text a reader will see (code blocks excepted)."""
    if "TODO" not in doc.body and "FIXME" not in doc.body:
        return
    offset = _body_offset(doc)
    for number, text in lines_outside_code(doc.body):
        note = _TODO.search(text)
        if note:
            add("todo", f"a {note.group(1)} note is still in the text", number + offset, WARNING)


def _lines_outside_code(doc: Document):
    """(file line, text) of the body's lines outside code (model.code_blocks), code spans blanked."""
    offset = _body_offset(doc)
    for number, text in lines_outside_code(doc.body):
        yield number + offset, blank_code_spans(text)


def _check_template_tags(doc: Document, add) -> None:
    """Liquid (`{% link … %}`, `{{ site.url }}`) and Hugo shortcodes (`{{< youtube … >}}`) left in
    a copied-in post: Jekyll and Hugo ran them; the site would show them as they are."""
    if "{{" not in doc.body and "{%" not in doc.body:
        return
    for line, text in _lines_outside_code(doc):
        for match in _HUGO_SHORTCODE.finditer(text):
            add("template-tag", f"Hugo shortcode {match.group(0)!r} is shown as text on the site (blogcli does not run it)", line, WARNING)
        for match in _LIQUID.finditer(_HUGO_SHORTCODE.sub("", text)):
            add("template-tag", f"Liquid tag {match.group(0)!r} is shown as text on the site (blogcli does not run it)", line, WARNING)


def _check_shortcodes(doc: Document, add) -> None:
    """WordPress shortcodes (`[gallery ids="1,2"]`) that no importer turned into Markdown."""
    if "[" not in doc.body:
        return
    closed = set(re.findall(r"\[/([a-z][a-z0-9_-]+)\]", doc.body))
    for line, text in _lines_outside_code(doc):
        for match in _SHORTCODE.finditer(text):
            closing, name, attributes = match.groups()
            if closing or not (name in _KNOWN_SHORTCODES or name in closed or "=" in (attributes or "")):
                continue
            add("unconverted-shortcode", f"unconverted shortcode {match.group(0)!r} is shown as text on the site", line, WARNING)


def _check_draft_flag(post: Post, doc: Document, add) -> None:
    """`draft: true` (Hugo) or `published: false` (Jekyll) in published/: the folder decides here."""
    if post.folder != PUBLISHED or doc.header is None or not re.search(r"\b(?:draft|published)\b", doc.header_text):
        return
    try:
        meta = doc.parse(post.rel)
    except FileError:
        return
    if meta.get("draft") is True or meta.get("published") is False:
        key = "draft" if meta.get("draft") is True else "published"
        add("draft-flag", f"{key}: {str(meta[key]).lower()} does not keep it off the site: in blogcli the folder does "
            f"(`blog unpublish {post.slug}` moves it to drafts/)", doc.key_line(key), WARNING)


def promise_warnings(ws: Workspace, post: Post | None = None) -> list[Problem]:
    """A warning per promise that is owed and due (overdue, or late: planned but not out in time),
    and per promise kept out of order, at the promising sentence (of `post` only, when given)."""
    from blogcli.ops.promises import promise_ledger

    if post is not None and (not post.series or post.folder != PUBLISHED):
        return []  # only published and scheduled parts make promises
    where = {p.slug: p.rel for p in ws.posts}
    problems = []
    for promise in promise_ledger(ws, post.series if post is not None else None):
        if post is not None and promise.origin != post.slug:
            continue
        due = ws.format_date(promise.due)[:10] if promise.due else ""
        topic = f"{promise.text!r}" if promise.has_topic else f"a next part ({promise.sentence!r})"
        found = []
        if promise.status == "overdue":
            found.append(("overdue-promise", f"promised {topic} for {due}, and no part keeps it yet (blog series plan)"))
        elif promise.status == "late":
            found.append(("late-promise", f"promised {topic} for {due}; {promise.keeper_rel} keeps it but is not out yet"))
        if promise.out_of_order and promise.keeper_part and promise.expected_part:
            found.append((
                "promise-out-of-order",
                f"promised {topic} for the next part, but part {promise.keeper_part} keeps it, not part {promise.expected_part}",
            ))
        for code, message in found:
            problems.append(Problem(where.get(promise.origin, promise.origin), promise.line, code, message, WARNING))
    return problems
