"""`blog check` on posts copied in from Jekyll, Hugo or WordPress rather than imported: template
tags and shortcodes the site would show as text, and a `draft` flag the folder overrides."""

from __future__ import annotations

from blogcli.ops.check import check_posts
from blogcli.workspace.store import Workspace

POST = """---
title: Copied
date: 2026-11-01T09:00:00+00:00
---

Read {% link _posts/2020-01-01-x.md %} and {{ site.url }}.
A shortcode: {{< youtube abc >}} and {{% notice %}}.
[gallery ids="1,2"] and [contact-form] and [note]text[/note] and [sic] and [x] a task.
A [link](https://example.org) and [a reference][ref], `{{ in code }}` and `[gallery]` in code.

```
{% raw %}{{ page.title }}{% endraw %} [gallery]
```

    {{ indented code }}
"""


def test_template_tags_and_shortcodes_outside_code_are_warned_about(empty_blog):
    (empty_blog / "published" / "copied.md").write_text(POST, encoding="utf-8")
    found = [(p.line, p.code, p.message.split(" is shown")[0]) for p in check_posts(Workspace.open(empty_blog))]
    assert found == [
        (6, "template-tag", "Liquid tag '{% link _posts/2020-01-01-x.md %}'"),
        (6, "template-tag", "Liquid tag '{{ site.url }}'"),
        (7, "template-tag", "Hugo shortcode '{{< youtube abc >}}'"),
        (7, "template-tag", "Hugo shortcode '{{% notice %}}'"),
        (8, "unconverted-shortcode", "unconverted shortcode '[gallery ids=\"1,2\"]'"),
        (8, "unconverted-shortcode", "unconverted shortcode '[contact-form]'"),
        (8, "unconverted-shortcode", "unconverted shortcode '[note]'"),
    ]
    assert all(p.severity == "warning" for p in check_posts(Workspace.open(empty_blog)))


def test_a_jekyll_published_false_in_published_is_warned_about(empty_blog):
    (empty_blog / "published" / "held.md").write_text("---\ntitle: Held\npublished: false\n---\n\nText.\n", encoding="utf-8")
    (empty_blog / "drafts" / "fine.md").write_text("---\ntitle: Fine\ndraft: true\n---\n\nText.\n", encoding="utf-8")
    found = [(p.path, p.line, p.code) for p in check_posts(Workspace.open(empty_blog))]
    assert found == [("published/held.md", 3, "draft-flag")]
