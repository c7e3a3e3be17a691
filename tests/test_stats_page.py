"""The site's /stats/ page: only with `[site] stats = true`, the same figures as `blog stats`,
escaped, valid HTML, and rewritten only when what it shows changes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from blogcli.site.builder import build_site
from blogcli.workspace.store import Workspace

PAGE = Path("site/stats/index.html")


def stats_on(root: Path, value: str = "true") -> None:
    with open(root / "blog.toml", "a", encoding="utf-8") as config:
        config.write(f"\n[site]\nstats = {value}\n")


def build(root: Path):
    return build_site(Workspace.open(root))


def test_off_by_default(sample):
    build(sample)
    assert not (sample / "site" / "stats").exists()
    home = (sample / "site" / "index.html").read_text(encoding="utf-8")
    assert "/stats/" not in home and "/stats/" not in (sample / "site" / "sitemap.xml").read_text(encoding="utf-8")


def test_the_page_shows_the_figures_of_blog_stats(sample, cli):
    stats_on(sample)
    build(sample)
    page = (sample / PAGE).read_text(encoding="utf-8")
    figures = json.loads(cli("stats", "--json").stdout)
    totals = figures["totals"]
    assert f"{totals['posts']} posts, {totals['words']['total']} words" in page
    assert "2 made: 1 kept on time, 0 kept late, 1 still owed; kept in 7.0 days on average" in page
    assert "1 waiting, the oldest 6 days old" in page
    assert "Drawing the Timetable" not in page  # a draft's title stays private
    assert page.count("<svg") == 2 and page.count("<rect") > 52 * 6
    assert '<title>Mon 9 Nov 2026: 202 words</title>' in page
    assert '<a href="/series/night-bus-notebook/">The Night Bus Notebook</a>' in page
    assert '<a href="/stats/">Stats</a>' in (sample / "site" / "index.html").read_text(encoding="utf-8")
    assert "https://example.org/stats/" in (sample / "site" / "sitemap.xml").read_text(encoding="utf-8")


def test_titles_are_escaped(sample):
    stats_on(sample)
    text = (sample / "blog.toml").read_text(encoding="utf-8")
    (sample / "blog.toml").write_text(text.replace('title = "The Night Bus Notebook"', 'title = "<script>alert(1)</script> & Co"'),
                                      encoding="utf-8")
    build(sample)
    page = (sample / PAGE).read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page


def test_the_figures_are_those_of_blog_stats_from_the_ledgers_the_build_keeps(empty_blog, monkeypatch):
    """The page's figures come from the ledgers cached in the manifest, each promise's status
    found again for the time now: a later build, with nothing read again, agrees with blog stats."""
    from test_stats_cli import write_year_blog

    from blogcli.ops.stats import workspace_stats
    from blogcli.site import series as site_series
    from blogcli.site import stats_page

    root = write_year_blog(empty_blog)
    stats_on(root)
    (root / "drafts" / "walk-47.md").write_text(  # keeps the promise of the last part: planned, due 30 Nov
        "---\ntitle: Walk 47\nseries: City Walks\npart: 47\nfulfils: walk-46\n---\n\nWalk number 47.\n", encoding="utf-8")
    shown = []
    real_view = stats_page.stats_view
    monkeypatch.setattr(stats_page, "stats_view", lambda report, *args: shown.append(report) or real_view(report, *args))
    build(root)
    monkeypatch.setattr(site_series, "part_texts", lambda *args: pytest.fail("a part read again"))
    monkeypatch.setenv("BLOG_NOW", "2026-12-20T10:00:00+00:00")  # the promise is due, its part not out: late
    build(root)
    for report, now in zip(shown, ("2026-11-25T10:00:00+00:00", "2026-12-20T10:00:00+00:00")):
        monkeypatch.setenv("BLOG_NOW", now)
        assert report.as_dict() == workspace_stats(Workspace.open(root)).as_dict()
    first, later = (report.totals.promises for report in shown)
    assert (first.made, first.owed, first.planned) == (later.made, later.owed - 1, later.planned + 1) == (23, 0, 1)


def test_written_again_only_when_a_figure_changes(sample, cli):
    stats_on(sample)
    build(sample)
    before = (sample / PAGE).stat().st_mtime_ns
    build(sample)
    assert (sample / PAGE).stat().st_mtime_ns == before
    assert cli("publish", "drawing-the-timetable", "--force").exit_code == 0
    build(sample)
    assert "4 posts" in (sample / PAGE).read_text(encoding="utf-8")


def test_turned_off_again_the_page_goes(sample):
    stats_on(sample)
    build(sample)
    assert (sample / PAGE).exists()
    text = (sample / "blog.toml").read_text(encoding="utf-8")
    (sample / "blog.toml").write_text(text.replace("stats = true", "stats = false"), encoding="utf-8")
    build(sample)
    assert not (sample / PAGE).exists()


def test_a_post_named_stats_keeps_its_page_with_a_warning(sample):
    stats_on(sample)
    (sample / "published" / "stats.md").write_text("---\ntitle: My stats\ndate: 2026-11-20T09:00:00+00:00\n---\n\nNumbers.\n",
                                                   encoding="utf-8")
    result = build(sample)
    assert "My stats" in (sample / PAGE).read_text(encoding="utf-8")
    assert any("stats" in warning and "not written" in warning for warning in result.warnings)


def test_a_setting_that_is_not_true_or_false_is_a_one_line_error(sample, cli):
    stats_on(sample, '"yes"')
    result = cli("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "error: blog.toml: [site] stats must be true or false, found 'yes'"


@pytest.mark.skipif(shutil.which("vnu") is None, reason="the Nu HTML Checker (npm vnu-jar) is not installed")
def test_the_page_is_valid_html(sample):
    stats_on(sample)
    build(sample)
    result = subprocess.run(["vnu", "--errors-only", "--format", "text", str(sample / PAGE)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
