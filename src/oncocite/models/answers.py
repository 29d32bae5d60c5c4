"""An answer: quoted sentences with numbered citations, or an honest abstention.

This is the public contract of `ask` (ARCHITECTURE.md): fields may be added, never
removed. Every sentence of `answer` is the exact text of a stored passage; its
citation gives the document version and the character offsets where the quote
stands, so `oncocite verify` can find it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "Abstention",
    "AbstentionReason",
    "Answer",
    "AnswerSentence",
    "Citation",
    "ConsultedPassage",
    "Insertion",
    "NeedAnswer",
    "QuoteCheck",
    "Safety",
    "SafetyCategory",
    "Searched",
    "Verification",
    "WordedSentence",
]

SafetyCategory = Literal["urgent", "self_harm", "dosing", "out_of_scope"]
AbstentionReason = Literal[
    "no_support", "partial_support", "out_of_scope", "triage", "licence_quota"
]


class Safety(BaseModel):
    """What triage decided before anything was searched, and the fixed message."""

    category: SafetyCategory
    message: str
    rule: str = Field(description="the id of the triage rule that matched")


class Citation(BaseModel):
    """Where a quoted sentence stands: numbered 1..n in order of first use."""

    n: int
    doc_id: str
    passage_id: str
    version: int
    section: list[str] = Field(description="the heading path of the passage")
    title: str
    source: str | None
    url: str | None
    last_reviewed: dt.date | None
    review_overdue: bool = Field(description="the source is past its review date")
    license: str | None
    quote: str = Field(description="the exact quoted text")
    start: int = Field(description="offset of the quote in the document version's text")
    end: int
    license_name: str | None = Field(
        default=None,
        description="the licence in plain words for a reader, e.g. 'CC BY 4.0: free to "
        "share with credit' (`license` is its id)",
    )


class Insertion(BaseModel):
    """An editor's note added to a quote, in square brackets, never part of it:
    "To have this drug [pertuzumab] your cancer…" names what "this drug" is."""

    at: int = Field(description="offset in the quote after which the note stands")
    text: str = Field(description="the note as shown, brackets and leading space included")


class AnswerSentence(BaseModel):
    """One sentence of the answer and the citation it is quoted from.

    `text` is the quote as shown: exactly the cited text, with any `insertions`
    (editorial brackets) added; `quoted()` takes them out again, which must give
    the citation's quote character for character.
    """

    text: str
    citation: int
    insertions: list[Insertion] = Field(default_factory=list)

    def quoted(self) -> str:
        """The sentence without its editorial insertions: the verbatim quote."""
        text = self.text
        for insertion in sorted(self.insertions, key=lambda i: i.at):  # removed in order
            at = insertion.at
            if text[at : at + len(insertion.text)] != insertion.text:
                return text  # not where it says: the caller's check will fail loudly
            text = text[:at] + text[at + len(insertion.text) :]
        return text


class WordedSentence(BaseModel):
    """A sentence a language model wrote from quoted ones, checked against them."""

    text: str
    citations: list[int] = Field(description="the quotes that support it")


class ConsultedPassage(BaseModel):
    """A passage that was read for the answer but not quoted."""

    passage_id: str
    doc_id: str
    title: str
    source: str | None
    url: str | None


class Searched(BaseModel):
    """What was searched, so an abstention can say where nothing was found."""

    query: str
    mode: str
    filters: list[str] = Field(default_factory=list)
    passages: int = Field(description="passages considered")
    documents: int = Field(description="documents they came from")


class Abstention(BaseModel):
    """Why no answer was given: never a guess instead."""

    reason: AbstentionReason
    detail: str
    searched: Searched | None = None
    next_step: str | None = Field(
        default=None, description="what the person can do next, in plain words"
    )


class NeedAnswer(BaseModel):
    """One question of a message, as it was read and how it was met."""

    question: str = Field(description="the question as the message asked it")
    kind: str = Field(
        description="definition, mechanism, eligibility, side_effects, variation, course, "
        "comparison, combination, preference, purpose, testing, response, options, timing, "
        "duration, route, outlook, frequency, research or other"
    )
    searched: str = Field(description="what was searched for it")
    answered: bool
    reason: AbstentionReason | None = None
    detail: str | None = Field(default=None, description="why it was not answered")
    citations: list[int] = Field(default_factory=list, description="the citations it uses")


class Answer(BaseModel):
    """The answer to one question (`oncocite ask`, `POST /v1/ask`)."""

    question: str
    answer: str = Field(description="the quoted sentences joined, or the safety message")
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    consulted: list[ConsultedPassage] = Field(default_factory=list)
    abstained: bool
    abstention: Abstention | None = None
    safety: Safety | None = None
    notes: list[str] = Field(
        default_factory=list, description="e.g. a cited source overdue for review"
    )
    evidence: float = Field(default=0.0, description="strength of the best support, 0-1")
    worded_by: str | None = Field(
        default=None, description="the language model that reworded it, if any"
    )
    needs: list[NeedAnswer] = Field(
        default_factory=list,
        description="each question the message asks, in order, and whether it was answered",
    )
    worded: list[WordedSentence] = Field(
        default_factory=list,
        description="the reworded sentences (then `answer` is their text); `sentences` "
        "stay the exact quotes they were checked against",
    )


class QuoteCheck(BaseModel):
    """One citation of a saved answer checked against the library now."""

    n: int
    doc_id: str
    version: int
    found: bool = Field(description="the quote stands at its offsets in the cited version")
    current_version: int | None
    in_current: bool | None = Field(description="the quote is still in the newest version")
    detail: str


class Verification(BaseModel):
    """`oncocite verify`: is every quote of a saved answer still what the library says?"""

    valid: bool = Field(description="every quote found in its cited version")
    current: bool = Field(description="and still present in each document's newest version")
    checks: list[QuoteCheck]
