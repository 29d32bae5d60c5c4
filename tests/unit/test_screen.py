"""The sentence screen (`oncocite.governance.screen`): sentences that tell the reader
to change or stop a medicine, not to seek help for an urgent symptom, or what dose to
take are never quoted; ordinary patient information passes.

The sentences are plain text under tests/data/screen, one per line, written for these
tests: harmful.txt and ordinary.txt tune the rules; harmful_heldout.txt and
ordinary_heldout.txt were written before the rules and are never tuned on (their
bounds are floors that catch regressions). `python benchmarks/screen.py` prints the
same figures with every miss and false block, and scans the whole MedQuAD corpus.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from oncocite.errors import InvalidQuery
from oncocite.governance.screen import (
    ScreenFlag,
    SentenceScreen,
    screen_sentence,
    screen_text,
    sentence_spans,
)

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "screen"
SHIPPED = REPO / "src" / "oncocite" / "governance" / "screen.yaml"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
MEDQUAD = SHARED / "corpus" / "medquad"

# Measured bounds (benchmarks/screen.py prints the current figures). The tuning sets
# are held to what was measured; the held-out sets to a floor one sentence below it,
# so that a regression fails while the honest figure stays what the benchmark reports.
MAX_FALSE_BLOCKS_TUNING = 0  # measured 0 of 340 ordinary sentences (the issue allows 1%)
MIN_RECALL_HELDOUT = 0.92  # measured 0.931 (95 of 102)
MAX_FALSE_BLOCKS_HELDOUT = 0.01  # measured 0.0 (0 of 161)
# Share of sentences flagged in the MedQuAD sample below: measured 1 of 68,610 (a
# dose said to patients: "Patients must take between 25 and 300 milligrams ..."); in
# the whole corpus 3 of 204,209, each listed by benchmarks/screen.py
MAX_MEDQUAD_FLAGGED_SHARE = 0.0001
CATEGORIES = ("dose_change", "stop_medicine", "discourage_care", "dose_instruction")
SETS = ["harmful.txt", "ordinary.txt", "harmful_heldout.txt", "ordinary_heldout.txt"]


def sentences(name: str) -> list[tuple[str, str | None]]:
    """(sentence, expected category) for every line; "# category: X" sets the category."""
    found: list[tuple[str, str | None]] = []
    category: str | None = None
    for line in (DATA / name).read_text("utf-8").splitlines():
        text = line.strip()
        if text.startswith("# category:"):
            category = text.split(":", 1)[1].strip()
        elif text and not text.startswith("#"):
            found.append((text, category))
    return found


def texts(name: str) -> list[str]:
    return [text for text, _ in sentences(name)]


# ----------------------------------------------------------------- the test sets
def test_the_sets_are_as_large_as_the_issue_asks_and_do_not_overlap() -> None:
    sizes = {name: len(texts(name)) for name in SETS}
    assert sizes["harmful.txt"] >= 200
    assert sizes["ordinary.txt"] >= 300
    assert sizes["harmful_heldout.txt"] >= 80
    assert sizes["ordinary_heldout.txt"] >= 120
    for name in ("harmful.txt", "harmful_heldout.txt"):
        per_category = Counter(category for _, category in sentences(name))
        assert set(per_category) == set(CATEGORIES), name
        assert min(per_category.values()) >= (40 if name == "harmful.txt" else 20), name
    every = [text.lower() for name in SETS for text in texts(name)]
    assert len(every) == len(set(every)), "a sentence is listed twice"


def test_every_tuning_harmful_sentence_is_flagged_with_its_category() -> None:
    missed = [text for text, _ in sentences("harmful.txt") if screen_sentence(text) is None]
    assert missed == []
    wrong = [
        (text, category, flag.rule)
        for text, category in sentences("harmful.txt")
        if (flag := screen_sentence(text)) is not None and flag.category != category
    ]
    assert wrong == []


def test_tuning_ordinary_sentences_pass() -> None:
    blocked = [
        (flag.rule, text) for text in texts("ordinary.txt") if (flag := screen_sentence(text))
    ]
    assert len(blocked) <= MAX_FALSE_BLOCKS_TUNING, blocked
    assert len(blocked) / len(texts("ordinary.txt")) <= 0.01


def test_held_out_sets_stay_above_their_floors() -> None:
    harmful = texts("harmful_heldout.txt")
    recall = sum(screen_sentence(text) is not None for text in harmful) / len(harmful)
    ordinary = texts("ordinary_heldout.txt")
    blocked = sum(screen_sentence(text) is not None for text in ordinary) / len(ordinary)
    print(f"\nheld-out: recall {recall:.1%}, false blocks {blocked:.1%}")
    assert recall >= MIN_RECALL_HELDOUT
    assert blocked <= MAX_FALSE_BLOCKS_HELDOUT


def test_every_rule_fires_on_some_tuning_sentence() -> None:
    fired = {flag.rule for text in texts("harmful.txt") if (flag := screen_sentence(text))}
    assert {rule.id for rule in SentenceScreen.load().rules} - fired == set()


# ----------------------------------------------------------------- behaviour
@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        (
            "Patients should double their dose of trastuzumab if they feel the treatment "
            "is not working",
            "dose_change",
        ),
        ("A fever on palbociclib is not urgent; no need to call anyone", "discourage_care"),
        ("You should take 4000 mg of capecitabine twice a day", "dose_instruction"),
        ("You can stop taking letrozole if the joint pain gets bad", "stop_medicine"),
    ],
)
def test_the_examples_of_the_issue_are_flagged(sentence: str, category: str) -> None:
    flag = screen_sentence(sentence)
    assert flag is not None and flag.category == category
    assert (flag.start, flag.end, flag.sentence) == (0, len(sentence), sentence)
    assert flag.reason and "\n" not in flag.reason


@pytest.mark.parametrize(
    "sentence",
    [
        "Trastuzumab can cause diarrhoea.",
        "You have trastuzumab as a drip into a vein every 3 weeks.",
        "Your doctor will tell you how much to take.",
        "Do not stop taking tamoxifen without talking to your doctor.",
        "Never double a dose to make up for a missed one.",
        "Tell your care team straight away if you have a temperature.",
        "Your doctor may lower your dose if you have side effects.",
        "Treatment may be stopped if the cancer grows.",
        "In the trial, people took 150 mg twice a day.",
    ],
)
def test_the_ordinary_examples_of_the_issue_pass(sentence: str) -> None:
    assert screen_sentence(sentence) is None


@pytest.mark.parametrize(
    ("harmful", "ordinary"),
    [
        ("Double your dose of tamoxifen.", "Do not double your dose of tamoxifen."),
        ("Skip a dose of Kisqali if you feel sick.", "Don't skip a dose of Kisqali."),
        ("Stop taking letrozole.", "Never stop taking letrozole without asking your doctor."),
        ("Crush the tablets.", "Do not crush, chew or split the tablets."),
        ("Take 2 tablets twice a day.", "In the study, people took 2 tablets twice a day."),
        ("You can lower your dose of Ibrance.", "Your doctor can lower your dose of Ibrance."),
        ("Ignore a fever on chemo.", "Never ignore a fever on chemo."),
        ("Wait and see if the fever settles.", "Do not wait and see if the fever settles."),
    ],
)
def test_negations_deferrals_and_reports_are_not_harmful(harmful: str, ordinary: str) -> None:
    assert screen_sentence(harmful) is not None
    assert screen_sentence(ordinary) is None


def test_a_list_comma_is_not_the_start_of_an_order() -> None:
    assert (
        screen_sentence("Decisions about whether to continue, change, or stop treatment.") is None
    )
    assert screen_sentence("If you feel sick, stop treatment.") is not None


def test_a_description_of_others_is_not_advice() -> None:
    assert screen_sentence("Most women can delay treatment until after the baby is born.") is None
    assert screen_sentence("Children sometimes ignore signs of bleeding.") is None
    assert screen_sentence("Fainting is usually nothing to worry about.") is None
    assert screen_sentence("Fainting during chemo is nothing to worry about.") is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "DOUBLE YOUR DOSE OF TAMOXIFEN!!!",
        "Double your dose of tamoxifen\x1b[0m",
        "Double your dose\u200bof tamoxifen",
        "Ｄｏｕｂｌｅ your dose of tamoxifen",
        "Doubel your dosage of tamoxifen",
        "Don’t call the helpline about a fever, it’s normal.",
    ],
)
def test_odd_text_is_read_as_words(sentence: str) -> None:
    assert screen_sentence(sentence) is not None


@pytest.mark.parametrize("sentence", ["", "   ", "?", "🙂", "a" * 10_000, "123 456"])
def test_empty_or_wordless_sentences_pass(sentence: str) -> None:
    assert screen_sentence(sentence) is None


def test_the_prefilter_hides_nothing() -> None:
    """Every rule tried on every sentence gives what the prefilter-first path gives."""
    screen = SentenceScreen.load()
    pool = [text for name in SETS for text in texts(name)]
    pool += [SEEDS_TEXT[a:b] for a, b in sentence_spans(SEEDS_TEXT)]
    pool += medquad_sentences()[::20]
    differ = [s for s in pool if screen._decide(s) != screen._decide(s, prefilter=False)]
    assert differ == []


# ----------------------------------------------------------------- scanning documents
def test_scan_offsets_are_exact_and_every_harmful_sentence_is_found() -> None:
    harmful = texts("harmful.txt")[:60]
    ordinary = texts("ordinary.txt")[:60]
    separators = [" ", "\n", "\n\n  • ", "\n- ", "  ", "\r\n", "\n1. "]
    parts: list[str] = ["# A leaflet\n"]
    for i, (bad, good) in enumerate(zip(harmful, ordinary, strict=True)):
        parts += [good, separators[i % len(separators)], bad, separators[(i + 3) % len(separators)]]
    text = "".join(parts)
    flags = screen_text(text)
    assert all(text[f.start : f.end] == f.sentence for f in flags)
    assert [f.sentence for f in flags] == harmful
    assert SentenceScreen.load().scan(text) == flags


def test_scan_reads_sentences_lines_and_list_items() -> None:
    text = "Tamoxifen is a tablet. Dr. Smith says: stop taking tamoxifen now.\n• Skip a dose"
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans == [
        "Tamoxifen is a tablet.",
        "Dr. Smith says: stop taking tamoxifen now.",
        "Skip a dose",
    ]
    flags = screen_text(text)
    assert [f.rule for f in flags] == ["stop_treatment", "skip_dose"]
    assert flags[0].start == text.index("Dr. Smith")
    assert flags[1].start == text.index("Skip") and flags[1].end == len(text)


def test_a_long_run_without_full_stops_is_read_in_pieces_quickly() -> None:
    text = "word " * 200_000 + ". Stop taking letrozole."
    start = time.perf_counter()
    flags = screen_text(text)
    assert time.perf_counter() - start < 2
    assert [text[f.start : f.end] == f.sentence for f in flags] == [True]


SEEDS_TEXT = "\n".join(path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt")))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_the_seed_documents_are_not_flagged(path: Path) -> None:
    assert screen_text(path.read_text("utf-8")) == []


_MEDQUAD: list[str] = []


def medquad_sentences() -> list[str]:
    """Sentences of a fixed MedQuAD sample: every cancer.gov answer and every fourth
    file of the other sources, read from their XML Answer elements."""
    if not _MEDQUAD:
        files = sorted(MEDQUAD.glob("1_CancerGov_QA/*.xml"))
        files += [f for f in sorted(MEDQUAD.rglob("*.xml")) if "CancerGov" not in f.parent.name][
            ::4
        ]
        for path in files:
            root = ET.parse(path).getroot()
            for answer in root.iter():
                if answer.tag.lower() == "answer" and answer.text:
                    text = answer.text
                    _MEDQUAD.extend(text[a:b] for a, b in sentence_spans(text))
    return _MEDQUAD


@pytest.mark.slow
def test_few_medquad_sentences_are_flagged() -> None:
    sample = medquad_sentences()
    assert len(sample) > 40_000
    flagged = [(flag.rule, s) for s in sample if (flag := screen_sentence(s))]
    share = len(flagged) / len(sample)
    print(f"\nMedQuAD sample: {len(flagged)} of {len(sample)} sentences flagged ({share:.4%})")
    for rule, sentence in flagged:
        print(f"  {rule}: {sentence}")
    assert share <= MAX_MEDQUAD_FLAGGED_SHARE


# ----------------------------------------------------------------- speed
def test_check_is_fast() -> None:
    screen = SentenceScreen.load()
    pool = (texts("harmful.txt") + texts("ordinary.txt")) * 3
    pool = pool[:1000]
    start = time.perf_counter()
    for sentence in pool:
        screen.check(sentence)
    elapsed = time.perf_counter() - start
    print(f"\ncheck: {elapsed / len(pool) * 1e6:.0f} µs per sentence")
    assert elapsed < 1.0


def test_scan_is_fast() -> None:
    text = "\n".join(medquad_sentences()[:20_000])
    SentenceScreen.load().scan(text[:10_000])  # word stems cached, as in a running process
    start = time.perf_counter()
    SentenceScreen.load().scan(text)
    rate = len(text) / 1e6 / (time.perf_counter() - start)
    print(f"\nscan: {rate:.1f} MB/s")
    assert rate > 1.0


def test_rules_are_loaded_once_and_threads_agree() -> None:
    assert SentenceScreen.load() is SentenceScreen.load()
    pool = [text for name in SETS for text in texts(name)]
    alone = [screen_sentence(s) for s in pool]
    with ThreadPoolExecutor(max_workers=4) as workers:
        together = list(workers.map(screen_sentence, pool))
    assert together == alone
    assert all(isinstance(f, ScreenFlag) for f in alone if f is not None)


# ----------------------------------------------------------------- validation of the file
def shipped() -> dict[str, Any]:
    data = yaml.safe_load(SHIPPED.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def test_the_shipped_file_loads_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(SHIPPED.read_text("utf-8"), "utf-8")
    screen = SentenceScreen.load(path)
    assert screen is not SentenceScreen.load()
    assert screen.check("Double your dose of tamoxifen.") is not None


def test_every_rule_says_why_for_reviewers() -> None:
    for entry in SentenceScreen.load().rules:
        assert len(entry.why.split()) >= 8, entry.id
        assert entry.reason.startswith("tells") or entry.reason.startswith("gives"), entry.id


Change = Callable[[dict[str, Any]], None]


def _unknown_term(d: dict[str, Any]) -> None:
    rule(d, "double_dose")["all"][1] = ["$dose_objcet"]


def _duplicate_id(d: dict[str, Any]) -> None:
    rule(d, "skip_dose")["id"] = "double_dose"


def _bad_category(d: dict[str, Any]) -> None:
    rule(d, "double_dose")["category"] = "dosing"


def _no_why(d: dict[str, Any]) -> None:
    del rule(d, "double_dose")["why"]


def _unknown_field(d: dict[str, Any]) -> None:
    rule(d, "double_dose")["unless"] = ["your doctor"]


def _empty_list(d: dict[str, Any]) -> None:
    rule(d, "double_dose")["all"].append([])


def _gap_first(d: dict[str, Any]) -> None:
    rule(d, "double_dose")["all"][0] = ["... double"]


def _start_outside_after(d: dict[str, Any]) -> None:
    rule(d, "double_dose")["none"] = ["<start>"]


def _two_line_reason(d: dict[str, Any]) -> None:
    rule(d, "double_dose")["reason"] = "tells the reader\nto double a dose"


def _no_word(d: dict[str, Any]) -> None:
    rule(d, "take_half")["any"] = ["take half", "<end>"]


def _term_cycle(d: dict[str, Any]) -> None:
    d["terms"]["drug"].append("$dose_object")


def _bad_within(d: dict[str, Any]) -> None:
    rule(d, "double_dose")["within"] = "near"


def _spelling_twice(d: dict[str, Any]) -> None:
    d["spellings"]["ok"].append("stp")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_unknown_term, "rule 'double_dose': all[1]: '$dose_objcet' names no list under terms"),
        (_duplicate_id, "rule 'double_dose': id: is used by an earlier rule too"),
        (_bad_category, "rule 'double_dose': category: Input should be 'dose_change'"),
        (_no_why, "rule 'double_dose': why: Field required"),
        (_unknown_field, "rule 'double_dose': unless: Extra inputs are not permitted"),
        (_empty_list, "rule 'double_dose': rule: `all` has an empty list"),
        (_gap_first, "rule 'double_dose': all[0]: '... double' must start and end with a word"),
        (_start_outside_after, "rule 'double_dose': none: <start> is allowed only in `after`"),
        (_two_line_reason, "rule 'double_dose': reason: String should match pattern"),
        (_no_word, "rule 'take_half': any: every list has an item with no word or number"),
        (_term_cycle, "includes itself"),
        (_bad_within, "rule 'double_dose': within: Input should be a valid integer"),
        (_spelling_twice, "spellings.stop: 'stp' is also a spelling of 'ok'"),
    ],
)
def test_a_bad_rule_is_one_line_naming_rule_and_field(change: Change, expected: str) -> None:
    data = shipped()
    change(data)
    with pytest.raises(InvalidQuery) as info:
        SentenceScreen.from_yaml(yaml.safe_dump(data), "screen.yaml")
    message = str(info.value)
    assert message.startswith("screen.yaml: ") and expected in message, message
    assert "\n" not in message


def test_a_file_that_is_not_yaml_is_one_line() -> None:
    with pytest.raises(InvalidQuery, match=r"^screen.yaml: not valid YAML \(line \d+: ") as info:
        SentenceScreen.from_yaml("rules: [unclosed\n  - x", "screen.yaml")
    assert "\n" not in str(info.value)


def test_a_yaml_no_that_became_false_is_caught() -> None:
    text = SHIPPED.read_text("utf-8").replace("negators: ['no',", "negators: [no,")
    with pytest.raises(InvalidQuery, match=r"negation.negators.0: Input should be a valid string"):
        SentenceScreen.from_yaml(text, "screen.yaml")
