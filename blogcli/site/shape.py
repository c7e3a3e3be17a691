"""Which outputs a build keeps as the last build made them, without working out their keys again.

Every output's key hashes what it shows (site/emitter.py); at 10,000 posts working out every key
of the site is ~0.3 s, while an edit of one post's body can change only a few pages. The site's
structure — which posts are visible and in what order, series places and neighbours, tags and
their page names, the archive's months, the sitemap's URLs — is made only from:

- each post file's shown facts (`shown_facts`: its fields in the index but the word count);
- the build settings (blog.toml, the templates, --drafts: `BuildSettings.key`);
- the time, through the posts' statuses, which change only when a scheduled post comes due
  (the build's `next_due`), and through the "coming" dates of draft parts (below); the day is
  counted too, to be safe;
- static/'s paths (a static file wins over a page), the comments files and the standalone pages.

When all of these are as the last build found them (`SiteShape`) and no post file was added or
removed but drafts outside any series (`unchanged_structure`), a build keeps as they were:
- the pages made from the index alone (tags, archive, the series list, 404, the sitemap);
- a post page whose file, comments and series' promise ledger are as they were (what a part
  promised and who kept it come from its series' parts' bodies);
- a home page, series page or feed that lists no changed post (and, for a series, whose ledger
  is as it was).
A series page shows its draft parts as "coming" in the cadence's next free slots after now: those
dates move on once now reaches the first of them (`SiteShape.coming_until`), with no file changed,
so the structure is not taken as unchanged from then on.
Everything else (the changed posts' pages and the lists showing them, /stats/, redirects) is keyed
as always. A published post outside any series whose tags the site already has may be new too
(a publish: `with_new_posts`): then the home page and the numbered pages it moves, the blog's feed,
its year's archive page (every year's, for a year no post had), the sitemap, the tags list and, of
each of its tags, the front page and the numbered pages it moves are keyed as well (numbered from
the oldest, the older pages are as they were: site/list_pages.py `pages_new_posts_leave`; every
page of a tag spelled several ways, whose shown name the new post may change); no other
page shows it, and no other post's page changes (its tags' page names stay: they depend only on
the set of tag names). Whatever is
keyed is made again only if its key changed, and a kept output is still checked to be as the
last build left its file (`Outputs.kept_as_before`), so a page edited or deleted by hand is made
again. As for the manifest's sources, a post file is known by its size, mtime and inode.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import itemgetter, ne
from typing import NamedTuple

from blogcli.model.post import DRAFTS, Post
from blogcli.site.manifest import FileEntry, Manifest, SiteShape, key_of
from blogcli.site.model import SiteModel


def shown_facts(post: Post) -> str:
    """The key of what other pages can show of a post, or build from it: every field the index
    keeps but the word count (which only its own page, the lists showing its view and /stats/
    show, and those are keyed by its file's digest or made every time)."""
    return key_of(post.rel, post.title, _iso(post.date), _iso(post.created), _iso(post.updated), post.tags,
                  post.series, post.part, post.summary, post.next, post.fulfils, post.has_body,
                  [problem.as_dict() for problem in post.problems])


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def is_quiet(post: Post, include_drafts: bool) -> bool:
    """Whether no page of the site shows `post` or anything made from it: a draft outside any
    series, in a build without drafts (only /stats/ counts it, and /stats/ is keyed every time)."""
    return post.folder == DRAFTS and not post.series and not include_drafts


_STAMP = itemgetter(0, 1, 2)  # a FileEntry's (size, mtime_ns, inode), as the walk stamps a file
_NO_FILE = (None, None, None)  # no entry: no stamp is that


def file_entries(stamps: dict[str, tuple[int, int, int]], posts: list[Post], old: dict[str, FileEntry],
                 include_drafts: bool) -> tuple[dict[str, FileEntry], list[str]]:
    """Every post file the walk found, with its shown facts: the last build's entry (the very
    object) where the file is as it was then, else worked out ("" for a file the index could not
    read); and the files of the latter kind. One lookup a file; the posts are looked through only
    for the files that changed."""
    known = list(map(old.get, stamps, repeat(_NO_FILE)))  # in C: no Python step a file
    files = dict(zip(stamps, known))
    fresh = list(compress(stamps, map(ne, map(_STAMP, known), stamps.values())))
    if fresh:
        unread = set(fresh)
        for post in posts:
            if post.rel in unread:
                files[post.rel] = FileEntry(*stamps[post.rel], shown_facts(post), is_quiet(post, include_drafts))
                unread.discard(post.rel)
        for rel in unread:
            files[rel] = FileEntry(*stamps[rel], "", False)
    return files, fresh


class Unchanged(NamedTuple):
    """What a build found unchanged since the last one, when the site's structure is as it was."""

    files: frozenset[str]  # post files changed since (their shown facts did not)
    added: frozenset[str]  # post files new since (with_new_posts says which may be)
    shape: SiteShape  # the last build's


def unchanged_structure(old: Manifest, files: dict[str, FileEntry], fresh: list[str], shape: SiteShape,
                        now: float) -> Unchanged | None:
    """The post files changed and added since the last build, when the site's structure cannot have
    changed but by the added ones (the module's docstring; `with_new_posts` then looks at those);
    None when it may have: a full pass over every key follows. `fresh`: the files whose entry in
    `files` is not the last build's (`file_entries`); the others are as they were."""
    if old.shape is None or old.shape[:5] != shape[:5]:
        return None
    if old.shape.coming_until is not None and now >= old.shape.coming_until:
        return None  # a draft part's "coming" date moves on
    changed, added = [], []
    for rel in fresh:
        entry, before = files[rel], old.files.get(rel)
        if before is None:
            added.append(rel)
        elif before != entry:
            if not entry.facts or entry.facts != before.facts:
                return None
            changed.append(rel)
    if len(old.files) > len(files) - len(added):  # a file gone (the others are all in `files`)
        if any(not old.files[rel].quiet for rel in old.files.keys() - files.keys()):
            return None  # that a page may show
    return Unchanged(frozenset(changed), frozenset(added), old.shape)


def with_new_posts(unchanged: Unchanged | None, model: SiteModel, every: list[Post]) -> Unchanged | None:
    """`unchanged`, when each added post file is a quiet draft, or a visible post outside any series
    whose tags other visible posts have (ListPages keys the lists those join); else None."""
    if unchanged is None or not unchanged.added:
        return unchanged
    added = {post.rel: post for post in every if post.rel in unchanged.added}
    shown = {post.rel for post in model.posts}
    if len(added) != len(unchanged.added):
        return None  # an added file the index could not read
    for rel, post in added.items():
        if rel in shown:
            if (rel in model.series.position or post.series
                    or not all(_tagged_before(name, model.posts, added) for name in post.tags)):
                return None
        elif post.folder != DRAFTS or post.series:
            return None  # a scheduled post, or a part: it shows in its series
    return unchanged


def _tagged_before(name: str, posts: list[Post], added: dict[str, Post]) -> bool:
    """Whether a visible post not `added` has the tag `name`: a tag the site has is on many posts,
    so the look stops early (a pass over every post's tags was ~3 ms of a publish)."""
    return any(name in post.tags and post.rel not in added for post in posts)
