"""How sentences are chosen from a passage: which name a subject, which are never
quoted, and what a sentence about "these drugs" is about. Real passages of the seed
pages' kind, the shipped vocabulary, a plain stemmer."""

from __future__ import annotations

from oncocite.answers.reference import antecedent, names_subject
from oncocite.answers.select import Candidate, QueryTerms, asks_of_subject, select_units
from oncocite.search.vocabulary import Vocabulary, words

VOCABULARY = Vocabulary.load()


def _stem(text: str) -> list[str]:
    return [w.rstrip("s") for w in words(text)]


def _terms(*asked: str) -> QueryTerms:
    return QueryTerms({s: 1.0 for s in _stem(" ".join(asked))}, _stem)


def _quoted(text: str, *asked: str, kind: str | None = None) -> list[str]:
    chosen = select_units([Candidate("p1", 0, text)], _terms(*asked), VOCABULARY, kind=kind)
    return [c.text for c in chosen.choices]


def test_a_sentence_opening_with_a_known_treatment_names_what_it_means() -> None:
    opening = "Immunotherapy for breast cancer may be given at different times in your treatment."
    assert names_subject(opening, VOCABULARY)
    sentences = [opening, "You might get it with chemotherapy before surgery to shrink the tumor."]
    assert antecedent(sentences, 1, VOCABULARY) == 0
    # an opening that is not a known treatment, or a long opening, names nothing
    assert not names_subject("Your doctor may suggest biomarker tests.", VOCABULARY)
    assert not names_subject(
        "The results of the tests that your doctor may ask for are slow.", VOCABULARY
    )


def test_it_is_quoted_with_the_sentence_naming_immunotherapy() -> None:
    passage = (
        "Immunotherapy for breast cancer may be given at different times in your treatment. "
        "You might get it with chemotherapy before surgery to help shrink the tumor."
    )
    quoted = _quoted(passage, "shrink tumor before surgery")
    assert any("shrink the tumor" in q for q in quoted)
    assert quoted[0].startswith("Immunotherapy for breast cancer")


def test_a_pointer_to_another_page_is_never_quoted() -> None:
    passage = (
        "Immunotherapy helps the immune system fight cancer. "
        "Learn more about immunotherapy at Immunotherapy to Treat Cancer."
    )
    quoted = _quoted(passage, "immunotherapy")
    assert quoted == ["Immunotherapy helps the immune system fight cancer."]
    # nor one to another part of the page, which a passage may not hold
    listed = "We describe some of the immunotherapy drugs below. " + passage.split(" Learn")[0]
    assert _quoted(listed, "immunotherapy drugs") == [
        "Immunotherapy helps the immune system fight cancer."
    ]


def test_a_sentence_about_these_drugs_is_about_the_drugs_its_group_lists() -> None:
    passage = (
        "There are other cancer growth blockers that your doctor might use.\n\n"
        "You have one of these drugs with a hormone therapy drug, such as fulvestrant.\n\n"
        "These include:\n\n- palbociclib\n- ribociclib\n- abemaciclib"
    )
    quoted = _quoted(passage, "ribociclib own", kind="combination")
    assert any(q.startswith("You have one of these drugs") for q in quoted)
    # without the list, nothing says these drugs include ribociclib: not quoted
    alone = passage.split("\n\nThese include")[0]
    assert not any(q.startswith("You have one") for q in _quoted(alone, "ribociclib own"))


def test_context_counts_only_beside_a_word_of_the_question() -> None:
    """ "Is there any immunotherapy for me?" from someone whose cancer has spread: a
    sentence on another drug's criteria that says "spread" answers nothing asked."""
    asked = _terms("pembrolizumab")
    terms = asked.with_extra(["spread"], lambda stem: 1.0)
    assert terms.coverage("breast cancer that has spread to surrounding tissue") == 0.0
    assert terms.coverage("pembrolizumab for cancer that has spread") == 1.0
    assert 0 < terms.coverage("pembrolizumab is a type of immunotherapy") < 1.0
    # a question of no words of its own ("what might they offer her?") is asked
    # about its context: that counts alone
    bare = QueryTerms({}, _stem).with_extra(["spread"], lambda stem: 1.0)
    assert bare.coverage("cancer that has spread") == 1.0


