"""Fuzzing every reader: generated files of each format and mutated real files.

Each input goes through `prepare_document` (only OncociteError may escape) and the
pipeline into a store that already holds both seeds (a rejection is one line naming
the file and leaves the store unchanged). Bounded so the module takes seconds;
`benchmarks/fuzz.py` runs the same generators over 10,000+ inputs.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncocite.store.sqlite import SQLiteStore
from tests.fuzz.checks import check_case
from tests.fuzz.inputs import GENERATORS, Chooser, mutated_file, seed_files

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SOURCES = seed_files(medquad_per_folder=1)


def _chooser(data: st.DataObject) -> Chooser:
    return Chooser(lambda low, high: data.draw(st.integers(low, high)))


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@FUZZ
@given(data=st.data())
def test_generated_files(kind: str, data: st.DataObject, seeded_store: SQLiteStore) -> None:
    case = GENERATORS[kind](_chooser(data))
    outcome = check_case(case, seeded_store)
    assert outcome.crash is None, f"{case.kind} {case.data[:300]!r}: {outcome.crash}"


@FUZZ
@given(data=st.data())
def test_mutated_real_files(data: st.DataObject, seeded_store: SQLiteStore) -> None:
    case = mutated_file(_chooser(data), SOURCES)
    outcome = check_case(case, seeded_store)
    assert outcome.crash is None, f"{case.kind} {case.name}: {outcome.crash}"
