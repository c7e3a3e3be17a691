"""The draft lifecycle: init, new, the save path of edit, rename, delete, restore, trash."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from blogcli.errors import AlreadyExists, FrontMatterError, InvalidValue, NotFound, UnsafePath
from blogcli.model.aliases import alias_list
from blogcli.model.document import Document
from blogcli.model.post import DRAFTS, PAGES, PUBLISHED, Post, Problem, post_from_bytes
from blogcli.model.series import SeriesCatalogue, next_part_number, part_holder
from blogcli.model.slug import slugify, unique_slug
from blogcli.ops.comments import carry_comments
from blogcli.workspace.atomic import atomic_write
from blogcli.workspace.config import CONFIG_NAME, config_template
from blogcli.workspace.paths import is_inside, read_regular, real_folder
from blogcli.workspace.store import Workspace


def init_workspace(path: Path, title: str | None, author: str | None, base_url: str | None = None) -> Path:
    """Make a workspace at `path`: blog.toml, drafts/, published/, static/; never overwrite blog.toml,
    never inside another workspace. `base_url` is written only when given (else a commented line
    says to set it before publishing)."""
    path = path.expanduser().resolve()
    config = path / CONFIG_NAME
    if config.exists():
        raise AlreadyExists(f"{config} already exists; not touching it", hint="this folder is already a blog workspace")
    outer = next((folder for folder in path.parents if (folder / CONFIG_NAME).is_file()), None)
    if outer is not None:
        inside = path.relative_to(outer).parts[0]
        where = f"its {inside}/ folder" if inside in (DRAFTS, PUBLISHED, "static", ".blog", "site") else "it"
        raise AlreadyExists(
            f"{path} is inside the blog workspace {outer} ({where}); a blog there would be read as part of that one",
            hint=f"make the new blog outside it (blog init {outer.parent / path.name}), or work in {outer} itself",
        )
    if base_url is not None:
        base_url = check_base_url(base_url)
    path.mkdir(parents=True, exist_ok=True)
    for folder in (DRAFTS, PUBLISHED, "static"):
        (path / folder).mkdir(exist_ok=True)
    gitignore = path / ".gitignore"
    if not gitignore.exists():
        atomic_write(gitignore, b"# rebuildable: the cache and the built site\n.blog/cache/\nsite/\n")
    atomic_write(config, config_template(title or path.name.replace("-", " ").title() or "My blog", author or "", base_url).encode())
    return config


def check_base_url(url: str) -> str:
    """The site's address as blog.toml keeps it: http(s), a host, ending in "/"."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidValue(f"--url {url!r} is not a web address", hint="give the site's address, such as https://example.org/ or https://example.org/blog/")
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


def new_post_text(meta: list[tuple[str, object]], body: str) -> bytes:
    """A new post file: a header with `meta` in the given order, a blank line, the body."""
    doc = Document(header=[], open_fence="---\n", close_fence="---\n", body="\n" + body if body else "\n")
    for key, value in meta:
        if value not in (None, [], ""):
            doc.set(key, value)
    return doc.to_bytes()


def refuse_site_name(ws: Workspace, slug: str, title: str | None) -> None:
    """InvalidValue when the slug a title makes (`title`), or one given with --slug (`title`
    None), is a name the site uses itself (`tags`, a folder of static/…): the build would leave
    such a post out."""
    from blogcli.model.reserved import site_name_clash
    from blogcli.site.output import static_names

    clash = site_name_clash(slug, static_names(ws.root))
    if clash and title is not None:
        raise InvalidValue(f"{title.strip()!r} would be the post {slug}.md, and {clash}: the site would leave it out",
                           hint="choose another title (a word more is enough), or give a --slug")
    if clash:
        raise InvalidValue(f"--slug {slug}: {clash}: the site would leave it out", hint="choose another slug")


@dataclass
class NewPost:
    title: str | None
    slug: str | None = None  # default: made from the title
    series: str | None = None  # any name of the series; a name close to none starts a new one
    part: int | None = None
    tags: tuple[str, ...] = ()
    body: str = ""
    extra: tuple[tuple[str, object], ...] = ()
    new_series: bool = False  # start a new series even though the name is close to a known one
    force: bool = False  # take `part` even if another post has it


