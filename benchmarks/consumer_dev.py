"""Dev benchmark on real consumer questions: MEDIQA 2019 Task 3 over MedQuAD.

Library: every MedQuAD answer plus every candidate answer of the MEDIQA sets as its
own document (title = the text before the first ": ", licence all rights
reserved). Relevance = ReferenceScore - 1 (0-3), judged per document: a run ranks
documents by their best passage. Relevant for MAP and MRR = 2 or more ("correct but
incomplete" or better); nDCG uses the grades. Each row is also scored *by answer*:
the same page was often a candidate for several questions, and its copies (same
title and text) rank equally, so which one comes first is storage order; by answer,
copies count as one (evaluation/mediqa.py: same_answers, by_answer).

Sets: *consumer* = the ValidationSet (less QID 2) and the TestSet-wLabels (174
questions), *alexa* = TrainingSet2-Alexa (104 short questions); each split into a
tuning and a test half by a hash of the question id. Settings are chosen on the
consumer tuning half only. The held-out LiveQA questions are never read.

    python benchmarks/consumer_dev.py --mediqa PATH/TO/MEDIQA2019 [--models minilm-int8 minilm]
    python benchmarks/consumer_dev.py --mediqa PATH --tune [--tune-by id|answer]

PATH is a checkout of github:abachaa/MEDIQA2019 (nothing of it is copied here); the
library is built once in benchmarks/.cache/ (reusing an embedded MedQuAD copy from
cold_start.py when there is one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import ir_measures
import numpy as np
import numpy.typing as npt
import yaml

from common import log, percentile
from oncocite import Library, open_library
from oncocite.evaluation.mediqa import ConsumerQuestion, by_answer, load_mediqa, same_answers
from oncocite.evaluation.medquad_dev import DevQuery, load_cancergov_dev
from oncocite.evaluation.metrics import evaluate_run
from oncocite.evaluation.trec import write_qrels
from oncocite.models import SearchMode, is_http_url
from oncocite.search.dense import OnnxMeanPoolEmbedder
from oncocite.search.engine import SIDES, EngineConfig, SearchEngine, Weights
from oncocite.search.fusion import SCALERS
from oncocite.search.sides import RANKING_FILE, Ranking
from oncocite.store import SearchFilters

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
CORPUS = HERE.parents[1] / "shared" / "corpus" / "medquad"
MEASURES = ("AP(rel=2)@10", "RR(rel=2)@10", "nDCG@10")
LABELS = {"AP(rel=2)@10": "MAP@10", "RR(rel=2)@10": "MRR@10", "nDCG@10": "nDCG@10"}
DocRun = dict[str, list[tuple[str, float]]]
SHIPPED = EngineConfig()
TUNE_MEASURES = [ir_measures.parse_measure(m) for m in ("AP(rel=2)@10", "RR(rel=2)@10")]
CANCERGOV_FLOOR = 0.91  # tune-half MRR@10 kept for the templated questions (target 0.90)


def _progress(label: str):  # type: ignore[no-untyped-def]
    def report(done: int, total: int) -> None:
        if done % 800 == 0 or done == total:
            log(f"  {label}: {done}/{total}")

    return report


def build_library(mediqa: Path, models: list[str]) -> Library:
    """The benchmark library: MedQuAD + MEDIQA candidate answers, embedded per model."""
    db = CACHE / "consumer.db"
    CACHE.mkdir(exist_ok=True)
    seed = CACHE / "medquad.db"
    if not db.exists() and seed.exists():
        log(f"copying the embedded MedQuAD library {seed.name}")
        with sqlite3.connect(seed) as source, sqlite3.connect(db) as target:
            source.backup(target)
    lib = open_library(db, embed="0")
    if lib.counts()["passages"] == 0:
        log("ingesting MedQuAD (once)")
        lib.ingest([CORPUS], embed=False)
    sets = load_mediqa(mediqa)
    folder = CACHE / "mediqa-answers"  # a fixed place: re-runs find them unchanged
    folder.mkdir(exist_ok=True)
    for answer in sets.answers:
        meta = {
            "title": answer.title or answer.doc_id,
            # 13 MEDIQA urls were cut short with an ellipsis ("…/gonorrhea…es"): the
            # answer is kept, without a link that would not resolve
            "url": answer.url if answer.url and is_http_url(answer.url) else None,
            "license": "all_rights_reserved",
            "source": "MEDIQA 2019 candidate answer",
            "sourceType": "09_benchmark",
        }
        front = yaml.safe_dump({k: v for k, v in meta.items() if v}, allow_unicode=True)
        body = answer.text.replace("\n", " ")
        page = folder / f"{answer.doc_id}.md"
        text = f"---\n{front}---\n\n{body}\n"
        if not page.exists() or page.read_text() != text:
            page.write_text(text)
    report = lib.ingest([folder], embed=False, replace=True)
    log(f"MEDIQA answers: {report.summary()}")
    for model in models:
        engine = SearchEngine(lib.store, model=model)
        started = time.perf_counter()
        added = engine.update_embeddings(_progress(model))
        if added:
            log(f"embedded {added} texts with {model} in {time.perf_counter() - started:.0f} s")
    return lib


def document_run(
    engine: SearchEngine, questions: Iterable[ConsumerQuestion], mode: SearchMode
) -> tuple[DocRun, list[float]]:
    """Top 10 documents per question (by their best passage), and query latencies."""
    run: DocRun = {}
    latencies: list[float] = []
    engine.search("warm up the engine", k=10, mode=mode)
    for q in questions:
        engine.forget_queries()  # each question embedded afresh: other modes ran it before
        started = time.perf_counter()
        hits = engine.search(q.text, k=100, mode=mode).hits
        latencies.append(time.perf_counter() - started)
        seen: dict[str, float] = {}
        for hit in hits:
            seen.setdefault(hit.doc_id, hit.score)
        run[q.qid] = list(seen.items())[:10]
    return run, latencies


def measure(
    questions: list[ConsumerQuestion],
    run: DocRun,
    folder: Path,
    canonical: dict[str, str] | None = None,
) -> dict[str, float]:
    """MAP, MRR and nDCG at 10, judged per document id (the issue's definition) or,
    given `canonical`, per answer: copies of one answer text count as one."""
    judged: dict[str, dict[str, int]] = {}
    ranked: dict[str, list[str]] = {}
    for q in questions:
        docs = [doc for doc, _ in run.get(q.qid, [])]
        if canonical is None:
            judged[q.qid], ranked[q.qid] = q.judgements, docs
        else:
            judged[q.qid], ranked[q.qid] = by_answer(q.judgements, docs, canonical)
    qrels = folder / "q.qrels"
    write_qrels(qrels, judged)
    trec = folder / "r.trec"
    lines = [
        f"{qid} Q0 {doc} {rank} {100 - rank} oncocite\n"
        for qid, docs in ranked.items()
        for rank, doc in enumerate(docs[:10], start=1)
    ]
    trec.write_text("".join(lines), encoding="utf-8")
    result = evaluate_run(qrels, trec, MEASURES)
    return {LABELS[name]: value for name, value in result.measures.items()}


SideLists = dict[str, list[tuple[int, float]]]
# Every side ranked, for both kinds of question: the lists any weights could fuse.
ALL_SIDES = EngineConfig(question_weights=(1.0,) * 6, message_weights=(1.0,) * 6)
PAIR_SAMPLES = 4  # negative-pair samplings the fitted weights are averaged over
REGULARISATION = (0.03, 0.1, 0.3, 1.0)  # the logistic regression's C, chosen by CV
CANCERGOV_SHARE = (0.1, 0.25, 0.5, 1.0)  # how much a CancerGov question's pairs weigh
FOLDS = 5
# A query's candidates and their side scores (`side_features`), the keys of its
# relevant passages, and how much its pairs weigh.
Judged = tuple[list[int], npt.NDArray[np.float64], set[int], float]


def side_lists(
    engine: SearchEngine, texts: dict[str, str]
) -> tuple[dict[str, SideLists], dict[str, bool]]:
    """Each side's top 100 per query (the engine's SIDES), and whether the query was
    read as a message: enough to re-fuse with any weights."""
    lists: dict[str, SideLists] = {}
    messages: dict[str, bool] = {}
    for qid, text in texts.items():
        _, parts, _, _, reading = engine.rank(text, 100, SearchFilters(), "hybrid")
        lists[qid] = {
            side: sorted(scores.items(), key=lambda item: (-item[1], item[0]))
            for side, scores in parts.items()
            if side != "fused"
        }
        if "lexical" in lists[qid]:
            lists[qid]["matched"] = lists[qid]["lexical"]  # the same list, scaled as a set
        messages[qid] = reading.message
    return lists, messages


def side_features(lists: SideLists) -> tuple[list[int], npt.NDArray[np.float64]]:
    """The candidates of one query and their six side scores as fusion sees them
    (scaled as the engine scales them, 0 where a side did not list the passage):
    the weighted sum of a row is the fused score."""
    scaled = [SCALERS[SHIPPED.side_scales[i]](lists.get(side, [])) for i, side in enumerate(SIDES)]
    keys = sorted(set().union(*scaled))
    return keys, np.array([[part.get(key, 0.0) for part in scaled] for key in keys])


def fitted_weights(judged: list[Judged], c: float, seed: int = 0) -> Weights:
    """Weights by a pairwise logistic regression (no intercept, L2 with inverse
    strength `c`): each relevant passage against up to 30 sampled others of its
    query, so that the six side scores, weighted, order pairs as the judges did.
    Averaged over a few samplings, negatives clipped to 0, scaled to sum to 1 (only
    the ratios rank)."""
    from sklearn.linear_model import LogisticRegression

    fits = []
    for sample in range(PAIR_SAMPLES):
        rng = np.random.default_rng(seed + sample)
        rows, labels, weights = [], [], []
        for keys, features, relevant_keys, share in judged:
            relevant = np.array([k in relevant_keys for k in keys])
            good, bad = np.flatnonzero(relevant), np.flatnonzero(~relevant)
            if not len(good) or not len(bad):
                continue
            for g in good:
                others = rng.choice(bad, min(30, len(bad)), replace=False)
                diff = features[g] - features[others]
                rows += [diff, -diff]
                labels += [np.ones(len(others)), np.zeros(len(others))]
                weights.append(np.full(2 * len(others), share / len(good)))
        model = LogisticRegression(C=c, fit_intercept=False, max_iter=3000)
        model.fit(np.vstack(rows), np.concatenate(labels), sample_weight=np.concatenate(weights))
        fits.append(model.coef_[0])
    mean = np.clip(np.mean(fits, axis=0), 0.0, None)
    return tuple(round(float(w), 3) for w in mean / mean.sum())  # type: ignore[return-value]


def fold_of(qid: str) -> int:
    """A question's cross-validation fold: a hash of its id, stable across runs."""
    return int(hashlib.md5(qid.encode()).hexdigest(), 16) % FOLDS


