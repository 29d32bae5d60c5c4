"""Whether the library answers a question: a small calibrated model, not thresholds.

Hand-set thresholds on two signals (closeness, topic in titles) were tuned on
MedQuAD's templated questions and abstained on four real messages in five. The
decision is now a logistic regression over the evidence an answer has (search
scores of both sides, how much of the question the quotes, their passages and
their headings name, whether the quotes fit the kind of question and name its
subject), trained by `benchmarks/train_answerability.py` on the tuning halves of
real and templated questions and on questions whose topic the library lacks. Its
weights, the feature scaling, the threshold and what it was trained on live in
`answerability.json` beside this module; nothing is downloaded or trained at run
time. Its output is a probability that the first citation answers the question,
calibrated on held-out questions (the training script prints the reliability
table), so one threshold means the same for a short question and a long message.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from oncocite.errors import InvalidQuery

__all__ = [
    "FEATURES",
    "AnswerabilityModel",
    "Evidence",
    "Regression",
    "said_outright",
    "shipped_model",
]


@dataclass(frozen=True)
class Evidence:
    """The evidence for answering one question from the quotes chosen for it."""

    dense: float  # cosine of the question and the best passage (0 without a dense side)
    has_dense: float  # 1 when the dense side ran
    context: float  # best cosine of the question and a passage's context line
    fused: float  # the top passage's fused score
    margin: float  # how far the top passage stands above the second (fused)
    lexical: float  # log(1 + the top passage's BM25 score)
    topic_about: float  # share of the topic named by cited titles and headings
    topic_quoted: float  # … or by the quoted sentences
    topic_body: float  # … or anywhere in the quoted passages
    unnamed: float  # share of the topic that no passage read for the question names
    drug_unread: float  # 1 when a drug the question names is named by no passage read
    named: float  # a drug the question names is named by a quote
    term_quoted: float  # a term of the vocabulary the question names (drug, concept…) is quoted
    titled: float  # the question names the whole title of a cited page
    narrowed: float  # a cited title narrows the subject ("Male Breast Cancer")
    kind_fit: float  # a quote says the kind of thing asked (criteria, side effects…)
    unfit: float  # 1 when the question asks for side effects, outlook or how common,
    #               and no quote says that kind of thing
    defines: float  # a quote says what the question's subject is
    subject: float  # the question's drug or term is named in a cited passage (1 if none asked)
    coverage: float  # share of the question's weighted words the quotes hold
    message: float  # the question came in a message (greetings, story, several questions)
    topics: float  # log(1 + the weight of the question's topic words)

    def vector(self) -> list[float]:
        return [float(v) for v in asdict(self).values()]


FEATURES: tuple[str, ...] = tuple(Evidence.__dataclass_fields__)


@dataclass(frozen=True)
class Regression:
    """Logistic regression over standardised `Evidence`, and its operating point."""

    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    max_unnamed: float  # a question more of whose topic no passage read names is not answered

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Regression:
        regression = cls(
            means=tuple(float(v) for v in data["means"]),
            scales=tuple(float(v) for v in data["scales"]),
            weights=tuple(float(v) for v in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            max_unnamed=float(data["max_unnamed"]),
        )
        sizes = {len(regression.means), len(regression.scales), len(regression.weights)}
        if sizes != {len(FEATURES)}:
            raise ValueError(f"{sorted(sizes)} values for {len(FEATURES)} features")
        return regression

    def probability(self, evidence: Evidence) -> float:
        z = self.bias
        for value, mean, scale, weight in zip(
            evidence.vector(), self.means, self.scales, self.weights, strict=True
        ):
            z += weight * (value - mean) / (scale or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@dataclass(frozen=True)
class AnswerabilityModel:
    """One regression for each way search ran: with its dense side (`hybrid`), and
    lexical alone (no model installed, or nothing embedded yet), whose scores mean
    different things and are judged apart."""

    features: tuple[str, ...]
    hybrid: Regression
    lexical: Regression
    trained: Mapping[str, Any]

    @classmethod
    def from_json(cls, text: str, where: str = "answerability.json") -> AnswerabilityModel:
        try:
            data = json.loads(text)
            model = cls(
                features=tuple(data["features"]),
                hybrid=Regression.from_dict(data["hybrid"]),
                lexical=Regression.from_dict(data["lexical"]),
                trained=dict(data.get("trained", {})),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidQuery(f"{where}: not a model file ({exc})") from None
        if model.features != FEATURES:
            raise InvalidQuery(
                f"{where}: trained on features {list(model.features)}, but the code computes "
                f"{list(FEATURES)}: run benchmarks/train_answerability.py"
            )
        return model

    def regression(self, evidence: Evidence) -> Regression:
        return self.hybrid if evidence.has_dense else self.lexical

    def probability(self, evidence: Evidence) -> float:
        """The calibrated probability that the first citation answers the question."""
        return self.regression(evidence).probability(evidence)

    def answers(self, evidence: Evidence) -> bool:
        """Whether to answer: every drug asked about is named by a passage read
        ("Is olaparib used…" over pages that never name olaparib is not answered), a
        question about side effects, outlook or how common something is has a quote
        that says so,
        no passage read names too little of what is asked ("will Herceptin make my
        hair fall out?" over pages that never mention hair), and either a quote names
        the drug asked about and says what the question asks (what it is, who it is
        for…), or a message's quotes name all it asks and say the kind of thing asked,
        or the probability reaches the threshold."""
        regression = self.regression(evidence)
        if evidence.drug_unread or evidence.unfit or evidence.unnamed > regression.max_unnamed:
            return False
        return said_outright(evidence) or regression.probability(evidence) >= regression.threshold


def said_outright(evidence: Evidence) -> bool:
    """Whether the quotes say what is asked so plainly that no probability is needed
    (the gates of `AnswerabilityModel.answers` still apply); one definition, which
    the training script applies too when it chooses the threshold."""
    if evidence.term_quoted and not evidence.unnamed and (evidence.defines or evidence.kind_fit):
        # "What is Kadcyla?" and a quote that says what Kadcyla is, "How does
        # immunotherapy work?" and a quote on what it does: the question's own term
        # quoted, nothing it asks unnamed, the kind of thing it asks said; answered
        # on that alone, as a short question is close to no long passage
        return True
    # "My mum is on Kisqali… Is anyone actually researching new combinations?" and
    # the page's paragraph on what researchers are looking into: a message's question
    # whose every topic word its quotes name, and whose quotes say the kind of thing
    # asked; its story's words make it close to no passage, so closeness and search
    # scores cannot judge it (for a plain question the same rule answered 29 % of
    # CancerGov questions whose topic the library lacks: only a message is judged so)
    return bool(
        evidence.message
        and evidence.kind_fit
        and evidence.topic_quoted == 1
        and not evidence.unnamed
    )


@lru_cache(maxsize=1)
def shipped_model() -> AnswerabilityModel:
    """The model shipped with oncocite (answers/answerability.json)."""
    text = resources.files("oncocite.answers").joinpath("answerability.json").read_text("utf-8")
    return AnswerabilityModel.from_json(text)
