"""A post as WordPress gets it: HTML, the series box, the marker that finds it again, digests.

The body goes through the site's Markdown engine (`blogcli.render.markdown.markdown_to_html`), so
WordPress shows what the site and the preview show, with two differences made for WordPress:

- Code is left plain: `<pre><code class="language-python">`. Themes style `pre`, and
  highlighting plugins (Prism or highlight.js based) pick up the `language-` class; the site's
  Pygments classes would be unstyled there, and inline colours would fight a dark theme.
- Lines are unwrapped. WordPress runs `wpautop` over classic content when it shows it, which
  turns every newline inside a paragraph into `<br />`; an author's wrapped lines would show as
  ragged breaks. Newlines stay only next to block tags, and inside `<pre>`.

The series box is two marked regions, `<div data-blogcli="series-head">` (above the body: "Part 2
of 3 in …") and `<div data-blogcli="series-tail">` (below: what comes next, and every part), so a
later part can replace them in an earlier part's content without touching anything else. The
last line, an empty `<div data-blogcli-post="…">`, names the post (a digest of its permanent feed
id): a publish that failed after WordPress made the post finds it by this marker the next time,
rather than making a second one. Markers are attributes of block tags, not HTML comments:
wpautop would wrap a lone comment in an empty paragraph.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from typing import Callable

from blogcli.model.links import is_external, linked_slug, static_path

HEAD = "series-head"
TAIL = "series-tail"
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_BLOCK = (
    r"(?:p|div|ul|ol|li|h[1-6]|blockquote|pre|table|thead|tbody|tfoot|tr|th|td|hr|br|section|aside|nav|figure|"
    r"figcaption|dl|dt|dd|details|summary|header|footer|!--)"
)
_ENDS_WITH_BLOCK = re.compile(rf"</?{_BLOCK}\b[^>]*>\s*$|-->\s*$", re.I)
_STARTS_WITH_BLOCK = re.compile(rf"^\s*</?{_BLOCK}", re.I)


@dataclass
class Rendered:
    """The body's HTML, and what in it could not point at WordPress."""

    html: str
    unlinked_posts: list[str] = field(default_factory=list)  # slugs linked to that are not on WordPress
    local_images: list[str] = field(default_factory=list)  # static/ paths left pointing at the site


def render_body(
    body: str,
    engine: str,
    post_url: Callable[[str], str | None],
    media_url: Callable[[str], str | None],
    site_base: str,
) -> Rendered:
    """The body as HTML for WordPress. `post_url(slug)` gives a post's WordPress address (None: not
    there), `media_url(path)` a static/ file's address in WordPress's media library; what has
    none points at the static site (`site_base`), and is reported."""
    from blogcli.render.markdown import markdown_to_html

    rendered = Rendered("")

    def rewrite(url: str) -> str:
        if not url or is_external(url):
            return url
        slug = linked_slug(url)
        if slug:
            fragment = url.partition("#")[2]
            address = post_url(slug)
            if address is None:
                rendered.unlinked_posts.append(slug)
                address = f"{site_base}{slug}/"
            return address + (f"#{fragment}" if fragment else "")
        path = static_path(url)
        if path is None:
            return url
        address = media_url(path)
        if address is None:
            rendered.local_images.append(path)
            return site_base + path
        return address

    rendered.html = unwrap(markdown_to_html(body, engine, rewrite_url=rewrite, highlight=False))
    rendered.unlinked_posts = list(dict.fromkeys(rendered.unlinked_posts))
    rendered.local_images = list(dict.fromkeys(rendered.local_images))
    return rendered


