"""`blog preview`: golden pages, the seed post by its properties, warnings, --watch, a real terminal.

Golden files live in tests/golden/preview/ (colour off). After a deliberate change to the page,
rewrite them with `UPDATE_GOLDEN=1 pytest tests/test_preview.py` and review the diff by eye.
"""

from __future__ import annotations

import io
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, blog_bin

GOLDEN = Path(__file__).parent / "golden" / "preview"
DATA = Path(__file__).parent / "data" / "preview"
WIDTHS = (60, 100, 160)
SAMPLE_POSTS = ("about-this-notebook", "why-the-night-bus", "who-rides-after-midnight", "drawing-the-timetable", "every-feature")
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# Markdown that must never reach the page: strong/emphasis runs, ATX headings, inline links and
# images, footnote references, fences.
RAW_MARKERS = re.compile(r"\*\*|__|^\s*#{1,6}\s|\[[^\]]*\]\([^)]*\)|\[\^[^\]]+\]|^\s*```", re.M)


def cell_width(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


def flat(text: str) -> str:
    """The page's words with box borders and line breaks gone (a title may wrap inside the panel)."""
    return " ".join(text.replace("│", " ").split())


@pytest.fixture
def blog(sample) -> Path:
    """The sample blog plus our post using every Markdown feature (scheduled, not in a series)."""
    shutil.copy(DATA / "every-feature.md", sample / "published" / "every-feature.md")
    return sample


@pytest.fixture
def seed_blog(blog, seed_text) -> Path:
    """The seed post as part 2 of its own series, between a published part 1 and a planned part 3."""
    title, body = seed_text.split("\n", 1)
    series = "series: North Korea Online\n"
    (blog / "published" / "seeds-of-change.md").write_text(
        f'---\ntitle: "{title.strip()}"\ndate: 2026-11-16T09:00:00+00:00\ntags: [north korea, media]\n{series}part: 2\n---\n{body}',
        encoding="utf-8",
    )
    (blog / "published" / "first-seeds.md").write_text(
        f"---\ntitle: First Seeds\ndate: 2026-11-09T09:00:00+00:00\n{series}part: 1\n---\nWhere it starts.\n", encoding="utf-8"
    )
    (blog / "drafts" / "where-seeds-grow.md").write_text(f"---\ntitle: Where the Seeds Grow\n{series}part: 3\n---\n", encoding="utf-8")
    return blog


def preview(cli, *args: str) -> str:
    result = cli("preview", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


# -- golden pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("slug", SAMPLE_POSTS)
def test_golden_page(blog, cli, slug, width):
    page = preview(cli, slug, "--width", str(width), "--no-color")
    golden = GOLDEN / f"{slug}-{width}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(page, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1 and review it"
    assert page == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("slug", SAMPLE_POSTS)
def test_every_page_is_clean(blog, cli, slug, width):
    page = preview(cli, slug, "--width", str(width))
    assert "\x1b" not in page
    assert max(cell_width(line) for line in page.splitlines()) <= width
    assert not RAW_MARKERS.search(page), RAW_MARKERS.search(page).group(0)


# -- the seed post, by its properties ------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_seed_post_reads_cleanly(seed_blog, cli, seed_text, width):
    page = preview(cli, "seeds-of-change", "--width", str(width))
    words = flat(page)
    assert flat(seed_text.split("\n", 1)[0]) in words
    assert "published 16 Nov 2026" in words
    assert "Part 2 of 2 · North Korea Online" in words  # part 3 is only planned: coming, not counted
    assert re.search(r"➜ Teaser: where these ‘seeds’ are being planted", words)
    assert "↺ Keeps an earlier promise: the illegal consumption of information and technology in North Korea" in words
    assert "← Previous: Part 1: First Seeds" in words
    assert "→ Next: Part 3: Where the Seeds Grow (planned, not written yet)" in words
    assert re.search(r"\d,\d{3} words · \d+ min read at 230 wpm", words)
    assert max(cell_width(line) for line in page.splitlines()) <= width
    assert not RAW_MARKERS.search(page)
    assert "\x1b" not in page


def test_teaser_sentence_is_highlighted_in_colour(seed_blog, monkeypatch):
    """With colour on, the promising sentence itself is underlined where it stands."""
    monkeypatch.delenv("NO_COLOR")
    from rich.console import Console

    from blogcli.ops.preview import prepare_preview
    from blogcli.render.terminal import render_preview
    from blogcli.workspace.store import Workspace

    out = io.StringIO()
    render_preview(prepare_preview(Workspace.open(seed_blog), "seeds-of-change"), Console(file=out, width=200, color_system="standard", force_terminal=True))
    underlined = " ".join(" ".join(re.findall(r"\x1b\[4;33m([^\x1b]*)", out.getvalue())).split())
    assert "so next week let’s see where these ‘seeds’ are being planted" in underlined
    assert "mobile phones" not in underlined


# -- what the page shows ---------------------------------------------------------------------------


def test_every_feature_is_typeset(blog, cli):
    page = preview(cli, "every-feature", "--width", "100")
    words = flat(page)
    assert "“Quotes” turn curly, it’s got apostrophes, dashes – en and — em – and an ellipsis…" in words
    assert "the first part (why-the-night-bus.md)" in words
    assert "council archive (https://example.org/archive?year=1998&route=N29)" in words
    assert "a bare https://example.com/timetables autolink" in words and "https://example.com/timetables (" not in words
    assert "[image: Tally of riders by stop — /images/n29-tally.svg]" in words
    assert "☑ borrow a clipboard" in words and "☐ find the retired scheduler" in words
    assert "▌ A timetable is a promise" in page
    assert "A claim that needs a source.¹ Another with a longer note.²" in words
    assert re.search(r"Notes ─+\n¹ The council’s 1998 consultation, page 12\.\n² Notes can hold emphasis and code", page)
    assert "def riders_per_stop(tally: dict[str, int]) -> list[tuple[str, int]]:" in page
    assert re.search(r"Stop\s+Riders\s+Share", page)
    assert "Raw HTML is omitted" not in page and "(raw HTML: not shown on the site)" in page
    assert "➜ Next week: how the night timetable is printed" in words
    assert "scheduled for Mon 30 Nov 2026 at 09:00" in words
    assert "Tags: meta, style guide" in words


def test_code_is_highlighted_in_colour(blog, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    from rich.console import Console

    from blogcli.ops.preview import prepare_preview
    from blogcli.render.terminal import render_preview
    from blogcli.workspace.store import Workspace

    out = io.StringIO()
    render_preview(prepare_preview(Workspace.open(blog), "every-feature"), Console(file=out, width=100, color_system="truecolor", force_terminal=True))
    code_line = next(line for line in out.getvalue().splitlines() if "riders_per_stop" in line)
    assert len(re.findall(r"\x1b\[[0-9;]*m", code_line)) >= 4


CODE_BLOCKS = [
    ("python", 'def f(x):\n\tif x:  \n\t\treturn "é\t漢字\tx"   \n'),
    ("sh", "\ufeffecho hi\t# tab\nls -l | wc -l\n\n\n"),
    ("no-such-language", "a\tb\n  trailing   "),
    ("go", "func main() {\n\tfmt.Println(\"→\")\n}"),
    ("diff", "- old\n+ new\n"),
    ("python", ""),
]


@pytest.mark.parametrize("language, code", CODE_BLOCKS)
def test_code_prints_alike_whether_lexed_or_not(language, code):
    # Without colour, code is not lexed (Pygments costs ~30 ms a language): the page must not change.
    from rich.console import Console

    from blogcli.render.terminal import body

    markdown = f"Before.\n\n```{language}\n{code}\n```\n\nAfter.\n"
    pages = []
    for coloured in (True, False):
        out = io.StringIO()
        Console(file=out, width=60, color_system=None).print(*body(markdown, coloured=coloured))
        pages.append(out.getvalue())
    assert pages[0] == pages[1]
    assert "Before." in pages[1] and "After." in pages[1]


def test_a_plain_page_never_loads_pygments(blog):
    code = (
        "import sys\nfrom blogcli.entry import main\n"
        "main(['preview', 'every-feature', '--no-color', '--width', '100'])\n"
        "print('pygments' in sys.modules, file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "BLOG_ROOT": str(blog)}, check=True)
    assert "riders_per_stop" in run.stdout
    assert run.stderr.strip() == "False"


def test_highlighted_code_is_kept_between_previews(blog):
    """The second preview of a post colours its code from .blog/cache/highlight/ without loading
    Pygments' lexers, and prints exactly what the first printed; a damaged kept file is made again."""
    code = (
        "import sys\nfrom blogcli.entry import main\n"
        "main(['preview', 'every-feature', '--width', '100'])\n"
        "print('pygments.lexers' in sys.modules, file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"BLOG_ROOT": str(blog), "FORCE_COLOR": "1", "TERM": "xterm-256color"}

    def preview() -> tuple[str, str]:
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        return re.sub(r"id=\d+;", "id=;", run.stdout), run.stderr.strip()  # hyperlink ids differ per run

    first, loaded = preview()
    assert loaded == "True" and "\x1b[" in first
    kept = sorted((blog / ".blog" / "cache" / "highlight").glob("*.json"))
    assert kept
    again, loaded = preview()
    assert (again, loaded) == (first, "False")
    kept[0].write_bytes(b'{"plain": ')
    damaged, loaded = preview()
    assert (damaged, loaded) == (first, "True")


@pytest.mark.parametrize("language, code", CODE_BLOCKS)
def test_kept_highlighting_is_the_highlighting(language, code, tmp_path):
    from rich.console import Console

    from blogcli.render.terminal import body
    from blogcli.workspace.cachefiles import CacheFolder

    markdown = f"```{language}\n{code}\n```\n"
    cache = CacheFolder(tmp_path)
    pages = []
    for _ in range(2):
        out = io.StringIO()
        Console(file=out, width=60, color_system="truecolor", force_terminal=True).print(*body(markdown, highlight_cache=cache))
        pages.append(out.getvalue())
    assert len(list(tmp_path.iterdir())) == (1 if language else 0)
    assert pages[0] == pages[1]


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("empty", "---\ntitle: Empty\n---\n", ["line 4: the post has no text below its front matter", "nothing to read yet"]),
        ("untitled", "---\ntags: [x]\n---\nSome words.\n", ["line 1: no title", "untitled (untitled)"]),
        ("broken", "---\ntitle: Broken\n---\nSee [the other one](nowhere.md).\n", ["line 4: link to 'nowhere.md': no post has the slug 'nowhere'"]),
        ("pictured", "---\ntitle: Pictured\n---\n![A map](/images/map.png)\n", ["line 4: image '/images/map.png' is not in static/"]),
        ("unparsable", "---\ntitle: [unclosed\n---\nThe body still shows.\n", ["The body still shows.", "✖ line"]),
    ],
)
def test_warnings_under_the_header(blog, cli, name, text, expected):
    (blog / "drafts" / f"{name}.md").write_text(text, encoding="utf-8")
    page = preview(cli, name, "--width", "100")
    header_end = page.index("╰")
    for snippet in expected:
        assert snippet in page
    warnings = page[header_end:]
    assert ("✖" in warnings) or ("⚠" in warnings)


def test_unparsable_front_matter_is_reported_before_the_body(blog, cli):
    (blog / "drafts" / "unparsable.md").write_text("---\ntitle: [unclosed\n---\nThe body still shows.\n", encoding="utf-8")
    page = preview(cli, "unparsable")
    assert page.index("✖ line") < page.index("The body still shows.")


def test_no_ref_previews_the_most_recently_modified_draft(blog, cli):
    older = blog / "drafts" / "drawing-the-timetable.md"
    newer = blog / "drafts" / "fresh.md"
    newer.write_text("---\ntitle: Fresh Thoughts\n---\nJust written.\n", encoding="utf-8")
    os.utime(older, (time.time() - 3600, time.time() - 3600))
    assert "Fresh Thoughts" in preview(cli)
    os.utime(older, None)
    os.utime(newer, (time.time() - 3600, time.time() - 3600))
    assert "Drawing the Timetable" in preview(cli)


def test_no_drafts_means_a_clear_error(empty_blog, cli):
    result = cli("preview")
    assert result.exit_code == 1
    assert "no drafts to preview" in result.stderr and "Traceback" not in result.stderr


def test_unknown_post_is_an_error(blog, cli):
    result = cli("preview", "no-such-post-anywhere")
    assert result.exit_code == 1 and "no post matches" in result.stderr


def test_pager_still_shows_the_page(blog, cli, monkeypatch):
    monkeypatch.setenv("PAGER", "cat")
    assert "Who Rides After Midnight" in preview(cli, "who-rides", "--pager")


# -- processes: colour on a terminal, --watch, import cost ---------------------------------------


def run_in_pty(args: list[str], env: dict[str, str], timeout: float = 15) -> str:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: become `blog` on the terminal
        os.execvpe(args[0], args, env)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def terminal_env(blog: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(BLOG_ROOT=str(blog), TERM="xterm-256color", COLUMNS="100", **extra)
    return env


def test_colour_on_a_terminal_and_none_when_asked(blog):
    command = [blog_bin(), "preview", "who-rides", "--width", "80"]
    coloured = run_in_pty(command, terminal_env(blog))
    assert "Who Rides After Midnight" in coloured
    assert re.search(r"\x1b\[[0-9;]*m", coloured)
    for plain in (run_in_pty(command, terminal_env(blog, NO_COLOR="1")), run_in_pty(command + ["--no-color"], terminal_env(blog))):
        assert "Who Rides After Midnight" in plain
        assert "\x1b" not in plain


def test_watch_renders_again_when_the_file_is_saved(blog):
    post = blog / "published" / "why-the-night-bus.md"
    env = {**os.environ, "BLOG_ROOT": str(blog)}
    proc = subprocess.Popen(
        [blog_bin(), "preview", "why-the-night-bus", "--watch", "--width", "80"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    seen = b""

    def read_until(marker: bytes, timeout: float) -> bool:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.2)
            if ready:
                seen += os.read(proc.stdout.fileno(), 65536)
        return marker in seen

    try:
        assert read_until(b"for changes (Ctrl-C to stop)", 15), seen.decode()
        time.sleep(0.3)
        post.write_text(post.read_text(encoding="utf-8").replace("So next week", "Edited: so next week"), encoding="utf-8")
        assert read_until(b"Edited: so next week", 15), seen.decode()
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    assert proc.returncode in (0, 130)
    assert b"Traceback" not in err


def test_importing_the_cli_loads_no_heavy_module():
    heavy = ("rich.markdown", "rich.syntax", "markdown_it", "cmarkgfm", "pygments", "markdown", "jinja2", "watchfiles")
    code = f"import sys, blogcli.cli.app; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert out.strip() == "[]"
