"""A patient's treatment history, read through the one drug vocabulary and the
knowledge base's drug classes, and the line-of-treatment criteria over it.

Each history entry names a drug, brand or class word, or several given together
("letrozole + palbociclib"); each name resolves through `knowledge.drugs` or the
profile is refused with the nearest known names. Criteria then ask questions of the
history in data ("after two or more chemotherapies for advanced cancer", "not after
the cancer grew on a CDK4/6 inhibitor"), and answer met, unmet or unknown with the
reason in plain words. Unknown is never read as met: a history that is not given, a
treatment whose setting or outcome is not given, leaves the criterion open and the
question says what would settle it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from oncocite.knowledge.drugs import DrugVocabulary, UnknownDrug
from oncocite.knowledge.schema import DrugClass, HistoryRule
from oncocite.knowledge.wording import joined
from oncocite.models import HistoryEntry, HistorySummary, Profile
from oncocite.models.options import GivenFor

__all__ = ["ClassIndex", "History", "Treatment", "read_history", "summary"]

HER2_CLASS = "anti_her2"
_SPLIT = re.compile(r"\s*(?:\+|,|;|&|\band\b|\bwith\b|\bplus\b|\bthen\b)\s*", re.IGNORECASE)


class ClassIndex:
    """The drug classes of the knowledge base: which drugs each holds, transitively."""

    def __init__(self, classes: Iterable[DrugClass]) -> None:
        self.classes = {c.id: c for c in classes}
        self._drugs = {c: self._collect(c, set()) for c in self.classes}
        self._within = {
            c: frozenset(o for o in self.classes if c in self._subclasses(o, set()))
            for c in self.classes
        }
        self.terms = {c.term: c.id for c in self.classes.values() if c.term}

    def _collect(self, class_id: str, seen: set[str]) -> frozenset[str]:
        seen.add(class_id)
        entry = self.classes[class_id]
        drugs = set(entry.drugs)
        for inner in entry.includes:
            if inner not in seen:
                drugs |= self._collect(inner, seen)
        return frozenset(drugs)

    def _subclasses(self, class_id: str, seen: set[str]) -> set[str]:
        seen.add(class_id)
        found = {class_id}
        for inner in self.classes[class_id].includes:
            if inner not in seen:
                found |= self._subclasses(inner, seen)
        return found

    def drugs(self, class_id: str) -> frozenset[str]:
        return self._drugs.get(class_id, frozenset())

    def of_drug(self, drug: str) -> set[str]:
        return {c for c, drugs in self._drugs.items() if drug in drugs}

    def of_class(self, class_id: str) -> set[str]:
        """The class itself and every class that includes it."""
        return set(self._within.get(class_id, frozenset()))

    def words(self, of: str) -> str:
        """How a criterion's `of` reads: "a CDK4/6 inhibitor", or the drug's name."""
        entry = self.classes.get(of)
        return entry.words if entry is not None else of

    def bare(self, of: str) -> str:
        """The words without their article: "CDK4/6 inhibitor"."""
        return re.sub(r"^(a|an|any)\s+", "", self.words(of))


@dataclass(frozen=True)
class Treatment:
    """One history entry, resolved."""

    index: int
    given: str
    drugs: tuple[str, ...]
    unnamed: tuple[str, ...]  # class words, as the vocabulary writes them ("chemotherapy")
    classes: frozenset[str]
    setting: GivenFor | None
    progressed: bool | None
    months: float | None

    @property
    def words(self) -> str:
        return joined([*self.drugs, *self.unnamed])


@dataclass(frozen=True)
class History:
    """The resolved history (None: not given) and the HER2 count a profile may state."""

    treatments: tuple[Treatment, ...] | None
    her2_count: int | None = None


def read_history(profile: Profile, vocabulary: DrugVocabulary, classes: ClassIndex) -> History:
    """Every entry of `profile.prior_treatments` resolved; unknown names raise
    UnknownDrug naming the entry and the nearest known names."""
    if profile.prior_treatments is None:
        return History(None, profile.prior_her2_regimens)
    treatments = []
    for i, entry in enumerate(profile.prior_treatments):
        where = f"prior_treatments[{i}].drug"
        drugs: list[str] = []
        unnamed: list[str] = []
        for name in _names(entry.drug, vocabulary, where, classes):
            resolved = vocabulary.resolve(name, where, classes.terms)
            drugs += [d for d in resolved.drugs if d not in drugs]
            if resolved.unnamed is not None and resolved.unnamed not in unnamed:
                unnamed.append(resolved.unnamed)
        found: set[str] = set()
        for drug in drugs:
            found |= classes.of_drug(drug)
        for term in unnamed:
            found |= classes.of_class(classes.terms[term])
        treatments.append(
            Treatment(
                index=i,
                given=entry.drug,
                drugs=tuple(drugs),
                unnamed=tuple(unnamed),
                classes=frozenset(found),
                setting=entry.setting,
                progressed=entry.progressed,
                months=entry.months_since_last,
            )
        )
    return History(tuple(treatments), profile.prior_her2_regimens)


def _names(text: str, vocabulary: DrugVocabulary, where: str, classes: ClassIndex) -> list[str]:
    """The names in one entry: the whole text when it is one name (Phesgo's generic
    name holds a comma and "and"), else its parts."""
    try:
        vocabulary.resolve(text, where, classes.terms)
        return [text]
    except UnknownDrug:
        parts = [p for p in _SPLIT.split(text) if p.strip()]
        if len(parts) <= 1:
            raise
        return parts


def summary(history: History) -> HistorySummary | None:
    """The history as the report shows it, with the counts criteria use."""
    if history.treatments is None:
        return None
    t = history.treatments
    return HistorySummary(
        entries=[
            HistoryEntry(
                given=x.given,
                drugs=[*x.drugs, *(f"{u} (drug not named)" for u in x.unnamed)],
                classes=sorted(x.classes),
                setting=x.setting,
                progressed=x.progressed,
            )
            for x in t
        ],
        her2_treatments=(
            history.her2_count
            if history.her2_count is not None
            else sum(HER2_CLASS in x.classes for x in t)
        ),
        advanced_treatments=sum(x.setting == "advanced" for x in t),
        advanced_chemotherapies=sum(
            x.setting == "advanced" and "chemotherapy" in x.classes for x in t
        ),
        hormone_therapies=sum("hormone_therapy" in x.classes for x in t),
        setting_unknown=sum(x.setting is None for x in t),
    )


# ------------------------------------------------------------------- criteria

Verdict = Literal["met", "unmet", "unknown"]
Judged = tuple[Verdict, str, str | None]  # verdict, reason, question


def judge(rule: HistoryRule, history: History, classes: ClassIndex) -> Judged:
    """One history rule against the history."""
    if rule.rule == "first_treatment":
        return _first(history, classes)
    if rule.rule == "had":
        return _had(rule, history, classes)
    if rule.rule == "not_had":
        return _not_had(rule, history, classes)
    if rule.rule == "progressed_on":
        return _progressed(rule, history, classes)
    return _not_progressed(rule, history, classes)


def _in(t: Treatment, of: str) -> bool:
    return of in t.classes or of in t.drugs


def _when(t: Treatment, setting: str) -> bool | None:
    """Whether a treatment was given in `setting`; None when its setting is not given."""
    if setting == "any":
        return True
    if t.setting is None:
        return None
    if setting == "advanced":
        return t.setting == "advanced"
    return t.setting in ("neoadjuvant", "adjuvant")


def _unknown_history(wanted: str, question: str) -> Judged:
    """A criterion on earlier treatment when no history was given: never read as
    "no treatment", but as a question to ask."""
    return "unknown", f"{wanted}; your earlier treatment is not known", question


def _matching(
    history: History, rule: HistoryRule
) -> tuple[list[Treatment], list[Treatment], list[Treatment]]:
    """The treatments of `rule`'s drug or class; those known to be in its setting;
    those whose setting is not known."""
    matching = [t for t in history.treatments or () if _in(t, rule.of)]
    sure = [t for t in matching if _when(t, rule.setting)]
    maybe = [t for t in matching if _when(t, rule.setting) is None]
    return matching, sure, maybe


def _where(setting: str) -> str:
    return {"advanced": " for advanced cancer", "early": " before or after surgery"}.get(
        setting, ""
    )


def _count(n: int, what: str) -> str:
    words = {1: "one", 2: "two", 3: "three"}
    return f"{words.get(n, str(n))} or more {what}"


def _plural(classes: ClassIndex, of: str) -> str:
    entry = classes.classes.get(of)
    if entry is not None and entry.plural:
        return entry.plural
    bare = classes.bare(of)
    if bare.endswith("therapy"):
        return bare[: -len("therapy")] + "therapies"
    if bare.endswith("y"):
        return bare[:-1] + "ies"
    return bare if bare.endswith("s") else bare + "s"


def _listed(ts: Sequence[Treatment]) -> str:
    """Treatments in the order given: "trastuzumab and docetaxel, then eribulin"."""
    return ", then ".join(t.words for t in ts)


def _setting_question(ts: Sequence[Treatment]) -> str:
    return (
        f"Was my treatment with {_listed(ts)} given before surgery, after surgery, or for "
        "advanced (secondary) cancer?"
    )


def _first(history: History, classes: ClassIndex) -> Judged:
    wanted = "the sources describe it as a first treatment for advanced cancer"
    if history.treatments is None:
        return (
            "unknown",
            f"{wanted}; whether you have had treatment for advanced cancer is not known",
            "Have I already had any drug treatment for the advanced (secondary) cancer?",
        )
    given = [t for t in history.treatments if "systemic_therapy" in t.classes]
    done = [t for t in given if t.setting == "advanced"]
    if done:
        return "unmet", f"you have already had {_listed(done)} for advanced cancer; {wanted}", None
    open_ = [t for t in given if t.setting is None]
    if open_:
        return (
            "unknown",
            f"{wanted}; whether {_listed(open_)} was for advanced cancer is not known",
            _setting_question(open_),
        )
    return "met", "you have had no treatment for advanced cancer recorded", None


def _had(rule: HistoryRule, history: History, classes: ClassIndex) -> Judged:
    what = (
        classes.words(rule.of) if rule.count == 1 else _count(rule.count, _plural(classes, rule.of))
    )
    wanted = f"the sources describe it after {what}{_where(rule.setting)}"
    # A stated number of HER2 treatments answers a rule, except one that names a
    # setting when the history itself says where each was given: a count cannot.
    listed = rule.setting is not None and bool(history.treatments)
    if rule.of == HER2_CLASS and history.her2_count is not None and not listed:
        stated = history.her2_count
        plural = "s" if stated != 1 else ""
        had = f"you have had {stated} earlier treatment{plural} for HER2-positive cancer"
        if stated >= rule.count:
            return "met", had, None
        return "unmet", f"{had}; {wanted}", None
    if history.treatments is None:
        question = (
            f"How many {_plural(classes, rule.of)} have I had{_where(rule.setting)}?"
            if rule.count > 1 or rule.of == HER2_CLASS
            else f"Have I had {classes.words(rule.of)}{_where(rule.setting)}?"
        )
        return _unknown_history(wanted, question)
    matching, sure, maybe = _matching(history, rule)
    if len(sure) >= rule.count:
        return "met", f"you have had {_listed(sure)}{_where(rule.setting)}", None
    if len(sure) + len(maybe) >= rule.count:
        return (
            "unknown",
            f"{wanted}; whether {_listed(maybe)} was{_where(rule.setting)} is not known",
            _setting_question(maybe),
        )
    if sure:
        n = {1: "one"}.get(len(sure), str(len(sure)))
        record = f"you have had {n} recorded ({_listed(sure)})"
    elif matching:
        record = f"you have had {_listed(matching)}, but not{_where(rule.setting)}"
    else:
        record = "you have had none recorded"
    return "unmet", f"{wanted}; {record}", None


def _not_had(rule: HistoryRule, history: History, classes: ClassIndex) -> Judged:
    what = classes.words(rule.of)
    wanted = f"the sources describe it before {what}{_where(rule.setting)}"
    if history.treatments is None:
        return _unknown_history(wanted, f"Have I had {what}{_where(rule.setting)}?")
    _, sure, maybe = _matching(history, rule)
    if sure:
        return (
            "unmet",
            f"you have already had {_listed(sure)}{_where(rule.setting)}; {wanted}",
            None,
        )
    if maybe:
        return (
            "unknown",
            f"{wanted}; whether {_listed(maybe)} was{_where(rule.setting)} is not known",
            _setting_question(maybe),
        )
    return "met", f"you have had no {classes.bare(rule.of)}{_where(rule.setting)} recorded", None


def _not_progressed(rule: HistoryRule, history: History, classes: ClassIndex) -> Judged:
    what = classes.words(rule.of)
    wanted = f"the sources describe it for cancer that has not grown during {what}"
    if history.treatments is None:
        return _unknown_history(
            wanted,
            f"Have I had {what} ({joined(sorted(classes.drugs(rule.of)), 'or')}), and did my "
            "cancer grow while I was having it?",
        )
    matching = [t for t in history.treatments if _in(t, rule.of)]
    grew = [t for t in matching if t.progressed]
    if grew:
        return "unmet", f"your cancer grew during {_listed(grew)}; {wanted}", None
    open_ = [t for t in matching if t.progressed is None]
    if open_:
        return (
            "unknown",
            f"{wanted}; whether your cancer grew during {_listed(open_)} is not known",
            f"Did my cancer grow while I was having {_listed(open_)}?",
        )
    if matching:
        return "met", f"your cancer did not grow during {_listed(matching)}", None
    if rule.of in classes.classes:
        return "met", f"you have had no {classes.bare(rule.of)} recorded", None
    return "met", f"you have not had {rule.of} before", None


def _progressed(rule: HistoryRule, history: History, classes: ClassIndex) -> Judged:
    what = f"{classes.words(rule.of)}{_where(rule.setting)}"
    wanted = f"the sources describe it for cancer that grew or came back during {what}"
    if history.treatments is None:
        return _unknown_history(
            wanted, f"Did my cancer grow or come back while I was having {what}, or soon after?"
        )
    matching, sure, _ = _matching(history, rule)
    grew = [t for t in sure if t.progressed]
    if grew:
        return "met", f"your cancer grew or came back during {_listed(grew)}", None
    open_ = [t for t in sure if t.progressed is None]
    open_ += [t for t in matching if _when(t, rule.setting) is None and t.progressed is not False]
    if open_:
        return (
            "unknown",
            f"{wanted}; whether it did during {_listed(open_)} is not known",
            f"Did my cancer grow or come back while I was having {_listed(open_)}, or soon "
            "after? And was it given before surgery, after surgery, or for advanced cancer?",
        )
    if matching:
        return "unmet", f"{wanted}; it did not during {_listed(matching)}", None
    return (
        "unmet",
        f"{wanted}; you have had no {classes.bare(rule.of)}{_where(rule.setting)} recorded",
        None,
    )
