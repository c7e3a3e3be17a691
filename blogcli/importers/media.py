"""Fetching a blog's media over HTTP (`--download-media`): plain urllib, bounded in time and size."""

from __future__ import annotations

from urllib.parse import urlsplit

from blogcli.errors import BlogError

TIMEOUT = 30  # seconds without an answer
LIMIT = 200 * 1024 * 1024  # bytes: larger files keep their URL


class DownloadFailed(BlogError):
    code = "download-failed"


def download(url: str, timeout: float = TIMEOUT, limit: int = LIMIT) -> bytes:
    """The bytes at an http(s) URL, or DownloadFailed saying why."""
    import urllib.error
    import urllib.request

    if urlsplit(url).scheme not in ("http", "https"):
        raise DownloadFailed(f"{url}: only http and https URLs are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "blogcli (blog import --download-media)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise DownloadFailed(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DownloadFailed(str(reason)) from None
    if len(data) > limit:
        raise DownloadFailed(f"larger than {limit // (1024 * 1024)} MB")
    return data
