"""The treatment-options explorer over the seeds: every seed drug's criteria both
ways, timing, counts, residual disease, unknowns, regions, drafts and drift."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from oncocite import Library, OptionResult, Profile, open_library
from oncocite.cli import app
from oncocite.knowledge.load import shipped_knowledge
from tests.conftest import CRUK_FLAGS, SEED_CRUK, SEED_NCI, seed_library

SEED_DRUGS = [
    "trastuzumab",
    "pertuzumab",
    "trastuzumab-emtansine",
    "trastuzumab-deruxtecan",
    "tucatinib",
    "neratinib",
    "pembrolizumab",
    "palbociclib",
    "ribociclib",
    "abemaciclib",
]
TNBC: dict[str, Any] = {"triple_negative": True}
HR_POS_HER2_NEG: dict[str, Any] = {"hormone_receptor": "positive", "her2": "negative"}


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with seed_library(tmp_path_factory.mktemp("options") / "o.db", embed="0") as library:
        yield library


def option(lib: Library, option_id: str, **profile: Any) -> OptionResult:
    report = lib.options(Profile(**profile))
    return next(o for o in report.options if o.id == option_id)


def test_every_seed_drug_is_in_the_knowledge_base() -> None:
    ids = {o.id for o in shipped_knowledge().options}
    assert set(SEED_DRUGS) <= ids


def test_every_fact_is_cited_and_every_seed_quote_resolves(lib: Library) -> None:
    knowledge = shipped_knowledge()
    for entry in knowledge.options:
        assert entry.about, entry.id
        for fact in entry.about:
            assert fact.cite, (entry.id, fact.text)
        for use in entry.uses:
            assert use.cite, (entry.id, use.id)
    check = lib.check_knowledge()
    assert check.quotes >= 40 and check.references >= 10
    assert check.problems == [], check.problems
    # and each quote, as a reader sees it, stands at its offsets in the cited version
    report = lib.options(Profile(her2="positive", stage="early"))
    quotes = [c for o in report.options for c in o.citations if c.kind == "quote"]
    assert quotes
    for citation in quotes:
        assert citation.doc_id is not None and citation.version is not None
        text = lib.store.version_text(citation.doc_id, citation.version)
        assert text is not None and citation.start is not None
        assert text[citation.start : citation.end] == citation.quote
        assert citation.section, citation


@pytest.mark.parametrize(
    ("drug", "matching", "not_matching"),
    [
        ("trastuzumab", {"her2": "positive", "stage": "early"},
         {"her2": "negative", "stage": "early"}),
        ("pertuzumab",
         {"her2": "positive", "stage": "early", "setting": "neoadjuvant",
          "high_recurrence_risk": True},
         {"her2": "positive", "stage": "early", "setting": "neoadjuvant",
          "high_recurrence_risk": False, "inflammatory": False}),
        ("trastuzumab-emtansine",
         {"her2": "positive", "stage": "early", "had_neoadjuvant_therapy": True,
          "residual_disease": True},
         {"her2": "positive", "stage": "early", "had_neoadjuvant_therapy": True,
          "residual_disease": False}),
        ("trastuzumab-deruxtecan",
         {"her2": "positive", "stage": "metastatic", "prior_her2_regimens": 1, "region": "uk"},
         {"her2": "positive", "stage": "metastatic", "prior_her2_regimens": 0, "region": "uk"}),
        ("tucatinib",
         {"her2": "positive", "stage": "metastatic", "prior_her2_regimens": 2, "region": "uk"},
         {"her2": "negative", "stage": "metastatic", "prior_her2_regimens": 2, "region": "uk"}),
        ("neratinib",
         {"hormone_receptor": "positive", "her2": "positive", "stage": "early",
          "prior_treatments": [{"drug": "Herceptin", "months_since_last": 4}], "region": "uk"},
         {"hormone_receptor": "positive", "her2": "positive", "stage": "metastatic",
          "prior_treatments": [{"drug": "trastuzumab", "months_since_last": 4}],
          "prior_her2_regimens": 1, "region": "uk"}),
        ("pembrolizumab",
         {**TNBC, "stage": "early", "high_recurrence_risk": True},
         {**HR_POS_HER2_NEG, "stage": "early", "high_recurrence_risk": True}),
        ("palbociclib", {**HR_POS_HER2_NEG, "stage": "metastatic", "prior_treatments": []},
         {"hormone_receptor": "positive", "her2": "positive", "stage": "metastatic"}),
        ("ribociclib", {**HR_POS_HER2_NEG, "stage": "locally_advanced", "prior_treatments": []},
         {**TNBC, "stage": "locally_advanced"}),
        ("abemaciclib",
         {**HR_POS_HER2_NEG, "stage": "early", "setting": "adjuvant", "nodes_positive": True,
          "high_recurrence_risk": True},
         {**HR_POS_HER2_NEG, "stage": "early", "setting": "adjuvant", "nodes_positive": False,
          "high_recurrence_risk": True}),
    ],
)  # fmt: skip
def test_each_seed_drug_both_ways(
    lib: Library, drug: str, matching: dict[str, Any], not_matching: dict[str, Any]
) -> None:
    yes = option(lib, drug, **matching)
    assert yes.status == "matches", yes.reasons
    assert yes.reasons and yes.citations
    no = option(lib, drug, **not_matching)
    assert no.status == "does_not_match", no.reasons
    assert no.reasons


def test_trastuzumab_timing_for_neratinib(lib: Library) -> None:
    base = {"hormone_receptor": "positive", "her2": "positive", "stage": "early", "region": "uk"}
    recent = option(lib, "neratinib", **base, prior_treatments=[
        {"drug": "trastuzumab", "months_since_last": 4}])  # fmt: skip
    assert recent.status == "matches"
    assert any("4 months ago" in r for r in recent.reasons)
    old = option(lib, "neratinib", **base, prior_treatments=[
        {"drug": "trastuzumab", "months_since_last": 24}])  # fmt: skip
    assert old.status == "does_not_match"
    assert any("24 months ago" in r and "12 months" in r for r in old.reasons)
    when = option(lib, "neratinib", **base, prior_treatments=[{"drug": "trastuzumab"}])
    assert when.status == "needs_information"
    assert any("last treatment with trastuzumab" in q for q in when.questions)
    never = option(lib, "neratinib", **base, prior_treatments=[])
    assert never.status == "does_not_match"


def test_counts_of_earlier_her2_treatments_for_tucatinib(lib: Library) -> None:
    base = {"her2": "positive", "stage": "metastatic"}
    assert option(lib, "tucatinib", **base, prior_her2_regimens=1, region="uk").status == (
        "does_not_match"
    )
    assert option(lib, "tucatinib", **base, prior_her2_regimens=2, region="uk").status == (
        "matches"
    )
    assert option(lib, "tucatinib", **base, prior_her2_regimens=1, region="us").status == (
        "matches"
    )
    unknown = option(lib, "tucatinib", **base, region="uk")
    assert unknown.status == "needs_information"
    assert any("How many treatments" in q for q in unknown.questions)


def test_residual_disease_after_treatment_before_surgery(lib: Library) -> None:
    base = {"her2": "positive", "stage": "early", "had_neoadjuvant_therapy": True}
    assert option(lib, "trastuzumab-emtansine", **base, residual_disease=True).status == ("matches")
    left = option(lib, "trastuzumab-emtansine", **base, residual_disease=False)
    assert left.status == "does_not_match"
    open_ = option(lib, "trastuzumab-emtansine", **base)
    assert open_.status == "needs_information"
    assert any("residual disease" in q for q in open_.questions)


def test_triple_negative_early_and_metastatic(lib: Library) -> None:
    early = option(lib, "pembrolizumab", **TNBC, stage="early", high_recurrence_risk=True)
    assert early.status == "matches"
    spread = option(lib, "pembrolizumab", **TNBC, stage="metastatic", pd_l1_cps=12, region="us")
    assert spread.status == "matches"
    low = option(lib, "pembrolizumab", **TNBC, stage="metastatic", pd_l1_cps=5, region="us")
    assert low.status == "does_not_match"
    unknown = option(lib, "pembrolizumab", **TNBC, stage="metastatic", region="us")
    assert unknown.status == "needs_information"
    assert any("PD-L1" in q for q in unknown.questions)
    # HER2 drugs never match triple negative cancer
    for drug in ("trastuzumab", "pertuzumab", "tucatinib", "neratinib"):
        assert option(lib, drug, **TNBC, stage="metastatic").status == "does_not_match"


def test_unknown_receptors_never_match_a_drug_that_depends_on_them(lib: Library) -> None:
    report = lib.options(Profile(stage="metastatic", prior_her2_regimens=2, region="uk"))
    by_id = {o.id: o for o in report.options}
    for drug in ("trastuzumab", "pertuzumab", "tucatinib", "palbociclib", "pembrolizumab"):
        assert by_id[drug].status == "needs_information", (drug, by_id[drug].reasons)
    assert any("HER2 test on a sample of the cancer" in q for q in report.questions)
    assert any("hormone receptor" in q for q in report.questions)
    assert all(o.status != "matches" for o in report.options if o.id in SEED_DRUGS)


def test_regions_where_uk_and_us_sources_differ(lib: Library) -> None:
    base = {"her2": "positive", "stage": "metastatic", "prior_her2_regimens": 1}
    uk = option(lib, "tucatinib", **base, region="uk")
    assert uk.status == "does_not_match"
    assert any("the US only" in r for r in uk.reasons)
    us = option(lib, "tucatinib", **base, region="us")
    assert us.status == "matches"
    either = option(lib, "tucatinib", **base, region="unknown")
    assert either.status == "needs_information"
    assert any("the US" in r for r in either.reasons)
    assert any("the UK" in r and "two or more" in r for r in either.reasons)
    assert any("Where will I be treated" in q for q in either.questions)
    # neratinib: hormone receptor negative HER2-positive early cancer
    hr_neg = {"hormone_receptor": "negative", "her2": "positive", "stage": "early",
              "prior_treatments": [{"drug": "trastuzumab", "months_since_last": 6}]}  # fmt: skip
    assert option(lib, "neratinib", **hr_neg, region="uk").status == "does_not_match"
    assert option(lib, "neratinib", **hr_neg, region="us").status == "matches"
    assert option(lib, "neratinib", **hr_neg).status == "needs_information"


def test_draft_facts_are_shown_as_drafts_with_their_date(lib: Library) -> None:
    profile = {**HR_POS_HER2_NEG, "stage": "early", "setting": "adjuvant",
               "high_recurrence_risk": True, "nodes_positive": False}  # fmt: skip
    ribociclib = option(lib, "ribociclib", **profile)
    assert ribociclib.status == "matches"
    assert ribociclib.draft
    assert any("draft" in r for r in ribociclib.reasons)
    assert ribociclib.as_of is not None and ribociclib.as_of.year == 2024
    low = option(
        lib,
        "trastuzumab-deruxtecan",
        her2="low",
        stage="metastatic",
        region="us",
        prior_treatments=[{"drug": "paclitaxel", "setting": "advanced"}],
    )
    assert low.status == "matches" and low.draft
    settled = option(lib, "trastuzumab", her2="positive", stage="early")
    assert not settled.draft
    report = lib.options(Profile(**profile))
    dated = [o.as_of for o in report.options if o.as_of and o.status != "does_not_match"]
    assert report.as_of == max(dated)
    assert "care team" in report.reminder


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"triple_negative": True, "her2": "positive"}, "her2"),
        ({"triple_negative": True, "hormone_receptor": "positive"}, "hormone_receptor"),
        ({"stage": "metastatic", "setting": "adjuvant"}, "setting"),
        ({"had_neoadjuvant_therapy": False, "residual_disease": True}, "residual_disease"),
        ({"her2": "maybe"}, "her2"),
        ({"prior_her2_regimens": -1}, "prior_her2_regimens"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_contradictory_or_invalid_profiles_are_rejected(fields: dict[str, Any], named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Profile(**fields)
    assert named in str(caught.value)


def test_cli_options_from_file_and_flags(lib: Library, tmp_path: Path) -> None:
    runner = CliRunner()
    db = lib.settings.db
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps({"her2": "positive", "stage": "metastatic"}), "utf-8")
    done = runner.invoke(
        app, ["options", "--profile", str(profile), "--prior-her2-regimens", "2",
              "--region", "uk", "--db", db, "--json"]
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["profile"]["prior_her2_regimens"] == 2 and data["profile"]["her2"] == "positive"
    tucatinib = next(o for o in data["options"] if o["id"] == "tucatinib")
    assert tucatinib["status"] == "matches"
    assert {"id", "name", "drugs", "status", "reasons", "citations"} <= set(tucatinib)
    text = runner.invoke(app, ["options", "--her2", "positive", "--stage", "early", "--db", db])
    assert text.exit_code == 0 and "care team" in text.output and "Trastuzumab" in text.output
    bad = runner.invoke(app, ["options", "--triple-negative", "--her2", "positive", "--db", db])
    assert bad.exit_code == 1
    assert "error: flags:" in bad.output and "triple_negative" in bad.output
    assert "Traceback" not in bad.output
    profile.write_text(json.dumps({"stage": "metastatic", "setting": "adjuvant"}), "utf-8")
    bad = runner.invoke(app, ["options", "--profile", str(profile), "--db", db])
    assert bad.exit_code == 1 and str(profile) in bad.output
    profile.write_text("{not json", "utf-8")
    bad = runner.invoke(app, ["options", "--profile", str(profile), "--db", db])
    assert bad.exit_code == 1 and "not JSON" in bad.output
    odd = runner.invoke(app, ["options", "--prior-treatment", "trastuzumab:soon", "--db", db])
    assert odd.exit_code == 1 and "months (a number" in odd.output


def test_a_quote_from_a_page_the_library_lacks_is_never_shown_empty(
    lib: Library, tmp_path: Path
) -> None:
    """Over a library without the Cancer Research UK page, each of its quotes printed
    as an empty "[quote]  (000_… vNone)": it now says the page is not in the library
    (once an option), and a library that holds it still quotes it."""
    runner = CliRunner()
    flags = ["options", "--her2", "positive", "--stage", "metastatic"]
    empty = str(tmp_path / "empty.db")
    bare = runner.invoke(app, [*flags, "--db", empty])
    assert bare.exit_code == 0, bare.output
    assert "vNone" not in bare.output and "[quote]  (" not in bare.output
    crukid = SEED_CRUK.stem
    missing = f"[quote] ({crukid}: not in this library)"
    assert missing in bare.output
    trastuzumab = bare.output.split("- Trastuzumab")[1].split("\n- ")[0]
    assert trastuzumab.count(missing) == 1, trastuzumab
    held = runner.invoke(app, [*flags, "--db", lib.settings.db])
    assert "not in this library" not in held.output
    assert f"({crukid} v1)" in held.output


def test_drift_a_changed_source_is_warned_and_fails_the_check(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    page = folder / SEED_CRUK.name
    shutil.copy(SEED_CRUK, page)
    with open_library(tmp_path / "d.db", embed="0") as own:
        assert own.ingest([SEED_NCI]).failed == 0
        assert not own.check_knowledge().ok  # seed 000 is not in the library yet
        first = own.ingest([page], metadata=CRUK_FLAGS)
        assert first.failed == 0
        assert not any("knowledge-base" in w for r in first.results for w in r.warnings)
        assert own.check_knowledge().ok
        cited = "Neratinib belongs to a group of drugs called cancer growth blockers."
        text = page.read_text(encoding="utf-8")
        assert cited in text
        page.write_text(text.replace(cited, "Neratinib is a tablet."), encoding="utf-8")
        again = own.ingest([page], metadata=CRUK_FLAGS)
        assert again.count("updated") == 1
        warnings = [w for r in again.results for w in r.warnings]
        assert any("neratinib" in w and "cancer growth blockers" in w for w in warnings)
        check = own.check_knowledge()
        assert not check.ok
        assert [p.option for p in check.problems] == ["neratinib"]
        db = own.settings.db
    runner = CliRunner()
    done = runner.invoke(app, ["knowledge", "check", "--db", db])
    assert done.exit_code == 1 and "neratinib" in done.output
    as_json = runner.invoke(app, ["knowledge", "check", "--db", db, "--json"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.output)["problems"][0]["option"] == "neratinib"


REFERENCE_DRUGS = [
    "lapatinib", "margetuximab", "alpelisib", "capivasertib", "inavolisib", "elacestrant",
    "everolimus", "olaparib", "talazoparib", "sacituzumab-govitecan",
    "datopotamab-deruxtecan", "atezolizumab", "imlunestrant", "vepdegestrant", "camizestrant",
]  # fmt: skip


def test_the_clinical_reference_drugs_are_in_with_their_sources() -> None:
    knowledge = shipped_knowledge()
    by_id = {o.id: o for o in knowledge.options}
    assert set(REFERENCE_DRUGS) <= set(by_id)
    for drug in REFERENCE_DRUGS:
        entry = by_id[drug]
        refs = [r for f in entry.about for r in f.cite] + [r for u in entry.uses for r in u.cite]
        assert refs and all(getattr(r, "source", None) in knowledge.sources for r in refs)
    # rows marked "check" and the newer approvals are drafts with their date
    for drug in ("margetuximab", "inavolisib", "imlunestrant", "vepdegestrant"):
        assert all(u.status == "draft" and u.as_of for u in by_id[drug].uses), drug
    assert by_id["camizestrant"].not_an_option is not None and not by_id["camizestrant"].uses


def test_reference_drugs_by_biomarker(lib: Library) -> None:
    brca = {"her2": "negative", "stage": "metastatic"}
    after_chemo = [{"drug": "docetaxel", "setting": "advanced"}]
    assert option(lib, "olaparib", **brca, germline_brca=True, prior_treatments=after_chemo
                  ).status == "matches"  # fmt: skip
    assert (
        option(lib, "olaparib", **brca, germline_brca=True, prior_treatments=[]).status
        == "does_not_match"
    )  # metastatic use is after chemotherapy
    unknown = option(lib, "olaparib", **brca)
    assert unknown.status == "needs_information"
    assert any("genetic test" in q for q in unknown.questions)
    assert option(lib, "olaparib", **brca, germline_brca=False).status == "does_not_match"
    hr = {**HR_POS_HER2_NEG, "stage": "metastatic"}
    after_ai = [{"drug": "letrozole", "setting": "advanced", "progressed": True}]
    assert option(lib, "alpelisib", **hr, pik3ca=False).status == "does_not_match"
    assert option(lib, "alpelisib", **hr, pik3ca=True, prior_treatments=after_ai).status == (
        "matches"
    )
    assert option(lib, "elacestrant", **hr).status == "needs_information"
    two = [{"drug": "epirubicin + cyclophosphamide", "setting": "adjuvant"},
           {"drug": "paclitaxel", "setting": "advanced", "progressed": True}]  # fmt: skip
    assert option(lib, "sacituzumab-govitecan", **TNBC, stage="metastatic",
                  prior_treatments=two).status == "matches"  # fmt: skip
    for profile in ({**hr, "esr1": True}, {**TNBC, "stage": "metastatic"}, {}):
        assert option(lib, "camizestrant", **profile).status == "does_not_match"


def test_atezolizumab_where_uk_and_us_differ(lib: Library) -> None:
    tnbc = {**TNBC, "stage": "metastatic", "prior_treatments": []}
    assert option(lib, "atezolizumab", **tnbc, region="uk").status == "matches"
    us = option(lib, "atezolizumab", **tnbc, region="us")
    assert us.status == "does_not_match"
    assert any("the UK only" in r for r in us.reasons)
    either = option(lib, "atezolizumab", **tnbc)
    assert either.status == "needs_information"
    assert any("the UK" in r for r in either.reasons)


def test_mixed_draft_uses_tnbc_wording_and_the_report_date(lib: Library) -> None:
    two = [{"drug": "epirubicin + cyclophosphamide", "setting": "adjuvant"},
           {"drug": "paclitaxel", "setting": "advanced", "progressed": True}]  # fmt: skip
    tnbc = option(lib, "sacituzumab-govitecan", **TNBC, stage="metastatic", region="us",
                  prior_treatments=two)  # fmt: skip
    assert tnbc.status == "matches" and not tnbc.draft  # the settled use (after two) matches
    first = option(lib, "sacituzumab-govitecan", **TNBC, stage="metastatic", region="us",
                   prior_treatments=[])  # fmt: skip
    assert first.status == "matches" and first.draft  # only the draft first-line use does
    assert not any("HER2 0" in r for r in tnbc.reasons)
    assert any("triple negative" in r for r in tnbc.reasons)
    report = lib.options(Profile(**TNBC, stage="metastatic", region="us"))
    offered = [o.as_of for o in report.options if o.status != "does_not_match" and o.as_of]
    assert report.as_of == (max(offered) if offered else None)


# A profile file with every field set, and for every flag a value that differs from it.
FULL: dict[str, Any] = {
    "hormone_receptor": "positive", "her2": "positive", "stage": "early",
    "setting": "adjuvant", "inflammatory": True, "nodes_positive": True,
    "high_recurrence_risk": True, "had_neoadjuvant_therapy": True, "residual_disease": True,
    "recurred": True, "prior_her2_regimens": 3,
    "prior_treatments": [{"drug": "trastuzumab", "setting": "neoadjuvant"}],
    "germline_brca": True, "pik3ca": True, "akt1": True, "pten": True, "esr1": True,
    "pd_l1_cps": 20, "region": "uk",
}  # fmt: skip
FLAG_CASES: list[tuple[list[str], str, Any, dict[str, Any]]] = [
    (["--hormone-receptor", "unknown"], "hormone_receptor", "unknown", {}),
    (["--her2", "unknown"], "her2", "unknown", {}),
    (["--triple-negative"], "triple_negative", True,
     {"hormone_receptor": "unknown", "her2": "unknown", "triple_negative": False}),
    (["--not-triple-negative"], "triple_negative", False, {"triple_negative": True,
     "hormone_receptor": "unknown", "her2": "unknown"}),
    (["--stage", "locally_advanced"], "stage", "locally_advanced", {}),
    (["--setting", "neoadjuvant"], "setting", "neoadjuvant", {}),
    (["--not-inflammatory"], "inflammatory", False, {}),
    (["--not-nodes-positive"], "nodes_positive", False, {}),
    (["--not-high-recurrence-risk"], "high_recurrence_risk", False, {}),
    (["--not-had-neoadjuvant-therapy"], "had_neoadjuvant_therapy", False,
     {"residual_disease": None}),
    (["--not-residual-disease"], "residual_disease", False, {}),
    (["--not-recurred"], "recurred", False, {}),
    (["--prior-her2-regimens", "0"], "prior_her2_regimens", 0, {}),
    (["--prior-treatment", "Herceptin+docetaxel:advanced:progressed:2"], "prior_treatments",
     [{"drug": "Herceptin+docetaxel", "setting": "advanced", "progressed": True,
       "months_since_last": 2.0}], {}),
    (["--prior-treatment", "none"], "prior_treatments", [], {}),
    (["--not-germline-brca"], "germline_brca", False, {}),
    (["--not-pik3ca"], "pik3ca", False, {}),
    (["--not-akt1"], "akt1", False, {}),
    (["--not-pten"], "pten", False, {}),
    (["--not-esr1"], "esr1", False, {}),
    (["--pd-l1-cps", "1"], "pd_l1_cps", 1.0, {}),
    (["--region", "unknown"], "region", "unknown", {}),
]  # fmt: skip


def test_every_profile_field_has_a_flag_case() -> None:
    assert {field for _, field, _, _ in FLAG_CASES} == set(Profile.model_fields)


@pytest.mark.parametrize(("args", "field", "expected", "change"), FLAG_CASES)
def test_each_flag_overrides_the_profile_file(
    lib: Library, tmp_path: Path, args: list[str], field: str, expected: Any,
    change: dict[str, Any],
) -> None:  # fmt: skip
    profile = {k: v for k, v in {**FULL, **change}.items() if v is not None}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile), "utf-8")
    done = CliRunner().invoke(
        app, ["options", "--profile", str(path), *args, "--db", lib.settings.db, "--json"]
    )
    assert done.exit_code == 0, done.output
    read = json.loads(done.output)["profile"]
    if field == "prior_treatments" and expected:
        assert [{k: e[k] for k in expected[0]} for e in read[field]] == expected
    else:
        assert read[field] == expected
    for other, value in profile.items():  # and nothing else changed
        if other != field and other not in ("prior_treatments",):
            assert read[other] == value, other


def test_cli_history_and_unknown_drug_names(lib: Library) -> None:
    runner = CliRunner()
    db = lib.settings.db
    bad = runner.invoke(app, ["options", "--prior-treatment", "trastuzamab", "--db", db])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert "trastuzamab" in bad.output and "did you mean" in bad.output
    assert "trastuzumab" in bad.output.split("did you mean")[1]
    odd = runner.invoke(app, ["options", "--prior-treatment", "letrozole:later", "--db", db])
    assert odd.exit_code == 1 and "'later' is not a setting" in odd.output
    both = runner.invoke(
        app, ["options", "--prior-treatment", "letrozole", "--prior-treatment", "none", "--db", db]
    )
    assert both.exit_code == 1 and "contradict" in both.output
    done = runner.invoke(
        app,
        ["options", "--hormone-receptor", "positive", "--her2", "negative", "--stage",
         "metastatic", "--prior-treatment", "letrozole + palbociclib:advanced:progressed",
         "--region", "us", "--db", db, "--json"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    status = {o["id"]: o["status"] for o in data["options"]}
    for drug in ("palbociclib", "ribociclib", "abemaciclib", "sacituzumab-govitecan"):
        assert status[drug] == "does_not_match", drug
    assert status["trastuzumab-deruxtecan"] == "needs_information"
    assert any("HER2-low" in q for q in data["questions"])
    assert data["history"]["hormone_therapies"] == 1
    assert data["history"]["entries"][0]["drugs"] == ["letrozole", "palbociclib"]
    text = runner.invoke(
        app, ["options", "--her2", "positive", "--stage", "metastatic",
              "--prior-treatment", "Phesgo+docetaxel:advanced:progressed", "--db", db],
    )  # fmt: skip
    assert text.exit_code == 0 and "History read: 1 earlier treatment" in text.output


def test_rest_options_with_history_and_an_unknown_drug(lib: Library) -> None:
    import httpx

    from oncocite.api.app import create_app
    from tests.live_server import live_server

    app_ = create_app(lib, lib.settings.model_copy(update={"api_rate": 0}))
    with live_server(app_) as url, httpx.Client(base_url=url) as client:
        profile = {"her2": "positive", "stage": "metastatic", "region": "uk",
                   "prior_treatments": [
                       {"drug": "trastuzumab + pertuzumab + docetaxel", "setting": "advanced",
                        "progressed": True},
                       {"drug": "Enhertu", "setting": "advanced", "progressed": True}]}  # fmt: skip
        done = client.post("/v1/options", json=profile)
        assert done.status_code == 200, done.text
        by_id = {o["id"]: o for o in done.json()["options"]}
        pertuzumab = by_id["pertuzumab"]
        assert pertuzumab["status"] == "does_not_match"
        assert any("already had" in r and "pertuzumab" in r for r in pertuzumab["reasons"])
        assert by_id["tucatinib"]["status"] == "matches"  # two HER2 treatments, UK
        assert done.json()["history"]["her2_treatments"] == 2
        bad = client.post("/v1/options", json={"prior_treatments": [{"drug": "trastuzamab"}]})
        assert bad.status_code == 422
        assert "prior_treatments[0].drug" in bad.text and "trastuzumab" in bad.text
        old = client.post("/v1/options", json={"her2": "negative", "pik3ca": True})
        assert old.status_code == 200  # an older profile still reads


def test_the_issue_examples(lib: Library) -> None:
    """Issue 26, as a new user tried it: each wrong option, now right."""
    thp = {"drug": "trastuzumab + pertuzumab + docetaxel", "setting": "advanced",
           "progressed": True}  # fmt: skip
    her2_pos = {"her2": "positive", "stage": "metastatic", "region": "uk"}
    second = [thp, {"drug": "Kadcyla", "setting": "advanced", "progressed": True}]
    pertuzumab = option(lib, "pertuzumab", **her2_pos, prior_treatments=second)
    assert pertuzumab.status == "does_not_match"
    assert "already had trastuzumab, pertuzumab and docetaxel" in pertuzumab.brief
    hr_pos = {"hormone_receptor": "positive", "her2": "zero", "stage": "metastatic",
              "region": "us"}  # fmt: skip
    palbo = [{"drug": "letrozole + palbociclib", "setting": "advanced", "progressed": True}]
    for drug in ("palbociclib", "ribociclib", "abemaciclib"):
        found = option(lib, drug, **hr_pos, prior_treatments=palbo)
        assert found.status == "does_not_match"
        assert "grew during letrozole and palbociclib" in found.brief
    sacituzumab = option(lib, "sacituzumab-govitecan", **hr_pos, prior_treatments=palbo)
    assert sacituzumab.status == "does_not_match"
    assert "two or more chemotherapies" in sacituzumab.brief and "none recorded" in (
        sacituzumab.brief
    )
    # "negative" is no longer HER2 0: where HER2-low changes an option, it asks
    unspecified = option(lib, "trastuzumab-deruxtecan", **{**hr_pos, "her2": "negative"},
                         prior_treatments=palbo)  # fmt: skip
    assert unspecified.status == "needs_information"
    assert any(q.startswith("Is my cancer HER2-low?") for q in unspecified.questions)
    # AKT1 only: capivasertib, never alpelisib
    akt1 = {**hr_pos, "pik3ca": False, "akt1": True, "pten": False}
    assert option(lib, "alpelisib", **akt1, prior_treatments=palbo).status == "does_not_match"
    assert option(lib, "capivasertib", **akt1, prior_treatments=palbo).status == "matches"


def test_the_her2_low_decision_cites_ta992_and_ta862_is_her2_positive() -> None:
    knowledge = shipped_knowledge()
    assert "HER2-positive" in knowledge.sources["nice_ta862"].title
    assert "HER2-low" in knowledge.sources["nice_ta992"].title
    assert knowledge.sources["nice_ta992"].url.endswith("/ta992")
    tdxd = next(o for o in knowledge.options if o.id == "trastuzumab-deruxtecan")
    uses = {u.id: u for u in tdxd.uses}
    low_sources = {getattr(r, "source", None) for r in uses["her2-low-metastatic"].cite}
    assert "nice_ta992" in low_sources and "nice_ta862" not in low_sources
    assert "TA992" in uses["her2-low-metastatic"].summary
    positive = {getattr(r, "source", None) for r in uses["her2-positive-advanced"].cite}
    assert "nice_ta862" in positive


def test_decisions_from_2024_on_stay_draft() -> None:
    for entry in shipped_knowledge().options:
        for use in entry.uses:
            if use.as_of is not None and use.as_of.year >= 2024:
                assert use.status == "draft", (entry.id, use.id)


def test_class_quotes_are_checked_too(lib: Library) -> None:
    check = lib.check_knowledge()
    assert check.ok
    assert any(c.cite for c in shipped_knowledge().drug_classes)
    assert "000_115646f3b8bff644" in shipped_knowledge().cited_documents()
