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
import itertools
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import ir_measures
import numpy as np
import numpy.typing as npt
import yaml

from oncocite import Library, open_library
from oncocite.evaluation.mediqa import ConsumerQuestion, by_answer, load_mediqa, same_answers
from oncocite.evaluation.medquad_dev import load_cancergov_dev
from oncocite.evaluation.metrics import evaluate_run
from oncocite.evaluation.trec import write_qrels
from oncocite.models import SearchMode
from oncocite.search.dense import OnnxMeanPoolEmbedder
from oncocite.search.engine import SIDES, EngineConfig, SearchEngine, Weights
from oncocite.search.fusion import SCALERS, fuse
from oncocite.store import SearchFilters

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
CORPUS = HERE.parents[1] / "shared" / "corpus" / "medquad"
MEASURES = ("AP(rel=2)@10", "RR(rel=2)@10", "nDCG@10")
LABELS = {"AP(rel=2)@10": "MAP@10", "RR(rel=2)@10": "MRR@10", "nDCG@10": "nDCG@10"}
DocRun = dict[str, list[tuple[str, float]]]
SHIPPED = EngineConfig()
TUNE_MEASURES = [ir_measures.parse_measure(m) for m in ("AP(rel=2)@10", "RR(rel=2)@10")]
RR2 = ir_measures.parse_measure("RR(rel=2)@10")
CANCERGOV_FLOOR = 0.91  # tune-half MRR@10 kept for the templated questions (target 0.90)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
            "url": answer.url,
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
MESSAGE_C = 0.03  # the logistic regression's inverse regularisation (chosen by CV, below)
PAIR_SAMPLES = 4  # negative-pair samplings the message weights are averaged over


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


def refuse(lists: SideLists, weights: Weights) -> list[tuple[int, float]]:
    """The engine's fusion (its scales, these weights) of one query's side lists."""
    sides = [side for side in SIDES if side in lists and weights[SIDES.index(side)] > 0]
    scales = [SHIPPED.side_scales[SIDES.index(s)] for s in sides]
    chosen = [weights[SIDES.index(s)] for s in sides]
    return fuse([lists[side] for side in sides], chosen, "weighted", 60, scales)


def side_features(lists: SideLists) -> tuple[list[int], npt.NDArray[np.float64]]:
    """The candidates of one query and their six side scores as fusion sees them
    (scaled as the engine scales them, 0 where a side did not list the passage):
    the weighted sum of a row is the fused score."""
    scaled = [SCALERS[SHIPPED.side_scales[i]](lists.get(side, [])) for i, side in enumerate(SIDES)]
    keys = sorted(set().union(*scaled))
    return keys, np.array([[part.get(key, 0.0) for part in scaled] for key in keys])


def message_weights(
    questions: list[ConsumerQuestion],
    lists: dict[str, SideLists],
    doc_of: dict[int, str],
    seed: int = 0,
    c: float = MESSAGE_C,
) -> Weights:
    """Message weights by a pairwise logistic regression (no intercept, L2): every
    relevant document's passages against up to 30 sampled others per query, so the
    fitted weights of the six side scores order pairs as the judges did. Averaged
    over a few samplings, scaled to sum to 1 (only their ratios rank)."""
    from sklearn.linear_model import LogisticRegression

    fits = []
    for sample in range(PAIR_SAMPLES):
        rng = np.random.default_rng(seed + sample)
        rows, labels, weights = [], [], []
        for q in questions:
            keys, features = side_features(lists[q.qid])
            relevant = np.array([q.judgements.get(doc_of[k], 0) >= 2 for k in keys])
            good, bad = np.flatnonzero(relevant), np.flatnonzero(~relevant)
            for g in good:
                others = rng.choice(bad, min(30, len(bad)), replace=False)
                diff = features[g] - features[others]
                rows += [diff, -diff]
                labels += [np.ones(len(others)), np.zeros(len(others))]
                weights.append(np.full(2 * len(others), 1 / len(good)))
        model = LogisticRegression(C=c, fit_intercept=False, max_iter=3000)
        model.fit(np.vstack(rows), np.concatenate(labels), sample_weight=np.concatenate(weights))
        fits.append(model.coef_[0])
    mean = np.clip(np.mean(fits, axis=0), 0.0, None)
    return tuple(round(float(w), 3) for w in mean / mean.sum())  # type: ignore[return-value]


