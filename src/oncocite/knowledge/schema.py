"""The schema of the knowledge base files (`knowledge/data/*.yaml`), validated at load.

The seeds are a decision table written as prose; this is that table made explicit.
One entry per option (a drug or regimen) holds what it is in our own words and the
*uses* the sources describe: each use a setting with structured criteria over the
profile fields, the regions whose sources describe it, and citations. Every
statement carries a citation: a verbatim quote of a stored document (checked by
`oncocite knowledge check`) or a named public source listed in the file. A fact a
reviewer has not confirmed is `draft`, and is shown as such.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Criteria",
    "DrugClass",
    "Fact",
    "HistoryRule",
    "KnowledgeBase",
    "KnowledgeOption",
    "PriorDrug",
    "PublicSource",
    "QuoteRef",
    "SourceRef",
    "Use",
]

# HER2-negative is low, ultralow and zero together: a criterion lists the ones it is for
Her2Value = Literal["positive", "low", "ultralow", "zero"]
Alteration = Literal["pik3ca", "akt1", "pten"]
ReceptorValue = Literal["positive", "negative"]
StageValue = Literal["early", "locally_advanced", "metastatic"]
SettingValue = Literal["neoadjuvant", "adjuvant"]
RegionValue = Literal["uk", "us"]
FactStatus = Literal["settled", "draft"]


def _both_regions() -> list[RegionValue]:
    return ["uk", "us"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class QuoteRef(_Strict):
    """A sentence of a stored document, cited by where it stands in the document's
    stored text (`at`, `chars`) and a digest of its exact words (`sha`: the first 16
    hex digits of its UTF-8 SHA-256). The file holds no copy of the sentence (the
    Cancer Research UK page is all rights reserved): a reader sees it read from the
    stored document under its licence, and the digest finds it again if the text
    around it moves, or shows that the source no longer says it."""

    doc: str = Field(min_length=1)
    at: int = Field(ge=0)
    chars: int = Field(ge=10, le=400)
    sha: str = Field(pattern=r"^[0-9a-f]{16}$")


class SourceRef(_Strict):
    """A named public source of the file's `sources`."""

    source: str = Field(min_length=1)


class PublicSource(_Strict):
    """A public page or decision cited for facts beyond the stored documents."""

    title: str
    publisher: str
    url: str = Field(pattern=r"^https://")
    date: dt.date = Field(description="of the page or decision")


Ref = QuoteRef | SourceRef


class Fact(_Strict):
    """A statement in our own words and where the sources say it."""

    text: str = Field(min_length=5, max_length=600)
    cite: list[Ref] = Field(min_length=1)
    status: FactStatus = "settled"
    as_of: dt.date | None = None


class PriorDrug(_Strict):
    """A drug the patient must have had (within `within_months`, when given)."""

    drug: str
    within_months: float | None = Field(default=None, gt=0)
    more_than_months: float | None = Field(default=None, gt=0)


class HistoryRule(_Strict):
    """A criterion over the treatment history, a line of treatment in data.

    - `first_treatment`: no earlier treatment for advanced cancer ("as a first treatment");
    - `had`: at least `count` treatments with a drug `of` the class (or the drug) in
      `setting` ("after a CDK4/6 inhibitor", "after two or more chemotherapies");
    - `not_had`: none with a drug `of` the class ("before chemotherapy");
    - `not_progressed_on`: the cancer did not grow on a drug `of` the class ("not after
      progression on the same class");
    - `progressed_on`: the cancer grew or came back during (or soon after) a drug `of`
      the class in `setting` ("came back during hormone therapy after surgery").
    `of` names a drug class of `drug_classes` or a generic name of the drug vocabulary.
    """

    rule: Literal["first_treatment", "had", "not_had", "not_progressed_on", "progressed_on"]
    of: str = "systemic_therapy"
    setting: Literal["advanced", "early", "any"] = "any"
    count: int = Field(default=1, ge=1, le=10)
    only_with_history: bool = Field(
        default=False,
        description="judged only when a history is given: the option's own drug, which a "
        "profile without a history is not asked about",
    )


