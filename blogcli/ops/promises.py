"""The promise ledger of a workspace: reads the series' parts and hands them to
`blogcli.model.ledger.build_ledger`, where the rules live (what a promise is, who keeps it, when
it is late)."""

from __future__ import annotations

import datetime as dt

from blogcli.errors import BlogError
from blogcli.model.document import Document
from blogcli.model.ledger import PartText, Promise, build_ledger, latest_promise
from blogcli.model.post import Post
from blogcli.model.series import Series, SeriesCatalogue, series_schedule
from blogcli.model.aliases import header_aliases
from blogcli.workspace.store import Workspace


def part_texts(ws: Workspace, parts: list[Post]) -> list[PartText]:
    """The parts' bodies as the ledger reads them. A file that cannot be read counts as empty."""
    texts = []
    for post in parts:
        try:
            doc = Document.from_bytes(ws.path_of(post.rel).read_bytes(), post.rel)
        except (OSError, BlogError):
            texts.append(PartText(post))
            continue
        texts.append(PartText.from_document(post, doc, header_aliases(doc)))
    return texts


def series_ledger(ws: Workspace, series: Series, parts: list[Post], now: dt.datetime | None = None) -> list[Promise]:
    """One series' ledger (`parts` in order, as `SeriesCatalogue.parts` gives them)."""
    schedule = series_schedule(series, parts, ws.tz)
    return build_ledger(series.title, series.slug, part_texts(ws, parts), schedule.cadence.period, now or ws.now())


def promise_ledger(ws: Workspace, name: str | None = None) -> list[Promise]:
    """Every promise of one series (by any of its names) or of all series, in series then part order."""
    known = SeriesCatalogue(ws.config.series, ws.posts)
    ledger = []
    for series in [known.resolve(name)] if name is not None else known.all:
        ledger.extend(series_ledger(ws, series, known.parts(series)))
    return ledger


def latest_open_promise(ws: Workspace, name: str) -> Promise | None:
    """The promise of a series made last that no part keeps or plans to keep yet."""
    return latest_promise(promise_ledger(ws, name))
