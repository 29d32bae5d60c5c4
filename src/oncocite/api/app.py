"""The REST API: the Library's methods over HTTP, returning the Library's models.

No second set of shapes: each route returns the pydantic model the Python API
returns, and every error is a problem body (api/problems.py). One Library per
process, warmed up before the first request; its store gives each thread its own
connection, so the thread pool FastAPI runs routes in is safe.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from oncocite.api.headers import SecurityHeaders
from oncocite.api.limits import BodyLimit, RateLimit, RequestTimeout
from oncocite.api.observe import Metrics, log_event
from oncocite.api.problems import PROBLEM_JSON, Problem, problem, problem_handlers
from oncocite.config import Settings
from oncocite.errors import MissingExtra
from oncocite.library import Library
from oncocite.models import (
    ActivateResult,
    Answer,
    DocumentList,
    DocumentRecord,
    IngestReport,
    MetadataOverrides,
    OptionsReport,
    Profile,
    RetireResult,
    ReviewReport,
    SearchMode,
    SearchResults,
)

__all__ = ["AskRequest", "IngestRequest", "create_app"]

STATIC = Path(__file__).with_name("static")
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": title}
    for status, title in {
        413: "Request body too large",
        422: "Invalid request",
        429: "Too many requests",
        504: "Request timed out",
    }.items()
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Not found"}
}
ADMIN: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Bad token"},
    **NOT_FOUND,
}


class AskRequest(BaseModel):
    """A question, and optionally filters and the day review dates are judged by."""

    question: str = Field(min_length=1, max_length=100_000)
    filters: list[str] = Field(default_factory=list, max_length=20)
    today: dt.date | None = None


class IngestRequest(BaseModel):
    """One document to ingest: its file name (the format and id come from it), its
    text and the metadata a curator gives."""

    filename: str = Field(min_length=1, max_length=200)
    content: str
    metadata: MetadataOverrides | None = None
    replace: bool = False


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    documents: int
    passages: int
    passages_without_vectors: int = 0
    dense_complete: bool = True
    notices: list[str] = Field(default_factory=list)


def _without_paths(record: DocumentRecord) -> DocumentRecord:
    """A document as the unauthenticated API shows it: where it was read from is a
    file name, not a path on the server (an upload keeps its `upload:` name)."""

    def name(path: str | None) -> str | None:
        return None if path is None else path.replace("\\", "/").rsplit("/", 1)[-1]

    versions = [v.model_copy(update={"path": name(v.path)}) for v in record.versions]
    return record.model_copy(update={"path": name(record.path), "versions": versions})


def create_app(library: Library, settings: Settings | None = None) -> FastAPI:
    """The API over `library`, with limits from `settings` (default: the library's)."""
    settings = settings or library.settings
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            library.search("warm up", k=1)  # indexes and model loaded before any client
        except MissingExtra as exc:
            # The library's model cannot run on this installation (e.g. `minilm`
            # without the torch extra): the service still starts, lexical routes work,
            # and each dense search answers 500 naming the extra; the log says it now.
            log_event("warm_up_failed", detail=str(exc), extra=exc.extra)
        library.answers()
        yield

    app = FastAPI(
        title="oncocite",
        version="0.1.0",
        summary="Cited answers about breast-cancer treatment from vetted sources.",
        lifespan=lifespan,
        exception_handlers=problem_handlers(),
    )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log_event("error", path=request.url.path, error=type(exc).__name__)
        return problem(500, "something went wrong on our side", request.url.path)

    def question_fits(text: str, what: str) -> None:
        if len(text) > settings.api_max_question:
            raise HTTPException(422, f"{what}: longer than {settings.api_max_question} characters")

    def admin(authorization: Annotated[str | None, Header()] = None) -> None:
        secret = "" if settings.admin_token is None else settings.admin_token.get_secret_value()
        if not secret.strip():  # off: as if the route did not exist; a blank token never opens it
            raise HTTPException(404, "Not Found")
        # RFC 9110: the scheme is case-insensitive ("bearer" is Bearer), and it is required:
        # a bare token is refused, so a token pasted into the wrong header never passes.
        scheme, _, given = (authorization or "").strip().partition(" ")
        matches = hmac.compare_digest(given.strip().encode(), secret.encode())
        if scheme.lower() != "bearer" or not matches:
            raise HTTPException(
                401, "a valid admin token is needed", headers={"WWW-Authenticate": "Bearer"}
            )

    # ------------------------------------------------------------------ reading
    @app.get("/v1/search", response_model=SearchResults, responses=ERRORS)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=100_000)],
        k: Annotated[int, Query(ge=1, le=100)] = 10,
        filter: Annotated[list[str] | None, Query(max_length=20)] = None,
        mode: SearchMode = "hybrid",
    ) -> SearchResults:
        """Passages for a query, best first (`filter` as key=value, repeatable)."""
        question_fits(q, "q")
        return library.search(q, k=k, filters=filter or [], mode=mode)

    @app.post("/v1/ask", response_model=Answer, responses=ERRORS)
    def ask(request: AskRequest) -> Answer:
        """A short answer quoted from the library with citations, a safety message,
        or an abstention that says why."""
        question_fits(request.question, "question")
        started = time.perf_counter()
        answer = library.ask(request.question, filters=request.filters, today=request.today)
        if answer.safety is not None:
            metrics.triage.labels(answer.safety.category).inc()
        if answer.abstained and answer.abstention is not None:
            metrics.abstentions.labels(answer.abstention.reason).inc()
        # What was asked, never its words, unless ONCOCITE_LOG_QUESTIONS opts in (redacted)
        shown = {"question": request.question} if settings.log_questions else {}
        log_event(
            "ask",
            **shown,
            needs=Library.asked(answer),
            abstained=answer.abstained,
            reason=None if answer.abstention is None else answer.abstention.reason,
            safety=None if answer.safety is None else answer.safety.category,
            citations=len(answer.citations),
            ms=round(1000 * (time.perf_counter() - started), 1),
        )
        return answer

    @app.post("/v1/options", response_model=OptionsReport, responses=ERRORS)
    def options(profile: Profile) -> OptionsReport:
        """Which targeted and immunotherapy options the sources describe for a profile."""
        return library.options(profile)

    @app.get("/v1/documents", response_model=DocumentList, responses=ERRORS)
    def documents() -> DocumentList:
        """Every stored document."""
        return library.documents()

    @app.get(
        "/v1/documents/{doc_id}", response_model=DocumentRecord, responses={**ERRORS, **NOT_FOUND}
    )
    def document(doc_id: str) -> DocumentRecord:
        """One document: metadata, versions, text and passages (file names, never the
        server's paths)."""
        return _without_paths(library.show(doc_id))

    @app.get("/v1/review", response_model=ReviewReport, responses=ERRORS)
    def review(
        today: dt.date | None = None,
        within: Annotated[int, Query(ge=0, le=36_500)] = 0,
        known_only: bool = False,
    ) -> ReviewReport:
        """Documents due or overdue for review."""
        return library.review(today=today, within=within, known_only=known_only)

    # -------------------------------------------------------------------- admin
    @app.post(
        "/v1/admin/ingest",
        response_model=IngestReport,
        responses={**ERRORS, **ADMIN},
        dependencies=[Depends(admin)],
    )
    def ingest(request: Annotated[IngestRequest, Body()]) -> IngestReport:
        """Ingest one document (admin token needed). It is stored as a draft, never
        quoted in answers until a reviewer activates it; a document that cannot be
        stored is a 422 naming the field."""
        report = library.ingest_upload(
            request.filename, request.content, request.metadata, request.replace
        )
        names = [r.path for r in report.results]
        log_event("ingest", file=names, outcome=[r.outcome for r in report.results])
        failed = [r.error or "could not be stored" for r in report.results if r.outcome == "failed"]
        if failed:
            raise HTTPException(422, "; ".join(failed))
        return report

    @app.post(
        "/v1/admin/documents/{doc_id}/retire",
        response_model=RetireResult,
        responses={**ERRORS, **ADMIN},
        dependencies=[Depends(admin)],
    )
    def retire(doc_id: str) -> RetireResult:
        """Retire a document (admin token needed): it stays stored, never served."""
        return library.retire(doc_id)

    @app.post(
        "/v1/admin/documents/{doc_id}/activate",
        response_model=ActivateResult,
        responses={**ERRORS, **ADMIN},
        dependencies=[Depends(admin)],
    )
    def activate(
        doc_id: str, reviewer: Annotated[str | None, Query(max_length=200)] = None
    ) -> ActivateResult:
        """Activate a document after review (admin token needed): it may be quoted."""
        return library.activate(doc_id, reviewer=reviewer)

    # ------------------------------------------------------------------- health
    @app.get("/healthz", response_model=Health)
    def healthz() -> Health:
        """The process is up."""
        return Health(status="ok")

    @app.get("/readyz", response_model=Ready, responses={503: {"model": Problem}})
    def readyz() -> Ready:
        """The library can be read; `dense_complete` false when some passages have no
        vector (dense search cannot find them until `oncocite embed` runs)."""
        counts = library.counts()
        engine = library.engine()
        searchable, with_vectors = engine.vector_coverage()  # kept until the library changes
        gap = searchable - with_vectors
        return Ready(
            status="ready",
            documents=counts["documents"],
            passages=counts["passages"],
            passages_without_vectors=gap,
            dense_complete=gap == 0,
            notices=[engine.coverage_notice(searchable, with_vectors)] if gap else [],
        )

    @app.get("/metrics", response_class=Response, include_in_schema=False)
    def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    # --------------------------------------------------------------------- page
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

        @app.get("/", include_in_schema=False)
        def page() -> FileResponse:
            return FileResponse(STATIC / "index.html", media_type="text/html")

    # The last added runs first: SecurityHeaders > _Measured > RateLimit > RequestTimeout >
    # BodyLimit > routes, so the deadline (504) also covers reading the body, and every
    # response, the limits' refusals included, carries the security headers.
    app.add_middleware(BodyLimit, max_bytes=int(settings.api_max_body))
    app.add_middleware(RequestTimeout, seconds=settings.api_timeout)
    app.add_middleware(RateLimit, rate=settings.api_rate)
    app.add_middleware(_Measured, metrics=metrics)
    app.add_middleware(SecurityHeaders)
    return app


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class _Measured:
    """Counts every request (limits' refusals included) and times it by route."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # 499 (as nginx counts it): the app never answered because the client left or
        # was cut off by the server's own 408 or 431; an error in the app is a real 500
        status = 499

        async def tracked(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(path, scope["method"], str(status)).inc()
            self.metrics.latency.labels(path).observe(time.perf_counter() - started)
