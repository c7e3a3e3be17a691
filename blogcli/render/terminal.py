"""The terminal preview: a post set as a page with Rich, parsed in the site's Markdown dialect.

Rich's own `Markdown` class parses with a fixed markdown-it setup (no footnotes, no smart quotes,
images without their path), so this module walks the token tree of `make_preview_parser()`
itself. Every Markdown marker becomes typography: no `**`, `#` or `[..](..)` reaches the page.
Links show their URL, images a placeholder with alt text and path, footnotes a superscript
marker and the notes at the end. Prose is set at most `MEASURE` columns wide unless a width is asked for.

Only this module (and cli/) imports Rich; it is imported only by the preview command.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Iterable

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from blogcli.render.controls import visible
from blogcli.render.markdown import dangerous_url, make_preview_parser, task_checkbox

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

    from blogcli.model.teasers import Teaser
    from blogcli.ops.preview import Preview
    from blogcli.workspace.cachefiles import CacheFolder

MEASURE = 100  # the widest line of prose a reader should have to follow
CODE_THEME = "monokai"
CODE_TAB_SIZE = 4  # Rich's Syntax default: tabs in code stop every 4 columns
HIGHLIGHT_FORMAT = "1"  # of the highlighted code kept between previews

STYLES = {
    "title": "bold",
    "meta": "dim",
    "h1": "bold underline",
    "h2": "bold",
    "h3": "bold italic",
    "code": "bold cyan",
    "link": "underline blue",
    "url": "dim",
    "image": "magenta",
    "footnote": "bold yellow",
    "quote": "italic",
    "quote.bar": "dim",
    "warning": "yellow",
    "error": "bold red",
    "teaser": "underline yellow",
    "callout": "bold yellow",
    "omitted": "dim italic",
}

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MARKUP = re.compile(r"\[\^[^\]]*\]|!?\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"\w+")
_GAP = r"(?:[\W_⁰¹²³⁴⁵⁶⁷⁸⁹])+"


def render_preview(preview: Preview, console: Console, width: int | None = None) -> None:
    """Print the whole page: header, warnings, body (teasers marked), notes, series footer; as
    wide as asked (`width`), else as the console but at most MEASURE."""
    width = width or min(console.width, MEASURE)
    console.print(Group(*page(preview, coloured=console.color_system is not None)), width=width)


def page(preview: Preview, coloured: bool = True) -> list[RenderableType]:
    """The page's parts; `coloured=False` (a console without colour) leaves code unlexed, as it
    would print alike."""
    parts: list[RenderableType] = [header(preview)]
    warnings = warning_lines(preview)
    if warnings:
        parts.append(warnings)
    parts.append(Text(""))
    parts.extend(body(preview.post.body, preview.teasers, coloured, preview.highlight_cache))
    if preview.post.next:
        parts += [Text(""), callout("Next week: ", inline_markdown(preview.post.next))]
    if preview.series:
        parts += [Text(""), footer(preview)]
    if preview.comments and (preview.comments.comments or preview.comments.pings):
        parts += [Text(""), comments_section(preview)]
    return parts


# -- header, warnings, footer -------------------------------------------------------------------


def header(preview: Preview) -> Panel:
    post = preview.post
    lines = [Text(visible(post.title or f"{post.slug} (untitled)"), style=STYLES["title"])]
    lines.append(Text(preview.status_text))
    if preview.series:
        series = preview.series
        part = str(series.place) if series.place else f"Unnumbered part of {series.total}"
        lines.append(Text(visible(f"{part} · {series.title}")))
    if post.tags:
        lines.append(Text(visible("Tags: " + ", ".join(post.tags)), style=STYLES["meta"]))
    words = f"{preview.words:,} word{'s' if preview.words != 1 else ''}"
    minutes = f"{preview.minutes} min read at {preview.words_per_minute} wpm" if preview.words else "nothing to read yet"
    lines.append(Text(f"{words} · {minutes}", style=STYLES["meta"]))
    return Panel(Group(*lines), box=box.ROUNDED, padding=(0, 1))


def warning_lines(preview: Preview) -> RenderableType | None:
    """What a reader would trip over, where it is in the file; the page still renders below."""
    if not preview.problems:
        return None
    lines = []
    for problem in preview.problems:
        where = f"line {problem.line}: " if problem.line else ""
        error = problem.severity == "error"
        lines.append(_Hanging(Text(visible(where + problem.message), style=STYLES["error" if error else "warning"]), Text("✖ " if error else "⚠ ")))
    return Padding(Group(*lines), (1, 0, 0, 0))


def callout(label: str, text: Text, mark: str = "➜ ") -> RenderableType:
    line = Text(label, style=STYLES["callout"]).append_text(text)
    return _Hanging(line, Text(mark, style=STYLES["callout"]))


def footer(preview: Preview) -> RenderableType:
    place = preview.series
    rows = [Rule(visible(place.title), style=STYLES["meta"], characters="─")]
    if place.previous is not None:
        rows.append(_Hanging(Text(_part_label(preview, place.previous)), Text("← Previous: ")))
    else:
        rows.append(Text("← Previous: none, this is where the series starts", style=STYLES["meta"]))
    if place.next is not None:
        rows.append(_Hanging(Text(_part_label(preview, place.next)), Text("→ Next:     ")))
    else:
        rows.append(Text("→ Next:     not written yet", style=STYLES["meta"]))
    return Group(*rows)


def comments_section(preview: Preview) -> RenderableType:
    """The reader comments under the post: author and date, replies indented under what they
    answer (as `blog comments` and the site thread them), pingbacks and trackbacks after."""
    thread = preview.comments
    count = len(thread.comments)
    rows: list[RenderableType] = [Rule(f"{count} comment{'s' if count != 1 else ''}", style=STYLES["meta"], characters="─")]
    for comment, depth in thread.comments:
        indent = 2 * min(depth, 5)
        line = Text(visible(comment.author), style=STYLES["title"])
        if comment.by_author:
            line.append(" (author)", style=STYLES["callout"])
        if comment.date is not None:
            line.append(" · " + comment.date.strftime("%Y-%m-%d %H:%M"), style=STYLES["meta"])
        rows.append(Padding(Group(line, Text(visible(comment.body.strip(), newlines=True))), (1, 0, 0, indent)))
    if thread.pings:
        rows.append(Padding(Text("Mentioned elsewhere", style=STYLES["meta"]), (1, 0, 0, 0)))
        for ping in thread.pings:
            where = f" ({ping.author_url})" if ping.author_url else ""
            rows.append(Text(visible(f"• {ping.author}{where}")))
    return Group(*rows)



def _part_label(preview: Preview, post) -> str:
    number = f"Part {post.part}: " if post.part else ""
    status = preview.status_of(post)
    note = {"draft": " (draft)", "planned": " (planned, not written yet)", "scheduled": " (scheduled)"}.get(status, "")
    return visible(f"{number}{post.display_title}{note}")


# -- the body -----------------------------------------------------------------------------------


def body(
    markdown: str, teasers: Iterable[Teaser] = (), coloured: bool = True, highlight_cache: CacheFolder | None = None
) -> list[RenderableType]:
    """The post body as Rich renderables, in the site's dialect (control characters shown, not obeyed)."""
    from markdown_it.tree import SyntaxTreeNode

    tokens = _parser().parse(visible(markdown, newlines=True))
    for token in tokens:
        if token.children:
            token.children = _flattened(token.children)
    tree = SyntaxTreeNode(tokens)
    return _BodyRenderer(list(teasers), coloured, highlight_cache).blocks(tree.children)


