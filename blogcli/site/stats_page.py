"""The /stats/ page (blog.toml `[site] stats = true`, off by default): the figures `blog stats`
prints, for the whole blog and each series, with its two pictures drawn as inline SVG: the words
published each day of the last 52 weeks (a heat map) and the words of each week (a bar chart).

The figures are `blogcli.model.stats.blog_stats`, over every post of the index and the series'
promise ledgers as this build has them (site/series.py: cached in the manifest while the parts'
files and statuses stay as they were), each promise's status found again for now by
`model.ledger.promise_status`: no post file is read here. The page is declared with its data,
so it is written again only when a figure, a picture or the date changes. The SVG is only
numbers and text handed to the template, which escapes them. A public page names no draft:
drafts are counted and aged only.
"""

from __future__ import annotations

import datetime as dt

from blogcli.model.dates import DateRange
from blogcli.model.ledger import Promise, promise_status
from blogcli.model.post import Post
from blogcli.model.series import Series, SeriesCatalogue
from blogcli.model.stats import Report, Week, blog_stats, month_starts, shade, shade_bounds
from blogcli.site.emitter import BuildState, Emitter
from blogcli.site.urls import series_url
from blogcli.site.views import date_text, iso_time

STATS_PAGE = "stats/"
CELL, GAP = 11, 2  # the heat map's day squares and the space between them, in SVG units
LEFT, TOP = 30, 16  # room for the day names and the month names
BAR_HEIGHT, BAR_WIDTH = 120, 10
SHADE_OPACITY = (0.08, 0.3, 0.5, 0.75, 1.0)  # of the text's colour (none, then the four shades)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def declare_stats_page(emit: Emitter, state: BuildState) -> list[str]:
    """Declare /stats/ (blog.toml asks for it: `[site] stats = true`); the URLs for the sitemap."""
    if any(post.slug == STATS_PAGE.strip("/") for post in state.model.posts):
        emit.warn(f"a post has the slug {STATS_PAGE.strip('/')!r}: its page takes {STATS_PAGE}, and the stats page is not written")
        return []
    ws, base, site_series = state.ws, state.settings.base, state.model.series
    now, tz = site_series.now, ws.tz
    posts = ws.posts

    def ledger_of(series: Series, parts: list[Post]) -> list[Promise]:
        return cached_ledger(series, parts, site_series.ledgers.get(series.slug, []), now)

    report = blog_stats(posts, SeriesCatalogue(ws.config.series, posts), ledger_of, DateRange(), now, tz)
    emit.page(f"{STATS_PAGE}index.html", "stats.html", stats_view(report, base, site_series.series))
    return [STATS_PAGE]


def cached_ledger(series: Series, parts: list[Post], promises: list[dict], now: dt.datetime) -> list[Promise]:
    """A series' promises from the ledger the build keeps (`site.series.series_promises`), each
    with its status now: what `model.stats` reads of them."""
    status_of = {post.rel: post.status(now) for post in parts}
    found = []
    for item in promises:
        made_on = dt.datetime.fromisoformat(item["made_on"]) if item["made_on"] else None
        due = dt.datetime.fromisoformat(item["due"]) if item["due"] else None
        keeper_status = status_of.get(item["keeper_rel"]) if item["keeper"] is not None else None
        found.append(Promise(series.title, item["made_in"][0] if item["made_in"] else "", None, item["text"],
                             status=promise_status(keeper_status, due, now), fulfilled_by=item["keeper"],
                             made_in=list(item["made_in"]), series_key=series.slug, made_on=made_on, due=due,
                             keeper_rel=item["keeper_rel"]))
    return found


