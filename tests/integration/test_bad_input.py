"""Bad input: one clear line per bad file, good files stored, nothing stored changes.

Every case is ingested into a library already holding both seeds, through the
Python API and through the real `oncocite` command in a subprocess. A bad file must
fail with a single line that names the file (and the field, where there is one),
never a traceback, and must leave every stored document, passage and version exactly
as it was, including when the bad file is a broken new version of a stored document.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from oncocite import Library, open_library
from oncocite.ingest.pipeline import IngestOptions, ingest_paths
from oncocite.models import IngestFileResult
from tests.conftest import CRUK_FLAGS, SEED_CRUK, SEED_NCI

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
FIFTY_MB = 50 * 1024 * 1024
GOOD_BODY = (
    "# Radiotherapy for breast cancer\n\nRadiotherapy uses high-energy rays to kill cancer cells.\n"
)


@dataclass(frozen=True)
class BadCase:
    """One bad input: the files to write, the path to ingest, what its error must say."""

    name: str
    files: dict[str, bytes]
    target: str
    expect: tuple[str, ...]
    blamed: str = ""  # the file the message must start with, when not the target

    @property
    def blamed_file(self) -> str:
        return self.blamed or self.target


def _md(frontmatter: str, body: str = GOOD_BODY) -> bytes:
    return f"---\n{frontmatter}---\n\n{body}".encode()


BAD_CASES = [
    BadCase(
        "malformed_yaml",
        {"bad_yaml.md": _md("title: [never closed\nsource: NCI\n")},
        "bad_yaml.md",
        ("frontmatter", "not valid YAML", "line "),
    ),
    BadCase(
        "frontmatter_never_closed",
        {"unclosed.md": b"---\ntitle: Radiotherapy\nsource: NCI\n\nRadiotherapy uses rays.\n"},
        "unclosed.md",
        ("frontmatter", "never closed"),
    ),
    BadCase(
        # No title key and no heading to fall back on (a body heading would become the title).
        "missing_title",
        {"no_title.md": _md("source: NCI\nlicense: public_domain\n", "Only a paragraph here.\n")},
        "no_title.md",
        ("title", "missing"),
    ),
    BadCase(
        "month_13",
        {"month13.md": _md("title: Radiotherapy\nlastReviewed: '2025-13-01'\n")},
        "month13.md",
        ("lastReviewed", "'2025-13-01'", "YYYY-MM-DD"),
    ),
    BadCase(
        "february_30",
        {"feb30.md": _md("title: Radiotherapy\nlastReviewed: '2025-02-30'\n")},
        "feb30.md",
        ("lastReviewed", "'2025-02-30'", "YYYY-MM-DD"),
    ),
    BadCase(
        "unknown_status",
        {"status.md": _md("title: Radiotherapy\nstatus: published\n")},
        "status.md",
        ("status", "'published'", "active"),
    ),
    BadCase("empty_file", {"empty.txt": b""}, "empty.txt", ("empty",)),
    BadCase("whitespace_only", {"blank.md": b"  \n\n\t \r\n   \n"}, "blank.md", ("empty",)),
    BadCase("binary_png_as_txt", {"image.txt": PNG_BYTES}, "image.txt", ("binary",)),
    BadCase(
        "latin1_text",
        {
            "latin1.txt": "Traitement du cancer\n\nLa chimiothérapie réduit la tumeur.\n".encode(
                "latin-1"
            )
        },
        "latin1.txt",
        ("UTF-8", "0xe9", "iconv"),
    ),
    BadCase("unsupported_extension", {"leaflet.pdf": b"%PDF-1.4\n"}, "leaflet.pdf", ("'.pdf'",)),
    BadCase(
        "malformed_medquad_xml",
        {
            "0009999.xml": b'<?xml version="1.0"?>\n<Document id="0009999" source="GARD">\n'
            b"<Focus>Noonan syndrome</Focus><QAPairs><QAPair pid='1'><Question>What?</Question>\n"
        },
        "0009999.xml",
        ("xml", "malformed XML"),
    ),
    BadCase(
        "xml_that_is_not_medquad",
        {"page.xml": b"<html><body><p>Not MedQuAD</p></body></html>\n"},
        "page.xml",
        ("xml", "<html>", "<Document>"),
    ),
    BadCase(
        "malformed_sidecar",
        {
            "radiotherapy.md": GOOD_BODY.encode(),
            "radiotherapy.md.meta.yaml": b"source: NCI\nlicense: [CC-BY-4.0\n",
        },
        "radiotherapy.md",
        ("sidecar", "malformed YAML", "line "),
        blamed="radiotherapy.md.meta.yaml",
    ),
    BadCase(
        "sidecar_with_bad_field",
        {
            "surgery.md": GOOD_BODY.encode(),
            "surgery.md.meta.yaml": b"title: Surgery\nlastReviewed: '2025-02-30'\n",
        },
        "surgery.md",
        ("lastReviewed", "'2025-02-30'"),
    ),
    BadCase("path_does_not_exist", {}, "not_here.md", ("does not exist",)),
]

# PyYAML would turn an unquoted 2025-13-01 into a date itself and raise a bare
# ValueError naming neither field nor value; frontmatter and sidecars are loaded with
# dates kept as text so the schema reports them like any other bad value.
UNQUOTED_DATE_CASES = [
    BadCase(
        "unquoted_month_13",
        {"u_month13.md": _md("title: Radiotherapy\nlastReviewed: 2025-13-01\n")},
        "u_month13.md",
        ("lastReviewed", "2025-13-01"),
    ),
    BadCase(
        "unquoted_february_30",
        {"u_feb30.md": _md("title: Radiotherapy\nlastReviewed: 2025-02-30\n")},
        "u_feb30.md",
        ("lastReviewed", "2025-02-30"),
    ),
    BadCase(
        "unquoted_date_in_sidecar",
        {
            "u_side.md": GOOD_BODY.encode(),
            "u_side.md.meta.yaml": b"lastReviewed: 2025-13-01\n",
        },
        "u_side.md",
        ("lastReviewed", "2025-13-01"),
    ),
]


def write_case(case: BadCase, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    return folder / case.target


def write_huge(path: Path, size: int = FIFTY_MB) -> Path:
    """A sparse file: instant to write, and its stat size is what the limit checks."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


