"""The `oncocite` command: a thin shell over the Library API.

Each command parses its options, makes one call to the Library method of the same
name, and prints the model it returns: a table (or text) for people, or with --json
the model's JSON, the same shape the REST API serves. Progress and errors go to
stderr; exit code 1 means something failed, 2 that the command line was wrong.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, get_args

import typer
from pydantic import ValidationError

from oncocite.cli.common import DbOption, JsonOption, QuietOption, library_at
from oncocite.cli.metadata_flags import metadata_flags
from oncocite.cli.options import knowledge_app, options
from oncocite.cli.output import (
    counted,
    err,
    fail,
    new_table,
    one_line,
    out,
    print_json,
    printable,
    progress,
)
from oncocite.errors import OncociteError
from oncocite.library import Library, unreadable, upgrade_database
from oncocite.licences import excerpt
from oncocite.models import (
    Answer,
    IngestFileResult,
    MetadataOverrides,
    SearchMode,
    SearchResults,
)

__all__ = ["app", "main"]

app = typer.Typer(
    name="oncocite",
    help="Cited answers about cancer treatment from vetted patient-information documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

SEARCH_MODES: tuple[str, ...] = get_args(SearchMode)


@app.command()
@metadata_flags
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders; format detected per file.")
    ],
    metadata: MetadataOverrides | None = None,
    max_bytes: Annotated[
        str | None,
        typer.Option(help="Largest file accepted: bytes or e.g. 20MB (env ONCOCITE_MAX_BYTES)."),
    ] = None,
    time_budget: Annotated[
        str | None,
        typer.Option(help="Seconds one file may take (env ONCOCITE_TIME_BUDGET, default 20)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Let a file replace a document stored from another path."),
    ] = False,
    embed: Annotated[
        bool | None,
        typer.Option("--embed/--no-embed", help="Embed new passages (env ONCOCITE_EMBED)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Ingest documents: read, clean, validate, chunk and store them.

    A path given that does not exist or cannot be read is an `error:` line before
    anything else; bad files are reported one line each and skipped; the rest are
    stored, and the summary follows. Exits 1 if any path or file failed.
    Example: oncocite ingest ../shared/seeds --db lib.db
    """
    # Checked before the library is opened, so the reason is the first thing printed
    # (on stderr) and the summary, which counts these paths as failed, comes after it.
    unusable = {str(path): why for path in paths if (why := unreadable(path)) is not None}
    for shown, why in unusable.items():
        err.print(f"error: {one_line(shown)} {why}")
    with library_at(db) as lib, progress(quiet) as bar:
        files = bar.add_task("ingesting", total=None)
        embedding: list[Any] = []

        def on_file(result: IngestFileResult, index: int, total: int) -> None:
            bar.update(files, completed=index, total=total)
            if result.outcome == "failed" and not as_json and result.path not in unusable:
                err.print(f"failed: {one_line(result.error or '')}")

        def on_embed(done: int, total: int) -> None:
            if not embedding:
                embedding.append(bar.add_task("embedding", total=total))
            bar.update(embedding[0], completed=done, total=total)

        report = lib.ingest(
            paths,
            metadata=metadata,
            max_bytes=max_bytes,
            time_budget=time_budget,
            replace=replace,
            embed=embed,
            progress=on_file,
            embed_progress=on_embed,
        )
    if as_json:
        print_json(report)
    else:
        for r in report.results:
            for warning in r.warnings:
                err.print(f"warning: {one_line(Path(r.path).name)}: {one_line(warning)}")
        for notice in report.notices:
            err.print(f"notice: {one_line(notice)}")
        summary = report.summary()
        table = new_table("ingest summary", *(key.replace("_", " ") for key in summary))
        table.add_row(*(str(v) for v in summary.values()))
        out.print(table)
    if report.failed or unusable:
        raise typer.Exit(1)


