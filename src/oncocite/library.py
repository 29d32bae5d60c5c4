"""The Python API: one Library object per store, mirrored command by command by the CLI.

Every method returns a pydantic model from `oncocite.models`; the CLI prints it
(`--json` is its `model_dump_json()`) and the REST API will serve the same model,
so there is one public shape per operation.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from oncocite.answers.compose import AnswerEngine
from oncocite.answers.verify import verify_answer
from oncocite.config import Settings, load_settings
from oncocite.errors import InvalidQuery, MissingExtra
from oncocite.governance.review import review_schedule
from oncocite.ingest.pipeline import IngestOptions, ProgressCallback, ingest_paths
from oncocite.models import (
    Answer,
    BatchRun,
    DocumentList,
    DocumentRecord,
    EmbedReport,
    Evaluation,
    IngestReport,
    KnowledgeCheck,
    MetadataOverrides,
    OptionsReport,
    Profile,
    RetireResult,
    ReviewReport,
    SchemaUpgrade,
    SearchMode,
    SearchResults,
    Status,
    Verification,
)
from oncocite.search.engine import EngineConfig, SearchEngine
from oncocite.store import Store, open_store, upgrade_store

__all__ = ["Library", "open_library", "upgrade_database"]

CountProgress = Callable[[int, int], None]
# review --within: a century ahead is the most anyone can mean
MAX_WITHIN_DAYS = 36_500


def open_library(db: str | Path | None = None, **settings: Any) -> Library:
    """Open (creating if needed) the library at `db`, or ONCOCITE_DB, or ./oncocite.db.

    Other settings (`embed`, `model`, `max_bytes`) may be given as keywords; what is
    not given comes from the ONCOCITE_* environment, then the defaults.
    """
    return Library(load_settings({"db": None if db is None else str(db), **settings}))


def upgrade_database(db: str | Path | None = None) -> SchemaUpgrade:
    """Apply the schema migrations the library at `db` (or ONCOCITE_DB) lacks.

    Run it once per release before starting workers on a PostgreSQL library; a
    SQLite library is also upgraded whenever it is opened.
    """
    settings = load_settings({"db": None if db is None else str(db)})
    return upgrade_store(settings.db)


class Library:
    """A governed library of vetted documents, with search over its passages."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.store: Store = open_store(self.settings.db)
        self._engine: SearchEngine | None = None
        self._answers: AnswerEngine | None = None

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
        metadata: MetadataOverrides | None = None,
        max_bytes: int | str | None = None,
        time_budget: float | str | None = None,
        replace: bool = False,
        embed: bool | None = None,
        progress: ProgressCallback | None = None,
        embed_progress: CountProgress | None = None,
    ) -> IngestReport:
        """Ingest files and folders; then embed new passage texts when dense is on.

        `max_bytes`, `time_budget` and `embed` override the library's settings for
        this run only. `replace` lets a file take over a document id stored from
        another path (without it, such a file fails rather than silently replacing).
        """
        settings = self.settings
        flags = {"max_bytes": max_bytes, "time_budget": time_budget, "embed": embed}
        if any(value is not None for value in flags.values()):
            settings = load_settings({**settings.model_dump(), **flags}, environ={})
        options = IngestOptions(
            metadata=metadata,
            max_bytes=int(settings.max_bytes),
            time_budget_s=settings.time_budget,
            replace=replace,
        )
        started = time.perf_counter()
        report = ingest_paths(self.store, [Path(p) for p in paths], options, progress)
        changed = report.count("added") or report.count("updated")
        if changed and self._should_embed(settings):
            report.embedded = self.engine().update_embeddings(embed_progress)
        if changed:
            self.engine().refresh_index()
            self._warn_of_drift(report)
        report.seconds = time.perf_counter() - started  # the whole run, embedding included
        return report

    def _warn_of_drift(self, report: IngestReport) -> None:
        """A re-ingested source that no longer says what a knowledge-base fact quotes
        gets a warning naming the fact (`oncocite knowledge check` then exits 1)."""
        from oncocite.knowledge.citations import check_knowledge
        from oncocite.knowledge.load import shipped_knowledge

        knowledge = shipped_knowledge()
        changed = {
            r.doc_id for r in report.results if r.outcome in ("added", "updated") and r.doc_id
        }
        cited = changed & knowledge.cited_documents()
        if not cited:
            return
        problems = check_knowledge(self.store, knowledge, documents=cited).problems
        for result in report.results:
            for problem in problems:
                if problem.doc_id == result.doc_id:
                    result.warnings.append(
                        f"no longer supports the knowledge-base fact {problem.option} "
                        f"({problem.fact}): it quoted {problem.quote!r}"
                    )

    # ----------------------------------------------------------------- options
    def options(self, profile: Profile) -> OptionsReport:
        """Every option of the knowledge base for a tumour profile: whether it
        matches, does not, or needs information, why, and where the sources say so."""
        from oncocite.knowledge.citations import CitationResolver
        from oncocite.knowledge.load import shipped_knowledge
        from oncocite.knowledge.matcher import match_options

        knowledge = shipped_knowledge()
        return match_options(profile, knowledge, CitationResolver(self.store, knowledge))

    def check_knowledge(self) -> KnowledgeCheck:
        """Whether every quote of the knowledge base still stands in its document."""
        from oncocite.knowledge.citations import check_knowledge
        from oncocite.knowledge.load import shipped_knowledge

        return check_knowledge(self.store, shipped_knowledge())

    def _should_embed(self, settings: Settings) -> bool:
        if settings.embed != "auto":
            return settings.embed == "1"
        from oncocite.search.dense import dense_available

        return dense_available(settings.model)

    def documents(self) -> DocumentList:
        """Every stored document, retired ones included (their status says so)."""
        return DocumentList(documents=self.store.list_documents())

    def show(self, doc_id: str) -> DocumentRecord:
        """One document: metadata, cleaned text, passages and version history."""
        return self.store.get_document(doc_id)

    def review(
        self, today: dt.date | None = None, within: int = 0, known_only: bool = False
    ) -> ReviewReport:
        """Documents due or overdue for review on `today` (or within `within` days
        after it), most overdue first; `known_only` leaves out those with no date."""
        if not 0 <= within <= MAX_WITHIN_DAYS:
            raise InvalidQuery(
                f"within={within} days is out of range (0 to {MAX_WITHIN_DAYS:,}, a century)"
            )
        day = today or dt.date.today()
        items = review_schedule(
            self.store.all_metadata(), day, within_days=within, include_unknown=not known_only
        )
        return ReviewReport(today=day, within=within, known_only=known_only, items=items)

    def retire(self, doc_id: str) -> RetireResult:
        """Hide a document from search but keep it and its history."""
        before = self.store.get_document(doc_id).version
        version = self.store.set_status(doc_id, Status.RETIRED)
        if version != before:
            self.engine().refresh_index()
        return RetireResult(
            doc_id=doc_id, status=Status.RETIRED, version=version, changed=version != before
        )

    def counts(self) -> dict[str, int]:
        """How many documents, versions, passages and embeddings are stored."""
        return self.store.counts()

    # ------------------------------------------------------------------ search
    def engine(self) -> SearchEngine:
        """The search engine over this library, built on first use."""
        if self._engine is None:
            config = EngineConfig(
                quantised_queries=self.settings.quantised_queries,
                model_cache=self.settings.cache_dir,
            )
            self._engine = SearchEngine(self.store, model=self.settings.model, config=config)
        return self._engine

    def embed(self, progress: CountProgress | None = None) -> EmbedReport:
        """Embed every passage text that has no vector yet."""
        count = self.engine().update_embeddings(progress)
        return EmbedReport(model=self.settings.model, embedded=count)

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Sequence[str] = (),
        mode: SearchMode = "hybrid",
    ) -> SearchResults:
        """Passages for a question, best first; filters are `key=value` strings."""
        from oncocite.search.filters import parse_filters

        results = self.engine().search(query, k=k, filters=parse_filters(filters), mode=mode)
        return results.model_copy(update={"filters": list(filters)})

    def answers(self) -> AnswerEngine:
        """The answering engine over this library, built on first use."""
        if self._answers is None:
            self._answers = AnswerEngine(self.store, self.engine())
        return self._answers

    def ask(
        self, question: str, filters: Sequence[str] = (), today: dt.date | None = None
    ) -> Answer:
        """A short answer whose every sentence is quoted and cited, or an abstention
        that says why; urgent and dosing questions get fixed safety messages.

        `today` decides which sources are overdue for review (default: today).
        """
        from oncocite.search.filters import parse_filters

        answer = self.answers().ask(question, parse_filters(filters), filters, today)
        if self.settings.llm_url and not answer.abstained and answer.sentences:
            from oncocite.answers.llm import WordingModel, reword

            key = self.settings.llm_key
            model = WordingModel(
                url=self.settings.llm_url,
                model=self.settings.llm_model,
                key=None if key is None else key.get_secret_value(),
                timeout=self.settings.llm_timeout,
            )
            answer = reword(answer, model, self.answers().grounding())
        return answer

    def verify(self, answer: Answer) -> Verification:
        """Whether each quote of a saved answer still stands in the cited version,
        and whether the newest version of that document still says it."""
        return verify_answer(self.store, answer)

    def search_batch(
        self,
        batch: str | Path,
        run: str | Path,
        k: int = 10,
        filters: Sequence[str] = (),
        mode: SearchMode = "hybrid",
        tag: str | None = None,
        progress: CountProgress | None = None,
    ) -> BatchRun:
        """Run every `id<TAB>text` query of a file and write a TREC run."""
        from oncocite.evaluation.trec import read_queries, write_run
        from oncocite.search.filters import parse_filters

        parsed = parse_filters(filters)
        engine = self.engine()
        results: dict[str, SearchResults] = {}
        items = read_queries(Path(batch))
        for index, (qid, text) in enumerate(items, start=1):
            results[qid] = engine.search(text, k=k, filters=parsed, mode=mode)
            if progress is not None:
                progress(index, len(items))
        run_tag = tag or f"oncocite-{mode}"
        write_run(Path(run), {qid: r.hits for qid, r in results.items()}, run_tag)
        notices = sorted({n for r in results.values() for n in r.notices})
        used = {r.mode_used for r in results.values()}
        return BatchRun(
            run=str(run),
            queries=len(results),
            k=k,
            mode=mode,
            mode_used=mode if len(used) != 1 else used.pop(),
            tag=run_tag,
            notices=notices,
        )

    @staticmethod
    def evaluate(
        qrels: str | Path, run: str | Path, measures: Sequence[str] | None = None
    ) -> Evaluation:
        """Standard IR measures of a TREC run against qrels (graded qrels supported)."""
        try:
            from oncocite.evaluation.metrics import evaluate_run
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise MissingExtra("eval", "ir-measures") from exc
        return evaluate_run(Path(qrels), Path(run), measures)
