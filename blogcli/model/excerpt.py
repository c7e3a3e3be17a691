"""The excerpt cut: `<!--more-->` in a post's body (WordPress's more tag, Hugo's summary divider)
ends the part that lists and the page's description show when the post has no `summary:`.

The marker counts outside code only (model/code_blocks.py), anywhere on its line, with or without
WordPress's custom text (`<!--more Read on-->`); the first one cuts. Imports keep WordPress's tag
on a line of its own. On the post's page it is an HTML comment: invisible.
"""

from __future__ import annotations

import re

from blogcli.model.code_blocks import lines_outside_code

MORE = "<!--more-->"
_MORE = re.compile(r"<!--more(?:\s[^>]*?)?-->")


def before_more(body: str) -> str | None:
    """The Markdown before the first `<!--more-->` outside code; None when there is none."""
    if "<!--more" not in body:
        return None
    lines = body.split("\n")
    for number, line in lines_outside_code(body):
        marker = _MORE.search(line)
        if marker:
            return "\n".join(lines[: number - 1] + [line[: marker.start()]]).rstrip()
    return None
