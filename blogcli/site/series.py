"""The series as the site shows them: parts in order, neighbours, titles, and promise ledgers.

Everything of the site build that knows series rules is here, so that replacing it by the one
series model (issue 11) is a change to this module only. Until then it reads those rules from
`ops.series` (parts, titles, settings) and `ops.promises` (the ledger): the one dependency of
the site package on `ops`.

- `SiteSeries`: the visible posts' series, what a post page shows of its series (`post_context`),
  and what a series page shows (`title`, `settings`, `promise`).
- Ledgers: each series' promise ledger is computed from every part (drafts and scheduled parts can
  keep promises), cached in the manifest under the key of its parts' paths, stats and statuses
  (`plan_ledgers`), and computed again only for series whose key changed (`series_ledgers`, run in
  the worker processes when there are many).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

from blogcli.model.post import Post
from blogcli.model.series import series_key
from blogcli.site.manifest import LedgerEntry, key_of
from blogcli.site.urls import series_url
from blogcli.workspace.config import Config
from blogcli.workspace.store import Workspace

LedgerJob = tuple[str, str, list[Post]]  # (series key, series name, every part)


class SeriesScope:
    """The workspace as the promise ledger sees it, narrowed to one series' posts.

    The ledger looks series up by scanning `ws.posts`; handing it only the series' own posts keeps
    each series' ledger proportional to its length rather than to the whole blog.
    """

    def __init__(self, ws: Workspace, posts: list[Post]):
        self._ws = ws
        self.posts = posts
        self._indexed = {post.rel: post for post in posts}

    def __getattr__(self, name: str):
        return getattr(self._ws, name)

    def load(self, rel: str) -> Post:
        """The indexed post with its file's text: the ledger reads bodies, and the index already
        holds the header's fields, so the header is not parsed again."""
        from dataclasses import replace

        from blogcli.errors import UnreadableFile
        from blogcli.model.document import Document

        try:
            data = self._ws.path_of(rel).read_bytes()
        except OSError as exc:
            raise UnreadableFile(f"cannot read ({exc.strerror})", path=rel) from None
        return replace(self._indexed[rel], doc=Document.from_bytes(data, rel))


def series_promises(ws: Workspace, name: str, posts: list[Post]) -> list[dict]:
    """The series' promises as the site shows them: the text, the posts that made it, who keeps it."""
    from blogcli.ops.promises import promise_ledger

    return [
        {"text": p.text, "made_in": list(p.made_in), "keeper": p.fulfilled_by}
        for p in promise_ledger(SeriesScope(ws, posts), name)
    ]


def series_ledgers(settings, jobs: list[LedgerJob]) -> list[tuple[str, list[dict]]]:
    """A pool job (see site/pool.py): the ledgers of these series."""
    ws = Workspace(Path(settings.root), settings.config)
    return [(key, series_promises(ws, name, posts)) for key, name, posts in jobs]


def plan_ledgers(posts: list[Post], now: dt.datetime, stat: Callable[[str], tuple[int, int] | None], settings_key: str,
                 old: dict[str, LedgerEntry]) -> tuple[dict[str, LedgerEntry], list[LedgerJob]]:
    """Every series' ledger entry: kept from `old` where its parts did not change, else to be
    computed (an entry with no promises yet, and a job)."""
    groups: dict[str, list[Post]] = {}
    for post in posts:  # every status: drafts and scheduled parts can keep promises
        if post.series:
            groups.setdefault(series_key(post.series), []).append(post)
    ledgers: dict[str, LedgerEntry] = {}
    jobs: list[LedgerJob] = []
    for key, parts in groups.items():
        inputs = []
        for post in parts:
            st = stat(post.rel)
            if st is None:
                continue
            inputs.append([post.rel, *st, post.status(now)])
        ledger_key = key_of(settings_key, sorted(inputs))
        cached = old.get(key)
        if cached and cached.key == ledger_key:
            ledgers[key] = cached
        else:
            ledgers[key] = LedgerEntry(ledger_key, None)
            jobs.append((key, parts[0].series, parts))
    return ledgers, jobs


class SiteSeries:
    """Series (parts in order, neighbours among the visible parts) and their promises."""

    def __init__(self, posts: list[Post], config: Config, base: str):
        from blogcli.ops.series import series_parts

        self.base = base
        self.config = config
        self.visible = {p.slug: p for p in posts}
        groups: dict[str, list[Post]] = {}
        for post in posts:
            if post.series:
                groups.setdefault(series_key(post.series), []).append(post)
        self.parts = {key: series_parts(parts, parts[0].series) for key, parts in groups.items()}
        self.position = {p.rel: (key, i) for key, parts in self.parts.items() for i, p in enumerate(parts)}
        self.counts = {key: max(len(parts), max((p.part or 0) for p in parts)) for key, parts in self.parts.items()}
        self.titles: dict[str, str] = {}
        self.sections: dict[str, dict] | None = None
        self.promise_of: dict[str, dict] = {}  # slug → the last promise that post made or repeated

    def keep_promises(self, promises: dict[str, list[dict]]) -> None:
        """The series' ledgers (they come after the model: pages outside series do not wait for them)."""
        for ledger in promises.values():
            for promise in ledger:
                for slug in promise["made_in"]:
                    self.promise_of[slug] = promise

    def _config_for(self, key: str):
        """blog.toml narrowed to the sections that can name this series (matched by slug or title),
        so ops.series' lookups cost one section, not one per series of the blog."""
        if self.sections is None:
            self.sections = {}
            for section, settings in self.config.series.items():
                title = settings.get("title") if isinstance(settings, dict) else None
                for slug in {series_key(section), series_key(title) if isinstance(title, str) else None} - {None}:
                    self.sections.setdefault(slug, {})[section] = settings
        return SimpleNamespace(series=self.sections.get(key, {}))

    def title(self, key: str) -> str:
        from blogcli.ops.series import series_title

        if key not in self.titles:
            self.titles[key] = series_title(self._config_for(key), self.parts[key][0].series)
        return self.titles[key]

    def settings(self, key: str) -> dict:
        from blogcli.ops.series import series_settings

        return series_settings(self._config_for(key), self.parts[key][0].series)

    def url(self, key: str) -> str:
        return series_url(self.base, key)

    def link(self, post: Post | None) -> dict | None:
        return {"title": post.display_title, "url": f"{self.base}{post.slug}/"} if post else None

    def promise(self, post: Post) -> dict | None:
        """What `post` promised comes next, with a link once a post on the site keeps it."""
        promise = self.promise_of.get(post.slug)
        if promise is None:
            return None
        keeper = self.visible.get(promise["keeper"]) if promise["keeper"] else None
        return {"text": promise["text"], "kept_by": self.link(keeper)}

    def post_context(self, post: Post) -> dict:
        """What a post page shows of other posts: its place in the series and what it promised.

        Neighbours are the visible parts around it (not ops.series.neighbours, which counts
        drafts and planned parts a reader cannot open).
        """
        if not post.series:
            return {}
        key, index = self.position[post.rel]
        parts = self.parts[key]
        latest = index == len(parts) - 1
        promise = self.promise(post)
        return {
            "series": {
                "title": self.title(key),
                "url": self.url(key),
                "part": post.part or index + 1,
                "count": self.counts[key],
                "prev": self.link(parts[index - 1]) if index > 0 else None,
                "next": self.link(parts[index + 1]) if not latest else None,
                "latest": latest,
            },
            # "Coming next" on the latest part; a link to the keeper once it is published
            "teaser": promise if promise and (promise["kept_by"] or latest) else None,
        }
