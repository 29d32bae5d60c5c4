"""Cold start: the lexical index is kept in the store and loaded, never served stale,
and a lexical search never imports PyTorch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from oncocite import Library, open_library
from oncocite.search.dense import dense_available
from tests.conftest import SEED_NCI


def test_ingest_saves_the_index_and_a_new_process_loads_it(seeded: Library) -> None:
    engine = seeded.engine()
    name = engine.config.index_name()
    saved = seeded.store.get_artifact(name)
    assert saved is not None and saved[0] == seeded.store.generation()
    with open_library(seeded.settings.db, embed="0") as again:
        hits = again.search("Herceptin", k=3, mode="lexical").hits
        assert hits and again.engine().index_origin == "stored"


def test_a_change_elsewhere_is_never_served_stale(seeded: Library) -> None:
    warm = seeded.search("immunotherapy", k=10, mode="lexical").hits
    assert "003_5c17e5cb39d03151" in {h.doc_id for h in warm}
    with open_library(seeded.settings.db, embed="0") as other:
        other.retire("003_5c17e5cb39d03151")
    after = seeded.search("immunotherapy", k=10, mode="lexical").hits
    assert "003_5c17e5cb39d03151" not in {h.doc_id for h in after}


def test_an_index_of_another_generation_is_rebuilt(seeded: Library) -> None:
    name = seeded.engine().config.index_name()
    generation, data = seeded.store.get_artifact(name) or (0, b"")
    seeded.store.put_artifact(name, generation - 1, data)
    with open_library(seeded.settings.db, embed="0") as again:
        assert again.search("Herceptin", k=1, mode="lexical").hits
        assert again.engine().index_origin == "built"
        assert again.store.get_artifact(name) == (generation, data)


def _imports(db: Path, *args: str) -> set[str]:
    command = [sys.executable, "-X", "importtime", "-m", "oncocite", "search", "Herceptin"]
    done = subprocess.run(
        [*command, "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        timeout=120,
    )
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}


def test_lexical_search_never_imports_torch_or_the_model(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with open_library(db) as lib:
        assert lib.ingest([SEED_NCI]).failed == 0
    modules = _imports(db, "--mode", "lexical")
    assert "oncocite.search.engine" in modules
    assert not modules & {"torch", "onnxruntime", "sentence_transformers", "transformers"}
    if dense_available():
        hybrid = _imports(db)
        assert "onnxruntime" in hybrid, "the default model runs on onnxruntime"
        assert "torch" not in hybrid, "the default hybrid search never needs PyTorch"


def test_a_warm_engine_shows_the_passages_of_the_current_version(
    lib: Library, tmp_path: Path
) -> None:
    """Hits' passages are cached per library generation: a new version written by
    another process (text and metadata changed) is what the next search shows."""
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / SEED_NCI.name
    path.write_bytes(SEED_NCI.read_bytes())
    lib.ingest([path])
    before = lib.search("pembrolizumab immunotherapy", k=5, mode="lexical").hits
    assert before and {h.version for h in before} == {1}
    assert not any("Keytruda" in h.text for h in before)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Pembrolizumab](", "Pembrolizumab (Keytruda)]("), "utf-8")
    with open_library(lib.settings.db, embed="0") as other:
        assert [r.outcome for r in other.ingest([path]).results] == ["updated"]
    after = lib.search("pembrolizumab immunotherapy", k=5, mode="lexical").hits
    assert {h.version for h in after} == {2}
    assert any("Keytruda" in h.text for h in after)
