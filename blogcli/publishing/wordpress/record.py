"""The `wordpress:` line of a post's front matter: where the post is on WordPress, and what
blogcli last sent and saw there.

    wordpress: {id: 42, url: "https://example.org/2026/11/who-rides/", modified: "2026-11-30T15:09:01",
                digest: 3f2a…, source: 9c1e…, media: 17}

`id` and `url` say where it is; `modified` (WordPress's `modified_gmt`) and `digest` (of the title
and content as WordPress held them right after blogcli's last push) notice an edit made on
WordPress; `source` (a digest of what the author wrote: title, body, tags, date…) notices a local
change; `media` is the featured image. It lives in the post rather than in a state file under
.blog/ because it belongs to the post: it moves with every rename, unpublish and trash without
any other code knowing of it, it is in the author's backups and history, and a state file that is
not a cache would be one more file that must never be lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from blogcli.errors import FrontMatterError
from blogcli.model.post import Post
from blogcli.publishing.wordpress import content as wp
from blogcli.workspace.store import Workspace

RECORD_KEY = "wordpress"
WP_TIME = "%Y-%m-%dT%H:%M:%S"
EDIT = "edit"
POST_FIELDS = "id,slug,status,link,date_gmt,modified_gmt,title,content,categories,author,permalink_template,generated_slug"


@dataclass
class Record:
    id: int
    url: str | None = None
    modified: str | None = None
    digest: str | None = None
    source: str | None = None
    media: int | None = None

    @classmethod
    def of(cls, post: Post, site: str | None = None) -> "Record | None":
        """The record in a fully loaded post; FrontMatterError when it is there but unreadable.

        Without one, a post `blog import wordpress` brought in from `site` (the target's url)
        names its WordPress post in `source:`: that gives a record with nothing pushed yet, so
        publishing it asks for --force (the post is WordPress's own) instead of making a copy,
        and its comments can be pulled."""
        value = post.meta.get(RECORD_KEY)
        if value is None:
            if site is None:
                return None
            from blogcli.importers.wordpress import imported_post_id

            imported = imported_post_id(post.meta.get("source"), site)
            return cls(id=imported) if imported is not None else None
        line = post.doc.key_line(RECORD_KEY) if post.doc is not None else None
        if not isinstance(value, dict) or not isinstance(value.get("id"), int) or isinstance(value.get("id"), bool):
            raise FrontMatterError(
                f"{RECORD_KEY}: expected {{id: <number>, url: …}}, found {value!r}",
                path=post.rel,
                line=line,
                hint="blogcli writes this line when it publishes on WordPress; remove it to publish the post there as a new one",
            )
        media = value.get("media")
        return cls(
            id=value["id"],
            url=_text(value.get("url")),
            modified=_text(value.get("modified")),
            digest=_text(value.get("digest")),
            source=_text(value.get("source")),
            media=media if isinstance(media, int) and not isinstance(media, bool) else None,
        )

    def as_meta(self) -> dict:
        meta: dict[str, object] = {"id": self.id, "url": self.url, "modified": self.modified, "digest": self.digest, "source": self.source}
        if self.media:
            meta["media"] = self.media
        return {k: v for k, v in meta.items() if v is not None}

    def matches(self, remote: dict) -> bool:
        """Whether WordPress's copy is as blogcli left it (`modified_gmt` has one-second steps, so
        the digest of title and content also catches an edit made in the same second)."""
        return remote.get("modified_gmt") == self.modified and remote_digest_of(remote) == self.digest


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # a hand-edited, unquoted timestamp
        return value.strftime(WP_TIME)
    return str(value)


def remote_digest_of(remote: dict) -> str:
    return wp.remote_digest(raw(remote.get("title")), raw(remote.get("content")))


def raw(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("raw", value.get("rendered", "")) or "")
    return str(value or "")


def stamp(remote: dict, source: str | None, media: int | None, url: str | None = None) -> Record:
    return Record(
        id=remote["id"],
        url=url or public_url(remote),
        modified=remote.get("modified_gmt"),
        digest=remote_digest_of(remote),
        source=source,
        media=media,
    )


def public_url(remote: dict) -> str | None:
    """The post's address once readers can open it: WordPress gives a scheduled post a `?p=42`
    link, and the pretty one as `permalink_template` (`…/2026/12/%postname%/`)."""
    template = remote.get("permalink_template")
    slug = remote.get("slug") or remote.get("generated_slug")
    if remote.get("status") == "future" and isinstance(template, str) and slug:
        return template.replace("%postname%", slug).replace("%pagename%", slug)
    return remote.get("link")


def write_records(ws: Workspace, records: dict[str, Record]) -> None:
    """Set the record line of several posts in one transaction (only that line of each changes)."""
    if not records:
        return
    with ws.lock():
        tx = ws.transaction()
        for rel, record in records.items():
            doc = ws.load(rel).doc
            doc.set(RECORD_KEY, record.as_meta())
            tx.write(rel, doc.to_bytes())
        tx.commit()
        ws.refresh(list(records))
