"""A small in-memory WordPress REST API behind httpx.MockTransport, for the unit tests.

It answers the calls blogcli makes the way WordPress 6.1 does (checked against the real one in
tests/test_wordpress_live.py): discovery by the `Link` header, HTTP Basic with an application
password, posts (search, include, status=any, `_fields`), tags and categories (`term_exists`),
media (multipart upload, search of the description), comments (approved, paged). `fail` makes
one call fail: with a status, an exception before the server acts, or an exception after it acted
(a timeout that hides a post WordPress did create).
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx

USER, PASSWORD = "robin", "abcd efgh ijkl mnop qrst uvwx"
SITE = "https://blog.example/"


@dataclass
class Failure:
    method: str
    route: str  # a regex over the route (`posts$`, `media`…)
    status: int | None = None  # answer with this status (WordPress JSON error)
    code: str = "internal_server_error"
    raise_before: type[Exception] | None = None  # the server never sees the call
    raise_after: type[Exception] | None = None  # the server acts, the answer is lost
    times: int = 1


@dataclass
class FakeWordPress:
    style: str = "pretty"  # "pretty" (/wp-json/), "plain" (?rest_route=), "hidden" (no Link; plain permalinks),
    # "absent" (not WordPress: no REST API anywhere), "element" (the root names the API in a <link>, not a header)
    now: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 11, 25, 10, 0, 5, tzinfo=dt.timezone.utc))
    posts: dict[int, dict] = field(default_factory=dict)
    terms: dict[str, dict[int, dict]] = field(default_factory=lambda: {"tags": {}, "categories": {1: {"id": 1, "name": "Uncategorized", "slug": "uncategorized"}}})
    media: dict[int, dict] = field(default_factory=dict)
    comments: dict[int, dict] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100))
    _tick: itertools.count = field(default_factory=lambda: itertools.count(1))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def fail(self, method: str, route: str, **kwargs) -> None:
        self.failures.append(Failure(method, route, **kwargs))

    def edit_post(self, post_id: int, content: str) -> None:
        """An edit made on WordPress (in the same second as the last push: only the digest tells)."""
        self.posts[post_id]["content"] = content

    # -- the server ----------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = urlsplit(str(request.url))
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path in ("", "/") and "rest_route" not in query:
            return self._root(request)
        route = self._route(url.path, query)
        if route is None:
            return httpx.Response(404, text="<html><body>Not Found</body></html>", headers={"Content-Type": "text/html"})
        self.calls.append((request.method, route))
        failure = next((f for f in self.failures if f.method == request.method and re.search(f.route, route) and f.times > 0), None)
        if failure is not None:
            failure.times -= 1
            if failure.raise_before:
                raise failure.raise_before("injected", request=request)
            if failure.status:
                return _error(failure.status, failure.code, "Injected failure.")
        if not self._authorised(request):
            return _error(401, "incorrect_password", "The provided password is an invalid application password.")
        response = self._dispatch(request, route, query)
        if failure is not None and failure.raise_after:
            raise failure.raise_after("injected after the server acted", request=request)
        return response

    def _root(self, request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "text/html; charset=UTF-8"}
        if self.style == "pretty":
            headers["Link"] = f'<{SITE}wp-json/>; rel="https://api.w.org/"'
        elif self.style == "plain":
            headers["Link"] = f'<{SITE}?rest_route=/>; rel="https://api.w.org/"'
        elif self.style == "element":
            return httpx.Response(200, headers=headers, text=f'<html><head><link rel="https://api.w.org/" href="{SITE}wp-json/" /></head></html>')
        return httpx.Response(200, headers=headers, text="<html></html>")

    def _route(self, path: str, query: dict) -> str | None:
        if self.style == "absent":
            return None
        if self.style in ("pretty", "element") and path.startswith("/wp-json/wp/v2/"):
            return path[len("/wp-json/wp/v2/") :]
        if "rest_route" in query and query["rest_route"].startswith("/wp/v2/"):
            return query["rest_route"][len("/wp/v2/") :]
        return None

    def _authorised(self, request: httpx.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return user == USER and password.replace(" ", "") == PASSWORD.replace(" ", "")

    def _dispatch(self, request: httpx.Request, route: str, query: dict) -> httpx.Response:
        method = request.method
        parts = route.split("/")
        kind, item = parts[0], (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None)
        if route == "users/me":
            return self._json({"id": 7, "name": "Robin", "slug": USER})
        if kind == "posts":
            return self._posts(method, item, query, request)
        if kind in ("tags", "categories"):
            return self._terms(kind, method, item, query, request)
        if kind == "media":
            return self._media(method, query, request)
        if kind == "comments":
            return self._comments(query)
        return _error(404, "rest_no_route", "No route was found matching the URL and request method.")

    def _stamp(self) -> str:
        return (self.now + dt.timedelta(seconds=next(self._tick))).strftime("%Y-%m-%dT%H:%M:%S")

    def _posts(self, method: str, item: int | None, query: dict, request: httpx.Request) -> httpx.Response:
        if method == "GET" and item is None:
            found = list(self.posts.values())
            statuses = query.get("status", "publish")
            if statuses != "any":
                found = [p for p in found if p["status"] in statuses.split(",")]
            else:
                found = [p for p in found if p["status"] != "trash"]
            if "search" in query:
                found = [p for p in found if query["search"] in p["content"] or query["search"] in p["title"]]
            if "include" in query:
                wanted = {int(i) for i in query["include"].split(",")}
                found = [p for p in found if p["id"] in wanted]
            return self._json([self._post_view(p, query) for p in found])
        if item is not None and item not in self.posts:
            return _error(404, "rest_post_invalid_id", "Invalid post ID.")
        if method == "GET":
            return self._json(self._post_view(self.posts[item], query))
        data = json.loads(request.content)
        if item is None:
            item = next(self._ids)
            slug = data.get("slug", "post")
            taken = {p["slug"] for p in self.posts.values()}
            base, n = slug, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            self.posts[item] = {"id": item, "slug": slug, "status": "draft", "title": "", "content": "", "categories": [1],
                                "tags": [], "author": 7, "date_gmt": self._stamp(), "featured_media": 0, "excerpt": ""}
            data.pop("slug", None)
        post = self.posts[item]
        for key in ("title", "content", "excerpt", "status", "date_gmt", "tags", "categories", "featured_media"):
            if key in data:
                post[key] = data[key]
        if post["status"] == "future" and post["date_gmt"] <= self.now.strftime("%Y-%m-%dT%H:%M:%S"):
            post["status"] = "publish"
        post["modified_gmt"] = self._stamp()
        return self._json(self._post_view(post, {"context": "edit"}), 201 if request.url.path.endswith("posts") else 200)

    def _post_view(self, post: dict, query: dict) -> dict:
        view = {
            **post,
            "title": {"raw": post["title"], "rendered": post["title"]},
            "content": {"raw": post["content"], "rendered": post["content"]},
            "link": f"{SITE}{post['slug']}/" if post["status"] == "publish" else f"{SITE}?p={post['id']}",
        }
        fields = query.get("_fields")
        return {k: v for k, v in view.items() if k in fields.split(",")} if fields else view

    def _terms(self, kind: str, method: str, item: int | None, query: dict, request: httpx.Request) -> httpx.Response:
        terms = self.terms[kind]
        if method == "GET" and item is not None:
            return self._json(self._term_view(kind, terms[item]))
        if method == "GET":
            found = [t for t in terms.values() if query.get("search", "").lower() in t["name"].lower()]
            return self._json([self._term_view(kind, t) for t in found])
        data = json.loads(request.content)
        for term in terms.values():
            if term["name"].lower() == data["name"].lower():
                return _error(400, "term_exists", "A term with the name provided already exists.", term_id=term["id"])
        term_id = next(self._ids)
        terms[term_id] = {"id": term_id, "name": data["name"], "slug": data.get("slug") or data["name"].lower().replace(" ", "-")}
        return self._json(self._term_view(kind, terms[term_id]), 201)

    def _term_view(self, kind: str, term: dict) -> dict:
        base = "tag" if kind == "tags" else "category"
        return {**term, "link": f"{SITE}{base}/{term['slug']}/"}

    def _media(self, method: str, query: dict, request: httpx.Request) -> httpx.Response:
        if method == "GET":
            found = [m for m in self.media.values() if query.get("search", "") in m["description"]["raw"]]
            return self._json(found)
        fields, file_name, data = _multipart(request)
        if file_name.endswith(".svg"):
            return _error(500, "rest_upload_unknown_error", "Sorry, you are not allowed to upload this file type.")
        media_id = next(self._ids)
        self.media[media_id] = {
            "id": media_id, "source_url": f"{SITE}wp-content/uploads/{file_name}", "size": len(data),
            "description": {"raw": fields.get("description", ""), "rendered": ""}, "alt_text": fields.get("alt_text", ""),
        }
        return self._json(self.media[media_id], 201)

    def _comments(self, query: dict) -> httpx.Response:
        wanted = {int(i) for i in query.get("post", "").split(",") if i}
        found = [c for c in sorted(self.comments.values(), key=lambda c: c["id"]) if c["post"] in wanted and c["status"] == "approved"]
        per_page, page = int(query.get("per_page", 10)), int(query.get("page", 1))
        pages = max(1, -(-len(found) // per_page))
        chosen = found[(page - 1) * per_page : page * per_page]
        fields = query.get("_fields", "").split(",")
        body = [{k: v for k, v in c.items() if k in fields} for c in chosen]
        return self._json(body, headers={"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)})

    def _json(self, data, status: int = 200, headers: dict | None = None) -> httpx.Response:
        return httpx.Response(status, json=data, headers={"Date": _http_date(self.now), **(headers or {})})


def _error(status: int, code: str, message: str, **data) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "message": message, "data": {"status": status, **data}})


def _http_date(moment: dt.datetime) -> str:
    import email.utils

    return email.utils.format_datetime(moment.astimezone(dt.timezone.utc), usegmt=True)


def _multipart(request: httpx.Request) -> tuple[dict, str, bytes]:
    boundary = request.headers["Content-Type"].split("boundary=", 1)[1].encode()
    fields, file_name, data = {}, "", b""
    for part in request.content.split(b"--" + boundary)[1:-1]:
        head, _, body = part.strip(b"\r\n").partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]+)"', head).group(1).decode()
        found = re.search(rb'filename="([^"]+)"', head)
        if found:
            file_name, data = found.group(1).decode(), body
        else:
            fields[name] = body.decode()
    return fields, file_name, data