def test_a_question_of_no_weighted_words_quotes_the_first_passage() -> None:
    """ "Can it be given later on?", "it" being in the story: search found the page,
    and its first passage's sentences are quoted (none from lower passages)."""
    first = Candidate(
        "p1", 0, "Immunotherapy may be given at different times. It may also be given later."
    )
    second = Candidate("p2", 1, "Side effects can be mild.")
    empty = QueryTerms({}, _stem)
    chosen = select_units([first, second], empty, VOCABULARY).choices
    assert chosen and all(c.candidate.key == "p1" for c in chosen)
    assert chosen[0].text.startswith("Immunotherapy may be given")


def test_a_sentence_leaning_on_its_antecedent_keeps_its_weight_when_it_says_what_is_asked() -> None:
    """ "How does neratinib work?": "They work by blocking…" says nothing of neratinib
    in its own words but is the answer; it outranks a sentence that names the drug and
    says who can have it."""
    passage = (
        "Neratinib is a cancer growth blocker. "
        "They work by blocking the messages that tell cancer cells to split. "
        "You might have neratinib after trastuzumab if the cancer is HER2 positive."
    )
    chosen = select_units(
        [Candidate("p1", 0, passage)], _terms("neratinib"), VOCABULARY, kind="mechanism"
    ).choices
    ranked = sorted(chosen, key=lambda c: -c.score)
    scores = {c.text.split()[0]: c.score for c in ranked}
    assert scores["They"] > scores["You"]
    # asked whether it comes after trastuzumab, the same sentence counts for less
    asked_when = select_units(
        [Candidate("p1", 0, passage)], _terms("neratinib"), VOCABULARY, kind="timing"
    ).choices
    when_scores = {c.text.split()[0]: c.score for c in asked_when}
    assert when_scores.get("They", 0.0) < when_scores["You"]


def test_a_word_asked_that_the_first_passage_never_says_is_quoted_from_the_next() -> None:
    """ "Is neratinib licensed for breast cancer?": the passage search puts first is on
    what neratinib is, and the rank prior keeps every quote there; the next passage's
    sentence on its licence is what was asked, and comes in place of the weakest
    (one that says nothing asked but through what it leans on)."""
    first = (
        "Neratinib is a cancer growth blocker. It blocks proteins that help cancer cells "
        "grow. It comes as tablets. You take it once a day."
    )
    second = "Neratinib is licensed for early breast cancer in adults."
    candidates = [Candidate("p1", 0, first), Candidate("p2", 1, second)]
    terms = _terms("neratinib licensed")
    chosen = select_units(candidates, terms, VOCABULARY, max_sentences=3, subject=("neratinib",))
    quoted = [c.text for c in chosen.shown]
    assert second not in [c.text for c in chosen.choices]  # (decided on without it)
    assert second in quoted and len(quoted) <= 3
    assert quoted[0] == "Neratinib is a cancer growth blocker."  # search's order kept
    # a sentence that says the word of another drug does not complete it
    other = "Tucatinib is licensed for breast cancer that has spread."
    candidates = [Candidate("p1", 0, first), Candidate("p2", 1, other)]
    chosen = select_units(candidates, terms, VOCABULARY, max_sentences=3, subject=("neratinib",))
    assert other not in [c.text for c in chosen.shown]
    # nor does it push out a quote that says half as much of the question as it does
    named = first.replace("It comes", "Neratinib comes").replace("take it", "take neratinib")
    candidates = [Candidate("p1", 0, named), Candidate("p2", 1, second)]
    chosen = select_units(candidates, terms, VOCABULARY, max_sentences=3, subject=("neratinib",))
    assert second not in [c.text for c in chosen.shown]


