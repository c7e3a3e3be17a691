"""Teaser detection and the promise ledger, pinned: what they find in a fixed, varied set of
bodies is compared with tests/fixtures/teasers/pinned.json, written from the code as it was
before detection was made faster (issue 12). A change of speed must not change one result.

The bodies: the sample blog's posts (drafts/, published/), the hostile blog's
(tests/data/hostile/), a 300-post corpus of `benchmarks.corpus` (seed 0), the sentences of
tests/test_teasers.py's table, and hostile text made here from a fixed seed (code fences and
spans, quotes, CRLF, letters outside ASCII, very long lines and sentences).

After a deliberate change to what is detected, rewrite the fixture and review the diff:

    .venv/bin/python -m pytest -q tests/test_teasers_pinned.py --regen-golden && git diff --stat tests/fixtures/teasers
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from blogcli.model.document import Document
from blogcli.model.teasers import Teaser, _detect, detect_teasers
from conftest import FixedNumbers, generated_blog

REPO = Path(__file__).resolve().parent.parent
PINNED = Path(__file__).parent / "fixtures" / "teasers" / "pinned.json"
CORPUS_POSTS, CORPUS_SEED = 300, 0


# -- the bodies -----------------------------------------------------------------------------------


def _post_bodies(blog: Path, label: str) -> dict[str, str]:
    files = sorted(path for folder in ("published", "drafts") for path in (blog / folder).glob("*.md"))
    return {f"{label}/{path.relative_to(blog).as_posix()}": Document.from_bytes(path.read_bytes()).body for path in files}


_SENTENCES = [
    "So next week I'll look at who actually rides after midnight.",
    "Next week: who drew the map.",
    "I know I said I would be discussing the archive, and I will!",
    "As promised, here is the depot.",
    "Stay tuned for the interview with the scheduler.",
    "In my next post I look at the depot.",
    "I'll cover the strike in a future post.",
    "Part three will look at the depot.",
    "What should I look at next week?",
    "I'll be away next week, so no post.",
    "Next week's election will change everything.",
    "In this post I'll discuss the survey results.",
    "More on the depot next time.",
    "Two weeks ago I promised to find out how the N29’s timetable was drawn.",
    "Next time, let’s ask the drivers themselves.",
    "We'll look at the maps in part 4.",
    "The bus was late again.",
    "Dr. Okafor said so, e.g. in the report.",
    "NEXT WEEK I’LL LOOK AT THE DEPOT.",
    "Nеxt week I'll look at the depot.",  # a Cyrillic е
    "İ'll cover the fares next week.",
    "I'll look at the ſoup kitchen ſoon.",
    "Next week I'll look at the depot… and then the garage",
    "Next week I'll look at [the depot](depot.md) and **its drivers**.",
    "Coming up next week — the 2011 cut.",
    "Up next week: fares!",
    "We’re going to explore the canal later in this series.",
    "Tomorrow I'm going to ride the N29 again.",
]
_PIECES = [
    *_SENTENCES,
    " ", " ", " ", "\n", "\n", "\n\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\t", "\u00a0", "\u2028", "\x0c", "\x0b",
    "```\n", "```python\n", "~~~\n", "````\n", "    ", "\t", "`", "``", "`next week I'll cover x`",
    "“", "”", '"', "'", "‘", "’", '"next week I\'ll look at it"', "“stay tuned”",
    "> ", "- ", "* ", "1. ", "# ", "## ", "| a | next week I'll look at b |\n", "<!-- next week I'll cover x -->", "<!--",
    "-->", ". ", "! ", "? ", "… ", "...", ", ", ": ", " — ", " - ", "(", ")", "[^1]", "[link](x.md)", "**", "_",
    "e.g.", "Mr.", "no.", "p.", "(e.g.", "next", "week", "will", "I'll", "let's", "soon", "said", "promised", "tune",
    "part 3", "watch this space", "the depot", "fares", "naïve café", "日本語の文章。", "עברית", "🚌", "e\u0301", "ﬁ",
    "K", "ſ", "ı", "İ",
]


def _hostile_bodies() -> dict[str, str]:
    numbers = FixedNumbers(2026)
    bodies = {}
    for number in range(150):
        bodies[f"hostile/{number}"] = "".join(numbers.pick(_PIECES) for _ in range(numbers.below(60) + 1))
    filler = "The bus was late and the rain kept on falling over the depot roof " * 40
    cue = "So next week I'll look at the long night of the depot. "
    bodies["hostile/long-sentence"] = filler + "and next week I'll look at the depot."  # over 2,000 characters
    bodies["hostile/long-line"] = (filler + ". " + cue) * 60  # one line of ~200,000 characters
    bodies["hostile/many-sentences"] = (cue + "The bus was late. ") * 200
    bodies["hostile/crlf"] = "\r\n".join(_SENTENCES) + "\r\n\r\n```\r\nnext week I'll look at code\r\n```\r\n" + cue
    bodies["hostile/unclosed-fence"] = cue + "\n\n```\n" + cue * 3
    bodies["hostile/unclosed-quote"] = cue + "“" + cue * 3 + "\n\n" + cue
    bodies["hostile/unclosed-comment"] = cue + "<!--" + cue * 3
    bodies["hostile/only-cues"] = " ".join(["next week will I'll soon said"] * 500)
    bodies["hostile/empty"] = ""
    bodies["hostile/blank"] = " \n\n\t\r\n"
    return bodies


def _case_bodies() -> dict[str, str]:
    from test_teasers import CASES  # tests/ is on sys.path: pytest's default import mode

    return {f"case/{number}": sentence for number, (sentence, _, _) in enumerate(CASES)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generated_blog(tmp_path_factory.mktemp("corpus"), CORPUS_POSTS, CORPUS_SEED)


@pytest.fixture(scope="module")
def bodies(corpus) -> dict[str, str]:
    return {
        **_post_bodies(REPO, "sample"),
        **_post_bodies(REPO / "tests" / "data" / "hostile", "hostile-blog"),
        **_post_bodies(corpus, "corpus"),
        **_case_bodies(),
        **_hostile_bodies(),
    }


# -- what is pinned ---------------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _teasers_as_pinned(body: str, teasers: list[Teaser]) -> list[list]:
    """Each teaser as [kind, start, end, line, topic] (its text is body[start:end], checked)."""
    for teaser in teasers:
        assert teaser.text == body[teaser.start : teaser.end]
    return [[t.kind, t.start, t.end, t.line, t.topic] for t in teasers]


def _ledger_as_pinned(blog: Path) -> list[dict]:
    from blogcli.ops.promises import promise_ledger
    from blogcli.workspace.store import Workspace

    def plain(value):
        return value.isoformat() if isinstance(value, dt.datetime) else list(value) if isinstance(value, tuple) else value

    return [{key: plain(value) for key, value in dataclasses.asdict(promise).items()} for promise in promise_ledger(Workspace.open(blog))]


def _ledgers(corpus: Path, tmp_path: Path) -> dict[str, list[dict]]:
    ledgers = {}
    for label, source in (("sample", REPO), ("hostile-blog", REPO / "tests" / "data" / "hostile"), ("corpus", corpus)):
        copy = tmp_path / label
        copy.mkdir()
        shutil.copy(source / "blog.toml", copy / "blog.toml")
        for folder in ("drafts", "published"):
            if (source / folder).is_dir():
                shutil.copytree(source / folder, copy / folder)
        ledgers[label] = _ledger_as_pinned(copy)
    return ledgers


def _one_entry_a_line(pinned: dict) -> str:
    """JSON with one body's results, or one promise, a line: diffs that say what changed."""

    def entries(items) -> str:
        return ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items)

    bodies = ",\n".join(f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False, sort_keys=True)}"
                        for name, entry in sorted(pinned["bodies"].items()))
    ledgers = ",\n".join(f"{json.dumps(label)}: [\n{entries(ledger)}\n]" for label, ledger in sorted(pinned["ledgers"].items()))
    return f'{{"bodies": {{\n{bodies}\n}},\n"ledgers": {{\n{ledgers}\n}}}}\n'


