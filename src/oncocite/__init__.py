"""oncocite: cited answers about cancer treatment from vetted patient information.

The public Python API; the CLI and REST service are thin shells over it, and every
method returns one of the models exported here::

    from oncocite import open_library
    with open_library("oncocite.db") as lib:
        lib.ingest(["../shared/seeds"])
        for item in lib.review().items:
            print(item.doc_id, item.state)
"""

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
    AudienceLevel,
    BatchRun,
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
    RetireResult,
    ReviewFrequency,
    ReviewItem,
    ReviewReport,
    SearchMode,
    SearchResults,
    Status,
    VersionRecord,
)
from oncocite.search import EngineConfig, SearchEngine

__all__ = [
    "AudienceLevel",
    "BatchRun",
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
    "RetireResult",
    "ReviewFrequency",
    "ReviewItem",
    "ReviewReport",
    "SearchEngine",
    "SearchMode",
    "SearchResults",
    "Settings",
    "SettingsError",
    "Status",
    "StoreError",
    "VersionRecord",
    "open_library",
]

__version__ = "0.1.0"
