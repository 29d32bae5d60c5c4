"""The Python API: one Library object per store, mirrored command by command by the CLI.

Every method returns a pydantic model from `oncocite.models`; the CLI prints it
(`--json` is its `model_dump_json()`) and the REST API will serve the same model,
so there is one public shape per operation.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from oncocite.answers.compose import AnswerEngine
from oncocite.answers.verify import verify_answer
from oncocite.config import Settings, load_settings
from oncocite.errors import InvalidQuery, MissingExtra
from oncocite.governance.review import review_schedule
from oncocite.ingest.loading import unreadable
from oncocite.ingest.pipeline import IngestOptions, ProgressCallback, ingest_paths
from oncocite.models import (
    ActivateResult,
    Answer,
    BatchRun,
    DocumentList,
    DocumentRecord,
    EmbedReport,
    Evaluation,
    IngestOrigin,
    IngestReport,
    KnowledgeCheck,
    LibraryStatus,
    MetadataOverrides,
    OptionsReport,
    Profile,
    RetireResult,
    ReviewReport,
    SchemaUpgrade,
    ScreenedSentence,
    SearchMode,
    SearchResults,
    Status,
    Verification,
    shown,
)
from oncocite.search.engine import EngineConfig, SearchEngine
from oncocite.store import Store, open_store, upgrade_store

__all__ = ["Library", "open_library", "unreadable", "upgrade_database"]

CountProgress = Callable[[int, int], None]
# review --within: a century ahead is the most anyone can mean
MAX_WITHIN_DAYS = 36_500


def open_library(db: str | Path | None = None, **settings: Any) -> Library:
    """Open (creating if needed) the library at `db`, or ONCOCITE_DB, or ./oncocite.db.

    Other settings (`embed`, `model`, `max_bytes`) may be given as keywords; what is
    not given comes from the ONCOCITE_* environment, then the defaults.
    """
    return Library(load_settings({"db": None if db is None else str(db), **settings}))


# An uploaded file's name, made safe to be a file name in a temporary folder.
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _local_user() -> str | None:
    """The account running this process, recorded as who ingested (None if unknown)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


def upgrade_database(db: str | Path | None = None) -> SchemaUpgrade:
    """Apply the schema migrations the library at `db` (or ONCOCITE_DB) lacks.

    Run it once per release before starting workers on a PostgreSQL library; a
    SQLite library is also upgraded whenever it is opened.
    """
    settings = load_settings({"db": None if db is None else str(db)})
    return upgrade_store(settings.db)


