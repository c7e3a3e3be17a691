"""The series as the site shows them, by the one series model (blogcli.model.series, .ledger).

- `SiteSeries`: the series of the visible posts, one per series whatever spelling its posts use
  (`SeriesCatalogue`); what a post page shows of its series (`post_context`: "Part N of M" by
  `part_of`, neighbours among the visible parts), and what a series page shows (`title`,
  `description`, `count`, `coming`: parts not out yet, by `coming_parts`, shown without a link).
- Ledgers: each series' promise ledger (`model.ledger.build_ledger`, from the parts' texts: no
  stand-in workspace or config) is cached in the manifest under the key of its parts' paths,
  stats and statuses (`plan_ledgers`), and computed again only for series whose key changed
  (`series_ledgers`, run in the worker processes when there are many).
"""

from __future__ import annotations

import datetime as dt
import os
from operator import attrgetter
from pathlib import Path
from typing import Callable, NamedTuple

from blogcli.model.post import DRAFTS, Post, read_file
from blogcli.model.series import (
    PartOf,
    SeriesCatalogue,
    around,
    coming_parts,
    is_out,
    part_of,
    part_total,
    series_schedule,
)
from blogcli.site.manifest import LedgerEntry, key_of
from blogcli.site.urls import series_url, url_for
from blogcli.workspace.config import Config


class LedgerJob(NamedTuple):
    key: str  # the series' slug
    title: str
    period_days: int  # its cadence's period (a promise is due one period after it was made)
    now: dt.datetime
    parts: list[Post]  # every part, in order


def part_texts(root: Path, parts: list[Post]) -> list:
    """The parts' texts as `model.ledger.build_ledger` reads them (`PartText`); a file that
    cannot be read counts as empty."""
    from blogcli.errors import BlogError
    from blogcli.model.document import Document
    from blogcli.model.ledger import PartText
    from blogcli.model.aliases import header_aliases

    texts = []
    for post in parts:
        try:
            doc = Document.from_bytes(read_file(os.path.join(root, post.rel)), post.rel)  # scanned paths: no realpath needed
        except (OSError, BlogError):
            texts.append(PartText(post))
            continue
        texts.append(PartText.from_document(post, doc, header_aliases(doc)))
    return texts


def series_promises(root: Path, job: LedgerJob) -> list[dict]:
    """The series' promises as the site keeps them (the manifest's format): the topic ("" for a
    teaser without one, "Stay tuned!"), the posts that made it, who keeps it, when it was made and
    when it is due. What does not depend on the time now: the status follows from the keeper's
    status now (`model.ledger.promise_status`; /stats/ asks for it)."""
    from blogcli.model.ledger import build_ledger

    ledger = build_ledger(job.title, job.key, part_texts(root, job.parts), dt.timedelta(days=job.period_days), job.now)
    return [{"text": p.text, "made_in": list(p.made_in), "keeper": p.fulfilled_by, "keeper_rel": p.keeper_rel,
             "made_on": p.made_on.isoformat() if p.made_on else None, "due": p.due.isoformat() if p.due else None}
            for p in ledger]


def series_ledgers(settings, jobs: list[LedgerJob]) -> list[tuple[str, list[dict]]]:
    """A pool job (see site/pool.py): the ledgers of these series."""
    return [(job.key, series_promises(Path(settings.root), job)) for job in jobs]


def plan_ledgers(known: SeriesCatalogue, tz: dt.tzinfo, now: dt.datetime, stat: Callable[[str], tuple[int, int] | None],
                 settings_key: str, old: dict[str, LedgerEntry],
                 changed: frozenset[str] | None = None) -> tuple[dict[str, LedgerEntry], list[LedgerJob]]:
    """Every series' ledger entry: kept from `old` where its parts did not change, else to be
    computed (an entry with no promises yet, and a job). `known` holds every post (drafts and
    scheduled parts can keep promises): the site's own catalogue (`SiteSeries.catalogue`).
    `changed`: the site's structure is as the last build left it and only these post files changed
    (site/shape.py), so a series with none of them among its parts keeps its entry unkeyed."""
    ledgers: dict[str, LedgerEntry] = {}
    jobs: list[LedgerJob] = []
    for series in known.all:
        parts = known.parts(series)
        if not parts:
            continue
        cached = old.get(series.slug)
        if cached and changed is not None and not any(post.rel in changed for post in parts):
            ledgers[series.slug] = cached
            continue
        stamp = []
        for post in parts:
            st = stat(post.rel)
            if st is None:
                continue
            stamp.append([post.rel, *st, post.status(now)])
        period = series_schedule(series, parts, tz).cadence.period
        ledger_key = key_of(settings_key, series.title, period.days, sorted(stamp))
        if cached and cached.key == ledger_key:
            ledgers[series.slug] = cached
        else:
            ledgers[series.slug] = LedgerEntry(ledger_key, None)
            jobs.append(LedgerJob(series.slug, series.title, period.days, now, parts))
    return ledgers, jobs


