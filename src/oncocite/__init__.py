"""oncocite: cited answers about cancer treatment from vetted patient information.

The public Python API; the CLI and REST service are thin shells over it, and every
method returns one of the models exported here::

    from oncocite import open_library
    with open_library("oncocite.db") as lib:
        lib.ingest(["../shared/seeds"])
        for item in lib.review().items:
            print(item.doc_id, item.state)
"""

from oncocite import errors, models
from oncocite.answers.compose import AnswerEngine
from oncocite.config import Settings
from oncocite.errors import *  # noqa: F403  (every error, named once: errors.__all__)
from oncocite.library import Library, open_library, upgrade_database
from oncocite.models import *  # noqa: F403  (every model, named once: models.__all__)
from oncocite.search import EngineConfig, SearchEngine

# The library's own names, then every error and model under the names their modules
# export, so a model added there is public here without a second list.
__all__ = [
    "AnswerEngine",
    "EngineConfig",
    "Library",
    "SearchEngine",
    "Settings",
    "open_library",
    "upgrade_database",
]
__all__ += errors.__all__
__all__ += models.__all__
__all__.sort()

__version__ = "0.1.0"
