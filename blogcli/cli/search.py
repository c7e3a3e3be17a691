"""`blog search`."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from blogcli.cli.common import BlogTyper, emit_json, open_workspace, plain_output, plain_width, warn
from blogcli.cli.completion import complete_series, complete_status, complete_tag, statuses_callback

SNIPPET_INDENT = "    "
DEFAULT_LIMIT = 20
JSON_SNIPPET_WIDTH = 120

EXAMPLES = """\b
Examples:
  blog search night bus             # both words, anywhere in a post
  blog search '"closed network"'    # the phrase: its quotes inside the shell's
  blog search 'mobil*' -tram        # words starting with mobil, and not tram
  blog search bus OR tram --status published --since 2025-01-01 --json
"""


def register(app: BlogTyper) -> None:
    # `-word` (leave out) is a word of the query, not an option.
    @app.command("search", epilog=EXAMPLES, context_settings={"ignore_unknown_options": True})
    def search_posts(
        query: Annotated[
            list[str],
            typer.Argument(
                metavar="QUERY",
                help='Words to find (all of them); "a phrase"; prefix*; -word to leave out; a OR b.',
                show_default=False,
            ),
        ],
        status: Annotated[
            Optional[list[str]],
            typer.Option("--status", metavar="STATUS", callback=statuses_callback, autocompletion=complete_status,
                         help="Only posts with this status: draft, planned, scheduled or published. Repeatable."),
        ] = None,
        series: Annotated[
            Optional[str], typer.Option("--series", metavar="SERIES", autocompletion=complete_series, help="Only this series (name or slug).")
        ] = None,
        tag: Annotated[Optional[str], typer.Option("--tag", metavar="TAG", autocompletion=complete_tag, help="Only posts with this tag.")] = None,
        since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="Only posts dated from DATE on.")] = None,
        until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="Only posts dated up to DATE (a day: to its end).")] = None,
        limit: Annotated[
            Optional[int], typer.Option("--limit", min=0, metavar="N", help=f"Show at most this many hits, best first (default {DEFAULT_LIMIT}; 0: all).")
        ] = None,
        pages: Annotated[bool, typer.Option("--pages", help="Also search pages (pages/*.md).")] = False,
        comments: Annotated[bool, typer.Option("--comments", help="Also search reader comments.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of hits for scripts.")] = False,
    ) -> None:
        """Search the text of every post, best match first.

        Titles, summaries, tags, series and bodies are searched. Each hit shows the file and line of its best match (path:line) and that line with the
        matched words marked. Case and accents do not matter (uber finds Über). No hit is not
        an error: nothing is printed (`[]` with --json) and the exit status is 0."""
        from blogcli.ops.search import search

        unknown = [word for word in query if word.startswith("--") and word[2:3].isalpha()]
        if unknown:  # a mistyped option is not words to leave out
            raise typer.BadParameter(f"no such option: {unknown[0]}", param_hint="QUERY")
        ws = open_workspace()
        limit = DEFAULT_LIMIT if limit is None else limit
        result = search(  # one more than shown, to know whether there are more
            ws, " ".join(query), statuses=status, series=series, tag=tag, since=since, until=until,
            limit=limit + 1 if limit else None, pages=pages, comments=comments,
        )
        more = bool(limit) and len(result.hits) > limit
        hits = result.hits[:limit] if limit else result.hits
        for problem in result.problems:
            warn(f"{problem} (not searched)")
        now = ws.now()
        if as_json:
            from blogcli.model.search_text import marked, snippet

            emit_json([hit.as_json(now, _snippet(hit, JSON_SNIPPET_WIDTH, marked, snippet)) for hit in hits])
            return
        if not hits:
            typer.echo("no post matches", err=True)
            return
        _print_hits(hits, now)
        if more:
            typer.echo(f"(the best {limit} shown; --limit N for more, --limit 0 for all)", err=True)


def _snippet(hit, width: int, marked, snippet) -> str:
    if hit.found is None:
        return ""
    text, spans = snippet(hit.found, width)
    return marked(text, spans)


def _heading(hit, now) -> str:
    post = hit.post
    state = post.status(now)
    when = f" {post.date:%Y-%m-%d}" if post.date and state != "draft" else ""
    if hit.kind == "comment":
        return f"comment by {hit.comment['author']} on {post.display_title} ({state}{when})"
    return f"{post.display_title} ({'page' if hit.kind == 'page' else state}{when})"


def _print_hits(hits, now) -> None:
    from blogcli.model.search_text import marked, snippet

    if plain_output(sys.stdout):
        width = max(20, plain_width() - len(SNIPPET_INDENT))
        out = []
        for hit in hits:
            out.append(f"{hit.path}:{hit.line}: {_heading(hit, now)}\n")
            text = _snippet(hit, width, marked, snippet)
            if text:
                out.append(f"{SNIPPET_INDENT}{text}\n")
        sys.stdout.write("".join(out))
    else:
        from rich.text import Text

        from blogcli.cli.common import console

        screen = console()
        width = max(20, screen.width - len(SNIPPET_INDENT))
        for hit in hits:
            line = Text()
            line.append(hit.path, style="magenta")
            line.append(":")
            line.append(str(hit.line), style="green")
            line.append(": ")
            line.append(_heading(hit, now), style="bold")
            screen.print(line, overflow="fold", crop=False)
            if hit.found is not None:
                text, spans = snippet(hit.found, width)
                shown = Text(SNIPPET_INDENT + text)
                for start, end in spans:
                    shown.stylize("bold", start + len(SNIPPET_INDENT), end + len(SNIPPET_INDENT))
                screen.print(shown, no_wrap=True, overflow="crop")
