"""Every error oncocite raises on purpose, in one place.

::

    OncociteError                 base: catch this to catch everything below
    ├── InvalidDocument           a file cannot be read or its metadata is invalid
    ├── StoreError                the database cannot be opened, migrated or written
    │   └── DamagedStore          the database file is corrupt: nothing is written to it
    ├── NotFound                  an id that names nothing in the library
    ├── InvalidQuery              a search, filter or batch file that cannot be run
    ├── SettingsError             a flag or ONCOCITE_* variable with a value not allowed
    └── MissingExtra              an optional dependency is not installed
        └── DamagedModel          a model file differs from its pinned sha256

The library never prints or exits: the CLI turns these into one line on stderr and
exit code 1, the REST API into a status code and the project's one error body.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

__all__ = [
    "DamagedModel",
    "DamagedStore",
    "InvalidDocument",
    "InvalidQuery",
    "MissingExtra",
    "NotFound",
    "OncociteError",
    "SettingsError",
    "StoreError",
    "one_line",
]

# Line breaks, terminal escapes and invisible direction overrides: categories whose
# characters could split a message or rewrite what a terminal shows.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def one_line(text: str) -> str:
    """Text made safe to print as one line: control characters become escapes.

    File names and YAML problems come from the input, so a name with a newline or an
    ANSI escape would otherwise split an error over two lines or recolour a terminal.
    """
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in _UNSAFE_CATEGORIES
        else ch
        for ch in text
    )


class OncociteError(Exception):
    """Base of every deliberate oncocite error; its message is meant for people."""


class InvalidDocument(OncociteError):
    """A document that cannot be ingested, with the file and field to blame.

    The message is one line: ``file: field value is wrong (what is expected)``, so a
    user who ingests a folder of hundreds of files can fix each one without a trace.
    Control characters in the file name, field or reason are escaped (`one_line`).
    """

    def __init__(self, path: Path | str, reason: str, field: str | None = None) -> None:
        self.path = str(path)
        self.field = field
        self.reason = reason
        where = f"{Path(self.path).name}: {field}" if field else Path(self.path).name
        super().__init__(one_line(f"{where}: {reason}"))


class StoreError(OncociteError):
    """The store cannot do what was asked; nothing already stored has changed."""


class DamagedStore(StoreError):
    """The database file is corrupt; it is never written to, and the message says why."""


class NotFound(OncociteError):
    """An identifier that names nothing in the library."""


class InvalidQuery(OncociteError):
    """A query, filter or batch file that cannot be run as given."""


class SettingsError(OncociteError):
    """A setting whose value is not allowed; the message names flag or variable."""


class MissingExtra(OncociteError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, extra: str, module: str, install: str | None = None) -> None:
        self.extra = extra
        self.module = module
        # the command that puts it right, for whoever reports this (the REST API's 500)
        self.install = install or f"pip install 'oncocite[{extra}]'"
        how = install or f"install the '{extra}' extra ({self.install})"
        super().__init__(f"{module} is not installed: {how}")


class DamagedModel(MissingExtra):
    """A model file that is missing or differs from the sha256 its package was pinned
    with (search/model_files.py): the package the extra names is, in effect, not
    installed, so whatever catches MissingExtra (the REST API's 500 for the server's
    installation) handles it too; the message names the file, the package, its pinned
    version and the command that puts it right."""

    def __init__(
        self, package: str, version: str, file: str, problem: str, folder: Path | str
    ) -> None:
        OncociteError.__init__(
            self,
            one_line(
                f"model file {file} of {package} {version} {problem} (in {folder}): "
                f"reinstall it with pip install --force-reinstall '{package}=={version}'"
            ),
        )
        self.extra = "dense"
        self.module = package
        self.install = f"pip install --force-reinstall '{package}=={version}'"
