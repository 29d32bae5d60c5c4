"""`oncocite options` and `oncocite knowledge check`: the treatment-options explorer
on the command line. A profile comes from a JSON file, flags, or both (flags win)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from oncocite.cli.common import DbOption, JsonOption, library_at
from oncocite.cli.output import err, fail, one_line, out, print_json, printable
from oncocite.models import FactCitation, OptionsReport, Profile

__all__ = ["knowledge_app", "options"]

knowledge_app = typer.Typer(
    help="The drug knowledge base behind `oncocite options`.", no_args_is_help=True
)

STATUS_WORDS = {
    "matches": "The sources describe it for a profile like yours",
    "needs_information": "More information is needed",
    "does_not_match": "Not for a profile like yours",
}


def _flag(name: str, help_text: str) -> Any:
    return typer.Option(f"--{name}/--not-{name}", help=help_text, show_default=False)


def options(
    ctx: typer.Context,
    profile_file: Annotated[
        Path | None,
        typer.Option("--profile", help="A profile as JSON; every flag given overrides it."),
    ] = None,
    hormone_receptor: Annotated[
        str, typer.Option(help="positive, negative or unknown (ER/PR status).")
    ] = "unknown",
    her2: Annotated[
        str,
        typer.Option(help="positive, low, ultralow, zero, negative (score not given) or unknown."),
    ] = "unknown",
    triple_negative: Annotated[
        bool | None, _flag("triple-negative", "Hormone receptor and HER2 negative.")
    ] = None,
    stage: Annotated[
        str | None, typer.Option(help="early, locally_advanced or metastatic.")
    ] = None,
    setting: Annotated[
        str | None, typer.Option(help="neoadjuvant (before surgery) or adjuvant (after).")
    ] = None,
    inflammatory: Annotated[
        bool | None, _flag("inflammatory", "Inflammatory breast cancer.")
    ] = None,
    nodes_positive: Annotated[
        bool | None, _flag("nodes-positive", "Spread to the armpit lymph nodes.")
    ] = None,
    high_recurrence_risk: Annotated[
        bool | None, _flag("high-recurrence-risk", "A high risk of coming back.")
    ] = None,
    had_neoadjuvant_therapy: Annotated[
        bool | None, _flag("had-neoadjuvant-therapy", "Drug treatment before surgery.")
    ] = None,
    residual_disease: Annotated[
        bool | None, _flag("residual-disease", "Cancer left at surgery after treatment.")
    ] = None,
    recurred: Annotated[bool | None, _flag("recurred", "The cancer has come back.")] = None,
    prior_her2_regimens: Annotated[
        int | None,
        typer.Option(
            help="How many earlier treatments for HER2-positive cancer (else counted from "
            "--prior-treatment)."
        ),
    ] = None,
    prior_treatments: Annotated[
        list[str] | None,
        typer.Option(
            "--prior-treatment",
            help="A treatment had before: DRUG[+DRUG...] then, after colons, any of "
            "neoadjuvant/adjuvant/advanced, progressed/not-progressed, and months since "
            "the last dose, e.g. 'letrozole+palbociclib:advanced:progressed'; repeat; "
            "'none' for no earlier drug treatment.",
        ),
    ] = None,
    germline_brca: Annotated[
        bool | None, _flag("germline-brca", "An inherited BRCA1/2 change.")
    ] = None,
    pik3ca: Annotated[bool | None, _flag("pik3ca", "A PIK3CA change.")] = None,
    akt1: Annotated[bool | None, _flag("akt1", "An AKT1 change.")] = None,
    pten: Annotated[bool | None, _flag("pten", "A PTEN change.")] = None,
    esr1: Annotated[bool | None, _flag("esr1", "An ESR1 change.")] = None,
    pd_l1_cps: Annotated[
        float | None, typer.Option(help="PD-L1 combined positive score (22C3 test).")
    ] = None,
    region: Annotated[str, typer.Option(help="uk, us or unknown.")] = "unknown",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which targeted and immunotherapy drugs the sources describe for a profile."""
    history: list[dict[str, Any]] | None = None
    if prior_treatments:
        none = [v for v in prior_treatments if v.strip().lower() == NONE]
        if none and len(none) != len(prior_treatments):
            fail("--prior-treatment none and a treatment contradict each other: give one")
        history = [] if none else _priors(prior_treatments)
    flags: dict[str, Any] = {
        "hormone_receptor": hormone_receptor,
        "her2": her2,
        "triple_negative": triple_negative,
        "stage": stage,
        "setting": setting,
        "inflammatory": inflammatory,
        "nodes_positive": nodes_positive,
        "high_recurrence_risk": high_recurrence_risk,
        "had_neoadjuvant_therapy": had_neoadjuvant_therapy,
        "residual_disease": residual_disease,
        "recurred": recurred,
        "prior_her2_regimens": prior_her2_regimens,
        "prior_treatments": history,
        "germline_brca": germline_brca,
        "pik3ca": pik3ca,
        "akt1": akt1,
        "pten": pten,
        "esr1": esr1,
        "pd_l1_cps": pd_l1_cps,
        "region": region,
    }
    given = {name for name in flags if _given(ctx, name)}
    profile = _profile(profile_file, {k: v for k, v in flags.items() if k in given})
    with library_at(db) as lib:
        report = lib.options(profile)
    if as_json:
        print_json(report)
    else:
        _print_report(report)


