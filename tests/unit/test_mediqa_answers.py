"""Judging MEDIQA answers by their text: copies of one answer count as one."""

from oncocite.evaluation.mediqa import CandidateAnswer, by_answer, same_answers


def answer(doc_id: str, title: str, text: str) -> CandidateAnswer:
    return CandidateAnswer(doc_id=doc_id, title=title, text=text, url=None)


ANSWERS = [
    answer("q1_a1", "Thalassemia (Treatment)", "Transfusions and chelation."),
    answer("q2_a4", "Thalassemia (Treatment)", "Transfusions and chelation."),
    answer("q2_a5", "Sickle beta thalassemia (Treatment)", "Transfusions and chelation."),
    answer("q3_a1", "Thalassemia (Treatment)", "Transfusions and chelation. "),
]


def test_only_the_same_title_and_text_are_one_answer() -> None:
    canonical = same_answers(ANSWERS)
    assert canonical == {
        "q1_a1": "q1_a1",
        "q2_a4": "q1_a1",
        "q2_a5": "q2_a5",  # same text under another title: another page
        "q3_a1": "q3_a1",  # one more space: not the same text
    }


def test_a_copy_ranked_first_finds_the_judged_answer() -> None:
    canonical = same_answers(ANSWERS)
    judgements = {"q2_a4": 3, "q2_a5": 0}
    grades, ranked = by_answer(judgements, ["q1_a1", "medquad_7", "q2_a4", "q2_a5"], canonical)
    assert grades == {"q1_a1": 3, "q2_a5": 0}
    # the judged answer is now first (its copy's rank); its later copy is not counted again
    assert ranked == ["q1_a1", "medquad_7", "q2_a5"]


def test_copies_judged_differently_keep_the_best_grade() -> None:
    canonical = same_answers(ANSWERS)
    grades, _ = by_answer({"q1_a1": 1, "q2_a4": 2}, [], canonical)
    assert grades == {"q1_a1": 2}
