"""Standards kept by tests (issue 12): the site made of the sample blog, and the one made of every
nasty thing a post can hold (tests/data/hostile/; built with each Markdown engine, and with its
drafts), checked by the tools the web checks them with.

- Every HTML page passes the Nu HTML Checker (npm `vnu-jar`, run with Java) with no error: one
  run of the checker over every page of every site, as it takes seconds to start.
- Every Atom feed (the blog's and each series') validates against RFC 4287's RELAX NG grammar
  (tests/schemas/atom.rnc, with Debian's `jing`) and parses in feedparser without `bozo`.
- The sitemap validates against the sitemaps.org 0.9 XML Schema (tests/schemas/sitemap.xsd, with
  lxml) and names URLs as RFC 3986 has them.
- A crawl from index.html (and 404.html, sitemap.xml) following every internal href and src, the
  feeds, the sitemap and each `#fragment` finds nothing missing.
- No page runs a script: nothing of a post's `<script>`, `onerror=` or `javascript:` survives.

Without Java, the checker's jar (found through `npm root -g`, or named by $BLOG_VNU_JAR), jing
or lxml these tests skip, saying what is missing; on CI (`CI` set) a missing tool fails them
instead. `.ci/run` installs the tools.

The faults issue 12 names that these checks see are listed in SITE_FAULTS, each proved gone by
`test_the_hostile_site_no_longer_shows`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from blogcli.site import list_pages
from blogcli.site.builder import build_site
from blogcli.site.list_pages import TAG_PAGE_SIZE
from blogcli.workspace.store import Workspace
from conftest import FROZEN_NOW, REPO

HERE = Path(__file__).parent
HOSTILE = HERE / "data" / "hostile"
ATOM_RNC = HERE / "schemas" / "atom.rnc"
SITEMAP_XSD = HERE / "schemas" / "sitemap.xsd"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# The faults of the hostile site that issue 12 names and these checks see (fixed on branch
# sitefaults): a pattern each, matched against the problems below ("<page>:<line>: <message>",
# "<page>: <url>: <why>"). Every check finds no problem at all; test_the_hostile_site_no_longer_shows
# names each fault once more, as the proof that it is gone (each of them failed before the fix).
SITE_FAULTS = {
    "control characters from front matter reach the pages": r"Forbidden code point U\+00(07|0b|0c|1b)",
    "local links lose their percent-encoding":
        r"^(every-block/index\.html|feed\.xml):.*(“/blog/(images/a b\.png|files/my file\.pdf)”.*Space is not allowed"
        r"|/blog/images/a#b\.png)",
    "heading ids clash with the template's and the footnotes' ids":
        r"^headings-named-like-ids/index\.html:\d+: Duplicate ID “(content|fn-1|fnref-1)”",
    "URLs with letters outside ASCII are not percent-encoded":
        r"^sitemap\.xml: <loc>https://example\.org/blog/[^<]*[^\x00-\x7f][^<]*</loc> is not an RFC 3986 URI",
}


def fault_of(problem: str) -> str | None:
    return next((name for name, pattern in SITE_FAULTS.items() if re.search(pattern, problem)), None)


def need(missing: str | None) -> None:
    """Skip (or, on CI, fail) when a tool the test needs is missing."""
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the standards tests: {missing}")
        pytest.skip(missing)


def vnu_command() -> list[str]:
    java = shutil.which("java")
    need(None if java else "java not found (apt-get install default-jre-headless)")
    jar = os.environ.get("BLOG_VNU_JAR")
    if not jar:
        npm = shutil.which("npm")
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip() if npm else ""
        jar = f"{root}/vnu-jar/build/dist/vnu.jar"
    need(None if Path(jar).is_file() else f"the Nu HTML Checker is not at {jar} (npm install -g vnu-jar)")
    return [java, "-jar", jar]


def jing_command() -> list[str]:
    jing = shutil.which("jing")
    need(None if jing else "jing not found (apt-get install jing)")
    return [jing, "-c"]


def xml_schema(path: Path):
    try:
        from lxml import etree
    except ImportError:
        need("lxml is not installed (pip install -e '.[test]')")
    return etree.XMLSchema(etree.parse(str(path)))


# --- the sites ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    name: str
    root: Path
    out: Path
    base_url: str

    @property
    def base(self) -> str:
        return urlsplit(self.base_url).path

    def files(self, suffix: str) -> list[Path]:
        return sorted(p for p in self.out.rglob(f"*{suffix}") if p.is_file())

    def rel(self, path: Path) -> str:
        return path.relative_to(self.out).as_posix()


def copy_workspace(source: Path, root: Path, folders=("drafts", "published", "static")) -> Path:
    root.mkdir(parents=True)
    shutil.copy(source / "blog.toml", root / "blog.toml")
    for folder in folders:
        if (source / folder).is_dir():
            shutil.copytree(source / folder, root / folder)
    return root


SITES = ["sample", "hostile", "hostile-python-markdown", "hostile-with-drafts", "hostile-paged-tags"]
HOSTILE_SITES = SITES[1:]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Site]:
    """The sample blog and the hostile one (rendered by each Markdown engine, with its drafts, and
    with one post a tag page, so that its tags of several posts, `C++` and `東京` among them, have
    numbered pages), built once for every test here at the frozen clock."""
    made = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BLOG_NOW", FROZEN_NOW)
        env.delenv("BLOG_ROOT", raising=False)
        for name in SITES:
            source = REPO if name == "sample" else HOSTILE
            root = copy_workspace(source, tmp_path_factory.mktemp(name) / "blog")
            if name == "hostile-python-markdown":
                config = root / "blog.toml"
                config.write_text(config.read_text().replace("[build]\n", '[build]\nmarkdown = "python-markdown"\n'))
            ws = Workspace.open(root)
            assert ws.config.markdown_engine == ("python-markdown" if name.endswith("python-markdown") else "cmark")
            env.setattr(list_pages, "TAG_PAGE_SIZE", 1 if name == "hostile-paged-tags" else TAG_PAGE_SIZE)
            build_site(ws, include_drafts=name == "hostile-with-drafts")
            made[name] = Site(name, root, root / "site", ws.config.base_url)
    return made


# --- HTML ------------------------------------------------------------------------------------------

BROKEN_PAGE = "<!doctype html><html lang=en><title>x</title><p id=a><p id=a><img src=x>"


@pytest.fixture(scope="module")
def html_problems(sites, tmp_path_factory) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors on every page of every site, by site: "<page>:<line>: <message>".
    A page known to be broken goes along, so a checker that finds nothing is noticed."""
    command = vnu_command()
    canary = tmp_path_factory.mktemp("canary") / "broken.html"
    canary.write_text(BROKEN_PAGE)
    pages = {str(canary.resolve()): ("canary", "broken.html")}
    for site in sites.values():
        for path in site.files(".html"):
            pages[str(path.resolve())] = (site.name, site.rel(path))
    run = subprocess.run([*command, "--errors-only", "--format", "json", *pages], capture_output=True, text=True,
                         timeout=600)
    try:
        messages = json.loads(run.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML Checker gave no report (exit {run.returncode}): {run.stderr[-2000:]}")
    found: dict[str, list[str]] = {"canary": [], **{name: [] for name in sites}}
    for message in messages:
        where = pages.get("/" + unquote(message.get("url", "").removeprefix("file:")).lstrip("/"))
        if where is None or message.get("type") != "error":
            pytest.fail(f"the Nu HTML Checker could not check a page: {message}")
        name, rel = where
        found[name].append(f"{rel}:{message.get('lastLine', '?')}: {message['message']}")
    assert found.pop("canary"), "the checker found no error in a broken page: is it checking at all?"
    return found


@pytest.mark.parametrize("name", SITES)
def test_every_page_is_valid_html(name, html_problems):
    assert html_problems[name] == []


# --- feeds ---------------------------------------------------------------------------------------


BROKEN_FEED = '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2026-01-01T00:00:00Z</updated></feed>'


@pytest.fixture(scope="module")
def feed_problems(sites, tmp_path_factory) -> dict[str, list[str]]:
    """jing's errors on every feed of every site against RFC 4287's grammar, by site, in one run:
    "<feed>:<line>: <message>". A feed without an id goes along, so a grammar that lets anything
    through is noticed."""
    command = jing_command()
    canary = tmp_path_factory.mktemp("canary") / "feed.xml"
    canary.write_text(BROKEN_FEED)
    feeds = {str(canary): ("canary", "feed.xml")}
    for site in sites.values():
        feeds.update({str(path): (site.name, site.rel(path)) for path in site.files("feed.xml")})
    run = subprocess.run([*command, str(ATOM_RNC), *feeds], capture_output=True, text=True, timeout=300)
    found: dict[str, list[str]] = {"canary": [], **{name: [] for name in sites}}
    for line in run.stdout.splitlines():
        match = re.match(r"(?P<path>.+?):(?P<line>\d+):\d+: (?P<message>.*)", line)
        if not match or match["path"] not in feeds:
            pytest.fail(f"jing could not check the feeds (exit {run.returncode}): {line} {run.stderr[-2000:]}")
        name, rel = feeds[match["path"]]
        found[name].append(f"{rel}:{match['line']}: {match['message']}")
    assert any('missing required element "id"' in error for error in found.pop("canary")), \
        f"jing let a feed without an id through: {run.stdout} {run.stderr[-2000:]}"
    return found


@pytest.mark.parametrize("name", SITES)
def test_every_feed_is_valid_atom(name, sites, feed_problems):
    site = sites[name]
    feeds = site.files("feed.xml")
    assert [site.rel(f) for f in feeds if f.parent == site.out] == ["feed.xml"]
    assert len(feeds) >= 2, "the series' feeds are missing"
    assert feed_problems[name] == []
    import feedparser

    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, f"{site.rel(feed)}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10"
        assert parsed.entries, site.rel(feed)
        for entry in parsed.entries:
            assert entry.title and entry.id and entry.link.startswith(site.base_url), (site.rel(feed), entry)


# --- sitemap -------------------------------------------------------------------------------------


def sitemap_problems(site: Site) -> list[str]:
    schema = xml_schema(SITEMAP_XSD)
    from lxml import etree

    document = etree.parse(str(site.out / "sitemap.xml"))
    problems = [f"sitemap.xml:{e.line}: {e.message}" for e in schema.error_log] if not schema.validate(document) else []
    for loc in document.iter(f"{SITEMAP}loc"):
        if not loc.text.isascii() or not loc.text.startswith(site.base_url):
            problems.append(f"sitemap.xml: <loc>{loc.text}</loc> is not an RFC 3986 URI under {site.base_url}")
    return problems


@pytest.mark.parametrize("name", SITES)
def test_the_sitemap_is_valid(name, sites):
    assert sitemap_problems(sites[name]) == []


def test_the_sitemap_schema_rejects_a_bad_date(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/sitemap.xml").write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                               "<url><loc>https://example.org/x/</loc><lastmod>soon</lastmod></url></urlset>")
    problems = sitemap_problems(Site("made", tmp_path, tmp_path / "site", "https://example.org/"))
    assert len(problems) == 1 and "lastmod" in problems[0]


# --- the crawl -----------------------------------------------------------------------------------


class PageLinks(HTMLParser):
    """The ids of an HTML page, every URL it points at, and anything in it that runs script."""

    URL_ATTRS = ("href", "src", "action", "formaction", "poster", "data")
    CARD_PROPERTIES = ("og:url", "og:image", "twitter:image")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name, value in attrs:
            if name in self.URL_ATTRS and value is not None:
                self.urls.append(value)
                if urlsplit(value.strip()).scheme.lower() in ("javascript", "vbscript", "data"):
                    self.scripts.append(f'<{tag} {name}="{value}">')
            if name.startswith("on"):
                self.scripts.append(f'<{tag} {name}="{value}">')
        if tag == "script" and values.get("type") != "application/ld+json":
            self.scripts.append(f"<script {values}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.urls.append(re.sub(r"(?i)^\s*\d+\s*;\s*url\s*=\s*", "", values.get("content", "")))
        if tag == "meta" and values.get("property", values.get("name")) in self.CARD_PROPERTIES:
            self.urls.append(values.get("content", ""))

    handle_startendtag = handle_starttag


def page_links(text: str) -> PageLinks:
    parser = PageLinks()
    parser.feed(text)
    parser.close()
    return parser


@dataclass
class Crawl:
    pages: dict[str, PageLinks]  # every HTML page reached, by its path in the output folder
    problems: list[str]  # "<page>: <url>: <why>"


def crawl(site: Site, also: tuple[str, ...] = ()) -> Crawl:
    """Follow every internal link from index.html, 404.html, sitemap.xml (and the pages `also`
    names): href and src in pages, links and content of feeds, the sitemap's locations; check each
    `#fragment` against the ids of the page it names. URLs under base_url are internal; links
    written as paths must be."""
    pages: dict[str, PageLinks] = {}
    reached: set[str] = set()
    wanted: list[tuple[str, str, str]] = []  # (from, url, the file it names)
    problems: list[str] = []
    queue = ["index.html", "404.html", "sitemap.xml", *also]

    def url_of(rel: str) -> str:
        return site.base_url + rel.removesuffix("index.html")

    def target(url: str) -> str | None:
        """The output file a URL names, or None when it is not under base_url."""
        if not url.startswith(site.base_url) and url.rstrip("/") + "/" != site.base_url:
            return None
        path = unquote(urlsplit(url).path)[len(site.base) :]
        return path + "index.html" if path == "" or path.endswith("/") else path

    def follow(source: str, ref: str) -> None:
        ref = ref.strip()
        if urlsplit(ref).scheme.lower() in ("mailto", "tel", "javascript", "vbscript", "data"):
            return
        url = urljoin(url_of(source), ref)
        parts = urlsplit(url)
        rel = target(url)
        if rel is None:
            if parts.netloc == urlsplit(site.base_url).netloc and not urlsplit(ref).netloc:
                problems.append(f"{source}: {ref}: a path outside the site's base path {site.base}")
            return
        if not (site.out / rel).is_file():
            problems.append(f"{source}: {ref}: no file {rel} in the site")
            return
        if rel not in reached:
            reached.add(rel)
            queue.append(rel)
        if parts.fragment:
            wanted.append((source, ref, rel))

    reached.update(queue)
    while queue:
        rel = queue.pop()
        text = (site.out / rel).read_text(encoding="utf-8", errors="replace") if rel.endswith((".html", ".xml")) else None
        if text is None:
            continue
        if rel.endswith(".html"):
            pages[rel] = page_links(text)
            for ref in pages[rel].urls:
                follow(rel, ref)
        elif rel.endswith(".xml"):
            root = ET.fromstring(text.encode("utf-8"))
            for loc in root.iter(f"{SITEMAP}loc"):
                follow(rel, loc.text)
            for link in root.iter(f"{ATOM}link"):
                follow(rel, link.get("href"))
            for content in root.iter(f"{ATOM}content"):
                for ref in page_links(content.text or "").urls:
                    follow(rel, ref)
    for source, ref, rel in wanted:
        fragment = unquote(urlsplit(ref).fragment)
        if rel.endswith(".html") and fragment not in pages[rel].ids:
            problems.append(f"{source}: {ref}: no id “{fragment}” in {rel}")
    return Crawl(pages, sorted(set(problems)))


def redirects(site: Site) -> set[str]:
    """The pages left at the old URLs of renamed posts: linked from nowhere, by design."""
    return {site.rel(p) for p in site.files(".html") if 'http-equiv="refresh"' in p.read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def crawls(sites) -> dict[str, Crawl]:
    return {name: crawl(site, also=tuple(sorted(redirects(site)))) for name, site in sites.items()}


@pytest.mark.parametrize("name", SITES)
def test_a_crawl_finds_no_broken_internal_link(name, sites, crawls):
    site, found = sites[name], crawls[name]
    assert found.problems == []
    # the crawl went everywhere (it starts at the redirects too: they are linked from nowhere, by design)
    assert {site.rel(p) for p in site.files(".html")} - set(found.pages) == set()
    assert name == "sample" or redirects(site), "the hostile site has a renamed post: its redirect is checked too"


def test_the_paged_tags_site_has_numbered_tag_pages(sites):
    """What the checks above see of a tag's numbered pages: every tag of several posts has them."""
    site = sites["hostile-paged-tags"]
    numbered = {site.rel(p) for p in site.files(".html") if re.fullmatch(r"tags/[^/]+/page/\d+/index\.html", site.rel(p))}
    assert {"tags/東京/page/1/index.html", "tags/series/page/2/index.html"} <= numbered, sorted(numbered)
    assert not {rel for rel in numbered if rel.startswith("tags/ids/")}  # a tag of one post has one page


def test_the_crawl_finds_what_is_broken(tmp_path):
    out = tmp_path / "site"
    (out / "a").mkdir(parents=True)
    (out / "index.html").write_text('<a href="/blog/a/#here">a</a> <a href="/blog/gone/">gone</a> <img src="/x.png">'
                                    '<a href="https://elsewhere.example/">fine</a> <a href="#top">top</a>')
    (out / "404.html").write_text("<p id=top>")
    (out / "a/index.html").write_text('<p id="there">')
    (out / "sitemap.xml").write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
                                     "<loc>https://example.org/blog/b/</loc></url></urlset>")
    found = crawl(Site("made", tmp_path, out, "https://example.org/blog/"))
    assert found.problems == [
        "index.html: #top: no id “top” in index.html",
        "index.html: /blog/a/#here: no id “here” in a/index.html",
        "index.html: /blog/gone/: no file gone/index.html in the site",
        "index.html: /x.png: a path outside the site's base path /blog/",
        "sitemap.xml: https://example.org/blog/b/: no file b/index.html in the site",
    ]


# --- what the hostile site must not show -----------------------------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_no_page_runs_a_script(name, sites, crawls):
    site = sites[name]
    found = {site.rel(p): page_links(p.read_text(encoding="utf-8")).scripts for p in site.files(".html")}
    assert {rel: scripts for rel, scripts in found.items() if scripts} == {}


@pytest.mark.parametrize("name", ["hostile", "hostile-python-markdown"])
def test_the_hostile_site_shows_no_draft_and_no_post_before_its_time(name, sites):
    site = sites[name]
    assert not (site.out / "a-draft").exists() and not (site.out / "scheduled").exists()
    assert not (site.out / "gappy-three").exists()  # a planned part
    everything = "".join(p.read_text(encoding="utf-8") for p in site.files(".html") + site.files(".xml"))
    assert "/a-draft/" not in everything and "/scheduled/" not in everything
    assert (sites["hostile-with-drafts"].out / "a-draft/index.html").is_file()  # which the drafts' build checks


# --- the faults issue 12 names -------------------------------------------------------------------


@pytest.mark.parametrize("fault", SITE_FAULTS)
def test_the_hostile_site_no_longer_shows(fault, sites, html_problems, crawls):
    problems = [problem for name in HOSTILE_SITES
                for problem in html_problems[name] + crawls[name].problems + sitemap_problems(sites[name])]
    assert [problem for problem in problems if fault_of(problem) == fault] == []
