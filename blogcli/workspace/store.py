"""The Workspace: where the blog lives, how its posts are found, read, resolved and changed."""

from __future__ import annotations

import datetime as dt
import os
import stat
import unicodedata
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator

from blogcli.errors import Ambiguous, NotFound, UnsafePath, WorkspaceNotFound
from blogcli.model import dates
from blogcli.model.post import DRAFTS, PAGES, PUBLISHED, Post, Problem, load_post
from blogcli.model.slug import slug_of_file
from blogcli.workspace.atomic import atomic_write
from blogcli.workspace.config import CONFIG_NAME, Config, load_config
from blogcli.workspace.editing import claim, clear_stale, refuse_if_edited, release
from blogcli.workspace.index import FileReader, Scan, read_post, scan_posts
from blogcli.workspace.journal import Replayed, Transaction, discard_staged, discard_staging, replay
from blogcli.workspace.lock import workspace_lock
from blogcli.workspace.watch import FolderWatch
from blogcli.workspace.paths import is_inside

STATE_DIR = ".blog"
CACHE_DIR = f"{STATE_DIR}/cache"  # caches: deleted any time, made again
POST_FOLDERS = (DRAFTS, PUBLISHED)
# blogcli's own folders: each may be a symlink only to a place inside the workspace.
STATE_FOLDERS = (STATE_DIR, CACHE_DIR, f"{STATE_DIR}/trash", f"{STATE_DIR}/editing", f"{STATE_DIR}/staging")


def refuse_state_outside(root: Path) -> None:
    """UnsafePath if `.blog` (or a folder of it) is a symlink leading out of the workspace: the
    lock, the journal, the trash and the caches are only ever written inside it."""
    for rel in STATE_FOLDERS:
        path = root / rel
        if os.path.lexists(path) and not is_inside(root, path):
            raise UnsafePath(
                f"{rel}: is a symlink to {os.path.realpath(path)}, outside the workspace; blogcli keeps its lock, "
                "journal, trash and caches only inside the workspace",
                hint=f"remove the link (rm {rel}) or point it at a folder inside the workspace",
            )


