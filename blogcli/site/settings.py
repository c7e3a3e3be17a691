"""What every page of one build is made with: `BuildSettings`, handed to each worker process.

Its `key` hashes everything that shapes every page at once (blogcli's version and output
version, Python's, the Markdown engine's and Pygments' (which colours code blocks), blog.toml, the templates and stylesheet, --drafts):
it is part of every output's key in the manifest, so changing any of them redoes every page.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from blogcli import __version__
from blogcli.site.manifest import key_of
from blogcli.site.theme import template_dirs, template_ids, theme_digest
from blogcli.site.urls import base_path, link_rewriter
from blogcli.site.views import site_context
from blogcli.workspace.config import Config
from blogcli.workspace.store import Workspace

OUTPUT_VERSION = "2"  # bump when the builder's output changes in a way templates don't show


@dataclass(frozen=True)
class BuildSettings:
    """Everything a worker process needs to render pages (picklable: no workspace object)."""

    root: str
    out: str
    template_dirs: tuple[Path, ...]
    config: Config
    base: str  # the site's path on its host: "/" or "/blog/" (see urls.base_path)
    key: str  # the hash of what shapes every page: part of every output's key
    site: dict  # `site` in the templates (views.site_context)
    page_ids: frozenset[str]  # the ids the templates use, which no heading of a post takes (theme.template_ids)

    def body_html(self, text: str) -> str:
        """A post body's HTML as the site shows it, on its page and in the feeds: its links through
        the one rewriter (urls.link_rewriter), its headings kept off the templates' ids."""
        from blogcli.render.markdown import markdown_to_html

        return markdown_to_html(text, self.config.markdown_engine, rewrite_url=link_rewriter(self.base),
                                page_ids=self.page_ids)


def build_settings(ws: Workspace, out: Path, include_drafts: bool) -> BuildSettings:
    config = ws.config
    base = base_path(config.base_url)
    dirs = template_dirs(ws.root)
    from blogcli.site.pages import menu_links

    menu = menu_links(ws.pages, config.menu, base, include_drafts)  # on every page: part of every key
    key = key_of(OUTPUT_VERSION, __version__, sys.version_info[:2], engine_version(config.markdown_engine), config.raw,
                 config.base_url, theme_digest(dirs), include_drafts, menu)
    return BuildSettings(str(ws.root), str(out), tuple(dirs), config, base, key, site_context(config, base, menu),
                         template_ids(dirs))


def engine_version(engine: str) -> str:
    """The Markdown engine's version and Pygments': a new release of either can change a page's bytes
    (Pygments 2.19 writes `'` in code as `&#39;`, 2.21 as it is), so it makes every page again."""
    import pygments

    module = "cmarkgfm" if engine == "cmark" else "markdown"
    try:
        return f"{engine} {__import__(module).__version__} pygments {pygments.__version__}"
    except (ImportError, AttributeError):
        return f"{engine} pygments {pygments.__version__}"