Snapshot = tuple[list[dict[str, Any]], dict[str, dict[str, Any]], dict[str, int]]


def snapshot(lib: Library) -> Snapshot:
    """Everything a reader can see: the listing, each document in full, the counts."""
    docs = [d.model_dump(mode="json") for d in lib.documents().documents]
    shown = {d["doc_id"]: lib.show(d["doc_id"]).model_dump(mode="json") for d in docs}
    return docs, shown, lib.counts()


def assert_clear_error(result: IngestFileResult, blamed: str, expect: tuple[str, ...]) -> None:
    assert result.outcome == "failed", result
    assert result.doc_id is None
    error = result.error
    assert error is not None
    assert "\n" not in error, f"not one line: {error!r}"
    assert "Traceback" not in error
    assert error.startswith(f"{blamed}: "), error
    # The pipeline's last-resort handler means an unexpected exception: not a clear error.
    assert "could not be read (" not in error, error
    for part in expect:
        assert part in error, f"{part!r} missing from {error!r}"


@pytest.fixture
def seeded_snapshot(seeded: Library) -> Snapshot:
    before = snapshot(seeded)
    assert before[2]["documents"] == 2
    assert before[2]["passages"] > 0
    return before


# ---------------------------------------------------------------------------- API


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda c: c.name)
def test_bad_file_fails_with_one_clear_line_and_changes_nothing(
    case: BadCase, seeded: Library, seeded_snapshot: Snapshot, tmp_path: Path
) -> None:
    target = write_case(case, tmp_path / "in")
    report = seeded.ingest([target])
    assert len(report.results) == 1
    assert report.failed == 1
    assert_clear_error(report.results[0], case.blamed_file, case.expect)
    assert snapshot(seeded) == seeded_snapshot


@pytest.mark.parametrize("case", UNQUOTED_DATE_CASES, ids=lambda c: c.name)
def test_unquoted_impossible_date_names_the_field(
    case: BadCase, seeded: Library, seeded_snapshot: Snapshot, tmp_path: Path
) -> None:
    target = write_case(case, tmp_path / "in")
    report = seeded.ingest([target])
    assert snapshot(seeded) == seeded_snapshot
    assert_clear_error(report.results[0], case.blamed_file, case.expect)


