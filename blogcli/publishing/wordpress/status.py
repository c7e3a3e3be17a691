"""`blog status --to wordpress` and `blog publish --pull`: how the two copies of each post compare."""

from __future__ import annotations

from dataclasses import dataclass

from blogcli.errors import InvalidValue
from blogcli.model.post import PUBLISHED, Post
from blogcli.publishing.wordpress.client import WordPressClient
from blogcli.publishing.wordpress.record import EDIT, POST_FIELDS, Record, public_url, raw
from blogcli.publishing.wordpress.sync import Session, connect, post_payload, source_of
from blogcli.workspace.store import Workspace

LOCAL_ONLY = "local only"
IN_SYNC = "in sync"
CHANGED_HERE = "changed locally"
CHANGED_THERE = "changed on WordPress"
CHANGED_BOTH = "changed on both"
MISSING = "not on WordPress"
NOT_PUSHED = "not pushed from here"  # linked by hand, or imported from the site: WordPress's copy is its own


@dataclass
class SyncState:
    rel: str
    title: str
    state: str
    id: int | None = None
    url: str | None = None
    remote_status: str | None = None  # publish, future, draft…
    remote_modified: str | None = None

    def as_dict(self) -> dict:
        return {
            "path": self.rel, "title": self.title, "state": self.state, "id": self.id, "url": self.url,
            "remote_status": self.remote_status, "remote_modified": self.remote_modified,
        }


def status(ws: Workspace, client: WordPressClient | None = None) -> list[SyncState]:
    """Each post that is out here or on WordPress, and how the two copies compare."""
    own = client is None
    client = client or connect(ws)
    try:
        now = ws.now()
        rows: list[tuple[Post, Record | None]] = []
        for post in sorted(ws.posts, key=lambda p: (p.date is None, p.date or now, p.rel)):
            full = ws.load(post.rel)
            record = Record.of(full, client.site)
            if record is None and post.folder != PUBLISHED:
                continue
            rows.append((full, record))
        remote = _remote_posts(client, [r.id for _, r in rows if r is not None])
        states = []
        for full, record in rows:
            if record is None:
                states.append(SyncState(full.rel, full.display_title, LOCAL_ONLY))
                continue
            there = remote.get(record.id)
            state = SyncState(full.rel, full.display_title, MISSING, record.id, record.url)
            if there is not None:
                state.url = public_url(there) or record.url
                state.remote_status = there.get("status")
                state.remote_modified = there.get("modified_gmt")
                changed_here = source_of(full, full.date, full.part) != record.source
                changed_there = not record.matches(there)
                state.state = NOT_PUSHED if record.modified is None else {
                    (False, False): IN_SYNC, (True, False): CHANGED_HERE, (False, True): CHANGED_THERE
                }.get((changed_here, changed_there), CHANGED_BOTH)
            states.append(state)
        return states
    finally:
        if own:
            client.close()


def _remote_posts(client: WordPressClient, ids: list[int]) -> dict[int, dict]:
    found = {}
    for start in range(0, len(ids), 100):
        batch = ids[start : start + 100]
        for item in client.get("posts", include=",".join(map(str, batch)), status="any", context=EDIT, _fields=POST_FIELDS, per_page=100):
            found[item["id"]] = item
    return found


@dataclass
class Difference:
    rel: str
    id: int
    url: str | None
    remote_modified: str | None
    diff: str  # unified diff, WordPress's copy → what blogcli would publish; empty when the same


def difference(ws: Workspace, ref: str, client: WordPressClient | None = None) -> Difference:
    """What `blog publish REF --to wordpress` would change in WordPress's copy (nothing is uploaded)."""
    import difflib

    own = client is None
    client = client or connect(ws)
    try:
        post = ws.resolve(ref)
        full = ws.load(post.rel)
        record = Record.of(full, client.site)
        if record is None:
            raise InvalidValue(f"{post.rel} is not on WordPress (it has no wordpress: line)", hint=f"blog publish {post.slug} --to wordpress")
        remote = client.get(f"posts/{record.id}", context=EDIT, _fields=POST_FIELDS)
        session = Session(ws, client, writes=False)
        status_now = "future" if full.date and full.date > ws.now() else "publish"
        payload, _, _ = post_payload(session, full, None, status_now, full.date, {}, remote)
        theirs = [f"title: {raw(remote.get('title'))}\n", "\n", *_lines(raw(remote.get("content")))]
        ours = [f"title: {payload['title']}\n", "\n", *_lines(str(payload["content"]))]
        diff = "".join(difflib.unified_diff(
            theirs, ours, fromfile=f"WordPress post {record.id} ({remote.get('modified_gmt', '?')} UTC)", tofile=f"{post.rel} (as it would be published)"
        ))
        return Difference(post.rel, record.id, remote.get("link"), remote.get("modified_gmt"), diff)
    finally:
        if own:
            client.close()


def _lines(text: str) -> list[str]:
    return [line + "\n" for line in text.split("\n")]
