"""Fixtures the unit tests of the text reader share: the scraped seed page."""

from __future__ import annotations

import pytest

from oncocite.ingest.parsed import ParsedDocument
from oncocite.ingest.text import read_text
from tests.conftest import SEED_CRUK


@pytest.fixture(scope="module")
def raw() -> str:
    """The Cancer Research UK seed as scraped."""
    return SEED_CRUK.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cruk(raw: str) -> ParsedDocument:
    """That page as the text reader reads it."""
    return read_text(SEED_CRUK, raw)
