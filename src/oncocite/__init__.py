"""oncocite: cited answers about cancer treatment from vetted patient information.

The public Python API; the CLI and REST service are thin shells over it::

    from oncocite import open_library
    with open_library("oncocite.db") as lib:
        lib.ingest(["../shared/seeds"])
        for item in lib.review():
            print(item.doc_id, item.state)
"""

from oncocite.errors import (
    InvalidDocument,
    InvalidQuery,
    MissingExtra,
    NotFound,
    OncociteError,
    StoreError,
)
from oncocite.library import Library, open_library
from oncocite.models import (
    DocumentMetadata,
    DocumentRecord,
    DocumentSummary,
    Hit,
    IngestReport,
    Passage,
    ReviewItem,
)

__all__ = [
    "DocumentMetadata",
    "DocumentRecord",
    "DocumentSummary",
    "Hit",
    "IngestReport",
    "InvalidDocument",
    "InvalidQuery",
    "Library",
    "MissingExtra",
    "NotFound",
    "OncociteError",
    "Passage",
    "ReviewItem",
    "StoreError",
    "open_library",
]

__version__ = "0.1.0"