def find_root(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Path:
    """--root, else BLOG_ROOT, else the nearest folder upwards holding blog.toml (as git does)."""
    given = explicit or os.environ.get("BLOG_ROOT")
    if given:
        root = Path(given).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            source = "--root" if explicit else "BLOG_ROOT"
            raise WorkspaceNotFound(
                f"{root} is not a blog workspace ({source} names a folder with no {CONFIG_NAME})",
                hint=f"run `blog init {given}` to make one there",
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise WorkspaceNotFound(
        f"not inside a blog workspace (no {CONFIG_NAME} in {here} or any folder above it)",
        hint="run `blog init` to make one here, or pass --root PATH / set BLOG_ROOT",
    )


class Workspace:
    """A blog on disk. `notify` receives progress messages (the CLI prints them to stderr)."""

    def __init__(self, root: Path, config: Config | None = None, notify: Callable[[str], None] | None = None):
        self.root = root
        refuse_state_outside(root)
        self.config = config or load_config(root, root / STATE_DIR / "cache" / "config.json")
        self.notify = notify
        self.tz = dates.zone(self.config.timezone)
        self._locked = False
        self._building = False

    @classmethod
    def open(cls, explicit: str | os.PathLike | None = None, notify: Callable[[str], None] | None = None) -> "Workspace":
        workspace = cls(find_root(explicit), notify=notify)
        if os.path.lexists(workspace.journal_path):
            with workspace.lock():
                pass
        return workspace

    # -- places --------------------------------------------------------------------------------

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def trash_dir(self) -> Path:
        return self.state_dir / "trash"

    @property
    def journal_path(self) -> Path:
        return self.state_dir / "journal.json"

    @property
    def editing_dir(self) -> Path:
        return self.state_dir / "editing"

    def now(self) -> dt.datetime:
        return dates.now(self.tz)

    def format_date(self, moment: dt.datetime) -> str:
        return dates.format_datetime(moment, self.tz)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def path_of(self, rel: str) -> Path:
        """The absolute path of a workspace-relative path, refusing anything that leaves the root."""
        path = self.root / rel
        if not is_inside(self.root, path):
            raise UnsafePath(f"{rel}: leads outside the workspace", hint="posts must stay inside drafts/ and published/")
        return path

    # -- reading -------------------------------------------------------------------------------

    @cached_property
    def _scan(self) -> Scan:
        return scan_posts(self.root, POST_FOLDERS, self.tz, self.cache_dir / "index.sqlite")

    def scan_listing(self) -> None:
        """Read the posts now, unless they were, each with the JSON `blog list --json` prints of it
        from the index (`Post.summary_json`; other commands' scans leave it out)."""
        if "_scan" not in self.__dict__:
            self.__dict__["_scan"] = scan_posts(self.root, POST_FOLDERS, self.tz, self.cache_dir / "index.sqlite", listing=True)

    def scan(self, read: FileReader) -> None:
        """Read the posts now, unless they were: the files the index cannot answer for read by
        `read` (the build's worker processes, for a first scan of a big blog)."""
        if "_scan" not in self.__dict__:
            self.__dict__["_scan"] = scan_posts(self.root, POST_FOLDERS, self.tz, self.cache_dir / "index.sqlite", read)

    @property
    def posts(self) -> list[Post]:
        """Every readable post, from the index (no bodies): cheap even for 10,000 posts."""
        return self._scan[0]

    @property
    def unreadable(self) -> list[Problem]:
        """One problem per file that could not be read at all (bad bytes, symlink outside…)."""
        return self._scan[1]

    @property
    def file_stamps(self) -> dict[str, tuple[int, int, int]]:
        """Each post file's (size, mtime_ns, inode) as it was when `posts` were read from it."""
        return self._scan.stamps

    def listed_names(self, folder: str) -> list[str] | None:
        """Every name in a post folder (files of any kind) as the walk that read `posts` listed
        it; None when not known (a refresh since: read the folder again)."""
        listed = self._scan.listed
        return None if listed is None else listed.get(folder)

    @property
    def posts_watch(self) -> FolderWatch | None:
        """The watch set on the post folders before the walk `posts` came from, if one was
        (workspace/watch.py): it tells whether any post file changed since, without a walk."""
        return self._scan.watch

    @cached_property
    def _pages(self) -> tuple[list[Post], list[Problem]]:
        pages: list[Post] = []
        problems: list[Problem] = []
        for rel in self.page_rels():
            try:
                read = read_post(self.path_of(rel), rel, self.tz)
            except UnsafePath as exc:
                read = Problem(rel, None, exc.code, exc.message)
            (problems if isinstance(read, Problem) else pages).append(read)
        return pages, problems

    def page_rels(self) -> list[str]:
        """The page files, `pages/*.md` (no dot-files, no subfolders), by name: what `pages` reads."""
        try:
            names = sorted(os.listdir(self.root / PAGES))
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [f"{PAGES}/{name}" for name in names if name.endswith(".md") and not name.startswith(".")]

    @property
    def pages(self) -> list[Post]:
        """The standalone pages (`pages/*.md`: About, Now), read in full, by file name. A page is
        not a post: never in lists, feeds, series or the ledger."""
        return self._pages[0]

    @property
    def unreadable_pages(self) -> list[Problem]:
        """One problem per file of pages/ that could not be read (bad bytes, symlink outside…)."""
        return self._pages[1]

    def find_page(self, ref: str) -> Post | None:
        """The page `ref` names exactly: its slug, or its path (`pages/about.md`); else None."""
        ref = ref.strip()
        name = ref.replace(os.sep, "/").removeprefix("./")
        for page in self.pages:
            if ref == page.slug or name == page.rel or (os.path.isabs(ref) and Path(ref) == self.root / page.rel):
                return page
        return None

    def resolve_post_or_page(self, ref: str) -> Post:
        """A post as `resolve` finds it, else the page `ref` names exactly (slug or path): for the
        commands that work on both (preview, rename, delete). A post's slug comes first; a page's
        path is a page."""
        if ("/" in ref or ref.endswith(".md")) and (page := self.find_page(ref)) is not None:
            return page
        try:
            return self.resolve(ref)
        except NotFound:
            page = self.find_page(ref)
            if page is None:
                raise
            return page

    def refresh(self, changed: Iterable[str] | None = None) -> None:
        """Forget what was read, so the next look at `posts` sees the files as they are now.

        `changed` (workspace-relative paths this process has just written, moved or removed,
        under the lock) limits that to those files: a publish in a 10,000-post blog re-reads
        two files, not the whole index (and their events are no news to the scan's watch).
        """
        self.__dict__.pop("_pages", None)
        scan = self.__dict__.pop("_scan", None)
        if scan is None or changed is None:
            return
        changed = set(changed)
        if scan.watch is not None:
            scan.watch.expect(changed)  # before they are looked at again: a change after that is news
        posts = [p for p in scan.posts if p.rel not in changed]
        problems = [p for p in scan.problems if p.path not in changed]
        stamps = dict(scan.stamps)  # a copy (a build may hold the old one), less the changed: 0.1 ms, not 0.8
        for rel in changed:
            stamps.pop(rel, None)
        for rel in sorted(changed):
            folder, _, name = rel.partition("/")
            is_post = folder in POST_FOLDERS and "/" not in name and name.endswith(".md") and not name.startswith(".")
            try:
                st = os.stat(self.path_of(rel)) if is_post else None
            except OSError:
                continue
            if st is not None and stat.S_ISREG(st.st_mode):
                stamps[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
                read = read_post(self.path_of(rel), rel, self.tz)
                (problems if isinstance(read, Problem) else posts).append(read)
        self.__dict__["_scan"] = Scan(posts, problems, stamps, scan.watch)

    def load(self, rel: str) -> Post:
        """The full post (with body and raw header) from its file."""
        return load_post(self.path_of(rel), rel, self.tz)

    def taken_slugs(self) -> set[str]:
        taken = {p.slug for p in self.posts} | {slug_of_file(p.path.rsplit("/", 1)[-1]) for p in self.unreadable if p.path.endswith(".md")}
        return taken

    def resolve(self, ref: str) -> Post:
        """A post by exact slug, by path, or by unique slug prefix; ambiguity lists the candidates."""
        ref = ref.strip()
        if not ref.isascii():
            ref = unicodedata.normalize("NFC", ref)  # as slugs are (a name pasted from macOS arrives decomposed)
        posts = self.posts
        exact = [p for p in posts if p.slug == ref]
        if not exact:
            as_path = self._post_rel_from_path(ref)
            if as_path:
                wanted = unicodedata.normalize("NFC", as_path)
                exact = [p for p in posts if p.rel == as_path or unicodedata.normalize("NFC", p.rel) == wanted]
                if not exact:
                    broken = [p for p in self.unreadable if p.path == as_path]
                    if broken:
                        from blogcli.errors import UnreadableFile

                        raise UnreadableFile(broken[0].message, path=as_path, line=broken[0].line)
        if not exact:
            broken = [p for p in self.unreadable if p.path.endswith(".md") and slug_of_file(p.path.rsplit("/", 1)[-1]) == ref]
            if broken:
                from blogcli.errors import UnreadableFile

                raise UnreadableFile(broken[0].message, path=broken[0].path, line=broken[0].line)
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise Ambiguous(
                f"{ref!r} names {len(exact)} posts (the same slug in drafts/ and published/)",
                hint="name one by its path",
                candidates=sorted(p.rel for p in exact),
            )
        prefixed = [p for p in posts if p.slug.startswith(ref)] if ref else []
        if len(prefixed) == 1:
            return prefixed[0]
        if len(prefixed) > 1:
            raise Ambiguous(
                f"{ref!r} matches {len(prefixed)} posts",
                hint="type more of the slug, or give the path",
                candidates=sorted(f"{p.slug}  ({p.rel})" for p in prefixed),
            )
        for problem in self.unreadable:
            if problem.path.endswith("/"):  # a whole post folder was not read: say so, not "no match"
                raise UnsafePath(f"{problem}; {ref!r} may be there", hint="make drafts/ and published/ real folders of the workspace")
        import difflib

        close = difflib.get_close_matches(ref, [p.slug for p in posts], n=3, cutoff=0.5)
        raise NotFound(
            f"no post matches {ref!r}",
            hint=("did you mean: " + ", ".join(close)) if close else "`blog list` shows every post",
        )

    def _post_rel_from_path(self, ref: str) -> str | None:
        """`drafts/x.md`, `./published/x.md` or an absolute path → `drafts/x.md`, if it is a post path."""
        if not (ref.endswith(".md") or "/" in ref or os.sep in ref):
            return None
        given = Path(ref)
        candidates = [given] if given.is_absolute() else [Path.cwd() / given, self.root / given]
        inside = []
        for candidate in candidates:
            try:
                inside.append(Path(os.path.abspath(candidate)).relative_to(self.root))
            except ValueError:
                continue
        if not inside:
            raise UnsafePath(f"{ref}: not a post of this workspace ({self.root})")
        rel = next((r for r in inside if (self.root / r).exists()), inside[0]).as_posix()
        parts = rel.split("/")
        if len(parts) != 2 or parts[0] not in POST_FOLDERS or not parts[1].endswith(".md"):
            raise UnsafePath(f"{ref}: posts live directly in drafts/ or published/")
        return rel

    # -- changing ------------------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator["Workspace"]:
        """Hold the workspace lock; finish (or roll back) any change a killed command left half done."""
        if self._locked:
            yield self
            return
        with workspace_lock(self.state_dir / "lock", self.notify):
            self._locked = True
            try:
                if os.path.lexists(self.journal_path):
                    self._report(replay(self.root, self.journal_path))
                discard_staged(self.root, [self.root, *(self.root / f for f in (*POST_FOLDERS, PAGES)), self.trash_dir, self.state_dir],
                               self.cache_dir / "staged-checked.json")
                discard_staging(self.state_dir)
                clear_stale(self.editing_dir)
                self.refresh()
                yield self
            finally:
                self._locked = False

    @contextmanager
    def build_lock(self, wait: bool = True) -> Iterator[bool]:
        """Hold `.blog/cache/build.lock`: one build of the site at a time. Whoever holds both
        locks takes this one first (a build takes the workspace lock at its end), so two
        commands never wait for each other. Held already by this workspace: nothing more. With
        `wait=False`, if another process holds it, the block runs without it, given False."""
        if self._building:
            yield True
            return
        with workspace_lock(self.cache_dir / "build.lock", self.notify, wait=wait) as held:
            self._building = held
            try:
                yield held
            finally:
                self._building = False

    def _report(self, done: Replayed) -> None:
        if not self.notify:
            return
        journal = self.rel(self.journal_path)
        for refusal in done.refused:
            self.notify(f"warning: {journal}: {refusal}; left as it is")
        if done.refused and not done.applied:
            self.notify(f"did not replay {journal}: nothing in it could be verified; it is removed")
        elif done.refused:
            self.notify(f"finished only the verified part of a change an interrupted command had started ({journal})")
        else:
            self.notify("finished a change that an interrupted command had started")

    def transaction(self) -> Transaction:
        """Several file changes that land together or not at all (call `commit()`; hold the lock).
        A post open in another `blog edit` makes the commit fail before anything is written."""
        assert self._locked, "transactions need the workspace lock"
        return Transaction(self.root, self.journal_path, guard=self.refuse_if_edited)

    def write(self, rel: str, data: bytes) -> None:
        """Atomically replace one file of the workspace (hold the lock)."""
        assert self._locked, "writes need the workspace lock"
        self.refuse_if_edited([rel])
        atomic_write(self.path_of(rel), data)
        self.refresh()

    # -- posts open in an editor ---------------------------------------------------------------

    def refuse_if_edited(self, rels: list[str]) -> None:
        """LockedError if another `blog edit` has one of these files open (see workspace/editing)."""
        refuse_if_edited(self.editing_dir, rels)

    def claim_for_editing(self, rel: str, note: str) -> None:
        """Mark `rel` open in this process's editor (hold the lock); other commands leave it alone
        until `release_editing`."""
        assert self._locked, "claims need the workspace lock"
        claim(self.editing_dir, rel, note)

    def release_editing(self, rel: str) -> None:
        release(self.editing_dir, rel)
