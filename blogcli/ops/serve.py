"""`blog serve`: the built site over HTTP on this machine, reloading open pages after a rebuild.

Only files inside the site folder are ever served: a request path is decoded once, any `.` or `..`
segment or hidden name is refused (403), and the resolved real path must stay inside the folder (a
symlink in static/ pointing elsewhere is refused too). Open HTML pages get a small script (added
while serving, never written to the site) that long-polls `/__blogcli_reload` and reloads the page
when the build counter moves.

Every header value goes out as printable ASCII (a Location made from a request path is encoded
again, so `%0D%0A` in it cannot end the header and start another), at most MAX_CONNECTIONS
connections are served at once (one more is answered 503 without a thread), and a connection that
sends nothing is closed after IDLE_SECONDS.
"""

from __future__ import annotations

import mimetypes
import os
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, quote, unquote, urlsplit

RELOAD_PATH = "/__blogcli_reload"
LONG_POLL_SECONDS = 25
# Connections served at once (each on its own thread); one more is answered 503 at once. Open pages
# hold one each for their reload poll, so this allows dozens of tabs, not hundreds of threads.
MAX_CONNECTIONS = 64
IDLE_SECONDS = 30  # a connection that sends no request for this long is closed
_BUSY = b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
# A header value is sent only as printable ASCII; anything else (a CR LF decoded from the request's
# path: response splitting) is percent-encoded first.
_HEADER_VALUE = re.compile(r"[\x20-\x7e]*")
_URL_SAFE = "/!$&'()*+,;=:@-._~"
WATCHED = ("drafts", "published", "pages", "static", "templates", "blog.toml")

_RELOAD_SCRIPT = """<script>/* added by blog serve: reload after a rebuild */
(function () {
  var build = "%s";
  function poll() {
    fetch("%s?v=" + build, {cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (now) { if (now !== build) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
</script>
"""


def resolve_request(site: Path, prefix: str, raw_path: str) -> tuple[str, object]:
    """What a request path maps to: ("file", Path), ("redirect", location), ("forbidden"|"missing", None)."""
    path = unquote(urlsplit(raw_path).path)
    if "\x00" in path or "\\" in path:
        return "forbidden", None
    if not path.startswith(prefix):
        return ("redirect", prefix) if path + "/" == prefix or path == "/" else ("missing", None)
    parts = path[len(prefix) :].split("/")
    if any(part in (".", "..") or part.startswith(".") for part in parts):
        return "forbidden", None
    real_site = os.path.realpath(site)
    target = Path(real_site, *[part for part in parts if part])
    real = os.path.realpath(target)
    if real != real_site and not real.startswith(real_site + os.sep):
        return "forbidden", None
    if os.path.isdir(real):
        if not path.endswith("/"):
            return "redirect", path + "/"
        real = os.path.join(real, "index.html")
    return ("file", Path(real)) if os.path.isfile(real) else ("missing", None)


class SiteServer(ThreadingHTTPServer):
    """Serves `site_dir` under `prefix` (the path of base_url); `reloaded()` after each rebuild."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, site_dir: Path, prefix: str = "/", max_connections: int = MAX_CONNECTIONS):
        super().__init__((host, port), _Handler)
        self.site_dir = site_dir
        self.prefix = prefix
        self.build_number = 1
        self._changed = threading.Condition()
        self.max_connections = max_connections
        self.open_connections = 0  # being served now, each on its thread
        self._counting = threading.Lock()

    def process_request(self, request, client_address) -> None:
        """Serve on a new thread while fewer than `max_connections` are; else answer 503 here."""
        with self._counting:
            full = self.open_connections >= self.max_connections
            if not full:
                self.open_connections += 1
        if full:
            try:
                request.settimeout(1)
                request.sendall(_BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._done()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._done()

    def _done(self) -> None:
        with self._counting:
            self.open_connections -= 1

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"

    def reloaded(self) -> None:
        """Tell open pages that the site changed."""
        with self._changed:
            self.build_number += 1
            self._changed.notify_all()

    def wait_for_build(self, seen: str, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: str(self.build_number) != seen, timeout=timeout)
            return self.build_number

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="blog-serve", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        with self._changed:
            self._changed.notify_all()


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "blogcli"
    timeout = IDLE_SECONDS

    def send_header(self, keyword: str, value) -> None:
        value = str(value)
        if not _HEADER_VALUE.fullmatch(value):
            value = quote(value, safe=_URL_SAFE)
        super().send_header(keyword, value)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def log_message(self, format: str, *args) -> None:  # requests are not worth a line each
        pass

    def _respond(self, send_body: bool) -> None:
        if urlsplit(self.path).path == RELOAD_PATH:
            seen = parse_qs(urlsplit(self.path).query).get("v", [""])[0]
            number = self.server.wait_for_build(seen, LONG_POLL_SECONDS)
            self._send(HTTPStatus.OK, str(number).encode(), "text/plain; charset=utf-8", send_body)
            return
        kind, found = resolve_request(self.server.site_dir, self.server.prefix, self.path)
        if kind == "redirect":
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", quote(str(found), safe=_URL_SAFE))  # the path was decoded: encode it again
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if kind == "file":
            self._send_file(HTTPStatus.OK, found, send_body)
            return
        status = HTTPStatus.FORBIDDEN if kind == "forbidden" else HTTPStatus.NOT_FOUND
        page = self.server.site_dir / "404.html"
        if status == HTTPStatus.NOT_FOUND and page.is_file():
            self._send_file(status, page, send_body)
        else:
            self._send(status, f"{status.value} {status.phrase}\n".encode(), "text/plain; charset=utf-8", send_body)

    def _send_file(self, status: HTTPStatus, path: Path, send_body: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:  # removed by a rebuild between resolving and reading
            self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", send_body)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = _with_reload_script(data, self.server.build_number)
        if kind.startswith("text/") or kind in ("application/xml", "application/atom+xml", "image/svg+xml", "application/javascript"):
            kind += "; charset=utf-8"
        self._send(status, data, kind, send_body)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, send_body: bool) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if send_body:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _with_reload_script(page: bytes, build_number: int) -> bytes:
    script = (_RELOAD_SCRIPT % (build_number, RELOAD_PATH)).encode()
    at = page.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def watch_changes(root: Path, stop: threading.Event, tick_ms: int = 1000) -> Iterator[set]:
    """Sets of changed paths among the author's files; an empty set every `tick_ms` without changes
    (so the caller can also rebuild when a scheduled post comes due)."""
    import logging

    from watchfiles import watch

    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # its "KeyboardInterrupt caught" is ours to report
    paths = [root / name for name in WATCHED if (root / name).exists()]
    yield from watch(*paths, stop_event=stop, yield_on_timeout=True, rust_timeout=tick_ms, raise_interrupt=False)
