"""Real questions: a misspelt condition is read right, a message is read as a message,
and hybrid search uses the passages' context vectors and the subject line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oncocite import Library, open_library
from oncocite.search.dense import dense_available
from tests.conftest import CRUK_FLAGS, MEDQUAD, SEED_CRUK, SEED_NCI

PAGES = {
    "abeta": (
        "Abetalipoproteinemia",
        "Abetalipoproteinemia is a rare condition, passed down in families, in which "
        "the gut cannot take up fat from food well; people with abetalipoproteinemia "
        "need vitamin E.",
    ),
    "lice": ("Body lice", "Body lice are tiny insects that live in clothing and bedding."),
    "acid": ("Renal tubular acidosis", "Renal tubular acidosis is a kidney condition."),
}
MESSAGE = (
    "abetalipoproteinimia hello, is there a support group for people living with this? "
    "Nobody has confirmed it but my blood tests point that way, and I want to know how it "
    "is diagnosed and how to cope day to day"
)


def _library(folder: Path, embed: bool) -> Library:
    docs = folder / "docs"
    docs.mkdir()
    for stem, (title, body) in PAGES.items():
        front = f"title: {title}\nsource: Test pages\nlicense: CC-BY-4.0"
        (docs / f"{stem}.md").write_text(f"---\n{front}\n---\n\n{body}\n", "utf-8")
    lib = open_library(folder / "q.db", embed="1" if embed else "0")
    assert lib.ingest([docs, SEED_NCI]).failed == 0
    assert lib.ingest([SEED_CRUK], metadata=CRUK_FLAGS).failed == 0
    return lib


@pytest.fixture(scope="module")
def lexical_lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with _library(tmp_path_factory.mktemp("q"), embed=False) as lib:
        yield lib


def test_a_misspelt_condition_is_read_as_the_library_spells_it(lexical_lib: Library) -> None:
    results = lexical_lib.search("abetalipoproteinimia support", k=3, mode="lexical")
    assert results.reading is not None
    assert [(c.written, c.read_as) for c in results.reading.corrections] == [
        ("abetalipoproteinimia", "abetalipoproteinemia")
    ]
    assert results.hits[0].doc_id == "abeta"


def test_a_drug_name_written_as_heard_is_searched_as_the_name(lexical_lib: Library) -> None:
    results = lexical_lib.search("what is keytrooda", k=3, mode="lexical")
    assert results.reading is not None
    assert [(c.written, c.read_as) for c in results.reading.corrections] == [
        ("keytrooda", "keytruda")
    ]
    # read as Keytruda, it is pembrolizumab, which the NCI seed names
    assert any("pembrolizumab" in h.text.lower() for h in results.hits[:2])


def test_a_message_is_read_as_one_with_its_subject(lexical_lib: Library) -> None:
    results = lexical_lib.search(MESSAGE, k=3, mode="lexical")
    assert results.reading is not None and results.reading.kind == "message"
    assert results.reading.subject == "abetalipoproteinemia"
    assert results.hits[0].doc_id == "abeta"
    short = lexical_lib.search("what is body lice", k=3, mode="lexical")
    assert short.reading is not None and short.reading.kind == "question"
    assert short.reading.subject is None and short.reading.corrections == []


@pytest.mark.dense
def test_hybrid_uses_context_vectors_and_the_subject_line(tmp_path: Path) -> None:
    if not dense_available():
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    with _library(tmp_path, embed=True) as lib:
        message = lib.search(MESSAGE, k=3)
        assert message.mode_used == "hybrid" and message.hits[0].doc_id == "abeta"
        assert {"lexical", "dense", "about", "subject", "fused"} <= set(message.hits[0].scores)
        for hit in message.hits:  # every candidate of a message scored on every context side
            assert {"about", "subject", "question"} <= set(hit.scores), hit.doc_id
        question = lib.search("how do I get rid of body lice", k=3)
        assert question.hits[0].doc_id == "lice"
        assert "subject" not in question.hits[0].scores, "a short question has no subject"
        assert "about" in question.hits[0].scores
        assert question.hits[0].scores["question"] == question.hits[0].scores["about"], (
            "a page answers no question alone: its sections share the page's best context"
        )


@pytest.mark.dense
def test_a_question_finds_the_stored_question_it_asks(tmp_path: Path) -> None:
    """A MedQuAD page answers several questions, one passage each: the *question* side
    scores each passage by its own question's context, where *about* gives every
    passage of the page the page's best."""
    if not dense_available():
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    with _library(tmp_path, embed=True) as lib:
        assert lib.ingest([MEDQUAD / "3_GHR_QA" / "0000001.xml"]).failed == 0
        asked = "can aarskog scott syndrome be passed from parents to their children"
        hits = lib.search(asked, k=10).hits
        assert hits[0].passage_id == "GHR_0000001_Sec4", [h.passage_id for h in hits[:3]]
        page = [h for h in hits if h.doc_id == hits[0].doc_id]
        assert len(page) >= 3
        assert len({round(h.scores["about"], 6) for h in page}) == 1, "one page, one prior"
        assert hits[0].scores["question"] == max(h.scores["question"] for h in page)
        assert len({round(h.scores["question"], 6) for h in page}) == len(page)
