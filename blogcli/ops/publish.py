"""`blog publish` and `blog unpublish`: the one safe step between drafts/ and the readers.

Publishing checks the post, stamps its header (date, updated, part, feed id), moves the file
from drafts/ to published/ in one journalled transaction (a crash leaves it in exactly one of
the two folders), then updates the site. Only the header lines that change are rewritten: the
body's bytes and any keys blogcli does not know survive untouched.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import ExitStack
from dataclasses import dataclass, field, replace

from blogcli.errors import AlreadyExists, BlogError, CheckFailed, FrontMatterError, InvalidValue, WriteFailed
from blogcli.model.dates import parse_datetime
from blogcli.model.post import DRAFTS, PUBLISHED, Post, Problem, read_file
from blogcli.model.series import SeriesCatalogue, missing_before, next_part_number, next_slot, series_schedule
from blogcli.ops.check import check_publication, errors_of
from blogcli.ops.comments import carry_comments
from blogcli.workspace.store import Workspace

NEXT_SLOT = "next"
# Slugs of posts published while blog.toml had no real base_url, so no permanent feed id was
# stamped from it; the first publish with a real base_url stamps theirs too (see `_pending_ids`).
PENDING_IDS = ".blog/pending-feed-ids"


@dataclass
class PublishResult:
    """What `publish` did (or, with `dry_run`, would do)."""

    slug: str
    source: str  # where the file was
    rel: str  # where it is (or would be) now
    status: str  # "published" or "scheduled"
    date: dt.datetime
    changes: dict[str, object]  # the front-matter keys written, with their new values
    problems: list[Problem] = field(default_factory=list)  # warnings, and errors overridden by --force
    dry_run: bool = False
    url: str | None = None
    page: str | None = None  # the built page's path, relative to the workspace
    site_error: BlogError | None = None  # the post moved, but the site could not be updated
    site_warnings: list[str] = field(default_factory=list)  # what the site update left out, and why
    teaser: str | None = None  # next week's topic, as the post promises it
    plan: str | None = None  # the planned draft that keeps that promise (existing or just made)
    plan_created: bool = False
    id_pending: bool = False  # no feed id stamped: base_url is unset or local (stamped at a later publish)
    ids_caught_up: list[str] = field(default_factory=list)  # earlier posts whose feed id this publish stamped


@dataclass
class UnpublishResult:
    slug: str
    source: str
    rel: str
    url: str | None = None
    site_error: BlogError | None = None
    site_warnings: list[str] = field(default_factory=list)
    linked_from: list[str] = field(default_factory=list)  # published posts that now link to a draft
    was_on_site: bool = False  # its page had been built (a scheduled or never-built post's had not)


def publish(
    ws: Workspace,
    ref: str,
    date: str | None = None,
    at: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    plan_next: bool = False,
    progress=None,
    plan_title: str | None = None,
    extra: dict[str, object] | None = None,
    rebuild_site: bool = True,
) -> PublishResult:
    """Check, stamp and move a draft into published/, then update the site.

    `date` backdates or fixes the publication time; `at` schedules it (`"next"` takes the series'
    next free slot by its cadence). A date in the future makes the post `scheduled`: it stays off
    the site and feed until a build after that time. A scheduled post may be published again to
    move its time. Errors, and TODO/FIXME notes left in the text, refuse the publication
    (`CheckFailed` lists them) unless `force`; so does a series part whose earlier parts would not
    be out by then (a gap readers would see). `plan_next` plans the part the post promises,
    titled `plan_title` or else after its topic (a teaser without a topic, "Stay tuned!", needs
    `plan_title`: refused before anything changes). `extra` header keys are written in the same
    step (a publishing target's record of the post); `rebuild_site=False` leaves site/ alone (a
    blog published on WordPress only).

    The permanent feed `id` is stamped only while blog.toml names the real site (`base_url`, not
    left out, not localhost): an id made from a placeholder would follow the post for ever. A
    post published before that is noted in PENDING_IDS, and the first publish with a real
    base_url stamps its id too, in the same transaction (the id is the one the feed derives from
    the post's first date and slug, so readers see no change).
    """
    if date is not None and at is not None:
        raise InvalidValue("give either --date or --at, not both", hint="--at schedules; --date sets the date as given")
    with ExitStack() as locks:
        building = _lock_for_site(ws, locks, rebuild_site and not dry_run)
        now = ws.now()
        post = ws.resolve(ref)
        if post.folder == PUBLISHED and post.status(now) == "published":
            raise AlreadyExists(
                f"{post.rel} is already published", hint=f"`blog unpublish {post.slug}` first to publish it again"
            )
        # Every series, for the series rules: a pass over every post, which a post in none skips.
        known = SeriesCatalogue(ws.config.series, ws.posts) if post.series else None
        when = _publication_time(ws, known, post, date, at, now)
        target = f"{PUBLISHED}/{post.slug}.md"
        if target != post.rel and ws.path_of(target).exists():
            raise AlreadyExists(
                f"cannot publish {post.rel}: {target} already exists", hint=f"rename one of them (blog rename {post.rel} …)"
            )
        problems = check_publication(ws, post, when, known)
        errors = errors_of(problems)
        unreadable = [p for p in errors if p.code == "front-matter"]
        if unreadable:  # even --force cannot stamp a header it cannot read
            raise FrontMatterError(unreadable[0].message, path=post.rel, line=unreadable[0].line, hint="fix the front matter first")
        if errors and not force:
            raise _refusal(post, errors)
        notes = [p for p in problems if p.code == "todo"]
        if notes and not force:
            raise _refusal(post, notes, "TODO note")
        series = known.of(post) if known else None
        part = post.part
        if series is not None and part is None:
            part = next_part_number(known.parts(series))
        if series is not None and not force:
            missing = missing_before(known.parts(series), part, when, excluding=post.rel)
            if missing:
                raise BlogError(
                    f"{post.rel} is part {part} of {series.title!r}, but "
                    + ", ".join(str(m) for m in missing)
                    + " would not be out by then",
                    hint="publish the earlier parts first (or move this one: blog series move), or pass --force to leave the gap",
                )
        full = ws.load(post.rel)
        doc = full.doc
        teaser = _teaser(post, full)
        if plan_next and teaser == "" and not (plan_title or "").strip():
            raise UntitledPlan(
                f"{post.rel} ends with a teaser that names no topic, so the planned part has no title",
                hint=f'publish without --plan-next, then plan it: blog series plan {series.slug if series else "SERIES"} "Title"',
            )
        changes: dict[str, object] = {"date": when, "updated": max(when, now)}
        if series is not None and post.part is None:
            changes["part"] = part
        real_url = ws.config.base_url_is_real
        if not full.meta.get("id") and real_url:
            changes["id"] = _feed_entry_id(ws, full, when)
        changes.update(extra or {})
        for key, value in changes.items():
            doc.set(key, value)
        result = PublishResult(
            slug=post.slug,
            source=post.rel,
            rel=target,
            status="scheduled" if when > now else "published",
            date=when,
            changes=changes,
            problems=problems,
            dry_run=dry_run,
            teaser=teaser,
            id_pending=not full.meta.get("id") and not real_url,
        )
        pending = _pending_ids(ws)
        caught_up = _catch_up_ids(ws, pending, post.slug) if real_url and pending else {}
        result.ids_caught_up = sorted(caught_up)
        if dry_run:
            result.url, result.page = _post_location(ws, post.slug)
            return result
        tx = ws.transaction()
        tx.move(post.rel, target, doc.to_bytes())
        for rel, data in caught_up.values():
            tx.write(rel, data)
        if result.id_pending:
            tx.write(PENDING_IDS, "".join(f"{slug}\n" for slug in sorted({*pending, post.slug})).encode())
        elif pending and real_url:
            tx.remove(PENDING_IDS)
        carry_comments(ws, tx, post.rel, target)
        tx.commit()
        ws.refresh([post.rel, target, *(rel for rel, _ in caught_up.values())])  # these files re-read, not the whole blog
        if not building:
            locks.close()  # no build under our lock (another build holds the site's): ours is released before update_site waits
        if result.teaser is not None:  # the ledger reads the whole series: ask it only when there is a promise
            result.teaser, result.plan = teased_plan(ws, ws.resolve(target))
        if plan_next and result.teaser is not None and result.plan is None:
            result.plan = plan_teased(ws, target, plan_title).rel
            result.plan_created = True
        if rebuild_site:
            result.site_error, result.site_warnings = update_site(ws, progress)
    result.url, result.page = _post_location(ws, post.slug, must_exist=True)
    return result


def _lock_for_site(ws: Workspace, locks: ExitStack, build: bool) -> bool:
    """Take the workspace lock on `locks`, and first, if the change will `build` the site, the
    site was built before (so this build is a short, incremental one) and no other build is
    running, the site's build lock too (True): the build then runs under this command's own
    locks, so nothing changes the posts meanwhile and its end takes no second workspace lock
    (~10 ms of clearing staged files and forgetting the scan in a 10,000-post blog). Otherwise
    the caller releases `locks` after its change, and update_site waits, as every build does,
    for the build lock first: a running build is not waited for with the workspace lock held,
    nor is a first, full build run under it."""
    if build:
        from blogcli.site.builder import has_last_build

        build = has_last_build(ws)
    try:
        building = build and locks.enter_context(ws.build_lock(wait=False))
    except WriteFailed:  # no usable build lock (a FIFO there): the change goes on, its site update says why
        building = False
    locks.enter_context(ws.lock())
    return building


def _pending_ids(ws: Workspace) -> list[str]:
    try:
        return (ws.root / PENDING_IDS).read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return []


def _catch_up_ids(ws: Workspace, slugs: list[str], publishing: str) -> dict[str, tuple[str, bytes]]:
    """Published posts among `slugs` still without a feed id → (rel, their bytes with it stamped)."""
    published = {p.slug: p for p in ws.posts if p.folder == PUBLISHED}  # one pass, however many are pending
    stamped = {}
    for slug in slugs:
        post = published.get(slug)
        if post is None or slug == publishing or post.date is None:
            continue
        full = ws.load(post.rel)
        if full.errors or full.meta.get("id"):
            continue
        full.doc.set("id", _feed_entry_id(ws, full, post.date))
        stamped[slug] = (post.rel, full.doc.to_bytes())
    return stamped


def teased_plan(ws: Workspace, post: Post) -> tuple[str | None, str | None]:
    """The topic a published (or scheduled) series post promises ("" for a teaser that names
    none: "Stay tuned!"), and the part keeping it, if any."""
    if not post.series:
        return None, None
    from blogcli.ops.promises import promise_ledger

    made = [p for p in promise_ledger(ws, post.series) if post.slug in p.made_in or p.origin == post.slug]
    if not made:
        return None, None
    promise = max(made, key=lambda p: p.said_at)
    return promise.text, promise.keeper_rel


def plan_teased(ws: Workspace, ref: str, title: str | None = None) -> Post:
    """The planned draft for the topic `ref` promises: made now (with `fulfils`), or the one that
    exists. A teaser without a topic needs `title`: it is never a title itself."""
    from blogcli.ops.series import plan_part

    post = ws.resolve(ref)
    topic, keeper = teased_plan(ws, post)
    if topic is None:
        raise InvalidValue(f"{post.rel} promises no next topic", hint="a series post promises one in its text or with `next:`")
    if keeper is not None:
        return ws.load(keeper)
    title = (title or "").strip() or topic[:1].upper() + topic[1:]
    if not title:
        raise InvalidValue(
            f"{post.rel} promises a next part but names no topic to title it after",
            hint=f'plan it with a title: blog series plan {post.series!r} "Title"',
        )
    planned, _promise = plan_part(ws, post.series, title)
    return planned


def unpublish(
    ws: Workspace, ref: str, progress=None, extra: dict[str, object] | None = None, rebuild_site: bool = True
) -> UnpublishResult:
    """Move a published (or scheduled) post back to drafts/ and take its pages off the site.

    Only `date` is removed, so the post reads as a plain draft and a later `publish` gives it a
    fresh date; everything else stays, including its feed `id`, so republishing does not show
    feed readers a new entry. `extra` and `rebuild_site` are as for `publish`.
    """
    with ExitStack() as locks:
        building = _lock_for_site(ws, locks, rebuild_site)
        post = ws.resolve(ref)
        if post.folder != PUBLISHED:
            raise InvalidValue(f"{post.rel} is not published", hint="only posts in published/ can be unpublished")
        target = f"{DRAFTS}/{post.slug}.md"
        if ws.path_of(target).exists():
            raise AlreadyExists(
                f"cannot unpublish {post.rel}: {target} already exists", hint=f"rename the draft first (blog rename {target} …)"
            )
        was_on_site = post.status(ws.now()) == "published" and _built_page(ws, post.slug)
        doc = ws.load(post.rel).doc
        doc.remove("date")
        for key, value in (extra or {}).items():
            doc.set(key, value)
        tx = ws.transaction()
        tx.move(post.rel, target, doc.to_bytes())
        carry_comments(ws, tx, post.rel, target)
        tx.commit()
        ws.refresh([post.rel, target])
        if not building:
            locks.close()  # as publish's
        result = UnpublishResult(slug=post.slug, source=post.rel, rel=target, linked_from=_published_links_to(ws, post.slug),
                                 was_on_site=was_on_site)
        if rebuild_site:
            result.site_error, result.site_warnings = update_site(ws, progress)
    result.url, _page = _post_location(ws, post.slug)
    return result


def _publication_time(ws: Workspace, known: SeriesCatalogue | None, post: Post, date: str | None, at: str | None, now: dt.datetime) -> dt.datetime:
    if at is not None and at.strip().lower() == NEXT_SLOT:
        series = known.of(post) if known else None
        if series is None:
            raise InvalidValue(f"--at next needs a series, and {post.rel} is in none", hint="give a time: --at 2026-12-07T09:00")
        parts = [p for p in known.parts(series) if p.rel != post.rel]  # not its own (scheduled) date
        slot = next_slot(series_schedule(series, parts, ws.tz).cadence, parts, now, ws.tz)
        if slot is None:
            raise InvalidValue(f"{series.title}: its cadence gives no free slot", hint="give a time: --at 2026-12-07T09:00")
        return slot.astimezone(ws.tz)
    given = at if at is not None else date
    if given is None:
        return now
    when = parse_datetime(given, ws.tz).astimezone(ws.tz)
    if at is not None and when <= now:
        raise InvalidValue(
            f"--at {given}: that time has passed", hint="--at schedules a future time; use --date to backdate a post"
        )
    return when


class UntitledPlan(InvalidValue):
    """--plan-next for a post whose teaser names no topic ("Stay tuned!"): the plan needs a title."""

    code = "untitled-plan"


def _feed_entry_id(ws: Workspace, post: Post, when: dt.datetime) -> str:
    """The Atom id the feed would derive at this first publication, recorded so it never changes."""
    from blogcli.site.feeds import entry_id

    return entry_id(replace(post, date=when), ws.config)


def _teaser(post: Post, full: Post) -> str | None:
    """The topic a draft promises (what the ledger will record once it is out)."""
    if not post.series:
        return None
    from blogcli.model.teasers import post_teaser

    return post_teaser(full.next, full.body)


def update_site(ws: Workspace, progress) -> tuple[BlogError | None, list[str]]:
    """Bring the built site up to date (the first time, build it all); its warnings (a file left
    out, and why) are returned for the caller to show. A failure is returned, not raised: the post
    has moved either way, and the caller must say so rather than report a failed publish."""
    from blogcli.site.builder import build_site

    try:
        return None, build_site(ws, progress=progress).warnings
    except BlogError as exc:
        return exc, []


def _post_location(ws: Workspace, slug: str, must_exist: bool = False) -> tuple[str, str | None]:
    """The post's absolute URL and its page file (workspace-relative; None if `must_exist` and it is
    not built, or the slug is one the site keeps for itself: that file is another page)."""
    from blogcli.model.reserved import site_name_clash
    from blogcli.site.output import default_out, static_names
    from blogcli.site.urls import page_path, url_for

    page = page_path(default_out(ws), slug)
    if must_exist and (site_name_clash(slug, static_names(ws.root)) or not page.is_file()):
        return url_for(slug, ws.config.base_url), None
    return url_for(slug, ws.config.base_url), ws.rel(page)


def _built_page(ws: Workspace, slug: str) -> bool:
    from blogcli.site.output import default_out
    from blogcli.site.urls import page_path

    return page_path(default_out(ws), slug).is_file()


def _refusal(post: Post, errors: list[Problem], what: str = "error") -> CheckFailed:
    from blogcli.model.words import plural

    lines = "\n".join(f"  {p.path}:{p.line}: {p.message}" if p.line else f"  {p.path}: {p.message}" for p in errors)
    error = CheckFailed(
        f"{post.rel} is not ready to publish ({plural(len(errors), what)}):\n{lines}",
        hint=f"fix them (`blog check {post.slug}` lists them again), or pass --force to publish anyway",
    )
    error.problems = errors
    return error


def _published_links_to(ws: Workspace, slug: str) -> list[str]:
    """Published posts whose text links to `slug`'s file (a cheap byte search, then a real parse).
    Every published file is read, by a descriptor: ~0.1 s for 10,000 posts, a third of
    `Path.read_bytes`'s."""
    from blogcli.model.document import Document
    from blogcli.model.links import find_links, linked_slug

    needle = f"{slug}.md".encode()
    root = str(ws.root)
    found = []
    for post in ws.posts:
        if post.folder != PUBLISHED:
            continue
        try:
            data = read_file(os.path.join(root, post.rel))  # scanned paths: no realpath needed
            if needle not in data:
                continue
            body = Document.from_bytes(data, post.rel).body
        except (OSError, BlogError):
            continue
        if any(linked_slug(link.target) == slug for link in find_links(body) if link.kind == "link"):
            found.append(post.rel)
    return found