class Criteria(_Strict):
    """Conditions over the profile; all that are given must hold.

    `any_of` holds alternatives, one of which must hold ("early and at high risk of
    coming back, or locally advanced, or inflammatory").
    """

    her2: list[Her2Value] | None = None
    hormone_receptor: list[ReceptorValue] | None = None
    stage: list[StageValue] | None = None
    setting: list[SettingValue] | None = None
    inflammatory: bool | None = None
    nodes_positive: bool | None = None
    high_recurrence_risk: bool | None = None
    residual_disease: bool | None = None
    recurred: bool | None = None
    prior_her2_regimens_min: int | None = Field(default=None, ge=1)
    prior_drugs: list[PriorDrug] = Field(default_factory=list)
    germline_brca: bool | None = None
    pik3ca: bool | None = None
    alteration_any: list[Alteration] | None = Field(
        default=None, description="a change in one of these genes (capivasertib: any of three)"
    )
    history: list[HistoryRule] = Field(default_factory=list)
    esr1: bool | None = None
    pd_l1_cps_min: float | None = Field(default=None, gt=0)
    any_of: list[Criteria] = Field(default_factory=list)


class Use(_Strict):
    """One situation a source describes the option for."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    summary: str = Field(min_length=5, description="in our own words")
    regions: list[RegionValue] = Field(default_factory=_both_regions, min_length=1)
    with_: list[str] = Field(default_factory=list, alias="with")
    criteria: Criteria
    cite: list[Ref] = Field(min_length=1)
    status: FactStatus = "settled"
    as_of: dt.date | None = None


class KnowledgeOption(_Strict):
    """A drug or regimen, what it is, and the uses the sources describe."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    drugs: list[str] = Field(min_length=1, description="generic names of the drug vocabulary")
    drug_class: str
    target: str | None = None
    about: list[Fact] = Field(min_length=1, description="what it is, how it works, side effects")
    uses: list[Use] = Field(default_factory=list)
    not_an_option: Fact | None = Field(
        default=None, description="why it is listed but never offered (withdrawn, in trials)"
    )


class DrugClass(_Strict):
    """A class of drugs that criteria name ("a CDK4/6 inhibitor"); its drugs are
    generic names of the drug vocabulary, and `includes` names smaller classes in it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    words: str = Field(min_length=3, description="as a criterion names it: a CDK4/6 inhibitor")
    plural: str | None = Field(default=None, description="of treatments: chemotherapies")
    term: str | None = Field(
        default=None, description="the vocabulary term a patient may write for an unnamed drug"
    )
    drugs: list[str] = Field(default_factory=list)
    includes: list[str] = Field(default_factory=list)
    cite: list[Ref] = Field(min_length=1)


class KnowledgeBase(_Strict):
    """One knowledge base file; several files are merged at load."""

    version: Literal[1] = 1
    sources: dict[str, PublicSource] = Field(default_factory=dict)
    drug_classes: list[DrugClass] = Field(default_factory=list)
    options: list[KnowledgeOption] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> KnowledgeBase:
        ids = [o.id for o in self.options]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"option ids must be unique: {', '.join(twice)}")
        for option in self.options:
            uses = [u.id for u in option.uses]
            if len(set(uses)) != len(uses):
                raise ValueError(f"option {option.id}: use ids must be unique")
            if not option.uses and option.not_an_option is None:
                raise ValueError(f"option {option.id}: give uses, or not_an_option saying why")
            for where, refs in _refs(option):
                for ref in refs:
                    if isinstance(ref, SourceRef) and ref.source not in self.sources:
                        raise ValueError(
                            f"option {option.id}, {where}: unknown source {ref.source!r}"
                        )
        classes = {c.id for c in self.drug_classes}
        for drug_class in self.drug_classes:
            for ref in drug_class.cite:
                if isinstance(ref, SourceRef) and ref.source not in self.sources:
                    raise ValueError(f"drug class {drug_class.id}: unknown source {ref.source!r}")
            for inner in drug_class.includes:
                if inner not in classes:
                    raise ValueError(f"drug class {drug_class.id}: includes unknown {inner!r}")
        return self

    def cited_documents(self) -> set[str]:
        """The stored documents whose sentences the knowledge base quotes."""
        quoted = {
            ref.doc
            for option in self.options
            for _, refs in _refs(option)
            for ref in refs
            if isinstance(ref, QuoteRef)
        }
        return quoted | {
            ref.doc
            for drug_class in self.drug_classes
            for ref in drug_class.cite
            if isinstance(ref, QuoteRef)
        }


def _refs(option: KnowledgeOption) -> list[tuple[str, list[Ref]]]:
    """Every citation list of an option, with a name for error messages."""
    found: list[tuple[str, list[Ref]]] = [
        (f"about[{i}]", fact.cite) for i, fact in enumerate(option.about)
    ]
    found += [(f"use {use.id}", use.cite) for use in option.uses]
    if option.not_an_option is not None:
        found.append(("not_an_option", option.not_an_option.cite))
    return found