def tune(
    lib: Library,
    sets_questions: list[ConsumerQuestion],
    model: str,
    canonical: dict[str, str] | None,
) -> None:
    """Weights chosen on the tuning halves only.

    Short questions: a grid over the lexical, dense and about weights, scored on the
    consumer questions (MAP@10 + MRR@10), the CancerGov questions (MRR@10, on this
    library, whose MEDIQA answers are extra distractors) and Alexa (MRR@10) together,
    within floors for the last two (CancerGov 0.91; Alexa not below dense alone).
    Messages (consumer only): a regularised pairwise logistic regression over the six
    sides (`message_weights`), and beside it the grid's pick, each judged by 5-fold
    cross-validation within the tuning half: the logistic regression is shipped
    because it ranked the held-out folds better. Judged per document id, as the
    shipped weights were chosen, or by answer (`canonical`)."""
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

    def docs(qid: str, weights: Weights) -> list[tuple[str, float]]:
        seen: dict[str, float] = {}
        for key, score in refuse(lists[qid], weights):
            seen.setdefault(doc_of[key], score)
        return list(seen.items())[:10]

    def judged_run(
        qs: list[ConsumerQuestion], weights: Weights
    ) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, float]]]:
        qrels: dict[str, dict[str, int]] = {}
        run: dict[str, dict[str, float]] = {}
        for q in qs:
            ranked = [doc for doc, _ in docs(q.qid, weights)]
            if canonical is None:
                qrels[q.qid] = q.judgements
            else:
                qrels[q.qid], ranked = by_answer(q.judgements, ranked, canonical)
            run[q.qid] = {doc: 100.0 - i for i, doc in enumerate(ranked)}
        return qrels, run

    def scores(qs: list[ConsumerQuestion], weights: Weights) -> dict[str, float]:
        """Per question, MAP@10 + MRR@10 (graded qrels, relevant = 2 or more)."""
        qrels, run = judged_run(qs, weights)
        per = dict.fromkeys(qrels, 0.0)
        for metric in ir_measures.iter_calc(TUNE_MEASURES, qrels, run):
            per[metric.query_id] += metric.value
        return per

    def cancergov_mrr(weights: Weights) -> float:
        total = 0.0
        for q in cancergov:
            ids = [passage_of[key] for key, _ in refuse(lists[q.qid], weights)[:10]]
            total += 1 / (ids.index(q.passage_id) + 1) if q.passage_id in ids else 0.0
        return total / len(cancergov)

    def alexa_mrr(weights: Weights) -> float:
        qrels, run = judged_run(alexa, weights)
        return float(ir_measures.calc_aggregate([RR2], qrels, run)[RR2])

    short = [q for q in consumer if not messages[q.qid]]
    long = [q for q in consumer if messages[q.qid]]
    alexa_floor = alexa_mrr((0.0, 0.0, 1.0, 0.0, 0.0, 0.0))
    steps = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
    admissible = []
    for lexical, dense, about in itertools.product(steps, repeat=3):
        weights: Weights = (lexical, 0.0, dense, about, 0.0, 0.0)
        if not sum(weights):
            continue
        mrr, amrr = cancergov_mrr(weights), alexa_mrr(weights)
        if mrr >= CANCERGOV_FLOOR and amrr >= alexa_floor:
            own = sum(scores(short, weights).values()) / (2 * len(short))
            admissible.append((own + amrr + mrr, weights, mrr, amrr))
    if not admissible:
        print("no question weights meet the CancerGov and Alexa floors")
        return
    _, question, mrr, amrr = max(admissible)

    grid: list[Weights] = [
        (lexical, 0.0, dense, about, subject, 0.0)
        for lexical, dense, about, subject in itertools.product(steps, repeat=4)
        if lexical + dense + about + subject > 0
    ]

    def grid_pick(qs: list[ConsumerQuestion]) -> Weights:
        """The grid point whose neighbourhood (one step on one weight) scores best on
        these messages: the previous way of choosing message weights."""
        values = {w: sum(scores(qs, w).values()) for w in grid}

        def smoothed(w: Weights) -> float:
            around = [w] + [
                n
                for i in range(6)
                for step in (-0.1, 0.1)
                if (n := tuple(round(x + step, 1) if j == i else x for j, x in enumerate(w)))
                in values
            ]
            return sum(values[n] for n in around) / len(around)  # type: ignore[index]

        return max(grid, key=smoothed)

    folds = 5
    fold_of = {q.qid: i % folds for i, q in enumerate(sorted(long, key=lambda q: q.qid))}
    held: dict[str, dict[str, list[tuple[str, float]]]] = {"regression": {}, "grid": {}}
    for fold in range(folds):
        train = [q for q in long if fold_of[q.qid] != fold]
        test = [q for q in long if fold_of[q.qid] == fold]
        log(f"  messages, fold {fold + 1}/{folds}: fitting on {len(train)} ...")
        for name, weights in (
            ("regression", message_weights(train, lists, doc_of)),
            ("grid", grid_pick(train)),
        ):
            held[name] |= {q.qid: docs(q.qid, weights) for q in test}
    message = message_weights(long, lists, doc_of)
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in held.items():
            values = measure(long, run, Path(tmp), canonical)
            print(f"messages, {folds}-fold cross-validation on the tuning half, {name}: {values}")
        run = {q.qid: docs(q.qid, message if messages[q.qid] else question) for q in consumer}
        values = measure(consumer, run, Path(tmp), canonical)
    print(f"chosen on the tuning halves: question_weights={question} message_weights={message}")
    print(
        f"consumer tune ({'by answer' if canonical else 'per id'}) {values} "
        f"({len(short)} questions, {len(long)} messages) | "
        f"CancerGov tune MRR@10 {mrr:.3f} (floor {CANCERGOV_FLOOR}) | "
        f"Alexa tune MRR@10 {amrr:.3f} (dense alone {alexa_floor:.3f})"
    )
    print(f"sides: {', '.join(SIDES)}")
    print(
        f"shipped: question_weights={SHIPPED.question_weights} "
        f"message_weights={SHIPPED.message_weights}"
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mediqa", type=Path, required=True, help="MEDIQA2019 checkout")
    parser.add_argument("--models", nargs="+", default=["minilm-int8", "minilm"])
    parser.add_argument(
        "--tune", action="store_true", help="choose fusion weights on the tuning halves"
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
        tune(lib, sets.questions, args.models[0], by)
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
