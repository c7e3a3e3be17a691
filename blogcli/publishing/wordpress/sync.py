"""Publishing on WordPress: publish, unpublish, and the series boxes of the other parts.

The post's `wordpress:` front-matter line (record.py) says where it is there and what blogcli last
sent and saw; status.py compares the two copies.

Order of a publish, and why a failure anywhere is safe to run again:
1. Connect: find the API, check the password (nothing has changed yet).
2. Check the post as `blog publish` would (a dry run: nothing changes), and whether the WordPress
   copy was edited there since the last push (refused unless `force`).
3. Upload what WordPress lacks (the featured image, images in the body: found again by a digest of
   their bytes, so never uploaded twice), get or create the tags and the series' category.
4. Create or update the post. A post without a record is first looked for by its marker (see
   content.py), so a publish that died after WordPress made the post updates it the next time.
5. Publish locally (move to published/, stamp the date, build the site) with the record, in one
   write. A failure here leaves the WordPress post in place; running the command again finds it.
6. Update the series boxes of the other parts (only the box regions of their content).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from blogcli.errors import BlogError, FrontMatterError, InvalidValue, RemoteChanged, RemoteError, UnsafePath
from blogcli.model.post import DRAFTS, PUBLISHED, Post
from blogcli.publishing.wordpress import content as wp
from blogcli.publishing.wordpress.client import WordPressClient
from blogcli.publishing.wordpress.record import EDIT, POST_FIELDS, RECORD_KEY, WP_TIME, Record, public_url, raw, stamp, write_records
from blogcli.publishing.wordpress.series import SeriesPlace, published_copy, series_members, series_place
from blogcli.workspace.store import Workspace

IMAGE_KEY = "image"
STATIC = "static"


# -- what a command did ------------------------------------------------------------------------


@dataclass
class BoxUpdates:
    updated: list[str] = field(default_factory=list)  # parts whose series box changed on WordPress
    skipped: list[str] = field(default_factory=list)  # why some could not be (edited on WordPress)


@dataclass
class WordPressPublish:
    rel: str
    id: int | None
    url: str | None
    status: str  # WordPress's: publish or future
    created: bool
    local: object | None = None  # ops.publish.PublishResult, when the post was published here now
    dry_run: bool = False
    slug_given: str | None = None  # the slug WordPress chose instead of the post's (taken there)
    uploaded: list[str] = field(default_factory=list)  # static/ files uploaded
    warnings: list[str] = field(default_factory=list)
    boxes: BoxUpdates = field(default_factory=BoxUpdates)


@dataclass
class WordPressUnpublish:
    rel: str
    id: int | None
    local: object | None = None  # ops.publish.UnpublishResult, when it moved back to drafts/ now
    warnings: list[str] = field(default_factory=list)
    boxes: BoxUpdates = field(default_factory=BoxUpdates)


# -- one command's dealings with WordPress -----------------------------------------------------


class Session:
    """What one command learns from WordPress (terms, media, records), asked once each."""

    def __init__(self, ws: Workspace, client: WordPressClient, writes: bool = True):
        self.ws = ws
        self.client = client
        self.writes = writes  # False: look, never create or upload (a dry run, a difference)
        self.terms: dict[tuple[str, str], dict] = {}
        self.media: dict[str, dict | None] = {}
        self.records: dict[str, Record | None] = {}
        self.uploaded: list[str] = []
        self.refused: dict[str, str] = {}  # static/ path → why WordPress would not take it
        self.warnings: list[str] = []

    # records of other posts (links, series parts)

    def record(self, post: Post) -> Record | None:
        if post.rel not in self.records:
            try:
                self.records[post.rel] = Record.of(self.ws.load(post.rel), self.client.site)
            except BlogError:
                self.records[post.rel] = None
        return self.records[post.rel]

    def post_url(self, slug: str) -> str | None:
        """A published post's WordPress address (drafts have none a reader could open)."""
        now = self.ws.now()
        for post in self.ws.posts:
            if post.slug == slug and post.folder == PUBLISHED and post.status(now) == "published":
                record = self.record(post)
                return record.url if record else None
        return None

    # terms

    def term(self, taxonomy: str, name: str, slug: str | None = None) -> dict:
        """Get or create a tag or category: WordPress answers `term_exists` with the existing id."""
        key = (taxonomy, name.casefold())
        if key not in self.terms and not self.writes:
            found = [t for t in self.client.get(taxonomy, search=name, per_page=100) if str(t.get("name", "")).casefold() == key[1]]
            self.terms[key] = found[0] if found else {"id": None, "link": None}
        if key not in self.terms:
            data = {"name": name, **({"slug": slug} if slug else {})}
            try:
                self.terms[key] = self.client.post(taxonomy, data)
            except RemoteError as exc:
                term_id = (exc.remote_data or {}).get("term_id") if exc.remote_code == "term_exists" else None
                if term_id is None:
                    raise
                self.terms[key] = self.client.get(f"{taxonomy}/{int(term_id)}")
        return self.terms[key]

    def category(self, place: SeriesPlace) -> dict:
        return self.term("categories", place.title, place.key)

    # media

    def media_for(self, path: str, alt: str = "") -> dict | None:
        """The static/ file in WordPress's media library: found by the digest of its bytes, else
        uploaded (with that digest in its description, so it is found the next time)."""
        source = self._static_file(path)
        data = source.read_bytes()
        token = wp.media_token(data)
        if token in self.media:
            return self.media[token]
        found = [m for m in self.client.get("media", search=token, context=EDIT, per_page=10)
                 if token in raw(m.get("description"))]
        if found:
            self.media[token] = min(found, key=lambda m: m["id"])
        elif not self.writes:
            self.media[token] = None
        else:
            self.media[token] = self._upload(path, source.name, data, token, alt)
        return self.media[token]

    def media_url(self, path: str) -> str | None:
        try:
            media = self.media_for(path)
        except FileNotFoundError:
            return None
        return media.get("source_url") if media else None

    def _static_file(self, path: str):
        rel = f"{STATIC}/{path}"
        file = self.ws.path_of(rel)  # UnsafePath for a symlink out of the workspace
        if not file.is_file():
            raise FileNotFoundError(rel)
        return file

    def _upload(self, path: str, name: str, data: bytes, token: str, alt: str) -> dict | None:
        import mimetypes

        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        fields = {"description": wp.marker(token), "alt_text": alt, "title": name.rsplit(".", 1)[0]}
        try:
            reply = self.client.request("POST", "media", files={"file": (name, data, mime)}, data=fields)
        except RemoteError as exc:
            if exc.remote_code not in ("rest_upload_sideload_error", "rest_upload_unknown_error", "rest_upload_file_too_big"):
                raise
            self.refused[path] = exc.remote_message or exc.remote_code or "refused"
            return None
        self.uploaded.append(f"{STATIC}/{path}")
        return reply.data


