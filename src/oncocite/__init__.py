"""oncocite: cited answers about cancer treatment from vetted patient information.

The public Python API; the CLI and REST service are thin shells over it, and every
method returns one of the models exported here::

    from oncocite import open_library
    with open_library("oncocite.db") as lib:
        lib.ingest(["../shared/seeds"])
        for item in lib.review().items:
            print(item.doc_id, item.state)
"""

from oncocite.answers.compose import AnswerEngine
from oncocite.config import Settings
from oncocite.errors import (
    DamagedStore,
    InvalidDocument,
    InvalidQuery,
    MissingExtra,
    NotFound,
    OncociteError,
    SettingsError,
    StoreError,
)
from oncocite.library import Library, open_library
from oncocite.models import (
    Abstention,
    Answer,
    AnswerSentence,
    AudienceLevel,
    BatchRun,
    Citation,
    ConsultedPassage,
    Correction,
    DocumentList,
    DocumentMetadata,
    DocumentRecord,
    DocumentSummary,
    EmbedReport,
    Evaluation,
    Hit,
    IngestFileResult,
    IngestReport,
    Link,
    MetadataOverrides,
    Passage,
    QuestionReading,
    QuoteCheck,
    RetireResult,
    ReviewFrequency,
    ReviewItem,
    ReviewReport,
    Safety,
    Searched,
    SearchMode,
    SearchResults,
    Status,
    Verification,
    VersionRecord,
    WordedSentence,
)
from oncocite.search import EngineConfig, SearchEngine

__all__ = [
    "Abstention",
    "Answer",
    "AnswerEngine",
    "AnswerSentence",
    "AudienceLevel",
    "BatchRun",
    "Citation",
    "ConsultedPassage",
    "Correction",
    "DamagedStore",
    "DocumentList",
    "DocumentMetadata",
    "DocumentRecord",
    "DocumentSummary",
    "EmbedReport",
    "EngineConfig",
    "Evaluation",
    "Hit",
    "IngestFileResult",
    "IngestReport",
    "InvalidDocument",
    "InvalidQuery",
    "Library",
    "Link",
    "MetadataOverrides",
    "MissingExtra",
    "NotFound",
    "OncociteError",
    "Passage",
    "QuestionReading",
    "QuoteCheck",
    "RetireResult",
    "ReviewFrequency",
    "ReviewItem",
    "ReviewReport",
    "Safety",
    "SearchEngine",
    "SearchMode",
    "SearchResults",
    "Searched",
    "Settings",
    "SettingsError",
    "Status",
    "StoreError",
    "Verification",
    "VersionRecord",
    "WordedSentence",
    "open_library",
]

__version__ = "0.1.0"
