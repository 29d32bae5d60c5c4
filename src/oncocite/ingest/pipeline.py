"""Ingest: file → reader → metadata → passages → store, one document at a time.

A bad file is reported and skipped; it never stops the run and never touches what
is stored, because each document is written in its own transaction only after it
has been read, cleaned and validated in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncocite.errors import DamagedStore, InvalidDocument, NotFound, OncociteError, one_line
from oncocite.ingest.admission import admit, claimed_fields
from oncocite.ingest.budget import DEFAULT_TIME_BUDGET_S, check_time, time_budget
from oncocite.ingest.chunking import DEFAULT_MAX_CHARS, chunk
from oncocite.ingest.identifiers import safe_id
from oncocite.ingest.loading import (
    DEFAULT_MAX_BYTES,
    detect_format,
    find_files,
    folder_roots,
    inside,
    read_raw,
    resolved,
)
from oncocite.ingest.metadata import missing_fields, read_sidecar, validate_metadata
from oncocite.ingest.parsed import (
    MAX_PASSAGES,
    DocumentTooLarge,
    ParsedDocument,
    TooManyPassages,
)
from oncocite.models import (
    IngestFileResult,
    IngestOrigin,
    IngestReport,
    MetadataOverrides,
    Passage,
    shown,
)
from oncocite.store.base import DocumentWrite, Store

__all__ = ["READERS", "IngestOptions", "ingest_paths", "prepare_document", "reader_for"]

# Bump when cleaning or chunking changes, so re-ingest rewrites stored passages.
PIPELINE_VERSION = "4"  # 4: images recorded, so answers never quote alt text

Reader = Callable[[Path, str], ParsedDocument]
# format -> module and function; a reader is imported on first use, so a command that
# never reads HTML never pays for the HTML extractor's import (a quarter of a second).
READERS: dict[str, tuple[str, str]] = {
    "markdown": ("oncocite.ingest.markdown", "read_markdown"),
    "text": ("oncocite.ingest.text", "read_text"),
    "html": ("oncocite.ingest.html", "read_html"),
    "medquad": ("oncocite.ingest.medquad", "read_medquad"),
}


def reader_for(fmt: str) -> Reader:
    """The reader function of a format, imported when first needed."""
    module, name = READERS[fmt]
    reader: Reader = getattr(importlib.import_module(module), name)
    return reader


ProgressCallback = Callable[[IngestFileResult, int, int], None]


@dataclass(frozen=True)
class IngestOptions:
    """Settings of one ingest run: metadata overrides apply to every file in it.

    `time_budget_s` is how long one file may take to be read, cleaned and chunked
    before it fails (None: no limit). `replace` lets a file take over a document id
    stored from another path; without it such a file fails, because two different
    files of one name (`a/leaflet.md`, in a later run `b/leaflet.md`) would otherwise
    silently become two versions of one document. `origin` and `actor` say who let
    the documents in (recorded in their provenance; the REST API's start as drafts);
    `upload_name` is the name an uploaded file was given, stored in place of the
    server's temporary path. `today` is the day dates are judged by.
    """

    metadata: MetadataOverrides | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = DEFAULT_MAX_CHARS
    time_budget_s: float | None = DEFAULT_TIME_BUDGET_S
    replace: bool = False
    origin: IngestOrigin = "python"
    actor: str | None = None
    upload_name: str | None = None
    today: dt.date | None = None

    @property
    def metadata_layer(self) -> dict[str, Any]:
        return self.metadata.as_layer() if self.metadata is not None else {}


def _passages(path: Path, parsed: ParsedDocument, max_chars: int) -> list[Passage]:
    doc_id = parsed.doc_id
    try:
        drafts = parsed.passages if parsed.passages is not None else chunk(parsed, max_chars)
        if len(drafts) > MAX_PASSAGES:
            raise TooManyPassages()
    except DocumentTooLarge as exc:
        raise InvalidDocument(path, str(exc)) from None
    passages = []
    for seq, draft in enumerate(drafts, start=1):
        check_time()
        key = safe_id(f"{doc_id}_{draft.key}") if draft.key else f"{doc_id}#{seq}"
        passages.append(
            Passage(
                passage_id=key,
                doc_id=doc_id,
                seq=seq,
                text=draft.text,
                start=draft.start,
                end=draft.end,
                heading_path=draft.heading_path,
                links=draft.links,
                question=draft.question,
                question_type=draft.question_type,
                focus=draft.focus,
            )
        )
    return passages


def prepare_document(
    path: Path, options: IngestOptions, roots: Sequence[Path] | None = None
) -> tuple[DocumentWrite, list[str]]:
    """Read, clean, validate and chunk one file; raises InvalidDocument on bad input.

    All of it runs under the file's time budget. `roots` are the folders given when
    the file was found in one of them: a sidecar that is a link must stay inside.
    """
    with time_budget(path, options.time_budget_s):
        return _prepare(path, options, roots)


def _prepare(
    path: Path, options: IngestOptions, roots: Sequence[Path] | None
) -> tuple[DocumentWrite, list[str]]:
    raw = read_raw(path, options.max_bytes)
    fmt = detect_format(path, raw.text)
    try:
        parsed = reader_for(fmt)(path, raw.text)
    except DocumentTooLarge as exc:
        raise InvalidDocument(path, str(exc)) from None
    sidecar = read_sidecar(path, options.max_bytes, roots)
    layers = [_own(parsed.metadata), _own(sidecar), options.metadata_layer]
    metadata = validate_metadata(path, *layers)
    passages = _passages(path, parsed, options.max_chars)
    fingerprint = json.dumps(
        [PIPELINE_VERSION, raw.sha256, sidecar, options.metadata_layer, options.max_chars],
        sort_keys=True,
        default=str,
    )
    content_hash = hashlib.sha256(fingerprint.encode()).hexdigest()
    metadata, admitted = admit(
        path,
        metadata,
        origin=options.origin,
        actor=options.actor,
        claimed=claimed_fields(layers[0], layers[1:]),
        source_hash=content_hash,
        today=options.today or dt.date.today(),
    )
    warnings = [*parsed.warnings, *admitted]
    gaps = missing_fields(metadata)
    if gaps and fmt != "medquad":
        warnings.append(
            f"missing {', '.join(gaps)}: add them to {one_line(path.name)}.meta.yaml "
            "or pass them as flags (e.g. --source, --license); nothing was guessed"
        )
    if not passages:
        warnings.append("no passage text found: the document is stored but not searchable")
    doc = DocumentWrite(
        doc_id=parsed.doc_id,
        format=fmt,
        path=str(path.resolve())
        if options.upload_name is None
        else f"upload:{options.upload_name}",
        metadata=metadata,
        content_hash=content_hash,
        text=parsed.text,
        passages=passages,
    )
    return doc, warnings


def ingest_paths(
    store: Store,
    paths: list[Path],
    options: IngestOptions | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest files and folders; each document is its own transaction."""
    options = options or IngestOptions()
    roots = folder_roots(paths)
    files = list(find_files(paths))
    report = IngestReport()
    started = time.perf_counter()
    claimed: dict[str, str] = {}
    for index, (path, skip) in enumerate(files, start=1):
        result = (
            IngestFileResult(path=str(path), outcome="skipped", error=skip)
            if skip
            else _ingest_one(store, path, options, claimed, _roots_of(path, roots))
        )
        report.results.append(result)
        if progress is not None:
            progress(result, index, len(files))
    report.seconds = time.perf_counter() - started
    return report


def _own(layer: dict[str, Any]) -> dict[str, Any]:
    """A metadata layer without `provenance`: only oncocite records how a document
    came in, so a file that writes its own is not believed."""
    return {key: value for key, value in layer.items() if str(key) != "provenance"}


def _unchanged_since_review(store: Store, doc: DocumentWrite) -> int | None:
    """The stored version, when it records a status change (activate, retire) of
    exactly this content: re-ingesting the unchanged file must leave the document as
    its reviewer left it, not make a new draft or undo a retirement."""
    head = store.document_head(doc.doc_id)
    if head is None or head.content_hash == doc.content_hash:
        return None
    try:
        stored = store.get_document(doc.doc_id)
    except NotFound:  # removed meanwhile: store this one
        return None
    provenance = stored.metadata.provenance
    if provenance is not None and provenance.source_hash == doc.content_hash:
        return stored.version
    return None


def _roots_of(path: Path, roots: Sequence[Path]) -> Sequence[Path] | None:
    """The folders given, for a file found inside one; None for a file named directly."""
    parent = resolved(path.parent)
    return roots if parent is not None and inside(parent, roots) else None


def _check_stored_path(store: Store, doc: DocumentWrite, path: Path, replace: bool) -> None:
    """Refuse to make a different file the new version of a stored document.

    Re-ingesting the same path is an update, and the same content from elsewhere
    changes nothing; only a changed document looks up where it was stored from.
    """
    if replace:
        return
    head = store.document_head(doc.doc_id)
    if head is None or head.content_hash == doc.content_hash:
        return
    stored_path = head.path
    if stored_path and doc.path and stored_path != doc.path:
        raise InvalidDocument(
            path,
            f"document id {doc.doc_id!r} is already stored from {stored_path}; rename this "
            "file, or pass --replace to make it the new version of that document",
        )


def _ingest_one(
    store: Store,
    path: Path,
    options: IngestOptions,
    claimed: dict[str, str],
    roots: Sequence[Path] | None = None,
) -> IngestFileResult:
    """Ingest one file; `claimed` maps the doc ids of this run to their files.

    Two files with one id (``a/x.md`` and ``b/x.md``) would otherwise silently
    overwrite each other as successive versions of one document.
    """
    name = one_line(path.name)
    try:
        doc, warnings = prepare_document(path, options, roots)
        first = claimed.setdefault(doc.doc_id, doc.path or str(path))
        if first != (doc.path or str(path)):
            raise InvalidDocument(
                path,
                f"document id {doc.doc_id!r} is already taken in this run by {first}: "
                "rename one of the files",
            )
        _check_stored_path(store, doc, path, options.replace)
        kept = _unchanged_since_review(store, doc)
        if kept is None:
            outcome, version = store.put_document(doc)
        else:  # as its reviewer left it: whatever the file alone would make it is moot
            outcome, version = "unchanged", kept
            warnings = [w for w in warnings if not w.startswith("stored as a draft")]
    except InvalidDocument as exc:
        return IngestFileResult(path=str(path), outcome="failed", error=str(exc))
    except DamagedStore:
        raise  # no later file can be stored either: the run stops with this one error
    except OncociteError as exc:
        return IngestFileResult(path=str(path), outcome="failed", error=one_line(f"{name}: {exc}"))
    except Exception as exc:  # last line of defence: one odd file must not end the run
        return IngestFileResult(
            path=str(path),
            outcome="failed",
            error=one_line(f"{name}: could not be read ({type(exc).__name__}: {shown(str(exc))})"),
        )
    return IngestFileResult(
        path=str(path),
        doc_id=doc.doc_id,
        outcome=outcome,
        version=version,
        passages=len(doc.passages),
        warnings=warnings,
    )