def create_draft(ws: Workspace, spec: NewPost, number_if_taken: bool = True) -> Post:
    """Write a new draft (never over an existing file) and return it.

    When its slug is taken, the draft gets the next free `-2`, `-3`… slug, or, without
    `number_if_taken` (and always for a slug given in `spec.slug`), is refused, naming the post
    that has it. In a series, it is named as the series' posts name it and numbered next unless
    `part` says otherwise (a number another post has is refused unless `force`). A series that
    does not exist yet gets its `[series.<slug>]` section in blog.toml, in the same transaction,
    and `ws.notify` says so."""
    from blogcli.ops.settings import reload_config, series_section_bytes

    if not (spec.title or "").strip():
        raise InvalidValue("a new post needs a title", hint='blog new "My title"')
    if spec.part is not None and spec.part < 1:
        raise InvalidValue(f"--part must be 1 or more, not {spec.part}")
    if spec.slug is not None:
        check_slug(spec.slug)
    with ws.lock():
        wanted = spec.slug or slugify(spec.title)
        taken = ws.taken_slugs()
        if wanted in taken and (spec.slug is not None or not number_if_taken):
            raise _slug_taken(ws, wanted, "--slug" if spec.slug else "title")
        slug = unique_slug(wanted, taken)
        refuse_site_name(ws, slug, None if spec.slug else spec.title)
        part, series, config = spec.part, None, None
        if spec.series is not None:
            known = SeriesCatalogue(ws.config.series, ws.posts)
            resolved = known.resolve_for_writing(spec.series, spec.new_series)
            series = resolved.series
            parts = known.parts(series)
            if part is None:
                part = next_part_number(parts)
            holder = part_holder(parts, part)
            if holder is not None and not spec.force:
                raise AlreadyExists(
                    f"part {part} of {series.title!r} is already {holder.rel}",
                    hint=f"leave out --part to take part {next_part_number(parts)}, or pass --force to number it {part} anyway",
                )
            if resolved.new:
                config = series_section_bytes(ws, series)
        meta = [
            ("title", spec.title.strip()),
            ("created", ws.now()),
            ("tags", list(spec.tags)),
            ("series", series.name if series else None),
            ("part", part),
            *spec.extra,
        ]
        rel = f"{DRAFTS}/{slug}.md"
        _write_new_file(ws, rel, new_post_text(meta, spec.body), config)
        if config is not None:
            reload_config(ws)
            if ws.notify:
                ws.notify(f"started a new series {series.title!r} ([series.{series.slug}] added to {CONFIG_NAME})")
    return ws.load(rel)


def create_page(ws: Workspace, title: str | None, body: str = "", slug: str | None = None) -> Post:
    """Write a new page, `pages/<slug>.md` (never over an existing file), and return it. Its slug
    (`slug`, else made from the title) must be free among posts and pages alike: each is an
    address of the site."""
    from blogcli.model.slug import slug_of_file

    if not (title or "").strip():
        raise InvalidValue("a new page needs a title", hint='blog new --page "About"')
    with ws.lock():
        taken = ws.taken_slugs() | {p.slug for p in ws.pages} | {slug_of_file(p.path.rsplit("/", 1)[-1]) for p in ws.unreadable_pages}
        wanted = check_slug(slug) if slug is not None else slugify(title)
        if wanted in taken:  # as for a post: refused, never suffixed behind the author's back
            raise AlreadyExists(f"a post or page already has the slug {wanted!r}",
                                hint="choose another --slug" if slug else f"give this one its own with --slug (for example --slug {wanted}-page)")
        slug = wanted
        rel = f"{PAGES}/{slug}.md"
        _write_new_file(ws, rel, new_post_text([("title", title.strip()), ("created", ws.now())], body))
    return ws.load(rel)


