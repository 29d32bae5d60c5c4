"""What each Library operation returns: the one shape the CLI prints and the API serves.

The CLI's `--json` output is `model_dump_json()` of these models and the REST API
returns the same models, so there is one set of public shapes and a field renamed
here fails type checking everywhere it is used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, computed_field

from oncocite.models.metadata import ReviewFrequency, Status

__all__ = [
    "ActivateResult",
    "BatchRun",
    "Correction",
    "EmbedReport",
    "Evaluation",
    "FileOutcome",
    "Hit",
    "IngestFileResult",
    "IngestReport",
    "LibraryStatus",
    "QuestionReading",
    "RetireResult",
    "ReviewItem",
    "ReviewReport",
    "ScreenedSentence",
    "SearchMode",
    "SearchResults",
]

FileOutcome = Literal["added", "updated", "unchanged", "skipped", "failed"]
SearchMode = Literal["hybrid", "lexical", "dense"]


class IngestFileResult(BaseModel):
    """What happened to one file (or one document of a multi-document file)."""

    path: str
    doc_id: str | None = None
    outcome: FileOutcome
    version: int | None = None
    passages: int = 0
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    """One ingest run: a result per file and the totals; `failed` makes the CLI exit 1."""

    results: list[IngestFileResult] = Field(default_factory=list)
    seconds: float = 0.0
    embedded: int = Field(default=0, description="passage texts newly embedded")
    notices: list[str] = Field(
        default_factory=list,
        description="about the library rather than one file (e.g. vectors an interrupted "
        "run left missing, and whether they were embedded now)",
    )

    def count(self, outcome: FileOutcome) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def passages_written(self) -> int:
        return sum(r.passages for r in self.results if r.outcome in ("added", "updated"))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def totals(self) -> dict[str, int]:
        """Files by outcome, and the passages written (the CLI's summary table)."""
        outcomes: tuple[FileOutcome, ...] = get_args(FileOutcome)
        return {
            **{outcome: self.count(outcome) for outcome in outcomes},
            "passages_written": self.passages_written,
        }

    def summary(self) -> dict[str, Any]:
        """The totals, embeddings and time, in the order the CLI's table shows them."""
        return {**self.totals, "embedded": self.embedded, "seconds": round(self.seconds, 3)}


class ReviewItem(BaseModel):
    """A document due (or overdue) for review, as `oncocite review` lists it."""

    doc_id: str
    title: str
    source: str | None
    last_reviewed: dt.date | None
    review_frequency: ReviewFrequency | None
    due: dt.date | None
    days_overdue: int | None
    state: Literal["overdue", "due", "unknown", "invalid", "draft"]
    reason: str


class ScreenedSentence(BaseModel):
    """A sentence of a stored document that the safety screen will never quote (it
    tells a reader to change a dose, stop a medicine, or not to seek help for an
    urgent symptom), for a reviewer to check against the source."""

    doc_id: str
    version: int
    start: int = Field(description="offset of the sentence in that version's text")
    end: int
    sentence: str
    rule: str
    category: str
    reason: str


class ReviewReport(BaseModel):
    """What is due for review on a day, most overdue first; drafts waiting for a
    reviewer; and sentences the safety screen flagged."""

    today: dt.date
    within: int = Field(description="days ahead also listed")
    known_only: bool
    items: list[ReviewItem]
    flagged: list[ScreenedSentence] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        states = ("overdue", "due", "unknown", "invalid", "draft")
        counts = {s: sum(1 for i in self.items if i.state == s) for s in states}
        return {**counts, "flagged": len(self.flagged)}


class ActivateResult(BaseModel):
    """A reviewer's activation: the document may now be quoted in answers."""

    doc_id: str
    status: Status
    version: int
    changed: bool = Field(description="false when the document was already active")
    reviewed_by: str | None = None


class LibraryStatus(BaseModel):
    """What the library holds and whether every part of search can see all of it
    (`oncocite status`, `GET /readyz`)."""

    documents: int
    by_status: dict[str, int] = Field(description="documents by status")
    passages: int = Field(description="passages of documents that are not retired")
    model: str = Field(description="the embedding model dense search uses")
    passages_with_vectors: int
    passages_without_vectors: int
    dense_complete: bool = Field(
        description="every searchable passage has a vector: dense search sees them all"
    )
    notices: list[str] = Field(default_factory=list)


class RetireResult(BaseModel):
    """A retirement: the document's status and the version that records it."""

    doc_id: str
    status: Status
    version: int
    changed: bool = Field(description="false when the document was already retired")


class EmbedReport(BaseModel):
    """Passage texts newly embedded by one model."""

    model: str
    embedded: int


class Hit(BaseModel):
    """One search result, in the public JSON shape plus ranking details."""

    passage_id: str
    doc_id: str
    title: str
    source: str | None
    url: str | None
    score: float
    text: str
    heading_path: list[str] = Field(default_factory=list)
    license: str | None = None
    last_reviewed: dt.date | None = None
    review_frequency: ReviewFrequency | None = None
    version: int = Field(default=1, description="the document version the passage is of")
    start: int = Field(default=0, description="offset of the passage in that version's text")
    end: int = 0
    scores: dict[str, float] = Field(default_factory=dict)
    image_spans: list[tuple[int, int]] = Field(
        default_factory=list,
        description="offsets in `text` of images' alt text: it describes a picture, "
        "so an answer never quotes it",
    )


class Correction(BaseModel):
    """A word of the question read as another (a misspelling the library corrected)."""

    written: str
    read_as: str


class QuestionReading(BaseModel):
    """How search read a question: a short question or a message (ranked with other
    weights), a message's subject line, and the spelling it corrected."""

    kind: Literal["question", "message"]
    subject: str | None = None
    corrections: list[Correction] = Field(default_factory=list)


class SearchResults(BaseModel):
    """The passages for one query, and how they were found.

    `mode_used` differs from `mode` when hybrid search had to run its lexical side
    alone (no model installed, or nothing embedded yet); `notices` says why, so a
    caller never mistakes a lexical ranking for a hybrid one.
    """

    query: str
    mode: SearchMode
    mode_used: SearchMode
    k: int
    filters: list[str] = Field(default_factory=list)
    hits: list[Hit]
    notices: list[str] = Field(default_factory=list)
    reading: QuestionReading | None = None


class BatchRun(BaseModel):
    """A TREC run written by `search --batch`."""

    run: str
    queries: int
    k: int
    mode: SearchMode
    mode_used: SearchMode
    tag: str
    notices: list[str] = Field(default_factory=list)


class Evaluation(BaseModel):
    """IR measures of a run against qrels: means, and values per judged query."""

    run: str
    qrels: str
    queries: int = Field(description="judged queries (a judged query not in the run scores 0)")
    answered: int = Field(description="judged queries the run answers")
    measures: dict[str, float]
    per_query: dict[str, dict[str, float]]
