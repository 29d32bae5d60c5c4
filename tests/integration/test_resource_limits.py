"""Resource exhaustion from small files (issue 12, point 4).

Each input below once took minutes or gigabytes: a 453-byte frontmatter of nested
aliases (47 s, 2.9 GB), a MedQuAD answer of 300 KB of spaces (89 s), a paragraph of
"a. a. …" (40 KB: 16 s; 900 KB: past 300 s), a 900,000-character passage. The
bounds here are generous (CI machines are slower); the fixed code takes a fraction.
`benchmarks/pathological.py` measures the same shapes up to 10 MB.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from oncocite import Library
from oncocite.ingest.markdown import markdown_blocks
from oncocite.ingest.pipeline import IngestOptions, ingest_paths
from tests.integration.test_bad_input import assert_clear_error

MAX_SENTENCE_CHARS = 1_200  # README, "Passages": no passage is longer

BILLION_LAUGHS = """---
title: Laughs
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---

Body text.
"""


def _timed_ingest(lib: Library, path: Path) -> tuple[float, str | None, str]:
    started = time.perf_counter()
    [result] = lib.ingest([path]).results
    return time.perf_counter() - started, result.error, result.outcome


def test_alias_bomb_in_frontmatter_fails_at_once(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "laughs.md"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    assert len(BILLION_LAUGHS.encode()) < 600
    seconds, error, outcome = _timed_ingest(lib, path)
    assert outcome == "failed"
    assert seconds < 2.0
    assert error is not None and "expands to more than 10,000 values" in error
    assert error.startswith("laughs.md: e: ")  # 9**5 values
    assert lib.counts()["documents"] == 0


def test_alias_bomb_in_sidecar_fails_at_once(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "leaf.md").write_text("# Leaf\n\nBody text.\n", encoding="utf-8")
    sidecar = BILLION_LAUGHS.split("---\n")[1].replace("title: Laughs\n", "")
    (tmp_path / "leaf.md.meta.yaml").write_text(sidecar, encoding="utf-8")
    seconds, error, outcome = _timed_ingest(lib, tmp_path / "leaf.md")
    assert outcome == "failed" and seconds < 2.0
    assert error is not None and error.startswith("leaf.md.meta.yaml: e: ")


def test_many_aliases_are_refused_even_when_small(lib: Library, tmp_path: Path) -> None:
    lines = "".join(f"k{i}: *x\n" for i in range(60))
    path = tmp_path / "aliases.md"
    path.write_text(f"---\ntitle: A\nbase: &x 1\n{lines}---\n\nBody.\n", encoding="utf-8")
    [result] = lib.ingest([path]).results
    assert_clear_error(result, "aliases.md", ("k50", "more than 50 YAML aliases", "line 54"))


def test_medquad_answer_of_spaces_is_cleaned_in_linear_time(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "0000001.xml"
    path.write_text(
        '<Document id="0000001" source="GARD"><Focus>Spaces</Focus><QAPairs>'
        "<QAPair pid='1'><Question qid='1'>What?</Question><Answer>a"
        + " " * 300_000
        + "b  - item</Answer></QAPair></QAPairs></Document>",
        encoding="utf-8",
    )
    seconds, error, outcome = _timed_ingest(lib, path)
    assert outcome == "added", error
    assert seconds < 5.0
    [passage] = lib.show("GARD_0000001").passages
    assert passage.text == "a b\n- item"


def test_paragraph_of_a_dot_a_dot_is_split_in_linear_time(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "dots.txt"
    path.write_text("Dots\n\n" + "a. " * 100_000, encoding="utf-8")
    seconds, error, outcome = _timed_ingest(lib, path)
    assert outcome == "added", error
    assert seconds < 10.0
    passages = lib.show("dots").passages
    assert max(len(p.text) for p in passages) <= MAX_SENTENCE_CHARS


@pytest.mark.parametrize("unit", ["x", "word ", "- a\n", "a. ", "| a | b |\n"])
def test_no_passage_is_longer_than_the_documented_maximum(
    unit: str, lib: Library, tmp_path: Path
) -> None:
    """README: passages of at most 1,200 characters; one once had 900,000."""
    path = tmp_path / "long.md"
    path.write_text("# Long\n\n" + unit * (60_000 // len(unit)), encoding="utf-8")
    [result] = lib.ingest([path]).results
    assert result.outcome == "added", result.error
    record = lib.show("long")
    assert max(len(p.text) for p in record.passages) <= MAX_SENTENCE_CHARS
    for passage in record.passages:
        assert record.text[passage.start : passage.end] == passage.text


def test_time_budget_stops_the_work_and_stores_nothing(lib: Library, tmp_path: Path) -> None:
    """About 5 s of Markdown list items under a 0.5 s budget: it stops near 0.5 s."""
    path = tmp_path / "items.md"
    path.write_text("# Items\n\n" + "- a\n" * 100_000, encoding="utf-8")
    started = time.perf_counter()
    report = ingest_paths(lib.store, [path], IngestOptions(time_budget_s=0.5))
    seconds = time.perf_counter() - started
    [result] = report.results
    assert_clear_error(result, "items.md", ("took longer than 0.5 s", "--time-budget"))
    assert seconds < 3.0
    assert lib.counts()["documents"] == 0


def test_large_markdown_is_parsed_in_bounded_memory() -> None:
    """markdown-it holds ~400 bytes a token: 64 KB of tiny items took 34 MB whole."""
    body = "- a\n" * 16_000
    tracemalloc.start()
    try:
        blocks = markdown_blocks(body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(block.text.count("- a") for block in blocks) == 16_000
    assert peak < 26_000_000, f"peak {peak / 1e6:.0f} MB"


def test_a_page_of_too_many_links_fails_before_memory_grows(lib: Library, tmp_path: Path) -> None:
    """10 MB of links kept 480 MB of link objects; past 50,000 links the file fails."""
    path = tmp_path / "links.md"
    path.write_text("# Links\n\n" + "[a](b) " * 51_000, encoding="utf-8")
    [result] = lib.ingest([path]).results
    assert_clear_error(result, "links.md", ("more than 50,000 links",))


def test_a_page_of_too_many_html_elements_fails_at_once(lib: Library, tmp_path: Path) -> None:
    """trafilatura's one uninterruptible call took 33 s and 540 MB on 160,000 <p>."""
    path = tmp_path / "page.html"
    path.write_text("<html><body>" + "<p>x</p>" * 51_000 + "</body></html>", encoding="utf-8")
    seconds, error, outcome = _timed_ingest(lib, path)
    assert outcome == "failed" and seconds < 5.0
    assert error is not None and error.startswith("page.html: body: has more than 50,000 HTML")
