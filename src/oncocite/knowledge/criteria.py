"""Criteria against a profile: met, not met or unknown, each with a reason in plain
words and, when unknown, the question that would settle it.

Unknown is never read as met: a drug for HER2-positive cancer is not offered to a
profile whose HER2 status is not known; it needs information, and the reason says
which test tells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from oncocite.knowledge.history import ClassIndex, History, judge
from oncocite.knowledge.schema import Criteria, HistoryRule, PriorDrug
from oncocite.knowledge.wording import joined
from oncocite.models import Profile

__all__ = ["Context", "Finding", "Verdict", "combine", "evaluate"]

Verdict = Literal["met", "unmet", "unknown"]


@dataclass(frozen=True)
class Finding:
    verdict: Verdict
    reason: str
    question: str | None = None


@dataclass(frozen=True)
class Context:
    """What criteria read besides the profile: the resolved history and the classes."""

    history: History
    classes: ClassIndex


HER2_WORDS = {
    "positive": "HER2-positive",
    "low": "HER2-low",
    "ultralow": "HER2-ultralow",
    "zero": "HER2 0 (no HER2 staining)",
    "negative": "HER2-negative",
}
HER2_NEGATIVE = frozenset({"low", "ultralow", "zero"})
HER2_QUESTION = (
    "Is my cancer HER2-positive, HER2-low, HER2-ultralow or HER2 0? (The HER2 test on a "
    "sample of the cancer tells.)"
)
HER2_LOW_QUESTION = (
    "Is my cancer HER2-low? (Ask for the HER2 test score: 1+, or 2+ with a negative ISH "
    "test, is HER2-low; faint staining in up to 10 % of cells is HER2-ultralow; no "
    "staining is HER2 0.)"
)
STAGE_WORDS = {
    "early": "early",
    "locally_advanced": "locally advanced",
    "metastatic": "secondary (metastatic)",
}
RECEPTOR_WORDS = {"positive": "hormone receptor positive", "negative": "hormone receptor negative"}
SETTING_WORDS = {"neoadjuvant": "before surgery", "adjuvant": "after surgery"}


@dataclass(frozen=True)
class Flag:
    """A yes/no field in sentences: what the profile says, what the use is for."""

    have_yes: str
    have_no: str
    want_yes: str
    want_no: str
    unknown: str
    question: str


FLAGS: dict[str, Flag] = {
    "inflammatory": Flag(
        "your cancer is inflammatory breast cancer",
        "your cancer is not inflammatory breast cancer",
        "it is for inflammatory breast cancer",
        "it is for cancer that is not inflammatory breast cancer",
        "whether your cancer is inflammatory breast cancer is not known",
        "Is my cancer inflammatory breast cancer?",
    ),
    "nodes_positive": Flag(
        "your cancer has spread to the lymph nodes in your armpit",
        "your cancer has not spread to the lymph nodes",
        "it is for cancer that has spread to the lymph nodes in the armpit",
        "it is for cancer that has not spread to the lymph nodes",
        "whether your cancer has spread to the lymph nodes is not known",
        "Has my cancer spread to the lymph nodes in my armpit?",
    ),
    "high_recurrence_risk": Flag(
        "your cancer has a high risk of coming back",
        "your cancer does not have a high risk of coming back",
        "it is for cancer with a high risk of coming back",
        "it is for cancer without a high risk of coming back",
        "whether your cancer has a high risk of coming back is not known",
        "Is my cancer at high risk of coming back?",
    ),
    "residual_disease": Flag(
        "cancer was still found at your surgery after treatment before it",
        "no cancer was left at your surgery after treatment before it",
        "it is for people in whom cancer was still found at surgery after treatment before it",
        "it is for people in whom no cancer was left at surgery",
        "whether cancer was left at your surgery is not known",
        "Was any cancer left at surgery after my treatment before it (residual disease)?",
    ),
    "recurred": Flag(
        "your cancer has come back",
        "your cancer has not come back",
        "it is for cancer that has come back after earlier treatment",
        "it is for cancer that has not come back",
        "whether your cancer has come back is not known",
        "Has my cancer come back after earlier treatment?",
    ),
    "germline_brca": Flag(
        "you have an inherited BRCA1 or BRCA2 change",
        "you have no inherited BRCA change",
        "it is for people who have an inherited BRCA1 or BRCA2 change",
        "it is for people without an inherited BRCA change",
        "whether you have an inherited BRCA change is not known",
        "Do I have an inherited BRCA1 or BRCA2 change? (A genetic test on a blood sample tells.)",
    ),
    "pik3ca": Flag(
        "your cancer has a PIK3CA change",
        "your cancer has no PIK3CA change",
        "it is for cancers with a PIK3CA change (an AKT1 or PTEN change alone is not enough)",
        "it is for cancers without a PIK3CA change",
        "whether your cancer has a PIK3CA change is not known",
        "Does my cancer have a PIK3CA change? (A test on the cancer or a blood sample tells.)",
    ),
    "esr1": Flag(
        "your cancer has an ESR1 change",
        "your cancer has no ESR1 change",
        "it is for cancers with an ESR1 change",
        "it is for cancers without an ESR1 change",
        "whether your cancer has an ESR1 change is not known",
        "Does my cancer have an ESR1 change? (A blood test tells.)",
    ),
}
GENES = {"pik3ca": "PIK3CA", "akt1": "AKT1", "pten": "PTEN"}


def _listing(values: Sequence[str], words: Mapping[str, str]) -> str:
    return joined([words.get(v, v) for v in values], "or")


def combine(findings: list[Finding]) -> Verdict:
    """Unmet if any is, else unknown if any is, else met."""
    verdicts = {f.verdict for f in findings}
    if "unmet" in verdicts:
        return "unmet"
    return "unknown" if "unknown" in verdicts else "met"


def evaluate(criteria: Criteria, profile: Profile, context: Context) -> list[Finding]:
    """One finding per criterion given."""
    found: list[Finding] = []
    if criteria.her2 is not None:
        found.append(_her2(criteria.her2, profile))
    if criteria.hormone_receptor is not None:
        found.append(_receptor(criteria.hormone_receptor, profile))
    if criteria.stage is not None:
        found.append(_stage(criteria.stage, profile))
    if criteria.setting is not None:
        found.append(_setting(criteria.setting, profile))
    for name, flag in FLAGS.items():
        wanted = getattr(criteria, name)
        if wanted is not None:
            found.append(_flag(flag, wanted, getattr(profile, name)))
    if criteria.alteration_any is not None:
        found.append(_alteration(criteria.alteration_any, profile))
    if criteria.prior_her2_regimens_min is not None:
        rule = HistoryRule(rule="had", of="anti_her2", count=criteria.prior_her2_regimens_min)
        found.append(Finding(*judge(rule, context.history, context.classes)))
    for rule in criteria.history:
        if rule.only_with_history and context.history.treatments is None:
            continue
        found.append(Finding(*judge(rule, context.history, context.classes)))
    for prior in criteria.prior_drugs:
        found.append(_prior(prior, context.history))
    if criteria.pd_l1_cps_min is not None:
        found.append(_pd_l1(criteria.pd_l1_cps_min, profile))
    if criteria.any_of:
        found.append(_any_of(criteria.any_of, profile, context))
    return found


def _flag(flag: Flag, wanted: bool, have: bool | None) -> Finding:
    want = flag.want_yes if wanted else flag.want_no
    if have is None:
        return Finding("unknown", f"{want}; {flag.unknown}", flag.question)
    said = flag.have_yes if have else flag.have_no
    if have == wanted:
        return Finding("met", said)
    return Finding("unmet", f"{said}; {want}")


def _alteration(genes: Sequence[str], profile: Profile) -> Finding:
    names = joined([GENES[g] for g in genes], "or")
    want = f"it is for cancers with a {names} change"
    values = {g: getattr(profile, g) for g in genes}
    changed = [GENES[g] for g, v in values.items() if v]
    if changed:
        return Finding("met", f"your cancer has a{'n' if changed[0][0] == 'A' else ''} "
                       f"{changed[0]} change")  # fmt: skip
    if all(v is False for v in values.values()):
        return Finding("unmet", f"your cancer has no {names} change; {want}")
    open_ = [GENES[g] for g, v in values.items() if v is None]
    which = joined(open_, "or")
    return Finding(
        "unknown",
        f"{want}; whether yours has a {which} change is not known",
        f"Does my cancer have a {which} change? (A test on the cancer or a blood sample tells.)",
    )


def _her2_listing(allowed: Sequence[str]) -> str:
    shown = [a for a in allowed if a not in HER2_NEGATIVE]
    if set(allowed) >= HER2_NEGATIVE:
        shown.append("negative")
    else:
        shown += [a for a in allowed if a in HER2_NEGATIVE]
    return _listing(shown, HER2_WORDS)


def _her2(allowed: Sequence[str], profile: Profile) -> Finding:
    have = profile.her2_status
    wanted = _her2_listing(allowed)
    if have == "unknown":
        return Finding("unknown", f"it is for {wanted} cancer; your HER2 status is not known",
                       HER2_QUESTION)  # fmt: skip
    said = (
        "your cancer is triple negative, so it is HER2-negative"
        if profile.triple_negative and profile.her2 == "unknown"
        else f"your cancer is {HER2_WORDS[have]}"
    )
    if have == "negative":  # HER2-negative, score not given: low, ultralow or zero
        covered = HER2_NEGATIVE & set(allowed)
        if covered == HER2_NEGATIVE:
            return Finding("met", said)
        if not covered:
            return Finding("unmet", f"{said}; it is for {wanted} cancer")
        return Finding(
            "unknown",
            f"it is for {wanted} cancer; {said}, but whether it is HER2-low, HER2-ultralow or "
            "HER2 0 is not known",
            HER2_LOW_QUESTION,
        )
    if have in allowed:
        return Finding("met", said)
    return Finding("unmet", f"{said}; it is for {wanted} cancer")


def _receptor(allowed: Sequence[str], profile: Profile) -> Finding:
    return _choice(
        allowed,
        profile.hr,
        RECEPTOR_WORDS,
        "your hormone receptor status",
        "Is my cancer hormone receptor (oestrogen or progesterone receptor) positive? "
        "(Tests on the cancer cells tell.)",
    )


def _stage(allowed: Sequence[str], profile: Profile) -> Finding:
    return _choice(
        allowed,
        profile.stage,
        STAGE_WORDS,
        "the stage of your cancer",
        "Is my cancer early, locally advanced, or secondary (metastatic)?",
        "breast cancer",
    )


def _choice(
    allowed: Sequence[str],
    have: str | None,
    words: Mapping[str, str],
    what: str,
    question: str,
    noun: str = "cancer",
) -> Finding:
    """A criterion that is one of a few values (HER2, hormone receptor, stage)."""
    wanted = _listing(allowed, words)
    if have is None or have == "unknown":
        return Finding("unknown", f"it is for {wanted} {noun}; {what} is not known", question)
    if have in allowed:
        return Finding("met", f"your cancer is {words[have]}")
    return Finding("unmet", f"you said your cancer is {words[have]}; it is for {wanted} {noun}")


def _setting(allowed: Sequence[str], profile: Profile) -> Finding:
    wanted = _listing(allowed, SETTING_WORDS)
    if profile.stage == "metastatic":  # no surgery to be before or after
        return Finding("unmet", f"it is given {wanted} for early or locally advanced cancer; "
                       "your cancer is secondary (metastatic)")  # fmt: skip
    if profile.setting is None:
        return Finding(
            "unknown",
            f"it is given {wanted}; whether that is your situation is not known",
            "Is the treatment being planned for before or after my surgery?",
        )
    have = SETTING_WORDS[profile.setting]
    if profile.setting in allowed:
        return Finding("met", f"the treatment is {have}")
    return Finding("unmet", f"you asked about treatment {have}; it is given {wanted}")


def _prior(prior: PriorDrug, history: History) -> Finding:
    drug = prior.drug
    limit = ""
    if prior.within_months is not None:
        limit = f", finished within the last {prior.within_months:g} months"
    if history.treatments is None:
        return Finding(
            "unknown",
            f"it is for people who have had {drug}{limit}; your earlier treatment is not known",
            f"Have I had {drug}, and how long ago was my last treatment with it?",
        )
    had = [t for t in history.treatments if drug in t.drugs]
    if not had:
        return Finding("unmet", f"you have not had {drug} recorded; it is for people who have"
                       f"{limit}")  # fmt: skip
    months = [t.months for t in had if t.months is not None]
    if prior.within_months is None and prior.more_than_months is None:
        return Finding("met", f"you have had {drug}")
    if not months:
        return Finding(
            "unknown",
            f"it is for people who had {drug}{limit}; when you last had it is not known",
            f"How long ago was my last treatment with {drug}?",
        )
    last = min(months)
    ago = f"you last had {drug} {last:g} months ago"
    if prior.within_months is not None and last > prior.within_months:
        return Finding("unmet", f"{ago}; it is for people who had it within the last "
                       f"{prior.within_months:g} months")  # fmt: skip
    if prior.more_than_months is not None and last <= prior.more_than_months:
        return Finding("unmet", f"{ago}; it is for people whose last treatment was more than "
                       f"{prior.more_than_months:g} months ago")  # fmt: skip
    return Finding("met", ago)


def _pd_l1(minimum: float, profile: Profile) -> Finding:
    if profile.pd_l1_cps is None:
        return Finding(
            "unknown",
            f"it is for cancers with a PD-L1 score (CPS) of {minimum:g} or more; yours is not "
            "known",
            "What is my cancer's PD-L1 result as a combined positive score (CPS, 22C3 test)?",
        )
    if profile.pd_l1_cps >= minimum:
        return Finding("met", f"your PD-L1 score (CPS) is {profile.pd_l1_cps:g}")
    return Finding(
        "unmet",
        f"your PD-L1 score (CPS) is {profile.pd_l1_cps:g}; it is for a CPS of {minimum:g} or more",
    )


def _any_of(alternatives: list[Criteria], profile: Profile, context: Context) -> Finding:
    results = [evaluate(c, profile, context) for c in alternatives]
    verdicts = [combine(r) for r in results]
    if "met" in verdicts:
        met = results[verdicts.index("met")]
        return Finding("met", "; ".join(f.reason for f in met))
    if "unknown" in verdicts:
        unknown = [f for r, v in zip(results, verdicts, strict=True) if v == "unknown" for f in r]
        open_ = [f for f in unknown if f.verdict == "unknown"]
        return Finding(
            "unknown",
            "it is for one of several situations, and " + "; ".join(f.reason for f in open_[:2]),
            open_[0].question if open_ else None,
        )
    firsts = [next(f for f in r if f.verdict == "unmet") for r in results]
    return Finding("unmet", "none of the situations it is for applies to you: " + "; ".join(
        f.reason for f in firsts))  # fmt: skip