def test_it_after_a_sentence_on_one_treatment_means_that_treatment() -> None:
    """ "Immunotherapy uses the immune system… It works by…": "it" is immunotherapy,
    not the targeted drugs of the sentence before; "these drugs" never means one."""
    sentences = [
        "Targeted cancer drugs work by blocking the signals cancer cells use.",
        "Immunotherapy uses the body's defences against cancer.",
        "It works by helping white cells find cancer cells.",
    ]
    assert antecedent(sentences, 2, VOCABULARY) == 1
    plural = [*sentences[:2], "These drugs are used in many situations.", "You might have this:"]
    assert antecedent(plural, 3, VOCABULARY) == 0
    assert antecedent(plural, 2, VOCABULARY) == 0


def test_how_another_treatment_works_does_not_answer_how_this_one_does() -> None:
    """ "How does immunotherapy work?": "Targeted cancer drugs work by…" says how
    something works, but not immunotherapy; it earns no bonus for the kind asked."""
    passage = (
        "Targeted cancer drugs work by blocking the signals cancer cells use. "
        "Immunotherapy uses the body's defences against cancer. "
        "It works by helping white cells find cancer cells."
    )
    chosen = select_units(
        [Candidate("p1", 0, passage)],
        _terms("immunotherapy"),
        VOCABULARY,
        max_sentences=2,
        kind="mechanism",
        subject=("immunotherapy",),
    )
    quoted = [c.text for c in chosen.choices]
    assert quoted == [
        "Immunotherapy uses the body's defences against cancer.",
        "It works by helping white cells find cancer cells.",
    ]


def test_what_the_subject_is_has_a_place_when_only_a_lower_passage_says_it() -> None:
    """ "What does targeted therapy mean?": the passage search put first names it in
    every sentence but never says what it is; the page's later passage does, in
    another of its names, and leads the answer. Not from another page."""
    first = (
        "You may be offered targeted therapy in hospital. "
        "Some people have targeted therapy with chemotherapy for a year."
    )
    second = "Targeted cancer drugs work by finding what is different about cancer cells."
    names = ("targeted therapy", "targeted cancer drugs")

    def quoted(page: str) -> list[str]:
        candidates = [Candidate("p1", 0, first, page="doc"), Candidate("p2", 1, second, page=page)]
        chosen = select_units(
            candidates,
            _terms("targeted therapy"),
            VOCABULARY,
            max_sentences=2,
            kind="definition",
            subject=names,
        )
        return [c.text for c in chosen.choices]

    assert quoted("doc")[0] == second
    assert second not in quoted("another page")


def test_what_a_sentence_checks_for_is_what_the_sentence_before_says() -> None:
    """ "…are for cancer that is hormone receptor positive. You have tests to check for
    this.": "this" is the sentence before, not the group named further back."""
    sentences = [
        "There are other cancer growth blockers your doctor might use.",
        "These drugs are for cancer that is hormone receptor positive.",
        "You have tests on your cancer cells to check for this.",
    ]
    assert antecedent(sentences, 2, VOCABULARY) == 1


