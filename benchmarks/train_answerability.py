"""Train the answerability model (src/oncocite/answers/answerability.json) and report
how it does on held-out questions.

    python benchmarks/train_answerability.py --mediqa DIR [--observe] [--report-only]

Deterministic: the same libraries and question sets give the same file. Steps:

1. Observe. Every question is asked as `ask` asks it (read as a message, one need
   at a time, searched, quotes chosen) and the evidence of each need is recorded
   with a label: 1 when the answer's first citation answers it, else 0.
   - CancerGov (MedQuAD's 729 templated questions, answers library): 1 when the
     first citation is the question's own passage or a passage on its focus; the
     same question with every document on its focus left out: always 0.
   - MEDIQA 2019 consumer and Alexa questions (consumer library; DIR is a checkout
     of github:abachaa/MEDIQA2019, nothing of it is copied here): 1 when the first
     cited document is judged relevant (reference score >= 3, by answer), and the
     same question with every judged document left out: always 0 (an unjudged page
     may answer it, so this errs towards abstaining).
   - The seed messages (tests/data/messages, seed library): 1 when a need quotes a
     key fact from the expected seed, 0 when it cites another seed or the message
     must abstain; a need that quotes the right seed without the key fact is left
     out (it may answer another question of the message).
   - Off-topic questions (benchmarks/data/off_topic_questions.txt): always 0.
   Observations are kept in benchmarks/.cache/answerability.json (--observe redoes them).
2. Fit, on the tuning halves only: an L2 logistic regression on standardised
   features, each source weighted so that none swamps the others, its C chosen by
   5-fold cross-validated log loss.
3. Choose the threshold on the tuning halves: the lowest probability at which the
   answered MEDIQA consumer questions (tuning half) are still right at least
   PRECISION_TARGET of the time, while CancerGov topic-absent questions are
   answered at most TOPIC_ABSENT_TARGET of the time.
4. Report, on the held-out halves (never used above): the reliability table
   (predicted probability against what was observed, by bin), and per set the
   share answered and the share of answered whose first citation is right, with
   the answered-vs-precision curve and where the chosen threshold sits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from answer_sets import CACHE, cancergov, library, log, off_topic
from common import CRUK, SEEDS, key_facts
from oncocite import Library, open_library
from oncocite.answers.answerability import FEATURES, Evidence, said_outright
from oncocite.answers.compose import AnswerEngine
from oncocite.evaluation.mediqa import load_mediqa, same_answers
from oncocite.evaluation.medquad_dev import split
from oncocite.search.message import read_message
from oncocite.store import SearchFilters

HERE = Path(__file__).resolve().parent

ROOT = HERE.parent
MODEL = ROOT / "src" / "oncocite" / "answers" / "answerability.json"
OBSERVED = CACHE / "answerability.json"
MESSAGES = ROOT / "tests" / "data" / "messages" / "seed_messages.yaml"
TOPIC_ABSENT_TARGET = 0.05  # the bound on topic-absent questions answered
MUST_ABSTAIN_ANSWERED = 0.0  # the issue: the seed messages that must abstain, 100 % right
WRONG_COST = 1.5  # a wrong first citation costs one and a half right ones
CANCERGOV_ANSWERED = 0.98  # of the CancerGov questions, whose own page is in the library
# How much each source's examples count in the fit (their sizes differ tenfold).
SOURCE_WEIGHT = {
    "cancergov": 1.0,
    "cancergov_absent": 1.0,
    "off_topic": 2.0,
    "consumer": 4.0,
    "consumer_absent": 2.0,
    "alexa": 4.0,
    "alexa_absent": 2.0,
    "seeds": 4.0,
    "seeds_abstain": 4.0,
}
GOOD = 2  # MEDIQA relevance (reference score - 1) that counts as answering


@dataclass
class Example:
    source: str
    half: str  # tune | test
    qid: str
    need: int
    features: list[float]
    label: int
    answered_first: str | None  # the document of the first citation, if any


# ----------------------------------------------------------------- observing
MODES = ("hybrid", "lexical")  # a lexical-only install answers too: both are observed


@dataclass(frozen=True)
class Seen:
    """One need of a question as `ask` would answer it."""

    index: int
    features: list[float]
    cited: list[str]  # documents of the chosen quotes, in answer order
    quoted: str


def observe_question(
    engine: AnswerEngine, text: str, filters: SearchFilters, mode: str
) -> list[Seen]:
    """What `ask` would weigh for each need of a question (none when triage ends it)."""
    decision = engine.triage(text)
    if decision is not None and decision.abstains:  # urgent, self-harm, off-topic: no answer
        return []
    reading = read_message(text, engine.search.vocabulary)
    out = []
    active = SearchFilters(**{**filters.__dict__, "statuses": frozenset({"active"})})
    for index, need in enumerate(reading.needs):
        results = engine.search.search(need.query, k=10, filters=active, mode=mode)  # type: ignore[arg-type]
        if not results.hits:
            continue
        weighed = engine.weigh(results, reading.ignored, need)
        doc_of = {h.passage_id: h.doc_id for h in results.hits}
        cited = [doc_of[c.candidate.key] for c in weighed.choices]
        quoted = " ".join(c.text for c in weighed.choices)
        out.append(Seen(index, weighed.evidence.vector(), cited, quoted))
    return out


def observed(
    engine: AnswerEngine, text: str, filters: SearchFilters, qid: str
) -> list[tuple[str, Seen]]:
    """Each need of a question in every search mode, with the question id it is kept
    under (a lexical observation is another question: its id ends in @lexical)."""
    return [
        (qid if mode == "hybrid" else f"{qid}@{mode}", seen)
        for mode in MODES
        for seen in observe_question(engine, text, filters, mode)
    ]


def observe_cancergov(lib: Library) -> list[Example]:
    engine = lib.answers()
    examples: list[Example] = []
    every = {d.doc_id for d in lib.documents().documents}
    questions = cancergov(lib)
    log(f"observing {len(questions)} CancerGov questions, twice, in each search mode ...")
    passages = {
        v.passage.passage_id: v.passage.doc_id
        for v in lib.store.passages_by_keys(lib.store.allowed_keys(SearchFilters()).tolist())
    }
    for n, item in enumerate(questions, start=1):
        q = item.query
        own_doc = passages.get(q.passage_id)
        right_docs = set(item.about) | ({own_doc} if own_doc else set())
        for qid, seen in observed(engine, q.text, SearchFilters(), q.qid):
            first = seen.cited[0] if seen.cited else None
            label = int(first in right_docs)
            examples.append(
                Example("cancergov", q.half, qid, seen.index, seen.features, label, first)
            )
        left = SearchFilters(doc_ids=frozenset(every - set(item.about)))
        for qid, seen in observed(engine, q.text, left, q.qid):
            first = seen.cited[0] if seen.cited else None
            examples.append(
                Example("cancergov_absent", q.half, qid, seen.index, seen.features, 0, first)
            )
        if n % 100 == 0:
            log(f"  {n}/{len(questions)}")
    for n, text in enumerate(off_topic()):
        half = split(f"off-{n}")
        for qid, seen in observed(engine, text, SearchFilters(), f"off-{n}"):
            first = seen.cited[0] if seen.cited else None
            examples.append(Example("off_topic", half, qid, seen.index, seen.features, 0, first))
    return examples


def observe_mediqa(mediqa: Path) -> list[Example]:
    from consumer_dev import build_library

    sets = load_mediqa(mediqa)
    canonical = same_answers(sets.answers)
    lib = build_library(mediqa, ["minilm-int8"])
    engine = lib.answers()
    every = {d.doc_id for d in lib.documents().documents}
    examples: list[Example] = []
    log(f"observing {len(sets.questions)} MEDIQA questions, twice, in each search mode ...")
    for q in sets.questions:
        grades: dict[str, int] = {}
        for doc, grade in q.judgements.items():
            key = canonical.get(doc, doc)
            grades[key] = max(grades.get(key, 0), grade)
        judged = {d for d in every if canonical.get(d, d) in grades}
        for qid, seen in observed(engine, q.text, SearchFilters(), q.qid):
            first = canonical.get(seen.cited[0], seen.cited[0]) if seen.cited else None
            label = int(first is not None and grades.get(first, 0) >= GOOD)
            examples.append(Example(q.set, q.half, qid, seen.index, seen.features, label, first))
        left = SearchFilters(doc_ids=frozenset(every - judged))
        for qid, seen in observed(engine, q.text, left, q.qid):
            first = seen.cited[0] if seen.cited else None
            examples.append(
                Example(f"{q.set}_absent", q.half, qid, seen.index, seen.features, 0, first)
            )
    lib.close()
    return examples


def seed_library(folder: Path) -> Library:
    lib = open_library(folder / "seeds.db")
    lib.ingest([SEEDS / "003_5c17e5cb39d03151.txt"])
    lib.ingest([SEEDS / "000_115646f3b8bff644.txt"], metadata=CRUK)
    return lib


def _loose(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def observe_seeds() -> list[Example]:
    import tempfile

    items = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    examples: list[Example] = []
    with tempfile.TemporaryDirectory() as folder:
        lib = seed_library(Path(folder))
        engine = lib.answers()
        log(f"observing {len(items)} seed messages in each search mode ...")
        for item in items:
            if item["expect"] == "triage":
                continue
            half = "tune" if item["split"] == "tune" else "test"
            for qid, seen in observed(engine, item["message"], SearchFilters(), item["id"]):
                first = seen.cited[0] if seen.cited else None
                if item["expect"] == "abstain":
                    examples.append(
                        Example("seeds_abstain", half, qid, seen.index, seen.features, 0, first)
                    )
                    continue
                has_fact = any(_loose(f) in _loose(seen.quoted) for f in key_facts(item))
                if first == item["source"] and has_fact:
                    label = 1
                elif first is not None and first != item["source"]:
                    label = 0
                else:
                    continue  # the right page without the key fact: another question of it
                examples.append(
                    Example("seeds", half, qid, seen.index, seen.features, label, first)
                )
        lib.close()
    return examples


def observe(mediqa: Path) -> list[Example]:
    lib = library()
    examples = observe_cancergov(lib)
    lib.close()
    examples += observe_mediqa(mediqa)
    examples += observe_seeds()
    OBSERVED.write_text(json.dumps([e.__dict__ for e in examples]))
    return examples


# ----------------------------------------------------------------- fitting
def arrays(examples: Iterable[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = list(examples)
    x = np.array([e.features for e in rows], dtype=np.float64)
    y = np.array([e.label for e in rows], dtype=np.int64)
    w = np.array([SOURCE_WEIGHT[e.source] for e in rows], dtype=np.float64)
    return x, y, w


def fit(tune: list[Example]) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import StandardScaler

    x, y, w = arrays(tune)
    scaler = StandardScaler().fit(x)
    z = scaler.transform(x)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=20261204)
    best: tuple[float, float] | None = None
    for c in (0.01, 0.03, 0.1, 0.3, 1.0, 3.0):
        losses = []
        for train, held in folds.split(z, y):
            model = LogisticRegression(C=c, max_iter=2000).fit(
                z[train], y[train], sample_weight=w[train]
            )
            p = np.clip(model.predict_proba(z[held])[:, 1], 1e-6, 1 - 1e-6)
            loss = -np.average(y[held] * np.log(p) + (1 - y[held]) * np.log(1 - p), weights=w[held])
            losses.append(loss)
        mean = float(np.mean(losses))
        log(f"  C={c}: cross-validated log loss {mean:.4f}")
        if best is None or mean < best[1]:
            best = (c, mean)
    assert best is not None
    model = LogisticRegression(C=best[0], max_iter=2000).fit(z, y, sample_weight=w)
    scales = [float(s) if s > 0 else 1.0 for s in scaler.scale_]
    return {
        "features": list(FEATURES),
        "means": [round(float(m), 6) for m in scaler.mean_],
        "scales": [round(s, 6) for s in scales],
        "weights": [round(float(v), 6) for v in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
        "C": best[0],
    }


def probabilities(spec: dict[str, Any], examples: list[Example]) -> np.ndarray:
    x = np.array([e.features for e in examples], dtype=np.float64)
    z = (x - np.array(spec["means"])) / np.array(spec["scales"])
    return 1.0 / (1.0 + np.exp(-(z @ np.array(spec["weights"]) + spec["bias"])))


def first_needs(examples: list[Example]) -> list[Example]:
    """One example per question: its first need (what a question's answer leads with)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for e in examples:
        if (e.source, e.qid) not in seen:
            seen.add((e.source, e.qid))
            out.append(e)
    return out


UNNAMED = FEATURES.index("unnamed")
DRUG_UNREAD = FEATURES.index("drug_unread")
UNFIT = FEATURES.index("unfit")


def mode_of(example: Example) -> str:
    """The search mode an example was observed in (a lexical one's id ends in @lexical)."""
    return example.qid.rsplit("@", 1)[1] if "@" in example.qid else "hybrid"


def _strong(features: list[float]) -> bool:
    """The rules `AnswerabilityModel.answers` applies before the probability."""
    return said_outright(Evidence(*features))


def rates(
    examples: list[Example], p: np.ndarray, threshold: float, max_unnamed: float = 1.0
) -> tuple[float, float, int]:
    """(share answered, share of answered that is right, questions)."""
    gate = np.array(
        [
            e.features[UNNAMED] <= max_unnamed
            and not e.features[DRUG_UNREAD]
            and not e.features[UNFIT]
            for e in examples
        ],
        dtype=bool,
    )
    strong = np.array([_strong(e.features) for e in examples], dtype=bool)
    answered = ((p >= threshold) | strong) & gate
    n = len(examples)
    if n == 0:
        return 0.0, 0.0, 0
    right = sum(1 for e, a in zip(examples, answered, strict=True) if a and e.label == 1)
    count = int(answered.sum())
    return count / n, (right / count if count else 0.0), n


def choose_operating_point(spec: dict[str, Any], tune: list[Example]) -> tuple[float, float]:
    """(threshold, max_unnamed) on the tuning halves: the pair with the most right
    first citations less wrong ones (each wrong answer costs WRONG_COST right ones)
    over the real questions (consumer, Alexa, seed messages; each set weighs alike),
    among the pairs that answer at most TOPIC_ABSENT_TARGET of the CancerGov
    questions whose topic is absent, none of the seed messages that must abstain,
    and at least CANCERGOV_ANSWERED of the CancerGov questions themselves."""
    by_source = {s: first_needs([e for e in tune if e.source == s]) for s in SOURCE_WEIGHT}
    p = {s: probabilities(spec, group) for s, group in by_source.items()}
    best: tuple[float, float, float] | None = None  # (score, threshold, max_unnamed)
    for u in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
        for t in (round(x, 3) for x in np.arange(0.05, 0.951, 0.01)):
            if rates(by_source["cancergov_absent"], p["cancergov_absent"], t, u)[0] > (
                TOPIC_ABSENT_TARGET
            ) or rates(by_source["seeds_abstain"], p["seeds_abstain"], t, u)[0] > (
                MUST_ABSTAIN_ANSWERED
            ):
                continue
            if rates(by_source["cancergov"], p["cancergov"], t, u)[0] < CANCERGOV_ANSWERED:
                continue  # the templated questions the library plainly answers stay answered
            score = 0.0
            for source in ("consumer", "alexa", "seeds"):
                answered, precision, _ = rates(by_source[source], p[source], t, u)
                score += answered * (precision - WRONG_COST * (1 - precision))
            if best is None or score > best[0]:
                best = (score, t, u)
    if best is None:
        raise SystemExit(
            "no operating point meets the bounds on the tuning halves (CancerGov topic-absent "
            f"answered <= {TOPIC_ABSENT_TARGET:.0%}, no must-abstain seed message answered, "
            f"CancerGov answered >= {CANCERGOV_ANSWERED:.0%}): the model file is left as it was"
        )
    return best[1], best[2]


def reliability(spec: dict[str, Any], examples: list[Example]) -> list[str]:
    p = probabilities(spec, examples)
    y = np.array([e.label for e in examples])
    rows = ["| predicted | questions | mean predicted | observed right |", "|---|---|---|---|"]
    edges = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001]
    for lo, hi in itertools.pairwise(edges):
        inside = (p >= lo) & (p < hi)
        if inside.sum():
            rows.append(
                f"| {lo:.1f}–{min(hi, 1.0):.1f} | {int(inside.sum())} | "
                f"{p[inside].mean():.2f} | {y[inside].mean():.2f} |"
            )
    brier = float(np.mean((p - y) ** 2)) if len(y) else math.nan
    rows.append(f"\nBrier score {brier:.3f} over {len(y)} held-out needs")
    return rows