def tune(
    lib: Library,
    sets_questions: list[ConsumerQuestion],
    model: str,
    canonical: dict[str, str] | None,
) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    """Weights chosen on the tuning halves only, by a regularised pairwise logistic
    regression (`fitted_weights`) over the six sides, its settings chosen by 5-fold
    cross-validation within the tuning halves; the grid search it replaced is
    cross-validated beside it.

    Short questions: the consumer questions (MAP@10 + MRR@10, halved), Alexa
    (MRR@10) and CancerGov (MRR@10, on this library, whose MEDIQA answers are extra
    distractors) together; the regularisation and the weight of CancerGov's pairs
    are those whose held-out folds score best within floors (CancerGov 0.91; Alexa
    not below dense alone). Messages (consumer only): the regularisation whose
    held-out folds score best. Judged per document id, as the shipped weights were
    chosen, or by answer (`canonical`)."""
    engine = SearchEngine(lib.store, model=model, config=ALL_SIDES)
    views = lib.store.passages_by_keys(lib.store.allowed_keys(SearchFilters()).tolist())
    doc_of = {v.key: v.passage.doc_id for v in views}
    passage_of = {v.key: v.passage.passage_id for v in views}
    consumer = [q for q in sets_questions if q.half == "tune" and q.set == "consumer"]
    alexa = [q for q in sets_questions if q.half == "tune" and q.set == "alexa"]
    cancergov = [q for q in load_cancergov_dev(CORPUS / "1_CancerGov_QA") if q.half == "tune"]
    texts = {q.qid: q.text for q in [*consumer, *alexa]} | {q.qid: q.text for q in cancergov}
    log(f"ranking {len(texts)} tuning questions once ...")
    lists, messages = side_lists(engine, texts)
    features = {qid: side_features(one) for qid, one in lists.items()}

    def judged(q: ConsumerQuestion | DevQuery, share: float = 1.0) -> Judged:
        keys, scores = features[q.qid]
        if isinstance(q, DevQuery):
            good = {k for k in keys if passage_of[k] == q.passage_id}
        else:
            good = {k for k in keys if q.judgements.get(doc_of[k], 0) >= 2}
        return keys, scores, good, share

    def fused(qid: str, weights: Weights) -> list[int]:
        """The engine's fusion of this query's sides with these weights: the weighted
        sum of the scaled side scores, ties broken by key."""
        keys, scores = features[qid]
        ranked = np.lexsort((np.array(keys), -(scores @ np.array(weights))))
        return [keys[i] for i in ranked]

    def docs(qid: str, weights: Weights) -> list[tuple[str, float]]:
        seen: dict[str, float] = {}
        for key in fused(qid, weights):
            seen.setdefault(doc_of[key], 0.0)
            if len(seen) == 10:
                break
        return list(seen.items())

    def judged_values(
        qs: list[ConsumerQuestion], chosen: dict[str, Weights]
    ) -> tuple[float, float]:
        """MAP@10 and MRR@10 of these questions, each ranked with its own weights."""
        qrels: dict[str, dict[str, int]] = {}
        run: dict[str, dict[str, float]] = {}
        for q in qs:
            ranked = [doc for doc, _ in docs(q.qid, chosen[q.qid])]
            if canonical is None:
                qrels[q.qid] = q.judgements
            else:
                qrels[q.qid], ranked = by_answer(q.judgements, ranked, canonical)
            run[q.qid] = {doc: 100.0 - i for i, doc in enumerate(ranked)}
        values = ir_measures.calc_aggregate(TUNE_MEASURES, qrels, run)
        return float(values[TUNE_MEASURES[0]]), float(values[TUNE_MEASURES[1]])

    def cancergov_mrr(qs: list[DevQuery], chosen: dict[str, Weights]) -> float:
        total = 0.0
        for q in qs:
            ids = [passage_of[key] for key in fused(q.qid, chosen[q.qid])[:10]]
            total += 1 / (ids.index(q.passage_id) + 1) if q.passage_id in ids else 0.0
        return total / len(qs)

    short = [q for q in consumer if not messages[q.qid]]
    long = [q for q in consumer if messages[q.qid]]
    # the few CancerGov questions long enough to be messages rank with message weights
    cancergov_messages = [q for q in cancergov if messages[q.qid]]
    cancergov = [q for q in cancergov if not messages[q.qid]]
    dense_alone: Weights = (0.0, 0.0, 1.0, 0.0, 0.0, 0.0)
    alexa_floor = judged_values(alexa, dict.fromkeys((q.qid for q in alexa), dense_alone))[1]

    def short_judged(share: float, fold: int | None) -> list[Judged]:
        keep = [q for q in [*short, *alexa] if fold is None or fold_of(q.qid) != fold]
        rest = [q for q in cancergov if fold is None or fold_of(q.qid) != fold]
        return [judged(q) for q in keep] + [judged(q, share) for q in rest]

    def short_scores(chosen: dict[str, Weights]) -> tuple[float, float, float, float]:
        """(objective, consumer MAP+MRR halved, Alexa MRR, CancerGov MRR)."""
        own = sum(judged_values(short, chosen)) / 2
        amrr = judged_values(alexa, chosen)[1]
        mrr = cancergov_mrr(cancergov, chosen)
        return own + amrr + mrr, own, amrr, mrr

    log("messages: cross-validating the regression's settings ...")
    long_best: tuple[float, float] | None = None
    for c in REGULARISATION:
        chosen = {
            q.qid: w
            for fold in range(FOLDS)
            for w in [fitted_weights([judged(q) for q in long if fold_of(q.qid) != fold], c)]
            for q in long
            if fold_of(q.qid) == fold
        }
        ap, rr = judged_values(long, chosen)
        print(f"messages, CV, C={c}: MAP@10 {ap:.3f} MRR@10 {rr:.3f}")
        if long_best is None or ap + rr > long_best[0]:
            long_best = (ap + rr, c)
    assert long_best is not None
    message = fitted_weights([judged(q) for q in long], long_best[1])

    every = [*short, *alexa, *cancergov]
    log("short questions: cross-validating the regression's settings ...")
    admissible: list[tuple[float, float, float]] = []
    for c, share in itertools.product(REGULARISATION, CANCERGOV_SHARE):
        chosen = {
            q.qid: w
            for fold in range(FOLDS)
            for w in [fitted_weights(short_judged(share, fold), c)]
            for q in every
            if fold_of(q.qid) == fold
        }
        total, own, amrr, mrr = short_scores(chosen)
        meets = mrr >= CANCERGOV_FLOOR and amrr >= alexa_floor
        print(
            f"short questions, CV, C={c} CancerGov share={share}: consumer {own:.3f} "
            f"Alexa {amrr:.3f} CancerGov {mrr:.3f}{'' if meets else ' (below a floor)'}"
        )
        if meets:
            admissible.append((total, c, share))
    grid = [
        (lexical, 0.0, dense, about, 0.0, 0.0)
        for lexical, dense, about in itertools.product((0.0, 0.1, 0.2, 0.3, 0.4, 0.5), repeat=3)
        if lexical + dense + about > 0
    ]
    grid_chosen: dict[str, Weights] = {}
    for fold in range(FOLDS):
        train = [q for q in every if fold_of(q.qid) != fold]
        train_short = [q for q in short if q in train]
        train_alexa = [q for q in alexa if q in train]
        train_cg = [q for q in cancergov if q in train]
        floor = judged_values(train_alexa, dict.fromkeys((q.qid for q in alexa), dense_alone))[1]
        scored = []
        for w in grid:
            every_w = dict.fromkeys((q.qid for q in every), w)
            mrr = cancergov_mrr(train_cg, every_w)
            amrr = judged_values(train_alexa, every_w)[1]
            if mrr >= CANCERGOV_FLOOR and amrr >= floor:
                scored.append((sum(judged_values(train_short, every_w)) / 2 + amrr + mrr, w))
        pick = max(scored)[1] if scored else SHIPPED.question_weights
        grid_chosen |= {q.qid: pick for q in every if fold_of(q.qid) == fold}
    _, own, amrr, mrr = short_scores(grid_chosen)
    print(
        f"short questions, CV, grid (the earlier way): consumer {own:.3f} Alexa {amrr:.3f} "
        f"CancerGov {mrr:.3f}"
    )
    # The best held-out settings whose weights, fitted on the whole tuning half, also
    # meet the floors there.
    chosen_short: tuple[Weights, float, float] | None = None
    for _, c, share in sorted(admissible, reverse=True):
        weights = fitted_weights(short_judged(share, None), c)
        fitted = dict.fromkeys((q.qid for q in every), weights)
        fitted |= dict.fromkeys((q.qid for q in cancergov_messages), message)
        amrr = judged_values(alexa, fitted)[1]
        mrr = cancergov_mrr([*cancergov, *cancergov_messages], fitted)
        print(
            f"short questions, C={c} share={share} fitted on all: Alexa {amrr:.3f} "
            f"CancerGov {mrr:.3f}"
        )
        if mrr >= CANCERGOV_FLOOR and amrr >= alexa_floor:
            chosen_short = (weights, c, share)
            break
    if chosen_short is None:
        print("no regression settings meet the CancerGov and Alexa floors")
        return None
    question, short_c, share = chosen_short

    final = {
        q.qid: message if messages[q.qid] else question
        for q in [*every, *long, *cancergov_messages]
    }
    _, own, amrr, _ = short_scores(final)
    mrr = cancergov_mrr([*cancergov, *cancergov_messages], final)
    ap, rr = judged_values(consumer, final)
    print(f"sides: {', '.join(SIDES)}")
    print(
        f"chosen on the tuning halves: question_weights={question} (C={short_c}, "
        f"CancerGov share {share}) message_weights={message} (C={long_best[1]})"
    )
    print(
        f"in-sample ({'by answer' if canonical else 'per id'}): consumer tune MAP@10 {ap:.3f} "
        f"MRR@10 {rr:.3f} ({len(short)} questions, {len(long)} messages) | CancerGov tune "
        f"MRR@10 {mrr:.3f} (floor {CANCERGOV_FLOOR}) | Alexa tune MRR@10 {amrr:.3f} "
        f"(dense alone {alexa_floor:.3f})"
    )
    print(
        f"shipped: question_weights={SHIPPED.question_weights} "
        f"message_weights={SHIPPED.message_weights}"
    )
    return tuple(question), tuple(message)


