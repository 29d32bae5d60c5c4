"""A learned second reader for self-harm, beside the triage rules.

The rules of triage.yaml read phrasing, but self-harm is often said in words no list
foresees ("the sea is looking like a better treatment plan", "I've made my peace and
chosen the date"): on a set written blind to the rules they recognised 21 of 40. This
detector is a logistic regression over the sentence vectors of the search model
(the same int8 query model a search uses, so no other model is loaded), trained by
`benchmarks/train_self_harm.py` on the tuning phrasings of tests/data/triage (self-harm
said directly and indirectly against ordinary, urgent and dosing questions and
look-alikes) with its threshold chosen on them alone. A small network over the same
vectors (`SecondReader`) must agree before a sentence counts. A message is flagged when
any of its sentences is; the rules still decide first and alone wherever no model is
installed. Nothing is downloaded or trained at run time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from oncocite.errors import InvalidQuery
from oncocite.models.rule_files import first_problem
from oncocite.sentences import sentence_spans

__all__ = ["RULE", "SecondReader", "SelfHarmDetector", "sentences_of", "shipped_detector"]

RULE = "self_harm_detector"  # the `safety.rule` of a message this detector flags
MAX_SENTENCES = 12  # a longer message is read on its first sentences (the rules read all)


class SecondReader(BaseModel):
    """A small network (one hidden layer) that must agree before a sentence is flagged.

    The linear reader alone gave the crisis message to about one ordinary real message
    in thirty ("I told her I'd find out rather than guess.", "Scared of doing it all
    again."): a line through sentence space cannot keep apart the first-person
    dread of an anxious patient and the first-person endings of someone in crisis.
    A non-linear second opinion can; in cross-validation over the tuning sets it
    kept every self-harm message the linear reader found beyond the rules and cut
    its false alarms by more than half (docs/benchmarks.md, *Self-harm detector*)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hidden_weights: tuple[tuple[float, ...], ...] = Field(min_length=1)  # hidden x dims
    hidden_bias: tuple[float, ...] = Field(min_length=1)
    output_weights: tuple[float, ...] = Field(min_length=1)
    output_bias: float
    threshold: float = Field(gt=0.0, lt=1.0)

    @model_validator(mode="after")
    def _shapes_agree(self) -> SecondReader:
        width = len(self.hidden_weights[0])
        if any(len(row) != width for row in self.hidden_weights):
            raise ValueError("hidden_weights: every row must be as long as the first")
        if not len(self.hidden_bias) == len(self.output_weights) == len(self.hidden_weights):
            raise ValueError("hidden_bias and output_weights: one per hidden unit")
        return self

    def probabilities(self, vectors: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """The network's probability that each sentence discloses self-harm."""
        hidden = np.asarray(vectors, dtype=np.float64) @ np.asarray(self.hidden_weights).T
        hidden = np.maximum(hidden + np.asarray(self.hidden_bias), 0.0)  # ReLU
        z = hidden @ np.asarray(self.output_weights) + self.output_bias
        found: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
        return found


class SelfHarmDetector(BaseModel):
    """Weights over one model's normalised sentence vectors, and the operating point;
    validated when read (pydantic), so a broken file is one clear error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model_id: str
    weights: tuple[float, ...] = Field(min_length=1)
    bias: float
    threshold: float = Field(gt=0.0, lt=1.0)
    second: SecondReader | None = None
    trained: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _second_reads_the_same_vectors(self) -> SelfHarmDetector:
        if self.second is not None and len(self.second.hidden_weights[0]) != len(self.weights):
            raise ValueError("second.hidden_weights: rows must be as long as weights")
        return self

    @classmethod
    def from_json(cls, text: str, where: str = "self_harm_detector.json") -> SelfHarmDetector:
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise InvalidQuery(f"{where}: {first_problem(exc)}") from None

    def to_json(self) -> str:
        return self.model_dump_json(indent=1)

    def probabilities(self, vectors: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """The probability that each sentence (a row of `vectors`) discloses self-harm."""
        z = np.asarray(vectors, dtype=np.float64) @ np.asarray(self.weights) + self.bias
        found: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
        return found

    def flagged_sentences(self, vectors: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Which sentences reach the threshold (and the second reader's, where there
        is one)."""
        found: npt.NDArray[np.bool_] = self.probabilities(vectors) >= self.threshold
        if self.second is not None and found.any():
            found &= self.second.probabilities(vectors) >= self.second.threshold
        return found

    def flags(self, vectors: npt.ArrayLike) -> bool:
        """Whether any sentence of a message is flagged."""
        return bool(self.flagged_sentences(vectors).any())


def sentences_of(text: str) -> list[str]:
    """The sentences a message is read in (casual punctuation, at most MAX_SENTENCES).
    A "sentence" of no letter (a number, a row of dots or emoji) says nothing a reader
    of words can weigh, so it is not embedded: none, for a message of no letter."""
    found = [text[start:end].strip() for start, end in sentence_spans(text, casual=True)]
    worded = [s for s in found if _LETTER.search(s)][:MAX_SENTENCES]
    if worded or not _LETTER.search(text):
        return worded
    return [text.strip()]


_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def shipped_detector() -> SelfHarmDetector:
    """The detector shipped with oncocite (answers/self_harm_detector.json)."""
    text = (
        resources.files("oncocite.answers").joinpath("self_harm_detector.json").read_text("utf-8")
    )
    return SelfHarmDetector.from_json(text)
