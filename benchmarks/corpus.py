"""A deterministic blog corpus, laid out for blogcli, Hugo and Pelican alike.

`python -m benchmarks.corpus OUT --posts N [--seed S]` (or `generate(out, posts, seed)`) writes:

    OUT/blog/      a blogcli workspace: blog.toml, drafts/, published/, static/images/
    OUT/hugo/      the same posts as Hugo content (content/posts/*.md), a minimal theme of
                   layouts with `tags` and `series` taxonomies and pages of 20
    OUT/pelican/   the same posts as Pelican content (content/*.md, images), default theme

Posts are realistic for a weekly blog: lengths drawn from a log-normal law with an ~800-word
median, Markdown with headings, lists, links between posts (`other.md`), code blocks, tables,
footnotes, images and blockquotes; 1-4 tags from a fixed set; about a third of the posts in
series of 4-16 parts whose parts tease the next one ("So next week I'll look at …"); about 10 % are
drafts (some of them planned: front matter only). The same seed gives the same bytes.

Speed matters (10,000 posts in seconds): sentences come from a pool made once per corpus and
posts are assembled from it, so the cost is dominated by writing the files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import shutil
import sys
import time
from pathlib import Path

from blogcli.model.slug import slugify

# The clock the test suite freezes (BLOG_NOW); every generated post is dated before it.
NEWEST = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
MEDIAN_WORDS = 800
DRAFT_SHARE = 0.10
PAGE_SIZE = 20
IMAGE_COUNT = 12

_WORDS = """
city night bus route stop shift worker bakery hospital station timetable driver rider ticket
street river bridge market tram depot light window morning evening winter summer council
archive map fare lane corner square harbour warehouse kitchen nurse cleaner porter cook
student notebook question answer story voice neighbour district ring road crossing signal
platform carriage engine garage shelter bench lamp rain fog frost wind cloud dawn dusk
budget plan survey count data chart table number hour minute week month year decade
people family friend stranger crowd queue line sign poster leaflet meeting vote report
early late quiet loud busy empty warm cold bright dark small large long short old new
walk ride wait watch listen count write read ask tell learn change follow carry return
slowly often always rarely almost together alone outside inside across between beyond
""".split()
_NAMES = "Mariam Tomas Ines Kwame Lena Arjun Sofia Piotr Amara Jonas Yuki Dara Felix Noor".split()
_TAGS = [
    "transport", "cities", "fieldwork", "work", "history", "maps", "data", "interviews", "housing",
    "food", "health", "night", "policy", "archives", "walking", "cycling", "rail", "buses", "weather",
    "writing", "methods", "photography", "budgets", "planning", "community", "shops", "energy",
    "water", "noise", "light", "safety", "schools", "parks", "markets", "festivals", "music",
    "sport", "books", "tools", "meta",
]
_SERIES_NOUNS = "Notebook Diaries Letters Files Atlas Ledger Sketches Walks Logs Chronicles".split()
_CODE = {
    "python": [
        "import csv",
        "from collections import Counter",
        "",
        "def riders_by_stop(path):",
        '    """Count riders per stop from a tally sheet."""',
        "    with open(path, newline='') as handle:",
        "        rows = list(csv.DictReader(handle))",
        "    counts = Counter(row['stop'] for row in rows)",
        "    return counts.most_common(10)",
        "",
        "for stop, riders in riders_by_stop('tally.csv'):",
        "    print(f'{stop:<20} {riders:>4}')",
    ],
    "sh": [
        "curl -s https://example.org/timetable.csv \\",
        "  | cut -d, -f1,4 \\",
        "  | sort | uniq -c | sort -rn | head -20",
        "wc -l tally-*.csv",
        "grep -c 'N29' archive/1998/*.txt",
    ],
    "json": [
        "{",
        '  "route": "N29",',
        '  "first": "00:40",',
        '  "last": "05:10",',
        '  "stops": ["station", "hospital", "bakery district", "ring road"]',
        "}",
    ],
}


class _Text:
    """Sentences and phrases drawn once from the corpus's random stream, then reused."""

    def __init__(self, rng: random.Random, pool: int = 4000):
        self.rng = rng
        self.sentences: list[tuple[str, int]] = []
        for _ in range(pool):
            words = rng.choices(_WORDS, k=rng.randint(7, 24))
            if rng.random() < 0.15:
                words[rng.randrange(len(words))] = rng.choice(_NAMES)
            if rng.random() < 0.2:
                i = rng.randrange(len(words))
                mark = rng.choice(("**", "*", "`"))
                words[i] = f"{mark}{words[i]}{mark}"
            text = " ".join(words)
            end = rng.choices((".", "?", "!"), weights=(90, 7, 3))[0]
            self.sentences.append((text[0].upper() + text[1:] + end, len(words)))

    def paragraph(self, low: int = 2, high: int = 6) -> tuple[str, int]:
        chosen = self.rng.choices(self.sentences, k=self.rng.randint(low, high))
        return " ".join(s for s, _ in chosen), sum(n for _, n in chosen)

    def phrase(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(_WORDS, k=self.rng.randint(low, high)))

    def title(self) -> str:
        words = self.phrase(2, 6).split()
        if self.rng.random() < 0.3:
            words.insert(0, self.rng.choice(("The", "Why", "How", "What", "When", "Notes on", "Counting")))
        return " ".join(w.capitalize() if i == 0 or len(w) > 3 else w for i, w in enumerate(words))