def _given(ctx: typer.Context, name: str) -> bool:
    """Whether a flag was given (command line or environment), not left at its default."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")


NONE = "none"  # --prior-treatment none: a known, empty history
SETTINGS = ("neoadjuvant", "adjuvant", "advanced")
PROGRESSION = {
    "progressed": True,
    "grew": True,
    "not-progressed": False,
    "no-progression": False,
    "stable": False,
}


def _priors(values: list[str]) -> list[dict[str, Any]]:
    """`--prior-treatment` values as history entries (DRUG[:setting][:progressed][:MONTHS])."""
    priors = []
    for value in values:
        drug, *parts = value.split(":")
        entry: dict[str, Any] = {"drug": drug.strip()}
        for part in (p.strip().lower() for p in parts):
            if part in SETTINGS:
                entry["setting"] = part
            elif part in PROGRESSION:
                entry["progressed"] = PROGRESSION[part]
            else:
                try:
                    entry["months_since_last"] = float(part)
                except ValueError:
                    fail(
                        f"--prior-treatment {value!r}: {part!r} is not a setting "
                        f"({', '.join(SETTINGS)}), progressed/not-progressed, or months "
                        "(a number, e.g. trastuzumab:4)"
                    )
        priors.append(entry)
    return priors


def _profile(path: Path | None, flags: dict[str, Any]) -> Profile:
    """The profile file's fields, then every flag given on the command line (`flags`
    holds only those): a flag always wins, even when it says "unknown" (`--her2
    unknown` clears a file's HER2 status)."""
    values: dict[str, Any] = {}
    where = "flags"
    if path is not None:
        where = str(path)
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            fail(f"{path}: cannot be read ({exc.strerror or exc})")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            fail(f"{path}: not JSON ({exc})")
        if not isinstance(loaded, dict):
            fail(f"{path}: a profile is a JSON object of fields")
        values.update(loaded)
    if flags:
        where = f"{where} and flags" if path is not None else "flags"
    values.update(flags)
    try:
        return Profile.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        fail(f"{where}: {field + ': ' if field else ''}{message}")


def _print_report(report: OptionsReport) -> None:
    out.print(printable(report.reminder), style="bold")
    if report.history is not None:
        h = report.history
        out.print(
            f"History read: {len(h.entries)} earlier treatment(s); {h.her2_treatments} with a "
            f"HER2 drug, {h.advanced_treatments} for advanced cancer "
            f"({h.advanced_chemotherapies} chemotherapy), {h.hormone_therapies} with hormone "
            "therapy" + (f"; {h.setting_unknown} without a setting" if h.setting_unknown else "")
        )
    for status, words in STATUS_WORDS.items():
        chosen = [o for o in report.options if o.status == status]
        if not chosen:
            continue
        out.print()
        out.print(f"{words}:", style="bold")
        for option in chosen:
            brands = f" ({', '.join(option.brands)})" if option.brands else ""
            draft = " [draft: not yet confirmed by a reviewer]" if option.draft else ""
            out.print(f"- {printable(option.name)}{printable(brands)}{draft}")
            for reason in option.reasons:
                out.print(f"    {printable(reason)}")
            shown = option.citations if option.status != "does_not_match" else []
            # all of them are in --json; a page missing from the library, once
            for line in dict.fromkeys(_citation_line(c) for c in shown):
                out.print(f"    {line}")
    if report.questions:
        out.print()
        out.print("Questions to take to your care team:", style="bold")
        for question in report.questions:
            out.print(f"- {printable(question)}")
    if report.as_of is not None:
        err.print(f"note: as of {report.as_of.isoformat()}, the newest decision used")


def _citation_line(citation: FactCitation) -> str:
    """One citation of an option as the terminal shows it."""
    if citation.kind != "quote":
        return f"[source] {one_line(citation.title)} {citation.url or ''}"
    if citation.quote is None:
        # the cited page is not in this library, or no longer says it: nothing to
        # quote, and an empty quote would look like one
        lacks = (
            "not in this library"
            if citation.version is None
            else f"no longer said in {one_line(citation.title)} v{citation.version}"
        )
        return f"[quote] ({citation.doc_id}: {lacks})"
    return f"[quote] {one_line(citation.quote)} ({citation.doc_id} v{citation.version})"


@knowledge_app.command("check")
def check(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Check that every quote of the knowledge base still stands in its document."""
    with library_at(db) as lib:
        result = lib.check_knowledge()
    if as_json:
        print_json(result)
    else:
        out.print(
            f"{result.facts} facts, {result.quotes} quotes, {result.references} references "
            f"to named sources; {len(result.problems)} problem(s)"
        )
        for problem in result.problems:
            out.print(f"- {problem.option}: {printable(problem.fact)}")
            out.print(f"    {printable(problem.detail)}")
            out.print(f"    quoted: {one_line(problem.quote)}")
    if not result.ok:
        raise typer.Exit(1)
