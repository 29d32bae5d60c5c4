"""The options explorer over the history vignettes: how many profiles, how many
options judged, how many listed as matching that the cited criteria say should not
be, how many needs-information options lack a question, and every disagreement.

    python benchmarks/options_vignettes.py [--file tests/data/vignettes/options_history.yaml]

The vignettes' statuses were derived by hand from the cited criteria before running;
tests/integration/test_vignettes.py asserts the same. The knowledge base is matched
without a library (citations are not resolved here: they do not change a status).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from oncocite import FactCitation, Profile
from oncocite.knowledge.load import shipped_knowledge
from oncocite.knowledge.matcher import match_options
from oncocite.knowledge.schema import Ref

DEFAULT = Path(__file__).parents[1] / "tests" / "data" / "vignettes" / "options_history.yaml"


def _cite(ref: Ref) -> FactCitation:
    return FactCitation(kind="reference", title=str(ref))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    args = parser.parse_args(argv)
    vignettes: list[dict[str, Any]] = yaml.safe_load(args.file.read_text("utf-8"))["vignettes"]
    knowledge = shipped_knowledge()
    judged = wrong_matches = silent = disagreements = 0
    statuses: Counter[str] = Counter()
    for vignette in vignettes:
        report = match_options(Profile.model_validate(vignette["profile"]), knowledge, _cite)
        for option in report.options:
            judged += 1
            statuses[option.status] += 1
            if option.id in vignette["matches"]:
                expected = "matches"
            elif option.id in vignette["needs_information"]:
                expected = "needs_information"
            else:
                expected = "does_not_match"
            if option.status == "matches" and expected != "matches":
                wrong_matches += 1
            if option.status == "needs_information" and not option.questions:
                silent += 1
            if option.status != expected:
                disagreements += 1
                print(f"  {vignette['id']}: {option.id} is {option.status}, expected {expected}")
    with_history = sum(1 for v in vignettes if v["profile"].get("prior_treatments"))
    print(f"vignettes: {len(vignettes)} ({with_history} with a treatment history)")
    print(
        f"options judged: {judged} ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))})"
    )
    print(f"wrong options listed as matching: {wrong_matches}")
    print(f"needs-information options without a question: {silent}")
    print(f"statuses differing from the vignettes: {disagreements}")
    return 1 if wrong_matches or silent or disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