class _Post:
    __slots__ = ("slug", "title", "date", "created", "tags", "series", "part", "summary", "draft", "planned", "body", "fulfils", "teaser")

    def __init__(self, **fields):
        for key in self.__slots__:
            setattr(self, key, fields.get(key))


def _body(text: _Text, rng: random.Random, words: int, earlier: list[str], opening: str = "", teaser: str = "") -> str:
    """A post body of about `words` words, assembled from blocks in the proportions of real posts."""
    blocks: list[str] = []
    count = 0
    if opening:
        blocks.append(opening)
    footnotes: list[str] = []
    since_heading = 0
    while count < words:
        roll = rng.random()
        if since_heading > 180 and roll < 0.35:
            blocks.append(f"{'##' if rng.random() < 0.8 else '###'} {text.title()}")
            since_heading = 0
            continue
        if roll < 0.62:
            para, n = text.paragraph()
            if earlier and rng.random() < 0.12:
                other = rng.choice(earlier)
                para += f" I wrote about this in [{text.phrase(2, 4)}]({other}.md) before."
                n += 7
            if rng.random() < 0.05:
                para += f" The council's [open data](https://example.org/data/{rng.randrange(999)}) has the numbers."
                n += 6
            if len(footnotes) < 3 and rng.random() < 0.06:
                mark = len(footnotes) + 1
                para += f"[^{mark}]"
                note, m = text.paragraph(1, 2)
                footnotes.append(f"[^{mark}]: {note}")
                n += m
            blocks.append(para)
        elif roll < 0.74:
            items = [text.phrase(3, 12) for _ in range(rng.randint(3, 6))]
            bullet = "1." if rng.random() < 0.35 else "-"
            blocks.append("\n".join(f"{bullet} {item[0].upper()}{item[1:]}" for item in items))
            n = sum(len(i.split()) for i in items)
        elif roll < 0.80:
            lang = rng.choice(tuple(_CODE))
            lines = _CODE[lang]
            start = rng.randrange(max(1, len(lines) - 4))
            blocks.append(f"```{lang}\n" + "\n".join(lines[start:]) + "\n```")
            n = 0
        elif roll < 0.85:
            cols = rng.randint(3, 4)
            head = [w.capitalize() for w in rng.sample(_WORDS, cols)]
            rows = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["--:"] * (cols - 1)) + "|"]
            for _ in range(rng.randint(3, 7)):
                rows.append("| " + " | ".join([rng.choice(_WORDS)] + [str(rng.randrange(1, 500)) for _ in range(cols - 1)]) + " |")
            blocks.append("\n".join(rows))
            n = 0
        elif roll < 0.90:
            para, n = text.paragraph(1, 2)
            blocks.append("> " + para)
        elif roll < 0.93:
            image = f"/images/figure-{rng.randrange(IMAGE_COUNT):02d}.svg"
            blocks.append(f"![{text.phrase(3, 7)}]({image})")
            n = 0
        else:
            para, n = text.paragraph(1, 3)
            blocks.append(para)
        count += n
        since_heading += n
    if teaser:
        blocks.append(teaser)
    blocks.extend(footnotes)
    return "\n\n".join(blocks) + "\n"