def connect(ws: Workspace, transport=None) -> WordPressClient:
    """A client for the blog's `[publish.wordpress]`, connected (API found, password checked)."""
    from blogcli.publishing.wordpress.client import open_client
    from blogcli.publishing.wordpress.target import wordpress_target

    return open_client(wordpress_target(ws.config), transport=transport)


# -- publish -----------------------------------------------------------------------------------


def publish(
    ws: Workspace,
    ref: str,
    *,
    date: str | None = None,
    at: str | None = None,
    force: bool = False,
    plan_next: bool = False,
    plan_title: str | None = None,
    dry_run: bool = False,
    rebuild_site: bool = True,
    progress=None,
    client: WordPressClient | None = None,
) -> WordPressPublish:
    """Publish `ref` here (as `blog publish` does) and on WordPress, or update it there.

    A draft is published here too; a post already out here is only brought up to date on
    WordPress (or, with `date`/`at`, rescheduled as `blog publish` would). `force` publishes despite
    the checks' errors and overwrites an edit made on WordPress. The workspace lock is held
    throughout, network calls included (each bounded by the target's timeout).
    """
    own = client is None
    client = client or connect(ws)
    try:
        # two publishes of one new post at once would each make it on WordPress
        with _site_lock(ws, rebuild_site and not dry_run), ws.lock():
            return _publish(ws, ref, client, date, at, force, plan_next, plan_title, dry_run, rebuild_site, progress)
    finally:
        if own:
            client.close()


