"""A deterministic WordPress export (WXR 1.2) of N posts, for timing `blog import wordpress`.

`python -m benchmarks.wxr OUT.xml --posts 10000 [--seed 0]` writes what a real blog's export
holds, in its proportions: posts with a log-normal length (~800-word median) written in the
classic editor (no `<p>`, as WordPress stores them) or, one in five, in the block editor; tags,
categories, a `[caption]`ed image in one post in four, `<!--more-->` in one in three; 10 % drafts,
1 % scheduled, 2 % private; 0-6 comments a post (threaded replies, the author's own, a pingback
now and then, some unapproved or spam); an attachment per captioned image; a page per 100 posts;
menu items. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = (
    "night bus route driver stop passenger timetable city road window light rain ticket seat late early "
    "morning evening street corner station ride journey map count notebook question answer reason change "
    "people phone network signal market idea research week story voice memory place home shift work"
).split()
TAGS = ["fieldwork", "transport", "research", "cities", "notes", "media", "technology", "policy", "travel", "interviews"]
CATEGORIES = ["Field notes", "Essays", "Reading", "Uncategorized"]
COMMENTERS = [("Jo Reader", "jo@example.org"), ("Sam Park", "sam@example.net"), ("Ana Lima", "ana@example.com"),
              ("Tom Ng", "tom@example.org")]
START = dt.datetime(2012, 1, 2, 9, 0, tzinfo=dt.timezone.utc)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def _paragraph(rng: random.Random, words: int) -> str:
    text, count = [], 0
    while count < words:
        sentence = _sentence(rng)
        if rng.random() < 0.1:
            sentence = sentence.replace(" ", f' <a href="https://example.org/{rng.randint(1, 999)}">', 1) + "</a>"
        if rng.random() < 0.1:
            sentence = f"<em>{sentence}</em>"
        text.append(sentence)
        count += sentence.count(" ") + 1
    return " ".join(text)


def _content(rng: random.Random, number: int, block_editor: bool) -> tuple[str, int | None]:
    total = max(60, int(math.exp(rng.gauss(math.log(800), 0.6))))
    paragraphs = []
    image = None
    while total > 0:
        size = min(total, rng.randint(40, 140))
        paragraphs.append(_paragraph(rng, size))
        total -= size
    if rng.random() < 0.25:
        image = number
        caption = (f'[caption id="attachment_{100000 + number}" align="aligncenter" width="640"]'
                   f'<img src="https://nightbus.example.com/wp-content/uploads/2016/05/photo-{number}.jpg" alt="A stop" '
                   f'width="640" height="480" /> The stop at night[/caption]')
        paragraphs.insert(min(2, len(paragraphs)), caption)
    if rng.random() < 0.3 and len(paragraphs) > 2:
        paragraphs.insert(1, "<!--more-->")
    if rng.random() < 0.2:
        items = "".join(f"<li>{_sentence(rng)}</li>" for _ in range(rng.randint(2, 5)))
        paragraphs.insert(len(paragraphs) // 2, f"<ul>\n{items}\n</ul>")
    if block_editor:
        return "\n\n".join(
            p if p.startswith(("<!--more", "[caption")) else f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->"
            for p in paragraphs
        ), image
    return "\n\n".join(paragraphs), image


def _comments(rng: random.Random, post_date: dt.datetime, first_id: int) -> tuple[str, int]:
    out, count = [], rng.choice([0, 0, 1, 2, 3, 4, 6])
    for n in range(count):
        cid = first_id + n
        author, email = rng.choice(COMMENTERS)
        by_author = n > 0 and rng.random() < 0.25
        if by_author:
            author, email = "Robin", "robin@example.com"
        parent = first_id + rng.randrange(n) if n and rng.random() < 0.4 else 0
        kind = "pingback" if rng.random() < 0.05 else ""
        approved = rng.choices(["1", "0", "spam"], [90, 5, 5])[0]
        when = post_date + dt.timedelta(hours=rng.randint(1, 400))
        out.append(f"""
		<wp:comment>
			<wp:comment_id>{cid}</wp:comment_id>
			<wp:comment_author>{_cdata(author)}</wp:comment_author>
			<wp:comment_author_email>{email}</wp:comment_author_email>
			<wp:comment_author_url>https://{author.split()[0].lower()}.example.org/</wp:comment_author_url>
			<wp:comment_author_IP>192.0.2.{rng.randint(1, 254)}</wp:comment_author_IP>
			<wp:comment_date>{when:%Y-%m-%d %H:%M:%S}</wp:comment_date>
			<wp:comment_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>
			<wp:comment_content>{_cdata(_paragraph(rng, rng.randint(15, 90)))}</wp:comment_content>
			<wp:comment_approved>{approved}</wp:comment_approved>
			<wp:comment_type>{kind}</wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>{1 if by_author else 0}</wp:comment_user_id>
		</wp:comment>""")
    return "".join(out), count


def _item(fields: dict, categories: str = "", extra: str = "") -> str:
    return f"""
	<item>
		<title>{_cdata(fields['title'])}</title>
		<link>{fields['link']}</link>
		<pubDate>{fields['date']:%a, %d %b %Y %H:%M:%S +0000}</pubDate>
		<dc:creator>{_cdata('robin')}</dc:creator>
		<guid isPermaLink="false">https://nightbus.example.com/?p={fields['id']}</guid>
		<description></description>
		<content:encoded>{_cdata(fields.get('content', ''))}</content:encoded>
		<excerpt:encoded>{_cdata(fields.get('excerpt', ''))}</excerpt:encoded>
		<wp:post_id>{fields['id']}</wp:post_id>
		<wp:post_date>{_cdata(f"{fields['date']:%Y-%m-%d %H:%M:%S}")}</wp:post_date>
		<wp:post_date_gmt>{_cdata(fields.get('gmt', f"{fields['date']:%Y-%m-%d %H:%M:%S}"))}</wp:post_date_gmt>
		<wp:comment_status>open</wp:comment_status>
		<wp:ping_status>open</wp:ping_status>
		<wp:post_name>{_cdata(fields.get('name', ''))}</wp:post_name>
		<wp:status>{_cdata(fields['status'])}</wp:status>
		<wp:post_parent>{fields.get('parent', 0)}</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>{_cdata(fields['type'])}</wp:post_type>
		<wp:post_password>{_cdata('')}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>{fields.get('attachment', '')}{categories}{extra}
	</item>"""


def generate(out: Path, posts: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    comment_id = 1
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>The Night Bus Notebook</title>
	<link>https://nightbus.example.com</link>
	<description>Generated for benchmarks</description>
	<language>en</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://nightbus.example.com</wp:base_site_url>
	<wp:base_blog_url>https://nightbus.example.com</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login>{_cdata('robin')}</wp:author_login><wp:author_email>{_cdata('robin@example.com')}</wp:author_email><wp:author_display_name>{_cdata('Robin')}</wp:author_display_name></wp:author>
""")
        for number in range(1, posts + 1):
            date = START + dt.timedelta(hours=number * 7)
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).title() + f" {number}"
            roll = rng.random()
            status = "draft" if roll < 0.10 else "future" if roll < 0.11 else "private" if roll < 0.13 else "publish"
            if status == "future":
                date = dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=number)
            content, image = _content(rng, number, block_editor=rng.random() < 0.2)
            comments, count = _comments(rng, date, comment_id)
            comment_id += count
            name = "" if status == "draft" else title.lower().replace(" ", "-")
            categories = "".join(
                f'\n\t\t<category domain="post_tag" nicename="{t}">{_cdata(t)}</category>' for t in rng.sample(TAGS, rng.randint(1, 4))
            ) + f'\n\t\t<category domain="category" nicename="c">{_cdata(rng.choice(CATEGORIES))}</category>'
            link = f"https://nightbus.example.com/{date:%Y/%m/%d}/{name}/" if name else f"https://nightbus.example.com/?p={number}"
            fields = {"title": title, "link": link, "date": date, "id": number, "content": content, "name": name,
                      "status": status, "type": "post"}
            if status == "draft":
                fields["gmt"] = "0000-00-00 00:00:00"
            handle.write(_item(fields, categories, comments))
            if image:
                attachment_url = f"https://nightbus.example.com/wp-content/uploads/2016/05/photo-{number}.jpg"
                handle.write(_item({"title": f"photo-{number}", "link": attachment_url, "date": date, "id": 100000 + number,
                                    "status": "inherit", "type": "attachment", "parent": number,
                                    "attachment": f"\n\t\t<wp:attachment_url>{attachment_url}</wp:attachment_url>"}))
            if number % 100 == 0:
                page = {"title": f"Page {number // 100}", "link": f"https://nightbus.example.com/page-{number // 100}/",
                        "date": date, "id": 200000 + number, "content": _paragraph(rng, 120), "name": f"page-{number // 100}",
                        "status": "publish", "type": "page"}
                handle.write(_item(page))
                handle.write(_item({"title": "", "link": f"https://nightbus.example.com/?p={300000 + number}", "date": date,
                                    "id": 300000 + number, "status": "publish", "type": "nav_menu_item"}))
        handle.write("\n</channel>\n</rss>\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    path = generate(args.out, args.posts, args.seed)
    print(f"{path}: {args.posts} posts, {path.stat().st_size / 2**20:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
