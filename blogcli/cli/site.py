"""`blog build` and `blog serve`: the static site, and a local server that rebuilds on change."""

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from blogcli.cli.common import BlogTyper, console, emit_json, notify, open_workspace, show_path, warn

HANDFUL = 20  # builds rendering fewer posts than this show no progress bar


@contextmanager
def _progress_bar() -> Iterator:
    """A progress callback for build_site: a Rich bar on a terminal once there is real work,
    redrawn by the callback alone (no refresh thread)."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict = {}

    def update(done: int, total: int) -> None:
        if total < HANDFUL:
            return
        if "bar" not in state:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            bar = Progress("rendering posts", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                           console=console(stderr=True), transient=True, auto_refresh=False)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("posts", total=total)
        state["bar"].update(state["task"], completed=done, total=total, refresh=True)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()


def _free_port(host: str, taken: int, tries: int = 50) -> int | None:
    """The first port after `taken` that can be listened on now (None if none of the next `tries`)."""
    import socket

    for port in range(taken + 1, min(taken + 1 + tries, 65536)):
        try:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.bind((host, port))
            return port
        except OSError:
            continue
    return None


def warn_base_url(ws) -> None:
    """A warning (never a refusal) while blog.toml does not say where the site will live."""
    if ws.config.base_url_is_real:
        return
    where = "has no base_url" if "base_url" not in ws.config.raw else f"has base_url = {ws.config.base_url!r} (this machine)"
    warn(f"blog.toml {where}: feeds, the sitemap and canonical links point at {ws.config.base_url}, "
         "and no permanent feed id is stamped until base_url names the real site")


def _summary(result, verb: str = "built") -> str:
    parts = [f"{result.written} written", f"{result.unchanged} unchanged"]
    if result.removed:
        parts.append(f"{result.removed} removed")
    if result.caught_up:
        parts.append("posts changed meanwhile: brought up to date")
    return f"{verb} {show_path(result.out)}/ in {result.elapsed:.2f} s: " + ", ".join(parts)


def register(app: BlogTyper) -> None:
    @app.command("build")
    def build(
        out: Annotated[
            Optional[Path],
            typer.Option("--out", metavar="DIR", help="Where to write the site (default: site/ in the workspace). "
                         "Must be empty, new, or a site blogcli built before."),
        ] = None,
        drafts: Annotated[
            bool, typer.Option("--drafts", help="Include drafts (marked as such; never in feeds or the sitemap); needs --out DIR.")
        ] = False,
        clean: Annotated[bool, typer.Option("--clean", help="Throw away the previous output and build everything again.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
    ) -> None:
        """Build the static site into site/, redoing only what changed.

        Writes the home page, one page per post, series, tags, an archive by month, Atom feeds,
        sitemap.xml, 404.html and your static/ folder. Drafts (--drafts) go to another folder
        (--out DIR), never into site/, so a deploy of site/ never carries them.

        \b
        Examples:
          blog build
          blog build --clean
          blog build --drafts --out /tmp/preview-site
        """
        from blogcli.site.builder import build_site
        from blogcli.site.output import default_out

        ws = open_workspace()
        if drafts and (out is None or out.expanduser().resolve() == default_out(ws).resolve()):
            raise typer.BadParameter(
                f"drafts are never built into {show_path(default_out(ws))}/ (a deploy of it would publish them): "
                "give another folder with --out DIR, or see them with `blog serve --drafts`", param_hint="--drafts")
        warn_base_url(ws)
        with _progress_bar() as progress:
            result = build_site(ws, out, include_drafts=drafts, clean=clean, progress=progress)
        for message in result.warnings:
            warn(message)
        if as_json:
            emit_json(result.as_dict())
            return
        typer.echo(_summary(result))

    @app.command("serve")
    def serve(
        port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="N", help="Port to listen on (0 picks a free one).")] = 8000,
        host: Annotated[
            str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on; the default keeps the site on this machine.")
        ] = "127.0.0.1",
        drafts: Annotated[bool, typer.Option("--drafts", help="Show drafts too (built apart from site/, so they never reach it).")] = False,
    ) -> None:
        """Serve the site locally, rebuilding it on every change.

        Rebuilds when a post, a static file, a template or blog.toml changes (or a scheduled
        post comes due), and reloads the page open in the browser. Ctrl-C stops.

        \b
        Examples:
          blog serve
          blog serve --drafts --port 8001
        """
        import threading

        from blogcli.errors import BlogError, WriteFailed
        from blogcli.site.builder import build_site
        from blogcli.site.output import default_out
        from blogcli.site.urls import base_path
        from blogcli.ops.serve import SiteServer, watch_changes

        ws = open_workspace()
        out = ws.cache_dir / "drafts-site" if drafts else default_out(ws)
        with _progress_bar() as progress:
            result = build_site(ws, out, include_drafts=drafts, progress=progress)
        for message in result.warnings:
            warn(message)
        notify(_summary(result))
        try:
            server = SiteServer(host, port, out, base_path(ws.config.base_url))
        except OSError as exc:
            free = _free_port(host, port)
            raise WriteFailed(f"cannot listen on {host}:{port} ({exc.strerror})",
                              hint=f"another program uses that port: try --port {free}" if free else
                              "try another --port (0 picks any free one)") from None
        server.start()
        typer.echo(f"serving {server.url}  (Ctrl-C to stop)")
        stop = threading.Event()
        catch_up = True  # the watcher's first tick: build once more for changes made while it started
        try:
            for changes in watch_changes(ws.root, stop):
                due = result.next_due is not None and ws.now() >= result.next_due
                if not changes and not due and not catch_up:
                    continue
                catch_up = False
                try:
                    ws = open_workspace()
                    result = build_site(ws, out, include_drafts=drafts)
                except BlogError as exc:
                    warn(f"rebuild failed, still serving the last good site: {exc.message}")
                    continue
                for message in result.warnings:
                    warn(message)
                if result.written or result.removed:
                    notify(_summary(result, "scheduled post due: rebuilt" if due and not changes else "rebuilt"))
                    server.reloaded()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.stop()
            notify("stopped")
