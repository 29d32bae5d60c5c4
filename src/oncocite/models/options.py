"""The treatment-options explorer's public contract: a tumour profile in, and for
each option the sources describe, whether it matches, why, and where that is said.

The profile fields are those of ARCHITECTURE.md; every one is optional, and a field
left out is unknown, never assumed. A profile that contradicts itself (triple
negative and HER2 positive) is rejected with the fields named, because no answer
to it could be right.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "FactCitation",
    "HistoryEntry",
    "HistorySummary",
    "KnowledgeCheck",
    "KnowledgeProblem",
    "OptionResult",
    "OptionStatus",
    "OptionsReport",
    "PriorTreatment",
    "Profile",
    "Region",
]

Region = Literal["uk", "us", "unknown"]
OptionStatus = Literal["matches", "does_not_match", "needs_information"]
Receptor = Literal["positive", "negative", "unknown"]
# "negative" is HER2-negative with the score not given (older profiles' only negative):
# options that differ between HER2-low, HER2-ultralow and HER2 0 then ask which it is.
Her2 = Literal["positive", "low", "ultralow", "zero", "negative", "unknown"]
Stage = Literal["early", "locally_advanced", "metastatic"]
Setting = Literal["neoadjuvant", "adjuvant"]
# When a treatment was given: before surgery, after surgery, or for advanced
# (locally advanced that cannot be removed, or secondary) cancer.
GivenFor = Literal["neoadjuvant", "adjuvant", "advanced"]


class PriorTreatment(BaseModel):
    """One treatment had before: a drug, or drugs given together ("letrozole +
    palbociclib"), each name resolved through the drug vocabulary; whether the
    cancer grew on it; when it was given; how long ago it was last given."""

    model_config = ConfigDict(extra="forbid")

    drug: str = Field(min_length=1, max_length=200, description="drug(s), brand or class word")
    progressed: bool | None = Field(
        default=None, description="the cancer grew or came back during it (or soon after)"
    )
    setting: GivenFor | None = Field(
        default=None, description="neoadjuvant, adjuvant, or advanced (for advanced cancer)"
    )
    months_since_last: float | None = Field(default=None, ge=0, le=1200)


class Profile(BaseModel):
    """What a patient knows about their cancer; anything left out is unknown."""

    model_config = ConfigDict(extra="forbid")

    hormone_receptor: Receptor = "unknown"
    her2: Her2 = Field(
        default="unknown",
        description="positive, low, ultralow, zero, or negative with the score not known "
        "(older profiles' 'negative', once read as HER2 0)",
    )
    triple_negative: bool | None = Field(
        default=None, description="hormone receptor negative and HER2 negative"
    )
    stage: Stage | None = None
    setting: Setting | None = Field(
        default=None, description="treatment before (neoadjuvant) or after (adjuvant) surgery"
    )
    inflammatory: bool | None = None
    nodes_positive: bool | None = None
    high_recurrence_risk: bool | None = None
    had_neoadjuvant_therapy: bool | None = None
    residual_disease: bool | None = Field(
        default=None, description="cancer found at surgery after treatment before it"
    )
    recurred: bool | None = None
    prior_her2_regimens: int | None = Field(
        default=None,
        ge=0,
        le=50,
        description="earlier HER2 treatments; when given, it is the count used, else "
        "the count is read from prior_treatments",
    )
    prior_treatments: list[PriorTreatment] | None = Field(
        default=None, max_length=30, description="treatments had before; None: not known, []: none"
    )
    germline_brca: bool | None = None
    pik3ca: bool | None = Field(default=None, description="a PIK3CA change")
    akt1: bool | None = Field(default=None, description="an AKT1 change")
    pten: bool | None = Field(default=None, description="a PTEN change")
    esr1: bool | None = None
    pd_l1_cps: float | None = Field(default=None, ge=0, le=100)
    region: Region = "unknown"

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        if self.triple_negative:
            if self.her2 == "positive":
                raise ValueError("triple_negative and her2 'positive' contradict each other")
            if self.hormone_receptor == "positive":
                raise ValueError(
                    "triple_negative and hormone_receptor 'positive' contradict each other"
                )
        her2_negative = self.her2 in ("negative", "low", "ultralow", "zero")
        if self.triple_negative is False and her2_negative and self.hormone_receptor == "negative":
            raise ValueError(
                "triple_negative false contradicts hormone_receptor 'negative' with a "
                "HER2-negative her2"
            )
        if self.setting is not None and self.stage == "metastatic":
            raise ValueError(f"setting {self.setting!r} is for surgery, not stage 'metastatic'")
        if self.residual_disease is not None and self.had_neoadjuvant_therapy is False:
            raise ValueError(
                "residual_disease is about treatment before surgery, but "
                "had_neoadjuvant_therapy is false"
            )
        return self

    @property
    def hr(self) -> Receptor:
        """Hormone receptor status, with triple negative read as negative."""
        return "negative" if self.triple_negative else self.hormone_receptor

    @property
    def her2_status(self) -> Her2:
        """HER2 status, with triple negative read as HER2-negative (score not given)."""
        if self.triple_negative and self.her2 == "unknown":
            return "negative"
        return self.her2


class FactCitation(BaseModel):
    """Where a fact is said: a verbatim quote of a stored document (the same
    fields as an answer's citation), or a named public source."""

    kind: Literal["quote", "reference"]
    doc_id: str | None = None
    version: int | None = None
    section: list[str] = Field(default_factory=list)
    title: str
    source: str | None = None
    url: str | None = None
    date: dt.date | None = Field(default=None, description="of the decision or page cited")
    quote: str | None = None
    start: int | None = None
    end: int | None = None


class OptionResult(BaseModel):
    """One option (a drug or regimen) for the profile given."""

    id: str
    name: str
    drugs: list[str]
    brands: list[str] = Field(default_factory=list)
    drug_class: str
    status: OptionStatus
    reasons: list[str] = Field(description="why, in plain words, from the criteria")
    brief: str = Field(default="", description="the main reason in one sentence")
    questions: list[str] = Field(
        default_factory=list, description="what to ask the care team (needs_information)"
    )
    about: list[str] = Field(
        default_factory=list, description="what it is, how it works, side effects: cited"
    )
    draft: bool = Field(description="rests on facts a reviewer has not yet confirmed")
    as_of: dt.date | None = None
    citations: list[FactCitation]


class HistoryEntry(BaseModel):
    """One earlier treatment as the explorer read it."""

    given: str = Field(description="as written in the profile")
    drugs: list[str] = Field(description="generic names; a class word reads as an unnamed drug")
    classes: list[str] = Field(description="drug classes of the knowledge base it belongs to")
    setting: GivenFor | None
    progressed: bool | None


class HistorySummary(BaseModel):
    """The treatment history and the counts the criteria use."""

    entries: list[HistoryEntry]
    her2_treatments: int = Field(description="earlier treatments with a HER2 drug, any setting")
    advanced_treatments: int = Field(description="treatments given for advanced cancer")
    advanced_chemotherapies: int = Field(description="chemotherapies given for advanced cancer")
    hormone_therapies: int = Field(description="treatments with a hormone therapy, any setting")
    setting_unknown: int = Field(description="entries whose setting is not given")


class OptionsReport(BaseModel):
    """`oncocite options`: every option the knowledge base holds, for one profile."""

    profile: Profile
    history: HistorySummary | None = Field(
        default=None, description="the treatment history as read (None: not given)"
    )
    reminder: str
    options: list[OptionResult]
    questions: list[str] = Field(description="every question for the care team, once")
    as_of: dt.date | None = Field(description="the newest decision date used")


class KnowledgeProblem(BaseModel):
    """A cited quote that the stored document no longer says."""

    option: str
    fact: str
    doc_id: str
    quote: str
    detail: str


class KnowledgeCheck(BaseModel):
    """`oncocite knowledge check`: does every quote still stand in its document?"""

    facts: int
    quotes: int
    references: int
    problems: list[KnowledgeProblem]

    @property
    def ok(self) -> bool:
        return not self.problems