def _pinned(regen: bool, bodies: dict[str, str], ledgers: dict) -> dict:
    if regen:
        PINNED.parent.mkdir(parents=True, exist_ok=True)
        found = {name: {"sha256": _digest(body), "teasers": _teasers_as_pinned(body, detect_teasers(body))} for name, body in bodies.items()}
        PINNED.write_text(_one_entry_a_line({"bodies": found, "ledgers": ledgers}), encoding="utf-8")
    assert PINNED.is_file(), f"no pinned results at {PINNED}: run pytest with --regen-golden and review them"
    return json.loads(PINNED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pinned_ledgers(corpus, tmp_path_factory) -> dict:
    return _ledgers(corpus, tmp_path_factory.mktemp("ledgers"))


def test_the_bodies_are_the_pinned_ones(bodies, pinned_ledgers, regen_golden):
    pinned = _pinned(regen_golden, bodies, pinned_ledgers)["bodies"]
    assert sorted(pinned) == sorted(bodies)
    changed = [name for name, body in bodies.items() if pinned[name]["sha256"] != _digest(body)]
    assert not changed, f"these bodies are not the ones the results were pinned for (the corpus generator or a sample changed?): {changed[:10]}"
    assert sum(1 for name in bodies if name.startswith("corpus/")) == CORPUS_POSTS
    assert sum(len(entry["teasers"]) for entry in pinned.values()) > 300, "too few teasers pinned to prove anything"


def test_detect_teasers_finds_what_it_found_before(bodies, pinned_ledgers, regen_golden):
    pinned = _pinned(regen_golden, bodies, pinned_ledgers)["bodies"]
    different = [name for name, body in bodies.items() if _teasers_as_pinned(body, detect_teasers(body)) != pinned[name]["teasers"]]
    assert not different, f"{len(different)} bodies' teasers differ from the pinned ones, e.g. {different[:10]}"


def test_reading_every_sentence_finds_what_was_pinned_too(bodies, pinned_ledgers, regen_golden):
    # The slow path (no prefilter) is what the fast one is compared with in test_teasers.py.
    pinned = _pinned(regen_golden, bodies, pinned_ledgers)["bodies"]
    different = [name for name, body in bodies.items() if _teasers_as_pinned(body, _detect(body, prefilter=False)) != pinned[name]["teasers"]]
    assert not different, f"{len(different)} bodies differ, e.g. {different[:10]}"


def test_the_ledgers_are_the_pinned_ones(bodies, pinned_ledgers, regen_golden):
    pinned = _pinned(regen_golden, bodies, pinned_ledgers)["ledgers"]
    assert pinned_ledgers["corpus"], "the corpus' series make promises"
    for label, ledger in pinned_ledgers.items():
        assert ledger == pinned[label], f"the {label} blog's promise ledger changed"


def test_the_benchmark_reads_every_body_and_finds_the_pinned_teasers(corpus, bodies, pinned_ledgers, regen_golden):
    # `python -m benchmarks.teasers BLOG` (issue 12's measure) times detection over these bodies.
    from benchmarks.teasers import best_cpu
    from benchmarks.teasers import bodies as blog_bodies

    pinned = _pinned(regen_golden, bodies, pinned_ledgers)["bodies"]
    texts = blog_bodies(corpus)
    assert texts == [body for name, body in sorted(bodies.items()) if name.startswith("corpus/")]
    seconds, found = best_cpu(texts, repeat=1)
    assert seconds >= 0
    assert found == sum(len(entry["teasers"]) for name, entry in pinned.items() if name.startswith("corpus/"))
