"""Plain paragraphs made Markdown without markdownify: exactly what it makes of them, ~5x faster.

Most of a blog post is `<p>` paragraphs of text with links, emphasis and line breaks, and
markdownify spends ~5 ms a post building and walking a BeautifulSoup tree for them: a minute of
a 10,000-post import. A paragraph holding only text, `<a>`, `<em>`/`<i>`, `<strong>`/`<b>` and
`<br>` is converted here by markdownify's own rules, reproduced step by step (whitespace, escapes,
`chomp`, autolinks, the joining of child strings); any other paragraph, and any other block, goes
to markdownify. tests/test_import_markup.py holds the two to the same output on generated HTML.

Written against markdownify 1.2 (pinned in pyproject.toml): a new version is tested before the pin
moves. Measured on the 586 posts of plain paragraphs of a generated 1,000-post export
(benchmarks/wxr.py), at a load average of 8 on 2 cores: 15.0 ms a post by markdownify, 3.1 ms
here (about 5x); on all 1,000 posts, lists and figures included, 13.3 ms against 3.7–5.3 ms.
"""

from __future__ import annotations

import html
import re
from typing import Callable

_PIECE = re.compile(r"(?P<space>\s+)|<p(?:\s[^<>]*)?>(?P<inner>.*?)</p>|<(?P<tag>[a-zA-Z][a-zA-Z0-9]*)[\s>/].*?</(?P=tag)>|(?P<hr><hr\s*/?>)", re.S)
_ATTRIBUTES = r"""(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?)*"""
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(" + _ATTRIBUTES + r")\s*(/?)>|([^<]+)|(<)")
# Where a `<` starts a tag (or comment) the way Python's HTML parser reads it: only then do this
# module's blocks begin and end where markdownify's do.
_LESS_THAN = re.compile(r"<(?:/?[a-zA-Z][a-zA-Z0-9]*" + _ATTRIBUTES + r"\s*/?>|!--.*?-->)", re.S)
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'=<>`]+)))?""")
_INLINE = {"em": "*", "i": "*", "strong": "**", "b": "**"}
_BLOCKS = {"ul", "ol", "figure", "blockquote", "pre", "table", "div", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "section",
           "article"}
# Blocks beside which markdownify drops whitespace (`should_remove_whitespace_outside`).
_SPACE_EATERS = {"p", "blockquote", "article", "div", "section", "ol", "ul", "dl", "table", "pre", "h1", "h2", "h3", "h4",
                 "h5", "h6"}
_NEWLINE_WHITESPACE = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_WHITESPACE = re.compile(r"[\t ]{2,}|\t")  # markdownify's `[\t ]+` → " ", without replacing single spaces
_EXTRACT_NEWLINES = re.compile(r"^(\n*)((?:.*[^\n])?)(\n*)$", re.S)


class _Node:
    __slots__ = ("tag", "attributes", "children", "text")

    def __init__(self, tag: str | None, attributes: dict | None = None, text: str | None = None):
        self.tag, self.attributes, self.children, self.text = tag, attributes or {}, [], text


def _parse(inner: str) -> _Node | None:
    """A paragraph's inside as a little tree, or None when it holds anything but the few inline
    tags this module knows, or they do not nest cleanly (markdownify then decides)."""
    root = _Node("p")
    stack = [root]
    for match in _TOKEN.finditer(inner):
        closing, tag, attributes, self_closing, text, stray = match.groups()
        if stray is not None:
            return None
        if text is not None:
            stack[-1].children.append(_Node(None, text=html.unescape(text)))
            continue
        tag = tag.lower()
        if tag == "br" and not closing:
            stack[-1].children.append(_Node("br"))
            continue
        if tag not in _INLINE and tag != "a":
            return None
        if closing:
            if len(stack) == 1 or stack[-1].tag != tag:
                return None
            stack.pop()
            continue
        if self_closing or (tag == "a" and any(n.tag == "a" for n in stack)):
            return None
        values = {}
        for name, double, single, bare in _ATTRIBUTE.findall(attributes or ""):
            values.setdefault(name.lower(), html.unescape(double or single or bare))
        node = _Node(tag, values)
        stack[-1].children.append(node)
        stack.append(node)
    return root if len(stack) == 1 else None


