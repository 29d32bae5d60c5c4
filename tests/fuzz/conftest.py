"""A store that already holds both seeds, shared by the fuzz tests of one module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oncocite.ingest.pipeline import IngestOptions, ingest_paths
from oncocite.store.sqlite import SQLiteStore
from tests.conftest import CRUK_FLAGS, SEED_CRUK, SEED_NCI


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    assert ingest_paths(store, [SEED_NCI]).failed == 0
    assert ingest_paths(store, [SEED_CRUK], IngestOptions(metadata=CRUK_FLAGS)).failed == 0
    yield store
    store.close()
