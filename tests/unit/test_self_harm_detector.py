"""The learned self-harm reader (answers/self_harm_detector.py): its shipped file, and
what it flags with the search model's own query vectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncocite.answers.self_harm_detector import (
    SecondReader,
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


def test_the_shipped_detector_has_a_second_reader_that_must_agree() -> None:
    detector = shipped_detector()
    assert detector.second is not None
    assert len(detector.second.hidden_weights[0]) == len(detector.weights)
    assert detector.trained["second_reader"]["hidden"] == len(detector.second.hidden_bias)


def test_a_sentence_is_flagged_only_when_both_readers_agree() -> None:
    # two-dimensional vectors: the linear reader flags anything along the first axis;
    # the second reader's one unit fires only along the second
    second = SecondReader(
        hidden_weights=((0.0, 10.0),),
        hidden_bias=(0.0,),
        output_weights=(10.0,),
        output_bias=-5.0,
        threshold=0.9,
    )
    linear = SelfHarmDetector(model_id="m", weights=(10.0, 0.0), bias=-3.0, threshold=0.9)
    both = linear.model_copy(update={"second": second})
    first_axis, diagonal = [[1.0, 0.0]], [[0.7, 0.7]]
    assert linear.flags(first_axis) and linear.flags(diagonal)
    assert not both.flags(first_axis)
    assert both.flags(diagonal)
    assert list(both.flagged_sentences([[1.0, 0.0], [0.7, 0.7]])) == [False, True]


def test_a_second_reader_of_the_wrong_shape_is_one_clear_error() -> None:
    text = (
        '{"model_id": "m", "weights": [0.1, 0.2], "bias": 0, "threshold": 0.5, "second": '
        '{"hidden_weights": [[1.0]], "hidden_bias": [0], "output_weights": [1], '
        '"output_bias": 0, "threshold": 0.5}}'
    )
    with pytest.raises(InvalidQuery, match="rows must be as long as weights"):
        SelfHarmDetector.from_json(text)
    ragged = text.replace("[[1.0]]", "[[1.0, 2.0], [1.0]]").replace(
        '"hidden_bias": [0]', '"hidden_bias": [0, 0]'
    )
    with pytest.raises(InvalidQuery, match="every row must be as long"):
        SelfHarmDetector.from_json(ragged)


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
