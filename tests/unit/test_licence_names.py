"""Licence names a reader understands: every licence has one, no id leaks through,
and an answer's citations carry it (so the page and the CLI can show it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncocite.licences import LICENCES, licence_name
from tests.conftest import seed_library


@pytest.mark.parametrize("licence", sorted(LICENCES))
def test_every_licence_has_a_name_in_words(licence: str) -> None:
    name = licence_name(licence)
    assert name is not None and name != licence
    assert "_" not in name  # never `all_rights_reserved` or the like
    assert ": " in name  # what it is, then what it lets a reader do


def test_the_names_a_patient_sees() -> None:
    assert licence_name("all_rights_reserved") == "All rights reserved: quoted for information"
    assert licence_name("CC-BY-4.0") == "CC BY 4.0: free to share with credit"
    assert licence_name("public_domain") == "Public domain: free to reuse"
    assert licence_name(None) is None
    assert licence_name("made-up") == "made-up"  # shown as it is, never hidden


def test_citations_carry_the_licence_name(tmp_path: Path) -> None:
    with seed_library(tmp_path / "lib.db", embed="0") as library:
        answer = library.ask("What is Kadcyla?")
    assert answer.citations
    for citation in answer.citations:
        assert citation.license is not None
        assert citation.license_name == LICENCES[citation.license].name