MAX_INLINE_DEPTH = 32  # emphasis nested deeper is shown as the text inside it


def _flattened(children: list) -> list:
    """Inline tokens with emphasis, links and the like nested at most MAX_INLINE_DEPTH deep: the
    tree of 500 nested `*` (which markdown-it pairs without a limit) is too deep to walk."""
    depth = 0
    kept = []
    for token in children:
        if token.nesting == 1:
            depth += 1
            if depth > MAX_INLINE_DEPTH:
                continue
        elif token.nesting == -1:
            depth -= 1
            if depth >= MAX_INLINE_DEPTH:
                continue
        kept.append(token)
    return kept


def inline_markdown(markdown: str) -> Text:
    """One line of Markdown (a teaser's topic, front matter `next`) set like the body's text."""
    from markdown_it.tree import SyntaxTreeNode

    tokens = _parser().parseInline(visible(markdown.strip()))
    for token in tokens:
        if token.children:
            token.children = _flattened(token.children)
    tree = SyntaxTreeNode(tokens)
    return _BodyRenderer([]).inline(tree.children[0]) if tree.children else Text()


_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        _PARSER = make_preview_parser()
    return _PARSER


class _BodyRenderer:
    def __init__(self, teasers: list[Teaser], coloured: bool = True, highlight_cache: CacheFolder | None = None):
        self.teasers = teasers
        self.coloured = coloured
        self.highlight_cache = highlight_cache
        self.after_checkbox = False  # the task-list plugin leaves a space after the box it removes

    def blocks(self, nodes: list[SyntaxTreeNode], tight: bool = False) -> list[RenderableType]:
        out: list[RenderableType] = []
        for node in nodes:
            rendered = self.block(node)
            if not rendered:
                continue
            if out and not tight:
                out.append(Text(""))
            out.extend(rendered)
        return out

    def block(self, node: SyntaxTreeNode) -> list[RenderableType]:
        kind = node.type
        if kind == "paragraph":
            return self.paragraph(node)
        if kind == "heading":
            return self.heading(node)
        if kind in ("bullet_list", "ordered_list"):
            return [self.bullets(node)]
        if kind == "blockquote":
            bar = Text("▌ ", style=STYLES["quote.bar"])
            return [_Hanging(Group(*self.blocks(node.children)), bar, bar, style=STYLES["quote"])]
        if kind in ("fence", "code_block"):
            return [self.code(node)]
        if kind == "table":
            return [self.table(node)]
        if kind == "hr":
            return [Rule(characters="─", style=STYLES["meta"])]
        if kind == "html_block":
            return [Text("(raw HTML: not shown on the site)", style=STYLES["omitted"])]
        if kind == "footnote_block":
            return self.footnotes(node)
        return self.blocks(node.children)

    def paragraph(self, node: SyntaxTreeNode) -> list[RenderableType]:
        text = self.inline(node.children[0]) if node.children else Text()
        out: list[RenderableType] = [text]
        for teaser in self._teasers_in(node):
            _highlight(text, teaser.text)
            topic = inline_markdown(teaser.topic or teaser.text)
            if teaser.kind == "promise":
                out.append(callout("Teaser: ", topic))
            else:
                out.append(callout("Keeps an earlier promise: ", topic, mark="↺ "))
        return out

    def _teasers_in(self, node: SyntaxTreeNode) -> list[Teaser]:
        if not node.map:
            return []
        first, last = node.map
        return [t for t in self.teasers if first < t.line <= last]

    def heading(self, node: SyntaxTreeNode) -> list[RenderableType]:
        level = int(node.tag[1])
        text = self.inline(node.children[0])
        text.stylize(STYLES["h1" if level == 1 else "h2" if level == 2 else "h3"])
        if level <= 3:  # underlined, so the heading still reads as one with colour off
            rule = "━─┄"[level - 1]
            return [text, Text(rule * min(text.cell_len, MEASURE), style=STYLES["meta"])]
        return [text]

    def bullets(self, node: SyntaxTreeNode) -> RenderableType:
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        items = node.children
        tight = all(child.hidden for item in items for child in item.children if child.type == "paragraph")
        markers = [f"{start + i}." if ordered else "•" for i in range(len(items))]
        width = max(len(m) for m in markers) + 1
        rendered = []
        for item, marker in zip(items, markers):
            box_state = self._checkbox(item)
            if box_state is not None:
                marker = "☑" if box_state else "☐"
            content = self.blocks(item.children, tight=tight) or [Text("")]
            rendered.append(_Hanging(Group(*content), Text(marker.rjust(width - 1) + " ")))
            if not tight:
                rendered.append(Text(""))
        if not tight:
            rendered.pop()
        return Group(*rendered)

    @staticmethod
    def _checkbox(item: SyntaxTreeNode) -> bool | None:
        paragraph = item.children[0] if item.children else None
        if paragraph is None or paragraph.type != "paragraph" or not paragraph.children:
            return None
        inline = paragraph.children[0]
        return task_checkbox(inline.children[0]) if inline.children else None

    def code(self, node: SyntaxTreeNode) -> RenderableType:
        language = (node.info or "").split()[0] if node.info else ""
        code = node.content.rstrip("\n")
        if language and self.coloured:
            text = _highlighted(code, language, self.highlight_cache)
        else:
            text = _unlexed(code) if language else Text(code)
        text.no_wrap, text.overflow = False, "fold"
        title = Text(language, style=STYLES["meta"]) if language else None
        return Panel(text, box=box.ROUNDED, title=title, title_align="right", border_style=STYLES["meta"], padding=(0, 1))

    def table(self, node: SyntaxTreeNode) -> RenderableType:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        sections = {child.type: child for child in node.children}
        head_rows = sections["thead"].children if "thead" in sections else []
        for cell in head_rows[0].children if head_rows else []:
            style = (cell.attrs.get("style") or "").replace("text-align:", "").strip()
            table.add_column(self.inline(cell.children[0]) if cell.children else Text(), justify=style or "left")
        for row in sections["tbody"].children if "tbody" in sections else []:
            table.add_row(*(self.inline(cell.children[0]) if cell.children else Text() for cell in row.children))
        return table

    def footnotes(self, node: SyntaxTreeNode) -> list[RenderableType]:
        out: list[RenderableType] = [Rule("Notes", characters="─", style=STYLES["meta"], align="left")]
        for note in node.children:
            number = str(note.meta.get("id", 0) + 1)
            content = self.blocks([c for c in note.children if c.type != "footnote_anchor"])
            out.append(_Hanging(Group(*content), Text(number.translate(_SUPERSCRIPT) + " ", style=STYLES["footnote"])))
        return out

    # -- inline --------------------------------------------------------------------------------

    def inline(self, node: SyntaxTreeNode) -> Text:
        text = Text()
        self._inline_children(node.children, text, "")
        return text

    def _inline_children(self, nodes: list[SyntaxTreeNode], text: Text, style: str) -> None:
        for index, node in enumerate(nodes):
            if node.type == "softbreak" and _beside_image(nodes, index):
                text.append("\n")  # an image placeholder written on its own line keeps it
            else:
                self._inline(node, text, style)

    def _inline(self, node: SyntaxTreeNode, text: Text, style: str) -> None:
        kind = node.type
        if kind == "text":
            content = node.content.lstrip() if self.after_checkbox else node.content
            self.after_checkbox = False
            text.append(content, style or None)
        elif kind == "softbreak":
            text.append(" ", style or None)
        elif kind == "hardbreak":
            text.append("\n")
        elif kind in ("em", "strong", "s"):
            extra = {"em": "italic", "strong": "bold", "s": "strike"}[kind]
            self._inline_children(node.children, text, f"{style} {extra}".strip())
        elif kind == "code_inline":
            text.append(node.content, f"{style} {STYLES['code']}".strip())
        elif kind == "link":
            self._link(node, text, style)
        elif kind == "image":
            alt = _plain(node)
            target = node.attrs.get("src", "")
            text.append(f"[image: {alt} — {target}]" if alt else f"[image: {target}]", STYLES["image"])
        elif kind == "footnote_ref":
            number = str(node.meta.get("id", 0) + 1)
            text.append(number.translate(_SUPERSCRIPT), STYLES["footnote"])
        elif kind == "html_inline":  # the site omits raw HTML; a task's checkbox is drawn as its item's marker
            self.after_checkbox = task_checkbox(node) is not None
        else:
            self._inline_children(node.children, text, style)

    def _link(self, node: SyntaxTreeNode, text: Text, style: str) -> None:
        href = str(node.attrs.get("href", ""))
        clickable = href and not dangerous_url(href)  # the site empties such a URL: no link to follow here either
        link_style = f"{style} {STYLES['link']} link {href}".strip() if clickable else style
        self._inline_children(node.children, text, link_style)
        shown = href.removeprefix("mailto:")
        if node.markup in ("linkify", "autolink") or shown == _plain(node):
            return
        text.append(f" ({href})", STYLES["url"])