def _plan(posts: int, seed: int) -> tuple[list[_Post], dict[str, str]]:
    """Every post's metadata and body, oldest first; and the series' names by slug."""
    rng = random.Random(seed)
    text = _Text(rng)
    slugs: set[str] = set()
    result: list[_Post] = []
    series_names: dict[str, str] = {}
    # Series runs: (name, parts left, part number, last teaser topic, slug of last part)
    current: dict | None = None
    moment = NEWEST - dt.timedelta(hours=22 * posts)
    published_slugs: list[str] = []
    for index in range(posts):
        moment += dt.timedelta(hours=rng.randint(12, 32))
        moment = min(moment, NEWEST - dt.timedelta(hours=posts - index))
        title = text.title()
        slug = slugify(title)
        base, n = slug, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        if current is None and rng.random() < 0.06:
            name = f"The {text.phrase(1, 2).title()} {rng.choice(_SERIES_NOUNS)}"
            while slugify(name) in series_names:
                name += " Again"
            series_names[slugify(name)] = name
            current = {"name": name, "left": rng.randint(4, 16), "part": 0, "topic": None, "prev": None}
        # Series parts are published except, sometimes, the last; other posts make up the drafts.
        draft = rng.random() < DRAFT_SHARE * 1.6
        series = part = fulfils = None
        opening = teaser = ""
        if current is not None:
            current["part"] += 1
            current["left"] -= 1
            series, part = current["name"], current["part"]
            draft = current["left"] == 0 and rng.random() < 0.3
            if current["topic"]:
                opening = f"Last week I said I would be looking at {current['topic']}, and here it is."
                fulfils = current["prev"] if rng.random() < 0.7 else None
            if current["left"] > 0:
                current["topic"] = text.phrase(3, 7)
                teaser = f"So next week I'll look at {current['topic']}."
            current["prev"] = slug
            if current["left"] == 0:
                current = None
        planned = draft and rng.random() < 0.25
        # Blocks overshoot the drawn length a little (headings, tables, the last paragraph).
        words = max(120, min(6000, int(math.exp(rng.gauss(math.log(MEDIAN_WORDS * 0.87), 0.55)))))
        body = "" if planned else _body(text, rng, words, published_slugs[-200:], opening, teaser)
        post = _Post(
            slug=slug,
            title=title,
            date=None if draft else moment,
            created=moment - dt.timedelta(days=rng.randint(1, 6), minutes=rng.randrange(600)),
            tags=sorted(set(rng.sample(_TAGS, rng.randint(1, 4)))),
            series=series,
            part=part,
            summary=text.phrase(6, 14).capitalize() + ".",
            draft=draft,
            planned=planned,
            body=body,
            fulfils=fulfils,
            teaser=teaser,
        )
        result.append(post)
        if not draft:
            published_slugs.append(slug)
    return result, series_names


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat()


def _blog_file(post: _Post) -> str:
    lines = ["---", f"title: {post.title}"]
    if post.date:
        lines.append(f"date: {_stamp(post.date)}")
    lines.append(f"created: {_stamp(post.created)}")
    lines.append(f"tags: [{', '.join(post.tags)}]")
    if post.series:
        lines += [f"series: {post.series}", f"part: {post.part}"]
    if post.fulfils:
        lines.append(f"fulfils: {post.fulfils}")
    lines += [f"summary: {post.summary}", "---", ""]
    return "\n".join(lines) + ("\n" + post.body if post.body else "")


def _hugo_file(post: _Post) -> str:
    lines = ["---", f"title: {post.title}", f"slug: {post.slug}", f"date: {_stamp(post.date or post.created)}"]
    if post.draft:
        lines.append("draft: true")
    lines.append(f"tags: [{', '.join(post.tags)}]")
    if post.series:
        lines += [f"series: [{post.series}]", f"part: {post.part}"]
    lines += [f"summary: {post.summary}", "---", ""]
    return "\n".join(lines) + ("\n" + post.body if post.body else "")


def _pelican_file(post: _Post) -> str:
    when = post.date or post.created
    lines = [f"Title: {post.title}", f"Slug: {post.slug}", f"Date: {when.strftime('%Y-%m-%d %H:%M')}", f"Tags: {', '.join(post.tags)}"]
    if post.series:
        lines.append(f"Series: {post.series}")
    lines.append(f"Summary: {post.summary}")
    if post.draft:
        lines.append("Status: draft")
    return "\n".join(lines) + "\n\n" + (post.body or "(planned)\n")


def _svg(number: int) -> str:
    bars = "".join(f'<rect x="{10 + i * 24}" y="{90 - (number * 7 + i * 13) % 70}" width="18" height="{(number * 7 + i * 13) % 70 + 10}"/>' for i in range(8))
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="210" height="100" viewBox="0 0 210 100">{bars}</svg>\n'