def _text(node: _Node, parent: _Node, index: int, escape: Callable[[str], str]) -> str:
    text = node.text
    if "\n" in text or "\r" in text:
        text = _NEWLINE_WHITESPACE.sub("\n", text)
    if "\t" in text or "  " in text:
        text = _WHITESPACE.sub(" ", text)
    text = escape(text)
    if parent.tag == "p" and index == 0:
        text = text.lstrip(" \t\r\n")
    if parent.tag == "p" and index == len(parent.children) - 1:
        text = text.rstrip()
    return text


def _ignored(node: _Node, parent: _Node, index: int) -> bool:
    """markdownify's `_can_ignore`: whitespace at the edges of a paragraph."""
    return node.tag is None and not node.text.strip() and parent.tag == "p" and (index == 0 or index == len(parent.children) - 1)


def _join(strings: list[str]) -> str:
    updated = [""]
    for string in strings:
        leading, content, trailing = _EXTRACT_NEWLINES.match(string).groups()
        if updated[-1] and leading:
            previous = updated.pop()
            leading = "\n" * min(2, max(len(previous), len(leading)))
        updated.extend([leading, content, trailing])
    return "".join(updated)


def _convert(node: _Node, escape: Callable[[str], str]) -> str:
    strings = []
    for index, child in enumerate(node.children):
        if _ignored(child, node, index):
            continue
        if child.tag is None:
            result = _text(child, node, index, escape)
        elif child.tag == "br":
            result = "\\\n"
        else:
            result = _convert(child, escape)
        if result:
            strings.append(result)
    text = _join(strings)
    if node.tag == "p":
        text = text.strip(" \t\r\n")
        return f"\n\n{text}\n\n" if text else ""
    prefix = " " if text and text[0] == " " else ""
    suffix = " " if text and text[-1] == " " else ""
    text = text.strip()
    if not text:
        return ""
    if node.tag in _INLINE:
        mark = _INLINE[node.tag]
        return f"{prefix}{mark}{text}{mark}{suffix}"
    href, title = node.attributes.get("href"), node.attributes.get("title")
    if text.replace(r"\_", "_") == href and not title:
        return f"<{href}>"
    title_part = ' "%s"' % title.replace('"', r"\"") if title else ""
    return f"{prefix}[{text}]({href}{title_part}){suffix}" if href else text


def _well_formed(markup: str) -> bool:
    at = markup.find("<")
    while at >= 0:
        tag = _LESS_THAN.match(markup, at)
        if tag is None:
            return False
        at = markup.find("<", tag.end())
    return True


def _name(piece: re.Match | None) -> str | None:
    if piece is None or piece.group("space") is not None:
        return None
    return "p" if piece.group("inner") is not None else "hr" if piece.group("hr") else piece.group("tag").lower()


def convert(markup: str, escape: Callable[[str], str], slow: Callable[[str], str]) -> str:
    """The Markdown of a fragment made of top-level blocks: plain paragraphs here, the rest by
    `slow` (markdownify) block by block; the whole fragment by `slow` when it is anything else
    (text between blocks, whitespace markdownify would keep, a block it would not see as one)."""
    if not _well_formed(markup):
        return slow(markup)
    pieces, at = [], 0
    for match in _PIECE.finditer(markup):
        if match.start() != at:
            return slow(markup)
        at = match.end()
        pieces.append((_name(match), match))
    if at != len(markup) or not pieces:
        return slow(markup)
    out = []
    for index, (name, piece) in enumerate(pieces):
        if name is None:
            before = pieces[index - 1][0] if index else None
            after = pieces[index + 1][0] if index + 1 < len(pieces) else None
            if before not in _SPACE_EATERS and after not in _SPACE_EATERS:
                return slow(markup)
            continue
        if name not in _BLOCKS and name not in ("p", "hr"):
            return slow(markup)
        tree = _parse(piece.group("inner")) if name == "p" else None
        out.append(_convert(tree, escape).strip("\n") if tree is not None else slow(piece.group(0)).strip("\n"))
    return "\n\n".join(text for text in out if text)
