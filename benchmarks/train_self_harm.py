"""Train the self-harm detector (src/oncocite/answers/self_harm_detector.json) and
report it beside the triage rules.

    python benchmarks/train_self_harm.py [--report-only]

Deterministic. Every sentence of every tuning phrasing of tests/data/triage and of the
tuning split of the seed messages (tests/data/messages) is embedded with the search
model's query encoder (the int8 MiniLM a search uses); sentences of self-harm
messages (self_harm.txt, self_harm_indirect.txt, the seed messages triaged self_harm)
are positive, sentences of ordinary, urgent and dosing messages, of the self-harm
look-alikes and of every other seed message are negative. An
L2 logistic regression (sklearn, lbfgs, classes weighted alike) is fitted on them, and
the threshold is the lowest in steps of 0.05 at which at most MAX_TUNING_FALSE_ALARMS
of the triage phrasings, and of the seed messages, that are not self-harm would be
flagged (a message is flagged when any
sentence reaches it). The held-out sets (self_harm_heldout.txt,
ordinary_lookalike_heldout.txt, ordinary_generated_heldout.txt) are then measured, as
counts only, with the rules alone and with the rules or the detector.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from common import log
from oncocite.answers.self_harm_detector import SelfHarmDetector, sentences_of
from oncocite.answers.triage import triage
from oncocite.search.dense import EMBEDDERS, Embedder, encode_queries, load_embedder
from oncocite.search.engine import EngineConfig
from oncocite.search.query_model import cache_folder

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "triage"
OUT = ROOT / "src" / "oncocite" / "answers" / "self_harm_detector.json"
MODEL = "minilm-int8"
POSITIVE = ["self_harm.txt", "self_harm_indirect.txt", "self_harm_feelings.txt"]
NEGATIVE = [
    "ordinary.txt",
    "ordinary_generated.txt",
    "ordinary_lookalike.txt",
    "ordinary_feelings.txt",
    "urgent_general.txt",
    "urgent_lay.txt",
    "urgent_drugs.txt",
    "urgent_typos.txt",
    "urgent_generated.txt",
    "dosing.txt",
]
HELD_OUT = {
    "self-harm, held out": ("self_harm_heldout.txt", True),
    "look-alikes, held out": ("ordinary_lookalike_heldout.txt", False),
    "ordinary phrasing, held out": ("ordinary_generated_heldout.txt", False),
    # written on 2026-12-05 to teach the detector ordinary dread and endings; trained on,
    # it cost recall in cross-validation (87 against 93 of 220), so it is only measured
    "everyday dread, sleep and endings (not trained on)": ("ordinary_everyday.txt", False),
}
MAX_TUNING_FALSE_ALARMS = (
    0.02  # the issue allows 3 % false alarms; the crisis message is kept rarer
)
C = 1.0


MESSAGES = ROOT / "tests" / "data" / "messages" / "seed_messages.yaml"


def seed_messages(split: str, self_harm: bool) -> list[str]:
    """The real-style seed messages of a split: the self-harm ones, or all the others
    (anxious, angry, grieving people asking about treatment: what must not be flagged)."""
    import yaml

    items = yaml.safe_load(MESSAGES.read_text("utf-8"))
    return [
        str(it["message"])
        for it in items
        if it["split"] == split and (it.get("triage") == "self_harm") == self_harm
    ]


def phrasings(name: str) -> list[str]:
    lines = (line.strip() for line in (DATA / name).read_text("utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def embed(messages: list[str], embedder: Embedder) -> list[np.ndarray]:
    """Each message's sentence vectors, by the call the engine makes for a query
    (`AnswerEngine` reads them through `SearchEngine.query_vectors_many`)."""
    limit = EngineConfig().query_max_tokens
    out: list[np.ndarray] = []
    for index, message in enumerate(messages):
        pooled = encode_queries(embedder, [(s, None) for s in sentences_of(message)], limit)
        out.append(np.vstack([vector for vector, _ in pooled]))
        if index % 500 == 499:
            log(f"  {index + 1}/{len(messages)}")
    return out


def flagged(detector: SelfHarmDetector, vectors: list[np.ndarray]) -> np.ndarray:
    """Which messages the detector flags (its own rule: any sentence at the threshold)."""
    return np.array([detector.flags(v) for v in vectors])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--report-only", action="store_true", help="measure the shipped file")
    args = parser.parse_args()
    embedder = load_embedder(MODEL, cache_folder())
    positive = [m for name in POSITIVE for m in phrasings(name)] + seed_messages("tune", True)
    phrased = [m for name in NEGATIVE for m in phrasings(name)]
    real = seed_messages("tune", False)
    negative = phrased + real
    log(f"embedding {len(positive)} self-harm and {len(negative)} other tuning messages ...")
    pos_vectors, neg_vectors = embed(positive, embedder), embed(negative, embedder)
    if args.report_only:
        detector = SelfHarmDetector.from_json(OUT.read_text("utf-8"))
    else:
        x = np.vstack([*pos_vectors, *neg_vectors])
        y = np.array(
            [1] * sum(len(v) for v in pos_vectors) + [0] * sum(len(v) for v in neg_vectors)
        )
        fit = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(x, y)
        weights, bias = tuple(float(w) for w in fit.coef_[0]), float(fit.intercept_[0])
        threshold = 0.95
        for step in np.arange(0.95, 0.49, -0.05):
            trial = SelfHarmDetector(
                model_id=EMBEDDERS[MODEL].model_id,
                weights=weights,
                bias=bias,
                threshold=round(float(step), 2),
            )
            rates = flagged(trial, neg_vectors)
            # each kind of other message alike: the short phrasings of the triage sets
            # and the long, anxious seed messages, which would drown in them
            if max(rates[: len(phrased)].mean(), rates[len(phrased) :].mean()) <= (
                MAX_TUNING_FALSE_ALARMS
            ):
                threshold = round(float(step), 2)
        detector = SelfHarmDetector(
            model_id=EMBEDDERS[MODEL].model_id,
            weights=weights,
            bias=bias,
            threshold=threshold,
            trained={
                "date": dt.date.today().isoformat(),
                "script": "benchmarks/train_self_harm.py",
                "positive": [*POSITIVE, "seed messages (tune split) triaged self_harm"],
                "negative": [*NEGATIVE, "seed messages (tune split), all others"],
                "sentences": len(y),
                "C": C,
                "max_tuning_false_alarms": MAX_TUNING_FALSE_ALARMS,
            },
        )
        OUT.write_text(detector.to_json() + "\n", "utf-8")
        log(f"wrote {OUT.relative_to(ROOT)} (threshold {threshold})")
    rules = lambda ms: np.array([bool((d := triage(m)) and d.category == "self_harm") for m in ms])  # noqa: E731
    print(f"threshold {detector.threshold}\n")
    print("| set | messages | rules | rules or detector |")
    print("|---|---|---|---|")
    pos_rules, neg_rules = rules(positive), rules(negative)
    print(
        f"| self-harm, tuning | {len(positive)} | {int(pos_rules.sum())} | "
        f"{int((pos_rules | flagged(detector, pos_vectors)).sum())} |"
    )
    both = neg_rules | flagged(detector, neg_vectors)
    print(
        f"| other tuning phrasings flagged | {len(phrased)} | "
        f"{int(neg_rules[: len(phrased)].sum())} | {int(both[: len(phrased)].sum())} |"
    )
    print(
        f"| other seed messages (tuning split) flagged | {len(real)} | "
        f"{int(neg_rules[len(phrased) :].sum())} | {int(both[len(phrased) :].sum())} |"
    )
    held_out = {label: phrasings(name) for label, (name, _) in HELD_OUT.items()}
    held_out["seed messages, held out, self-harm"] = seed_messages("heldout", True)
    held_out["seed messages, held out, all others"] = seed_messages("heldout", False)
    for label, messages in held_out.items():
        by_rules = rules(messages)
        both = by_rules | flagged(detector, embed(messages, embedder))
        print(f"| {label} | {len(messages)} | {int(by_rules.sum())} | {int(both.sum())} |")
    print("\nreproduce: python benchmarks/train_self_harm.py")


if __name__ == "__main__":
    main()