_BLOG_TOML = """# A generated benchmark blog ({posts} posts, seed {seed}).
title = "Benchmark Blog"
author = "Robin Okafor"
base_url = "https://example.org/"
timezone = "UTC"
description = "A generated blog for benchmarks."

[build]
markdown = "cmark"
posts_per_page = {page}
"""

_HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Benchmark Blog"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]

[pagination]
  pagerSize = {page}

[taxonomies]
  tag = "tags"
  series = "series"

[permalinks.page]
  posts = "/:slug/"

[markup.goldmark.renderer]
  unsafe = true
"""

# A minimal theme: a home page paged by 20, one page per post, and list pages for the
# tags and series taxonomies (the work the Hugo reference numbers measured).
_HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2 January 2006" }}</time>
{{ with .Params.series }}· Part {{ $.Params.part }} of {{ index . 0 }}{{ end }}</p>
{{ .Content }}
<p>{{ range .Params.tags }}<a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">#{{ . }}</a> {{ end }}</p>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages.ByDate.Reverse }}{{ if eq .Kind "home" }}{{ $pages = where .Site.RegularPages.ByDate.Reverse "Section" "posts" }}{{ end }}
{{ $pager := .Paginate $pages }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time><p>{{ .Summary }}</p></li>{{ end }}</ul>
{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
}

_PELICAN_CONF = """# A generated benchmark site ({posts} posts, seed {seed}); Pelican's default theme.
AUTHOR = "Robin Okafor"
SITENAME = "Benchmark Blog"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = {page}
STATIC_PATHS = ["images"]
ARTICLE_URL = "{{slug}}/"
ARTICLE_SAVE_AS = "{{slug}}/index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
RELATIVE_URLS = True
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.codehilite": {{"css_class": "highlight"}},
        "markdown.extensions.extra": {{}},
        "markdown.extensions.toc": {{}},
        "markdown.extensions.smarty": {{}},
    }},
    "output_format": "html5",
}}
"""


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def generate(out: Path, posts: int, seed: int = 0) -> dict:
    """Write the corpus of `posts` posts under `out` (replacing what was there); returns counts."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    planned, series = _plan(posts, seed)
    blog, hugo, pelican = out / "blog", out / "hugo", out / "pelican"
    for folder in (
        blog / "drafts", blog / "published", blog / "static" / "images",
        hugo / "content" / "posts", hugo / "static" / "images", hugo / "layouts" / "_default",
        pelican / "content" / "images",
    ):
        folder.mkdir(parents=True)
    toml = _BLOG_TOML.format(posts=posts, seed=seed, page=PAGE_SIZE)
    toml += "".join(f'\n[series.{key}]\ntitle = "{name}"\ncadence = "weekly on Monday 09:00"\n' for key, name in series.items())
    _write(blog / "blog.toml", toml)
    _write(hugo / "hugo.toml", _HUGO_CONFIG.format(page=PAGE_SIZE))
    for name, text in _HUGO_LAYOUTS.items():
        _write(hugo / "layouts" / name, text)
    _write(pelican / "pelicanconf.py", _PELICAN_CONF.format(posts=posts, seed=seed, page=PAGE_SIZE))
    for number in range(IMAGE_COUNT):
        svg = _svg(number)
        for folder in (blog / "static" / "images", hugo / "static" / "images", pelican / "content" / "images"):
            _write(folder / f"figure-{number:02d}.svg", svg)
    for post in planned:
        _write(blog / ("drafts" if post.draft else "published") / f"{post.slug}.md", _blog_file(post))
        _write(hugo / "content" / "posts" / f"{post.slug}.md", _hugo_file(post))
        _write(pelican / "content" / f"{post.slug}.md", _pelican_file(post))
    # Files written long ago, as in a real blog (and deterministic): the index may cache them at once.
    old = NEWEST.timestamp()
    for folder in (blog / "drafts", blog / "published", hugo / "content" / "posts", pelican / "content"):
        for entry in os.scandir(folder):
            os.utime(entry.path, (old, old))
    drafts = sum(p.draft for p in planned)
    return {"posts": posts, "published": posts - drafts, "drafts": drafts, "series": len(series)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--posts", type=int, default=1000, help="number of posts (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = generate(args.out, args.posts, args.seed)
    took = time.perf_counter() - start
    sys.stderr.write(
        f"wrote {counts['posts']} posts ({counts['published']} published, {counts['drafts']} drafts, "
        f"{counts['series']} series) to {args.out} in {took:.1f} s\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
