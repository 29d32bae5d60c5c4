"""The learned self-harm reader (answers/self_harm_detector.py): its shipped file, and
what it flags with the search model's own query vectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncocite.answers.self_harm_detector import (
    SelfHarmDetector,
    sentences_of,
    shipped_detector,
)
from oncocite.errors import InvalidQuery
from oncocite.search.dense import EMBEDDERS, load_embedder

DATA = Path(__file__).resolve().parents[1] / "data" / "triage"
MAX_ORDINARY_FLAGGED = 0.03  # the bound on false alarms


def phrasings(name: str) -> list[str]:
    lines = (line.strip() for line in (DATA / name).read_text("utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def test_the_shipped_detector_is_for_the_search_model_and_says_how_it_was_made() -> None:
    detector = shipped_detector()
    assert detector.model_id == EMBEDDERS["minilm-int8"].model_id
    assert len(detector.weights) == 384
    assert 0.5 <= detector.threshold < 1.0
    assert detector.trained["script"] == "benchmarks/train_self_harm.py"


def test_a_broken_file_is_one_clear_error() -> None:
    with pytest.raises(InvalidQuery, match=r"self_harm_detector\.json"):
        SelfHarmDetector.from_json('{"weights": []}')
    with pytest.raises(InvalidQuery, match="threshold: Input should be less than 1"):
        SelfHarmDetector.from_json('{"model_id": "m", "weights": [0.1], "bias": 0, "threshold": 2}')


def test_a_message_is_read_sentence_by_sentence() -> None:
    assert sentences_of("hi. is herceptin a chemo? thanks") == [
        "hi.",
        "is herceptin a chemo?",
        "thanks",
    ]
    # a "sentence" of no letter is not read: the number a message ends on, emoji
    assert sentences_of("is herceptin a chemo? 17") == ["is herceptin a chemo?"]
    assert sentences_of("... 17 !!") == []
    assert sentences_of("what is kadcyla") == ["what is kadcyla"]


@pytest.mark.dense
def test_it_flags_what_the_rules_miss_and_spares_ordinary_questions() -> None:
    embedder = load_embedder("minilm-int8")
    detector = shipped_detector()

    def flags(message: str) -> bool:
        return detector.flags(embedder.encode(sentences_of(message), query=True).tolist())

    # said in no words the rules list
    assert flags("I don't want to be a burden any longer, I've decided it's time to go.")
    assert not flags("Is Kisqali a chemo? My sister is worried about losing her hair.")
    ordinary = phrasings("ordinary.txt")
    flagged = [q for q in ordinary if flags(q)]
    assert len(flagged) / len(ordinary) <= MAX_ORDINARY_FLAGGED, flagged
