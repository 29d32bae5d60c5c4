"""Structure recovery on pages whose headings were stripped: boundary precision/recall.

Pages whose real structure is known lose every heading line, as seed 000 lost its
drug headings, and go through the scraped-text reader (`read_text`). Each section it
finds starts a *predicted* boundary; each place a heading stood before a paragraph is
a *true* one. Boundaries are counted in paragraphs of the body, matched one to one,
exactly and within one paragraph, and reported as precision and recall, both for the
reader with implicit sections (`ingest/structure.py`) and without them (title-like
lines only), so the gain and any false splits show.

The pages:
- seed 003 (NCI, Markdown): its `#` headings are the truth;
- MedQuAD answers with at least two headings: lines the answer sets apart as titles
  (short, capitalised, unpunctuated, not a lead-in ending in "to", "of", …) and, in
  CancerGov answers, the lines that repeat an item of the answer's "Key Points" list
  (PDQ's own section headings; the list itself, a table of contents, is dropped).
  All of them (765 answers from four sources), or the first `--per-source` of each.

A predicted boundary with no true one near is not always wrong: the truth has only
the headings a page had, and a paragraph introducing a drug or procedure inside a
section ("Hydroxyurea is a medicine …" under "Treatment") is a sub-topic the reader
is meant to find. `--misses` prints each unmatched prediction to judge them.

    python benchmarks/structure.py [--per-source N] [--corpus ../shared/corpus/medquad]
                                   [--misses] [--json]
"""

from __future__ import annotations

import argparse
import json
import shlex
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from oncocite.ingest.markdown import markdown_blocks, split_frontmatter
from oncocite.ingest.medquad import clean_answer
from oncocite.ingest.structure import paragraph_spans
from oncocite.ingest.text import looks_like_heading, read_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_NCI = SHARED / "seeds" / "003_5c17e5cb39d03151.txt"
DEFAULT_CORPUS = SHARED / "corpus" / "medquad"
TOLERANCES = (0, 1)
# A title-like line ending in one of these is a lead-in that lost its colon
# ("Goals of treatment are to"), not a heading.
_LEAD_IN_ENDS_LIST = "to of by for and or the a an with are is include includes such as from in on"
_LEAD_IN_ENDS = frozenset(_LEAD_IN_ENDS_LIST.split())
_KEY_POINTS = "Key Points"


@dataclass(frozen=True)
class Page:
    """A page without its headings: title, body paragraphs, and where sections began."""

    name: str
    source: str
    title: str
    paragraphs: tuple[str, ...]
    truth: tuple[int, ...]

    def raw(self) -> str:
        return "\n\n".join([self.title, *self.paragraphs]) + "\n"


@dataclass
class Score:
    """Boundary counts of one group of pages, for one reader and one tolerance."""

    pages: int = 0
    true: int = 0
    predicted: int = 0
    found: int = 0  # true boundaries matched
    correct: int = 0  # predicted boundaries matched

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.true if self.true else 1.0

    def add(self, truth: Sequence[int], predicted: Sequence[int], tolerance: int) -> None:
        matched = _matches(truth, predicted, tolerance)
        self.pages += 1
        self.true += len(truth)
        self.predicted += len(predicted)
        self.found += matched
        self.correct += matched

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
        }


def _matches(truth: Sequence[int], predicted: Sequence[int], tolerance: int) -> int:
    """Boundaries paired one to one, each true one with the nearest free prediction."""
    free = sorted(predicted)
    count = 0
    for boundary in sorted(truth):
        near = [p for p in free if abs(p - boundary) <= tolerance]
        if near:
            free.remove(min(near, key=lambda p: abs(p - boundary)))
            count += 1
    return count


def _page(name: str, source: str, title: str, blocks: Sequence[tuple[str, bool]]) -> Page:
    """A page from (text, is_heading) blocks: headings dropped, their places kept."""
    paragraphs: list[str] = []
    truth: list[int] = []
    for text, heading in blocks:
        if heading:
            if paragraphs and (not truth or truth[-1] != len(paragraphs)):
                truth.append(len(paragraphs))
        else:
            paragraphs.append(text)
    truth = [t for t in truth if t < len(paragraphs)]
    return Page(name, source, title, tuple(paragraphs), tuple(truth))


