"""Posts named in any script: made, listed, found, published; file names read as NFC."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path


def listed(cli) -> dict:
    result = cli("list", "--json")
    assert result.exit_code == 0, result.stderr
    return {p["slug"]: p for p in json.loads(result.stdout)}


def test_new_posts_in_any_script_keep_their_letters(empty_blog, cli):
    for title, slug in (("Привет мир", "привет-мир"), ("東京の夜", "東京の夜"), ("Ελληνικά", "ελληνικά"), ("Über Straße", "über-straße")):
        result = cli("new", title, "--no-edit")
        assert result.exit_code == 0, result.stderr
        assert Path(result.stdout.strip()).name == f"{slug}.md"
        assert (empty_blog / "drafts" / f"{slug}.md").is_file()
    assert {"привет-мир", "東京の夜", "ελληνικά", "über-straße"} <= set(listed(cli))
    assert not any(slug.startswith("untitled") for slug in listed(cli))


def test_a_decomposed_file_name_is_listed_and_found_by_its_composed_slug(sample, cli):
    """macOS lists names decomposed (NFD); the slug is the composed (NFC) form either way."""
    decomposed = unicodedata.normalize("NFD", "über-straße")
    assert decomposed != "über-straße"
    (sample / "drafts" / f"{decomposed}.md").write_text("---\ntitle: Über Straße\n---\n\nText.\n", encoding="utf-8")
    post = listed(cli)["über-straße"]
    assert post["title"] == "Über Straße"
    shown = cli("preview", "über-straße", "--width", "80")
    assert shown.exit_code == 0, shown.stderr
    assert cli("preview", decomposed, "--width", "80").exit_code == 0  # typed or pasted decomposed: found too
    assert cli("delete", "über").exit_code == 0
    assert not (sample / "drafts" / f"{decomposed}.md").exists()


def test_a_unicode_post_is_previewed_and_published(sample, cli):
    made = cli("new", "Привет мир", "--body-file", "-", input="Первый пост.\n")
    assert made.exit_code == 0, made.stderr
    preview = cli("preview", "привет-мир", "--width", "80")
    assert preview.exit_code == 0 and "Привет мир" in preview.stdout
    published = cli("publish", "привет")
    assert published.exit_code == 0, published.stderr
    page, url = published.stdout.strip().splitlines()[-2:]
    assert Path(page).is_file() and page.endswith("/привет-мир/index.html")
    assert "привет-мир" in url or "%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82" in url
    assert (sample / "published" / "привет-мир.md").is_file()
