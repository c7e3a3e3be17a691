"""A WordPress site's REST API (wp/v2) over httpx: discovery, authentication, errors.

Discovery follows WordPress's own rule: the site's root answers with a header
`Link: <https://example.org/wp-json/>; rel="https://api.w.org/"` (or, with pretty permalinks off,
`<https://example.org/?rest_route=/>`). A site that hides the header gets `wp-json/`, and when that
answers 404 with something other than WordPress's JSON (permalinks off, so the web server or
WordPress's theme answered), the `?rest_route=` form is tried once and kept.

Every failure becomes one BlogError with a hint: a wrong password (401), a missing route (404),
a timeout, a refused connection, a server error (5xx). Requests are never retried here: the use
cases are written so that running the command again is what a retry is, and is safe.
Redirects are not followed for API calls: an HTTP client turns a redirected POST into a GET,
which would read a list where a post was to be made.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import urlsplit

from blogcli import __version__
from blogcli.errors import RemoteAuthError, RemoteError, RemoteUnreachable
from blogcli.publishing.wordpress.target import Credentials, WordPressTarget

API_REL = "https://api.w.org/"
NAMESPACE = "wp/v2/"
PER_PAGE = 100
_TAG = re.compile(r"<[^>]+>")
_LINK_ELEMENT = re.compile(r"""<link[^>]+rel=["']https://api\.w\.org/["'][^>]*>""", re.I)
_HREF = re.compile(r"""href=["']([^"']+)["']""", re.I)


@dataclass
class Reply:
    """A decoded answer: the JSON and the headers that matter (paging, the server's clock)."""

    data: Any
    total_pages: int = 1
    date: dt.datetime | None = None


class WordPressClient:
    """An authenticated connection to one WordPress site. `transport` is for tests (httpx.MockTransport)."""

    def __init__(self, target: WordPressTarget, credentials: Credentials, transport=None):
        import httpx

        self.target = target
        self.site = target.url
        auth = None if credentials.bearer else httpx.BasicAuth(credentials.user or "", credentials.secret)
        headers = {"User-Agent": f"blogcli/{__version__}", "Accept": "application/json"}
        if credentials.bearer:
            headers["Authorization"] = f"Bearer {credentials.secret}"
        self._user = credentials.user or "(token)"
        self._http = httpx.Client(timeout=target.timeout, transport=transport, auth=auth, headers=headers)
        self._base: str | None = None  # the wp/v2 namespace root, or the ?rest_route= prefix
        self._query_style = False
        self._may_switch = target.api is None  # a discovered wp-json/ may turn out to be ?rest_route=
        self.server_now: dt.datetime | None = None  # WordPress's clock, from its last answer to connect()

    # -- connecting ----------------------------------------------------------------------------

    def connect(self) -> "WordPressClient":
        """Find the API and check the credentials (GET users/me): what fails here changes nothing."""
        self._set_root(self.target.api or self._discover())
        self.server_now = self.request("GET", "users/me", params={"context": "edit", "_fields": "id"}).date
        return self

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "WordPressClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _discover(self) -> str:
        """The REST root the site announces (Link header, else the <link> element), else wp-json/."""
        response = self._send("HEAD", self.site, follow_redirects=True)
        link = response.links.get(API_REL, {}).get("url")
        if not link:  # a server that drops the header, or answers HEAD badly: the page itself
            response = self._send("GET", self.site, follow_redirects=True)
            if response.status_code >= 500:
                self._raise_for(response, "GET", "the home page")
            link = response.links.get(API_REL, {}).get("url")
            element = _LINK_ELEMENT.search(response.text) if not link and response.status_code < 400 else None
            found = _HREF.search(element.group(0)) if element else None
            link = link or (found.group(1) if found else None)
        if link:
            self._may_switch = False
            return link
        return str(response.url).split("?", 1)[0].rstrip("/") + "/wp-json/"

    def _set_root(self, root: str) -> None:
        if "rest_route=" in root:
            self._query_style = True
            self._base = root.split("?", 1)[0]
            self._prefix = "/" + NAMESPACE
        else:
            self._query_style = False
            root = root if root.endswith("/") else root + "/"
            self._base = root if "/wp/v2/" in urlsplit(root).path else root + NAMESPACE
            self._prefix = ""

    def _switch_to_query_style(self) -> None:
        self._may_switch = False
        self._set_root(self.site.split("?", 1)[0] + "?rest_route=/")

    # -- requests ------------------------------------------------------------------------------

    def url_of(self, route: str) -> tuple[str, dict]:
        """The URL and query parameters of a route (`posts/42`) under the API root."""
        if self._query_style:
            return self._base, {"rest_route": self._prefix + route}
        return self._base + route, {}

    def request(self, method: str, route: str, *, params: dict | None = None, json: Any = None,
                files: dict | None = None, data: dict | None = None) -> Reply:
        """One call; `files` and `data` make a multipart form (an upload with its fields)."""
        url, query = self.url_of(route)
        response = self._send(method, url, params={**query, **(params or {})}, json=json, files=files, data=data)
        if response.status_code == 404 and self._may_switch and not _is_wordpress_json(response):
            self._switch_to_query_style()
            return self.request(method, route, params=params, json=json, files=files, data=data)
        if response.status_code >= 300:
            self._raise_for(response, method, route)
        self._may_switch = False
        try:
            data = response.json()
        except ValueError:
            raise RemoteError(
                f"WordPress at {self.site} answered {method} {route} with something that is not JSON",
                hint="check url in [publish.wordpress]; a security plugin may be blocking the REST API",
            ) from None
        return Reply(data, _int(response.headers.get("X-WP-TotalPages"), 1), _http_date(response))

    def get(self, route: str, **params) -> Any:
        return self.request("GET", route, params=params).data

    def post(self, route: str, data: dict, **params) -> Any:
        return self.request("POST", route, json=data, params=params or None).data

    def each(self, route: str, **params) -> Iterator[dict]:
        """Every item of a collection, page by page (X-WP-TotalPages)."""
        page = 1
        while True:
            reply = self.request("GET", route, params={**params, "per_page": PER_PAGE, "page": page})
            yield from reply.data if isinstance(reply.data, list) else []
            if page >= reply.total_pages:
                return
            page += 1

    def _send(self, method: str, url: str, follow_redirects: bool = False, **kwargs):
        import httpx

        try:
            return self._http.request(method, url, follow_redirects=follow_redirects, **kwargs)
        except httpx.TimeoutException:
            raise RemoteUnreachable(
                f"WordPress at {self.site} did not answer within {self.target.timeout:g} s",
                hint="try again later (running the same command again is safe); a slow site can be given more: "
                "[publish.wordpress] timeout = 60",
            ) from None
        except httpx.ConnectError as exc:
            raise RemoteUnreachable(
                f"cannot reach WordPress at {self.site}: {_reason(exc)}",
                hint="is the site up, and is url in [publish.wordpress] right? Running the command again is safe",
            ) from None
        except httpx.HTTPError as exc:
            raise RemoteUnreachable(
                f"talking to WordPress at {self.site} failed: {_reason(exc)}", hint="try again (running the same command again is safe)"
            ) from None

    def _raise_for(self, response, method: str, route: str) -> None:
        error = self._error_for(response, method, route)
        error.remote_code, error.remote_message = _wordpress_error(response)
        error.remote_data = _error_data(response)
        raise error

    def _error_for(self, response, method: str, route: str) -> RemoteError:
        status = response.status_code
        code, message = _wordpress_error(response)
        said = f" ({status} {code}: {message})" if code else f" ({status} {response.reason_phrase})"
        if status == 401 or code in ("incorrect_password", "invalid_username", "rest_not_logged_in"):
            return RemoteAuthError(
                f"WordPress at {self.site} did not accept the user {self._user!r} and its password{said}",
                hint="check the application password (Users → Profile → Application Passwords) given by "
                "BLOG_WORDPRESS_PASSWORD or password_command; over plain http WordPress accepts it only on a local test site",
            )
        if status == 403:
            return RemoteAuthError(
                f"WordPress at {self.site} does not let {self._user!r} {_action(method, route)}{said}",
                hint="the user needs the Author role or higher (Editor to update the posts of others)",
            )
        if status == 404 and code in (None, "rest_no_route"):
            return RemoteError(
                f"WordPress at {self.site} has no REST route {route}{said}",
                hint="check url in [publish.wordpress]; if the site's REST API lives elsewhere, set api "
                '(e.g. "https://example.org/wp-json/" or, with pretty permalinks off, "https://example.org/?rest_route=/")',
            )
        if 300 <= status < 400:
            return RemoteError(
                f"WordPress at {self.site} redirected {method} {route} to {response.headers.get('Location', '?')}",
                hint="set url (or api) in [publish.wordpress] to the address it redirects to",
            )
        if status >= 500:
            return RemoteError(
                f"WordPress at {self.site} failed to {_action(method, route)}{said}",
                hint="try again later (running the same command again is safe); the site's error log says why",
            )
        return RemoteError(f"WordPress at {self.site} refused to {_action(method, route)}{said}")


def _action(method: str, route: str) -> str:
    kind = route.split("?", 1)[0].split("/", 1)[0]
    verb = {"GET": "read", "HEAD": "read", "POST": "update" if "/" in route else "create", "DELETE": "delete"}.get(method, method)
    return f"{verb} {kind}" if kind else verb


def _is_wordpress_json(response) -> bool:
    """WordPress's REST errors are JSON with a `code`; a web server's or a theme's 404 page is not."""
    return _wordpress_error(response)[0] is not None


def _wordpress_error(response) -> tuple[str | None, str]:
    try:
        data = response.json()
    except ValueError:
        return None, ""
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return None, ""
    message = " ".join(_TAG.sub("", str(data.get("message") or "")).split())
    return data["code"], message[:200]


def _error_data(response) -> dict:
    try:
        data = response.json().get("data")
    except (ValueError, AttributeError):
        return {}
    return data if isinstance(data, dict) else {}


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if "refused" in text.lower():
        return "connection refused"
    return " ".join(text.split())[:200]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _http_date(response) -> dt.datetime | None:
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).astimezone(dt.timezone.utc)
    except (TypeError, ValueError):
        return None


def open_client(target: WordPressTarget, transport=None) -> WordPressClient:
    """A connected client: API found, credentials checked."""
    from blogcli.publishing.wordpress.target import credentials

    client = WordPressClient(target, credentials(target), transport=transport)
    try:
        return client.connect()
    except BaseException:
        client.close()
        raise
