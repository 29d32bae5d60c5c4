"""The sides of hybrid search and their fusion weights, from one data file.

Ranking used to be described in seven places (side tuples, weights copied by hand
from the tuning benchmark into the engine, docstrings of earlier rankings). Now
`sides.yaml` names each side, its scale and why it is there, the weights for a
short question and for a message, and what they were tuned on; the engine reads it,
and the tuning benchmark writes it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oncocite.models.rule_files import parse_rule_file
from oncocite.search.fusion import Scale

__all__ = ["RANKING_FILE", "Ranking", "Side", "shipped_ranking"]

RANKING_FILE = Path(__file__).with_name("sides.yaml")


class Side(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Literal["lexical", "matched", "dense", "about", "subject", "question"]
    scale: Scale
    why: str


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: tuple[float, ...]
    message: tuple[float, ...]


class Tuned(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: str
    sets: str
    date: str


class Ranking(BaseModel):
    """sides.yaml, validated: one weight per side for each kind of question."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    sides: list[Side] = Field(min_length=1)
    weights: Weights
    tuned: Tuned

    @model_validator(mode="after")
    def _one_weight_per_side(self) -> Ranking:
        names = [s.name for s in self.sides]
        if len(set(names)) != len(names):
            raise ValueError("a side is listed twice")
        for kind in ("question", "message"):
            values = getattr(self.weights, kind)
            if len(values) != len(names):
                raise ValueError(f"weights.{kind} has {len(values)} values for {len(names)} sides")
            if any(v < 0 for v in values):
                raise ValueError(f"weights.{kind} has a negative weight")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sides)

    @property
    def scales(self) -> tuple[Scale, ...]:
        return tuple(s.scale for s in self.sides)

    @classmethod
    def from_yaml(cls, text: str, where: str = "sides.yaml") -> Ranking:
        """The file validated; anything wrong is one line naming the file and place."""
        return parse_rule_file(text, where, cls)


@lru_cache(maxsize=1)
def shipped_ranking() -> Ranking:
    """The ranking shipped with oncocite (search/sides.yaml)."""
    text = resources.files("oncocite.search").joinpath("sides.yaml").read_text("utf-8")
    return Ranking.from_yaml(text)
