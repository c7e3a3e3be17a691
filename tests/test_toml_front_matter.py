"""Posts copied in from a Hugo site, with `+++` TOML front matter: read, checked, and edited
without breaking them."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest

from blogcli.errors import FrontMatterError
from blogcli.model.document import Document

HUGO_POST = """+++
title = "Copied From Hugo"
date = 2026-10-01T09:00:00Z
tags = [
  "hugo",
  "copied",
]
draft = true
[params]
mood = "calm"
+++

Text of a post that was copied in, not imported.
"""


def test_toml_front_matter_is_read():
    doc = Document.from_text(HUGO_POST)
    assert doc.toml and doc.to_text() == HUGO_POST
    data = doc.parse("p.md")
    assert data["title"] == "Copied From Hugo" and data["tags"] == ["hugo", "copied"] and data["params"] == {"mood": "calm"}
    assert data["date"] == dt.datetime(2026, 10, 1, 9, tzinfo=dt.timezone.utc)
    assert doc.key_line("draft") == 8 and doc.key_line("tags") == 4
    assert doc.body == "\nText of a post that was copied in, not imported.\n"


def test_a_toml_edit_changes_only_that_key_and_stays_toml():
    doc = Document.from_text(HUGO_POST)
    doc.set("tags", ["one"])
    doc.set("title", 'Say "hi"')
    doc.set("updated", dt.datetime(2026, 11, 25, 10, 0, 0, 123, tzinfo=dt.timezone.utc))  # a key it did not have
    doc.remove("draft")
    text = doc.to_text()
    header = text.split("+++\n")[1]
    assert tomllib.loads(header) == {"title": 'Say "hi"', "date": dt.datetime(2026, 10, 1, 9, tzinfo=dt.timezone.utc),
                                     "tags": ["one"], "updated": dt.datetime(2026, 11, 25, 10, tzinfo=dt.timezone.utc),
                                     "params": {"mood": "calm"}}
    assert 'updated = 2026-11-25T10:00:00+00:00\n[params]' in text  # before the first table, not inside it
    assert text.endswith("+++\n\nText of a post that was copied in, not imported.\n")


def test_a_toml_rewrite_that_would_change_the_meaning_is_refused():
    doc = Document.from_bytes(b'+++\nparams.title = "dotted"\n+++\nbody\n', "published/dotted.md")
    with pytest.raises(FrontMatterError, match="published/dotted.md:1: cannot write 'params'") as refused:
        doc.set("params", "flat")
    assert "blog import hugo" in refused.value.hint
    assert doc.to_text() == '+++\nparams.title = "dotted"\n+++\nbody\n'


def test_broken_or_unclosed_toml_is_named_with_its_line():
    with pytest.raises(FrontMatterError, match=r"p.md:3: front matter is not valid TOML"):
        Document.from_text('+++\ntitle = "x"\ntags = [\n+++\n').parse("p.md")
    with pytest.raises(FrontMatterError, match="never closed"):
        Document.from_text('+++\ntitle = "x"\n').parse("p.md")


@pytest.fixture
def copied(empty_blog):
    (empty_blog / "published" / "copied-from-hugo.md").write_text(HUGO_POST, encoding="utf-8")
    return empty_blog


def test_a_copied_in_hugo_post_is_listed_with_its_title_and_date(copied, cli):
    [post] = json.loads(cli("list", "--json").stdout)
    assert post["title"] == "Copied From Hugo" and post["date"].startswith("2026-10-01") and post["tags"] == ["hugo", "copied"]


def test_check_warns_that_draft_true_does_not_keep_it_off_the_site(copied, cli):
    problems = json.loads(cli("check", "--json").stdout)
    assert [(p["code"], p["line"], p["severity"]) for p in problems] == [("draft-flag", 8, "warning")]
    assert "blog unpublish copied-from-hugo" in problems[0]["message"]


def test_rename_and_unpublish_keep_the_toml_header_working(copied, cli):
    assert cli("rename", "copied-from-hugo", "Renamed From Hugo").exit_code == 0
    text = (copied / "published" / "renamed-from-hugo.md").read_text(encoding="utf-8")
    assert text.startswith("+++\n")
    data = tomllib.loads(text.split("+++\n")[1])
    assert data["title"] == "Renamed From Hugo" and data["aliases"] == ["copied-from-hugo"]
    result = cli("unpublish", "renamed-from-hugo")
    assert result.exit_code == 0, result.stderr
    assert tomllib.loads((copied / "drafts" / "renamed-from-hugo.md").read_text().split("+++\n")[1])["title"] == "Renamed From Hugo"
