"""Hostile input (issue 12, points 5 and 6): specific one-line errors, safe file walking.

Every case here once ended in the pipeline's last-resort "could not be read
(<Exception>)" line naming no field, or was silently accepted. Each now fails (or is
skipped) with one line naming the file and the field or line, and changes nothing
that is stored.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from oncocite import Library, MetadataOverrides
from oncocite.cli import app
from oncocite.evaluation.trec import read_run, write_run
from oncocite.ingest.pipeline import IngestOptions, ingest_paths
from oncocite.models import Hit
from tests.integration.test_bad_input import (
    GOOD_BODY,
    BadCase,
    Snapshot,
    assert_clear_error,
    snapshot,
    write_case,
)


def _md(frontmatter: str, body: str = GOOD_BODY) -> bytes:
    return f"---\n{frontmatter}---\n\n{body}".encode()


HOSTILE_CASES = [
    BadCase(
        "yaml_bool_tag",
        {"t_bool.md": _md("title: Radiotherapy\nreviewed: !!bool maybe\n")},
        "t_bool.md",
        ("reviewed", "!!bool", "line 3"),
    ),
    BadCase(
        "yaml_float_tag",
        {"t_float.md": _md("title: Radiotherapy\nscore: !!float x\n")},
        "t_float.md",
        ("score", "!!float", "line 3"),
    ),
    BadCase(
        "yaml_binary_tag",
        {"t_binary.md": _md("title: Radiotherapy\nlogo: !!binary aGVsbG8=\n")},
        "t_binary.md",
        ("logo", "!!binary"),
    ),
    BadCase(
        "yaml_set_tag",
        {"t_set.md": _md("title: Radiotherapy\nkeywords: !!set {a, b}\n")},
        "t_set.md",
        ("keywords", "!!set"),
    ),
    BadCase(
        "integer_of_5000_digits",
        {"t_bigint.md": _md("title: Radiotherapy\ncount: " + "9" * 5000 + "\n")},
        "t_bigint.md",
        ("count", "5,000 characters", "line 3"),
    ),
    BadCase(
        "thousand_nested_brackets",
        {"t_nested.md": _md("title: Radiotherapy\ndeep: " + "[" * 1000 + "]" * 1000 + "\n")},
        "t_nested.md",
        ("deep", "nested more than 20 levels", "line 3"),
    ),
    BadCase(
        "recursive_alias",
        {"t_recursive.md": _md("title: Radiotherapy\nloop: &a [1, *a]\n")},
        "t_recursive.md",
        ("loop", "contains itself", "line 3"),
    ),
    BadCase(
        "lone_surrogate_in_key",
        {"t_surrogate.md": _md('title: Radiotherapy\n"bad\\ud800key": 1\n')},
        "t_surrogate.md",
        ("surrogate", "line 3"),
    ),
    BadCase(
        "unclosed_ipv6_url_with_relative_link",
        {
            "t_ipv6.md": _md(
                'title: Radiotherapy\nurl: "http://[::1"\n',
                "# Radiotherapy\n\nSee [side effects](side-effects) for more.\n",
            )
        },
        "t_ipv6.md",
        ("url", "'http://[::1'", "not an http(s) URL"),
    ),
    BadCase(
        "html_that_trips_an_extractor_assertion",
        {"t_assert.html": b"<math></head></html><html><object><a href='x'>l</a><![CDATA[x]]>"},
        "t_assert.html",
        ("body",),
    ),
    BadCase(
        "sidecar_is_a_directory",
        {"t_side.md": GOOD_BODY.encode()},
        "t_side.md",
        ("sidecar", "folder"),
        blamed="t_side.md.meta.yaml",
    ),
    BadCase(
        "sidecar_is_binary",
        {"t_binside.md": GOOD_BODY.encode(), "t_binside.md.meta.yaml": b"title: x\x00\x01"},
        "t_binside.md",
        ("sidecar", "binary"),
        blamed="t_binside.md.meta.yaml",
    ),
    BadCase(
        "sidecar_is_latin1",
        {
            "t_l1side.md": GOOD_BODY.encode(),
            "t_l1side.md.meta.yaml": "title: é\n".encode("latin-1"),
        },
        "t_l1side.md",
        ("sidecar", "UTF-8"),
        blamed="t_l1side.md.meta.yaml",
    ),
    BadCase(
        "sidecar_with_a_tag",
        {"t_tagside.md": GOOD_BODY.encode(), "t_tagside.md.meta.yaml": b"flag: !!bool maybe\n"},
        "t_tagside.md",
        ("flag", "!!bool", "sidecar line 1"),
        blamed="t_tagside.md.meta.yaml",
    ),
    BadCase(
        "medquad_pid_repeated",
        {
            "0000077.xml": b'<Document id="0000077" source="GARD"><Focus>F</Focus><QAPairs>'
            b"<QAPair pid='1'><Question qid='1'>Q?</Question><Answer>A one.</Answer></QAPair>"
            b"<QAPair pid='1'><Question qid='2'>Q2?</Question><Answer>A two.</Answer></QAPair>"
            b"</QAPairs></Document>"
        },
        "0000077.xml",
        ("pid", "two QAPairs"),
    ),
]


@pytest.mark.parametrize("case", HOSTILE_CASES, ids=lambda c: c.name)
def test_hostile_file_fails_with_a_specific_line_and_changes_nothing(
    case: BadCase, seeded: Library, seeded_snapshot: Snapshot, tmp_path: Path
) -> None:
    target = write_case(case, tmp_path / "in")
    if case.name == "sidecar_is_a_directory":
        (target.parent / f"{case.target}.meta.yaml").mkdir()
    report = seeded.ingest([target])
    [result] = report.results
    assert_clear_error(result, case.blamed_file, case.expect)
    assert snapshot(seeded) == seeded_snapshot


@pytest.fixture
def seeded_snapshot(seeded: Library) -> Snapshot:
    return snapshot(seeded)


def test_links_against_a_bad_base_url_do_not_raise(lib: Library, tmp_path: Path) -> None:
    """The url is refused by the schema; a --url flag can fix it and the link stays."""
    path = tmp_path / "ipv6.md"
    path.write_bytes(_md('title: R\nurl: "http://[::1"\n', "See [side effects](side-effects).\n"))
    report = lib.ingest([path], metadata=MetadataOverrides(url="https://example.org/r/"))
    assert report.results[0].outcome == "added", report.results[0].error
    links = [link.url for p in lib.show("ipv6").passages for link in p.links]
    assert links == ["side-effects"]


def test_sidecar_obeys_max_bytes(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "big.md").write_text(GOOD_BODY, encoding="utf-8")
    sidecar = tmp_path / "big.md.meta.yaml"
    sidecar.write_text("title: Big\nnotes: '" + "x" * 5000 + "'\n", encoding="utf-8")
    report = lib.ingest([tmp_path / "big.md"], max_bytes=1000)
    assert_clear_error(report.results[0], "big.md.meta.yaml", ("sidecar", "limit", "--max-bytes"))
    assert lib.counts()["documents"] == 0
    assert lib.ingest([tmp_path / "big.md"], max_bytes=10_000).results[0].outcome == "added"


# ------------------------------------------------------------------ folders and links


def _folder_with_links(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.md").write_text(GOOD_BODY, encoding="utf-8")
    (folder / "sub" / "inner.md").write_text(GOOD_BODY, encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\n\nroot:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "etc_passwd.txt").symlink_to("/etc/passwd")
    (folder / "inside.md").symlink_to(folder / "sub" / "inner.md")
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    (folder / "loop").symlink_to(folder)
    (folder / "ping.md").symlink_to(folder / "pong.md")
    (folder / "pong.md").symlink_to(folder / "ping.md")
    (folder / "null.txt").symlink_to("/dev/null")
    os.mkfifo(folder / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.txt"))
    server.close()
    return folder


def test_links_are_followed_only_inside_the_folders_given(lib: Library, tmp_path: Path) -> None:
    folder = _folder_with_links(tmp_path)
    started = time.monotonic()
    report = lib.ingest([folder])
    assert time.monotonic() - started < 30, "a FIFO must never be opened"
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name["good.md"].outcome == "added"
    assert by_name["inner.md"].outcome == "added"
    # A link to a file inside the folder is read (it is the same file as inner.md).
    assert by_name["inside.md"].outcome in ("added", "unchanged", "failed")
    skipped = {name: r.error or "" for name, r in by_name.items() if r.outcome == "skipped"}
    assert "outside the folders given" in skipped["passwd.txt"]
    assert "outside the folders given" in skipped["etc_passwd.txt"]
    assert "does not exist" in skipped["dangling.md"]
    assert "read already" in skipped["loop"]
    assert "loop of symbolic links" in skipped["ping.md"]
    assert "FIFO" in skipped["pipe.txt"]
    assert "socket" in skipped["sock.txt"]
    assert "outside the folders given" in skipped["null.txt"]
    for name, error in skipped.items():
        assert error.startswith(f"{name}: skipped, "), error
        assert "\n" not in error
    texts = " ".join(p.text for d in lib.documents().documents for p in lib.show(d.doc_id).passages)
    assert "root:x:0" not in texts


def test_a_link_into_another_folder_given_is_followed(lib: Library, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (second / "shared.md").write_text(GOOD_BODY, encoding="utf-8")
    (first / "linked.md").symlink_to(second / "shared.md")
    report = lib.ingest([first, second])
    outcomes = {Path(r.path).name: r.outcome for r in report.results}
    assert outcomes["linked.md"] == "added"


def test_a_device_named_directly_fails_without_blocking(lib: Library, tmp_path: Path) -> None:
    fifo = tmp_path / "named.txt"
    os.mkfifo(fifo)
    report = lib.ingest([fifo, Path("/dev/zero")])
    errors = [r.error or "" for r in report.results]
    assert [r.outcome for r in report.results] == ["failed", "failed"]
    assert "FIFO" in errors[0] and "character device" in errors[1]


def test_a_sidecar_link_pointing_outside_is_refused(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "leaf.md").write_text(GOOD_BODY, encoding="utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text("source: Secret source\n", encoding="utf-8")
    (folder / "leaf.md.meta.yaml").symlink_to(outside)
    [result] = lib.ingest([folder]).results
    assert_clear_error(result, "leaf.md.meta.yaml", ("sidecar", "outside the folders given"))


# ------------------------------------------------------------------ names and ids


def test_file_name_with_a_newline_gives_a_one_line_error(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "bad\nname\x1b[31m.md"
    path.write_bytes(_md("title: R\nlastReviewed: '2025-13-01'\n"))
    [result] = lib.ingest([path]).results
    assert result.outcome == "failed"
    assert result.error is not None
    assert "\n" not in result.error and "\x1b" not in result.error
    assert result.error.startswith("bad\\nname\\x1b[31m.md: lastReviewed")


def test_file_name_with_spaces_gives_ids_trec_can_read_back(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "side  effects\tof radiotherapy.md"
    path.write_text(GOOD_BODY, encoding="utf-8")
    [result] = lib.ingest([path]).results
    assert result.doc_id == "side_effects_of_radiotherapy"
    passages = lib.show(result.doc_id).passages
    assert [p.passage_id for p in passages] == ["side_effects_of_radiotherapy#1"]
    hits = [
        Hit(
            passage_id=p.passage_id,
            doc_id=p.doc_id,
            title="t",
            source=None,
            url=None,
            score=1.0,
            text=p.text,
        )
        for p in passages
    ]
    run = tmp_path / "run.trec"
    write_run(run, {"q1": hits}, "tag")
    assert read_run(run) == {"q1": {"side_effects_of_radiotherapy#1": 1.0}}


def test_same_stem_from_another_folder_later_is_refused_unless_replacing(
    lib: Library, tmp_path: Path
) -> None:
    first, second = tmp_path / "a" / "leaflet.md", tmp_path / "b" / "leaflet.md"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text("# First leaflet\n\nThe first text.\n", encoding="utf-8")
    second.write_text("# Second leaflet\n\nA different text.\n", encoding="utf-8")
    assert lib.ingest([first]).results[0].outcome == "added"
    [refused] = lib.ingest([second]).results
    assert_clear_error(refused, "leaflet.md", ("'leaflet'", "already stored from", "--replace"))
    assert str(first.resolve()) in (refused.error or "")
    assert lib.show("leaflet").metadata.title == "First leaflet"
    # The same path again is an ordinary update; the other path only with replace.
    first.write_text("# First leaflet\n\nThe first text, revised.\n", encoding="utf-8")
    assert lib.ingest([first]).results[0].outcome == "updated"
    replaced = ingest_paths(lib.store, [second], IngestOptions(replace=True))
    assert replaced.results[0].outcome == "updated"
    assert lib.show("leaflet").metadata.title == "Second leaflet"
    assert lib.show("leaflet").path == str(second.resolve())


def test_an_unclosed_ipv6_url_flag_is_refused(lib: Library, tmp_path: Path) -> None:
    """Overrides are checked when they are made: before any file is read."""
    with pytest.raises(ValidationError, match=r"'http://\[::1' is not an http\(s\) URL"):
        MetadataOverrides(url="http://[::1")
    path = tmp_path / "flagged.md"
    path.write_text(GOOD_BODY, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ingest", str(path), "--url", "http://[::1", "--db", lib.settings.db, "--no-embed"]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: --url 'http://[::1' is not an http(s) URL"
    assert lib.documents().total == 0
