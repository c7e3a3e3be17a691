"""`blog comments --pull`: readers' approved comments on WordPress, into the post's comments file.

Comments come from `GET /wp/v2/comments` (approved only, every kind, 100 a page, for up to 100
posts a request), asked with `_fields` naming what the comments file keeps, so WordPress never
even sends the commenters' e-mail or IP addresses. Each becomes a `model.comments.Comment` with
the id `wp-<id>` (the id the WordPress importer gives it, so an import then a pull never
duplicates), its parent as `wp-<parent>`, `by_author` when the post's author wrote it, and the
text the commenter typed (WordPress's raw form, the WXR's `comment_content`) converted to
Markdown by the importer's own `comment_to_markdown`, so both give a comment the same body. New
comments are merged into
`<post>.comments.yaml` (model.comments: an existing comment, even one edited by hand, is never
overwritten); every file that gains comments is written in one transaction, under the lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from blogcli.errors import BlogError, InvalidValue
from blogcli.model.comments import Comment, comments_rel, dump_comments, merge_comments, parse_comments
from blogcli.model.post import Post
from blogcli.publishing.wordpress.client import WordPressClient
from blogcli.publishing.wordpress.record import Record
from blogcli.publishing.wordpress.sync import connect
from blogcli.workspace.store import Workspace

ID_PREFIX = "wp-"
_FIELDS = "id,post,parent,author,author_name,author_url,date_gmt,content,type"
_KINDS = {"comment": "comment", "pingback": "pingback", "trackback": "trackback", "": "comment"}


@dataclass
class PulledPost:
    rel: str  # the post
    comments_rel: str  # its comments file
    fetched: int  # approved comments on WordPress
    added: int  # new in the file


@dataclass
class PullResult:
    posts: list[PulledPost] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # posts whose comments file could not be read

    @property
    def added(self) -> int:
        return sum(p.added for p in self.posts)


def pull_comments(ws: Workspace, ref: str | None = None, client: WordPressClient | None = None) -> PullResult:
    """Fetch the approved comments of one post (`ref`) or of every post published on WordPress."""
    own = client is None
    client = client or connect(ws)
    try:
        targets = _posts_on_wordpress(ws, ref, client.site)
        by_id = {record.id: post for post, record in targets}
        authors = _authors(client, list(by_id))
        fetched: dict[int, list[Comment]] = {post_id: [] for post_id in by_id}
        ids = list(by_id)
        for start in range(0, len(ids), 100):
            batch = ids[start : start + 100]
            params = {"post": ",".join(map(str, batch)), "status": "approve", "type": "all", "context": "edit",
                      "_fields": _FIELDS, "orderby": "id", "order": "asc"}
            for item in client.each("comments", **params):
                post_id = item.get("post")
                if post_id in fetched:
                    fetched[post_id].append(comment_from_wordpress(item, authors.get(post_id)))
        return _merge(ws, by_id, fetched)
    finally:
        if own:
            client.close()


def comment_from_wordpress(item: dict, post_author: int | None) -> Comment:
    """A REST comment as the comments file keeps it (no e-mail or IP: they are not even asked for)."""
    from blogcli.importers.wp_markup import comment_to_markdown
    from blogcli.render.html_text import html_to_text

    content = item.get("content")
    body = content.get("raw", content.get("rendered", "")) if isinstance(content, dict) else str(content or "")
    parent = item.get("parent") or 0
    date = None
    if item.get("date_gmt"):
        try:
            date = dt.datetime.fromisoformat(item["date_gmt"]).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            date = None
    author_id = item.get("author") or 0
    return Comment(
        id=f"{ID_PREFIX}{item['id']}",
        author=html_to_text(str(item.get("author_name") or "")) or "Anonymous",
        date=date,
        body=comment_to_markdown(str(body).replace("\r\n", "\n")) or "(empty)",
        parent=f"{ID_PREFIX}{parent}" if parent else None,
        author_url=str(item.get("author_url") or "").strip() or None,
        kind=_KINDS.get(str(item.get("type") or ""), "comment"),
        by_author=bool(author_id) and author_id == post_author,
    )


def _posts_on_wordpress(ws: Workspace, ref: str | None, site: str) -> list[tuple[Post, Record]]:
    posts = [ws.resolve(ref)] if ref else ws.posts
    found = []
    for post in posts:
        record = Record.of(ws.load(post.rel), site)
        if record is not None:
            found.append((post, record))
    if ref and not found:
        raise InvalidValue(f"{posts[0].rel} is not on WordPress (it has no wordpress: line)",
                           hint=f"blog publish {posts[0].slug} --to wordpress publishes it there")
    return found


def _authors(client: WordPressClient, ids: list[int]) -> dict[int, int]:
    """Each post's author on WordPress (whose comments are the blog author's replies)."""
    authors = {}
    for start in range(0, len(ids), 100):
        batch = ids[start : start + 100]
        for item in client.get("posts", include=",".join(map(str, batch)), status="any", context="edit", _fields="id,author", per_page=100):
            authors[item["id"]] = item.get("author")
    return authors


def _merge(ws: Workspace, posts: dict[int, Post], fetched: dict[int, list[Comment]]) -> PullResult:
    result = PullResult()
    with ws.lock():
        writes: dict[str, bytes] = {}
        for post_id, incoming in fetched.items():
            post = posts[post_id]
            current = ws.resolve(post.rel)  # the lock may have waited for a command that moved it
            rel = comments_rel(current.rel)
            path = ws.path_of(rel)
            try:
                existing = parse_comments(path.read_bytes(), rel, ws.tz) if path.exists() else []
            except (OSError, BlogError) as exc:
                result.skipped.append(f"{rel}: {getattr(exc, 'message', exc)}")
                continue
            merged, added = merge_comments(existing, incoming)
            result.posts.append(PulledPost(current.rel, rel, len(incoming), added))
            if added:
                writes[rel] = dump_comments(merged, ws.tz)
        if writes:
            tx = ws.transaction()
            for rel, data in writes.items():
                tx.write(rel, data)
            tx.commit()
    return result