def _publish(ws: Workspace, ref: str, client: WordPressClient, date: str | None, at: str | None, force: bool,
             plan_next: bool, plan_title: str | None, dry_run: bool, rebuild_site: bool, progress) -> WordPressPublish:
    from blogcli.ops.publish import publish as publish_here

    post = ws.resolve(ref)
    here = post.folder == DRAFTS or date is not None or at is not None
    changes: dict[str, object] = {}
    when = post.date
    plan = None
    if here:
        plan = publish_here(ws, post.rel, date=date, at=at, dry_run=True, force=force, plan_next=plan_next, plan_title=plan_title)
        when, changes = plan.date, plan.changes
    full = ws.load(post.rel)
    record = Record.of(full, client.site)
    now = ws.now()
    status = "future" if when is not None and when > now else "publish"
    _guard_future(client, status, when, post)
    existing = _existing(client, full, record, _token(full, changes), force)
    session = Session(ws, client, writes=not dry_run)
    stand_in = published_copy(full, when, changes.get("part")) if here else None
    payload, source, media = post_payload(session, full, stand_in, status, when, changes, existing)
    result = WordPressPublish(
        rel=f"{PUBLISHED}/{post.slug}.md", id=existing["id"] if existing else None, url=record.url if record and existing else None,
        status=status, created=existing is None, dry_run=dry_run, warnings=session.warnings,
    )
    if dry_run:
        result.local = plan
        return result
    route = f"posts/{existing['id']}" if existing else "posts"
    remote = client.post(route, payload, context=EDIT)
    result.id, result.url, result.uploaded = remote["id"], public_url(remote), session.uploaded
    if remote.get("slug") and remote["slug"] != post.slug:
        result.slug_given = remote["slug"]
    if status == "future" and remote.get("status") == "publish":
        result.warnings.append("WordPress published it at once: its clock is past the scheduled time")
    result.status = remote.get("status", status)
    stamped = stamp(remote, source, media)
    try:
        if here:
            result.local = publish_here(
                ws, post.rel, date=when.isoformat() if when else None, force=force, plan_next=plan_next, plan_title=plan_title,
                progress=progress, extra={RECORD_KEY: stamped.as_meta()}, rebuild_site=rebuild_site,
            )
        else:
            write_records(ws, {post.rel: stamped})
    except BlogError as exc:
        raise BlogError(
            f"WordPress has {post.rel} (post {remote['id']}, {remote.get('link')}), but publishing it here failed: {exc.message}",
            hint=(exc.hint + "; then " if exc.hint else "") + "run the same command again: it updates that same WordPress post",
        ) from None
    result.boxes = refresh_series(ws, ws.resolve(result.rel), client, force=force, session=session)
    return result


def _token(full: Post, changes: dict) -> str:
    identity = changes.get("id") or full.meta.get("id") or full.slug
    return wp.post_token(str(identity))


def _guard_future(client: WordPressClient, status: str, when: dt.datetime | None, post: Post) -> None:
    """WordPress publishes a `future` post whose date has passed at once: refuse to schedule a time
    its own clock (the Date of its last answer) has already reached."""
    if status != "future" or when is None or client.server_now is None:
        return
    if when <= client.server_now:
        raise InvalidValue(
            f"{post.rel}: WordPress's clock already reads {client.server_now:%Y-%m-%d %H:%M:%S} UTC, "
            f"past {when.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC: it would publish the post at once",
            hint="schedule it later (--at), or publish it now without --at; check the clocks of this machine and the site",
        )