def _highlighted(code: str, language: str, cache: CacheFolder | None = None) -> Text:
    """Code coloured by Pygments, once (a Syntax inside a Panel runs the lexer to measure and again
    to draw); code without a language stays plain and never loads Pygments.

    With a `cache`, the coloured text is kept there by everything it depends on: the author
    previews the same draft again and again, and Pygments costs ~50 ms a preview to import and
    to compile its lexers' patterns before it colours a line."""
    name = f"{_highlight_key(code, language)}.json" if cache else ""
    if cache:
        kept = _read_highlighted(cache.read(name))
        if kept is not None:
            return kept
    from rich.syntax import Syntax

    text = Syntax(code, _lexer(language), theme=CODE_THEME, background_color="default", tab_size=CODE_TAB_SIZE).highlight(code)
    text.rstrip()
    if cache:
        cache.write(name, _highlighted_data(text))
    return text


def _highlight_key(code: str, language: str) -> str:
    """What the colours depend on: Pygments (version), Rich's Syntax (its file), theme, tab size."""
    import hashlib
    import importlib.util
    import json
    import os

    import pygments

    syntax = os.stat(importlib.util.find_spec("rich.syntax").origin)
    parts = [HIGHLIGHT_FORMAT, pygments.__version__, syntax.st_size, syntax.st_mtime_ns, CODE_THEME, CODE_TAB_SIZE, language, code]
    return hashlib.sha256(json.dumps(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _read_highlighted(data: bytes | None) -> Text | None:
    """The kept text, or None when there is none or it cannot be read (it is made again)."""
    import json

    from rich.style import Style

    if data is None:
        return None
    try:
        kept = json.loads(data)
        styles = [Style.parse(style) for style in kept["styles"]]
        text = Text(kept["plain"], style=Style.parse(kept["style"]), justify="default", tab_size=CODE_TAB_SIZE)
        for start, end, index in kept["spans"]:
            text.stylize(styles[index], start, end)
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return text


def _highlighted_data(text: Text) -> bytes:
    import json

    styles: dict[str, int] = {}
    spans = [[span.start, span.end, styles.setdefault(str(span.style), len(styles))] for span in text.spans]
    return json.dumps({"plain": text.plain, "style": str(text.style), "styles": list(styles), "spans": spans}).encode()


@functools.cache
def _lexer(language: str):
    """The Pygments lexer Rich's Syntax would pick for `language` (its plain-text one when Pygments
    knows no such language), made once a process: a name Pygments does not know costs a scan of
    the installed plugins each time it is looked up."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    options = {"stripnl": False, "ensurenl": True, "tabsize": CODE_TAB_SIZE}
    try:
        return get_lexer_by_name(language, **options)
    except ClassNotFound:
        return get_lexer_by_name("text", **options)


def _unlexed(code: str) -> Text:
    """The text `_highlighted` gives, without its colours, and without loading Pygments (whose
    lexers compile ~30 ms of regular expressions a language): what Pygments does to any code
    before lexing it, a leading byte-order mark dropped and tabs expanded (markdown-it has already
    made every newline "\n")."""
    code = code.removeprefix("\ufeff").expandtabs(CODE_TAB_SIZE)
    text = Text(code, justify="default", tab_size=CODE_TAB_SIZE)
    text.rstrip()
    return text


def _beside_image(nodes: list[SyntaxTreeNode], index: int) -> bool:
    return any(0 <= i < len(nodes) and nodes[i].type == "image" for i in (index - 1, index + 1))


def _plain(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline"):
        return node.content
    return "".join(_plain(child) for child in node.children)


def _highlight(text: Text, sentence: str) -> None:
    """Underline a teaser's sentence in the rendered paragraph (found by its words, markup aside)."""
    words = _WORD.findall(_MARKUP.sub(r"\1", sentence))
    if not words:
        return
    found = re.search(_GAP.join(map(re.escape, words)), text.plain)
    if found:
        text.stylize(STYLES["teaser"], found.start(), found.end())


class _Hanging:
    """A block with a marker on its first line and the rest indented to match (lists, quotes, notes)."""

    def __init__(self, content: RenderableType, first: Text, rest: Text | None = None, style: str = ""):
        self.content = content
        self.first = first
        self.rest = rest if rest is not None else Text(" " * first.cell_len)
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = max(self.first.cell_len, self.rest.cell_len)
        inner = options.update(width=max(1, options.max_width - indent))
        lines = console.render_lines(self.content, inner, style=console.get_style(self.style) if self.style else None, pad=False)
        for number, line in enumerate(lines or [[]]):
            yield from (self.first if number == 0 else self.rest).render(console)
            yield from line
            yield Segment.line()
