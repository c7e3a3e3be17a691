"""`blog edit` and `blog new` with a real (fake) editor process: no shell, validation, `updated`."""

import sys

import pytest

from blogcli.editor import editor_command
from blogcli.errors import EditorError
from blogcli.model.document import Document


def test_edit_runs_the_editor_and_stamps_updated(sample, cli, fake_editor):
    log = sample.parent / "argv.log"
    fake_editor(f"""
        open({str(log)!r}, "w").write(repr(sys.argv))
        path.write_text(path.read_text() + "\\nA new closing line.\\n")
    """)
    result = cli("edit", "drawing")
    assert result.exit_code == 0, result.stderr
    text = (sample / "drafts" / "drawing-the-timetable.md").read_text()
    assert text.endswith("\nA new closing line.\n")
    assert Document.from_text(text).parse()["updated"].isoformat() == "2026-11-25T10:00:00+00:00"
    assert "my editors/fake editor.py" in log.read_text()


def test_unchanged_file_is_not_touched(sample, cli, fake_editor):
    path = sample / "drafts" / "drawing-the-timetable.md"
    before = path.read_bytes()
    fake_editor("pass\n")
    result = cli("edit", "drawing")
    assert result.exit_code == 0 and "unchanged" in result.stderr
    assert path.read_bytes() == before


def test_invalid_front_matter_is_reported_and_kept(sample, cli, fake_editor):
    broken = "---\ntitle: Drawing\ntags: [never closed\n---\nMy precious words.\n"
    fake_editor(f"path.write_text({broken!r})\n")
    result = cli("edit", "drawing")
    assert result.exit_code == 1
    assert "drafts/drawing-the-timetable.md:3" in result.stderr and "not valid YAML" in result.stderr
    assert (sample / "drafts" / "drawing-the-timetable.md").read_text() == broken


def test_wrong_types_are_reported_with_their_line(sample, cli, fake_editor):
    fake_editor("path.write_text('---\\ntitle: Fine\\npart: three\\n---\\nBody.\\n')\n")
    result = cli("edit", "drawing")
    assert result.exit_code == 1
    assert "drafts/drawing-the-timetable.md:3: part:" in result.stderr


def test_visual_wins_over_editor_and_is_split_like_a_shell(sample, cli, fake_editor, monkeypatch):
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    editor = fake_editor("path.write_text(path.read_text() + 'via visual\\n')\n", variable="VISUAL")
    monkeypatch.setenv("VISUAL", f"'{editor}' --wait")
    assert cli("edit", "drawing").exit_code == 0
    assert (sample / "drafts" / "drawing-the-timetable.md").read_text().endswith("via visual\n")


def test_editor_is_never_run_through_a_shell(sample, cli, monkeypatch, tmp_path):
    marker = tmp_path / "pwned"
    monkeypatch.setenv("EDITOR", f"true; touch {marker}")
    result = cli("edit", "drawing")
    assert result.exit_code == 1
    assert not marker.exists()


def test_failing_editor_is_an_error(sample, cli, fake_editor):
    fake_editor("raise SystemExit(3)\n")
    result = cli("edit", "drawing")
    assert result.exit_code == 1 and "exited with status 3" in result.stderr


def test_no_editor_and_no_terminal_is_an_error(monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(EditorError, match="no editor"):
        editor_command()


def test_new_does_not_open_an_editor_without_a_terminal(empty_blog, cli, fake_editor, tmp_path):
    marker = tmp_path / "opened"
    fake_editor(f"open({str(marker)!r}, 'w').write('x')\n")
    result = cli("new", "Quiet")
    assert result.exit_code == 0 and not marker.exists()