@pytest.mark.parametrize("case", UNQUOTED_DATE_CASES, ids=lambda c: c.name)
def test_unquoted_impossible_date_still_fails_without_a_trace(
    case: BadCase, seeded: Library, seeded_snapshot: Snapshot, tmp_path: Path
) -> None:
    """Whatever the wording, the file is refused in one line and nothing is stored."""
    target = write_case(case, tmp_path / "in")
    report = seeded.ingest([target])
    [result] = report.results
    assert result.outcome == "failed"
    assert result.error is not None
    assert "\n" not in result.error
    assert result.error.startswith(f"{case.target}: ")
    assert snapshot(seeded) == seeded_snapshot


def test_fifty_megabyte_file_is_refused_by_size(
    seeded: Library, seeded_snapshot: Snapshot, tmp_path: Path
) -> None:
    huge = write_huge(tmp_path / "dump.txt")
    report = seeded.ingest([huge])
    assert_clear_error(report.results[0], "dump.txt", ("50 MB", "limit", "--max-bytes"))
    assert snapshot(seeded) == seeded_snapshot


def test_max_bytes_raises_and_lowers_the_limit(seeded: Library, tmp_path: Path) -> None:
    huge = write_huge(tmp_path / "dump.txt")
    raised = seeded.ingest([huge], max_bytes=FIFTY_MB + 1)
    [result] = raised.results
    # Past the size gate, the (all-zero) content is what is refused now.
    assert result.outcome == "failed"
    assert result.error == "dump.txt: is a binary file, not text"

    small = tmp_path / "003_5c17e5cb39d03151.txt"
    shutil.copy(SEED_NCI, small)
    lowered = seeded.ingest([small], max_bytes=1000)
    assert lowered.results[0].outcome == "failed"
    assert "limit" in (lowered.results[0].error or "")
    assert seeded.ingest([small], max_bytes=FIFTY_MB).results[0].outcome == "unchanged"


