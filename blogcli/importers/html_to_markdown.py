"""HTML → Markdown in the site's dialect, with markdownify (MIT, pure Python: it handled the
WordPress theme test data best in a trial; html2text is GPL, html-to-markdown merges quotes).

What markdownify is told beyond its defaults: `#` headings, `-` bullets, `*` emphasis, hard
breaks as a backslash (trailing spaces vanish in editors), fenced code with the language the
HTML names (`language-x`, `lang-x`, SyntaxHighlighter's `brush: x`), a figure as its image with
the caption in italics below, iframes, audio and video as links to what they play. Text that
would turn into HTML or an entity in Markdown (`<b>` written as text) is escaped; underscores
inside words are not (they never mean emphasis there), so a converted post has no stray `\\`.
"""

from __future__ import annotations

import functools
import re

# A paragraph of its own that the caller swaps for something markdownify would drop (a comment).
MORE_MARKER = "BLOGCLIMOREMARKER7F3A"

_INTRAWORD_UNDERSCORE = re.compile(r"(?<=\w)\\_(?=\w)")
_BLANK_RUNS = re.compile(r"\n{3,}")
_LOOKS_LIKE_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_LOOKS_LIKE_ENTITY = re.compile(r"&(?=#?\w+;)")
_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#.-]+)|brush:\s*([\w+#.-]+)")
_BACKTICKS = re.compile(r"`{3,}")


@functools.cache
def _converter():
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        def escape(self, text, parent_tags):
            text = super().escape(text, parent_tags)
            if "_noformat" in parent_tags:
                return text
            if "<" in text:
                text = _LOOKS_LIKE_TAG.sub(r"\\<", text)
            return _LOOKS_LIKE_ENTITY.sub(r"\\&", text) if "&" in text else text

        def convert_pre(self, el, text, parent_tags):
            if not text:
                return ""
            fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(text)), default=0))
            return f"\n\n{fence}{_language(el)}\n{text.strip(chr(10))}\n{fence}\n\n"

        def convert_br(self, el, text, parent_tags):
            if "pre" in parent_tags:  # a line end in code: a backslash there would be code too
                return "\n" + text
            return super().convert_br(el, text, parent_tags)

        def convert_figure(self, el, text, parent_tags):
            return f"\n\n{text.strip()}\n\n"

        def convert_figcaption(self, el, text, parent_tags):
            caption = text.strip()
            return f"\n*{caption}*" if caption else ""

        def convert_iframe(self, el, text, parent_tags):
            return _media_link("Embedded content", el.get("src"))

        def convert_audio(self, el, text, parent_tags):
            return _media_link("Audio", _source_of(el))

        def convert_video(self, el, text, parent_tags):
            return _media_link("Video", _source_of(el))

    return Converter(
        heading_style="atx",
        bullets="-",
        strong_em_symbol="*",
        newline_style="backslash",
        escape_underscores=True,
        escape_asterisks=True,
    )


def _language(pre) -> str:
    for element in (pre, pre.find("code")):
        if element is None:
            continue
        classes = element.get("class") or []
        found = _LANGUAGE.search(" ".join(classes) if isinstance(classes, list) else str(classes))
        if found:
            return found.group(1) or found.group(2)
        if element.get("lang"):
            return str(element.get("lang"))
    return ""


def _source_of(element) -> str | None:
    if element.get("src"):
        return element.get("src")
    source = element.find("source")
    return source.get("src") if source is not None else None


def _media_link(label: str, url: str | None) -> str:
    if not url:
        return ""
    name = url.rstrip("/").rsplit("/", 1)[-1] or url
    return f"\n\n[{label}: {name}]({url})\n\n"


def html_to_markdown(markup: str) -> str:
    """The Markdown of an HTML fragment, ending in one newline (empty for no text). Plain
    paragraphs take markdownify's rules without markdownify (fast_paragraphs); the rest is its."""
    from blogcli.importers.fast_paragraphs import convert

    return _finish(convert(markup, _escape, _markdownify))


def html_to_markdown_slowly(markup: str) -> str:
    """`html_to_markdown` by markdownify alone: the reference the fast path is tested against."""
    return _finish(_markdownify(markup))


def _markdownify(markup: str) -> str:
    return _converter().convert(markup)


def _escape(text: str) -> str:
    return _converter().escape(text, set())


def _finish(text: str) -> str:
    if "\\_" in text:
        text = _INTRAWORD_UNDERSCORE.sub("_", text)
    text = _BLANK_RUNS.sub("\n\n", text).strip("\n")
    return text + "\n" if text else ""