class Library:
    """A governed library of vetted documents, with search over its passages."""

    def __init__(self, settings: Settings | None = None, origin: IngestOrigin = "python") -> None:
        self.settings = settings or load_settings()
        self.origin: IngestOrigin = origin  # recorded in what `ingest` stores (cli, python)
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
        """Ingest files and folders; then embed the passage texts that have no vector
        (new ones, and any an interrupted run left) when dense is on.

        `max_bytes`, `time_budget` and `embed` override the library's settings for
        this run only. `replace` lets a file take over a document id stored from
        another path (without it, such a file fails rather than silently replacing).
        Each document records this library's `origin` and the local user as its
        provenance; one with no source or no licence is stored as a draft.
        """
        settings = self._run_settings(max_bytes, time_budget, embed)
        options = self._ingest_options(settings, metadata, replace, self.origin, _local_user())
        return self._ingest(paths, options, settings, progress, embed_progress)

    def ingest_upload(
        self,
        filename: str,
        content: str,
        metadata: MetadataOverrides | None = None,
        replace: bool = False,
    ) -> IngestReport:
        """Ingest one document sent over the network (the REST API's admin ingest).

        It is stored as a draft whatever it claims, never quoted until a reviewer
        activates it, and under its file name (`upload:NAME`) rather than the
        temporary path it passed through, which the report does not show either.
        """
        name = SAFE_NAME.sub("_", Path(filename).name).lstrip(".") or "document.txt"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_text(content, encoding="utf-8")
            options = self._ingest_options(
                self.settings, metadata, replace, "api", "admin token", upload_name=name
            )
            report = self._ingest([path], options, self.settings)
        for result in report.results:
            result.path = name
        return report

    def _run_settings(
        self, max_bytes: int | str | None, time_budget: float | str | None, embed: bool | None
    ) -> Settings:
        """The library's settings with this run's overrides (those not None)."""
        flags = {"max_bytes": max_bytes, "time_budget": time_budget, "embed": embed}
        if all(value is None for value in flags.values()):
            return self.settings
        return load_settings({**self.settings.model_dump(), **flags}, environ={})

    @staticmethod
    def _ingest_options(
        settings: Settings,
        metadata: MetadataOverrides | None,
        replace: bool,
        origin: IngestOrigin,
        actor: str | None,
        upload_name: str | None = None,
    ) -> IngestOptions:
        return IngestOptions(
            metadata=metadata,
            max_bytes=int(settings.max_bytes),
            time_budget_s=settings.time_budget,
            replace=replace,
            origin=origin,
            actor=actor,
            upload_name=upload_name,
        )

    def _ingest(
        self,
        paths: Sequence[str | Path],
        options: IngestOptions,
        settings: Settings,
        progress: ProgressCallback | None = None,
        embed_progress: CountProgress | None = None,
    ) -> IngestReport:
        """One ingest run: read and store, embed what has no vector, then bring the
        lexical index, the drift warnings and the screen's flags up to date."""
        started = time.perf_counter()
        report = ingest_paths(self.store, [Path(p) for p in paths], options, progress)
        changed = report.count("added") or report.count("updated")
        if self._should_embed(settings):
            self._embed_after_ingest(report, bool(changed), embed_progress)
        if changed:
            self.engine().refresh_index()
            self._warn_of_drift(report)
            self._flag_unsafe_sentences(report)
        report.seconds = time.perf_counter() - started  # the whole run, embedding included
        return report

    def _embed_after_ingest(
        self, report: IngestReport, changed: bool, progress: CountProgress | None
    ) -> None:
        """Embed what has no vector. A run killed while embedding leaves passages
        stored without vectors, and the files then read as unchanged: so the gap is
        looked for on every run, not only after a change, and healed here."""
        engine = self.engine()
        missing = engine.texts_without_vectors()
        if not missing:
            return
        report.embedded = engine.update_embeddings(progress)
        if not changed:
            report.notices.append(
                f"embedded {report.embedded} passage texts that had no vector (an earlier "
                "run was interrupted while embedding)"
            )

    def _flag_unsafe_sentences(self, report: IngestReport) -> None:
        """A warning for each sentence of a new version that the safety screen will
        never quote, naming where it is, so a curator checks it against the source."""
        from oncocite.governance.screen import screen_text

        for result in report.results:
            if result.outcome not in ("added", "updated") or result.doc_id is None:
                continue
            text = self.store.version_text(result.doc_id, result.version or 0) or ""
            for flag in screen_text(text):
                result.warnings.append(
                    f"the sentence at offset {flag.start} will never be quoted ({flag.reason}; "
                    f"rule {flag.rule}): {shown(flag.sentence)}"
                )

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
        self,
        today: dt.date | None = None,
        within: int = 0,
        known_only: bool = False,
        screen: bool = True,
    ) -> ReviewReport:
        """Documents due or overdue for review on `today` (or within `within` days
        after it), most overdue first, and drafts waiting for a reviewer; `known_only`
        leaves out those with no date. With `screen`, also every stored sentence the
        safety screen will never quote (the whole library is read: seconds on 16,000
        documents)."""
        if not 0 <= within <= MAX_WITHIN_DAYS:
            raise InvalidQuery(
                f"within={within} days is out of range (0 to {MAX_WITHIN_DAYS:,}, a century)"
            )
        day = today or dt.date.today()
        if day > dt.date.max - dt.timedelta(days=within):
            raise InvalidQuery(
                f"today={day.isoformat()} with within={within} days reaches past the last "
                "date there is: give a real day"
            )
        items = review_schedule(
            self.store.all_metadata(), day, within_days=within, include_unknown=not known_only
        )
        flagged = self.flagged_sentences() if screen else []
        return ReviewReport(
            today=day, within=within, known_only=known_only, items=items, flagged=flagged
        )

    def flagged_sentences(self) -> list[ScreenedSentence]:
        """Every sentence of the documents that can be read (not retired) that the
        safety screen will never quote, for a reviewer."""
        from oncocite.governance.screen import screen_text

        found: list[ScreenedSentence] = []
        for summary in self.store.list_documents():
            if summary.status is Status.RETIRED:
                continue
            text = self.store.version_text(summary.doc_id, summary.version) or ""
            found.extend(
                ScreenedSentence(
                    doc_id=summary.doc_id,
                    version=summary.version,
                    start=flag.start,
                    end=flag.end,
                    sentence=flag.sentence,
                    rule=flag.rule,
                    category=flag.category,
                    reason=flag.reason,
                )
                for flag in screen_text(text)
            )
        return found

    def activate(self, doc_id: str, reviewer: str | None = None) -> ActivateResult:
        """A reviewer's word that a draft (or any stored document) may be quoted in
        answers; `reviewer` is recorded in its provenance."""
        record = self.store.get_document(doc_id)
        if record.metadata.status is Status.RETIRED:
            raise InvalidQuery(
                f"{doc_id} is retired: ingest its source again to bring it back, then "
                "activate that version"
            )
        version = self.store.set_status(doc_id, Status.ACTIVE, reviewed_by=reviewer)
        if version != record.version:
            self.engine().refresh_index()
        return ActivateResult(
            doc_id=doc_id,
            status=Status.ACTIVE,
            version=version,
            changed=version != record.version,
            reviewed_by=reviewer,
        )

    def status(self) -> LibraryStatus:
        """How many documents (by status) and passages the library holds, and whether
        dense search sees all of them (a run killed while embedding leaves a gap)."""
        documents = self.store.list_documents()
        by_status: dict[str, int] = {}
        for summary in documents:
            by_status[summary.status.value] = by_status.get(summary.status.value, 0) + 1
        engine = self.engine()
        searchable, with_vectors = engine.vector_coverage()
        notices = []
        if with_vectors < searchable:
            notices.append(engine.coverage_notice(searchable, with_vectors))
        if by_status.get(Status.DRAFT.value):
            notices.append(
                f"{by_status[Status.DRAFT.value]} drafts are never quoted in answers until a "
                "reviewer activates them (`oncocite review` lists them)"
            )
        return LibraryStatus(
            documents=len(documents),
            by_status=by_status,
            passages=searchable,
            model=self.settings.model,
            passages_with_vectors=with_vectors,
            passages_without_vectors=searchable - with_vectors,
            dense_complete=with_vectors == searchable,
            notices=notices,
        )

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
                batch_queries=self.settings.query_batching,
                cache_dir=self.settings.cache_dir,
                ann_min_passages=self.settings.ann_min_passages,
                prescan_min_rows=self.settings.prescan_min_rows,
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

        parsed = parse_filters(filters)
        if not parsed.statuses:  # drafts only when asked for by name (--filter status=draft)
            parsed = replace(parsed, statuses=frozenset({Status.ACTIVE.value}))
        results = self.engine().search(query, k=k, filters=parsed, mode=mode)
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

    @staticmethod
    def asked(answer: Answer) -> list[dict[str, Any]]:
        """What an answer's message asked, without its words (question kinds,
        vocabulary terms, outcomes): what the service logs by default."""
        from oncocite.answers.asked import asked

        return asked(answer)

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
