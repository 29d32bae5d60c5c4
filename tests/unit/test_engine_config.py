"""Every `EngineConfig` knob does something: none is only written down."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import oncocite
from oncocite.library import open_library
from oncocite.search.engine import EngineConfig

SRC = Path(oncocite.__file__).parent


def test_every_knob_is_read_by_the_engine() -> None:
    """A field nobody reads is a setting that silently does nothing."""
    engine = (SRC / "search" / "engine.py").read_text(encoding="utf-8")
    for knob in dataclasses.fields(EngineConfig):
        reads = re.findall(rf"\b(?:cfg|config|self\.config|self)\.{knob.name}\b", engine)
        assert reads, f"EngineConfig.{knob.name} is never read"


@pytest.mark.parametrize(
    "dead", ["score_every_candidate", "persist_index", "correct_spelling", "fusion", "rrf_k"]
)
def test_removed_knobs_are_refused(dead: str) -> None:
    with pytest.raises(TypeError):
        EngineConfig(**{dead: True})  # type: ignore[arg-type]


def test_the_lexical_index_is_always_saved_and_reused(tmp_path: Path) -> None:
    """What `persist_index` used to switch off: a new process loads the saved index."""
    doc = tmp_path / "leaflet.md"
    doc.write_text(
        "---\ntitle: Trastuzumab\nsource: NCI\nlicense: public_domain\n---\n\n"
        "# Trastuzumab\n\nTrastuzumab treats HER2-positive breast cancer.\n",
        encoding="utf-8",
    )
    db = tmp_path / "lib.db"
    with open_library(db, embed="0") as lib:
        assert [r.outcome for r in lib.ingest([doc]).results] == ["added"]
    with open_library(db, embed="0") as lib:
        assert lib.search("trastuzumab", mode="lexical").hits
        assert lib.engine().index_origin == "stored"
