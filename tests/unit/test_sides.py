"""The one ranking definition: search/sides.yaml, read by the engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import oncocite
from oncocite.errors import InvalidQuery
from oncocite.search.engine import SIDES, EngineConfig
from oncocite.search.sides import RANKING_FILE, Ranking, shipped_ranking

SRC = Path(oncocite.__file__).parent


def test_the_engine_ranks_by_what_the_file_records() -> None:
    ranking = shipped_ranking()
    config = EngineConfig()
    assert ranking.names == SIDES
    assert config.question_weights == ranking.weights.question
    assert config.message_weights == ranking.weights.message
    assert config.side_scales == ranking.scales
    assert ranking.tuned.date and "consumer_dev.py" in ranking.tuned.method


def test_no_weight_is_written_down_anywhere_else() -> None:
    """Changing a weight is one line in one file: no module repeats them."""
    ranking = shipped_ranking()
    for weights in (ranking.weights.question, ranking.weights.message):
        shown = r",\s*".join(re.escape(f"{w:g}") for w in weights)
        for path in SRC.rglob("*.py"):
            assert not re.search(shown, path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  question: [0.114", "  question: [0.1, 0.114"), "weights.question has 7 values"),
        (("scale: cosine", "scale: log"), "sides.3.scale"),
        (("  message: [0.092", "  message: [-0.092"), "negative weight"),
        (("- name: subject", "- name: lexical"), "listed twice"),
    ],
)
def test_a_bad_ranking_file_is_one_line(change: tuple[str, str], expected: str) -> None:
    text = RANKING_FILE.read_text(encoding="utf-8").replace(*change, 1)
    with pytest.raises(InvalidQuery, match=expected) as caught:
        Ranking.from_yaml(text)
    assert str(caught.value).startswith("sides.yaml: ") and "\n" not in str(caught.value)