def test_research_under_way_is_no_answer_to_what_a_treatment_is() -> None:
    # own wording: a passage that tells of trials first and of the treatment after
    passage = (
        "Researchers are testing new immunotherapy drugs in trials. "
        "They are also looking at new combinations of them. "
        "Immunotherapy helps your immune system find and attack cancer cells."
    )
    for kind in ("definition", "mechanism", "eligibility", "side_effects", "purpose", "response"):
        quoted = _quoted(passage, "immunotherapy", kind=kind)
        assert quoted == ["Immunotherapy helps your immune system find and attack cancer cells."]
    # asked of research (by its kind, or in its words), research is what is quoted
    assert any("trials" in q for q in _quoted(passage, "immunotherapy", kind="research"))
    researching = select_units(
        [Candidate("p1", 0, passage)],
        _terms("immunotherapy new combinations"),
        VOCABULARY,
        kind="purpose",
        research=True,
    )
    assert any("trials" in c.text for c in researching.choices)
    # a plain question (no kind read), one of no kind ("how to prevent…?"), or one of
    # treatments or options, is judged on its words as before
    assert any("trials" in q for q in _quoted(passage, "immunotherapy trials"))
    assert any("trials" in q for q in _quoted(passage, "immunotherapy trials", kind="other"))
    assert any("trials" in q for q in _quoted(passage, "immunotherapy trials", kind="options"))


def test_a_question_speaks_of_research_in_any_of_its_words() -> None:
    from oncocite.answers.compose import speaks_of_research

    assert speaks_of_research("What are they actually researching in immunotherapy?")
    assert speaks_of_research("Why are they still testing new combinations?")
    assert speaks_of_research("Are there any trials for HER2 positive?")
    assert not speaks_of_research("How does immunotherapy work?")


def test_an_images_alt_text_is_never_quoted() -> None:
    passage = (
        "A nurse checking the drip of a patient having trastuzumab. Trastuzumab is a targeted drug."
    )
    asked = ("trastuzumab", "drip", "nurse")
    plain = select_units([Candidate("p1", 0, passage)], _terms(*asked), VOCABULARY)
    assert any("nurse" in c.text for c in plain.choices)  # it would be, as text
    pictured = Candidate("p1", 0, passage, images=((0, passage.index(" Trastuzumab is")),))
    chosen = select_units([pictured], _terms(*asked), VOCABULARY)
    assert [c.text for c in chosen.choices] == ["Trastuzumab is a targeted drug."]


def test_a_rule_is_quoted_with_the_sentence_going_on_with_it() -> None:
    """ "It is only for people who… And when they had the operation…": one rule in
    two sentences. Quoted, the first brings the second right after it, room made
    by the weakest other quote; a sentence that is no rule brings it where there
    is room."""
    passage = (
        "Zelatumab is a targeted drug for HER2 positive cancer. "
        "It is only for people who had chemotherapy before their operation. "
        "And when they had the operation some cancer was still found in the lymph nodes. "
        "Zelatumab is given into a vein every three weeks in hospital."
    )
    selection = select_units(
        [Candidate("p1", 0, passage)],
        _terms("zelatumab", "chemotherapy", "operation", "vein"),
        VOCABULARY,
        kind="eligibility",
        max_sentences=3,
    )
    shown = [c.text for c in selection.shown]
    rule = shown.index("It is only for people who had chemotherapy before their operation.")
    assert shown[rule + 1].startswith("And when they had the operation")
    assert len(shown) <= 3
    side = (
        "You might have a few side effects with zelatumab. "
        "And these can be slight or quite strong. "
        "Zelatumab is a targeted drug."
    )
    said = select_units(
        [Candidate("p1", 0, side)], _terms("zelatumab", "side", "effect"), VOCABULARY
    ).shown
    texts = [c.text for c in said]
    first = texts.index("You might have a few side effects with zelatumab.")
    assert texts[first + 1] == "And these can be slight or quite strong."


def test_a_heading_joining_two_kinds_under_one_noun_asks_of_each() -> None:
    """A heading of the CRUK page's kind ("When you might have targeted and
    immunotherapy…") asks when targeted treatment is given, as "When is immunotherapy
    for breast cancer given?" asks of immunotherapy."""
    heading = "When you might have targeted and hormone treatment"
    assert asks_of_subject("timing", heading, {"targeted treatment"})
    assert asks_of_subject("timing", heading, {"hormone treatment"})
    assert not asks_of_subject("timing", heading, {"chemotherapy"})
    assert not asks_of_subject("eligibility", heading, {"targeted treatment"})
