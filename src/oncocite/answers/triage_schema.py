"""The schema of `triage.yaml`: what a reviewable triage rule may say.

Validated with pydantic when the rules are loaded; cross-references (message keys,
term lists, drug names, patterns) are checked when `oncocite.answers.triage` compiles
them. Every problem is one line naming the rule (by id) and the field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from oncocite.models.answers import SafetyCategory
from oncocite.models.rule_files import Item, Items, StrictModel

__all__ = [
    "Fuzzy",
    "InformationQuestions",
    "Negation",
    "PastEvents",
    "Rule",
    "TriageFile",
]


# A list Item (models/rule_files.py) here: a phrase, a $term, drug:NAME or re:PATTERN.


class Rule(StrictModel):
    """One reviewable rule: which words make it fire, and what is said instead."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    category: SafetyCategory
    message: str
    why: str = Field(min_length=10, description="the clinical reason, for reviewers")
    any: Items = Field(default_factory=list)
    all: list[Items] = Field(default_factory=list)
    none: Items = Field(default_factory=list)
    within: int | None = Field(default=None, ge=1, le=50)
    same_sentence: bool = False
    negation: bool = True
    information_questions: Literal["triage", "answer"] = "triage"
    allow_general_information: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if not self.any and not self.all:
            raise ValueError("needs `any` or `all`: a rule without words never fires")
        if any(not group for group in self.all):
            raise ValueError("`all` has an empty list")
        if self.same_sentence and len(self.groups) < 2:
            raise ValueError("same_sentence needs `all` (two or more lists to keep together)")
        if self.allow_general_information and self.category != "dosing":
            raise ValueError(
                "allow_general_information is for dosing rules only: "
                f"a {self.category} question gets its fixed message and no answer"
            )
        return self

    @property
    def groups(self) -> list[list[str]]:
        return ([self.any] if self.any else []) + self.all


class Fuzzy(StrictModel):
    """Bounded typo repair: which words, from what length, and what is never touched."""

    min_length: int = Field(ge=4, le=20)
    two_edits_from: int = Field(ge=6, le=30)
    words: Items = Field(min_length=1)
    exclude: Items = Field(default_factory=list)


class Negation(StrictModel):
    """When a phrase counts as negated: a negator at most `window` fillers before it."""

    window: int = Field(ge=0, le=6)
    negators: Items = Field(min_length=1)
    fillers: Items = Field(default_factory=list)


class InformationQuestions(StrictModel):
    """What makes a question a general one that documents may answer."""

    frames: Items = Field(min_length=1)
    personal: Items = Field(min_length=1)
    coping: Items = Field(default_factory=list)
    acute: Items = Field(default_factory=list)


class PastEvents(StrictModel):
    """When a symptom is told as over and done: a sentence with a `when` phrase (last
    month, years ago), an `over` phrase in the question (it went away), and no
    `present` phrase (again today, still have)."""

    when: Items = Field(default_factory=list)
    over: Items = Field(default_factory=list)
    present: Items = Field(default_factory=list)


class TriageFile(StrictModel):
    """The whole of `triage.yaml`."""

    version: Literal[1]
    messages: dict[str, Item] = Field(min_length=1)
    rewrites: dict[str, Item] = Field(default_factory=dict)
    hedges: Items = Field(default_factory=list)
    spellings: dict[str, Items] = Field(default_factory=dict)
    inflections: dict[str, Items] = Field(default_factory=dict)
    fuzzy: Fuzzy
    negation: Negation
    past_events: PastEvents = Field(default_factory=PastEvents)
    information_questions: InformationQuestions
    terms: dict[str, Items] = Field(default_factory=dict)
    rules: list[Rule] = Field(min_length=1)
