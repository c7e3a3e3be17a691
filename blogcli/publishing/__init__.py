"""Publishing targets: where `blog publish` puts a post besides the workspace's own files.

"site" is the static site under site/ (blogcli.ops.publish builds it); "wordpress" is a WordPress
site reached over its REST API (blogcli.publishing.wordpress). This module only decides which
targets a command uses; it imports nothing heavy.
"""

from __future__ import annotations

from blogcli.workspace.config import PUBLISH_TARGETS, Config

REMOTE_TARGETS = tuple(t for t in PUBLISH_TARGETS if t != "site")


def chosen_targets(config: Config, given: list[str] | None = None) -> tuple[str, ...]:
    """blog.toml's `[publish] targets` (default: the site alone), plus the targets named with `--to`.

    `--to wordpress` therefore publishes on WordPress and, as `blog publish` always does, updates
    the site; a blog whose targets leave "site" out is published on WordPress only.
    """
    return tuple(dict.fromkeys([*config.publish_targets, *(given or [])]))


def remote_targets(config: Config, given: list[str] | None = None) -> tuple[str, ...]:
    return tuple(t for t in chosen_targets(config, given) if t in REMOTE_TARGETS)