def write_weights(question: tuple[float, ...], message: tuple[float, ...], by: str) -> None:
    """Record new weights in src/oncocite/search/sides.yaml, the one ranking file the
    engine reads, with the day and what they were fitted on (its comments are kept)."""
    text = RANKING_FILE.read_text(encoding="utf-8")

    def listed(values: tuple[float, ...]) -> str:
        return "[" + ", ".join(f"{v:g}" for v in values) + "]"

    text = re.sub(r"(?m)^  question: \[.*\]$", f"  question: {listed(question)}", text)
    text = re.sub(r"(?m)^  message: \[.*\]$", f"  message: {listed(message)}", text)
    text = re.sub(r'(?m)^  date: ".*"$', f'  date: "{dt.date.today().isoformat()}"', text)
    text = re.sub(
        r"(?m)^  method: .*$",
        "  method: benchmarks/consumer_dev.py --tune --write (an L2 pairwise logistic "
        f"regression over the side scores, judged {by}, its settings chosen by 5-fold "
        "cross-validation)",
        text,
    )
    Ranking.from_yaml(text)  # never write a file the engine could not read
    RANKING_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {RANKING_FILE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mediqa", type=Path, required=True, help="MEDIQA2019 checkout")
    parser.add_argument("--models", nargs="+", default=["minilm-int8", "minilm"])
    parser.add_argument(
        "--tune", action="store_true", help="choose fusion weights on the tuning halves"
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="with --tune: record the chosen weights in src/oncocite/search/sides.yaml",
    )
    parser.add_argument(
        "--tune-by",
        choices=("id", "answer"),
        default="id",
        help="judge --tune per document id (as the shipped weights were) or per answer",
    )
    args = parser.parse_args()

    sets = load_mediqa(args.mediqa)
    lib = build_library(args.mediqa, args.models)
    if args.tune:
        by = same_answers(sets.answers) if args.tune_by == "answer" else None
        chosen = tune(lib, sets.questions, args.models[0], by)
        if args.write and chosen is not None:
            judged = "by answer" if args.tune_by == "answer" else "per document id"
            write_weights(*chosen, judged)
        return
    groups = {
        (name, half): [q for q in sets.questions if q.set == name and q.half == half]
        for name in ("consumer", "alexa")
        for half in ("tune", "test")
    }
    canonical = same_answers(sets.answers)
    rows = [
        "| set | half (questions) | mode | model | MAP@10 | MRR@10 | nDCG@10 "
        "| by answer: MAP@10 | MRR@10 | nDCG@10 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    runs: list[tuple[str, SearchMode]] = [(args.models[0], "lexical")]
    runs += [(model, mode) for model in args.models for mode in ("dense", "hybrid")]
    with tempfile.TemporaryDirectory() as tmp:
        for model, mode in runs:
            engine = SearchEngine(lib.store, model=model, config=EngineConfig())
            engine.allowed(SearchFilters())
            run, _ = document_run(engine, sets.questions, mode)
            label = "–" if mode == "lexical" else model
            for (name, half), questions in groups.items():
                per_id = measure(questions, run, Path(tmp))
                per_answer = measure(questions, run, Path(tmp), canonical)
                rows.append(
                    f"| {name} | {half} ({len(questions)}) | {mode} | {label} | "
                    + " | ".join(
                        f"{values[m]:.3f}"
                        for values in (per_id, per_answer)
                        for m in ("MAP@10", "MRR@10", "nDCG@10")
                    )
                    + " |"
                )
    print("\n".join(rows))
    copies = sum(len(a) > 1 for a in _groups(canonical).values())
    print(
        f"\nby answer: {len(canonical):,} candidate answers hold {len(set(canonical.values())):,} "
        f"distinct title + text pairs ({copies} stored more than once); copies count as one"
    )
    print()
    print("\n".join(speed_table(sets.questions, args.models)))
    print(f"\nreproduce: python benchmarks/consumer_dev.py --mediqa {args.mediqa}")


def _groups(canonical: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for doc, first in canonical.items():
        groups.setdefault(first, []).append(doc)
    return groups


def speed_table(questions: list[ConsumerQuestion], models: list[str]) -> list[str]:
    """Warm hybrid latency (k = 10) of the consumer questions over the MedQuAD library
    alone (benchmarks/.cache/medquad.db, built by cold_start.py or cancergov_dev.py):
    two passes to warm up, then three timed passes, pooled. Each timed question is
    embedded afresh: the engine keeps recent query vectors, and a pass repeating the
    warm-up's questions would otherwise time a cache. The default model is timed with
    questions embedded by its int8 query model (the default) and by the float model."""
    texts = [q.text for q in questions if q.set == "consumer"]
    rows = [
        "| model | questions embedded by | library | hybrid p50 ms | hybrid p95 ms "
        "| p95 of each pass ms |",
        "|---|---|---|---|---|---|",
    ]
    library = CACHE / "medquad.db"
    if not library.exists():
        return [f"(no {library}: run benchmarks/cold_start.py first for the speed table)"]
    setups = [(model, True) for model in models]
    if "minilm-int8" in models:
        setups.append(("minilm-int8", False))
    with open_library(library, embed="0") as lib:
        for model, quantised in setups:
            config = EngineConfig(quantised_queries=quantised)
            engine = SearchEngine(lib.store, model=model, config=config)
            embedder = engine.embedder()
            if isinstance(embedder, OnnxMeanPoolEmbedder):
                label = "int8 query model" if embedder.quantised_queries else "float model"
            else:
                label = "the model (PyTorch)"
            for _ in range(2):
                for text in texts:
                    engine.search(text, k=10)
            passes: list[list[float]] = []
            for _ in range(3):
                timed = []
                for text in texts:
                    engine.forget_queries()
                    started = time.perf_counter()
                    engine.search(text, k=10)
                    timed.append(1000 * (time.perf_counter() - started))
                passes.append(timed)
            pooled = [t for one in passes for t in one]
            each = ", ".join(f"{percentile(one, 95):.1f}" for one in passes)
            rows.append(
                f"| {model} | {label} | MedQuAD ({lib.counts()['passages']:,} passages) | "
                f"{statistics.median(pooled):.1f} | {percentile(pooled, 95):.1f} | {each} |"
            )
    return rows


if __name__ == "__main__":
    main()