def _existing(client: WordPressClient, full: Post, record: Record | None, token: str, force: bool) -> dict | None:
    """WordPress's copy of the post: by its record (refusing to overwrite an edit made there unless
    `force`), else by its marker (a publish that failed after WordPress made it), else None."""
    if record is not None:
        try:
            remote = client.get(f"posts/{record.id}", context=EDIT, _fields=POST_FIELDS)
        except RemoteError as exc:
            if exc.remote_code != "rest_post_invalid_id":
                raise
            if not force:
                raise RemoteError(
                    f"{full.rel}: WordPress post {record.id} ({record.url}) no longer exists",
                    hint=f"pass --force to publish it there as a new post (its {RECORD_KEY}: line is then replaced)",
                ) from None
            return None
        if remote.get("status") == "trash" and not force:
            raise RemoteChanged(
                f"{full.rel}: WordPress post {record.id} is in WordPress's trash",
                hint="restore it there, or pass --force to publish it again (out of the trash)",
            )
        if not record.matches(remote) and not force:
            raise _changed_there(full, record, remote)
        return remote
    for candidate in client.get("posts", search=token, status="any", context=EDIT, _fields=POST_FIELDS, per_page=10):
        if wp.has_marker(raw(candidate.get("content")), token):
            return candidate
    return None


def _changed_there(post: Post, record: Record, remote: dict) -> RemoteChanged:
    if record.modified is None:  # linked by hand or imported from the site: nothing pushed yet
        return RemoteChanged(
            f"{post.rel} names WordPress post {remote['id']}, which blogcli has not published there yet",
            hint=f"see the difference: blog publish {post.slug} --pull; replace WordPress's copy with this one: --force",
        )
    return RemoteChanged(
        f"{post.rel} was changed on WordPress at {remote.get('modified_gmt', '?').replace('T', ' ')} UTC, "
        f"after it was last published from here (post {remote['id']})",
        hint=f"see the difference: blog publish {post.slug} --pull; keep your version anyway: --force",
    )


def post_payload(session: Session, full: Post, stand_in: Post | None, status: str, when: dt.datetime | None,
             changes: dict, existing: dict | None) -> tuple[dict, str, int | None]:
    """The fields WordPress gets, the digest of the source they came from, the featured image id."""
    ws = session.ws
    featured = _featured_image(session, full)
    rendered = wp.render_body(full.body, ws.config.markdown_engine, session.post_url, session.media_url, ws.config.base_url)
    for slug in rendered.unlinked_posts:
        session.warnings.append(f"it links to {slug}, which is not on WordPress: that link points at the site ({ws.config.base_url})")
    for path in rendered.local_images:
        why = session.refused.get(path) or ("missing from static/" if session.writes else "not uploaded yet")
        session.warnings.append(f"{STATIC}/{path} is not in WordPress's media library ({why}): the post shows the site's copy")
    place = series_place(ws, full, as_published=stand_in) if (stand_in or full).series else None
    category = session.category(place) if place else None
    regions = wp.series_regions(_box(session, place, full, category) if place else None)
    title = full.display_title
    part = changes.get("part", full.part)
    payload: dict[str, object] = {
        "title": title,
        "content": wp.assemble(rendered.html, regions, _token(full, changes)),
        "excerpt": full.summary or "",
        "slug": full.slug,
        "status": status,
        "tags": [session.term("tags", tag)["id"] for tag in dict.fromkeys(full.tags)],
        "featured_media": featured or 0,
    }
    if when is not None:
        payload["date_gmt"] = when.astimezone(dt.timezone.utc).strftime(WP_TIME)
    if category is not None:
        kept = [c for c in (existing or {}).get("categories", []) if isinstance(c, int)]
        payload["categories"] = list(dict.fromkeys([*kept, category["id"]]))
    source = source_of(full, when, part)
    return payload, source, featured


