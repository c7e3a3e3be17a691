"""Shell completion of real values (bash, zsh and fish through Click's completion protocol):
REF from the post index (slugs, and paths once a "/" is typed), series names, tags, trash
entries, statuses and sort keys. Each completer takes (ctx, incomplete), returns (value, help)
pairs, never raises (a shell must not print a traceback on Tab) and reads only the index, so it is as
fast as `blog list --json`.

Use one on a parameter with `autocompletion=`: `typer.Argument(metavar="REF", autocompletion=complete_ref)`.
"""

from __future__ import annotations

from typing import Any

STATUS_CHOICES = ("draft", "planned", "scheduled", "published")
SORT_CHOICES = ("date", "title", "part", "words", "updated")  # the same as ops.listing.SORTS (a test holds them equal)


def _workspace(ctx: Any):
    """The workspace the command line names (--root), else $BLOG_ROOT, else the one around us."""
    from blogcli.workspace.store import Workspace

    root = None
    while ctx is not None:
        root = (ctx.params or {}).get("root") or root
        ctx = ctx.parent
    return Workspace.open(root)


def _items(pairs, incomplete: str) -> list[tuple[str, str]]:
    """The (value, help) pairs whose value starts with `incomplete`, in order, once each."""
    seen, out = set(), []
    for value, help_text in pairs:
        if value.startswith(incomplete) and value not in seen:
            seen.add(value)
            out.append((value, help_text or ""))
    return out


def _safely(produce):
    # No annotations: Typer reads this signature (by the names ctx and incomplete) for every
    # parameter it builds, and evaluating annotations there cost `blog --help` ~10 ms.
    def complete(ctx, incomplete):
        try:
            return produce(ctx, incomplete or "")
        except Exception:  # a broken workspace completes nothing; Tab must never print a traceback
            return []

    complete.__name__ = produce.__name__
    complete.__doc__ = produce.__doc__
    return complete


@_safely
def complete_ref(ctx: Any, incomplete: str) -> list:
    """Slugs (a unique prefix completes to its post), or post paths when the word has a "/"."""
    posts = sorted(_workspace(ctx).posts, key=lambda p: p.slug)
    if "/" in incomplete:
        return _items(((p.rel, p.display_title) for p in posts), incomplete)
    return _items(((p.slug, p.display_title) for p in posts), incomplete)


@_safely
def complete_series(ctx: Any, incomplete: str) -> list:
    """Series by slug (their title as help); by title when what is typed starts one instead."""
    from blogcli.model.series import SeriesCatalogue

    ws = _workspace(ctx)
    every = SeriesCatalogue(ws.config.series, ws.posts).all
    by_slug = _items(((series.slug, series.title) for series in every), incomplete)
    if by_slug:
        return by_slug
    folded = incomplete.casefold()
    return [(series.title, series.slug) for series in every if series.title.casefold().startswith(folded)]


@_safely
def complete_tag(ctx: Any, incomplete: str) -> list:
    """Tags in use, the most used first."""
    from collections import Counter

    counts = Counter(tag for post in _workspace(ctx).posts for tag in post.tags)
    folded = incomplete.casefold()
    pairs = [(tag, f"{n} post{'s' if n != 1 else ''}") for tag, n in counts.most_common() if tag.casefold().startswith(folded)]
    return _items(pairs, "")


@_safely
def complete_trash(ctx: Any, incomplete: str) -> list:
    """Slugs of the posts in the trash."""
    from blogcli.ops.drafts import trash_entries

    return _items(((e.slug, e.origin) for e in reversed(trash_entries(_workspace(ctx)))), incomplete)


@_safely
def complete_status(ctx: Any, incomplete: str) -> list:
    return _items(((s, None) for s in STATUS_CHOICES), incomplete)


@_safely
def complete_sort(ctx: Any, incomplete: str) -> list:
    return _items(((s, None) for s in SORT_CHOICES), incomplete)


def statuses_callback(value):  # unannotated, as the completers are (Typer reads its signature)
    """`--status` values checked as a usage error (exit 2), naming the choices."""
    import typer

    for status in value or ():
        if status not in STATUS_CHOICES:
            raise typer.BadParameter(f"{status!r} is not one of: {', '.join(STATUS_CHOICES)}")
    return value
