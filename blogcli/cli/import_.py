"""`blog import wordpress FILE.xml`, `blog import jekyll DIR`, `blog import hugo DIR`."""

from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from blogcli.cli.common import BlogTyper, VisibleStream, console, emit_json, open_workspace

import_app = BlogTyper(
    help="""Bring a blog from WordPress, Jekyll or Hugo, with its comments.

\b
Examples:
  blog import wordpress export.xml --dry-run
  blog import jekyll ~/old-blog
  blog import hugo ~/site --drafts-only
""",
    no_args_is_help=True,
)

_DRY_RUN = typer.Option("--dry-run", help="Show what would be created, changed and skipped, and why; write nothing.")
_DRAFTS_ONLY = typer.Option("--drafts-only", help="Import only the source's drafts (unfinished, private and pending posts).")
_JSON = typer.Option("--json", help="Print the result as JSON for scripts.")
ACTION_STYLE = {"create": "green", "update": "cyan", "unchanged": "dim", "kept": "yellow", "conflict": "bold red", "skip": "magenta"}


class CategoriesAs(str, Enum):
    tags = "tags"
    series = "series"


def register(app: BlogTyper) -> None:
    app.add_typer(import_app, name="import")


@import_app.command("wordpress")
def import_wordpress(
    file: Annotated[Path, typer.Argument(help="The export: WordPress → Tools → Export → All content.", show_default=False)],
    dry_run: Annotated[bool, _DRY_RUN] = False,
    drafts_only: Annotated[bool, _DRAFTS_ONLY] = False,
    download_media: Annotated[
        bool, typer.Option("--download-media", help="Fetch the blog's images and files into static/ and link them there.")
    ] = False,
    series_category: Annotated[
        Optional[list[str]],
        typer.Option("--series-category", metavar="NAME", help="Make this category a series, parts in date order (repeatable)."),
    ] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Import a WordPress export (WXR): posts, drafts, scheduled posts, pages and approved comments.

    \b
    Examples:
      blog import wordpress export.xml --dry-run   # what would change, and why
      blog import wordpress export.xml --series-category "Night Bus"
      blog import wordpress export.xml            # again later: only what changed
    """
    from blogcli.importers.wordpress import WordPressReader

    ws = open_workspace()
    reader = WordPressReader(file.expanduser(), ws.tz, ws.now(), tuple(series_category or ()))
    _run(ws, reader, file, dry_run, drafts_only, download_media, as_json)


@import_app.command("jekyll")
def import_jekyll(
    folder: Annotated[Path, typer.Argument(help="The Jekyll site's root folder (with _config.yml and _posts/).", show_default=False)],
    dry_run: Annotated[bool, _DRY_RUN] = False,
    drafts_only: Annotated[bool, _DRAFTS_ONLY] = False,
    categories_as: Annotated[
        CategoriesAs, typer.Option("--categories-as", help="What a post's categories become: tags, or its series (the first one).")
    ] = CategoriesAs.tags,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Import a Jekyll site: _posts/, _drafts/ and Markdown pages, Liquid tags converted.

    \b
    Examples:
      blog import jekyll ~/old-blog --dry-run
      blog import jekyll ~/old-blog --categories-as series
    """
    from blogcli.importers.jekyll import JekyllReader

    ws = open_workspace()
    reader = JekyllReader(folder.expanduser(), ws.tz, ws.now(), categories_as.value)
    _run(ws, reader, folder, dry_run, drafts_only, False, as_json)


@import_app.command("hugo")
def import_hugo(
    folder: Annotated[Path, typer.Argument(help="The Hugo site's root folder (with hugo.toml or config.toml).", show_default=False)],
    dry_run: Annotated[bool, _DRY_RUN] = False,
    drafts_only: Annotated[bool, _DRAFTS_ONLY] = False,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Import a Hugo site: content/ (YAML, TOML or JSON front matter), page bundles, shortcodes converted.

    \b
    Examples:
      blog import hugo ~/site --dry-run
      blog import hugo ~/site --drafts-only
    """
    from blogcli.importers.hugo import HugoReader

    ws = open_workspace()
    reader = HugoReader(folder.expanduser(), ws.tz, ws.now())
    _run(ws, reader, folder, dry_run, drafts_only, False, as_json)


def _run(ws, reader, source: Path, dry_run: bool, drafts_only: bool, download_media: bool, as_json: bool) -> None:
    from blogcli.ops.importing import import_source

    with _progress_bar(enabled=not as_json) as progress:
        result = import_source(ws, reader, str(source), dry_run=dry_run, drafts_only=drafts_only,
                               download_media=download_media, progress=progress)
    if as_json:
        emit_json(result.as_dict())
        return
    out = console()
    if dry_run:
        _table(out, result)
    _summary(out, result)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator:
    """A bar on stderr while the source is read and converted: only on a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    tasks: dict[str, int] = {}
    # A terminal's own: drawn in place, coloured unless NO_COLOR; past the stream that shows control
    # characters (the bar draws with them, and shows no text from files).
    stream = sys.stderr.stream if isinstance(sys.stderr, VisibleStream) else sys.stderr
    terminal = Console(file=stream, highlight=False)
    with Progress(TextColumn("{task.description:<10}"), BarColumn(), TaskProgressColumn(), console=terminal,
                  transient=True) as bar:

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total or None)
            bar.update(tasks[phase], completed=done, total=total or None)

        yield update


def _count(number: int, noun: str) -> str:
    """`1 post`, `2 posts`; `1 scheduled`; `1 media file`."""
    if number == 1 and noun not in ("scheduled", "unchanged") and not noun.startswith("kept"):
        noun = noun.replace("media files", "media file").replace("posts", "post").replace("drafts", "draft").replace(
            "pages", "page").replace("comments", "comment").replace("conflicts", "conflict")
    return f"{number} {noun}"


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _table(out, result) -> None:
    from rich.table import Table

    table = Table(title=f"What `blog import {result.reader.lower()}` would do", title_justify="left", expand=False)
    for column in ("Action", "File", "From", "Why"):
        table.add_column(column, overflow="fold")
    for change in result.changes:
        if change.action == "unchanged":
            continue
        style = ACTION_STYLE.get(change.action, "")
        table.add_row(f"[{style}]{change.action}[/]", _esc(change.rel or ""), _esc(change.origin), _esc(change.reason))
    if table.row_count:
        out.print(table)


def _summary(out, result) -> None:
    counts = result.tally()
    verb = "would import" if result.dry_run else "imported"
    done = [_count(counts[k], k) for k in ("posts", "drafts", "scheduled", "pages", "comments") if counts[k]]
    if counts["media"]:
        done.append(_count(counts["media"], "media files"))
    started = [c.origin for c in result.changes if c.kind == "series"]
    if started:
        done.append(f"{len(started)} new series ({', '.join(started)}: sections added to blog.toml)")
    out.print(f"{verb} from {result.reader} ({_esc(result.source)}): {', '.join(done) if done else 'nothing new'}", highlight=False)
    if result.comments_left:
        left = ", ".join(f"{n} {reason}" for reason, n in sorted(result.comments_left.items()))
        out.print(f"  comments not imported: {left}")
    again = [_count(counts[k], label) for k, label in (("unchanged", "unchanged"), ("kept", "kept (edited here)"),
                                                        ("conflict", "conflicts")) if counts[k]]
    if again:
        out.print("  already here: " + " · ".join(again))
    conflicts = [c for c in result.changes if c.action == "conflict"]
    if conflicts and not result.dry_run:
        out.print("[bold red]conflicts[/] (changed at the source and edited here; left as they are):")
        for change in conflicts:
            out.print(f"  {_esc(change.rel or '')}  ← {_esc(change.origin)}")
    skipped = [c for c in result.changes if c.action == "skip"]
    if skipped and not result.dry_run:
        out.print(f"skipped {len(skipped)}:")
        by_reason: dict[str, list[str]] = {}
        for change in skipped:
            by_reason.setdefault(change.reason, []).append(change.origin)
        for reason, origins in by_reason.items():
            shown = ", ".join(origins[:3]) + (f" and {len(origins) - 3} more" if len(origins) > 3 else "")
            out.print(f"  {_esc(shown)}: {_esc(reason)}")
    if result.notes:
        out.print("notes:")
        kinds = Counter(note for _, note in result.notes)
        shown = set()
        for path, note in result.notes:
            if kinds[note] > 3:
                if note not in shown:
                    shown.add(note)
                    out.print(f"  {kinds[note]} files: {_esc(note)}")
                continue
            out.print(f"  {_esc(path)}: {_esc(note)}")