def source_of(full: Post, when: dt.datetime | None, part: int | None) -> str:
    """The digest of what the author wrote that WordPress shows (status notices its change)."""
    return wp.source_digest(
        full.display_title, full.body, full.summary, list(full.tags), full.series, part,
        when.replace(microsecond=0).astimezone(dt.timezone.utc).isoformat() if when else None, full.meta.get(IMAGE_KEY),
    )


def _featured_image(session: Session, full: Post) -> int | None:
    """The media id of front matter `image:` (a file under static/), uploaded once."""
    from blogcli.model.links import static_path

    value = full.meta.get(IMAGE_KEY)
    if value in (None, ""):
        return None
    line = full.doc.key_line(IMAGE_KEY) if full.doc else None
    path = static_path(value) if isinstance(value, str) else None
    if path is None:
        raise FrontMatterError(f"{IMAGE_KEY}: expected a file under {STATIC}/, found {value!r}", path=full.rel, line=line)
    try:
        media = session.media_for(path, alt=full.display_title)
    except FileNotFoundError:
        raise FrontMatterError(f"{IMAGE_KEY}: {STATIC}/{path} does not exist", path=full.rel, line=line,
                               hint=f"put the image in {STATIC}/ or fix the path") from None
    except UnsafePath as exc:
        raise FrontMatterError(f"{IMAGE_KEY}: {exc.message}", path=full.rel, line=line) from None
    if media is None and path in session.refused:
        session.warnings.append(f"{STATIC}/{path}: WordPress refused it ({session.refused[path]}): the post has no featured image")
    return media["id"] if media else None


def _box(session: Session, place: SeriesPlace, current: Post, category: dict | None) -> wp.SeriesBox:
    """The series box of `current`: parts linked where readers can open them on WordPress."""
    now = session.ws.now()
    tz = session.ws.tz

    def address(post: Post) -> str | None:
        if post.status(now) != "published" or post.rel == current.rel:
            return None
        record = session.record(post)
        return record.url if record else None

    parts = []
    for number, post in enumerate(place.parts, start=1):
        coming = None
        if post.status(now) == "scheduled" and post.date is not None:
            local = post.date.astimezone(tz)
            coming = f"{local.day} {local:%B %Y}"
        parts.append(wp.BoxPart(post.part or number, post.display_title, address(post), current=post.rel == current.rel, coming=coming))
    keeper_url = address(place.keeper) if place.keeper is not None else None
    latest = bool(place.parts) and place.parts[-1].rel == current.rel
    return wp.SeriesBox(
        title=place.title,
        url=(category or {}).get("link"),
        number=place.number,
        count=place.count,
        parts=parts,
        teaser=place.teaser if keeper_url or latest else None,  # as the site: coming next on the latest part, else once kept
        teaser_title=place.keeper.display_title if keeper_url else None,
        teaser_url=keeper_url,
    )


# -- the other parts' boxes --------------------------------------------------------------------