def test_sidecar_named_directly_is_skipped_not_failed(seeded: Library, tmp_path: Path) -> None:
    """`oncocite ingest docs/*` passes sidecars too; they are read with their file."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "radiotherapy.md").write_text(GOOD_BODY, encoding="utf-8")
    sidecar = docs / "radiotherapy.md.meta.yaml"
    sidecar.write_text("source: NCI\nlicense: public_domain\n", encoding="utf-8")
    report = seeded.ingest(sorted(docs.iterdir()))
    outcomes = {Path(r.path).name: r.outcome for r in report.results}
    assert outcomes == {"radiotherapy.md": "added", "radiotherapy.md.meta.yaml": "skipped"}
    assert seeded.show("radiotherapy").metadata.source == "NCI"


# A bad new version of a stored document: same file name as seed 003, broken content.
def _break_date(text: str) -> str:
    return text.replace("lastReviewed: '2025-12-30'", "lastReviewed: '2025-13-01'")


def _break_date_unquoted(text: str) -> str:
    return text.replace("lastReviewed: '2025-12-30'", "lastReviewed: 2025-02-30")


def _break_status(text: str) -> str:
    return text.replace("status: active", "status: archived")


def _break_yaml(text: str) -> str:
    return text.replace("tags:\n", "tags: [treatment\n", 1)


def _drop_title(text: str) -> str:
    """No title key, and headings made plain lines so none can stand in for the title."""
    lines = [line.lstrip("#").strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if not line.startswith("title:"))


BROKEN_VERSIONS = {
    "impossible_date": (_break_date, ("lastReviewed", "'2025-13-01'")),
    "impossible_date_unquoted": (_break_date_unquoted, ()),
    "unknown_status": (_break_status, ("status", "'archived'")),
    "malformed_yaml": (_break_yaml, ("frontmatter", "YAML")),
    "no_title": (_drop_title, ("title", "missing")),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN_VERSIONS))
def test_bad_new_version_keeps_the_old_version_current(
    breakage: str, seeded: Library, seeded_snapshot: Snapshot, tmp_path: Path
) -> None:
    edit, expect = BROKEN_VERSIONS[breakage]
    text = SEED_NCI.read_text(encoding="utf-8")
    # A real new version: the body changed too, so only the breakage can stop it.
    broken = edit(text).replace("Immunotherapy helps", "Immunotherapy now helps")
    assert broken != edit(text) != text
    copy = tmp_path / SEED_NCI.name
    copy.write_text(broken, encoding="utf-8")

    report = seeded.ingest([copy])
    [result] = report.results
    assert result.outcome == "failed"
    assert result.error is not None and "\n" not in result.error
    assert result.error.startswith(f"{SEED_NCI.name}: ")
    for part in expect:
        assert part in result.error
    assert snapshot(seeded) == seeded_snapshot
    record = seeded.show(SEED_NCI.stem)
    assert record.version == 1
    assert [v.version for v in record.versions] == [1]
    assert "Immunotherapy now helps" not in record.text
    assert all("now helps" not in p.text for p in record.passages)

    # The same file, repaired, is from another folder than the stored seed: refused as
    # its new version unless replacing is asked for, and then it becomes version 2 (the
    # failure left no half-written state).
    copy.write_text(text.replace("Immunotherapy helps", "Immunotherapy now helps"), "utf-8")
    [refused] = seeded.ingest([copy]).results
    assert refused.outcome == "failed"
    assert "is already stored from" in (refused.error or "")
    replaced = ingest_paths(seeded.store, [copy], IngestOptions(replace=True))
    assert replaced.results[0].outcome == "updated"
    assert seeded.show(SEED_NCI.stem).version == 2


def _mixed_folder(root: Path) -> tuple[Path, dict[str, str], list[str]]:
    """A folder of every bad case beside good files: (folder, bad file -> blamed, good ids)."""
    folder = root / "mixed"
    blamed: dict[str, str] = {}
    for case in BAD_CASES:
        if case.files:
            write_case(case, folder)
            blamed[case.target] = case.blamed_file
    write_huge(folder / "dump.txt")
    blamed["dump.txt"] = "dump.txt"
    (folder / "good_chemo.md").write_text(
        "---\ntitle: Chemotherapy\nsource: NCI\nlastReviewed: '2025-01-31'\n---\n\n"
        "# Chemotherapy\n\nChemotherapy uses drugs to destroy cancer cells.\n",
        encoding="utf-8",
    )
    (folder / "good_scraped.txt").write_text(
        "Hormone therapy\n\nHormone therapy blocks hormones that help some cancers grow.\n",
        encoding="utf-8",
    )
    (folder / "good_side.md").write_text(GOOD_BODY, encoding="utf-8")
    (folder / "good_side.md.meta.yaml").write_text(
        "source: Cancer Research UK\nlicense: all_rights_reserved\n", encoding="utf-8"
    )
    (folder / "nested").mkdir()
    shutil.copy(SEED_CRUK, folder / "nested" / "crukcopy.txt")
    good = ["crukcopy", "good_chemo", "good_scraped", "good_side"]
    return folder, blamed, good


def test_mixed_folder_stores_good_files_and_reports_each_bad_one(
    seeded: Library, seeded_snapshot: Snapshot, tmp_path: Path
) -> None:
    folder, blamed, good = _mixed_folder(tmp_path)
    missing = tmp_path / "not_here.md"
    report = seeded.ingest([folder, missing])

    by_name = {Path(r.path).name: r for r in report.results}
    assert len(by_name) == len(report.results), "each file is reported once"
    assert sorted(str(r.doc_id) for r in report.results if r.outcome == "added") == good
    failed = {name for name, r in by_name.items() if r.outcome == "failed"}
    assert failed == {*blamed, "not_here.md"}
    for name in blamed:
        assert_clear_error(by_name[name], blamed[name], ())
    assert_clear_error(by_name["not_here.md"], "not_here.md", ("does not exist",))

    _, shown, counts = snapshot(seeded)
    assert counts["documents"] == 2 + len(good)
    # The seeds are untouched by the run.
    for doc_id, before in seeded_snapshot[1].items():
        assert shown[doc_id] == before
    assert seeded.show("good_side").metadata.source == "Cancer Research UK"
    assert seeded.show("good_chemo").passages


# ---------------------------------------------------------------------------- CLI


def run_cli(*args: str | Path, columns: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONCOCITE_")}
    env["HF_HUB_OFFLINE"] = "1"
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "oncocite", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def seeded_db(tmp_path: Path) -> tuple[Path, Snapshot]:
    db = tmp_path / "cli.db"
    with open_library(db, embed="0") as lib:
        assert lib.ingest([SEED_NCI]).failed == 0
        assert lib.ingest([SEED_CRUK], metadata=CRUK_FLAGS).failed == 0
        return db, snapshot(lib)


def test_cli_names_each_failing_file_without_a_traceback(
    seeded_db: tuple[Path, Snapshot], tmp_path: Path
) -> None:
    db, before = seeded_db
    folder, blamed, good = _mixed_folder(tmp_path)
    done = run_cli("ingest", folder, tmp_path / "not_here.md", "--db", db, "--no-embed")

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.splitlines()
    # a path given that does not exist: an error before anything else, and only that
    assert lines[0] == f"error: {tmp_path / 'not_here.md'} does not exist", lines
    assert sum("not_here.md" in line for line in lines) == 1
    for name in blamed.values():
        own = [line for line in lines if line.startswith(f"failed: {name}: ")]
        assert len(own) == 1, f"{name}: {own or lines}"
    assert sum(line.startswith("failed: ") for line in lines) == len(blamed)

    with open_library(db, embed="0") as lib:
        docs, shown, _ = snapshot(lib)
        assert {d["doc_id"] for d in docs} == {SEED_NCI.stem, SEED_CRUK.stem, *good}
        for doc_id, record in before[1].items():
            assert shown[doc_id] == record


def test_cli_error_lines_are_not_wrapped(seeded_db: tuple[Path, Snapshot], tmp_path: Path) -> None:
    db, _ = seeded_db
    folder, _, _ = _mixed_folder(tmp_path)
    done = run_cli("ingest", folder, "--db", db, "--no-embed", columns=80)
    assert done.returncode == 1
    for line in done.stderr.splitlines():
        assert line.startswith(("failed: ", "warning: ")), f"a wrapped line: {line!r}"


def test_cli_bad_new_version_keeps_old_version(
    seeded_db: tuple[Path, Snapshot], tmp_path: Path
) -> None:
    db, before = seeded_db
    copy = tmp_path / SEED_NCI.name
    copy.write_text(_break_date(SEED_NCI.read_text(encoding="utf-8")), encoding="utf-8")
    done = run_cli("ingest", copy, "--db", db, "--no-embed")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"failed: {SEED_NCI.name}: lastReviewed '2025-13-01' is not a date" in done.stderr
    with open_library(db, embed="0") as lib:
        assert snapshot(lib) == before
        assert lib.show(SEED_NCI.stem).version == 1


def test_cli_json_on_failure_is_valid_json_with_the_errors(
    seeded_db: tuple[Path, Snapshot], tmp_path: Path
) -> None:
    db, before = seeded_db
    folder, blamed, good = _mixed_folder(tmp_path)
    done = run_cli("ingest", folder, tmp_path / "not_here.md", "--db", db, "--no-embed", "--json")

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)  # stdout carries the data and nothing else
    assert data["totals"]["failed"] == len(blamed) + 1
    assert data["totals"]["added"] == len(good)
    errors = {Path(f["path"]).name: f["error"] for f in data["results"] if f["outcome"] == "failed"}
    assert set(errors) == {*blamed, "not_here.md"}
    for name, error in errors.items():
        assert error.startswith(f"{blamed.get(name, name)}: ")
        assert "\n" not in error
    assert (
        errors["month13.md"] == "month13.md: lastReviewed '2025-13-01' is not a date (YYYY-MM-DD)"
    )
    with open_library(db, embed="0") as lib:
        _, shown, _ = snapshot(lib)
    assert {doc_id: shown[doc_id] for doc_id in before[1]} == before[1]


def test_cli_max_bytes_flag_raises_the_limit(tmp_path: Path) -> None:
    db = tmp_path / "size.db"
    huge = write_huge(tmp_path / "dump.txt")
    default = run_cli("ingest", huge, "--db", db, "--no-embed", "--json")
    assert default.returncode == 1
    [entry] = json.loads(default.stdout)["results"]
    assert "over the 10 MB limit" in entry["error"]

    raised = run_cli(
        "ingest", huge, "--db", db, "--no-embed", "--json", "--max-bytes", str(FIFTY_MB + 1)
    )
    assert raised.returncode == 1
    [entry] = json.loads(raised.stdout)["results"]
    assert entry["error"] == "dump.txt: is a binary file, not text"

    good = tmp_path / "good.md"
    good.write_text(GOOD_BODY, encoding="utf-8")
    refused = run_cli("ingest", good, "--db", db, "--no-embed", "--max-bytes", "10")
    assert refused.returncode == 1
    assert "failed: good.md: " in refused.stderr and "--max-bytes" in refused.stderr
    accepted = run_cli("ingest", good, "--db", db, "--no-embed", "--max-bytes", "1000")
    assert accepted.returncode == 0, accepted.stderr
