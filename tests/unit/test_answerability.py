"""The answerability model file and its rules; editorial brackets in quotes."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources

import pytest

from oncocite.answers.answerability import FEATURES, AnswerabilityModel, Evidence, shipped_model
from oncocite.errors import InvalidQuery
from oncocite.models import AnswerSentence, Insertion

SHIPPED = resources.files("oncocite.answers").joinpath("answerability.json").read_text("utf-8")


def evidence(**changes: float) -> Evidence:
    base = dict.fromkeys(FEATURES, 0.0)
    base.update(has_dense=1.0, dense=0.6, topic_quoted=1.0, topic_body=1.0, subject=1.0)
    return Evidence(**{**base, **changes})


def test_the_shipped_model_loads_and_says_what_it_was_trained_on() -> None:
    model = shipped_model()
    assert model.features == FEATURES
    assert 0 < model.hybrid.threshold < 1 and 0 < model.lexical.threshold < 1
    assert "tuning halves" in model.trained["sets"]
    assert model.trained["script"] == "benchmarks/train_answerability.py"


def test_probabilities_are_probabilities_and_move_with_the_evidence() -> None:
    model = shipped_model()
    weak = model.probability(evidence(dense=0.2, topic_quoted=0.1, topic_body=0.1))
    strong = model.probability(evidence(dense=0.8, titled=1.0, kind_fit=1.0, fused=1.0))
    assert 0.0 <= weak < strong <= 1.0


def test_gates_come_before_the_probability() -> None:
    model = shipped_model()
    sure = evidence(term_quoted=1.0, kind_fit=1.0)
    assert model.answers(sure)  # the question's term quoted, saying what is asked
    assert not model.answers(replace(sure, drug_unread=1.0))  # a drug nobody names
    assert not model.answers(replace(sure, unfit=1.0))  # side effects asked, none said
    assert not model.answers(replace(sure, unnamed=1.0))  # what is asked, named nowhere


def test_a_message_whose_quotes_say_all_it_asks_is_answered() -> None:
    model = shipped_model()
    # far from every passage (its story's words), so the regression would not answer
    said = evidence(message=1.0, kind_fit=1.0, dense=0.3, fused=0.3, coverage=1.0)
    assert model.probability(said) < model.hybrid.threshold
    assert model.answers(said)
    assert not model.answers(replace(said, message=0.0))  # a plain question: the model
    assert not model.answers(replace(said, kind_fit=0.0))  # not the kind of thing asked
    assert not model.answers(replace(said, topic_quoted=0.75))  # a word asked not quoted
    assert not model.answers(replace(said, unnamed=0.2))  # a word asked named nowhere


def test_lexical_search_is_judged_by_its_own_regression() -> None:
    model = shipped_model()
    lexical = evidence(has_dense=0.0, dense=0.0)
    assert model.regression(lexical) is model.lexical
    assert model.regression(evidence()) is model.hybrid


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(features=d["features"][:-1]), "trained on features"),
        (lambda d: d["hybrid"].update(weights=[1.0]), "values for"),
        (lambda d: d.pop("lexical"), "not a model file"),
    ],
)
def test_a_bad_model_file_is_one_line(change: object, expected: str) -> None:
    data = json.loads(SHIPPED)
    change(data)  # type: ignore[operator]
    with pytest.raises(InvalidQuery, match=expected) as caught:
        AnswerabilityModel.from_json(json.dumps(data))
    assert "\n" not in str(caught.value)


def test_an_editorial_bracket_comes_out_of_the_quote_exactly() -> None:
    quote = "To have this drug your cancer needs to be HER2 positive."
    at = len("To have this drug")
    shown = AnswerSentence(
        text=quote[:at] + " [pertuzumab]" + quote[at:],
        citation=1,
        insertions=[Insertion(at=at, text=" [pertuzumab]")],
    )
    assert shown.text == "To have this drug [pertuzumab] your cancer needs to be HER2 positive."
    assert shown.quoted() == quote
    wrong = shown.model_copy(update={"insertions": [Insertion(at=3, text=" [pertuzumab]")]})
    assert wrong.quoted() != quote  # a misplaced note is caught by the verbatim check