def _write_new_file(ws: Workspace, rel: str, text: bytes, config: bytes | None = None) -> None:
    """Write a new post or page (never over an existing file), with blog.toml's new bytes in the
    same transaction when `config` is given; under the caller's lock."""
    path = ws.path_of(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise AlreadyExists(f"{rel} already exists")
    tx = ws.transaction()
    tx.write(rel, text)
    if config is not None:
        tx.write(CONFIG_NAME, config)
    tx.commit()
    ws.refresh()


def begin_edit(ws: Workspace, rel: str) -> bytes:
    """Mark the post as open in this process's editor and return its bytes. Until `end_edit`, every
    other command that would change it (rename, publish, delete, series add…) refuses, naming this
    process, so the editor saves to a file that is still the post and overwrites no other change."""
    with ws.lock():
        path = ws.path_of(rel)
        if not path.is_file():
            raise NotFound(f"{rel} is not there any more (moved or deleted meanwhile)", hint="`blog list` shows where it is")
        ws.claim_for_editing(rel, f"pid {os.getpid()}: blog edit {rel}")
        return path.read_bytes()


def end_edit(ws: Workspace, rel: str) -> None:
    ws.release_editing(rel)


def check_slug(slug: str) -> str:
    """A slug typed by the author, refused with the reason when `slugify` could not have made it."""
    from blogcli.model.slug import slug_problem

    problem = slug_problem(slug)
    if problem:
        raise InvalidValue(f"--slug: {problem}", hint=f"for example --slug {slugify(slug)}")
    return slug


def _slug_taken(ws: Workspace, slug: str, source: str) -> AlreadyExists:
    from blogcli.model.slug import slug_of_file

    owner = next((p for p in ws.posts if p.slug == slug), None)
    unreadable = next((p.path for p in ws.unreadable if p.path.endswith(".md") and slug_of_file(p.path.rsplit("/", 1)[-1]) == slug), None)
    where = owner.rel if owner else unreadable or f"the post {slug!r}"
    title = f" ({owner.display_title!r})" if owner and owner.title else ""
    if source == "title":
        return AlreadyExists(
            f"{where}{title} already has the slug {slug!r}",
            hint=f"give this one its own with --slug (for example --slug {slug}-2); `blog edit {slug}` opens the other",
        )
    return AlreadyExists(f"the slug {slug!r} is taken by {where}{title}", hint="choose another --slug")


def first_body_line(data: bytes) -> int:
    """The line where the post's text starts (its first non-blank line after the front matter, or
    the line after the header when there is no text yet): where the editor opens."""
    doc = Document.from_bytes(data)
    header_lines = 0 if doc.header is None else len(doc.header) + 2
    text = next((i for i, line in enumerate(doc.body.split("\n")) if line.strip()), None)
    return header_lines + 1 + (text or 0)


def finish_edit(ws: Workspace, rel: str, before: bytes) -> bool:
    """After the editor: stamp `updated` if the file changed. The caller validated it first."""
    path = ws.path_of(rel)
    with ws.lock():
        data = path.read_bytes()
        if data == before:
            return False
        doc = Document.from_bytes(data, rel)
        doc.set("updated", ws.now())
        ws.write(rel, doc.to_bytes())
    return True


def rename_post(ws: Workspace, ref: str, new_title: str | None, slug: str | None = None) -> tuple[Post, Post]:
    """New title and slug of a post or a page of pages/ (made from the title unless given, and
    refused when another post, or for a page another page, has it; the title stays when only a
    slug is given); the file moves, its other bytes stay. A published post (a page not marked
    draft) keeps its old URL as an alias (front matter `aliases`, as in Hugo) so the site
    can redirect from it; a post's own slug is never one of its aliases (renaming back takes it
    out). In the same transaction, every other post that names the old slug is changed to name
    the new one: links to its file (folder and `#fragment` kept) and `fulfils:`."""
    if new_title is None and slug is None:
        raise InvalidValue("give a new title, a new --slug, or both")
    if new_title is not None and not new_title.strip():
        raise InvalidValue("the new title is empty")
    if slug is not None:
        check_slug(slug)
    with ws.lock():
        old = ws.resolve_post_or_page(ref)
        full = ws.load(old.rel)
        if full.errors:
            raise FrontMatterError(full.errors[0].message, path=old.rel, line=full.errors[0].line)
        others = (ws.taken_slugs() | ({p.slug for p in ws.pages} if old.folder == PAGES else set())) - {old.slug}
        wanted = slug or slugify(new_title)
        if wanted in others:
            raise _slug_taken(ws, wanted, "--slug" if slug else "title")
        refuse_site_name(ws, wanted, None if slug else new_title)
        slug = wanted
        doc = full.doc
        if new_title is not None:
            doc.set("title", new_title.strip())
        aliases = alias_list(full.meta.get("aliases"))
        kept = [a for a in aliases if a != slug]
        on_site = old.folder == PUBLISHED or (old.folder == PAGES and full.meta.get("draft") is not True)
        if on_site and slug != old.slug and old.slug not in kept:
            kept.append(old.slug)
        if kept != aliases:
            if kept:
                doc.set("aliases", kept)
            else:
                doc.remove("aliases")
        rel = f"{old.folder}/{slug}.md"
        if rel != old.rel and ws.path_of(rel).exists():
            raise AlreadyExists(f"{rel} already exists")
        tx = ws.transaction()
        tx.move(old.rel, rel, doc.to_bytes())
        carry_comments(ws, tx, old.rel, rel)
        changed = [old.rel, rel]
        if slug != old.slug:
            for other_rel, data in _references_renamed(ws, old, slug):
                tx.write(other_rel, data)
                changed.append(other_rel)
        tx.commit()
        ws.refresh(changed)
    return old, ws.load(rel)


def _references_renamed(ws: Workspace, old: Post, slug: str):
    """(rel, new bytes) of every other post that names `old` by its slug: in a link to its file
    or in `fulfils:`. A file that cannot be read is left alone; one whose header cannot be parsed
    keeps its `fulfils:` but has its links changed (body bytes are split, never parsed)."""
    from blogcli.model.links import retarget_links

    needle = old.slug.encode()
    for post in ws.posts:
        if post.rel == old.rel:
            continue
        try:
            data = ws.path_of(post.rel).read_bytes()
        except OSError:
            continue
        if needle not in data:
            continue
        try:
            doc = Document.from_bytes(data, post.rel)
        except FrontMatterError:
            continue
        body = retarget_links(doc.body, old.slug, slug)
        changed = body != doc.body
        doc.body = body
        if post.fulfils == old.slug and not post.errors:
            doc.set("fulfils", slug)
            changed = True
        if changed:
            yield post.rel, doc.to_bytes()


@dataclass
class TrashEntry:
    name: str
    slug: str
    origin: str
    deleted: str
    title: str | None

    def as_dict(self) -> dict:
        return {"name": self.name, "slug": self.slug, "path": self.origin, "deleted": self.deleted, "title": self.title}


def delete_post(ws: Workspace, ref: str, allow_published: bool = True) -> TrashEntry:
    """Move a post (or a page of pages/) into `.blog/trash/` (never unlinked) with a note of where
    it came from. Without `allow_published`, a published post or a page on the site is refused
    (its page would leave the site)."""
    with ws.lock():
        post = ws.resolve_post_or_page(ref)
        on_site = post.folder == PUBLISHED or (post.folder == PAGES and post.meta.get("draft") is not True)
        if on_site and not allow_published:
            state = "published" if post.folder == PUBLISHED else "on the site"
            raise InvalidValue(f"{post.rel} is {state}: deleting it takes its page off the site",
                               hint="pass --force to delete it anyway" + ("" if post.folder == PAGES else
                                                                            f", or keep it as a draft: blog unpublish {post.slug}"))
        now = ws.now()
        name = f"{now:%Y%m%dT%H%M%S}-{post.slug}"
        n = 2
        while (ws.trash_dir / name).exists():
            name = f"{now:%Y%m%dT%H%M%S}-{post.slug}-{n}"
            n += 1
        data = ws.path_of(post.rel).read_bytes()
        info = {"path": post.rel, "deleted": ws.format_date(now), "title": post.title}
        trash_rel = ws.rel(ws.trash_dir / name)
        tx = ws.transaction()
        tx.write(f"{trash_rel}/info.json", json.dumps(info, ensure_ascii=False, indent=1).encode())
        tx.move(post.rel, f"{trash_rel}/{post.slug}.md", data)
        carry_comments(ws, tx, post.rel, f"{trash_rel}/{post.slug}.md")
        tx.commit()
        ws.refresh()
    return TrashEntry(name, post.slug, post.rel, info["deleted"], post.title)


def trash_entries(ws: Workspace) -> list[TrashEntry]:
    """The posts in the trash: its real folders with a readable note (a symlink there, or a note
    that is not a plain file, is no entry: emptying the trash must not follow it anywhere)."""
    entries = []
    if not ws.trash_dir.is_dir():
        return entries
    for folder in sorted(ws.trash_dir.iterdir()):
        if not real_folder(folder):
            continue
        try:
            info = json.loads(read_regular(folder / "info.json", 1 << 20).decode("utf-8"))
            origin = info.get("path", "")
            title = info.get("title")
            entry = TrashEntry(folder.name, origin.rsplit("/", 1)[-1][:-3], origin, str(info.get("deleted", "")),
                               title if isinstance(title, str) else None)
        except (OSError, ValueError, AttributeError):
            continue
        entries.append(entry)
    return entries


def restore_post(ws: Workspace, ref: str) -> TrashEntry:
    """Bring a post back from the trash to where it was (the newest deletion of a slug wins)."""
    with ws.lock():
        entries = trash_entries(ws)
        matches = [e for e in entries if ref in (e.name, e.slug, e.origin)]
        if not matches:
            matches = [e for e in entries if e.slug.startswith(ref) or e.name.startswith(ref)]
            if len({e.slug for e in matches}) > 1:
                from blogcli.errors import Ambiguous

                raise Ambiguous(
                    f"{ref!r} matches several posts in the trash",
                    candidates=sorted({f"{e.slug}  ({e.name})" for e in matches}),
                )
        if not matches:
            raise NotFound(f"no post in the trash matches {ref!r}", hint="`blog trash` lists what it holds")
        entry = max(matches, key=lambda e: e.name)
        folder, _, name = entry.origin.partition("/")
        if folder not in (DRAFTS, PUBLISHED, PAGES) or "/" in name or not name.endswith(".md") or name.startswith("."):
            # The note is a file in the workspace (a synced blog brings it): a post or page goes back
            # only where posts and pages live, never over a template, into static/ or into .blog/.
            raise UnsafePath(
                f"{ws.rel(ws.trash_dir / entry.name)}/info.json: says the post was at {entry.origin!r}, where no post lives",
                hint="posts live directly in drafts/ or published/, pages in pages/; correct \"path\" in the note",
            )
        target = ws.path_of(entry.origin)
        if target.exists() or entry.slug in ws.taken_slugs():
            raise AlreadyExists(
                f"cannot restore to {entry.origin}: a post with the slug {entry.slug!r} exists",
                hint="rename the existing post first (blog rename)",
            )
        source_rel = f"{ws.rel(ws.trash_dir / entry.name)}/{entry.slug}.md"
        data = ws.path_of(source_rel).read_bytes()
        tx = ws.transaction()
        tx.move(source_rel, entry.origin, data)
        carry_comments(ws, tx, source_rel, entry.origin)
        tx.remove(f"{ws.rel(ws.trash_dir / entry.name)}/info.json")
        tx.commit()
        shutil.rmtree(ws.trash_dir / entry.name, ignore_errors=True)
        ws.refresh()
    return entry


def empty_trash(ws: Workspace) -> int:
    """Delete every entry of the trash for good: real folders inside the workspace only."""
    with ws.lock():
        entries = trash_entries(ws)
        for entry in entries:
            folder = ws.trash_dir / entry.name
            if real_folder(folder) and is_inside(ws.root, folder):
                shutil.rmtree(folder)
    return len(entries)


def read_body_file(source: str, stdin_text: str | None = None) -> str:
    """`--body-file F` (a path the user names, honoured as given) or `-` for standard input."""
    if source == "-":
        return stdin_text or ""
    try:
        return Path(source).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"{source}: no such file (--body-file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidValue(f"{source}: cannot read as UTF-8 text ({exc})") from None


def parse_check(data: bytes, rel: str, tz: dt.tzinfo) -> list[Problem]:
    """Errors of a file's bytes, without touching the workspace (used after the editor exits)."""
    return post_from_bytes(data, rel, tz).errors
