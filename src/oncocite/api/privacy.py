"""Personal details out of questions before they reach a log.

Patients write their name, date of birth, NHS number or phone number into
questions. The log keeps what is needed to see how the service is used (the
question, its length, what came back), never who asked: these are replaced by a
tag saying what was removed.
"""

from __future__ import annotations

import re

__all__ = ["redact"]

# Order matters: the most specific patterns first, so a date is not taken for a phone.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("[email]", re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")),
    (
        "[name]",
        re.compile(
            r"\b(?:my name is|my name's|i am called|i'm called|this is|call me)\s+"
            r"(?:(?:dr|mr|mrs|ms|miss)\.?\s+)?[A-Za-z][A-Za-z'-]{0,40}(?:\s+[A-Z][A-Za-z'-]{0,40}){0,2}",
            re.IGNORECASE,
        ),
    ),
    (
        "[date of birth]",
        re.compile(
            r"\b(?:born(?: on)?|dob|d\.o\.b\.?|date of birth)\s*:?\s*"
            r"(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\s+\d{2,4}"
            r"|[A-Za-z]{3,9}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4})",
            re.IGNORECASE,
        ),
    ),
    ("[date]", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b")),
    (
        "[NHS number]",
        re.compile(r"\b(?:nhs(?: number| no\.?)?\s*:?\s*)?\d{3}[ -]?\d{3}[ -]?\d{4}\b", re.I),
    ),
    (
        "[hospital number]",
        re.compile(
            r"\b(?:hospital|patient|mrn|medical record)\s*(?:number|no\.?|#)?\s*(?:is\s+)?:?\s*"
            r"[A-Z]{0,3}\d{5,10}\b",
            re.IGNORECASE,
        ),
    ),
    ("[phone]", re.compile(r"(?<!\w)\+?\d[\d ()-]{8,16}\d(?!\w)")),
    (
        "[postcode]",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
    ),
]


def redact(text: str) -> str:
    """`text` with names, emails, phone numbers, dates of birth, NHS and hospital
    numbers and postcodes replaced by what they were ("[email]")."""
    for tag, pattern in _PATTERNS:
        text = pattern.sub(tag, text)
    return text
