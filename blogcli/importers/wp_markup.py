"""WordPress's own markup made plain HTML, ready for the Markdown converter.

A post written in the classic editor has no `<p>`: WordPress adds paragraphs when it shows the
post (`wpautop`), so this module does the same, as WordPress does it. A block-editor post
(Gutenberg) has its paragraphs, and block comments (`<!-- wp:paragraph -->`) that mean nothing
outside WordPress: they go. Shortcodes become what they showed: `[caption]` a figure with its
caption, `[gallery]` its images (each linking to the full picture), `[audio]`, `[video]`,
`[playlist]`, `[embed]`, `[youtube]`, `[vimeo]` and bare oEmbed URLs (a URL alone on its line,
which WordPress shows as a player) links to what they play, `[code]`/`[sourcecode]` fenced code.
Any other shortcode is left as text, for `blog check` to flag. `<!--more-->` is kept as the
excerpt marker; `<!--nextpage-->` becomes a horizontal rule.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

from blogcli.importers.html_to_markdown import MORE_MARKER, html_to_markdown

MORE = "<!--more-->"  # the excerpt marker kept in converted bodies (see README)
_MORE = re.compile(r"<!--more(?:\s[^>]*?)?-->")
_NEXTPAGE = re.compile(r"<!--nextpage-->")
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?")
_BARE_URL_PARAGRAPH = re.compile(r"<p>\s*(https?://[^\s<>\"]+)\s*</p>")
_EMBED_WRAPPER = re.compile(r"(<div class=\"wp-block-embed__wrapper\">)\s*(https?://[^\s<>\"]+)\s*(</div>)")
_MARKER_LINE = re.compile(rf"^{MORE_MARKER}$", re.M)
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_ALONE_IN_PARAGRAPH = re.compile(r"<p>\s*(\x00\d+\x00)\s*(?:<br />\s*)?</p>")

_ATTRIBUTES = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)


@dataclass
class Attachment:
    url: str
    title: str = ""
    parent: str = "0"
    order: int = 0


@dataclass
class Context:
    """What converting one post needs to know about the rest of the export."""

    post_id: str = ""
    attachments: dict[str, Attachment] = field(default_factory=dict)
    rewrite_url: Callable[[str], str] = lambda url: url  # old site links → links to imported posts
    children: dict[str, list[Attachment]] = field(default_factory=dict)  # post id → its attachments


def shortcode_pattern(names: tuple[str, ...]) -> re.Pattern:
    """WordPress's own shortcode grammar (get_shortcode_regex) for these names: `[name attrs]`,
    `[name attrs /]` or `[name attrs]content[/name]`; `[[name]]` is an escaped, literal one."""
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(
        r"\[(\[?)(" + alternatives + r")(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(/)\]|\](?:((?:[^\[]|\[(?!/\2\]))*)\[/\2\])?)(\]?)",
        re.S,
    )


def parse_attributes(text: str) -> dict[str, str]:
    """Shortcode attributes as WordPress reads them; positional ones under "0", "1"…"""
    attributes: dict[str, str] = {}
    text = text.strip()
    if text.startswith("="):  # WordPress.com's `[youtube=URL]`
        return {"0": html.unescape(text[1:].strip().strip("\"'"))}
    position = 0
    for match in _ATTRIBUTES.finditer(text):
        groups = match.groups()
        for name_at, value_at in ((0, 1), (2, 3), (4, 5)):
            if groups[name_at] is not None:
                attributes[groups[name_at].lower()] = html.unescape(groups[value_at])
                break
        else:
            value = next(g for g in groups[6:] if g is not None)
            attributes[str(position)] = html.unescape(value)
            position += 1
    return attributes


_CODE = shortcode_pattern(("code", "sourcecode"))
_SHORTCODES = shortcode_pattern(("caption", "wp_caption", "gallery", "audio", "video", "playlist", "embed", "youtube", "vimeo"))
_CAPTIONED = re.compile(r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_AUDIO_SOURCES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "flac")
_VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")


def _link_paragraph(url: str, text: str | None = None) -> str:
    url = html.escape(url, quote=True)
    return f'<p><a href="{url}">{html.escape(text) if text else url}</a></p>'


def _file_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1] or url


def _code_block(match: re.Match) -> str:
    if match.group(1) and match.group(6):
        return match.group(0)[1:-1]
    attributes = parse_attributes(match.group(3))
    language = attributes.get("language") or attributes.get("lang") or attributes.get("0", "")
    code = html.escape(html.unescape(match.group(5) or "").strip("\n"))
    cls = f' class="language-{html.escape(language)}"' if language else ""
    return f"<pre><code{cls}>{code}</code></pre>"


def _shortcode(match: re.Match, context: Context) -> str:
    if match.group(1) and match.group(6):  # [[name]]: written to be shown as is
        return match.group(0)[1:-1]
    name, attributes, content = match.group(2), parse_attributes(match.group(3)), match.group(5) or ""
    if name in ("caption", "wp_caption"):
        found = _CAPTIONED.match(content)
        if not found:
            return match.group(0)
        caption = attributes.get("caption") or found.group(2).strip()
        caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"<figure>{found.group(1)}{caption_html}</figure>"
    if name == "gallery":
        ids = attributes.get("ids") or attributes.get("include") or ""
        if ids:
            images = [context.attachments[i.strip()] for i in ids.split(",") if i.strip() in context.attachments]
        else:
            images = sorted(context.children.get(context.post_id, []), key=lambda a: a.order)
        if not images:
            return match.group(0)
        items = "".join(
            f'<p><a href="{html.escape(a.url)}"><img src="{html.escape(a.url)}" alt="{html.escape(a.title)}" /></a></p>'
            for a in images
        )
        return f"<figure>{items}</figure>"
    if name == "playlist":
        ids = [i.strip() for i in attributes.get("ids", "").split(",") if i.strip() in context.attachments]
        if not ids:
            return match.group(0)
        return "".join(_link_paragraph(context.attachments[i].url, context.attachments[i].title or None) for i in ids)
    if name in ("audio", "video"):
        sources = _AUDIO_SOURCES if name == "audio" else _VIDEO_SOURCES
        url = next((attributes[k] for k in sources if attributes.get(k)), None) or attributes.get("0")
        if not url:
            return match.group(0)
        return _link_paragraph(url, f"{name.title()}: {_file_name(url)}")
    if name == "embed":
        url = content.strip() or attributes.get("0", "")
        return _link_paragraph(url) if url.startswith(("http://", "https://")) else match.group(0)
    # youtube / vimeo (WordPress.com): a URL or an id
    value = attributes.get("0") or attributes.get("id") or attributes.get("url") or content.strip()
    if not value:
        return match.group(0)
    if not value.startswith(("http://", "https://")):
        value = f"https://www.youtube.com/watch?v={value}" if name == "youtube" else f"https://vimeo.com/{value}"
    return _link_paragraph(value)


_AUTOP_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    r"blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|"
    r"figure|figcaption|details|menu|summary)"
)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>")
_OPENING_BLOCK = re.compile(rf"(<{_AUTOP_BLOCKS}[\s/>])")
_CLOSING_BLOCK = re.compile(rf"(</{_AUTOP_BLOCKS}>)")
_HR = re.compile(r"(<hr\s*?/?>)")
_IN_TAG = re.compile(r"<[^<>]*>")
_BLANK_LINES = re.compile(r"\n\n+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_EMPTY_P = re.compile(r"<p>\s*</p>")
_UNCLOSED_P = re.compile(r"<p>([^<]+)</(div|address|form)>")
_P_AROUND_BLOCK = re.compile(rf"<p>\s*(</?{_AUTOP_BLOCKS}[^>]*>)\s*</p>")
_P_AROUND_LI = re.compile(r"<p>(<li.+?)</p>")
_P_BLOCKQUOTE = re.compile(r"<p><blockquote([^>]*)>", re.I)
_P_BEFORE_BLOCK = re.compile(rf"<p>\s*(</?{_AUTOP_BLOCKS}[^>]*>)")
_P_AFTER_BLOCK = re.compile(rf"(</?{_AUTOP_BLOCKS}[^>]*>)\s*</p>")
_KEEP_NEWLINES = re.compile(r"<(script|style|svg|math).*?</\1>", re.S)
_BR_AFTER_BLOCK = re.compile(rf"(</?{_AUTOP_BLOCKS}[^>]*>)\s*<br />")
_BR_BEFORE_BLOCK = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)")
_TRAILING_NEWLINE_P = re.compile(r"\n</p>$")


def line_breaks(text: str) -> str:
    """wpautop's `preg_replace('|(?<!<br />)\\s*\\n|', "<br />\\n", …)`: a run of whitespace up to
    its last line end becomes `<br />` and that line end, unless `<br />` comes just before it.
    The same, by looking only where line ends are (the pattern tries every position: ~0.7 ms a
    post); tests/test_import_markup.py holds the two to the same result."""
    out, at, end = [], 0, text.find("\n")
    while end >= 0:
        start = end
        while start > at and text[start - 1].isspace():
            start -= 1
        last = end
        while last + 1 < len(text) and text[last + 1].isspace():
            last += 1
        newline = text.rfind("\n", end, last + 1)  # the run's last line end
        if text.endswith("<br />", 0, start):
            if text.find("\n", start + 1, newline + 1) < 0:  # no line end after the run's first character
                out.append(text[at : newline + 1])
                at = newline + 1
                end = text.find("\n", at)
                continue
            start += 1
        out.append(text[at:start])
        out.append("<br />\n")
        at = newline + 1
        end = text.find("\n", at)
    out.append(text[at:])
    return "".join(out)


def wpautop(text: str) -> str:
    """WordPress's `wpautop` (wp-includes/formatting.php): paragraphs from blank lines, `<br />`
    from single line ends, block elements left alone, `<pre>` untouched."""
    if not text.strip():
        return ""
    text = text + "\n"
    kept: dict[str, str] = {}
    if "<pre" in text:
        parts = text.split("</pre>")
        last = parts.pop()
        text = ""
        for number, part in enumerate(parts):
            start = part.find("<pre")
            if start < 0:
                text += part
                continue
            name = f"<pre wp-pre-tag-{number}></pre>"
            kept[name] = part[start:] + "</pre>"
            text += part[:start] + name
        text += last
    tags = "<" in text  # without any, the passes about tags find nothing
    if tags:
        text = _DOUBLE_BR.sub("\n\n", text)
        text = _OPENING_BLOCK.sub(r"\n\n\1", text)
        text = _CLOSING_BLOCK.sub(r"\1\n\n", text)
        text = _HR.sub(r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if tags:
        text = _IN_TAG.sub(lambda m: m.group(0).replace("\n", " <!-- wpnl --> "), text)
    if "<option" in text:
        text = re.sub(r"\s*<option", "<option", text)
        text = re.sub(r"</option>\s*", "</option>", text)
    if "<audio" in text or "<video" in text:
        text = re.sub(r"(<(?:audio|video)[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*(</(?:audio|video)>)", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    text = _BLANK_LINES.sub("\n\n", text)
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = _EMPTY_P.sub("", text)
    if tags:
        text = _UNCLOSED_P.sub(r"<p>\1</p></\2>", text)
        text = _P_AROUND_BLOCK.sub(r"\1", text)
        text = _P_AROUND_LI.sub(r"\1", text)
        text = _P_BLOCKQUOTE.sub(r"<blockquote\1><p>", text)
        text = text.replace("</blockquote></p>", "</p></blockquote>")
        text = _P_BEFORE_BLOCK.sub(r"\1", text)
        text = _P_AFTER_BLOCK.sub(r"\1", text)
        text = _KEEP_NEWLINES.sub(lambda m: m.group(0).replace("\n", "<WPPreserveNewline />"), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = line_breaks(text)
    text = text.replace("<WPPreserveNewline />", "\n")
    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = _TRAILING_NEWLINE_P.sub("</p>", text)
    for name, original in kept.items():
        text = text.replace(name, original)
    return text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")


def prepare(content: str, context: Context) -> tuple[str, list[str]]:
    """A post's content as plain HTML, and notes on what changed in meaning. In WordPress's own
    order: paragraphs (classic posts), then shortcodes, a shortcode alone in its paragraph
    standing for a block of its own (`shortcode_unautop`)."""
    notes = []
    gutenberg = "<!-- wp:" in content
    if "[code" in content or "[sourcecode" in content:
        content = _CODE.sub(_code_block, content)
    if "<!--" in content:
        if _NEXTPAGE.search(content):
            notes.append("WordPress page breaks (<!--nextpage-->) became horizontal rules")
            content = _NEXTPAGE.sub("\n\n<hr />\n\n", content)
        content = _MORE.sub(f"\n\n<p>{MORE_MARKER}</p>\n\n", content, count=1)
        content = _MORE.sub("", content)
    content = _BLOCK_COMMENT.sub("", content) if gutenberg else wpautop(content)
    if "[" in content:
        blocks: list[str] = []

        def block(match: re.Match) -> str:
            blocks.append(_shortcode(match, context))
            return f"\x00{len(blocks) - 1}\x00"

        content = _SHORTCODES.sub(block, content)
        if blocks:
            content = _ALONE_IN_PARAGRAPH.sub(r"\1", content)
            content = _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], content)
    if "http" in content:
        content = _BARE_URL_PARAGRAPH.sub(lambda m: _link_paragraph(html.unescape(m.group(1))), content)
    if "wp-block-embed__wrapper" in content:
        content = _EMBED_WRAPPER.sub(lambda m: m.group(1) + f'<a href="{m.group(2)}">{m.group(2)}</a>' + m.group(3), content)
    return content, notes


def content_to_markdown(content: str, context: Context) -> tuple[str, list[str]]:
    """A post's `content:encoded` as Markdown, with `<!--more-->` kept on a line of its own."""
    prepared, notes = prepare(content, context)
    markdown = html_to_markdown(_rewrite_links(prepared, context))
    return _MARKER_LINE.sub(MORE, markdown), notes


def comment_to_markdown(content: str) -> str:
    """A comment's text (WordPress shows it through wpautop too) as Markdown."""
    return html_to_markdown(wpautop(content)).rstrip("\n")


_HREF = re.compile(r"""(\s(?:href|src)=)(["'])(.*?)\2""", re.I | re.S)


def _rewrite_links(markup: str, context: Context) -> str:
    if "href=" not in markup and "src=" not in markup:
        return markup

    def swap(match: re.Match) -> str:
        url = html.unescape(match.group(3))
        new = context.rewrite_url(url)
        return match.group(0) if new == url else f"{match.group(1)}{match.group(2)}{html.escape(new)}{match.group(2)}"

    return _HREF.sub(swap, markup)
