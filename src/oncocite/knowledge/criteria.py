"""Criteria against a profile: met, not met or unknown, each with a reason in plain
words and, when unknown, the question that would settle it.

Unknown is never read as met: a drug for HER2-positive cancer is not offered to a
profile whose HER2 status is not known; it needs information, and the reason says
which test tells.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from oncocite.knowledge.schema import Criteria, PriorDrug
from oncocite.models import Profile

__all__ = ["Finding", "Verdict", "combine", "evaluate"]

Verdict = Literal["met", "unmet", "unknown"]


@dataclass(frozen=True)
class Finding:
    verdict: Verdict
    reason: str
    question: str | None = None


HER2_WORDS = {
    "positive": "HER2-positive",
    "low": "HER2-low",
    "ultralow": "HER2-ultralow",
    "negative": "HER2-negative (HER2 0)",
}
STAGE_WORDS = {
    "early": "early",
    "locally_advanced": "locally advanced",
    "metastatic": "secondary (metastatic)",
}
RECEPTOR_WORDS = {"positive": "hormone receptor positive", "negative": "hormone receptor negative"}
SETTING_WORDS = {"neoadjuvant": "before surgery", "adjuvant": "after surgery"}

# yes/no profile fields: (what true means, what false means, the question to ask)
FLAGS: dict[str, tuple[str, str, str]] = {
    "inflammatory": (
        "the cancer is inflammatory breast cancer",
        "the cancer is not inflammatory breast cancer",
        "Is my cancer inflammatory breast cancer?",
    ),
    "nodes_positive": (
        "the cancer has spread to lymph nodes in the armpit",
        "the cancer has not spread to the lymph nodes",
        "Has my cancer spread to the lymph nodes in my armpit?",
    ),
    "high_recurrence_risk": (
        "the cancer has a high risk of coming back",
        "the cancer does not have a high risk of coming back",
        "Is my cancer at high risk of coming back?",
    ),
    "residual_disease": (
        "cancer was found at surgery after treatment before it",
        "no cancer was left at surgery after treatment before it",
        "Was any cancer left at surgery after my treatment before it (residual disease)?",
    ),
    "recurred": (
        "the cancer has come back",
        "the cancer has not come back",
        "Has my cancer come back after earlier treatment?",
    ),
    "germline_brca": (
        "you have an inherited BRCA1 or BRCA2 change",
        "you have no inherited BRCA change",
        "Do I have an inherited BRCA1 or BRCA2 change? (A genetic test on a blood sample tells.)",
    ),
    "pik3ca": (
        "the cancer has a PIK3CA (or AKT1 or PTEN) change",
        "the cancer has no PIK3CA, AKT1 or PTEN change",
        "Does my cancer have a PIK3CA, AKT1 or PTEN change? (A test on the cancer or a "
        "blood sample tells.)",
    ),
    "esr1": (
        "the cancer has an ESR1 change",
        "the cancer has no ESR1 change",
        "Does my cancer have an ESR1 change? (A blood test tells.)",
    ),
}


def _listing(values: Sequence[str], words: Mapping[str, str]) -> str:
    shown = [words.get(v, v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def combine(findings: list[Finding]) -> Verdict:
    """Unmet if any is, else unknown if any is, else met."""
    verdicts = {f.verdict for f in findings}
    if "unmet" in verdicts:
        return "unmet"
    return "unknown" if "unknown" in verdicts else "met"


def evaluate(criteria: Criteria, profile: Profile, generic: Callable[[str], str]) -> list[Finding]:
    """One finding per criterion given; `generic` maps a drug or brand to its
    generic name, so "Herceptin" in the profile counts as trastuzumab."""
    found: list[Finding] = []
    if criteria.her2 is not None:
        found.append(_her2(criteria.her2, profile))
    if criteria.hormone_receptor is not None:
        found.append(_receptor(criteria.hormone_receptor, profile))
    if criteria.stage is not None:
        found.append(_stage(criteria.stage, profile))
    if criteria.setting is not None:
        found.append(_setting(criteria.setting, profile))
    for name, (yes, no, question) in FLAGS.items():
        wanted = getattr(criteria, name)
        if wanted is None:
            continue
        have = getattr(profile, name)
        if have is None:
            need = yes if wanted else no
            found.append(Finding("unknown", f"it is for people where {need}", question))
        elif have == wanted:
            found.append(Finding("met", yes if have else no))
        else:
            found.append(
                Finding("unmet", f"you said {yes if have else no}; it is for people where "
                        f"{yes if wanted else no}")
            )  # fmt: skip
    if criteria.prior_her2_regimens_min is not None:
        found.append(_regimens(criteria.prior_her2_regimens_min, profile))
    for prior in criteria.prior_drugs:
        found.append(_prior(prior, profile, generic))
    if criteria.pd_l1_cps_min is not None:
        found.append(_pd_l1(criteria.pd_l1_cps_min, profile))
    if criteria.any_of:
        found.append(_any_of(criteria.any_of, profile, generic))
    return found


def _her2(allowed: Sequence[str], profile: Profile) -> Finding:
    if profile.triple_negative and profile.her2 == "unknown":  # negative, but maybe HER2-low
        wanted = _listing(allowed, HER2_WORDS)
        if "negative" in allowed:
            return Finding("met", "your cancer is triple negative, so HER2-negative")
        return Finding(
            "unmet", f"you said your cancer is triple negative; it is for {wanted} cancer"
        )
    return _choice(
        allowed,
        profile.her2_status,
        HER2_WORDS,
        "your HER2 status",
        "Is my cancer HER2-positive, HER2-low or HER2-negative? (A HER2 test on a sample of "
        "the cancer tells.)",
    )


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
        return Finding("unknown", f"{what} is not known; it is for {wanted} {noun}", question)
    if have in allowed:
        return Finding("met", f"your cancer is {words[have]}")
    return Finding("unmet", f"you said your cancer is {words[have]}; it is for {wanted} {noun}")


def _setting(allowed: Sequence[str], profile: Profile) -> Finding:
    wanted = _listing(allowed, SETTING_WORDS)
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


def _regimens(minimum: int, profile: Profile) -> Finding:
    have = profile.prior_her2_regimens
    wanted = f"after {minimum} or more earlier treatments for HER2-positive breast cancer"
    if have is None:
        return Finding(
            "unknown",
            f"it is {wanted}; how many you have had is not known",
            "How many treatments for HER2-positive breast cancer have I had?",
        )
    had = f"{have} earlier treatment{'s' if have != 1 else ''} for HER2-positive cancer"
    if have >= minimum:
        return Finding("met", f"you have had {had}")
    return Finding("unmet", f"you have had {had}; it is {wanted}")


def _prior(prior: PriorDrug, profile: Profile, generic: Callable[[str], str]) -> Finding:
    drug = prior.drug
    limit = ""
    if prior.within_months is not None:
        limit = f", finished within the last {prior.within_months:g} months"
    if profile.prior_treatments is None:
        return Finding(
            "unknown",
            f"it is for people who have had {drug}{limit}; your earlier treatment is not known",
            f"Have I had {drug}, and how long ago was my last treatment with it?",
        )
    had = [p for p in profile.prior_treatments if generic(p.drug) == generic(drug)]
    if not had:
        return Finding("unmet", f"you have not had {drug}; it is for people who have{limit}")
    months = [p.months_since_last for p in had if p.months_since_last is not None]
    if prior.within_months is None and prior.more_than_months is None:
        return Finding("met", f"you have had {drug}")
    if not months:
        return Finding(
            "unknown",
            f"when you last had {drug} is not known; it is for people who had it{limit}",
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


def _any_of(
    alternatives: list[Criteria], profile: Profile, generic: Callable[[str], str]
) -> Finding:
    results = [evaluate(c, profile, generic) for c in alternatives]
    verdicts = [combine(r) for r in results]
    if "met" in verdicts:
        met = results[verdicts.index("met")]
        return Finding("met", "; ".join(f.reason for f in met))
    if "unknown" in verdicts:
        unknown = [f for r, v in zip(results, verdicts, strict=True) if v == "unknown" for f in r]
        open_ = [f for f in unknown if f.verdict == "unknown"]
        return Finding(
            "unknown",
            "it is for one of several situations; " + "; ".join(f.reason for f in open_[:2]),
            open_[0].question if open_ else None,
        )
    firsts = [next(f for f in r if f.verdict == "unmet") for r in results]
    return Finding("unmet", "none of the situations it is for applies: " + "; ".join(
        f.reason for f in firsts))  # fmt: skip
