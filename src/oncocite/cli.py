"""The `oncocite` command: a thin shell over the Library API.

Each command parses its options, makes one call to the Library method of the same
name, and formats the result. Data goes to stdout (a table, or JSON with --json);
progress and errors go to stderr; exit code 1 means something failed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from oncocite.errors import OncociteError
from oncocite.library import Library, SearchMode, open_library
from oncocite.licences import excerpt
from oncocite.models import IngestFileResult

app = typer.Typer(
    name="oncocite",
    help="Cited answers about cancer treatment from vetted patient-information documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output is not squeezed into 80 columns: a table read by a script or a log
# should keep whole ids and titles.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLite file or sqlite:///path (env ONCOCITE_DB).", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]


@contextmanager
def _library(db: str | None) -> Iterator[Library]:
    """Open the library; any OncociteError becomes one line on stderr and exit 1."""
    try:
        with open_library(db) as lib:
            yield lib
    except (OncociteError, OSError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders; format detected per file.")
    ],
    title: Annotated[str | None, typer.Option(help="Document title (overrides the file).")] = None,
    source: Annotated[
        str | None, typer.Option(help="Publisher, e.g. 'Cancer Research UK'.")
    ] = None,
    source_type: Annotated[
        str | None, typer.Option(help="Tiered source type, e.g. 02_nci_core.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Canonical URL of the page.")] = None,
    license: Annotated[
        str | None, typer.Option("--license", "--licence", help="Licence id, e.g. CC-BY-4.0.")
    ] = None,
    audience: Annotated[str | None, typer.Option(help="patient, caregiver, general, …")] = None,
    cancer_type: Annotated[
        list[str] | None, typer.Option(help="Cancer type (repeat for several).")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. en.")] = None,
    citation: Annotated[str | None, typer.Option(help="How to cite the source.")] = None,
    last_reviewed: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    review_frequency: Annotated[
        str | None, typer.Option(help="monthly, quarterly, semiannual, annual, biennial.")
    ] = None,
    status: Annotated[str | None, typer.Option(help="active, draft or retired.")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Tag (repeat for several).")] = None,
    version: Annotated[str | None, typer.Option(help="The source's own version label.")] = None,
    max_bytes: Annotated[
        int | None, typer.Option(help="Largest file accepted, in bytes (env ONCOCITE_MAX_BYTES).")
    ] = None,
    embed: Annotated[
        bool | None,
        typer.Option("--embed/--no-embed", help="Embed new passages (default: if installed)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Ingest documents: read, clean, validate, chunk and store them.

    Bad files are reported one line each and skipped; the rest are stored. Exits 1
    if any file failed. Example: oncocite ingest ../shared/seeds --db lib.db
    """
    metadata: dict[str, Any] = {
        "title": title,
        "source": source,
        "source_type": source_type,
        "url": url,
        "license": license,
        "audience_level": audience,
        "cancer_types": cancer_type,
        "language": language,
        "citation": citation,
        "last_reviewed": last_reviewed,
        "review_frequency": review_frequency,
        "status": status,
        "tags": tag,
        "version": version,
    }
    with _library(db) as lib, _progress(quiet) as bar:
        task = bar.add_task("ingesting", total=None)
        embed_task: list[Any] = []

        def on_file(result: IngestFileResult, index: int, total: int) -> None:
            bar.update(task, completed=index, total=total)
            if result.outcome == "failed" and not as_json:
                err.print(f"failed: {result.error}", markup=False, highlight=False)

        def on_embed(done: int, total: int) -> None:
            if not embed_task:
                embed_task.append(bar.add_task("embedding", total=total))
            bar.update(embed_task[0], completed=done, total=total)

        report = lib.ingest(
            paths,
            metadata=metadata,
            max_bytes=max_bytes,
            embed=embed,
            progress=on_file,
            embed_progress=on_embed,
        )
    if as_json:
        _print_json(
            {"summary": report.summary(), "files": [r.model_dump() for r in report.results]}
        )
    else:
        for r in report.results:
            for warning in r.warnings:
                err.print(f"warning: {Path(r.path).name}: {warning}", markup=False)
        table = Table(title="ingest summary")
        for key in report.summary():
            table.add_column(key.replace("_", " "), justify="right")
        table.add_row(*(str(v) for v in report.summary().values()))
        out.print(table)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def documents(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List stored documents with source, licence, status and version."""
    with _library(db) as lib:
        docs = lib.documents()
    if as_json:
        _print_json([d.model_dump(mode="json") for d in docs])
        return
    table = Table(title=f"{len(docs)} documents")
    for col in ("doc id", "title", "source", "licence", "status", "reviewed", "v", "passages"):
        table.add_column(col)
    for d in docs:
        table.add_row(
            d.doc_id,
            d.title[:60],
            d.source or "—",
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
    with _library(db) as lib:
        record = lib.show(doc_id)
    if as_json:
        data = record.model_dump(mode="json")
        data["metadata"] = record.metadata.to_record()
        _print_json(data)
        return
    meta = record.metadata.to_record()
    table = Table(title=record.doc_id, show_header=False)
    table.add_column("field")
    table.add_column("value")
    for key, value in meta.items():
        table.add_row(
            key, json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        )
    table.add_row("format", record.format)
    table.add_row(
        "version", f"{record.version} of {len(record.versions)} ({record.content_hash[:12]})"
    )
    table.add_row("passages", str(len(record.passages)))
    out.print(table)
    for p in record.passages:
        heading = " > ".join(p.heading_path)
        out.print(f"[bold]{p.passage_id}[/bold] {heading} [{p.start}:{p.end}]", highlight=False)
        out.print(p.text[:300] + ("…" if len(p.text) > 300 else ""), markup=False, highlight=False)
    if text:
        out.print(record.text, markup=False, highlight=False)


@app.command()
def review(
    today: Annotated[
        str | None, typer.Option(help="Date to review against, YYYY-MM-DD (default today).")
    ] = None,
    within: Annotated[int, typer.Option(help="Also list what falls due within N days.")] = 0,
    known_only: Annotated[
        bool, typer.Option("--known-only", help="Leave out documents with no review date.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List documents due or overdue for review (last reviewed + review frequency)."""
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        err.print(f"error: --today {today!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(1) from None
    with _library(db) as lib:
        items = lib.review(today=day, within_days=within, include_unknown=not known_only)
    if as_json:
        _print_json([i.model_dump(mode="json") for i in items])
        return
    table = Table(title=f"{len(items)} documents to review")
    for col in ("state", "doc id", "title", "source", "last reviewed", "due", "why"):
        table.add_column(col)
    for i in items:
        table.add_row(
            i.state,
            i.doc_id,
            i.title[:50],
            i.source or "—",
            i.last_reviewed.isoformat() if i.last_reviewed else "—",
            i.due.isoformat() if i.due else "—",
            i.reason,
        )
    out.print(table)


@app.command()
def retire(
    doc_id: Annotated[str, typer.Argument(help="Document to hide from search.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Retire a document: kept with its history, never returned by search."""
    with _library(db) as lib:
        version = lib.retire(doc_id)
    if as_json:
        _print_json({"doc_id": doc_id, "status": "retired", "version": version})
    else:
        out.print(f"{doc_id} retired (version {version})", highlight=False)


@app.command()
def embed(db: DbOption = None, as_json: JsonOption = False, quiet: QuietOption = False) -> None:
    """Compute embeddings for every passage that has none (needs the dense extra)."""
    with _library(db) as lib, _progress(quiet) as bar:
        task = bar.add_task("embedding", total=None)
        count = lib.embed(lambda done, total: bar.update(task, completed=done, total=total))
    if as_json:
        _print_json({"embedded": count})
    else:
        out.print(f"{count} passage texts embedded", highlight=False)


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="A question in your own words.")] = None,
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 10,
    filter_: Annotated[
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
    if mode not in ("hybrid", "lexical", "dense"):
        err.print(f"error: --mode {mode!r} is not one of hybrid, lexical, dense")
        raise typer.Exit(1)
    chosen: SearchMode = mode  # type: ignore[assignment]
    if (batch is None) != (run is None) or (batch is None and not query):
        err.print("error: give a QUERY, or both --batch QUERIES.tsv and --run RUN.trec")
        raise typer.Exit(1)
    with _library(db) as lib:
        if batch is not None and run is not None:
            with _progress(quiet) as bar:
                task = bar.add_task("searching", total=None)
                count = lib.search_batch(
                    batch,
                    run,
                    k=k,
                    filters=filter_ or [],
                    mode=chosen,
                    tag=tag,
                    progress=lambda d, t: bar.update(task, completed=d, total=t),
                )
            if as_json:
                _print_json({"queries": count, "run": str(run)})
            else:
                err.print(f"{count} queries written to {run}", highlight=False)
            return
        hits = lib.search(query or "", k=k, filters=filter_ or [], mode=chosen)
    if as_json:
        _print_json([h.model_dump(mode="json") for h in hits])
        return
    if not hits:
        err.print("no passages found")
    for rank, h in enumerate(hits, start=1):
        out.print(
            f"[bold]{rank}. {h.title}[/bold] — {h.source or 'unknown source'} "
            f"({h.passage_id}, score {h.score:.3f})",
            highlight=False,
        )
        out.print(excerpt(h.text, h.license, 400), markup=False, highlight=False)
        if h.url:
            out.print(h.url, markup=False, highlight=False)
        out.print()


@app.command(name="eval")
def evaluate(
    qrels: Annotated[Path, typer.Option(help="TREC qrels file (graded relevance allowed).")],
    run: Annotated[Path, typer.Option(help="TREC run file.")],
    measure: Annotated[
        list[str] | None, typer.Option(help="ir-measures name, e.g. nDCG@10 (repeat).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score a TREC run against qrels with standard IR measures."""
    try:
        result = Library.evaluate(qrels, run, measure)
    except (OncociteError, OSError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    if as_json:
        _print_json(result)
        return
    table = Table(title=f"{run.name} vs {qrels.name}: {result['queries']} judged queries")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, value in result["measures"].items():
        table.add_row(name, f"{value:.4f}")
    out.print(table)


def main() -> None:
    """Console entry point."""
    app()
