"""The patient vocabulary: data validation, whole-word matching, expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncocite.errors import InvalidQuery
from oncocite.search.vocabulary import Vocabulary, normalise, words


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


@pytest.mark.parametrize(
    ("term", "canonical"),
    [
        ("Herceptin", "trastuzumab"),
        ("herzuma", "trastuzumab"),
        ("Ontruzant", "trastuzumab"),
        ("Kanjinti", "trastuzumab"),
        ("Ogivri", "trastuzumab"),
        ("Trazimera", "trastuzumab"),
        ("Perjeta", "pertuzumab"),
        ("Kadcyla", "trastuzumab emtansine"),
        ("T-DM1", "trastuzumab emtansine"),
        ("Enhertu", "trastuzumab deruxtecan"),
        ("T-DXd", "trastuzumab deruxtecan"),
        ("Keytruda", "pembrolizumab"),
        ("Tukysa", "tucatinib"),
        ("Nerlynx", "neratinib"),
        ("Verzenios", "abemaciclib"),
        ("Verzenio", "abemaciclib"),
        ("Tyverb", "lapatinib"),
        ("Tykerb", "lapatinib"),
        ("Xeloda", "capecitabine"),
        ("TNBC", "triple negative"),
        ("mBC", "metastatic breast cancer"),
        ("before surgery", "neoadjuvant"),
        ("after surgery", "adjuvant"),
        ("come back", "recurrence"),
        ("stage 4", "metastatic"),
        ("metastatic disease", "metastatic"),
        ("secondaries", "metastatic"),
        ("mets", "metastatic"),
        ("CDK4/6", "CDK4/6 inhibitor"),
        ("HER2+", "HER2 positive"),
        ("HER2-positive", "HER2 positive"),
        ("her2 positive", "HER2 positive"),
        ("HER2-", "HER2 negative"),
        ("HR+", "hormone receptor positive"),
        ("ER+", "estrogen receptor positive"),
        # as clinic letters and forums write them
        ("sacituzumab", "sacituzumab govitecan"),
        ("pre-op", "neoadjuvant"),
        ("post-surgery", "adjuvant"),
        ("bio-marker", "biomarker test"),
        ("inflammatory type", "inflammatory breast cancer"),
        ("IBC", "inflammatory breast cancer"),
        # a formal letter's words: "has returned", "cannot be operated upon"
        ("has returned", "recurrence"),
        ("operated upon", "surgery"),
        # "given to everyone after their breast op"
        ("breast op", "surgery"),
        ("their op", "surgery"),
        # "is it likely to knock her out?"; "will I be able to keep working?"
        ("knock her out", "fatigue"),
        ("keep working", "employment"),
        # "new targeted or immune drugs"; a cancer HER2 drugs are also given for
        ("immune drugs", "immunotherapy"),
        ("gastric cancer", "stomach cancer"),
    ],
)
def test_canonical(vocab: Vocabulary, term: str, canonical: str) -> None:
    assert vocab.canonical(term) == canonical


def test_unknown_term_has_no_canonical(vocab: Vocabulary) -> None:
    assert vocab.canonical("paracetamol") is None


def test_her2_spellings_normalise_alike() -> None:
    assert words("HER2+") == words("HER2-positive") == words("HER2 positive")
    assert normalise("HER2-low") == "her2-low"


def test_whole_words_only(vocab: Vocabulary) -> None:
    # "ER+" must not fire inside "HER2+", nor "advanced" inside "locally advanced"
    found = [m.canonical for m in vocab.find("HER2+ locally advanced cancer")]
    assert found == ["HER2 positive", "locally advanced"]
    assert vocab.find("Herceptinx and superchemo") == []


def test_expand_adds_canonical_terms(vocab: Vocabulary) -> None:
    expanded = vocab.expand("Can I have Herceptin before surgery if my cancer comes back?")
    assert expanded.added_terms == ["trastuzumab", "neoadjuvant", "recurrence"]
    assert "trastuzumab" in expanded.dense_text
    assert expanded.dense_text.startswith("Can I have Herceptin")


def test_expand_skips_terms_already_present(vocab: Vocabulary) -> None:
    assert vocab.expand("trastuzumab (Herceptin) dose").added_terms == []


def test_combination_brand_expands_to_each_drug(vocab: Vocabulary) -> None:
    assert vocab.expand("Phesgo injection").added_terms == ["pertuzumab", "trastuzumab"]


def test_question_types(vocab: Vocabulary) -> None:
    assert vocab.expand("What are the treatments for X ?").question_types == ["treatment"]
    assert vocab.expand("Who is at risk for X?").question_types == ["susceptibility"]
    assert vocab.expand("How to diagnose X ?").question_types == ["exams and tests"]
    assert vocab.expand("What is (are) X ?").question_types == ["information"]
    # the fallback only applies when nothing more specific matched
    assert vocab.expand("What is the outlook for X ?").question_types == ["outlook"]
    # avoiding a treatment asks no way to prevent a disease; avoiding a disease does
    assert vocab.expand("I was hoping to avoid chemo this time").question_types == []
    assert vocab.expand("How can I avoid lymphoedema?").question_types == ["prevention"]
    assert "prevention" in vocab.expand("avoid chemo, and avoid infection?").question_types


def test_invalid_file_names_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "v.yaml"
    bad.write_text("version: 1\nterms:\n  - canonical: x\n    kind: brandname\n")
    with pytest.raises(InvalidQuery, match=r"v\.yaml: terms\.0\.kind"):
        Vocabulary.load(bad)


def test_duplicate_alias_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "v.yaml"
    bad.write_text(
        "version: 1\nterms:\n"
        "  - {canonical: a, kind: generic, aliases: [Zed]}\n"
        "  - {canonical: b, kind: generic, aliases: [zed]}\n"
    )
    with pytest.raises(InvalidQuery, match="'zed' is listed for both"):
        Vocabulary.load(bad)


def test_a_status_excluding_no_term_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "v.yaml"
    bad.write_text(
        "version: 1\nterms:\n"
        "  - {canonical: HER2 positive, kind: abbreviation, excludes: [HER2 negatve]}\n"
    )
    with pytest.raises(InvalidQuery, match="'HER2 positive' excludes 'HER2 negatve', not a term"):
        Vocabulary.load(bad)


@pytest.mark.parametrize(
    ("uk", "us"),
    [
        ("tumour", "tumor"),
        ("oestrogen", "estrogen"),
        ("diarrhoea", "diarrhea"),
        ("leukaemia", "leukemia"),
        ("lymphoedema", "lymphedema"),
    ],
)
def test_uk_spellings_bring_the_us_spelling(vocab: Vocabulary, uk: str, us: str) -> None:
    assert vocab.canonical(uk) == us
    assert us in vocab.expand(f"what helps with {uk}").added_terms


def test_an_idiom_holding_an_alias_names_no_term(vocab: Vocabulary) -> None:
    # "in good spirits" is a mood, not alcohol (a condition every answer must speak of)
    assert [m.canonical for m in vocab.find("eating fine, in good spirits")] == []
    assert [m.canonical for m in vocab.find("her spirits are low")] == []
    assert [m.canonical for m in vocab.find("Can I drink spirits on Keytruda?")] == [
        "alcohol",
        "pembrolizumab",
    ]
    # the words after the idiom are still read
    found = vocab.find("in good spirits on herceptin")
    assert [m.canonical for m in found] == ["trastuzumab"]


def test_a_habit_said_not_to_be_had_is_no_condition(vocab: Vocabulary) -> None:
    # "never smoked" sets the scene; an answer need not speak of smoking
    assert [m.canonical for m in vocab.find("34, runs marathons, never smoked.")] == []
    assert [m.canonical for m in vocab.find("she's a non-smoker")] == []
    assert [m.canonical for m in vocab.find("does smoking stop keytruda working?")] == [
        "smoking",
        "pembrolizumab",
    ]


def test_a_regulators_word_for_approved_is_approved(vocab: Vocabulary) -> None:
    # "FDA approved" is asked of a page that says "approved to treat breast cancer"
    for asked in ("Is it FDA approved?", "is it fda-approved", "Is Enhertu licensed in the UK?"):
        assert "approved" in [m.canonical for m in vocab.find(asked)], asked
    assert "approved" in vocab.expand("Is Kadcyla licensed for breast cancer?").added_terms


def test_what_find_remembers_a_caller_cannot_change(vocab: Vocabulary) -> None:
    # find and words remember what they read of a text: a list handed out is the
    # caller's own, so changing it changes nothing the next caller gets
    text = "Is Herceptin given with Perjeta?"
    first = vocab.find(text)
    assert [m.canonical for m in first] == ["trastuzumab", "pertuzumab"]
    first.clear()
    assert [m.canonical for m in vocab.find(text)] == ["trastuzumab", "pertuzumab"]
    found = words(text)
    found.append("extra")
    assert words(text) == ["is", "herceptin", "given", "with", "perjeta"]


def test_a_text_too_long_to_remember_is_read_all_the_same(vocab: Vocabulary) -> None:
    text = "filler " * 400 + "Herceptin"
    assert len(text) > 2_000
    assert [m.canonical for m in vocab.find(text)] == ["trastuzumab"]
    assert words(text)[-1] == "herceptin"


def test_a_status_said_in_a_phrase_is_named_and_shown_by_its_name(vocab: Vocabulary) -> None:
    """From the sixty-second blind batch: "can u get enhertu if your HER2 is only
    'low'?" names HER2 low (it was answered as if HER2 positive had been asked), and
    shows it back so, not as "her2 is only low"; a misspelt "reoccurrence" is
    recurrence."""
    found = {m.canonical for m in vocab.find("my HER2 came back low, can I have enhertu?")}
    assert "HER2 low" in found, found
    assert vocab.written("her2 came back low") == "HER2 low"
    assert vocab.written("phesgo") == "phesgo"  # a brand stays as written
    assert "recurrence" in {m.canonical for m in vocab.find("high risk of reoccurrence")}


def test_side_effects_starting_once_stopped_and_a_rash_described(vocab: Vocabulary) -> None:
    """From the sixty-third blind batch: "can side effects of immunotherapy start after
    you've stopped it?" asks of late effects (it was answered with the side effects
    listed) and shows them back so; an "itchy rash" is a rash."""
    asked = "can side effects start after you've stopped it?"
    assert "late effects" in {m.canonical for m in vocab.find(asked)}
    assert vocab.written("start after you ve stopped") == "late effects"
    assert "rash" in {m.canonical for m in vocab.find("an itchy rash on my arms")}


def test_an_age_said_in_passing_is_no_condition(vocab: Vocabulary) -> None:
    """ "…really don't want an operation at my age", "I am eighty-two years of age":
    how old the writer is, said in passing, is no question of an age limit (it was
    a condition every answer had to speak of); "too old" and "age limit" still are."""
    for told in ("no operation at my age, thanks", "I am eighty-two years of age"):
        assert "age" not in {m.canonical for m in vocab.find(told)}, told
    assert "age" in {m.canonical for m in vocab.find("is there an age limit for herceptin?")}
    assert "age" in {m.canonical for m in vocab.find("at my age am I too old for it?")}


def test_being_able_to_have_children_is_fertility(vocab: Vocabulary) -> None:
    """From the sixty-sixth blind batch: "Will it stop her being able to have
    children?" asks of fertility, which no page speaks of (it was answered with what
    pembrolizumab is); children told of in a story ("I have children aged 3 and 5")
    are not."""
    asked = "will keytruda stop her being able to have children?"
    assert "fertility" in {m.canonical for m in vocab.find(asked)}
    told = "I have children aged 3 and 5, can I have herceptin?"
    assert "fertility" not in {m.canonical for m in vocab.find(told)}
