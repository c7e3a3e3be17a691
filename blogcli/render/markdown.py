"""The one Markdown dialect of the blog: the site renders it, the preview parses it alike.

The dialect is CommonMark + GitHub's extensions: tables, strikethrough (`~~x~~` only), task lists, autolinks
(`http(s)://…`, `www.…`, e-mail addresses), footnotes, and smart punctuation (curly quotes, `--` → –,
`---` → —, `...` → …). Raw HTML in a post is not passed through: cmark replaces it with
`<!-- raw HTML omitted -->`, so a stray `<script>` or an unclosed `<div>` cannot break a page; the
preview shows nothing in its place either.

- `markdown_to_html(text, engine)`: the site's renderer. "cmark" (cmarkgfm, ~0.1 ms a post) is the
  default; "python-markdown" (extra, toc, smarty, codehilite) is kept for posts that rely on its
  extensions (`[build] markdown = "python-markdown"` in blog.toml).
- `make_preview_parser()`: a markdown-it-py parser configured to the same dialect, for the terminal
  preview; tests/test_markdown_parity.py proves the two agree over many documents.

Heavy modules are imported on first use; parsers, lexers and the formatter are cached.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import Callable

from blogcli.model.links import decoded
from blogcli.model.slug import slugify, unique_slug
from blogcli.render import pygments_plugins
from blogcli.render.html_text import html_to_text

ENGINES = ("cmark", "python-markdown")
CODE_CSS_CLASS = "highlight"

# One pass over cmark's output finds what is changed in it: headings (to add ids), fenced code
# with a language (to highlight), and every link and image URL (to rewrite). cmark writes each of
# them exactly so (`<h2>`, `<pre><code class="language-x">`, `<a href="…"`, `<img src="…"`), its
# attributes double-quoted and escaped, and raw HTML in a post is omitted, so a post cannot forge
# one. Starting the pattern at `<` matters: looking for `href=` anywhere cost ~170 µs of a 7 KB
# post's 0.2 ms, this ~8 µs. (Rewriting on cmark's tree instead was measured too: visiting its
# ~150 nodes a post through the C API costs ~150 µs, more than this pass.)
_MARKUP = re.compile(r'<(?:h(?P<level>[1-6])>|pre><code class="language-(?P<lang>[^"]+)">|a href="(?P<href>[^"]*)"'
                     r'|img src="(?P<src>[^"]*)")')
_URL_ATTR = re.compile(r'(?P<attr>href|src)="(?P<url>[^"]*)"')
_HEADING_ID = re.compile(r'<h(?P<level>[1-6]) id="(?P<id>[^"]*)"')
_ID = re.compile(r'\bid="([^"]*)"')
# cmark-gfm's footnotes take the ids `fn-<label>` and `fnref-<label>[-n]`: no heading may.
FOOTNOTE_ID_PREFIXES = ("fn-", "fnref-")
_HYPHENS = re.compile(r"-{2,}")
_ELLIPSIS = re.compile(r"\.\.\.")
_CHECKBOX = '<input class="task-list-item-checkbox"'


def markdown_to_html(text: str, engine: str = "cmark", rewrite_url: Callable[[str], str] | None = None,
                     page_ids: frozenset[str] = frozenset(), highlight: bool = True) -> str:
    """Render a post body to HTML; `rewrite_url` is applied to every href and src (fragments included).

    `page_ids` are the ids the page around the body uses (the templates'): a heading never takes
    one of them nor a footnote's id (see `heading_id`), and a link in the post to such a heading
    (`[x](#content)`) follows it to the id it was given. `highlight=False` leaves fenced code
    plain, `<pre><code class="language-x">`, for sites that style or highlight code themselves
    (WordPress themes and plugins do).
    """
    if engine == "cmark":
        return _cmark_html(text, rewrite_url, page_ids, highlight)
    if engine == "python-markdown":
        return _python_markdown_html(text, rewrite_url, page_ids, highlight)
    raise ValueError(f"unknown Markdown engine {engine!r} (choose one of: {', '.join(ENGINES)})")


def pygments_css(style: str = "friendly") -> str:
    """The stylesheet rules for highlighted code (both engines emit the same CSS classes)."""
    return _html_formatter(style).get_style_defs(f".{CODE_CSS_CLASS}")


# --- cmark -------------------------------------------------------------------------------------


def _cmark_html(text: str, rewrite_url: Callable[[str], str] | None, page_ids: frozenset[str], highlight: bool = True) -> str:
    from blogcli.render.cmark_native import renderer

    rendered = renderer()(text)
    found = list(_MARKUP.finditer(rendered))
    if not found:
        return rendered
    taken: set[str] = _Ids()
    anchors = []
    moved: dict[str, str] = {}  # a heading's own id, when the page has it → the id the heading was given
    for match in found:
        level = match.group("level")
        if level:
            inner = rendered[match.end() : rendered.find(f"</h{level}>", match.end())]
            natural, anchor = _heading_anchor(html_to_text(inner), taken, page_ids)
            anchors.append(anchor)
            if natural in page_ids:  # (`#fn-1` stays the footnote's, as cmark's own links to it are)
                moved.setdefault(natural, anchor)
    anchors.reverse()
    parts = []
    at = 0
    for match in found:
        start = match.start()
        if start < at:  # inside code that was replaced by its highlighted form
            continue
        level, lang, href, src = match.group("level", "lang", "href", "src")
        if level:
            parts += [rendered[at:start], f'<h{level} id="{anchors.pop()}">']
            at = match.end()
        elif lang:
            if not highlight:  # left as cmark wrote it
                continue
            end = rendered.find("</code></pre>", match.end())
            highlighted = _highlighted(lang, rendered[match.end() : end])
            if highlighted is not None:
                parts += [rendered[at:start], highlighted]
                at = end + len("</code></pre>")
        else:
            group = "href" if href is not None else "src"
            url = _rewritten(html.unescape(href if href is not None else src), rewrite_url, moved)
            if url is not None:
                parts += [rendered[at : match.start(group)], html.escape(url, quote=True)]
                at = match.end(group)
    parts.append(rendered[at:])
    return "".join(parts)


def _rewritten(url: str, rewrite_url: Callable[[str], str] | None, moved: dict[str, str]) -> str | None:
    """The URL an href or src gets, or None when it stays as it is."""
    new = url
    if moved and url.startswith("#"):
        new = "#" + moved.get(decoded(url[1:]), url[1:])
    if rewrite_url is not None:
        new = rewrite_url(new)
    return None if new == url else new


class _Ids(set):
    """One page's heading ids, with where each base's search for a free number goes on."""

    def __init__(self) -> None:
        super().__init__()
        self.next_number: dict[str, int] = {}


def heading_id(text: str, taken: set[str], page_ids: frozenset[str] = frozenset()) -> str:
    """An id for a heading from its visible text, unique within the document (`notes`, `notes-2`).

    `taken` holds the ids given so far (and `page_ids`). An id the page itself uses (`page_ids`:
    the templates' `content`…) or one that starts like a footnote's (`fn-`, `fnref-`) gets `h-` in
    front: `# Content` → `h-content`, `## fn-1` → `h-fn-1`.
    """
    return _heading_anchor(text, taken, page_ids)[1]


def _heading_anchor(text: str, taken: set[str], page_ids: frozenset[str]) -> tuple[str, str]:
    """(the heading's own id, the id it gets): see `heading_id`."""
    natural = slugify(text)
    taken.update(page_ids)
    numbers = getattr(taken, "next_number", None)
    anchor = unique_slug(_off_the_page(natural, page_ids), taken, numbers)
    if anchor.startswith(FOOTNOTE_ID_PREFIXES):  # `fn` twice: `fn-2`
        anchor = unique_slug("h-" + anchor, taken, numbers)
    taken.add(anchor)
    return natural, anchor


def _off_the_page(anchor: str, page_ids: frozenset[str]) -> str:
    return "h-" + anchor if anchor in page_ids or anchor.startswith(FOOTNOTE_ID_PREFIXES) else anchor


@functools.lru_cache(maxsize=512)
def _highlighted(lang: str, escaped_code: str) -> str | None:
    """Fenced code as Pygments HTML with CSS classes; None when Pygments has no lexer for `lang`.

    Remembered: lexing is most of the cost of a post with code, and a blog repeats its snippets."""
    lexer = _lexer(html.unescape(lang))
    if lexer is None:
        return None
    from pygments import highlight

    return highlight(html.unescape(escaped_code), lexer, _html_formatter())


@functools.lru_cache(maxsize=128)
def _lexer(lang: str):
    pygments_plugins.defer()
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


@functools.lru_cache(maxsize=8)
def _html_formatter(style: str = "friendly"):
    pygments_plugins.defer()
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(cssclass=CODE_CSS_CLASS, style=style)


# --- the HTML policy, which both engines keep ---------------------------------------------------
#
# What a post may put on a page is what cmark lets through in its default (safe) mode: no raw HTML
# (each tag or block becomes `<!-- raw HTML omitted -->`), and no link or image to a `javascript:`,
# `vbscript:`, `file:` or `data:` URL (a `data:` image in PNG, GIF, JPEG or WebP excepted): such a
# URL becomes empty. Python-Markdown is held to the same policy below, and to one more rule that
# cmark needs no help with: an element carries only the attributes Markdown itself writes (so
# attr_list's `{: onclick=… }` is dropped). The preview (a terminal, where no HTML runs) shows no
# dangerous URL as a link. tests/test_security.py runs one list of attacks through all three.

OMITTED_HTML = "<!-- raw HTML omitted -->"
_DANGEROUS_SCHEME = re.compile(r"(?:javascript|vbscript|file|data):", re.IGNORECASE)
_SAFE_DATA = re.compile(r"data:image/(?:png|gif|jpeg|webp)", re.IGNORECASE)
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_ALLOWED_ATTRIBUTES = {"id", "class", "href", "src", "alt", "title", "colspan", "rowspan", "align", "start", "checked",
                       "disabled", "type"}
_TEXT_ALIGN = re.compile(r"text-align: ?(?:left|right|center);?")  # Python-Markdown's tables write it as `style`


def dangerous_url(url: str) -> bool:
    """Whether a link or image URL may run code where it is followed (cmark's rule, applied to the
    URL as a browser reads it: entities decoded, leading blanks and controls, tabs and line breaks
    dropped)."""
    text = _IGNORED_IN_URLS.sub("", html.unescape(url)).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                             "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                             "\x1e\x1f ")
    return bool(_DANGEROUS_SCHEME.match(text)) and not _SAFE_DATA.match(text)


# --- Python-Markdown ---------------------------------------------------------------------------


@functools.cache
def _python_markdown(highlight: bool = True):
    import markdown

    converter = markdown.Markdown(
        extensions=["extra", "toc", "smarty"] + (["codehilite"] if highlight else []),
        extension_configs={
            "codehilite": {"css_class": CODE_CSS_CLASS, "guess_lang": False},
            "toc": {"slugify": lambda value, separator: slugify(value)},
        },
        output_format="html",
    )
    _hold_to_the_policy(converter)
    return converter


def _hold_to_the_policy(converter) -> None:
    """Python-Markdown passes raw HTML through and lets attr_list set any attribute; here it keeps
    the policy above. Raw HTML: the raw-block preprocessor is taken out (an unclosed `<div>` would
    otherwise take the rest of the post with it), so every tag goes to the inline tag pattern,
    which stores the omitted-HTML comment instead of the tag. A last tree processor drops every
    attribute Markdown does not write and empties dangerous URLs."""
    from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
    from markdown.treeprocessors import Treeprocessor

    class OmittedInlineHtml(HtmlInlineProcessor):
        def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's naming)
            return self.md.htmlStash.store(OMITTED_HTML), m.start(0), m.end(0)

    class Policy(Treeprocessor):
        def run(self, root):
            for element in root.iter():
                for name, value in list(element.attrib.items()):
                    if name not in _ALLOWED_ATTRIBUTES and not (name == "style" and _TEXT_ALIGN.fullmatch(value)):
                        del element.attrib[name]
                    elif name in ("href", "src") and dangerous_url(value):
                        element.attrib[name] = ""

    converter.inlinePatterns.register(OmittedInlineHtml(HTML_RE, converter), "html", 90)
    converter.preprocessors.deregister("html_block")
    converter.treeprocessors.register(Policy(converter), "blogcli-policy", 0)


def _python_markdown_html(text: str, rewrite_url: Callable[[str], str] | None, page_ids: frozenset[str],
                          highlight: bool = True) -> str:
    converter = _python_markdown(highlight)
    try:
        rendered = converter.convert(text)
    finally:
        converter.reset()
    moved: dict[str, str] = {}
    if page_ids and _HEADING_ID.search(rendered):
        taken = set(_ID.findall(rendered)) | page_ids

        def keep_off(match: re.Match) -> str:
            natural = match.group("id")
            if natural not in page_ids:
                return match.group(0)
            moved[natural] = unique_slug("h-" + natural, taken)
            taken.add(moved[natural])
            return f'<h{match.group("level")} id="{moved[natural]}"'

        rendered = _HEADING_ID.sub(keep_off, rendered)
    if rewrite_url is None and not moved:
        return rendered

    def rewrite(match: re.Match) -> str:
        url = _rewritten(html.unescape(match.group("url")), rewrite_url, moved)
        return match.group(0) if url is None else f'{match.group("attr")}="{html.escape(url, quote=True)}"'

    return _URL_ATTR.sub(rewrite, rendered)


# --- the preview's parser ----------------------------------------------------------------------


def make_preview_parser():
    """A markdown-it-py parser for the site's dialect (see the module docstring).

    Differences from markdown-it's own options, each made to match cmark: autolinks by GitHub's
    rules (`_GfmAutolinks`, not linkify-it, which also links a bare `example.com`); typographic
    replacements only for dashes and ellipses, with cmark's rule for long runs of hyphens (no `(c)` → ©); raw HTML is
    parsed (so block boundaries agree) but rendered as cmark's `<!-- raw HTML omitted -->`.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = MarkdownIt("commonmark", {"typographer": True, "linkify": True, "html": True})
    md.enable(["table", "strikethrough", "linkify", "smartquotes"])
    md.disable("replacements")
    md.core.ruler.before("smartquotes", "cmark_punctuation", _cmark_punctuation)
    md.linkify = _GfmAutolinks()
    md.use(footnote_plugin).use(tasklists_plugin)
    md.add_render_rule("html_block", lambda *args: "<!-- raw HTML omitted -->\n")
    md.add_render_rule("html_inline", _render_html_inline)
    return md


def task_checkbox(token) -> bool | None:
    """For the task-list plugin's checkbox token: whether it is ticked; None for any other token."""
    if token.type != "html_inline" or not token.content.startswith(_CHECKBOX):
        return None
    return 'checked="checked"' in token.content


def _render_html_inline(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return token.content if task_checkbox(token) is not None else "<!-- raw HTML omitted -->"


class _GfmAutolinks:
    """GitHub's autolinks, as cmark-gfm's autolink extension finds them, for markdown-it's linkify rules.

    It stands in for linkify-it, which links more than GitHub does (bare `example.com`) and costs
    ~50 ms of regex compiling on first use. `http(s)://` and `ftp://` URLs, `www.` at a word's start,
    and e-mail addresses; trailing punctuation and unbalanced `)` stay outside the link.
    """

    def pretest(self, text: str) -> bool:
        return "://" in text or "www." in text or "@" in text

    def test(self, text: str) -> bool:
        return bool(self.match(text))

    def match(self, text: str) -> list[_Autolink] | None:
        found: list[_Autolink] = []
        for candidate in _AUTOLINK.finditer(text):
            if found and candidate.start() < found[-1].last_index:
                continue
            link = _autolink_at(text, candidate)
            if link is not None:
                found.append(link)
        return found or None

    def match_at_start(self, text: str) -> _Autolink | None:
        candidate = _AUTOLINK.match(text)
        return _autolink_at(text, candidate) if candidate and candidate.group("scheme") else None


@dataclass
class _Autolink:
    index: int
    last_index: int
    text: str
    url: str
    schema: str


_AUTOLINK = re.compile(
    r"(?P<scheme>(?<![A-Za-z])(?i:https?|ftp)://)"
    r"|(?:^|(?<=[\s*_~(]))(?P<www>www\.)"
    r"|(?<![A-Za-z0-9.+_-])(?P<local>[A-Za-z0-9.+_-]+)@"
)
_DOMAIN = re.compile(r"[^\W_]?[\w-]*(?:\.[\w-]+)*")
_EMAIL_HOST = re.compile(r"(?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9]))+")
_TO_SPACE = re.compile(r"[^\s<]*")
_ENTITY_END = re.compile(r"&[A-Za-z]+;$")


def _autolink_at(text: str, candidate: re.Match) -> _Autolink | None:
    start = candidate.start()
    if candidate.group("local") is not None:
        host = _EMAIL_HOST.match(text, candidate.end())
        end = host.end() if host else candidate.end()
        if "." not in text[candidate.end() : end] or not text[end - 1].isalpha() or end < len(text) and text[end] == "@":
            return None
        address = text[start:_trimmed_end(text, start, end)]
        return _Autolink(start, start + len(address), address, "mailto:" + address, "mailto:")
    domain = _DOMAIN.match(text, candidate.end())
    labels = domain.group(0).split(".")
    if not domain.group(0) or "_" in "".join(labels[-2:]):
        return None
    end = _trimmed_end(text, start, _TO_SPACE.match(text, domain.end()).end())
    if end <= candidate.end():
        return None
    link = text[start:end]
    return _Autolink(start, end, link, link if candidate.group("scheme") else "http://" + link, candidate.group("scheme") or "")


def _trimmed_end(text: str, start: int, end: int) -> int:
    """cmark-gfm's autolink_delim: drop trailing punctuation, entities and unbalanced `)`."""
    while end > start:
        last = text[end - 1]
        if last in "?!.,:*_~'\"":
            end -= 1
        elif last == ";":
            entity = _ENTITY_END.search(text, start, end)
            end = entity.start() if entity else end - 1
        elif last == ")" and text.count(")", start, end) > text.count("(", start, end):
            end -= 1
        else:
            break
    return end


def _cmark_punctuation(state) -> None:
    """Dashes and ellipses as cmark's SMART option makes them, in text outside code and links' URLs."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for token in block.children:
            if token.type == "text" and ("--" in token.content or "..." in token.content):
                token.content = _ELLIPSIS.sub("…", _HYPHENS.sub(_dashes, token.content))


def _dashes(match: re.Match) -> str:
    """cmark's rule: a run of n hyphens becomes em dashes when n % 3 == 0, else en dashes when even,
    else as many em dashes as fit after one (n % 3 == 2) or two (n % 3 == 1) en dashes."""
    n = len(match.group(0))
    if n % 3 == 0:
        return "—" * (n // 3)
    if n % 2 == 0:
        return "–" * (n // 2)
    if n % 3 == 2:
        return "—" * ((n - 2) // 3) + "–"
    return "—" * ((n - 4) // 3) + "––"
