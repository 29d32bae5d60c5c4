"""The history criteria and HER2 categories on their own: counts by setting, open
settings and progressions asking their question, the HER2 mapping (negative with the
score not known asks whether it is HER2-low), and the history summary."""

from __future__ import annotations

from typing import Any

import pytest

from oncocite.knowledge.criteria import Context, _her2
from oncocite.knowledge.drugs import shipped_drugs
from oncocite.knowledge.history import ClassIndex, judge, read_history, summary
from oncocite.knowledge.load import shipped_knowledge
from oncocite.knowledge.schema import HistoryRule
from oncocite.models import Profile

CLASSES = ClassIndex(shipped_knowledge().drug_classes)


def run(rule: dict[str, Any], *entries: dict[str, Any] | None) -> tuple[str, str, str | None]:
    profile = Profile(prior_treatments=None if entries == (None,) else list(entries))
    history = read_history(profile, shipped_drugs(), CLASSES)
    verdict, reason, question = judge(HistoryRule(**rule), history, CLASSES)
    return verdict, reason, question


TWO_CHEMO = {"rule": "had", "of": "chemotherapy", "setting": "advanced", "count": 2}


def test_counts_by_setting() -> None:
    cape = {"drug": "capecitabine", "setting": "advanced"}
    ec = {"drug": "epirubicin + cyclophosphamide", "setting": "adjuvant"}
    assert run(TWO_CHEMO, cape, {"drug": "eribulin", "setting": "advanced"})[0] == "met"
    verdict, reason, _ = run(TWO_CHEMO, cape, ec)
    assert verdict == "unmet"
    assert "two or more chemotherapies for advanced cancer" in reason
    assert "you have had one recorded (capecitabine)" in reason
    verdict, reason, question = run(TWO_CHEMO, cape, {"drug": "paclitaxel"})
    assert verdict == "unknown" and question is not None
    assert "Was my treatment with paclitaxel given" in question
    verdict, _, question = run(TWO_CHEMO, None)
    assert verdict == "unknown" and question == (
        "How many chemotherapies have I had for advanced cancer?"
    )
    assert run(TWO_CHEMO)[0] == "unmet"  # an empty history: none


def test_class_words_and_combination_brands_count() -> None:
    assert run({"rule": "had", "of": "chemotherapy"}, {"drug": "chemo"})[0] == "met"
    assert run({"rule": "had", "of": "hormone_therapy"}, {"drug": "Femara"})[0] == "met"
    her2 = {"rule": "had", "of": "anti_her2", "count": 2}
    assert run(her2, {"drug": "Phesgo"})[0] == "unmet"  # one treatment, two drugs
    assert run(her2, {"drug": "Phesgo"}, {"drug": "Kadcyla"})[0] == "met"


def test_first_treatment_and_progression() -> None:
    first = {"rule": "first_treatment"}
    assert run(first)[0] == "met"
    assert run(first, {"drug": "tamoxifen", "setting": "adjuvant"})[0] == "met"
    verdict, reason, _ = run(first, {"drug": "Perjeta + Herceptin", "setting": "advanced"})
    assert verdict == "unmet" and "you have already had pertuzumab and trastuzumab" in reason
    grew = {"rule": "not_progressed_on", "of": "cdk46_inhibitor"}
    assert run(grew, {"drug": "Kisqali", "progressed": True})[0] == "unmet"
    assert run(grew, {"drug": "Kisqali", "progressed": False})[0] == "met"
    verdict, _, question = run(grew, {"drug": "Kisqali"})
    assert verdict == "unknown" and question == "Did my cancer grow while I was having ribociclib?"
    assert run(grew, {"drug": "letrozole", "progressed": True})[0] == "met"


@pytest.mark.parametrize(
    ("her2", "allowed", "verdict"),
    [
        ("zero", ["low", "ultralow", "zero"], "met"),
        ("zero", ["low", "ultralow"], "unmet"),
        ("low", ["low"], "met"),
        ("ultralow", ["low"], "unmet"),
        ("negative", ["low", "ultralow", "zero"], "met"),
        ("negative", ["positive"], "unmet"),
        ("negative", ["low"], "unknown"),
        ("negative", ["low", "ultralow"], "unknown"),
        ("unknown", ["positive"], "unknown"),
        ("positive", ["low", "ultralow", "zero"], "unmet"),
    ],
)
def test_her2_categories(her2: str, allowed: list[str], verdict: str) -> None:
    found = _her2(allowed, Profile.model_validate({"her2": her2}))
    assert found.verdict == verdict, found
    if her2 == "negative" and verdict == "unknown":
        assert found.question is not None and found.question.startswith("Is my cancer HER2-low?")
    if verdict == "unmet":
        assert "; it is for " in found.reason


def test_summary_counts() -> None:
    profile = Profile(
        prior_treatments=[
            {"drug": "trastuzumab + pertuzumab + docetaxel", "setting": "neoadjuvant"},
            {"drug": "Enhertu", "setting": "advanced", "progressed": True},
            {"drug": "capecitabine + tucatinib + trastuzumab", "setting": "advanced"},
            {"drug": "letrozole"},
        ]
    )
    history = read_history(profile, shipped_drugs(), CLASSES)
    read = summary(history)
    assert read is not None
    assert read.her2_treatments == 3 and read.advanced_treatments == 2
    assert read.advanced_chemotherapies == 1 and read.hormone_therapies == 1
    assert read.setting_unknown == 1
    assert summary(read_history(Profile(), shipped_drugs(), CLASSES)) is None
    stated = read_history(Profile(prior_her2_regimens=1), shipped_drugs(), CLASSES)
    assert Context(stated, CLASSES).history.her2_count == 1


def test_progressed_on_a_class_in_a_setting() -> None:
    rule = {"rule": "progressed_on", "of": "hormone_therapy", "setting": "early"}
    adjuvant = {"drug": "anastrozole", "setting": "adjuvant"}
    assert run(rule, {**adjuvant, "progressed": True})[0] == "met"
    verdict, reason, _ = run(rule, {**adjuvant, "progressed": False})
    assert verdict == "unmet" and "it did not during anastrozole" in reason
    verdict, _, question = run(rule, adjuvant)
    assert verdict == "unknown" and question is not None and "anastrozole" in question
    assert run(rule, {"drug": "letrozole", "setting": "advanced", "progressed": True})[0] == (
        "unmet"
    )
    assert run(rule, None)[0] == "unknown"


def test_a_stated_her2_count_never_answers_for_a_setting_the_history_contradicts() -> None:
    """Two HER2 treatments stated, but the history lists one, given after surgery: a
    rule for HER2 treatment of advanced cancer follows the history, not the count."""
    rule = HistoryRule(rule="had", of="anti_her2", setting="advanced")
    adjuvant = {"drug": "trastuzumab", "setting": "adjuvant"}
    profile = Profile(prior_treatments=[adjuvant], prior_her2_regimens=2)
    history = read_history(profile, shipped_drugs(), CLASSES)
    assert judge(rule, history, CLASSES)[0] != "met"
    counted = read_history(Profile(prior_her2_regimens=2), shipped_drugs(), CLASSES)
    assert judge(rule, counted, CLASSES)[0] == "met"  # without a history the count stands