@app.command()
def documents(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List stored documents with source, licence, status and version."""
    with library_at(db) as lib:
        listing = lib.documents()
    if as_json:
        print_json(listing)
        return
    table = new_table(
        f"{listing.total} documents",
        *("doc id", "title", "source", "licence", "status", "reviewed", "v", "passages"),
    )
    for d in listing.documents:
        table.add_row(
            one_line(d.doc_id),
            one_line(d.title[:60]),
            one_line(d.source or "—"),
            d.license or "—",
            d.status.value,
            d.last_reviewed.isoformat() if d.last_reviewed else "—",
            str(d.version),
            str(d.passages),
        )
    out.print(table)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id, e.g. 003_5c17e5cb39d03151.")],
    text: Annotated[bool, typer.Option("--text", help="Also print the cleaned text.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one document: metadata, versions and passages."""
    with library_at(db) as lib:
        record = lib.show(doc_id)
    if as_json:
        print_json(record)
        return
    table = new_table(record.doc_id, "field", "value", header=False)
    for key, value in record.metadata.to_record().items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        table.add_row(key, one_line(shown))
    table.add_row("format", record.format)
    table.add_row(
        "version", f"{record.version} of {len(record.versions)} ({record.content_hash[:12]})"
    )
    table.add_row("passages", str(len(record.passages)))
    out.print(table)
    for p in record.passages:
        heading = " > ".join(p.heading_path)
        out.print(f"{one_line(p.passage_id)} {one_line(heading)} [{p.start}:{p.end}]", style="bold")
        out.print(printable(p.text[:300] + ("…" if len(p.text) > 300 else "")))
    if text:
        out.print(printable(record.text))


@app.command()
def review(
    today: Annotated[
        str | None, typer.Option(help="Date to review against, YYYY-MM-DD (default today).")
    ] = None,
    within: Annotated[int, typer.Option(help="Also list what falls due within N days.")] = 0,
    known_only: Annotated[
        bool, typer.Option("--known-only", help="Leave out documents with no review date.")
    ] = False,
    screen: Annotated[
        bool,
        typer.Option(
            "--screen/--no-screen",
            help="Also list sentences the safety screen will never quote (reads every document).",
        ),
    ] = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List documents due or overdue for review (last reviewed + review frequency),
    drafts waiting for a reviewer, and sentences the safety screen flagged."""
    day = _day(today)
    with library_at(db) as lib:
        report = lib.review(today=day, within=within, known_only=known_only, screen=screen)
    if as_json:
        print_json(report)
        return
    if report.flagged:
        flagged = new_table(
            f"{len(report.flagged)} sentences the safety screen will never quote",
            *("doc id", "version", "offset", "rule", "sentence"),
        )
        for f in report.flagged:
            flagged.add_row(
                one_line(f.doc_id), str(f.version), str(f.start), f.rule, one_line(f.sentence)
            )
        out.print(flagged)
    table = new_table(
        f"{len(report.items)} documents to review on {report.today.isoformat()}",
        *("state", "doc id", "title", "source", "last reviewed", "due", "why"),
    )
    for i in report.items:
        table.add_row(
            i.state,
            one_line(i.doc_id),
            one_line(i.title[:50]),
            one_line(i.source or "—"),
            i.last_reviewed.isoformat() if i.last_reviewed else "—",
            i.due.isoformat() if i.due else "—",
            one_line(i.reason),
        )
    out.print(table)


@app.command()
def retire(
    doc_id: Annotated[str, typer.Argument(help="Document to hide from search.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Retire a document: kept with its history, never returned by search."""
    with library_at(db) as lib:
        result = lib.retire(doc_id)
    if as_json:
        print_json(result)
    else:
        state = "retired" if result.changed else "was already retired"
        out.print(f"{one_line(result.doc_id)} {state} (version {result.version})")


@app.command()
def activate(
    doc_id: Annotated[str, typer.Argument(help="Document a reviewer has checked.")],
    reviewer: Annotated[
        str | None, typer.Option(help="Who reviewed it (recorded in its provenance).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Activate a document after review: a draft may then be quoted in answers."""
    with library_at(db) as lib:
        result = lib.activate(doc_id, reviewer=reviewer)
    if as_json:
        print_json(result)
    else:
        state = "activated" if result.changed else "was already active"
        out.print(f"{one_line(result.doc_id)} {state} (version {result.version})")


@app.command()
def status(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the library holds, and whether dense search sees every passage."""
    with library_at(db) as lib:
        report = lib.status()
    if as_json:
        print_json(report)
        return
    table = new_table("library", "field", "value", header=False)
    table.add_row("documents", str(report.documents))
    for name, count in sorted(report.by_status.items()):
        table.add_row(f"  {name}", str(count))
    table.add_row("passages (not retired)", str(report.passages))
    table.add_row(f"with a {report.model} vector", str(report.passages_with_vectors))
    table.add_row("dense search complete", "yes" if report.dense_complete else "no")
    out.print(table)
    for notice in report.notices:
        err.print(f"notice: {one_line(notice)}")


@app.command()
def embed(db: DbOption = None, as_json: JsonOption = False, quiet: QuietOption = False) -> None:
    """Compute embeddings for every passage that has none (needs the dense extra)."""
    with library_at(db) as lib, progress(quiet) as bar:
        task = bar.add_task("embedding", total=None)
        report = lib.embed(lambda done, total: bar.update(task, completed=done, total=total))
    if as_json:
        print_json(report)
    else:
        out.print(f"{report.embedded} passage texts embedded ({report.model})")


def _print_hits(results: SearchResults) -> None:
    if not results.hits:
        err.print("no passages found")
    for rank, h in enumerate(results.hits, start=1):
        source = one_line(h.source or "unknown source")
        out.print(
            f"{rank}. {one_line(h.title)} — {source} "
            f"({one_line(h.passage_id)}, score {h.score:.3f})",
            style="bold",
        )
        out.print(printable(excerpt(h.text, h.license, 400)))
        if h.url:
            out.print(one_line(h.url))
        out.print()


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="A question in your own words.")] = None,
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 10,
    filters: Annotated[
        list[str] | None,
        typer.Option("--filter", help="key=value: cancer_type, audience, source, tier, …"),
    ] = None,
    mode: Annotated[str, typer.Option(help="hybrid, lexical or dense.")] = "hybrid",
    batch: Annotated[
        Path | None, typer.Option(help="Queries file, one id<TAB>text per line.")
    ] = None,
    run: Annotated[Path | None, typer.Option(help="TREC run file to write (with --batch).")] = None,
    tag: Annotated[str | None, typer.Option(help="Run tag for --run.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Search passages; or, with --batch and --run, write a TREC run for evaluation."""
    if mode not in SEARCH_MODES:
        fail(f"--mode {mode!r} is not one of {', '.join(SEARCH_MODES)}")
    chosen: SearchMode = mode  # type: ignore[assignment]
    if (batch is None) != (run is None) or (batch is None and not query):
        fail("give a QUERY, or both --batch QUERIES.tsv and --run RUN.trec")
    with library_at(db) as lib:
        if batch is not None and run is not None:
            with progress(quiet) as bar:
                task = bar.add_task("searching", total=None)
                written = lib.search_batch(
                    batch,
                    run,
                    k=k,
                    filters=filters or [],
                    mode=chosen,
                    tag=tag,
                    progress=lambda d, t: bar.update(task, completed=d, total=t),
                )
            for notice in written.notices:
                err.print(f"notice: {one_line(notice)}")
            if as_json:
                print_json(written)
            else:
                err.print(f"{written.queries} queries written to {one_line(str(run))}")
            return
        results = lib.search(query or "", k=k, filters=filters or [], mode=chosen)
    for notice in results.notices:
        err.print(f"notice: {one_line(notice)}")
    if results.reading is not None:
        for fix in results.reading.corrections:
            err.print(f"note: read {one_line(fix.written)!r} as {one_line(fix.read_as)!r}")
    if as_json:
        print_json(results)
    else:
        _print_hits(results)


def _day(today: str | None) -> dt.date | None:
    """The --today option as a date (None: today), or a one-line error."""
    try:
        return dt.date.fromisoformat(today) if today else None
    except ValueError:
        fail(f"--today {today!r} is not a date (YYYY-MM-DD)")


def _print_answer(answer: Answer) -> None:
    if answer.safety is not None:
        style = "bold red" if answer.safety.category in ("urgent", "self_harm") else "bold"
        out.print(printable(answer.safety.message), style=style)
        out.print()
    if answer.abstained:
        if answer.abstention is not None and answer.abstention.reason != "triage":
            out.print(f"No answer: {one_line(answer.abstention.detail)}.")
            if answer.abstention.next_step:
                out.print(one_line(answer.abstention.next_step))
            if answer.abstention.searched is not None:
                searched = answer.abstention.searched
                out.print(
                    f"Searched {counted(searched.passages, 'passage')} of "
                    f"{counted(searched.documents, 'document')} for {one_line(searched.query)!r}."
                )
        return
    if answer.worded:  # a model's wording, checked against the quotes shown after it
        for worded in answer.worded:
            cited = ",".join(str(n) for n in worded.citations)
            out.print(f"{printable(worded.text)} [{cited}]")
        out.print()
        out.print(f"Worded by {one_line(answer.worded_by or 'a model')} from:", style="bold")
    for sentence in answer.sentences:
        out.print(f"{printable(sentence.text)} [{sentence.citation}]")
    out.print()
    out.print("Sources:", style="bold")
    for c in answer.citations:
        reviewed = c.last_reviewed.isoformat() if c.last_reviewed else "unknown"
        flag = " (OVERDUE for review)" if c.review_overdue else ""
        section = " > ".join(c.section)
        out.print(
            f"[{c.n}] {one_line(c.title)} — {one_line(c.source or 'unknown source')}, "
            f"last reviewed {reviewed}{flag}, licence: {c.license_name or c.license or 'unknown'}"
        )
        out.print(f"    {one_line(section)} ({one_line(c.passage_id)}, version {c.version})")
        if c.url:
            out.print(f"    {one_line(c.url)}")
    # Each document once, and none already quoted: a reader wants the pages, not the
    # passages (one page can be read nine times over).
    quoted = {c.doc_id for c in answer.citations}
    pages = {p.doc_id: p for p in answer.consulted if p.doc_id not in quoted}
    if pages:
        out.print("Also read, not quoted:", style="bold")
        for p in pages.values():
            where = f" — {one_line(p.url)}" if p.url else ""
            out.print(f"  {one_line(p.title)} ({one_line(p.doc_id)}){where}")
    for note in answer.notes:
        err.print(f"note: {one_line(note)}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in your own words.")],
    filters: Annotated[
        list[str] | None,
        typer.Option("--filter", help="key=value: cancer_type, audience, source, tier, …"),
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="Date for review freshness, YYYY-MM-DD (default today).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer a question with sentences quoted from the library, each cited."""
    day = _day(today)
    with library_at(db) as lib:
        answer = lib.ask(question, filters=filters or [], today=day)
    if as_json:
        print_json(answer)
    else:
        _print_answer(answer)


@app.command()
def verify(
    answer: Annotated[Path, typer.Argument(help="An answer saved with `ask --json`.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check that every quote of a saved answer still stands in the library."""
    try:
        saved = Answer.model_validate_json(answer.read_bytes())
    except OSError as exc:
        fail(f"{answer}: cannot be read ({exc.strerror or exc})")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answer"
        fail(f"{answer}: not a saved answer ({where}: {first['msg']})")
    with library_at(db) as lib:
        result = lib.verify(saved)
    if as_json:
        print_json(result)
    else:
        for check in result.checks:
            mark = (
                "ok"
                if check.found and check.in_current
                else "CHANGED"
                if check.found
                else "MISSING"
            )
            out.print(
                f"[{check.n}] {mark}: {one_line(check.doc_id)} v{check.version}: {check.detail}"
            )
        out.print("all quotes found" if result.valid else "some quotes are not found")
    if not result.valid:
        raise typer.Exit(1)


@app.command(name="eval")
def evaluate(
    qrels: Annotated[Path, typer.Option(help="TREC qrels file (graded relevance allowed).")],
    run: Annotated[Path, typer.Option(help="TREC run file.")],
    measures: Annotated[
        list[str] | None,
        typer.Option("--measure", help="ir-measures name, e.g. nDCG@10 (repeat)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score a TREC run against qrels with standard IR measures."""
    try:
        result = Library.evaluate(qrels, run, measures)
    except (OncociteError, OSError) as exc:
        fail(str(exc))
    if as_json:
        print_json(result)
        return
    table = new_table(
        f"{run.name} vs {qrels.name}: {result.queries} judged queries", "measure", "value"
    )
    for name, value in result.measures.items():
        table.add_row(name, f"{value:.4f}")
    out.print(table)


app.command("options")(options)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    db: DbOption = None,
) -> None:
    """Serve the REST API and the web page (needs the server extra)."""
    try:
        from oncocite.api.server import serve as run
    except ImportError:
        fail("oncocite serve needs the server extra: pip install 'oncocite[server]'")
    try:
        run(host, port, workers, db)
    except OncociteError as exc:
        fail(str(exc))


app.add_typer(knowledge_app, name="knowledge")

db_app = typer.Typer(help="The library's database: its schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Apply the schema migrations the library lacks (run before starting workers on
    a new release; a PostgreSQL library is only ever changed by this command)."""
    try:
        result = upgrade_database(db)
    except OncociteError as exc:
        fail(str(exc))
    if as_json:
        print_json(result)
    elif result.changed:
        out.print(
            f"{result.database}: schema upgraded from version {result.from_version} "
            f"to {result.to_version}"
        )
    else:
        out.print(f"{result.database}: schema is at version {result.to_version}, nothing to do")


def main() -> None:
    """Console entry point."""
    app()
