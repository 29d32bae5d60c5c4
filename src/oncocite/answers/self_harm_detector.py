"""A learned second reader for self-harm, beside the triage rules.

The rules of triage.yaml read phrasing, but self-harm is often said in words no list
foresees ("the sea is looking like a better treatment plan", "I've made my peace and
chosen the date"): on a set written blind to the rules they recognised 21 of 40. This
detector is a logistic regression over the sentence vectors of the search model
(the same int8 query model a search uses, so no other model is loaded), trained by
`benchmarks/train_self_harm.py` on the tuning phrasings of tests/data/triage (self-harm
said directly and indirectly against ordinary, urgent and dosing questions and
look-alikes) with its threshold chosen on them alone. A message is flagged when any of
its sentences reaches the threshold; the rules still decide first and alone wherever
no model is installed. Nothing is downloaded or trained at run time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from oncocite.errors import InvalidQuery
from oncocite.models.rule_files import first_problem
from oncocite.sentences import sentence_spans

__all__ = ["RULE", "SelfHarmDetector", "sentences_of", "shipped_detector"]

RULE = "self_harm_detector"  # the `safety.rule` of a message this detector flags
MAX_SENTENCES = 12  # a longer message is read on its first sentences (the rules read all)


class SelfHarmDetector(BaseModel):
    """Weights over one model's normalised sentence vectors, and the operating point;
    validated when read (pydantic), so a broken file is one clear error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model_id: str
    weights: tuple[float, ...] = Field(min_length=1)
    bias: float
    threshold: float = Field(gt=0.0, lt=1.0)
    trained: dict[str, Any] = Field(default_factory=dict)

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

    def flags(self, vectors: npt.ArrayLike) -> bool:
        """Whether any sentence of a message reaches the threshold."""
        return bool((self.probabilities(vectors) >= self.threshold).any())


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