def seed_page(path: Path = SEED_NCI) -> Page:
    """Seed 003: its first heading is the title, every other heading is dropped."""
    _, body = split_frontmatter(path, path.read_text(encoding="utf-8"))
    blocks = markdown_blocks(body)
    title = blocks[0].text
    rest = [(b.text, b.heading_level is not None) for b in blocks[1:]]
    return _page("seed-003", "seed-003", title, rest)


def _is_title_line(line: str) -> bool:
    words = line.split()
    return looks_like_heading([line]) and bool(words) and words[-1].lower() not in _LEAD_IN_ENDS


def _answer_blocks(answer: str) -> list[tuple[str, bool]]:
    """An answer's paragraphs (a run of '- ' lines is one) and which are headings."""
    lines = answer.split("\n")
    key_points: set[str] = set()
    if lines and lines[0] == _KEY_POINTS:
        index = 1
        while index < len(lines) and lines[index].startswith("- "):
            key_points.add(lines[index][2:].strip())
            index += 1
        lines = lines[index:]
    titles = sorted((p for p in key_points if _is_title_line(p)), key=len, reverse=True)
    blocks: list[tuple[str, bool]] = []
    for line in (part for whole in lines for part in _inlined(whole, titles)):
        if line.startswith("- ") and blocks and blocks[-1][0].startswith("- "):
            blocks[-1] = (blocks[-1][0] + "\n" + line, False)
        else:
            heading = line in key_points or (not line.startswith("- ") and _is_title_line(line))
            blocks.append((line, heading))
    return blocks


def _inlined(line: str, titles: Sequence[str]) -> list[str]:
    """A line cut before and after each short key point inlined as a heading.

    PDQ's lowest headings ("Chemotherapy", "Targeted therapy") are listed under
    "Key Points" and flattened into the text: "… used: Chemotherapy Chemotherapy is a
    cancer treatment …". One stands at the start of a line or after a sentence end,
    and is followed by a capital letter.
    """
    for title in titles:
        at = _heading_at(line, title)
        if at is not None:
            before, after = line[:at].rstrip(), line[at + len(title) :].lstrip()
            return [*_inlined(before, titles), title, *_inlined(after, titles)]
    return [line] if line else []


def _heading_at(line: str, title: str) -> int | None:
    start = 0
    while (at := line.find(title, start)) != -1:
        after = line[at + len(title) : at + len(title) + 2]
        opens = at == 0 or line[max(0, at - 2) : at] in (". ", ": ", "? ", "! ")
        if opens and len(after) == 2 and after[0] == " " and after[1].isupper():
            return at
        start = at + 1
    return None


