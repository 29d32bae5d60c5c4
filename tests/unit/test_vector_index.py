"""Vector indexes: exact top-k, filters, and the per-document maximum of context vectors."""

from __future__ import annotations

import numpy as np

from oncocite.search.dense import DocumentMaxIndex, ExactIndex

KEYS = np.array([1, 2, 3, 4, 5], dtype=np.int64)
DOCUMENTS = np.array([10, 10, 20, 20, 30], dtype=np.int64)
MATRIX = np.eye(5, dtype=np.float32)
QUERY = np.array([0.0, 1.0, 0.0, 0.2, 0.5], dtype=np.float32)


def test_exact_index_ranks_rows_and_honours_allowed_keys() -> None:
    index = ExactIndex(KEYS, MATRIX)
    assert index.search(QUERY, 3, None) == [(2, 1.0), (5, 0.5), (4, pytest_approx(0.2))]
    assert [key for key, _ in index.search(QUERY, 5, np.array([1, 3, 5]))] == [5, 1, 3]


def test_document_max_gives_each_passage_its_documents_best_score() -> None:
    index = DocumentMaxIndex(KEYS, MATRIX, DOCUMENTS)
    ranked = dict(index.search(QUERY, 5, None))
    assert ranked[1] == ranked[2] == 1.0, "passage 1 shares its document's best"
    assert ranked[3] == ranked[4] == pytest_approx(0.2)
    assert ranked[5] == 0.5
    # a passage that is not allowed neither scores nor lends its score
    allowed = dict(index.search(QUERY, 5, np.array([1, 3, 4, 5])))
    assert 2 not in allowed and allowed[1] == 0.0


def test_own_context_scores_a_question_answer_pair_alone() -> None:
    # passages 1 and 2 answer questions of their own (a MedQuAD page); 3 and 4 are
    # sections of one page, which must keep sharing their page's best
    standalone = np.array([True, True, False, False, False])
    index = DocumentMaxIndex(KEYS, MATRIX, DOCUMENTS, standalone)
    (best, own), (subject_best, _) = index.context_scores([QUERY, MATRIX[0]], None)
    assert best.tolist() == pytest_approx([1.0, 1.0, 0.2, 0.2, 0.5])
    assert own.tolist() == pytest_approx([0.0, 1.0, 0.2, 0.2, 0.5])
    assert subject_best.tolist() == pytest_approx([1.0, 1.0, 0.0, 0.0, 0.0])
    assert dict(index.search(QUERY, 5, None)) == dict(
        zip(KEYS.tolist(), best.tolist(), strict=True)
    )
    ((_, own),) = index.context_scores([QUERY], np.array([1, 3, 4, 5]))
    assert own[1] == -np.inf and own[0] == 0.0, "a passage not allowed is never scored"


def pytest_approx(value: object) -> object:
    import pytest

    return pytest.approx(value, abs=1e-6)  # type: ignore[call-overload]
