"""The promise ledger: who promised what, and whether it was kept, planned, open or overdue."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogcli.errors import InvalidValue, NotFound
from blogcli.model.document import Document
from blogcli.model.ledger import key_words, matches
from blogcli.ops.promises import latest_open_promise, promise_ledger
from blogcli.ops.series import create_next_part, plan_part
from blogcli.workspace.store import Workspace

SERIES = "The Phone Diaries"


def post(root: Path, folder: str, slug: str, meta: str, body: str) -> None:
    (root / folder / f"{slug}.md").write_text(f"---\n{meta.strip()}\n---\n\n{body}", encoding="utf-8")


def part(root, slug, n, date, title, body, extra="", folder="published"):
    meta = f"title: {title}\nseries: {SERIES}\npart: {n}\n" + (f"date: {date}\n" if date else "") + extra
    post(root, folder, slug, meta, body)


@pytest.fixture
def diaries(empty_blog) -> Path:
    """Five weekly parts. Now is Wednesday 2026-11-25 10:00 UTC."""
    root = empty_blog
    with open(root / "blog.toml", "a", encoding="utf-8") as config:
        config.write('\n[series.phone-diaries]\ntitle = "The Phone Diaries"\ncadence = "weekly on Monday 09:00"\n')
    part(root, "phones-arrive", 1, "2026-10-26T09:00:00Z", "Phones Arrive",
         "Phones are everywhere now.\n\nNext week I'll look at how phones are smuggled across the border.\n")
    # Kept by part 2: its title matches the promise's key words (no `fulfils` needed).
    part(root, "smuggled-across-the-border", 2, "2026-11-02T09:00:00Z", "How Phones Are Smuggled Across the Border",
         "Traders carry them in sacks of rice.\n\nNext week I'll discuss the price of a SIM card.\n")
    # Part 3 slips: it restates the promise and makes it again.
    part(root, "markets-at-night", 3, "2026-11-09T09:00:00Z", "Markets at Night",
         "I know I said I would be discussing the price of a SIM card, and I will! But first, the markets.\n\n"
         "Next week I will finally get to the price of a SIM card.\n")
    # Part 4 keeps the repeated promise by declaring it, and makes one that nobody keeps: overdue.
    part(root, "sim-cards", 4, "2026-11-16T09:00:00Z", "What a Card Costs",
         "A card costs a month's wage.\n\nNext week: who repairs the phones when they break.\n", extra="fulfils: markets-at-night\n")
    # Part 5 (two days ago) moves on to radios and promises the DVD trade: open, not yet due.
    part(root, "radio-days", 5, "2026-11-23T09:00:00Z", "Radio Days",
         "Radios came before phones.\n\nStay tuned for the DVD trade.\n")
    return root


def ledger(root, name=None):
    return {p.origin: p for p in promise_ledger(Workspace.open(root), name)}


def test_five_part_ledger(diaries):
    promises = ledger(diaries, "phone-diaries")
    assert list(promises) == ["phones-arrive", "smuggled-across-the-border", "sim-cards", "radio-days"]

    kept = promises["phones-arrive"]
    assert (kept.status, kept.fulfilled_by, kept.repeated) == ("fulfilled", "smuggled-across-the-border", False)
    assert kept.text == "how phones are smuggled across the border"

    repeated = promises["smuggled-across-the-border"]
    assert repeated.text == "the price of a SIM card"
    assert repeated.repeated is True
    assert repeated.made_in == ["smuggled-across-the-border", "markets-at-night"]
    assert (repeated.status, repeated.fulfilled_by) == ("fulfilled", "sim-cards")

    overdue = promises["sim-cards"]
    assert overdue.text == "who repairs the phones when they break"
    assert overdue.status == "overdue"
    assert overdue.due.isoformat() == "2026-11-23T09:00:00+00:00"

    waiting = promises["radio-days"]
    assert (waiting.status, waiting.text, waiting.fulfilled_by) == ("open", "the DVD trade", None)


def test_json_shape(diaries):
    promise = ledger(diaries)["smuggled-across-the-border"].as_dict()
    assert list(promise) == ["series", "from", "part", "text", "status", "repeated", "fulfilled_by", "made_in", "due", "out_of_order"]
    assert promise["series"] == SERIES and promise["from"] == "smuggled-across-the-border" and promise["part"] == 2


def test_overdue_follows_the_clock(diaries, monkeypatch):
    monkeypatch.setenv("BLOG_NOW", "2026-11-20T10:00:00+00:00")
    assert ledger(diaries)["sim-cards"].status == "open"


def test_drafts_make_no_promises(diaries):
    part(diaries, "fixers", 6, None, "Fixers", "Next week I'll look at the border guards.\n", folder="drafts")
    assert "fixers" not in ledger(diaries)


def test_scheduled_parts_promise_and_plan(diaries):
    # A scheduled part that declares `fulfils` plans to keep the promise; it keeps it once it is out.
    part(diaries, "the-repairers", 6, "2026-11-30T09:00:00Z", "The Repairers", "Soldering irons.\n\nNext time: the DVD trade.\n",
         extra="fulfils: sim-cards\n")
    promises = ledger(diaries)
    # Part 4's promise was due on 23 Nov: planned in a part that goes out on 30 Nov, it is late.
    assert (promises["sim-cards"].status, promises["sim-cards"].fulfilled_by) == ("late", "the-repairers")
    assert "the-repairers" not in promises, "“the DVD trade” again is part 5's promise repeated"
    assert promises["radio-days"].made_in == ["radio-days", "the-repairers"]


def test_front_matter_next_wins(diaries):
    path = diaries / "published" / "radio-days.md"
    doc = Document.from_bytes(path.read_bytes())
    doc.set("next", "Who listens to foreign radio")
    path.write_bytes(doc.to_bytes())
    assert ledger(diaries)["radio-days"].text == "Who listens to foreign radio"


def test_plan_records_the_promise_it_keeps(diaries):
    ws = Workspace.open(diaries)
    assert latest_open_promise(ws, SERIES).origin == "radio-days"
    planned, promise = plan_part(ws, "phone-diaries", "The DVD trade at the border")
    assert promise.origin == "radio-days"
    text = (diaries / planned.rel).read_text()
    assert "fulfils: radio-days" in text and "part: 6" in text and planned.status(ws.now()) == "planned"
    assert ledger(diaries)["radio-days"].status == "planned"
    unrelated, none = plan_part(Workspace.open(diaries), SERIES, "Satellite dishes")
    assert none is None and "fulfils" not in (diaries / unrelated.rel).read_text()


def test_next_part_takes_the_latest_open_promise(diaries):
    made = create_next_part(Workspace.open(diaries), "phone-diaries")
    assert made.created
    meta = Document.from_bytes((diaries / made.post.rel).read_bytes()).parse()
    assert meta["title"] == "The DVD trade" and meta["part"] == 6 and meta["fulfils"] == "radio-days" and meta["series"] == SERIES


def test_next_part_without_anything_owed_needs_a_title(empty_blog):
    part(empty_blog, "one", 1, "2026-11-02T09:00:00Z", "One", "No teaser here.\n")
    with pytest.raises(InvalidValue) as caught:
        create_next_part(Workspace.open(empty_blog), SERIES)
    assert "--next" in caught.value.hint
    made = create_next_part(Workspace.open(empty_blog), SERIES, title="Two")
    assert made.created and made.post.part == 2 and made.promise is None


def test_unknown_series(diaries):
    with pytest.raises(NotFound) as caught:
        promise_ledger(Workspace.open(diaries), "phone-diary")
    assert any("phone-diaries" in c for c in caught.value.candidates)


# -- the sample workspace ---------------------------------------------------------------------


def test_sample_ledger(sample):
    promises = ledger(sample, "night-bus-notebook")
    first, second = promises["why-the-night-bus"], promises["who-rides-after-midnight"]
    assert (first.status, first.fulfilled_by, first.part) == ("fulfilled", "who-rides-after-midnight", 1)
    # Part 2 says "Last week I said I would be looking at…, and I did": keeping it, not repeating it.
    assert first.repeated is False and first.made_in == ["why-the-night-bus"]
    assert second.text == "how the timetable was drawn in the first place"
    # Due on 16 Nov, planned in a draft that is still not out on 25 Nov: late, and owed.
    assert (second.status, second.fulfilled_by, second.keeper_rel) == ("late", "drawing-the-timetable", "drafts/drawing-the-timetable.md")


def test_sample_next_resumes_the_planned_part(sample):
    made = create_next_part(Workspace.open(sample), "The Night Bus Notebook")
    assert not made.created and made.post.rel == "drafts/drawing-the-timetable.md"
    (sample / "drafts" / "drawing-the-timetable.md").unlink()
    made = create_next_part(Workspace.open(sample), "The Night Bus Notebook")
    assert made.created and made.post.title == "How the timetable was drawn in the first place"
    assert made.post.part == 3 and made.post.fulfils == "who-rides-after-midnight"


def test_seed_post_as_a_part(empty_blog, seed_text):
    """The seed restates a promise made in posts not in the workspace, and promises the ‘seeds’."""
    part(empty_blog, "seeds-of-change", 4, "2026-11-02T09:00:00Z", "Seeds of Change", seed_text)
    promises = promise_ledger(Workspace.open(empty_blog))
    carried, seeds = promises
    assert carried.text == "the illegal consumption of information and technology in North Korea"
    assert carried.repeated is True and carried.status == "overdue"
    assert seeds.text == "where these ‘seeds’ are being planted" and seeds.repeated is False


# -- key words --------------------------------------------------------------------------------


def test_key_words_drop_function_words_and_endings():
    assert key_words("who actually rides after midnight") == key_words("riding, midnight") == {"rid", "midnight"}
    assert key_words("How the N29's timetable was drawn") == {"n29", "timetabl", "drawn"}


@pytest.mark.parametrize(
    "promise, other, expected",
    [
        ("who actually rides after midnight", "Who Rides After Midnight", True),
        ("the price of a SIM card", "What a SIM card costs", True),
        ("the price of a SIM card", "Markets at Night", False),
        ("the depot strike", "The Strike", False),  # one of two key words is not enough
        ("fares", "Night fares explained", True),
        ("", "anything", False),
    ],
)
def test_matching(promise, other, expected):
    assert matches(promise, other) is expected