def refresh_series(ws: Workspace, post: Post, client: WordPressClient, *, force: bool = False,
                   session: Session | None = None) -> BoxUpdates:
    """Bring the series box of every part on WordPress up to date (after `post` was published or
    unpublished): only the box regions of their content change, and a part edited on WordPress
    since blogcli's last push is left alone and reported, unless `force`."""
    updates = BoxUpdates()
    session = session or Session(ws, client, writes=False)
    session.records.clear()  # the files changed since: read the records again
    parts = []
    for part in series_members(ws, post):
        record = session.record(part)
        if record is not None:
            parts.append((part, record))
    if not parts:
        return updates
    remote = {
        item["id"]: item
        for item in client.get("posts", include=",".join(str(r.id) for _, r in parts), status="any", context=EDIT,
                               _fields=POST_FIELDS, per_page=100)
    }
    stamped: dict[str, Record] = {}
    for part, record in parts:
        there = remote.get(record.id)
        if there is None or there.get("status") not in ("publish", "future"):
            continue
        place = series_place(ws, part)
        regions = wp.series_regions(_box(session, place, part, session.category(place)) if place else None)
        content = raw(there.get("content"))
        if wp.current_regions(content) == regions:
            continue
        if not record.matches(there) and not force:
            updates.skipped.append(
                f"{part.rel}: changed on WordPress at {there.get('modified_gmt', '?').replace('T', ' ')} UTC; "
                f"its series box was not updated (blog publish {part.slug} --pull shows the difference)"
            )
            continue
        answer = client.post(f"posts/{record.id}", {"content": wp.replace_regions(content, regions)}, context=EDIT)
        stamped[part.rel] = stamp(answer, record.source, record.media, url=answer.get("link") or record.url)
        updates.updated.append(part.rel)
    write_records(ws, stamped)
    return updates


# -- unpublish ---------------------------------------------------------------------------------


def _site_lock(ws: Workspace, rebuild_site: bool):
    """The build lock, when the site is updated, taken before the workspace lock is (the order
    every build takes them): held with the workspace lock through the network calls, the other
    order would leave this waiting for a `blog build` that waits for the workspace lock."""
    return ws.build_lock() if rebuild_site else contextlib.nullcontext()


def unpublish(ws: Workspace, ref: str, *, rebuild_site: bool = True, progress=None,
              client: WordPressClient | None = None) -> WordPressUnpublish:
    """Make the WordPress copy a draft (readers no longer see it), then unpublish here.

    WordPress goes first: if it fails, nothing here has changed. A post already back in drafts/
    (an earlier run that failed half way) is only taken off WordPress.
    """
    own = client is None
    client = client or connect(ws)
    try:
        with _site_lock(ws, rebuild_site), ws.lock():
            return _unpublish(ws, ref, client, rebuild_site, progress)
    finally:
        if own:
            client.close()


def _unpublish(ws: Workspace, ref: str, client: WordPressClient, rebuild_site: bool, progress) -> WordPressUnpublish:
    from blogcli.ops.publish import unpublish as unpublish_here

    post = ws.resolve(ref)
    full = ws.load(post.rel)
    record = Record.of(full, client.site)
    result = WordPressUnpublish(rel=f"{DRAFTS}/{post.slug}.md", id=record.id if record else None)
    if record is None and post.folder != PUBLISHED:
        raise InvalidValue(f"{post.rel} is not published, here or on WordPress", hint="`blog status --to wordpress` lists what is")
    extra = {}
    if record is None:
        result.warnings.append("it was not on WordPress (it has no wordpress: line)")
    else:
        try:
            remote = client.post(f"posts/{record.id}", {"status": "draft"}, context=EDIT)
            extra[RECORD_KEY] = stamp(remote, record.source, record.media, url=record.url).as_meta()
        except RemoteError as exc:
            if exc.remote_code != "rest_post_invalid_id":
                raise
            result.warnings.append(f"WordPress post {record.id} no longer exists there")
    try:
        if post.folder == PUBLISHED:
            result.local = unpublish_here(ws, post.rel, progress=progress, extra=extra, rebuild_site=rebuild_site)
        elif extra:
            write_records(ws, {post.rel: Record(**extra[RECORD_KEY])})
    except BlogError as exc:
        raise BlogError(
            f"WordPress post {record.id if record else '?'} is a draft again, but unpublishing {post.rel} here failed: {exc.message}",
            hint=(exc.hint + "; then " if exc.hint else "") + "run the same command again",
        ) from None
    if post.series and record is not None:
        result.boxes = refresh_series(ws, ws.resolve(result.rel), client)
    return result
