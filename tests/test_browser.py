"""The built sample site in a real headless browser (Debian's chromium driven by Playwright):
open the home page through `blog serve`, follow the series, check the neighbours and the teaser,
and see no console errors; then every kind of page of the sample site and the hostile one
(tests/data/hostile/) at a phone's width and a desktop's, with nothing wider than the screen.
Screenshots of those go to .ci/artifacts/screens/ for review. Skipped (visibly) without
chromium, except on CI, where it must run."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FROZEN_NOW, REPO

CHROMIUM = os.environ.get("BLOG_CHROMIUM", "/usr/bin/chromium")
HOSTILE = Path(__file__).parent / "data" / "hostile"
SCREENS = REPO / ".ci" / "artifacts" / "screens"
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


@contextlib.contextmanager
def blog_serve(root: Path, **env: str):
    """`blog serve` on a free port for the blog at `root`, in a process group of its own; yields
    the site's URL and stops the group."""
    process = subprocess.Popen(
        [sys.executable, "-m", "blogcli", "serve", "--port", "0"], start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, BLOG_ROOT=str(root), **env),
    )
    try:
        match = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", process.stdout.readline())
        if not match:
            pytest.fail(f"blog serve did not start: {process.stderr.read()}")
        yield match.group(1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


@pytest.fixture
def served(sample):
    """`blog serve` on a free port for the sample blog; yields the base URL."""
    with blog_serve(sample) as url:
        yield url


@contextlib.contextmanager
def chromium():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def watched_tab(browser, **options):
    """A tab that notes console errors, script errors and failed requests in `tab.problems`."""
    tab = browser.new_page(**options)
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    # a load cut short by the test clicking on (net::ERR_ABORTED) is not the site's fault
    tab.on("requestfailed", lambda r: tab.problems.append(f"request failed: {r.url} {r.failure}")
           if "__blogcli_reload" not in r.url and "ERR_ABORTED" not in (r.failure or "") else None)
    return tab


@pytest.fixture
def page():
    with chromium() as browser:
        yield watched_tab(browser)


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


# --- every kind of page, at a phone's width and a desktop's ----------------------------------------

# (name, site, path, or a link to follow from that path's page)
PAGE_KINDS = [
    ("home", "sample", "", None),
    ("post-promise-kept", "sample", "why-the-night-bus/", None),
    ("post-coming-next", "sample", "who-rides-after-midnight/", None),
    ("post-outside-series", "sample", "about-this-notebook/", None),
    ("series", "sample", "series/", ".series-card h2 a"),
    ("series-index", "sample", "series/", None),
    ("tags", "sample", "tags/", None),
    ("tag", "sample", "tags/", ".tag-cloud a"),
    ("archive", "sample", "archive/", None),
    ("404", "sample", "no-such-page/", None),
    ("hostile-home", "hostile", "", None),
    ("hostile-older-posts", "hostile", "", ".pager a[rel=next]"),
    ("hostile-long-words", "hostile", "long-words/", None),
    ("hostile-wide-table-and-code", "hostile", "every-block/", None),
    ("hostile-long-promise-kept", "hostile", "gappy-one/", None),
    ("hostile-long-promise-coming", "hostile", "gappy-four/", None),
    ("hostile-series", "hostile", "gappy-four/", ".kicker a"),
    ("hostile-tags", "hostile", "tags/", None),
    ("hostile-tag-long-name", "hostile", "long-words/", ".tags a"),
    ("hostile-archive", "hostile", "archive/", None),
]
VIEWPORTS = [(320, 568), (390, 844), (1280, 900)]

# Every element whose right edge is past the viewport, unless a box that scrolls or clips holds it
# (a wide table or code block scrolls inside its own box; the page itself must not).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const contained = el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 0.5 && !contained(el)) {
      wide.push(`${name(el)} ends at ${Math.round(box.right)}: ${(el.textContent || "").trim().slice(0, 40)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide};
}"""


def test_the_overflow_check_sees_what_runs_past_the_edge(page):
    """The check below, on a page made to be too wide: a line that cannot wrap is named, a wide
    block inside a box that scrolls is not."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content('<body style="margin:0"><p><span class="kept" style="white-space:nowrap">' + "a promise " * 60 +
                     '</span></p><div style="overflow-x:auto"><pre>' + "x" * 500 + "</pre></div></body>")
    found = page.evaluate(OVERFLOW)
    assert found["width"] == 390 and found["scrollWidth"] > 390
    assert [wide.split(" ends at ")[0] for wide in found["wide"]] == ["span.kept"]


@pytest.fixture(scope="module")
def both_sites(tmp_path_factory):
    """The sample blog and the hostile one, each served by `blog serve` at the frozen clock."""
    roots = {}
    for name, source in (("sample", REPO), ("hostile", HOSTILE)):
        root = roots[name] = tmp_path_factory.mktemp(name) / "blog"
        root.mkdir()
        shutil.copy(source / "blog.toml", root / "blog.toml")
        for folder in ("drafts", "published", "static"):
            shutil.copytree(source / folder, root / folder)
    _need_browser()
    with blog_serve(roots["sample"], BLOG_NOW=FROZEN_NOW) as sample, blog_serve(roots["hostile"], BLOG_NOW=FROZEN_NOW) as hostile:
        yield {"sample": sample, "hostile": hostile}


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_no_page_is_wider_than_the_screen(both_sites, width, height):
    folder = SCREENS / f"{width}x{height}"
    folder.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    with chromium() as browser:
        tab = watched_tab(browser, viewport={"width": width, "height": height})
        # what a page loads (stylesheet, icon, images, `a%23b.png` included) and the server does not
        # have; the 404 page's own document is missing by design
        missing = []
        tab.on("response", lambda r: missing.append(f"{r.status} {r.url}")
               if r.status >= 400 and r.request.resource_type != "document"
               else None)
        for name, site, path, follow in PAGE_KINDS:
            tab.goto(both_sites[site] + path)
            if follow:
                tab.goto(tab.locator(follow).first.evaluate("a => a.href"))
            tab.evaluate("document.fonts.ready")
            found = tab.evaluate(OVERFLOW)
            if found["scrollWidth"] > found["width"] or found["wide"]:
                too_wide[name] = found
            tab.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        problems = [p for p in tab.problems if "Failed to load resource" not in p]  # those are in `missing`
    assert too_wide == {}
    assert missing == [] and problems == []
