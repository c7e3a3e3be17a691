"""`blog stats`: the figures of `blogcli.model.stats` for a workspace. Posts come from the index
(their word counts included); only the series' parts are read, for their promise ledgers."""

from __future__ import annotations

from blogcli.model.dates import date_range
from blogcli.model.series import SeriesCatalogue
from blogcli.model.stats import Report, blog_stats
from blogcli.ops.promises import series_ledger
from blogcli.workspace.store import Workspace


def workspace_stats(ws: Workspace, series: str | None = None, since: str | None = None, until: str | None = None) -> Report:
    """The stats of the whole blog, or of one series named any way `SeriesCatalogue.resolve`
    takes (a typo is refused with the close names), over `--since`/`--until`."""
    dates = date_range(since, until, ws.tz)
    posts = ws.posts
    catalogue = SeriesCatalogue(ws.config.series, posts)
    only = catalogue.resolve(series) if series is not None else None
    now = ws.now()
    return blog_stats(posts, catalogue, lambda s, parts: series_ledger(ws, s, parts, now), dates, now, ws.tz, only)
