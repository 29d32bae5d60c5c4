"""A profile against the knowledge base: for every option, matches, does not match
or needs information, with reasons built from the criteria and their citations.

Regions: a use the sources describe for one region only counts for a profile of
that region. When the region is unknown, an option matches only if it matches in
both; if it matches in one, it needs information (where you are treated) and the
reasons say what differs and where. Draft facts are flagged, never shown as settled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from oncocite.knowledge.criteria import Context, Finding, combine, evaluate
from oncocite.knowledge.drugs import DrugVocabulary, shipped_drugs
from oncocite.knowledge.history import ClassIndex, read_history, summary
from oncocite.knowledge.schema import KnowledgeBase, KnowledgeOption, Ref, Use
from oncocite.models import FactCitation, OptionResult, OptionsReport, OptionStatus, Profile

__all__ = ["REMINDER", "Resolver", "match_options"]

REMINDER = (
    "This lists what the sources describe for a profile like yours; it is not advice. "
    "Your care team decides your treatment with you, knowing things this cannot."
)
REGION_WORDS = {"uk": "the UK", "us": "the US"}
REGION_QUESTION = (
    "Where will I be treated? UK and US sources describe this drug for different situations."
)

Resolver = Callable[[Ref], FactCitation]


@dataclass(frozen=True)
class _Judged:
    use: Use
    findings: list[Finding]

    @property
    def verdict(self) -> str:
        return combine(self.findings)


def match_options(
    profile: Profile,
    knowledge: KnowledgeBase,
    resolve: Resolver,
    vocabulary: DrugVocabulary | None = None,
) -> OptionsReport:
    """Every option of `knowledge` for `profile`; `resolve` turns a citation of the
    knowledge base into a citation a reader can follow (quote offsets, source).
    Treatment-history names resolve through `vocabulary` (default: the shipped one);
    an unknown name raises UnknownDrug with the nearest known names."""
    drugs = shipped_drugs() if vocabulary is None else vocabulary
    classes = ClassIndex(knowledge.drug_classes)
    history = read_history(profile, drugs, classes)
    context = Context(history, classes)
    results = [_option(option, profile, context, drugs, resolve) for option in knowledge.options]
    order: dict[OptionStatus, int] = {"matches": 0, "needs_information": 1, "does_not_match": 2}
    results.sort(key=lambda r: (order[r.status], r.name.lower()))
    questions: list[str] = []
    for result in results:
        for question in result.questions:
            if question not in questions:
                questions.append(question)
    # "as of" the newest decision the options it offers or asks about rest on
    dates = [r.as_of for r in results if r.as_of is not None and r.status != "does_not_match"]
    return OptionsReport(
        profile=profile,
        history=summary(history),
        reminder=REMINDER,
        options=results,
        questions=questions,
        as_of=max(dates) if dates else None,
    )


def _option(
    option: KnowledgeOption,
    profile: Profile,
    context: Context,
    drugs: DrugVocabulary,
    resolve: Resolver,
) -> OptionResult:
    about = [fact.text for fact in option.about]
    refs: list[Ref] = [ref for fact in option.about for ref in fact.cite]
    base = {
        "id": option.id,
        "name": option.name,
        "drugs": option.drugs,
        "brands": _brands(option, drugs),
        "drug_class": option.drug_class,
        "about": about,
    }
    if option.not_an_option is not None and not option.uses:
        refs += option.not_an_option.cite
        return OptionResult(
            **base,
            status="does_not_match",
            reasons=[_sentence(option.not_an_option.text)],
            brief=_sentence(option.not_an_option.text),
            draft=option.not_an_option.status == "draft",
            as_of=option.not_an_option.as_of,
            citations=_citations(refs, resolve),
        )
    judged = [_Judged(use, evaluate(use.criteria, profile, context)) for use in option.uses]
    status, reasons, questions, shown = _decide(judged, profile)
    reasons = [_sentence(r) for r in reasons]
    refs += [ref for j in shown for ref in j.use.cite]
    dates = [j.use.as_of for j in shown if j.use.as_of is not None]
    draft = bool(shown) and all(j.use.status == "draft" for j in shown)
    if draft:
        reasons.append("This rests on recent decisions a reviewer has not yet confirmed (draft).")
    return OptionResult(
        **base,
        status=status,
        reasons=reasons,
        brief=_brief(status, reasons, shown, profile),
        questions=questions,
        draft=draft,
        as_of=max(dates) if dates else None,
        citations=_citations(refs, resolve),
    )


def _decide(
    judged: list[_Judged], profile: Profile
) -> tuple[OptionStatus, list[str], list[str], list[_Judged]]:
    """The option's status from its uses, the reasons and questions to show, and
    the uses they come from."""
    region = profile.region
    here = [j for j in judged if region == "unknown" or region in j.use.regions]
    elsewhere = [j for j in judged if j not in here]
    met = [j for j in here if j.verdict == "met"]
    if region == "unknown":
        everywhere = [j for j in met if {"uk", "us"} <= set(j.use.regions)]
        regions_met = {r for j in met for r in j.use.regions}
        if everywhere or regions_met >= {"uk", "us"}:
            return "matches", _met_reasons(met), [], met
        if met:
            reasons = [
                f"{_use_line(j.use)}: the sources of {_regions(j.use)} describe this for you "
                "(" + "; ".join(f.reason for f in j.findings if f.verdict == "met") + ")"
                for j in met
            ]
            missing = {"uk", "us"} - regions_met
            others = [j for j in judged if set(j.use.regions) & missing]
            reasons += [f"in {_place(missing)}: {_why_not(j)}" for j in others[:2]]
            if not others:
                reasons.append(f"sources of {_place(missing)} do not describe this use")
            return "needs_information", reasons, [REGION_QUESTION], met + others[:2]
    elif met:
        reasons = _met_reasons(met)
        for j in elsewhere:
            if j.verdict == "met":
                reasons.append(f"also, in {_regions(j.use)}: {_use_line(j.use)}")
        return "matches", reasons, [], met
    open_ = [j for j in here if j.verdict == "unknown"]
    if open_:
        reasons, questions = [], []
        for j in open_:
            unknown = [f for f in j.findings if f.verdict == "unknown"]
            reasons.append(f"{_use_line(j.use)}: " + "; ".join(f.reason for f in unknown))
            questions += [f.question for f in unknown if f.question and f.question not in questions]
        return "needs_information", reasons, questions, open_
    reasons = [f"{_use_line(j.use)}: {_why_not(j)}" for j in here]
    if region != "unknown":
        reasons += [
            f"in {_regions(j.use)} only: {_use_line(j.use)}"
            for j in elsewhere
            if j.verdict == "met"
        ]
    if not here:
        reasons.append(f"the sources describe no use of it in {REGION_WORDS[region]}")
    return "does_not_match", reasons, [], here or judged


def _brief(status: OptionStatus, reasons: list[str], shown: list[_Judged], profile: Profile) -> str:
    """One sentence: for an option that does not match, a criterion it fails in the use
    it came closest to (or the region it is not described in); else the first reason."""
    if status == "does_not_match":
        if profile.region != "unknown" and not any(profile.region in j.use.regions for j in shown):
            return _sentence(f"the sources describe no use of it in {REGION_WORDS[profile.region]}")

        def distance(j: _Judged) -> tuple[int, int]:  # the use that came closest
            verdicts = [f.verdict for f in j.findings]
            return verdicts.count("unmet"), -verdicts.count("met")

        for j in sorted(shown, key=distance):
            for finding in j.findings:
                if finding.verdict == "unmet":
                    return _sentence(finding.reason)
    return reasons[0] if reasons else ""


def _brands(option: KnowledgeOption, drugs: DrugVocabulary) -> list[str]:
    """Other names of the option's (first) drug, from the one drug vocabulary."""
    return drugs.brands(option.drugs[0])


