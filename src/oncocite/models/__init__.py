"""The pydantic models every layer passes to the next.

Layers exchange these models, never loose dicts, so that a field renamed in one
place fails type checking everywhere it is used: `metadata` (the document schema),
`documents` (passages, versions, stored documents) and `results` (what each public
operation returns).
"""

from oncocite.models.documents import (
    DocumentList,
    DocumentRecord,
    DocumentSummary,
    Link,
    Passage,
    VersionRecord,
)
from oncocite.models.metadata import (
    MAX_TITLE_CHARS,
    AudienceLevel,
    DocumentMetadata,
    MetadataOverrides,
    ReviewFrequency,
    Status,
    is_http_url,
    shown,
)
from oncocite.models.results import (
    BatchRun,
    Correction,
    EmbedReport,
    Evaluation,
    FileOutcome,
    Hit,
    IngestFileResult,
    IngestReport,
    QuestionReading,
    RetireResult,
    ReviewItem,
    ReviewReport,
    SearchMode,
    SearchResults,
)

__all__ = [
    "MAX_TITLE_CHARS",
    "AudienceLevel",
    "BatchRun",
    "Correction",
    "DocumentList",
    "DocumentMetadata",
    "DocumentRecord",
    "DocumentSummary",
    "EmbedReport",
    "Evaluation",
    "FileOutcome",
    "Hit",
    "IngestFileResult",
    "IngestReport",
    "Link",
    "MetadataOverrides",
    "Passage",
    "QuestionReading",
    "RetireResult",
    "ReviewFrequency",
    "ReviewItem",
    "ReviewReport",
    "SearchMode",
    "SearchResults",
    "Status",
    "VersionRecord",
    "is_http_url",
    "shown",
]
