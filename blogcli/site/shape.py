"""Which outputs a build keeps as the last build made them, without working out their keys again.

Every output's key hashes what it shows (site/emitter.py); at 10,000 posts working out every key
of the site is ~0.3 s, while an edit of one post's body can change only a few pages. The site's
structure — which posts are visible and in what order, series places and neighbours, tags and
their page names, the archive's months, the sitemap's URLs — is made only from:

- each post file's shown facts (`shown_facts`: its fields in the index but the word count);
- the build settings (blog.toml, the templates, --drafts: `BuildSettings.key`);
- the time, through the posts' statuses, which change only when a scheduled post comes due
  (the build's `next_due`), and through the day ("coming 30 Nov", a promise now late);
- static/'s paths (a static file wins over a page), the comments files and the standalone pages.

When all of these are as the last build found them (`SiteShape`) and no post file was added or
removed (`unchanged_structure`), a build keeps as they were:
- the pages made from the index alone (tags, archive, the series list, 404, the sitemap);
- a post page whose file, comments and series' promise ledger are as they were (what a part
  promised and who kept it come from its series' parts' bodies);
- a home page, series page or feed that lists no changed post (and, for a series, whose ledger
  is as it was).
Everything else (the changed posts' pages and the lists showing them, /stats/, redirects) is keyed
as always, and a kept output is still checked to be as the last build left its file
(`Outputs.kept_as_before`), so a page edited or deleted by hand is made again. As for the
manifest's sources, a post file is known by its size, mtime and inode.
"""

from __future__ import annotations

from typing import NamedTuple

from blogcli.model.post import Post
from blogcli.site.manifest import FileEntry, Manifest, SiteShape, key_of


def shown_facts(post: Post) -> str:
    """The key of what other pages can show of a post, or build from it: every field the index
    keeps but the word count (which only its own page, the lists showing its view and /stats/
    show, and those are keyed by its file's digest or made every time)."""
    return key_of(post.rel, post.title, _iso(post.date), _iso(post.created), _iso(post.updated), post.tags,
                  post.series, post.part, post.summary, post.next, post.fulfils, post.has_body,
                  [problem.as_dict() for problem in post.problems])


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def file_entries(stamps: dict[str, tuple[int, int, int]], posts: list[Post],
                 old: dict[str, FileEntry]) -> dict[str, FileEntry]:
    """Every post file the walk found, with its shown facts: the last build's entry where the file
    is as it was then, else worked out ("" for a file the index could not read)."""
    by_rel = None
    files = {}
    for rel, stamp in stamps.items():
        known = old.get(rel)
        if known is not None and (known.size, known.mtime_ns, known.inode) == stamp:
            files[rel] = known
            continue
        if by_rel is None:
            by_rel = {post.rel: post for post in posts}
        post = by_rel.get(rel)
        files[rel] = FileEntry(*stamp, shown_facts(post) if post is not None else "")
    return files


class Unchanged(NamedTuple):
    """What a build found unchanged since the last one, when the site's structure is as it was."""

    files: frozenset[str]  # post files changed since (their shown facts did not)
    shape: SiteShape  # the last build's


def unchanged_structure(old: Manifest, files: dict[str, FileEntry], shape: SiteShape) -> Unchanged | None:
    """The post files changed since the last build, when the site's structure cannot have changed
    (the module's docstring); None when it may have: a full pass over every key follows."""
    if old.shape is None or old.shape[:5] != shape[:5]:
        return None
    if old.files.keys() != files.keys():
        return None
    changed = [rel for rel, entry in files.items() if old.files[rel] != entry]
    for rel in changed:
        if not files[rel].facts or files[rel].facts != old.files[rel].facts:
            return None
    return Unchanged(frozenset(changed), old.shape)