def _sentence(text: str) -> str:
    """A reason as a sentence: a capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


def _met_reasons(met: list[_Judged]) -> list[str]:
    reasons = []
    for j in met:
        why = "; ".join(dict.fromkeys(f.reason for f in j.findings if f.verdict == "met"))
        partners = f" (with {', '.join(j.use.with_)})" if j.use.with_ else ""
        line = f"{_use_line(j.use)}{partners}: {why}" if why else _use_line(j.use)
        if j.use.status == "draft":  # beside a settled use, a draft one is still marked
            line += " (draft: not yet confirmed by a reviewer)"
        reasons.append(line)
    return reasons


def _why_not(j: _Judged) -> str:
    unmet = [f.reason for f in j.findings if f.verdict == "unmet"]
    unknown = [f.reason for f in j.findings if f.verdict == "unknown"]
    return "; ".join(unmet[:2] or unknown[:2]) or "its criteria are met"


def _use_line(use: Use) -> str:
    return use.summary[:1].upper() + use.summary[1:]


def _regions(use: Use) -> str:
    return _place(set(use.regions))


def _place(regions: set[str]) -> str:
    return " and ".join(REGION_WORDS[r] for r in sorted(regions))


def _citations(refs: list[Ref], resolve: Resolver) -> list[FactCitation]:
    seen: set[Ref] = set()
    out: list[FactCitation] = []
    for ref in refs:
        if ref not in seen:
            seen.add(ref)
            out.append(resolve(ref))
    return out
