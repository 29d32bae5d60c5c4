"""Knowledge-base citations name a stored sentence by place and digest, never by a
copy of it: the files hold none of the seeds' words (the CRUK page is all rights
reserved), and a sentence is found again when the text around it moves."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from oncocite.knowledge.citations import cite, digest, locate
from tests.conftest import SEED_CRUK, SEED_NCI


def test_a_cited_sentence_is_found_where_it_stands_and_after_it_moved() -> None:
    text = "Intro. Neratinib belongs to a group of drugs called cancer growth blockers. End."
    ref = cite(text, "d", "Neratinib belongs to a group of drugs called cancer growth blockers.")
    assert ref.sha == digest(text[ref.at : ref.at + ref.chars])
    assert locate(text, ref) == ref.at
    moved = "A new first paragraph. " + text
    start = locate(moved, ref)
    assert start is not None and moved[start : start + ref.chars].startswith("Neratinib")
    assert locate(text.replace("cancer growth blockers", "tablets"), ref) is None
    with pytest.raises(ValueError, match="does not say"):
        cite(text, "d", "Neratinib is a tablet taken every day.")


def test_the_knowledge_files_hold_no_sentence_of_the_seeds() -> None:
    sentences = {
        s.strip()
        for seed in (SEED_CRUK, SEED_NCI)
        for s in re.split(r"(?<=[.!?])\s+|\n", seed.read_text(encoding="utf-8"))
        if len(s.strip()) >= 40
    }
    data = resources.files("oncocite.knowledge").joinpath("data")
    for name in ("seed_drugs.yaml", "drug_classes.yaml", "reference_drugs.yaml"):
        text = data.joinpath(name).read_text(encoding="utf-8")
        copied = [s for s in sentences if s in text]
        assert not copied, (name, copied[:2])