def _answers(path: Path) -> Iterator[tuple[str, str, str]]:
    """(pair id, question, cleaned answer) of each QAPair of a MedQuAD file."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return
    for pair in [*root.findall("QAPairs/QAPair"), *root.findall("qaPairs/pair")]:
        question = pair.find("Question")
        answer = pair.find("Answer")
        if question is None:
            question, answer = pair.find("question"), pair.find("answer")
        if question is None or answer is None:
            continue
        yield (
            pair.get("pid", "?"),
            " ".join((question.text or "").split()),
            clean_answer(answer.text or ""),
        )


def medquad_pages(corpus: Path = DEFAULT_CORPUS, per_source: int | None = None) -> list[Page]:
    """Answers with at least two headings, the first `per_source` of each source folder
    (all of them when None)."""
    pages: list[Page] = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        taken = 0
        for path in sorted(folder.glob("*.xml")):
            for pid, question, answer in _answers(path):
                page = _page(
                    f"{folder.name}/{path.stem}#{pid}",
                    folder.name,
                    question,
                    _answer_blocks(answer),
                )
                if len(page.truth) >= 2 and (per_source is None or taken < per_source):
                    pages.append(page)
                    taken += 1
    return pages


def predicted(page: Page, implicit: bool = True) -> list[int] | None:
    """Body-paragraph indices where the reader starts a section; None if it regrouped
    the paragraphs (then the page cannot be scored by index)."""
    raw = page.raw()
    path = Path(f"{page.name.replace('/', '_')}.txt")
    parsed = read_text(path, raw, recover=implicit)
    starts = [start for start, _ in paragraph_spans(parsed.text, 0, len(parsed.text))][1:]
    if len(starts) != len(page.paragraphs):
        return None
    index = {start: i for i, start in enumerate(starts)}
    return sorted({index[s.start] for s in parsed.sections if index.get(s.start, 0) > 0})


def measure(pages: Sequence[Page]) -> dict[str, Any]:
    """Scores by source, reader (implicit sections on/off) and tolerance, plus totals."""
    scores: dict[tuple[str, str, int], Score] = {}
    skipped = 0
    for page in pages:
        for reader, implicit in (("implicit", True), ("title_lines", False)):
            found = predicted(page, implicit)
            if found is None:
                skipped += implicit
                continue
            for tolerance in TOLERANCES:
                for group in (page.source, "all"):
                    key = (group, reader, tolerance)
                    scores.setdefault(key, Score()).add(page.truth, found, tolerance)
    table = [
        {"source": g, "reader": r, "tolerance": t, **s.as_dict()}
        for (g, r, t), s in sorted(scores.items(), key=lambda kv: (kv[0][0] == "all", kv[0]))
    ]
    return {"pages": len(pages), "skipped": skipped, "scores": table}


def score(summary: dict[str, Any], source: str, reader: str, tolerance: int) -> dict[str, Any]:
    """One row of `measure`'s table."""
    for row in summary["scores"]:
        if (row["source"], row["reader"], row["tolerance"]) == (source, reader, tolerance):
            return dict(row)
    raise KeyError((source, reader, tolerance))


def misses(pages: Sequence[Page]) -> list[dict[str, Any]]:
    """Each prediction of the implicit-section reader with no true boundary within one
    paragraph: the page, the paragraph it starts at and the one before, and which rule
    made it (a title-like line, or an introduction)."""
    found: list[dict[str, Any]] = []
    for page in pages:
        title_lines = set(predicted(page, implicit=False) or [])
        for index in predicted(page) or []:
            if all(abs(index - t) > 1 for t in page.truth):
                found.append(
                    {
                        "page": page.name,
                        "paragraph": index,
                        "by": "title_lines" if index in title_lines else "implicit",
                        "starts": page.paragraphs[index][:100],
                        "after": page.paragraphs[index - 1][-60:],
                    }
                )
    return found


def _report(summary: dict[str, Any]) -> None:
    print(f"$ {summary['command']}")
    print(f"{summary['pages']} pages ({summary['skipped']} not scorable)")
    print(f"{'source':16} {'reader':12} tol  pages  true  pred  prec  recall")
    for row in summary["scores"]:
        print(
            f"{row['source']:16} {row['reader']:12} {row['tolerance']:>3} {row['pages']:>6} "
            f"{row['true']:>5} {row['predicted']:>5} {row['precision']:5.2f} {row['recall']:7.2f}"
        )
    for miss in summary.get("misses", []):
        print(f"miss ({miss['by']}) {miss['page']} ¶{miss['paragraph']}: {miss['starts']!r}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--per-source", type=int, default=None, help="answers per source")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--misses", action="store_true", help="list unmatched predictions")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    pages = [seed_page(), *medquad_pages(args.corpus, args.per_source)]
    parts = ["python", "benchmarks/structure.py"]
    if args.per_source is not None:
        parts += ["--per-source", str(args.per_source)]
    if args.corpus.resolve() != DEFAULT_CORPUS.resolve():
        parts += ["--corpus", str(args.corpus)]
    summary = {"command": shlex.join(parts), **measure(pages)}
    if args.misses:
        summary["misses"] = misses(pages)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _report(summary)


if __name__ == "__main__":
    main()
