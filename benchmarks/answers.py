"""Answers over MedQuAD: right passage, right focus, abstentions, and speed.

    python benchmarks/answers.py [--limit N]

For the 729 CancerGov questions (library: all of MedQuAD and the seeds; questions are
never indexed): the share answered whose citations include the question's own
passage, the share whose quoted sentences all come from passages with the
question's focus, the share abstained; then the share answered anyway when every
document about the question's focus is left out of the library, and for off-topic
questions. Targets (issue 14): >= 85 % answered from the right passage, <= 10 %
abstained, <= 5 % answered when the topic is absent. Speed: `ask` and `search`,
warm, one question at a time, p50 and p95 (target: ask p95 <= 50 ms), and the CPU
an ask costs (this process's CPU time, the self-harm reader's thread included: what
a distinct question costs a server under load).
"""

from __future__ import annotations

import argparse
import statistics
import time

from answer_sets import cancergov, focus_key, library, log, off_topic
from common import percentile
from oncocite.store import SearchFilters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    args = parser.parse_args()
    lib = library()
    questions = cancergov(lib)
    if args.limit:
        questions = questions[: args.limit]
    focus_of = {
        v.passage.passage_id: focus_key(v.passage.focus or "")
        for v in lib.store.passages_by_keys(lib.store.allowed_keys(SearchFilters()).tolist())
    }
    for q in questions[:20]:  # warm up: indexes, model sessions
        lib.ask(q.query.text)
    asked, searched, cpu = [], [], []
    right = same_focus = abstained = 0
    for q in questions:
        started, cpu_started = time.perf_counter(), time.process_time()
        answer = lib.ask(q.query.text)
        asked.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - cpu_started))
        lib.engine().forget_queries()  # time the search as a new question, not the ask's
        started = time.perf_counter()
        lib.search(q.query.text, k=10)
        searched.append(1000 * (time.perf_counter() - started))
        if answer.abstained:
            abstained += 1
            continue
        cited = {c.passage_id for c in answer.citations}
        right += q.query.passage_id in cited
        same_focus += all(focus_of.get(c.passage_id) == q.focus for c in answer.citations)
    n = len(questions)
    log("asking again with each question's topic left out ...")
    every = {d.doc_id for d in lib.documents().documents}
    answered_absent = 0
    for q in questions:
        filters = ["doc_id=" + ",".join(sorted(every - q.about))] if q.about else []
        answer = lib.ask(q.query.text, filters=filters)
        answered_absent += not answer.abstained
    offs = off_topic()
    answered_off = sum(not lib.ask(text).abstained for text in offs)
    answered = n - abstained
    rows = [
        "| measure | value | target |",
        "|---|---|---|",
        f"| answered, citing the question's own passage | {right}/{n} = {right / n:.1%} | ≥ 85 % |",
        f"| answered, every quote from a passage of the question's focus | "
        f"{same_focus}/{n} = {same_focus / n:.1%} | |",
        f"| abstained | {abstained}/{n} = {abstained / n:.1%} | ≤ 10 % |",
        f"| right passage among the answered | {right}/{answered} = "
        f"{right / max(answered, 1):.1%} | |",
        f"| answered when the topic is absent | {answered_absent}/{n} = "
        f"{answered_absent / n:.1%} | ≤ 5 % |",
        f"| answered, off-topic questions | {answered_off}/{len(offs)} = "
        f"{answered_off / len(offs):.1%} | |",
        f"| ask p50 / p95 ms | {statistics.median(asked):.1f} / {percentile(asked, 95):.1f} "
        f"| p95 ≤ 50 |",
        f"| ask CPU ms a question (both threads), mean / p95 | {statistics.mean(cpu):.1f} / "
        f"{percentile(cpu, 95):.1f} | |",
        f"| search p50 / p95 ms | {statistics.median(searched):.1f} / "
        f"{percentile(searched, 95):.1f} | |",
    ]
    print("\n".join(rows))
    print(f"\n{lib.counts()['passages']:,} passages; reproduce: python benchmarks/answers.py")


if __name__ == "__main__":
    main()
