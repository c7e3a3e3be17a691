"""Post pages: one per post, rendered in the worker processes (or here, for a small build).

A task carries the post as the index read it: the worker reads the file, takes its digest, and
renders only when the page's key (settings, digest, what the page shows of other posts) changed
or the page file is not as the last build left it. It also hands back what other pages need of
the post (`PostExtract`), and keeps a feed entry's body HTML for the feeds (`feeds.keep_bodies`).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from blogcli.errors import BlogError
from blogcli.model.aliases import alias_list
from blogcli.model.dates import zone
from blogcli.model.document import Document
from blogcli.model.excerpt import before_more
from blogcli.model.post import Post
from blogcli.render.html_text import html_to_text
from blogcli.site.comments import comments_view, read_comments  # here, not in render_post: ~1 µs a page each
from blogcli.site.feeds import body_key, entry_id, keep_bodies
from blogcli.site.manifest import OutputEntry, PostExtract, SourceEntry, digest_of, key_of, unchanged_since
from blogcli.site.output import write_if_changed
from blogcli.site.settings import BuildSettings
from blogcli.site.theme import environment, render_page
from blogcli.site.urls import canonical_url
from blogcli.site.views import blog_posting, card_image, excerpt, json_ld_html, post_view

CHANGED_SINCE_READ = ""  # the digest of a file that changed after its post was read: equal to no file's
_EXTRA_KEYS = re.compile(r"\b(?:id|aliases|image)\b")  # header keys a post page needs that the index does not keep


class PostTask(NamedTuple):
    post: Post  # as the index read it (typed fields, word count; no body)
    output: str  # its page's path in the output folder (urls.post_output)
    context: dict  # what the page shows of other posts: its series, what it promised, its tags' pages (model.post_context)
    stat: tuple[int, int]  # the file's size and mtime_ns, taken once per build
    old_source: SourceEntry | None  # the last build's manifest entries
    old_output: OutputEntry | None
    keep_body: bool  # a feed lists the post: keep its body's HTML for the feeds (feeds.keep_bodies)


class PostResult(NamedTuple):
    rel: str
    output: str
    source: SourceEntry
    entry: OutputEntry
    wrote: bool  # the page file's bytes changed
    rendered: bool  # the page was rendered (its key changed or its file did)


def post_key(settings: BuildSettings, digest: str, context: dict) -> str:
    """The key of a post page: the settings, the post file's digest, what it shows of other posts."""
    return key_of(settings.key, "post", digest, context)


def prepare_worker(settings: BuildSettings) -> None:
    """A worker's start: import and compile what rendering needs before the first task comes."""
    from blogcli.render.markdown import markdown_to_html, pygments_css

    markdown_to_html("", settings.config.markdown_engine)
    pygments_css()
    try:
        environment(settings.template_dirs, settings.key).get_template("post.html")
    except Exception:  # noqa: BLE001 - a broken template is reported by the render that needs it
        pass


def read_post_files(settings: BuildSettings, files: list[tuple[str, str]]) -> list[tuple[str, object]]:
    """A pool job (see site/pool.py) for a first scan: `(rel, fields or Problem)` of each file
    (workspace.index.read_fields)."""
    from blogcli.workspace.index import read_fields

    return list(zip((rel for rel, _path in files), read_fields(files, zone(settings.config.timezone))))


def render_posts(settings: BuildSettings, tasks: list[PostTask]) -> list[PostResult]:
    """A pool job: the posts' pages, and the bodies the feeds need kept in one transaction."""
    bodies: list[tuple[str, str, str]] = []
    results = [render_post(settings, task, bodies) for task in tasks]
    keep_bodies(settings, bodies)
    return results


def render_post(settings: BuildSettings, task: PostTask, bodies: list[tuple[str, str, str]] | None = None) -> PostResult:
    """Read one post file, render its page if its key changed, write it if its bytes changed.
    The body HTML a feed needs goes to `bodies` (`feeds.keep_bodies`), or is kept at once.

    The file is only split, and its header parsed again only for the keys the index does not keep.
    """
    rel = task.post.rel
    with open(os.path.join(settings.root, rel), "rb") as handle:
        st = os.fstat(handle.fileno())
        data = handle.read()
    # A file changed since the scan its post came from: the page and the lists would mix that
    # post's fields with these bytes. The build's catch-up pass sees the change and makes them again.
    digest = digest_of(data) if (st.st_size, st.st_mtime_ns) == task.stat else CHANGED_SINCE_READ
    key = post_key(settings, digest, task.context)
    target = Path(settings.out, task.output)
    old_source, old_output = task.old_source, task.old_output
    known = old_source.extract if old_source and old_source.digest == digest != CHANGED_SINCE_READ else None
    if known is not None and old_output and old_output.key == key and unchanged_since(target, old_output):
        return PostResult(rel, task.output, SourceEntry(*task.stat, digest, known), old_output, False, False)
    tz = zone(settings.config.timezone)
    doc = Document.from_bytes(data, rel)
    post = replace(task.post, doc=doc, meta=_header_keys(doc, rel))
    body_html = settings.body_html(post.body)
    context = task.context
    extract = PostExtract(entry_id(post, settings.config), alias_list(post.meta.get("aliases")), _excerpt(post, body_html, settings))
    view = post_view(post, extract.excerpt, settings.base, settings.config.words_per_minute, tz, context.get("tags", {}))
    view["html"] = body_html
    canonical = canonical_url(settings.config.base_url, task.output)
    view["image"] = card_image(post.meta.get("image"), settings.base, settings.config.base_url)
    view["json_ld"] = blog_posting(view, settings.site, canonical, context.get("series"))
    view["json_ld_html"] = json_ld_html(view["json_ld"])
    comments = comments_view(read_comments(settings.root, rel), rel, tz) if context.get("comments") else None
    page = render_page(settings.template_dirs, "post.html", build_key=settings.key, site=settings.site, post=view,
                       series=context.get("series"), teaser=context.get("teaser"), comments=comments,
                       page_title=view["title"], canonical=canonical, description=view["summary"])
    wrote, st = write_if_changed(target, page)
    if task.keep_body and digest != CHANGED_SINCE_READ:
        body = (rel, body_key(settings, digest), body_html)
        if bodies is None:
            keep_bodies(settings, [body])
        else:
            bodies.append(body)
    return PostResult(rel, task.output, SourceEntry(*task.stat, digest, extract), OutputEntry(key, st.st_size, st.st_mtime_ns),
                      wrote, True)


def _excerpt(post: Post, body_html: str, settings: BuildSettings) -> str:
    """What lists and feeds show of a post without `summary:`: its text before `<!--more-->`
    (model/excerpt.py), else the start of its first paragraph (views.excerpt)."""
    teaser = before_more(post.body)
    if teaser is None:
        return excerpt(body_html)
    return html_to_text(settings.body_html(teaser))


def _header_keys(doc: Document, rel: str) -> dict:
    """The header, parsed only when it may hold a key the index does not keep (`id`, `aliases`):
    few headers do, and parsing every header a second time was ~8 % of a full build."""
    if doc.header is None or not _EXTRA_KEYS.search(doc.header_text):
        return {}
    try:
        return doc.parse(rel)
    except BlogError:  # the index has flagged it; the page still shows the body
        return {}


