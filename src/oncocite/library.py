"""The Python API: one Library object per store, mirrored command by command by the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from oncocite.config import Settings, settings_from_env
from oncocite.errors import MissingExtra
from oncocite.governance.review import review_schedule
from oncocite.ingest.pipeline import IngestOptions, ProgressCallback, ingest_paths
from oncocite.models import (
    DocumentRecord,
    DocumentSummary,
    Hit,
    IngestReport,
    ReviewItem,
    Status,
)
from oncocite.store import Store, open_store

if TYPE_CHECKING:
    from oncocite.search.engine import SearchEngine

__all__ = ["Library", "SearchMode", "open_library"]

SearchMode = Literal["hybrid", "lexical", "dense"]
EmbedProgress = Callable[[int, int], None]


def open_library(db: str | Path | None = None, **settings: Any) -> Library:
    """Open (creating if needed) the library at `db`, or ONCOCITE_DB, or ./oncocite.db."""
    return Library(settings_from_env(None if db is None else str(db), **settings))


class Library:
    """A governed library of vetted documents, with search over its passages."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: Store = open_store(settings.db)
        self._engine: SearchEngine | None = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------------ library
    def ingest(
        self,
        paths: Sequence[str | Path],
        metadata: dict[str, Any] | None = None,
        max_bytes: int | None = None,
        embed: bool | None = None,
        progress: ProgressCallback | None = None,
        embed_progress: EmbedProgress | None = None,
    ) -> IngestReport:
        """Ingest files and folders; then embed new passage texts when dense is on."""
        options = IngestOptions(
            metadata=metadata, max_bytes=self.settings.max_bytes if max_bytes is None else max_bytes
        )
        report = ingest_paths(self.store, [Path(p) for p in paths], options, progress)
        if self._should_embed(embed) and (report.count("added") or report.count("updated")):
            report.embedded = self.engine().update_embeddings(embed_progress)
        return report

    def _should_embed(self, embed: bool | None) -> bool:
        if embed is not None:
            return embed
        if self.settings.embed in ("0", "false", "no", "off"):
            return False
        if self.settings.embed in ("1", "true", "yes", "on"):
            return True
        from oncocite.search.dense import dense_available

        return dense_available()

    def documents(self) -> list[DocumentSummary]:
        """Every stored document, retired ones included (their status says so)."""
        return self.store.list_documents()

    def show(self, doc_id: str) -> DocumentRecord:
        """One document: metadata, cleaned text, passages and version history."""
        return self.store.get_document(doc_id)

    def review(
        self,
        today: dt.date | None = None,
        within_days: int = 0,
        include_unknown: bool = True,
    ) -> list[ReviewItem]:
        """Documents due or overdue for review on `today`, most overdue first."""
        return review_schedule(
            self.store.all_metadata(),
            today or dt.date.today(),
            within_days=within_days,
            include_unknown=include_unknown,
        )

    def retire(self, doc_id: str) -> int:
        """Hide a document from search but keep it and its history; returns the version."""
        return self.store.set_status(doc_id, Status.RETIRED.value)

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    # ------------------------------------------------------------------ search
    def engine(self) -> SearchEngine:
        """The search engine over this library, built on first use."""
        if self._engine is None:
            from oncocite.search.engine import SearchEngine

            self._engine = SearchEngine(self.store, model=self.settings.model)
        return self._engine

    def embed(self, progress: EmbedProgress | None = None) -> int:
        """Embed every passage text that has no vector yet; returns how many were new."""
        return self.engine().update_embeddings(progress)

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Sequence[str] = (),
        mode: SearchMode = "hybrid",
    ) -> list[Hit]:
        """Passages for a question, best first; filters are `key=value` strings."""
        from oncocite.search.filters import parse_filters

        return self.engine().search(query, k=k, filters=parse_filters(filters), mode=mode)

    def search_batch(
        self,
        queries: str | Path,
        run: str | Path,
        k: int = 100,
        filters: Sequence[str] = (),
        mode: SearchMode = "hybrid",
        tag: str | None = None,
        progress: EmbedProgress | None = None,
    ) -> int:
        """Run every `id<TAB>text` query of a file and write a TREC run; returns the count."""
        from oncocite.evaluation.trec import read_queries, write_run
        from oncocite.search.filters import parse_filters

        parsed = parse_filters(filters)
        engine = self.engine()
        results: dict[str, list[Hit]] = {}
        items = read_queries(Path(queries))
        for index, (qid, text) in enumerate(items, start=1):
            results[qid] = engine.search(text, k=k, filters=parsed, mode=mode)
            if progress is not None:
                progress(index, len(items))
        write_run(Path(run), results, tag or f"oncocite-{mode}")
        return len(results)

    @staticmethod
    def evaluate(
        qrels: str | Path, run: str | Path, measures: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """Standard IR measures of a TREC run against qrels (graded qrels supported)."""
        try:
            from oncocite.evaluation.metrics import evaluate_run
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise MissingExtra("eval", "ir-measures") from exc
        return evaluate_run(Path(qrels), Path(run), measures)
