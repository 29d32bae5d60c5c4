"""What a question is before it is searched: a short question, or a message.

Real people write a subject line run into a message ("Scabies. How do I get rid of
this itch? My son and I have tried every cream…"), with personal context and
misspellings; MedQuAD's templated questions ("What are the treatments for Breast
Cancer ?") are short and name their topic. The two are ranked with different
fusion weights (chosen on the consumer and CancerGov tuning halves), and a
message's subject line, which usually names the condition, is matched on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from oncocite.search.query import query_words

__all__ = [
    "MESSAGE_WORDS",
    "QuestionAnalysis",
    "analyse",
    "apply_corrections",
    "is_message",
    "subject_line",
]

# A question of this many content words or more is a message (CancerGov questions
# have 4 at the median, consumer messages 20 and more), and so is one of 6 or more
# that speaks in the first person or greets.
MESSAGE_WORDS = 10
PERSONAL_MESSAGE_WORDS = 6
_PERSONAL = re.compile(r"\b(i|i'm|im|i've|ive|my|me|we|our|us|hi|hello|dear|thanks|thank)\b", re.I)
# The subject ends at the first sentence mark, or where the message starts talking.
_SUBJECT = re.compile(
    r"^(.{3,150}?)(?:[.?!:;]\s|\s+(?:hi|hello|dear|i|my|we|our|hey)\b)", re.IGNORECASE
)
SUBJECT_FALLBACK_WORDS = 12


@dataclass(frozen=True)
class QuestionAnalysis:
    """A question as asked, as read (spelling corrected), and its parts."""

    text: str
    corrected: str
    corrections: tuple[tuple[str, str], ...]
    message: bool
    subject: str | None

    @property
    def kind(self) -> str:
        return "message" if self.message else "question"


def is_message(text: str) -> bool:
    """A message rather than a short question (see MESSAGE_WORDS)."""
    count = len(query_words(text))
    return count >= MESSAGE_WORDS or (
        count >= PERSONAL_MESSAGE_WORDS and _PERSONAL.search(text) is not None
    )


def subject_line(text: str) -> str:
    """The subject a message starts with: up to its first sentence mark or greeting."""
    found = _SUBJECT.match(text)
    if found:
        return found.group(1).strip()
    return " ".join(text.split()[:SUBJECT_FALLBACK_WORDS])


def apply_corrections(text: str, fixes: Iterable[tuple[str, str]]) -> str:
    """`text` with each (written, read as) correction made: whole words only, in any
    case. The one rule: search reads a question with it, and answers read the parts
    of a message they judge with the corrections search found."""
    for written, read_as in fixes:
        text = re.sub(rf"\b{re.escape(written)}\b", read_as, text, flags=re.IGNORECASE)
    return text


def analyse(
    text: str, correct: Callable[[str], list[tuple[str, str]]] | None = None
) -> QuestionAnalysis:
    """Spelling corrected (when a corrector is given), kind and subject of a question."""
    fixes = tuple(correct(text)) if correct is not None else ()
    corrected = apply_corrections(text, fixes)
    message = is_message(corrected)
    subject = subject_line(corrected) if message else None
    return QuestionAnalysis(
        text=text,
        corrected=corrected,
        corrections=fixes,
        message=message,
        subject=subject if subject and subject != corrected.strip() else None,
    )