def report(spec: dict[str, Any], examples: list[Example], threshold: float) -> None:
    for half in ("tune", "test"):
        print(
            f"\n### {half} half (first need of each question), threshold {threshold:.2f}, "
            f"unnamed share at most {spec['max_unnamed']:.2f}\n"
        )
        print("| set | questions | answered | first citation right, of answered |")
        print("|---|---|---|---|")
        for source in SOURCE_WEIGHT:
            group = first_needs([e for e in examples if e.source == source and e.half == half])
            if not group:
                continue
            answered, precision, n = rates(
                group, probabilities(spec, group), threshold, spec["max_unnamed"]
            )
            print(f"| {source} | {n} | {answered:.1%} | {precision:.1%} |")
    test = [e for e in examples if e.half == "test"]
    print("\n### Reliability on the held-out halves (every need)\n")
    print("\n".join(reliability(spec, test)))
    print("\n### Answered vs first citation right, MEDIQA consumer test half\n")
    group = first_needs([e for e in test if e.source == "consumer"])
    p = probabilities(spec, group)
    print("| threshold | answered | right, of answered |\n|---|---|---|")
    for t in sorted({0.1, 0.2, 0.3, 0.4, 0.5, threshold, 0.6, 0.7, 0.8}):
        answered, precision, _ = rates(group, p, t, spec["max_unnamed"])
        mark = " (shipped)" if t == threshold else ""
        print(f"| {t:.2f}{mark} | {answered:.1%} | {precision:.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mediqa", type=Path, required=True, help="a MEDIQA2019 checkout")
    parser.add_argument("--observe", action="store_true", help="observe again (slow)")
    parser.add_argument("--report-only", action="store_true", help="report the shipped model")
    args = parser.parse_args()
    if args.observe or not OBSERVED.exists():
        examples = observe(args.mediqa)
    else:
        examples = [Example(**e) for e in json.loads(OBSERVED.read_text())]
    log(f"{len(examples)} observed needs")
    by_mode = {mode: [e for e in examples if mode_of(e) == mode] for mode in MODES}
    if args.report_only:
        model = json.loads(MODEL.read_text())
        for mode in MODES:
            print(f"\n## {mode} search\n")
            report(model[mode], by_mode[mode], model[mode]["threshold"])
        return
    model: dict[str, Any] = {"features": list(FEATURES)}
    counts: dict[str, int] = {}
    for mode in MODES:
        tune = [e for e in by_mode[mode] if e.half == "tune"]
        spec = fit(tune)
        spec["threshold"], spec["max_unnamed"] = choose_operating_point(spec, tune)
        del spec["features"]
        model[mode] = spec
        for e in tune:
            counts[e.source] = counts.get(e.source, 0) + 1
    model["trained"] = {
        "date": dt.date.today().isoformat(),
        "script": "benchmarks/train_answerability.py",
        "sets": "tuning halves: CancerGov (asked, and with its topic left out), MEDIQA 2019 "
        "consumer and Alexa (asked, and with every judged answer left out), the seed "
        "messages' tune split, off-topic questions",
        "needs": counts,
        "wrong_cost": WRONG_COST,
        "cancergov_answered": CANCERGOV_ANSWERED,
        "topic_absent_target": TOPIC_ABSENT_TARGET,
    }
    MODEL.write_text(json.dumps(model, indent=2) + "\n")
    log(f"wrote {MODEL.relative_to(ROOT)}")
    for mode in MODES:
        print(f"\n## {mode} search\n")
        report(model[mode], by_mode[mode], model[mode]["threshold"])


if __name__ == "__main__":
    main()