def unwrap(text: str) -> str:
    """Join the lines of a paragraph with spaces (see the module docstring); `<pre>` is kept as is."""
    pieces = []
    last = 0
    for match in _PRE.finditer(text):
        pieces.append(_join_lines(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_join_lines(text[last:]))
    return "".join(pieces)


def _join_lines(text: str) -> str:
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        keep = _ENDS_WITH_BLOCK.search(out[-1]) or _STARTS_WITH_BLOCK.match(line) or not out[-1].strip() or not line.strip()
        if keep:
            out.append(line)
        else:
            out[-1] = out[-1] + " " + line
    return "\n".join(out)


# -- the series box ----------------------------------------------------------------------------


@dataclass
class BoxPart:
    number: int
    title: str
    url: str | None  # None: not on WordPress, or not out yet
    current: bool = False
    coming: str | None = None  # "7 December 2026" for a scheduled part


@dataclass
class SeriesBox:
    title: str
    url: str | None  # the series' category page on WordPress
    number: int
    count: int
    parts: list[BoxPart]
    teaser: str | None = None  # what this part promises comes next ("": a promise without a topic)
    teaser_title: str | None = None  # the part that keeps the promise, once it is out on WordPress
    teaser_url: str | None = None


def series_regions(box: SeriesBox | None) -> dict[str, str]:
    """The HTML of each region of the box (both empty outside a series)."""
    if box is None:
        return {HEAD: "", TAIL: ""}
    name = _link(box.title, box.url)
    head = f'<p class="blogcli-series-part"><em>Part {box.number} of {box.count} in {name}</em></p>'
    tail = []
    topic = html.escape((box.teaser or "")[:1].upper() + (box.teaser or "")[1:])
    if box.teaser_url:
        read = _link("Read it: " + (box.teaser_title or "the next part") + " →", box.teaser_url)
        tail.append(f'<p class="blogcli-series-next"><strong>Promised next:</strong> {topic + ". " if topic else ""}{read}</p>')
    elif topic:
        tail.append(f'<p class="blogcli-series-next"><strong>Coming next:</strong> {topic}</p>')
    tail.append(f'<p class="blogcli-series-title">{name}</p>')
    tail.append('<ol class="blogcli-series-parts">')
    for part in box.parts:
        value = f' value="{part.number}"'
        if part.current:
            item = f"<strong>{html.escape(part.title)}</strong>"
        else:
            item = _link(part.title, part.url)
            if part.coming:
                item += f" <em>(coming {html.escape(part.coming)})</em>"
        tail.append(f"<li{value}>{item}</li>")
    tail.append("</ol>")
    return {HEAD: head, TAIL: "\n".join(tail)}


def _link(text: str, url: str | None) -> str:
    if not url:
        return html.escape(text)
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'


def region(name: str, inner: str) -> str:
    return f'<div class="blogcli-{name}" data-blogcli="{name}">\n{inner}\n</div>' if inner else ""


def _region_pattern(name: str) -> re.Pattern:
    # The regions hold no <div> of their own, so the first </div> closes them.
    return re.compile(rf'<div [^>]*data-blogcli="{name}"[^>]*>\n?(.*?)\n?</div>\n?', re.S)


def assemble(body_html: str, regions: dict[str, str], token: str) -> str:
    """The post's whole content: head region, body, tail region, marker."""
    parts = [region(HEAD, regions[HEAD]), body_html.strip("\n"), region(TAIL, regions[TAIL]), marker(token)]
    return "\n".join(p for p in parts if p) + "\n"


def replace_regions(content: str, regions: dict[str, str]) -> str:
    """`content` (as WordPress holds it) with the box regions replaced, added or removed; the rest,
    including an edit made on WordPress, kept."""
    for name in (HEAD, TAIL):
        pattern = _region_pattern(name)
        new = region(name, regions[name])
        if pattern.search(content):
            content = pattern.sub(lambda _m: new + "\n" if new else "", content, count=1)
        elif new and name == HEAD:
            content = new + "\n" + content
        elif new:
            found = _MARKER.search(content)
            at = found.start() if found else len(content)
            content = content[:at] + new + "\n" + content[at:]
    return content


def current_regions(content: str) -> dict[str, str]:
    """The box regions as they stand in `content`."""
    found = {}
    for name in (HEAD, TAIL):
        match = _region_pattern(name).search(content)
        found[name] = match.group(1) if match else ""
    return found


# -- finding a post again, and noticing change -------------------------------------------------

_MARKER = re.compile(r'<div data-blogcli-post="(blogcli-[0-9a-f]+)"></div>')


def post_token(identity: str) -> str:
    """A search term unique to one post: a digest of its permanent id (WordPress's search finds it)."""
    return "blogcli-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


def media_token(data: bytes) -> str:
    """A search term unique to one file's bytes: the same image is uploaded once."""
    return "blogcli-" + hashlib.sha256(data).hexdigest()[:20]


def marker(token: str) -> str:
    """An empty <div>: it shows nothing, and wpautop leaves a lone block tag unwrapped (an HTML
    comment would become an empty paragraph)."""
    return f'<div data-blogcli-post="{token}"></div>'


def has_marker(content: str, token: str) -> bool:
    return any(match.group(1) == token for match in _MARKER.finditer(content))


def remote_digest(title: str, content: str) -> str:
    """A digest of a post's title and content as WordPress holds them (their raw form)."""
    return _digest(title, content)


def source_digest(*fields: object) -> str:
    """A digest of what the author wrote that reaches WordPress (title, body, tags, date…)."""
    return _digest(*(repr(f) for f in fields))


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()[:16]