def stats_view(report: Report, base: str, with_pages) -> dict:
    """What stats.html shows: the figures (`Report.as_dict`, draft titles left out), the dates as
    text, and the pictures' geometry."""
    tz = report.tz
    figures = report.as_dict()
    for scope in [figures["totals"], *figures["series"]]:
        drafts = scope["drafts"]
        drafts["items"] = [{"age_days": item["age_days"], "status": item["status"]} for item in drafts["items"]]
    for item in figures["series"]:
        item["url"] = series_url(base, item["slug"]) if item["slug"] in with_pages else None
    start = report.totals.start
    return {
        "page_title": "Stats",
        "stats": figures,
        "start": iso_time(start, tz), "start_text": date_text(start, tz),
        "end": iso_time(report.as_of, tz), "end_text": date_text(report.as_of, tz),
        "missed_since_text": date_text(report.totals.streak.missed_since, tz),
        "heatmap": heat_map(report.weeks, report.as_of, tz),
        "bars": bar_chart(report.weeks, tz),
    }


def _day_text(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def heat_map(weeks: list[Week], as_of: dt.datetime, tz: dt.tzinfo) -> dict:
    """A square per day of `weeks` up to today (a column per week, Monday on top), shaded as
    the terminal's map is (`model.stats.shade`), each with its date and words as a tooltip."""
    highest = max((max(week.days) for week in weeks), default=0)
    bounds = shade_bounds(highest)
    today = as_of.astimezone(tz).date()
    step = CELL + GAP
    cells = []
    for column, week in enumerate(weeks):
        for row, words in enumerate(week.days):
            day = week.start + dt.timedelta(days=row)
            if day > today:
                break
            cells.append({"x": LEFT + column * step, "y": TOP + row * step, "opacity": SHADE_OPACITY[shade(words, bounds)],
                          "label": f"{_day_text(day)}: {words:,} word{'' if words == 1 else 's'}"})
    legend_y = TOP + 7 * step + 8
    legend = [{"x": LEFT, "opacity": SHADE_OPACITY[0], "text": "none"}]
    low = 1
    for level, bound in enumerate(bounds, start=1):
        if bound >= low:
            legend.append({"opacity": SHADE_OPACITY[level], "text": f"{low:,}" if low == bound else f"{low:,}–{bound:,}"})
            low = bound + 1
    x = LEFT
    for item in legend:  # each key after the one before it, by its text's length
        item["x"] = x
        x += CELL + 4 + 7 * len(item["text"]) + 12
    return {
        "width": LEFT + len(weeks) * step, "height": legend_y + CELL + 4, "cell": CELL,
        "cells": cells, "legend": legend, "legend_y": legend_y, "legend_text_y": legend_y + CELL - 1,
        "months": [{"x": LEFT + index * step, "text": f"{day:%b}"} for index, day in _spaced(month_starts(weeks))],
        "days": [{"y": TOP + row * step + CELL - 2, "text": name} for row, name in enumerate(DAY_NAMES) if row % 2 == 0],
        "first": _day_text(weeks[0].start), "last": _day_text(weeks[-1].start + dt.timedelta(days=6)),
        "highest": highest,
    }


def _spaced(months: list[tuple[int, dt.date]]) -> list[tuple[int, dt.date]]:
    """Month names at least three weeks apart, so that none overlaps the next."""
    kept: list[tuple[int, dt.date]] = []
    for index, day in months:
        if not kept or index - kept[-1][0] >= 3:
            kept.append((index, day))
    return kept


def bar_chart(weeks: list[Week], tz: dt.tzinfo) -> dict:
    """A bar per week, as high as its words against the highest week's."""
    highest = max((week.words for week in weeks), default=0)
    step = BAR_WIDTH + GAP + 1
    bars = []
    for index, week in enumerate(weeks):
        height = round(BAR_HEIGHT * week.words / highest, 1) if highest else 0
        if week.words and height < 1:
            height = 1
        bars.append({"x": LEFT + index * step, "y": TOP + BAR_HEIGHT - height, "height": height,
                     "label": f"week of {_day_text(week.start)}: {week.words:,} word{'' if week.words == 1 else 's'}"})
    return {
        "width": LEFT + len(weeks) * step, "height": TOP + BAR_HEIGHT + 20, "bar": BAR_WIDTH,
        "bars": bars, "highest": highest, "top": TOP, "base": TOP + BAR_HEIGHT,
        "months": [{"x": LEFT + index * step, "text": f"{day:%b}"} for index, day in _spaced(month_starts(weeks))],
    }