class SiteSeries:
    """Series (parts in order, neighbours among the visible parts) and their promises.

    `posts` are the visible posts (some of `every`'s objects, one per slug: `visible_posts`);
    `every` all posts of the blog (scheduled and planned parts count in "Part N of M" and are
    announced as coming)."""

    def __init__(self, posts: list[Post], config: Config, base: str, every: list[Post], now: dt.datetime, tz: dt.tzinfo):
        self.base = base
        self.now = now
        self.tz = tz
        self.visible = dict(zip(map(attrgetter("slug"), posts), posts))  # slug → post, in C loops: ~1 ms less at 10,000
        self.catalogue = SeriesCatalogue(config.series, every)
        visible = self.visible
        self.series = {}
        self.parts: dict[str, list[Post]] = {}  # each series' visible parts, in order
        for series in self.catalogue.all:
            # the visible posts are some of `every`'s objects: a part is shown if it is the post
            # its slug shows (no set of 10,000 paths made: ~3 ms)
            parts = [p for p in self.catalogue.parts(series) if visible.get(p.slug) is p]
            if parts:
                self.series[series.slug], self.parts[series.slug] = series, parts
        self.position = {p.rel: (key, i) for key, parts in self.parts.items() for i, p in enumerate(parts)}
        self.promise_of: dict[str, dict] = {}  # slug → the last promise that post made or repeated
        self.ledgers: dict[str, list[dict]] = {}  # every series' promises (series_promises), by its slug
        self.counts: dict[str, int] = {}
        self.links: dict[str, dict] = {}  # rel → a link to that part (`link`)
        self.coming_until: dt.datetime | None = None  # the first slot `coming` gave a draft part: it moves on then

    def keep_promises(self, promises: dict[str, list[dict]]) -> None:
        """The series' ledgers (they come after the model: pages outside series do not wait for
        them). A teaser without a topic ("Stay tuned!") has nothing to show on a page."""
        self.ledgers = {key: ledger or [] for key, ledger in promises.items()}
        for ledger in self.ledgers.values():
            for promise in ledger:
                if not promise["text"]:
                    continue
                for slug in promise["made_in"]:
                    self.promise_of[slug] = promise

    def every_part(self, key: str) -> list[Post]:
        return self.catalogue.parts(self.series[key])

    def title(self, key: str) -> str:
        return self.series[key].title

    def description(self, key: str) -> str:
        return self.series[key].description

    def count(self, key: str) -> int:
        """How many parts the series has so far: out or scheduled (model.series.part_total)."""
        if key not in self.counts:
            self.counts[key] = part_total(self.every_part(key), self.now)
        return self.counts[key]

    def coming(self, key: str) -> list[dict]:
        """Parts not out yet (scheduled, drafted, planned) and not shown: "Part 4 – coming 30 Nov 2026"."""
        schedule = series_schedule(self.series[key], self.every_part(key), self.tz)
        found = []
        for part in coming_parts(self.every_part(key), schedule.cadence, self.now, self.tz):
            if part.date and part.post.folder == DRAFTS and (self.coming_until is None or part.date < self.coming_until):
                self.coming_until = part.date  # the next free slot after now: a later now may give a later one
            if part.post.slug in self.visible:
                continue
            local = part.date.astimezone(self.tz) if part.date else None
            found.append({"number": part.number, "coming": True, "date": local.isoformat() if local else None,
                          "date_text": f"{local.day} {local:%b %Y}" if local else None})
        return found

    def url(self, key: str) -> str:
        return series_url(self.base, key)

    def link(self, post: Post | None) -> dict | None:
        """A link to a visible part (made once per post: its neighbours on both sides show it)."""
        if post is None:
            return None
        if post.rel not in self.links:
            self.links[post.rel] = {"title": post.display_title, "url": url_for(post, self.base)}
        return self.links[post.rel]

    def promise(self, post: Post) -> dict | None:
        """What `post` promised comes next, with a link once a post on the site keeps it."""
        promise = self.promise_of.get(post.slug)
        if promise is None:
            return None
        keeper = self.visible.get(promise["keeper"]) if promise["keeper"] else None
        return {"text": promise["text"], "kept_by": self.link(keeper)}

    def post_context(self, post: Post) -> dict:
        """What a post page shows of other posts: its place in the series ("Part N of M" counts the
        parts out or scheduled) and what it promised. Neighbours are the visible parts around it."""
        if post.rel not in self.position:
            return {}
        key, index = self.position[post.rel]
        previous, following = around(self.parts[key], index)
        # "Part N of M" as model.series.part_of gives it (for a part out, M is the series' count, kept)
        place = PartOf(post.part, self.count(key)) if post.part and is_out(post, self.now) else part_of(self.every_part(key), post, self.now)
        promise = self.promise(post)
        return {
            "series": {
                "title": self.title(key),
                "url": self.url(key),
                "part": place.number if place else index + 1,
                "count": place.total if place else self.count(key),
                "prev": self.link(previous),
                "next": self.link(following),
                "latest": following is None,
            },
            # "Coming next" on the latest part; a link to the keeper once it is published
            "teaser": promise if promise and (promise["kept_by"] or following is None) else None,
        }
