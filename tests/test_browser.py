"""The built sample site in a real headless browser (Debian's chromium driven by Playwright):
open the home page through `blog serve`, follow the series, check the neighbours and the teaser,
and see no console errors. Skipped (visibly) without chromium, except on CI, where it must run."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("BLOG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _need_browser() -> None:
    missing = None
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        missing = f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright package is not installed (pip install playwright)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {missing}")
        pytest.skip(missing)


@pytest.fixture
def served(sample):
    """`blog serve` on a free port for the sample blog; yields the base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "blogcli", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, BLOG_ROOT=str(sample)),
    )
    match = re.search(r"(http://127\.0\.0\.1:\d+/)", process.stdout.readline())
    if not match:
        process.kill()
        pytest.fail(f"blog serve did not start: {process.stderr.read()}")
    yield match.group(1)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=15)


@pytest.fixture
def page():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            tab = browser.new_page()
            tab.problems = []
            tab.on("console", lambda m: tab.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
            # a load cut short by the test clicking on (net::ERR_ABORTED) is not the site's fault
            tab.on("requestfailed", lambda r: tab.problems.append(f"request failed: {r.url} {r.failure}")
                   if "__blogcli_reload" not in r.url and "ERR_ABORTED" not in (r.failure or "") else None)
            yield tab
        finally:
            browser.close()


def test_reader_follows_the_series(served, page):
    page.goto(served)
    assert page.title() == "Notes from the Last Stop"
    assert page.locator(".entry h2").all_inner_texts() == ["Who Rides After Midnight", "Why the Night Bus?", "About this notebook"]

    page.click("text=Series")
    page.click("text=The Night Bus Notebook")
    assert page.locator("h1").inner_text() == "The Night Bus Notebook"
    assert "How the timetable was drawn in the first place" in page.locator(".teaser").text_content()

    page.click(".parts >> text=Why the Night Bus?")
    assert page.locator("h1").inner_text() == "Why the Night Bus?"
    assert "Part 1 of 2" in page.locator(".post-header").text_content()
    assert page.locator(".series-nav a[rel=prev]").count() == 0
    assert "Promised next" in page.locator(".teaser").text_content()

    page.click(".series-nav a[rel=next]")
    assert page.url == served + "who-rides-after-midnight/"
    assert "Part 2 of 2" in page.locator(".post-header").text_content()
    teaser = page.locator(".teaser").text_content()
    assert "Coming next" in teaser
    assert "How the timetable was drawn in the first place" in teaser
    assert page.locator(".series-nav a[rel=next]").count() == 0
    image = page.locator(".content img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")  # served from static/

    page.click(".series-nav a[rel=prev]")
    assert page.url == served + "why-the-night-bus/"
    assert page.problems == []

    page.goto(served + "missing-page/")
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.locator("link[rel=stylesheet]").evaluate("l => l.sheet.cssRules.length > 0")  # styled at any depth
    assert [p for p in page.problems if "404" not in p] == []  # the 404 status itself is the only complaint


def test_open_page_reloads_after_a_rebuild(served, page, sample):
    page.goto(served + "about-this-notebook/")
    assert page.locator("h1").inner_text() == "About this notebook"
    post = sample / "published/about-this-notebook.md"
    post.write_text(post.read_text().replace("title: About this notebook", "title: About this weekly notebook"))
    page.wait_for_function("document.querySelector('h1').innerText === 'About this weekly notebook'", timeout=20000)
    assert page.problems == []
